import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Membership, maskedGroupsOf, ROLES, type SensitiveGroup } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { CaseworkError } from '../errors.ts';
import { verifyPassword } from '../operators/password.ts';
import { birthDateOf, computeTaxCode, parseTaxCode } from '../tax-code/tax-code.ts';
import { listMunicipalities } from '../territory/territory.store.ts';
import { countDemoPersons, generateDemo, isStoreEmpty, loadDemoRegion } from './demo.service.ts';
import {
  DEMO_PERSON,
  DEMO_PERSON_TERNI,
  DEMO_REFERENCE_DATE,
  demoPersonAt,
  demoPersonId,
  demoTerritory,
} from './demo-persons.ts';
import { DEMO_ACCOUNTS, DEMO_CLIENTS } from './demo-structure.ts';

const PASSWORD = 'segreto-di-prova';
const SEED = 11;
const PERSONS = 300;

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  expect(await isStoreEmpty(db)).toBe(true);
  await loadDemoRegion(db, { password: PASSWORD, persons: PERSONS, seed: SEED, batchSize: 100 });
});
afterAll(() => db.close());

type PersonRow = {
  id: string;
  tax_code: string;
  sex: 'M' | 'F';
  birth_date: string;
  birth_place_code: string;
  residence_municipality: string;
  owner_organization_id: string;
};

const generated = async (seed: number, n: number) =>
  db.query<PersonRow>(
    `SELECT id, tax_code, sex, birth_date, birth_place_code, residence_municipality, owner_organization_id
     FROM person WHERE id = ANY($1::uuid[])`,
    [Array.from({ length: n }, (_, i) => demoPersonId(seed, i))],
  );

const tableCounts = async () => {
  const tables = [
    'organization',
    'office',
    'contact_point',
    'desk_profile',
    'operator',
    'membership',
    'partner_client',
    'person',
    'consent',
  ];
  const counts: Record<string, number> = {};
  for (const t of tables) {
    counts[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n;
  }
  return counts;
};

describe('generateDemo: persons', () => {
  it('should store the requested persons plus the two fixed ones', async () => {
    expect(await isStoreEmpty(db)).toBe(false);
    expect(await generated(SEED, PERSONS)).toHaveLength(PERSONS);
    expect(await countDemoPersons(db, SEED, 10_000)).toBe(PERSONS);
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM person')) as [
      { n: number },
    ];
    expect(n).toBe(PERSONS + 2);
  });

  it('should store only codici fiscali that decode to the stored sex, birth date and place', async () => {
    const rows = await generated(SEED, PERSONS);
    for (const row of rows) {
      const parsed = parseTaxCode(row.tax_code);
      expect(parsed.ok, row.tax_code).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.sex).toBe(row.sex);
      expect(parsed.value.birthPlaceCode).toBe(row.birth_place_code);
      expect(birthDateOf(parsed.value, new Date(DEMO_REFERENCE_DATE))).toBe(row.birth_date);
    }
    expect(new Set(rows.map((r) => r.tax_code)).size).toBe(rows.length);
  });

  it('should give foreign-born persons a Z code of a known country, the others an Umbrian one', async () => {
    const rows = await db.query<{ abroad: boolean; known: boolean; n: number }>(
      `SELECT p.birth_place_code LIKE 'Z%' AS abroad,
              (f.belfiore_code IS NOT NULL OR m.istat_code IS NOT NULL) AS known, count(*)::int AS n
       FROM person p
       LEFT JOIN foreign_country f ON f.belfiore_code = p.birth_place_code
       LEFT JOIN municipality m ON m.cadastral_code = p.birth_place_code
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows.every((r) => r.known)).toBe(true);
    const abroad = rows.find((r) => r.abroad)?.n ?? 0;
    expect(abroad).toBeGreaterThan(PERSONS * 0.05);
    expect(abroad).toBeLessThan(PERSONS * 0.16);
  });

  it('should spread persons by population, owned by their municipality', async () => {
    const rows = await db.query<{ name: string; n: number }>(
      `SELECT m.name, count(*)::int AS n FROM person p
       JOIN municipality m ON m.istat_code = p.residence_municipality
       GROUP BY m.name ORDER BY n DESC, m.name LIMIT 2`,
    );
    expect(rows.map((r) => r.name)).toEqual(['Perugia', 'Terni']);
    const mismatched = await db.query(
      `SELECT p.id FROM person p JOIN organization o ON o.id = p.owner_organization_id
       WHERE o.kind <> 'MUNICIPALITY' OR o.municipality_code <> p.residence_municipality`,
    );
    expect(mismatched).toEqual([]);
  });

  it('should record consent for most persons, with their municipality', async () => {
    const [row] = await db.query<{ given: number; wrong_org: number }>(
      `SELECT count(*) FILTER (WHERE c.status = 'GIVEN' AND c.legal_basis = 'CONSENT')::int AS given,
              count(*) FILTER (WHERE c.organization_id <> p.owner_organization_id)::int AS wrong_org
       FROM consent c JOIN person p ON p.id = c.person_id`,
    );
    expect(row!.given).toBeGreaterThan(PERSONS * 0.75);
    expect(row!.given).toBeLessThan(PERSONS + 2);
    expect(row!.wrong_org).toBe(0);
  });

  it('should store the fixed demo persons with their computed codes', async () => {
    const rows = await db.query<{ tax_code: string; residence_municipality: string; org: string }>(
      `SELECT p.tax_code, p.residence_municipality, o.name AS org FROM person p
       JOIN organization o ON o.id = p.owner_organization_id WHERE p.id = ANY($1::uuid[]) ORDER BY p.tax_code`,
      [[DEMO_PERSON.id, DEMO_PERSON_TERNI.id]],
    );
    expect(rows).toEqual([
      { tax_code: DEMO_PERSON.taxCode, residence_municipality: '054039', org: 'Comune di Perugia' },
      {
        tax_code: DEMO_PERSON_TERNI.taxCode,
        residence_municipality: '055032',
        org: 'Comune di Terni',
      },
    ]);
  });
});

describe('generateDemo: runs again', () => {
  it('should add nothing when run a second time', async () => {
    const before = await tableCounts();
    const hashes = await db.query('SELECT username, password_hash FROM operator ORDER BY username');
    const result = await generateDemo(db, {
      password: 'another',
      persons: PERSONS,
      seed: SEED,
      batchSize: 100,
    });
    expect(result).toMatchObject({
      personsBefore: PERSONS,
      personsCreated: 0,
      operatorsCreated: 0,
      clientsCreated: 0,
    });
    expect(await tableCounts()).toEqual(before);
    expect(
      await db.query('SELECT username, password_hash FROM operator ORDER BY username'),
    ).toEqual(hashes);
  });

  it('should resume a stopped run without gaps or duplicates', async () => {
    const seed = 12;
    // Stop the run after its first batch (of 50) has been committed.
    const stopped = generateDemo(db, {
      password: PASSWORD,
      persons: 120,
      seed,
      batchSize: 50,
      onProgress: (done) => {
        if (done > 0) throw new Error('interrupted');
      },
    });
    await expect(stopped).rejects.toThrow('interrupted');
    expect(await countDemoPersons(db, seed, 1000)).toBe(50);

    const progress: number[] = [];
    const result = await generateDemo(db, {
      password: PASSWORD,
      persons: 120,
      seed,
      batchSize: 50,
      onProgress: (done) => progress.push(done),
    });
    expect(result).toMatchObject({ personsBefore: 50, personsCreated: 70, personsTotal: 120 });
    expect(progress).toEqual([50, 100, 120]);

    // Persons 0..119 are exactly the pure function's output, once each.
    const territory = demoTerritory(await listMunicipalities(db));
    const rows = await db.query<{
      id: string;
      first_name: string;
      last_name: string;
      birth_date: string;
    }>(`SELECT id, first_name, last_name, birth_date FROM person WHERE id = ANY($1::uuid[])`, [
      Array.from({ length: 130 }, (_, i) => demoPersonId(seed, i)),
    ]);
    expect(rows).toHaveLength(120);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (let i = 0; i < 120; i++) {
      const p = demoPersonAt(territory, seed, i);
      expect(byId.get(p.id)).toEqual({
        id: p.id,
        first_name: p.firstName,
        last_name: p.lastName,
        birth_date: p.birthDate,
      });
    }
  });

  it('should give the next omocodia level to a person whose code is taken', async () => {
    const seed = 13;
    const territory = demoTerritory(await listMunicipalities(db));
    const first = demoPersonAt(territory, seed, 0);
    const plain = computeTaxCode(first);
    // Someone typed in earlier holds person 0's code.
    await db.query(
      `INSERT INTO person (tax_code, first_name, last_name) VALUES ($1, 'Omonimo', 'Registrato')`,
      [plain],
    );
    await generateDemo(db, { password: PASSWORD, persons: 3, seed });
    const [row] = await db.query<{ tax_code: string }>(
      'SELECT tax_code FROM person WHERE id = $1',
      [first.id],
    );
    expect(row!.tax_code).toBe(computeTaxCode(first, 1));
    expect(row!.tax_code).not.toBe(plain);
    const parsed = parseTaxCode(row!.tax_code);
    expect(parsed.ok && parsed.value.omocode).toBe(true);
    expect(parsed.ok && birthDateOf(parsed.value, new Date(DEMO_REFERENCE_DATE))).toBe(
      first.birthDate,
    );
  });

  it('should give the same persons and codes for the same seed in another store', async () => {
    const other = await createTestDb();
    try {
      await loadDemoRegion(other, { password: PASSWORD, persons: PERSONS, seed: SEED });
      const query = `SELECT id, tax_code, first_name, last_name, residence_municipality FROM person
                     WHERE id = ANY($1::uuid[]) ORDER BY id`;
      const ids = [Array.from({ length: PERSONS }, (_, i) => demoPersonId(SEED, i))];
      const here = await db.query(query, ids);
      expect(here).toHaveLength(PERSONS);
      expect(await other.query(query, ids)).toEqual(here);
    } finally {
      await other.close();
    }
  });

  it('should refuse bad options naming the field, writing nothing', async () => {
    const err = await generateDemo(db, { password: PASSWORD, persons: -1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CaseworkError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', field: 'persons' });
    await expect(generateDemo(db, { password: '', persons: 1 })).rejects.toMatchObject({
      field: 'password',
    });
  });

  it('should refuse to run before the territory is loaded, leaving the store empty', async () => {
    const empty = await createTestDb();
    try {
      await expect(generateDemo(empty, { password: PASSWORD, persons: 5 })).rejects.toThrow(
        /territory/,
      );
      expect(await empty.query('SELECT code FROM desk_profile')).toEqual([]);
      expect(await empty.query('SELECT id FROM organization')).toEqual([]);
      expect(await isStoreEmpty(empty)).toBe(true);
    } finally {
      await empty.close();
    }
  });
});

describe('generateDemo: organisation and accounts', () => {
  it('should nest region > zona sociale > comune, with an ASL and a provider under the region', async () => {
    const kinds = await db.query<{ kind: string; n: number }>(
      'SELECT kind, count(*)::int AS n FROM organization GROUP BY kind ORDER BY kind',
    );
    expect(kinds).toEqual([
      { kind: 'HEALTH_AUTHORITY', n: 1 },
      { kind: 'MUNICIPALITY', n: 92 },
      { kind: 'PROVIDER', n: 1 },
      { kind: 'REGION', n: 1 },
      { kind: 'UNION', n: 12 },
    ]);
    const chain = await db.query(
      `SELECT c.name AS comune, z.name AS zona, r.name AS regione
       FROM organization c JOIN organization z ON z.id = c.parent_id JOIN organization r ON r.id = z.parent_id
       WHERE c.name IN ('Comune di Perugia', 'Comune di San Venanzo') ORDER BY c.name`,
    );
    expect(chain).toEqual([
      { comune: 'Comune di Perugia', zona: 'Zona sociale 2 – Perugia', regione: 'Regione Umbria' },
      // San Venanzo (province of Terni) belongs to zone 4 with Marsciano.
      {
        comune: 'Comune di San Venanzo',
        zona: 'Zona sociale 4 – Marsciano',
        regione: 'Regione Umbria',
      },
    ]);
    const orphans = await db.query(
      `SELECT name FROM organization WHERE kind <> 'REGION' AND parent_id IS NULL`,
    );
    expect(orphans).toEqual([]);
  });

  it('should give every zone a first-level social service and a PUA, and zones 2 and 10 thematic offices', async () => {
    const offices = await db.query<{ zone: string; level: number; scope: string; name: string }>(
      `SELECT o.name AS zone, f.level, f.scope, f.name FROM office f JOIN organization o ON o.id = f.organization_id
       WHERE o.kind = 'UNION' AND f.level = 2 ORDER BY o.name, f.name`,
    );
    expect(offices).toEqual([
      {
        zone: 'Zona sociale 10 – Terni',
        level: 2,
        scope: 'THEMATIC',
        name: 'Inserimento lavorativo',
      },
      {
        zone: 'Zona sociale 10 – Terni',
        level: 2,
        scope: 'THEMATIC',
        name: 'Servizio affido e adozioni',
      },
      {
        zone: 'Zona sociale 2 – Perugia',
        level: 2,
        scope: 'THEMATIC',
        name: 'Inserimento lavorativo',
      },
      {
        zone: 'Zona sociale 2 – Perugia',
        level: 2,
        scope: 'THEMATIC',
        name: 'Servizio affido e adozioni',
      },
    ]);
    const [first] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM office WHERE level = 1 AND scope = 'TERRITORIAL' AND name = 'Servizio sociale professionale'`,
    );
    expect(first!.n).toBe(12);
    const points = await db.query<{ kind: string; profile: string; n: number }>(
      `SELECT kind, desk_profile_code AS profile, count(*)::int AS n FROM contact_point GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(points).toEqual([
      { kind: 'IMMIGRANT_DESK', profile: 'IMMIGRANT_DESK', n: 1 },
      { kind: 'PUA', profile: 'STANDARD', n: 12 },
      { kind: 'UDC', profile: 'STANDARD', n: 1 },
      { kind: 'URP', profile: 'PUBLIC_DESK', n: 1 },
    ]);
  });

  it('should create every demo account with its role, office and contact point, and cover every role', async () => {
    const rows = await db.query<{
      username: string;
      full_name: string;
      role: string;
      org: string;
      office: string;
      contact_point: string | null;
    }>(
      `SELECT op.username, op.full_name, m.role, org.name AS org, f.name AS office, cp.name AS contact_point
       FROM operator op JOIN membership m ON m.operator_id = op.id
       JOIN office f ON f.id = m.office_id JOIN organization org ON org.id = f.organization_id
       LEFT JOIN contact_point cp ON cp.id = m.contact_point_id ORDER BY op.username`,
    );
    expect(rows).toHaveLength(DEMO_ACCOUNTS.length);
    for (const a of DEMO_ACCOUNTS) {
      expect(rows.find((r) => r.username === a.username)).toEqual({
        username: a.username,
        full_name: a.fullName,
        role: a.role,
        org: a.organization,
        office: a.office,
        contact_point: a.contactPoint,
      });
    }
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(ROLES));
    for (const r of rows)
      expect(r.contact_point !== null, r.username).toBe(r.role === 'FRONT_DESK');
  });

  it('should hash the demo password once for every account and client', async () => {
    const hashes = await db.query<{ h: string }>(
      'SELECT password_hash AS h FROM operator UNION SELECT secret_hash FROM partner_client',
    );
    expect(hashes).toHaveLength(1);
    expect(await verifyPassword(hashes[0]!.h, PASSWORD)).toBe(true);
    expect(await verifyPassword(hashes[0]!.h, 'demo')).toBe(false);
  });

  it.each<[string, SensitiveGroup[]]>([
    ['sportello.perugia', []],
    ['udc.perugia', []],
    ['sportello.immigrati', ['HEALTH', 'JUDICIAL']],
    ['urp.perugia', ['HEALTH', 'JUDICIAL', 'PERMIT', 'ECONOMIC']],
    ['as.perugia', []],
  ])('should mask at the desk of %s exactly %j', async (username, masked) => {
    const rows = await db.query<{
      office_id: string;
      organization_id: string;
      role: Membership['role'];
      contact_point_id: string | null;
      masked_groups: SensitiveGroup[] | null;
    }>(
      `SELECT m.office_id, f.organization_id, m.role, m.contact_point_id, dp.masked_groups
       FROM membership m JOIN operator op ON op.id = m.operator_id JOIN office f ON f.id = m.office_id
       LEFT JOIN contact_point cp ON cp.id = m.contact_point_id
       LEFT JOIN desk_profile dp ON dp.code = cp.desk_profile_code WHERE op.username = $1`,
      [username],
    );
    const memberships: Membership[] = rows.map((r) => ({
      officeId: r.office_id,
      organizationId: r.organization_id,
      role: r.role,
      contactPointId: r.contact_point_id,
      maskedGroups: r.masked_groups ?? [],
    }));
    const actor = {
      kind: 'OPERATOR' as const,
      id: username,
      username,
      memberships,
      organizationIds: memberships.map((m) => m.organizationId),
      origin: { ip: null, userAgent: null },
    };
    expect([...maskedGroupsOf(actor)].sort()).toEqual([...masked].sort());
  });

  it('should create the partner clients with their organisations and scopes', async () => {
    const rows = await db.query<{ client_id: string; org: string; scopes: string[] }>(
      `SELECT c.client_id, o.name AS org, c.scopes FROM partner_client c
       JOIN organization o ON o.id = c.organization_id ORDER BY c.client_id`,
    );
    expect(rows).toEqual(
      DEMO_CLIENTS.map((c) => ({ client_id: c.clientId, org: c.organization, scopes: c.scopes })),
    );
    expect(rows.map((r) => r.client_id)).toEqual(['asl-umbria1', 'coop-provider', 'inps-waas']);
  });
});
