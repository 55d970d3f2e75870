import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personOf } from '../anpr/map-person.ts';
import { createHubConnectors, type HubConnectors } from '../hub-connectors.ts';
import { computeTaxCode } from '../shared/tax-code.ts';
import {
  addPersonsToPopulation,
  populationFromPersons,
  type RegistrySeedPerson,
} from './population-from-persons.ts';
import { startSimulators } from './start-simulators.ts';

const person = (
  firstName: string,
  lastName: string,
  sex: 'M' | 'F',
  birthDate: string,
  birthPlaceCode: string,
  extra: Partial<RegistrySeedPerson> = {},
): RegistrySeedPerson => ({
  taxCode: computeTaxCode({ firstName, lastName, sex, birthDate, birthPlaceCode }),
  firstName,
  lastName,
  sex,
  birthDate,
  birthPlaceCode,
  residenceMunicipality: '054039',
  residenceAddress: 'Via Mazzini 12',
  householdKey: '054039|via mazzini 12',
  ...extra,
});

// A store's persons (the demo region's): a couple at one address with the ISEE of a case file, a
// woman born in Romania elsewhere in the region, a man who died.
const persons = [
  person('Mario', 'Rossi', 'M', '1950-03-04', 'G478', {
    isee: {
      value: 8123.45,
      ise: 12753.8,
      dsuProtocol: 'INPS-ISEE-2026-12345678A-01',
      presentedOn: '2026-02-01',
    },
  }),
  person('Anna', 'Bianchi', 'F', '1952-07-09', 'D653'),
  person('Ioana', 'Popescu', 'F', '1985-11-20', 'Z129', {
    residenceMunicipality: '055032',
    residenceAddress: 'Piazza Tacito 3',
    householdKey: '055032|piazza tacito 3',
  }),
  person('Luigi', 'Verdi', 'M', '1931-01-15', 'G478', {
    deathDate: '2025-10-02',
    householdKey: null,
  }),
];

let sims: Awaited<ReturnType<typeof startSimulators>>;
let hub: HubConnectors;
const ctx = { reason: 'PRATICA-9', operatorId: 'op.demo', workstation: 'ws-1' };
beforeAll(async () => {
  sims = await startSimulators({ population: populationFromPersons(persons, { seed: 7 }) });
  hub = createHubConnectors(sims.config);
});
afterAll(() => sims.close());

describe('the simulated population made from a store’s persons', () => {
  it('should have ANPR answer each person as the store holds them, over the real protocol', async () => {
    const [mario, anna, ioana, luigi] = persons as [
      RegistrySeedPerson,
      RegistrySeedPerson,
      RegistrySeedPerson,
      RegistrySeedPerson,
    ];
    const p = personOf(
      await hub.anpr!.consult('C020', { taxCode: mario.taxCode }, ctx),
      'C020',
      'now',
    );
    expect(p.lastName?.value).toBe('ROSSI');
    expect(p.birthDate?.value).toBe('1950-03-04');
    expect(p.birthPlaceIstat?.value).toBe('054039');
    expect(p.residence?.value).toMatchObject({
      municipalityIstat: '054039',
      address: 'VIA MAZZINI 12',
    });
    const abroad = personOf(
      await hub.anpr!.consult('C020', { taxCode: ioana.taxCode }, ctx),
      'C020',
      'now',
    );
    expect(abroad.birthPlaceIstat).toBeUndefined();
    expect(abroad.residence?.value.municipalityIstat).toBe('055032');
    const dead = personOf(
      await hub.anpr!.consult('C019', { taxCode: luigi.taxCode }, ctx),
      'C019',
      'now',
    );
    expect(dead.deathDate?.value).toBe('2025-10-02');
    // The couple at one address is one family; the eldest its head.
    const family = (
      await hub.anpr!.consult('C021', { taxCode: anna.taxCode }, ctx)
    ).listaSoggetti?.datiSoggetto?.map((s) => s.generalita?.codiceFiscale?.codFiscale);
    expect(family?.sort()).toEqual([mario.taxCode, anna.taxCode].sort());
  });

  it('should have INPS answer the ISEE the store holds, and the health registry a profile, the same on every start', async () => {
    const mario = persons[0]!;
    const isee = await hub.isee!.indicator(mario.taxCode, 'Ordinario', ctx);
    expect(isee).toMatchObject({ isee: 8123.45, dsuProtocol: 'INPS-ISEE-2026-12345678A-01' });
    const [found] = await hub.healthRegistry!.findPersons({ taxCode: mario.taxCode }, ctx);
    const profile = await hub.healthRegistry!.healthProfile(found!.registryId, ctx);
    expect(profile.asl).toBe('201');
    const again = populationFromPersons(persons, { seed: 7 });
    expect(again.byTaxCode.get(mario.taxCode)?.health).toEqual(
      sims.population.byTaxCode.get(mario.taxCode)?.health,
    );
    expect(again.byTaxCode.get(mario.taxCode)?.idAnpr).toBe(
      sims.population.byTaxCode.get(mario.taxCode)?.idAnpr,
    );
  });
});

describe('a person registered after the population was made', () => {
  it('should come into the running population once, in a family of their own, with ids of their own', () => {
    const pop = populationFromPersons(persons);
    const before = pop.persons.length;
    const late = person('Aldo', 'Tardivo', 'M', '1950-06-07', 'G478');
    expect(addPersonsToPopulation(pop, [persons[0]!, late])).toBe(1);
    expect(addPersonsToPopulation(pop, [late])).toBe(0);
    expect(pop.persons).toHaveLength(before + 1);
    const p = pop.byTaxCode.get(late.taxCode)!;
    expect(p).toMatchObject({ lastName: 'TARDIVO', firstName: 'ALDO', relation: '1' });
    // Same address as the Rossi couple, but not merged into their generated family.
    expect(pop.members(p.familyId)).toEqual([p]);
    expect(pop.families.get(p.familyId)?.familyId).toBe(p.familyId);
    const auraIds = pop.persons.map((x) => x.health.auraId);
    expect(new Set(auraIds).size).toBe(auraIds.length);
    expect(pop.byAuraId.get(p.health.auraId)).toBe(p);
  });
});
