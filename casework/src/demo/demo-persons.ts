import type { Queryable } from '../db/db.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import type { Municipality } from '../territory/territory.types.ts';
import {
  cohortOf,
  FOREIGN_NAMES,
  ITALIAN_FIRST_NAMES,
  ITALIAN_LAST_NAMES,
  type NameGroup,
  STREETS,
} from './names.ts';
import { createRandom, mixSeed, type Random, uuidFromName } from './prng.ts';

// The generator is a pure function of (seed, index): person i never depends on persons < i, so a
// run can stop anywhere and resume. Only the omocodia level of the codice fiscale depends on the
// store (on the codes already taken), and that is resolved at insert time, in index order.

/** Ages are computed against this day, not today, so that the same seed gives the same data. */
export const DEMO_REFERENCE_DATE = '2026-01-01';
const REFERENCE_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.2425;
const REGISTRATION_FROM_MS = Date.UTC(2018, 0, 1);
const REGISTRATION_TO_MS = Date.UTC(2025, 11, 31);

type Source = 'ANPR' | 'MUNICIPAL_REGISTRY' | 'TYPED';

export type DemoPerson = {
  index: number;
  id: string;
  firstName: string;
  lastName: string;
  sex: 'M' | 'F';
  birthDate: string;
  /** Belfiore code: an Umbrian municipality or a foreign country (Z…). */
  birthPlaceCode: string;
  /** ISO 3166-1 alpha-3 (ITA for Italian citizens). */
  citizenship: string;
  residenceMunicipality: string;
  residenceAddress: string;
  phone: string | null;
  email: string | null;
  permitType: string | null;
  permitExpiry: string | null;
  fieldSources: Record<string, Source>;
  /** Day the person was first registered (created_at) and, for most, gave consent. */
  registeredAt: string;
  consentGiven: boolean;
};

/** Kinds of Italian residence permit (permesso di soggiorno) and how long each is issued for. */
export const PERMIT_TYPES = {
  WORK: 'Permesso di soggiorno per lavoro subordinato',
  FAMILY: 'Permesso di soggiorno per motivi familiari',
  ASYLUM: 'Permesso di soggiorno per asilo',
  SUBSIDIARY: 'Permesso di soggiorno per protezione sussidiaria',
  STUDY: 'Permesso di soggiorno per studio',
  LONG_TERM: 'Permesso di soggiorno UE per soggiornanti di lungo periodo',
} as const;
type PermitKind = keyof typeof PERMIT_TYPES;
const PERMIT_YEARS: Record<PermitKind, number> = {
  WORK: 2,
  FAMILY: 2,
  ASYLUM: 5,
  SUBSIDIARY: 5,
  STUDY: 1,
  // The status is permanent; the date is the expiry of the document, renewed every ten years.
  LONG_TERM: 10,
};

/**
 * Countries of birth of the foreign-born, with illustrative weights shaped like the main foreign
 * communities in Umbria (not statistics). Z codes and ISO codes are those of foreign_country.
 */
export const ORIGINS: readonly {
  code: string;
  iso3: string;
  names: keyof typeof FOREIGN_NAMES;
  eu: boolean;
  weight: number;
}[] = [
  { code: 'Z129', iso3: 'ROU', names: 'romanian', eu: true, weight: 24 },
  { code: 'Z100', iso3: 'ALB', names: 'albanian', eu: false, weight: 13 },
  { code: 'Z330', iso3: 'MAR', names: 'maghrebi', eu: false, weight: 9 },
  { code: 'Z138', iso3: 'UKR', names: 'ukrainian', eu: false, weight: 7 },
  { code: 'Z605', iso3: 'ECU', names: 'hispanic', eu: false, weight: 4 },
  { code: 'Z148', iso3: 'MKD', names: 'albanian', eu: false, weight: 4 },
  { code: 'Z140', iso3: 'MDA', names: 'romanian', eu: false, weight: 4 },
  { code: 'Z210', iso3: 'CHN', names: 'chinese', eu: false, weight: 3 },
  { code: 'Z127', iso3: 'POL', names: 'polish', eu: true, weight: 3 },
  { code: 'Z216', iso3: 'PHL', names: 'filipino', eu: false, weight: 2 },
  { code: 'Z222', iso3: 'IND', names: 'indian', eu: false, weight: 2 },
  { code: 'Z335', iso3: 'NGA', names: 'nigerian', eu: false, weight: 2 },
  { code: 'Z611', iso3: 'PER', names: 'hispanic', eu: false, weight: 2 },
  { code: 'Z352', iso3: 'TUN', names: 'maghrebi', eu: false, weight: 1.5 },
  { code: 'Z301', iso3: 'DZA', names: 'maghrebi', eu: false, weight: 1 },
  { code: 'Z604', iso3: 'COL', names: 'hispanic', eu: false, weight: 1 },
];
const ORIGIN_WEIGHTS = ORIGINS.map((o) => [o, o.weight] as const);

/** Age bands [from, to] in years with their weight: roughly Umbria's population pyramid. */
const AGE_BANDS_NATIVE = [
  [[0, 5], 5],
  [[6, 17], 10],
  [[18, 34], 15],
  [[35, 49], 18],
  [[50, 64], 22],
  [[65, 79], 18],
  [[80, 97], 12],
] as const;
const AGE_BANDS_FOREIGN_BORN = [
  [[0, 17], 12],
  [[18, 34], 30],
  [[35, 49], 32],
  [[50, 64], 18],
  [[65, 80], 8],
] as const;

const BORN_ABROAD = 0.1;
const NATURALISED = 0.2;
const BORN_IN_OWN_MUNICIPALITY = 0.7;
const CONSENT_GIVEN = 0.88;

export type DemoTerritory = {
  /** Sorted by ISTAT code: the order is part of the generator's determinism. */
  municipalities: readonly Pick<Municipality, 'istatCode' | 'cadastralCode' | 'population'>[];
  /** Cumulative population share, ending at 1. */
  cumulative: Float64Array;
};

export function demoTerritory(
  municipalities: readonly Pick<Municipality, 'istatCode' | 'cadastralCode' | 'population'>[],
): DemoTerritory {
  const sorted = [...municipalities].sort((a, b) => a.istatCode.localeCompare(b.istatCode));
  const total = sorted.reduce((sum, m) => sum + (m.population ?? 0), 0);
  if (sorted.length === 0 || total <= 0) throw new Error('territory not loaded: no municipalities');
  const cumulative = new Float64Array(sorted.length);
  let running = 0;
  sorted.forEach((m, i) => {
    running += m.population ?? 0;
    cumulative[i] = running / total;
  });
  cumulative[sorted.length - 1] = 1;
  return { municipalities: sorted, cumulative };
}

function municipalityAt(territory: DemoTerritory, u: number) {
  const c = territory.cumulative;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return territory.municipalities[lo]!;
}

const GOLDEN = 0.6180339887498949;

/** Stable id of generated person `index` of `seed`. */
export const demoPersonId = (seed: number, index: number) =>
  uuidFromName(`siso-demo:person:${seed}:${index}`);
const demoConsentId = (personId: string) => uuidFromName(`siso-demo:consent:${personId}`);

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function birthDate(r: Random, bands: typeof AGE_BANDS_NATIVE | typeof AGE_BANDS_FOREIGN_BORN) {
  const [from, to] = r.weighted(bands.map(([band, w]) => [band, w] as const));
  const ageDays = Math.floor((from + r.next() * (to - from + 1)) * YEAR_DAYS);
  return REFERENCE_MS - (ageDays + 1) * DAY_MS;
}

const asciiLower = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** Generated person `index` of `seed`: the same arguments always give the same person. */
export function demoPersonAt(territory: DemoTerritory, seed: number, index: number): DemoPerson {
  const r = createRandom(seed, index);
  // Residence by a low-discrepancy sequence over the population: even small runs are proportional.
  const offset = mixSeed(seed, 0xffffffff) / 4294967296;
  const home = municipalityAt(territory, (offset + index * GOLDEN) % 1);
  const sex: 'M' | 'F' = r.chance(0.515) ? 'F' : 'M';
  const bornAbroad = r.chance(BORN_ABROAD);

  let firstName: string;
  let lastName: string;
  let birthMs: number;
  let birthPlaceCode: string;
  let citizenship = 'ITA';
  let permit: PermitKind | null = null;
  if (bornAbroad) {
    const origin = r.weighted(ORIGIN_WEIGHTS);
    const names: NameGroup = FOREIGN_NAMES[origin.names]!;
    firstName = r.pick(names[sex]);
    lastName = r.pick(names.last);
    birthMs = birthDate(r, AGE_BANDS_FOREIGN_BORN);
    birthPlaceCode = origin.code;
    if (!r.chance(NATURALISED)) {
      citizenship = origin.iso3;
      const minor = REFERENCE_MS - birthMs < 18 * YEAR_DAYS * DAY_MS;
      if (!origin.eu) {
        permit = minor
          ? 'FAMILY'
          : r.weighted<PermitKind>([
              ['WORK', 30],
              ['FAMILY', 27],
              ['LONG_TERM', 28],
              ['ASYLUM', 6],
              ['SUBSIDIARY', 4],
              ['STUDY', 5],
            ]);
      }
    }
  } else {
    birthMs = birthDate(r, AGE_BANDS_NATIVE);
    const year = new Date(birthMs).getUTCFullYear();
    firstName = r.pick(ITALIAN_FIRST_NAMES[sex][cohortOf(year)]);
    lastName = r.pick(ITALIAN_LAST_NAMES);
    // Most were born in their own town; the others mostly where the hospitals are, which the
    // population weight approximates.
    birthPlaceCode = r.chance(BORN_IN_OWN_MUNICIPALITY)
      ? home.cadastralCode
      : municipalityAt(territory, r.next()).cadastralCode;
  }

  let permitExpiry: string | null = null;
  if (permit) {
    // Some permits have just expired and are being renewed.
    const days = r.int(-120, Math.floor(PERMIT_YEARS[permit] * YEAR_DAYS));
    permitExpiry = isoDay(REFERENCE_MS + days * DAY_MS);
  }

  const adult = REFERENCE_MS - birthMs >= 14 * YEAR_DAYS * DAY_MS;
  const phone =
    adult && r.chance(0.55)
      ? `3${r.pick(['20', '28', '33', '35', '38', '39', '40', '45', '47', '49'])}${String(r.int(1_000_000, 9_999_999))}`
      : null;
  const email =
    adult && r.chance(0.25)
      ? `${asciiLower(firstName)}.${asciiLower(lastName)}${r.chance(0.5) ? r.int(1, 99) : ''}@example.org`
      : null;

  const identity = r.weighted<Source>([
    ['ANPR', 60],
    ['MUNICIPAL_REGISTRY', 25],
    ['TYPED', 15],
  ]);
  const fieldSources: Record<string, Source> = {
    taxCode: identity,
    firstName: identity,
    lastName: identity,
    sex: identity,
    birthDate: identity,
    birthPlaceCode: identity,
    citizenship: identity,
    residenceMunicipality: identity,
    residenceAddress: identity,
  };
  if (phone) fieldSources.phone = 'TYPED';
  if (email) fieldSources.email = 'TYPED';
  if (permit) {
    fieldSources.permitType = 'TYPED';
    fieldSources.permitExpiry = 'TYPED';
  }

  const registeredFrom = Math.max(REGISTRATION_FROM_MS, birthMs + DAY_MS);
  const registeredDay = Math.floor(
    (registeredFrom + r.next() * (REGISTRATION_TO_MS - registeredFrom)) / DAY_MS,
  );
  const registeredAt = new Date(
    registeredDay * DAY_MS + r.int(8 * 60, 13 * 60) * 60_000,
  ).toISOString();

  return {
    index,
    id: demoPersonId(seed, index),
    firstName,
    lastName,
    sex,
    birthDate: isoDay(birthMs),
    birthPlaceCode,
    citizenship,
    residenceMunicipality: home.istatCode,
    residenceAddress: `${r.pick(STREETS)} ${r.int(1, 150)}`,
    phone,
    email,
    permitType: permit ? PERMIT_TYPES[permit] : null,
    permitExpiry,
    fieldSources,
    registeredAt,
    consentGiven: r.chance(CONSENT_GIVEN),
  };
}

/** Highest omocodia level the batch look-up covers; rarer collisions are checked one by one. */
const PREFETCHED_LEVELS = 3;

/**
 * Gives every person its codice fiscale: the plain code, or, when someone (an earlier person of
 * this batch or anyone in the store) holds it already, the next omocodia level, as the Agenzia
 * delle Entrate does.
 */
async function assignTaxCodes(q: Queryable, persons: readonly DemoPerson[]): Promise<string[]> {
  const candidates = persons.map((p) =>
    Array.from({ length: PREFETCHED_LEVELS }, (_, level) => computeTaxCode(p, level)),
  );
  const rows = await q.query<{ tax_code: string }>(
    'SELECT tax_code FROM person WHERE tax_code = ANY($1::bpchar[])',
    [candidates.flat()],
  );
  const taken = new Set(rows.map((r) => r.tax_code));
  const codes: string[] = [];
  for (const [i, p] of persons.entries()) {
    let code: string | undefined;
    for (let level = 0; level <= 7 && !code; level++) {
      const candidate =
        level < PREFETCHED_LEVELS ? candidates[i]![level]! : computeTaxCode(p, level);
      if (taken.has(candidate)) continue;
      if (level >= PREFETCHED_LEVELS) {
        const hit = await q.query('SELECT 1 FROM person WHERE tax_code = $1', [candidate]);
        if (hit.length > 0) continue;
      }
      code = candidate;
    }
    if (!code) throw new Error(`no free omocodia level for generated person ${p.index}`);
    taken.add(code);
    codes.push(code);
  }
  return codes;
}

/** Inserts generated persons (and their consents) with one statement each; existing ids are skipped. */
export async function insertDemoPersons(
  q: Queryable,
  persons: readonly DemoPerson[],
  organizationOf: ReadonlyMap<string, string>,
): Promise<void> {
  if (persons.length === 0) return;
  const taxCodes = await assignTaxCodes(q, persons);
  const owner = (p: DemoPerson) => {
    const id = organizationOf.get(p.residenceMunicipality);
    if (!id) throw new Error(`no organisation for municipality ${p.residenceMunicipality}`);
    return id;
  };
  const owners = persons.map(owner);
  await q.query(
    `INSERT INTO person (id, tax_code, first_name, last_name, sex, birth_date, birth_place_code,
       citizenship, residence_municipality, residence_address, phone, email, permit_type,
       permit_expiry, field_sources, owner_organization_id, created_at, updated_at)
     SELECT id, tax_code, first_name, last_name, sex, birth_date, birth_place_code,
       citizenship, residence_municipality, residence_address, phone, email, permit_type,
       permit_expiry, field_sources::jsonb, owner_organization_id, created_at, created_at
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[],
       $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
       $14::date[], $15::text[], $16::uuid[], $17::timestamptz[])
       AS t(id, tax_code, first_name, last_name, sex, birth_date, birth_place_code,
         citizenship, residence_municipality, residence_address, phone, email, permit_type,
         permit_expiry, field_sources, owner_organization_id, created_at)
     ON CONFLICT (id) DO NOTHING`,
    [
      persons.map((p) => p.id),
      taxCodes,
      persons.map((p) => p.firstName),
      persons.map((p) => p.lastName),
      persons.map((p) => p.sex),
      persons.map((p) => p.birthDate),
      persons.map((p) => p.birthPlaceCode),
      persons.map((p) => p.citizenship),
      persons.map((p) => p.residenceMunicipality),
      persons.map((p) => p.residenceAddress),
      persons.map((p) => p.phone),
      persons.map((p) => p.email),
      persons.map((p) => p.permitType),
      persons.map((p) => p.permitExpiry),
      persons.map((p) => JSON.stringify(p.fieldSources)),
      owners,
      persons.map((p) => p.registeredAt),
    ],
  );
  const consenting = persons.flatMap((p, i) => (p.consentGiven ? [{ p, org: owners[i]! }] : []));
  if (consenting.length === 0) return;
  await q.query(
    `INSERT INTO consent (id, person_id, organization_id, status, legal_basis, decided_on, recorded_at)
     SELECT id, person_id, organization_id, 'GIVEN', 'CONSENT', decided_on, recorded_at
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::timestamptz[])
       AS t(id, person_id, organization_id, decided_on, recorded_at)
     ON CONFLICT (id) DO NOTHING`,
    [
      consenting.map(({ p }) => demoConsentId(p.id)),
      consenting.map(({ p }) => p.id),
      consenting.map(({ org }) => org),
      consenting.map(({ p }) => p.registeredAt.slice(0, 10)),
      consenting.map(({ p }) => p.registeredAt),
    ],
  );
}

/** The fixed persons docs and tests rely on. */
type FixedPerson = Omit<DemoPerson, 'index' | 'consentGiven'> & { taxCode: string };

function fixedPerson(
  key: string,
  p: Omit<FixedPerson, 'id' | 'taxCode' | 'fieldSources'>,
): FixedPerson {
  return {
    ...p,
    id: uuidFromName(`siso-demo:person:fixed:${key}`),
    taxCode: computeTaxCode(p),
    fieldSources: Object.fromEntries(
      [
        'taxCode',
        'firstName',
        'lastName',
        'sex',
        'birthDate',
        'birthPlaceCode',
        'citizenship',
        'residenceMunicipality',
        'residenceAddress',
      ].map((f) => [f, 'ANPR' as const]),
    ),
  };
}

/** Maria Bianchi, born in Perugia on 12 March 1948, resident in Perugia (zona sociale 2). */
export const DEMO_PERSON: FixedPerson = fixedPerson('maria-bianchi', {
  firstName: 'Maria',
  lastName: 'Bianchi',
  sex: 'F',
  birthDate: '1948-03-12',
  birthPlaceCode: 'G478',
  citizenship: 'ITA',
  residenceMunicipality: '054039',
  residenceAddress: 'Via dei Filosofi 12',
  phone: null,
  email: null,
  permitType: null,
  permitExpiry: null,
  registeredAt: '2024-02-05T09:30:00.000Z',
});

/** Giuseppe Ferri, born in Terni on 22 July 1961, resident in Terni (zona sociale 10). */
export const DEMO_PERSON_TERNI: FixedPerson = fixedPerson('giuseppe-ferri', {
  firstName: 'Giuseppe',
  lastName: 'Ferri',
  sex: 'M',
  birthDate: '1961-07-22',
  birthPlaceCode: 'L117',
  citizenship: 'ITA',
  residenceMunicipality: '055032',
  residenceAddress: 'Corso Tacito 40',
  phone: null,
  email: null,
  permitType: null,
  permitExpiry: null,
  registeredAt: '2024-03-11T10:15:00.000Z',
});

/** Inserts the fixed persons with consent to their municipality, unless their code is taken. */
export async function insertFixedPersons(
  q: Queryable,
  organizationOf: ReadonlyMap<string, string>,
): Promise<void> {
  for (const p of [DEMO_PERSON, DEMO_PERSON_TERNI]) {
    const org = organizationOf.get(p.residenceMunicipality);
    const inserted = await q.query(
      `INSERT INTO person (id, tax_code, first_name, last_name, sex, birth_date, birth_place_code,
         citizenship, residence_municipality, residence_address, field_sources,
         owner_organization_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        p.id,
        p.taxCode,
        p.firstName,
        p.lastName,
        p.sex,
        p.birthDate,
        p.birthPlaceCode,
        p.citizenship,
        p.residenceMunicipality,
        p.residenceAddress,
        JSON.stringify(p.fieldSources),
        org,
        p.registeredAt,
      ],
    );
    if (inserted.length === 0) continue;
    await q.query(
      `INSERT INTO consent (id, person_id, organization_id, status, legal_basis, decided_on, recorded_at)
       VALUES ($1, $2, $3, 'GIVEN', 'CONSENT', $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [demoConsentId(p.id), p.id, org, p.registeredAt.slice(0, 10), p.registeredAt],
    );
  }
}
