import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personOf } from './anpr/map-person.ts';
import { createHubConnectors, type HubConnectors } from './hub-connectors.ts';
import { startSimulators } from './simulators/start-simulators.ts';

let sims: Awaited<ReturnType<typeof startSimulators>>;
let hub: HubConnectors;
beforeAll(async () => {
  sims = await startSimulators({ families: 300 });
  hub = createHubConnectors(sims.config);
});
afterAll(() => sims.close());

describe('every connector against the simulators started as npm start does', () => {
  it('should answer about one person consistently across ANPR, INPS, the health registry and the municipality', async () => {
    const p = sims.population.persons.find(
      (x) =>
        x.residence.municipality.istat === '054039' &&
        sims.population.families.get(x.familyId)?.isee,
    )!;
    const ctx = { reason: 'PRATICA-1', operatorId: 'op.demo', workstation: 'ws-1' };
    const anpr = personOf(
      await hub.anpr!.consult('C020', { taxCode: p.taxCode }, ctx),
      'C020',
      'now',
    );
    const isee = await hub.isee!.indicator(p.taxCode, 'Ordinario', ctx);
    const [h] = await hub.healthRegistry!.findPersons({ taxCode: p.taxCode }, ctx);
    const m = await hub.municipalLookup!.lookUp(p.taxCode, ctx);
    expect(anpr.residence?.value.municipalityIstat).toBe('054039');
    expect(isee.taxCode).toBe(p.taxCode);
    expect(h?.birthDate).toBe(p.birthDate);
    expect(m.resident.familyCode).toBe(p.familyId);
  });

  it('should give /health one check per counterpart, failing while a breaker is open', async () => {
    const checks = hub.healthChecks();
    expect(Object.keys(checks).sort()).toEqual([
      'anpr',
      'health-registry',
      'isee',
      'municipal-registry',
      'pdnd',
    ]);
    for (const c of Object.values(checks)) await expect(c()).resolves.toBeUndefined();
    sims.simulators.aura.faults.set({ rate: 1, kinds: ['soapFault'] });
    for (let i = 0; i < 5; i++) {
      await hub
        .healthRegistry!.findPersons(
          { taxCode: sims.population.persons[0]!.taxCode },
          { operatorId: 'x', reason: 'y' },
        )
        .catch(() => undefined);
    }
    sims.simulators.aura.faults.set(null);
    await expect(checks['health-registry']!()).rejects.toThrow(/circuit open/);
    expect(
      hub.counterparts.snapshot().find((s) => s.counterpart === 'health-registry')?.state,
    ).toBe('open');
  });
});
