import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMunicipalLookupSimulator } from '../simulators/municipal-lookup-server.ts';
import { generatePopulation } from '../simulators/population.ts';
import { createMunicipalLookupClient } from './lookup-client.ts';

const pop = generatePopulation({ families: 200, seed: 9 });
const PERUGIA = '054039';
const ctx = { operatorId: 'op.neri', reason: 'PRATICA-9' };
let sim: Awaited<ReturnType<typeof createMunicipalLookupSimulator>>;
beforeAll(async () => {
  sim = await createMunicipalLookupSimulator({ population: pop, municipalityIstat: PERUGIA });
});
afterAll(() => sim.close());

describe('municipal registry look-up over SOAP, against the simulator', () => {
  it('should give the resident and the family', async () => {
    const p = pop.persons.find((x) => x.residence.municipality.istat === PERUGIA)!;
    const client = createMunicipalLookupClient({ endpoint: sim.endpoint, retries: 0 });
    const r = await client.lookUp(p.taxCode, ctx);
    expect(r.resident).toMatchObject({
      taxCode: p.taxCode,
      birthDate: p.birthDate,
      residenceIstat: PERUGIA,
      familyCode: p.familyId,
    });
    expect(r.family.map((m) => m.taxCode).sort()).toEqual(
      pop
        .members(p.familyId)
        .map((m) => m.taxCode)
        .sort(),
    );
  });

  it('should report a non-resident as not found and a SOAP fault as such', async () => {
    const other = pop.persons.find((x) => x.residence.municipality.istat !== PERUGIA)!;
    const client = createMunicipalLookupClient({ endpoint: sim.endpoint, retries: 0 });
    await expect(client.lookUp(other.taxCode, ctx)).rejects.toMatchObject({
      code: 'SUBJECT_NOT_FOUND',
    });
    sim.faults.set({ rate: 1, kinds: ['soapFault'] });
    await expect(client.lookUp(other.taxCode, ctx)).rejects.toMatchObject({ code: 'SOAP_FAULT' });
    sim.faults.set(null);
  });
});
