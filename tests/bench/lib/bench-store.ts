import { computeTaxCode, type DbConfig, migrate, openDb } from '@hub/casework';
import { seedFixture } from '@hub/casework/testing';

const FIRST_NAMES = {
  F: ['Maria', 'Anna', 'Giulia', 'Francesca', 'Sara', 'Laura', 'Elena', 'Chiara', 'Paola', 'Rita'],
  M: ['Marco', 'Luca', 'Giuseppe', 'Andrea', 'Paolo', 'Stefano', 'Franco', 'Mario', 'Ahmed', 'Ion'],
} as const;
const LAST_NAMES = [
  'Rossi',
  'Bianchi',
  'Ferri',
  'Mancini',
  'Cecchetti',
  'Bartolini',
  'Pannacci',
  'Sorbelli',
  'Rinaldi',
  'Conti',
  'Marchetti',
  'Mariani',
  'Galli',
  'Bellucci',
  'Proietti',
  'Morettini',
  'Diallo',
  'Popescu',
  'Hoxha',
  'El Amrani',
];
// Born in the fixture's municipalities, or abroad (Senegal, Romania, Albania, Morocco).
const BIRTH_PLACES = ['G478', 'G478', 'C990', 'L117', 'Z343', 'Z129', 'Z100', 'Z330'];

// Deterministic: the same persons on every run (mulberry32).
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type BenchStore = {
  /** Persons in the store (fixture + generated). */
  persons: number;
  frontDeskUsername: string;
  /** Codici fiscali of persons owned by the front-desk operator's organisation. */
  visibleTaxCodes: string[];
  /** One codice fiscale of a person of another organisation (null to the front desk, audited DENIED). */
  hiddenTaxCode: string;
};

/**
 * Fills an empty store (a PGlite data folder, or a PostgreSQL schema): migrated, seeded with the
 * test fixture, plus `extraPersons` generated persons (valid codici fiscali, ~60% owned by the
 * Perugia zone and the rest by Terni) inserted with one INSERT … SELECT unnest(…).
 */
export async function prepareBenchStore(
  config: DbConfig,
  extraPersons: number,
): Promise<BenchStore> {
  const db = await openDb(config);
  try {
    await migrate(db);
    const fixture = await db.transaction((tx) => seedFixture(tx));
    const random = prng(20_240_603);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const seen = new Set(Object.values(fixture.persons).map((p) => p.taxCode));
    const cols = {
      taxCode: [] as string[],
      firstName: [] as string[],
      lastName: [] as string[],
      sex: [] as string[],
      birthDate: [] as string[],
      birthPlace: [] as string[],
      residence: [] as string[],
      owner: [] as string[],
    };
    while (cols.taxCode.length < extraPersons) {
      const sex = random() < 0.5 ? 'F' : 'M';
      const firstName = pick(FIRST_NAMES[sex]);
      const lastName = pick(LAST_NAMES);
      const day = new Date(Date.UTC(1930, 0, 1) + Math.floor(random() * 80 * 365.25) * 86_400_000);
      const birthDate = day.toISOString().slice(0, 10);
      const birthPlaceCode = pick(BIRTH_PLACES);
      const taxCode = computeTaxCode({ firstName, lastName, sex, birthDate, birthPlaceCode });
      if (seen.has(taxCode)) continue;
      seen.add(taxCode);
      const perugia = random() < 0.6;
      cols.taxCode.push(taxCode);
      cols.firstName.push(firstName);
      cols.lastName.push(lastName);
      cols.sex.push(sex);
      cols.birthDate.push(birthDate);
      cols.birthPlace.push(birthPlaceCode);
      cols.residence.push(perugia ? (random() < 0.8 ? '054039' : '054012') : '055032');
      cols.owner.push(perugia ? fixture.organizations.perugia : fixture.organizations.terni);
    }
    await db.query(
      `INSERT INTO person (tax_code, first_name, last_name, sex, birth_date, birth_place_code,
         residence_municipality, owner_organization_id, field_sources)
       SELECT t, f, l, s, b, p, r, o, '{"taxCode":"ANPR"}'::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[],
                     $7::text[], $8::uuid[]) AS u(t, f, l, s, b, p, r, o)`,
      [
        cols.taxCode,
        cols.firstName,
        cols.lastName,
        cols.sex,
        cols.birthDate,
        cols.birthPlace,
        cols.residence,
        cols.owner,
      ],
    );
    await db.exec('ANALYZE person');
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM person');
    const visible = cols.taxCode.filter((_, i) => cols.owner[i] === fixture.organizations.perugia);
    return {
      persons: count!.n,
      frontDeskUsername: 'sportello.pg',
      visibleTaxCodes: [fixture.persons.perugia.taxCode, ...visible.slice(0, 255)],
      hiddenTaxCode: fixture.persons.terni.taxCode,
    };
  } finally {
    await db.close();
  }
}
