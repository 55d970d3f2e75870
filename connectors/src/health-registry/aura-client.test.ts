import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SPEC } from '../shared/spec-files.ts';
import { validateXml } from '../shared/xml-validate.ts';
import { createAuraSimulator } from '../simulators/aura-server.ts';
import { generatePopulation } from '../simulators/population.ts';
import { soapBodyElement } from '../testing/soap-body.ts';
import { createAuraHealthRegistry } from './aura-client.ts';
import type { HealthRegistry } from './types.ts';

const population = generatePopulation({ families: 30, seed: 11 });
const ctx = { operatorId: 'op.verdi', reason: 'CARTELLA-2026-41' };
let sim: Awaited<ReturnType<typeof createAuraSimulator>>;
let registry: HealthRegistry;
const envelopes: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'aura-xsd-'));

// The schema embedded in a WSDL, as an XSD file xmllint can read.
function schemaOf(wsdl: string, name: string): string {
  const xml = readFileSync(wsdl, 'utf8');
  const decls = /<definitions([^>]*)>/.exec(xml)![1]!;
  const schema = /<s:schema[\s\S]*<\/s:schema>/
    .exec(xml)![0]
    .replace('<s:schema', `<s:schema${decls.replace(/targetNamespace="[^"]*"/, '')}`);
  const file = join(dir, `${name}.xsd`);
  writeFileSync(file, schema);
  return file;
}

beforeAll(async () => {
  sim = await createAuraSimulator({
    population,
    basicAuth: { username: 'hub', password: 'secret' },
  });
  const r = createAuraHealthRegistry({
    findEndpoint: sim.findEndpoint,
    profileEndpoint: sim.profileEndpoint,
    username: 'hub',
    password: 'secret',
    retries: 0,
  });
  registry = r;
});
afterAll(() => sim.close());
beforeEach(() => sim.faults.set(null));

describe('health registry: Piemonte AURA over SOAP, against the simulator', () => {
  it('should find a person by codice fiscale, then give the health profile', async () => {
    const p = population.persons.find((x) => x.health.exemptions.length > 0)!;
    const [found] = await registry.findPersons({ taxCode: p.taxCode }, ctx);
    expect(found).toMatchObject({
      registryId: String(p.health.auraId),
      taxCode: p.taxCode,
      birthDate: p.birthDate,
      sex: p.sex,
    });
    const profile = await registry.healthProfile(found!.registryId, ctx);
    expect(profile).toMatchObject({
      asl: p.health.asl,
      doctor: {
        taxCode: p.health.doctor.taxCode,
        regionalCode: p.health.doctor.regionalCode,
        since: p.health.doctor.since,
      },
      exemptions: [{ code: p.health.exemptions[0]!.code, from: p.health.exemptions[0]!.from }],
      source: { counterpart: 'piemonte-aura', service: 'GetProfiloSanitario' },
    });
  });

  it('should find by personal data', async () => {
    const p = population.persons[5]!;
    const found = await registry.findPersons(
      { lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate },
      ctx,
    );
    expect(found.map((f) => f.taxCode)).toContain(p.taxCode);
  });

  it('should give no one for an unknown code, and refuse an unknown id as not found', async () => {
    await expect(registry.findPersons({ taxCode: 'RSSMRA80A01H501U' }, ctx)).resolves.toEqual([]);
    await expect(registry.healthProfile('1', ctx)).rejects.toMatchObject({
      code: 'SUBJECT_NOT_FOUND',
    });
  });

  it('should map a SOAP fault and refused credentials', async () => {
    sim.faults.set({ rate: 1, kinds: ['soapFault'] });
    await expect(
      registry.findPersons({ taxCode: population.persons[0]!.taxCode }, ctx),
    ).rejects.toMatchObject({ code: 'SOAP_FAULT', details: { remoteCode: 'soap:Server' } });
    sim.faults.set(null);
    const wrong = createAuraHealthRegistry({
      findEndpoint: sim.findEndpoint,
      profileEndpoint: sim.profileEndpoint,
      username: 'hub',
      password: 'no',
      retries: 0,
    });
    await expect(
      wrong.findPersons({ taxCode: population.persons[0]!.taxCode }, ctx),
    ).rejects.toMatchObject({ code: 'SOAP_FAULT', details: { remoteCode: 'soap:Client' } });
  });

  it('should exchange envelopes valid against the schemas of both WSDLs', async () => {
    const seen: string[] = [];
    const watched = createAuraHealthRegistry(
      {
        findEndpoint: sim.findEndpoint,
        profileEndpoint: sim.profileEndpoint,
        username: 'hub',
        password: 'secret',
        retries: 0,
      },
      { onXml: (_d, xml) => seen.push(xml) },
    );
    const p = population.persons.find((x) => x.health.exemptions.length > 0)!;
    const [found] = await watched.findPersons({ taxCode: p.taxCode }, ctx);
    await watched.healthProfile(found!.registryId, ctx);
    envelopes.push(...seen);
    const findXsd = schemaOf(SPEC.auraFind, 'find');
    const profXsd = schemaOf(SPEC.auraSanitaria, 'profile');
    expect(envelopes).toHaveLength(4);
    for (const [i, e] of envelopes.entries()) {
      expect(await validateXml(soapBodyElement(e), i < 2 ? findXsd : profXsd)).toEqual({
        ok: true,
      });
    }
  });
});
