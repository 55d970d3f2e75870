import { readFileSync } from 'node:fs';
import { computeTaxCode } from '../shared/tax-code.ts';
import { mulberry32 } from './faults.ts';

/**
 * The one population every simulator answers from: persons of the demo region (Umbria) in
 * families, each with a residence, a health profile and, per family, an ISEE. Generated from a
 * seed, so the same seed gives the same persons to ANPR, the health registry, INPS and the
 * municipal registry's download; or loaded from JSON (`fromJson`) when a demo needs its own.
 */
export type Municipality = { istat: string; name: string; province: string; cadastral: string };

export type SimPerson = {
  taxCode: string;
  idAnpr: string;
  lastName: string;
  firstName: string;
  sex: 'M' | 'F';
  birthDate: string;
  birthPlace: Municipality;
  familyId: string;
  /** ANPR's relation to the head of the family: 1 head, 2 spouse, 3 child. */
  relation: '1' | '2' | '3';
  relationSince: string;
  residence: {
    municipality: Municipality;
    cap: string;
    streetKind: string;
    street: string;
    number: string;
    since: string;
  };
  deathDate?: string;
  health: {
    auraId: number;
    asl: string;
    doctor: {
      taxCode: string;
      regionalCode: string;
      lastName: string;
      firstName: string;
      since: string;
    };
    exemptions: { code: string; description: string; from: string; to?: string }[];
  };
};

export type SimFamily = {
  familyId: string;
  isee?: {
    protocol: string;
    presentedOn: string;
    validUntil: string;
    ise: number;
    scale: number;
    isee: number;
    isr: number;
    isp: number;
  };
};

export type Population = {
  persons: SimPerson[];
  families: Map<string, SimFamily>;
  byTaxCode: Map<string, SimPerson>;
  byIdAnpr: Map<string, SimPerson>;
  byAuraId: Map<number, SimPerson>;
  municipalities: Municipality[];
  members(familyId: string): SimPerson[];
  add(p: SimPerson): void;
};

const MUNICIPALITIES_CSV = new URL('./umbria-municipalities.csv', import.meta.url);

export function loadMunicipalities(): Municipality[] {
  return readFileSync(MUNICIPALITIES_CSV, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [istat, name, province, cadastral] = line.split(',');
      return { istat: istat!, name: name!, province: province!, cadastral: cadastral! };
    });
}

export const LAST = [
  'ROSSI',
  'BIANCHI',
  'RICCI',
  'MARINI',
  'ROMANO',
  'COLOMBO',
  'BRUNO',
  'GALLI',
  'CONTI',
  'MANCINI',
  'LOMBARDI',
  'MORETTI',
  'BARBIERI',
  'FONTANA',
  'SANTORO',
  'MARIANI',
  'RINALDI',
  'CARUSO',
  'FERRARA',
  'GATTI',
  'PELLEGRINI',
  'PALUMBO',
  'SANNA',
  'FARINA',
  'GRECO',
];
export const MALE = [
  'MARCO',
  'LUCA',
  'GIUSEPPE',
  'ANDREA',
  'FRANCESCO',
  'ALESSANDRO',
  'MATTEO',
  'LORENZO',
  'DAVIDE',
  'PAOLO',
  'STEFANO',
  'ROBERTO',
  'GIOVANNI',
  'MASSIMO',
];
export const FEMALE = [
  'GIULIA',
  'FRANCESCA',
  'CHIARA',
  'SARA',
  'ANNA',
  'LAURA',
  'ELENA',
  'MARIA',
  'SILVIA',
  'PAOLA',
  'VALENTINA',
  'ALESSIA',
  'MARTINA',
  'ROBERTA',
];
const STREETS = [
  'GARIBALDI',
  'MAZZINI',
  'ROMA',
  'XX SETTEMBRE',
  'CAVOUR',
  'DEI MILLE',
  'DANTE ALIGHIERI',
  'MATTEOTTI',
  'VERDI',
  'SAN FRANCESCO',
];
export const EXEMPTIONS = [
  { code: 'E01', description: 'Età e reddito (under 6 / over 65)' },
  { code: '013', description: 'Diabete mellito' },
  { code: 'C03', description: 'Invalido civile 100%' },
  { code: '048', description: 'Malattia oncologica' },
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m, 2)}-${pad(d, 2)}`;

export function generatePopulation(opts: { families: number; seed?: number }): Population {
  const rnd = mulberry32(opts.seed ?? 42);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const municipalities = loadMunicipalities();
  const pop = emptyPopulation(municipalities);
  const doctors = Array.from({ length: 40 }, (_, i) => {
    const sex = i % 2 === 0 ? 'M' : 'F';
    const firstName = pick(sex === 'M' ? MALE : FEMALE);
    const lastName = pick(LAST);
    const birthDate = isoDate(int(1955, 1985), int(1, 12), int(1, 28));
    return {
      taxCode: computeTaxCode({
        firstName,
        lastName,
        sex,
        birthDate,
        birthPlaceCode: pick(municipalities).cadastral,
      }),
      regionalCode: pad(100000 + i, 6),
      lastName,
      firstName,
      since: '',
    };
  });
  let auraId = 1_000_000;
  for (let f = 0; f < opts.families; f++) {
    const familyId = `FAM${pad(f + 1, 8)}`;
    const home = pick(municipalities);
    const residence = {
      municipality: home,
      cap: `0${int(5000, 6099)}`,
      streetKind: 'VIA',
      street: pick(STREETS),
      number: String(int(1, 150)),
      since: isoDate(int(1995, 2024), int(1, 12), int(1, 28)),
    };
    const lastName = pick(LAST);
    const headYear = int(1940, 1995);
    const size = int(1, 5);
    const members: { sex: 'M' | 'F'; year: number; relation: '1' | '2' | '3'; lastName: string }[] =
      [{ sex: rnd() < 0.5 ? 'M' : 'F', year: headYear, relation: '1', lastName }];
    if (size > 1) {
      members.push({
        sex: members[0]!.sex === 'M' ? 'F' : 'M',
        year: headYear + int(-4, 4),
        relation: '2',
        lastName: pick(LAST),
      });
    }
    for (let c = 2; c < size; c++) {
      members.push({
        sex: rnd() < 0.5 ? 'M' : 'F',
        year: Math.min(2024, headYear + int(22, 40)),
        relation: '3',
        lastName,
      });
    }
    for (const m of members) {
      const firstName = pick(m.sex === 'M' ? MALE : FEMALE);
      const birthDate = isoDate(m.year, int(1, 12), int(1, 28));
      const birthPlace = rnd() < 0.7 ? home : pick(municipalities);
      const taxCode = computeTaxCode({
        firstName,
        lastName: m.lastName,
        sex: m.sex,
        birthDate,
        birthPlaceCode: birthPlace.cadastral,
      });
      if (pop.byTaxCode.has(taxCode)) continue; // a homonym born the same day in the same place
      const doctor = pick(doctors);
      const exemptions =
        rnd() < 0.25
          ? [{ ...pick(EXEMPTIONS), from: isoDate(int(2015, 2024), int(1, 12), 1) }]
          : [];
      pop.add({
        taxCode,
        idAnpr: `${pad(int(0, 999_999_999), 9)}${String.fromCharCode(65 + int(0, 25))}`,
        lastName: m.lastName,
        firstName,
        sex: m.sex,
        birthDate,
        birthPlace,
        familyId,
        relation: m.relation,
        relationSince: residence.since,
        residence,
        ...(m.year < 1950 && rnd() < 0.05
          ? { deathDate: isoDate(2025, int(1, 12), int(1, 28)) }
          : {}),
        health: {
          auraId: auraId++,
          asl: home.province === 'PG' ? '201' : '202',
          doctor: { ...doctor, since: isoDate(int(2010, 2024), int(1, 12), 1) },
          exemptions,
        },
      });
    }
    if (rnd() < 0.8) {
      const year = 2026;
      const isr = int(2000, 40000);
      const isp = int(0, 20000);
      const scale = [1, 1.57, 2.04, 2.46, 2.85][Math.min(4, size - 1)]!;
      const ise = isr + 0.2 * isp;
      pop.families.set(familyId, {
        familyId,
        isee: {
          protocol: `INPS-ISEE-${year}-${pad(int(0, 99_999_999), 8)}${String.fromCharCode(65 + int(0, 25))}-${pad(int(0, 99), 2)}`,
          presentedOn: isoDate(year, int(1, 3), int(1, 28)),
          validUntil: `${year}-12-31`,
          ise: round2(ise),
          scale,
          isee: round2(ise / scale),
          isr,
          isp,
        },
      });
    } else {
      pop.families.set(familyId, { familyId });
    }
  }
  return pop;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function emptyPopulation(municipalities: Municipality[]): Population {
  const persons: SimPerson[] = [];
  const byFamily = new Map<string, SimPerson[]>();
  const pop: Population = {
    persons,
    families: new Map(),
    byTaxCode: new Map(),
    byIdAnpr: new Map(),
    byAuraId: new Map(),
    municipalities,
    members: (id) => byFamily.get(id) ?? [],
    add(p) {
      persons.push(p);
      pop.byTaxCode.set(p.taxCode, p);
      pop.byIdAnpr.set(p.idAnpr, p);
      pop.byAuraId.set(p.health.auraId, p);
      const fam = byFamily.get(p.familyId) ?? [];
      fam.push(p);
      byFamily.set(p.familyId, fam);
    },
  };
  return pop;
}

/** A population given as JSON (the demo's own persons), in the shape `generatePopulation` makes. */
export function populationFromJson(json: {
  persons: SimPerson[];
  families: SimFamily[];
}): Population {
  const pop = emptyPopulation(loadMunicipalities());
  for (const p of json.persons) pop.add(p);
  for (const f of json.families) pop.families.set(f.familyId, f);
  return pop;
}
