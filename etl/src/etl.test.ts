import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@hub/casework';
import { loadDemoRegion } from '@hub/casework/demo';
import { createTestDb } from '@hub/casework/testing';
import { createCubeEngine, openWarehouse, type Warehouse } from '@hub/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEtlRuns, runEtl } from './etl.ts';
import { exportWarehouse } from './export.ts';

const KEY = 'test-pseudonym-key-0123456789';
let db: Db;
let wh: Warehouse;
let dir: string;

beforeAll(async () => {
  db = await createTestDb();
  await loadDemoRegion(db, {
    password: 'x',
    persons: 400,
    batchSize: 400,
    intake: { recordsPerThousandResidents: 0.5 },
    cases: {},
  });
  dir = await mkdtemp(join(tmpdir(), 'wh-etl-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
}, 120_000);
afterAll(async () => {
  wh.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('full rebuild', () => {
  it('should load every live intake record and case file, and record the run', async () => {
    const result = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'FULL');
    expect(result.status).toBe('OK');
    const [pg] = await db.query<{ i: number; c: number }>(
      `SELECT (SELECT count(*)::int FROM intake_record WHERE deleted_at IS NULL) AS i,
              (SELECT count(*)::int FROM case_file) AS c`,
    );
    const [duck] = await wh.read(
      'SELECT (SELECT count(*) FROM main.fact_intake) AS i, (SELECT count(*) FROM main.fact_case) AS c',
    );
    expect(pg!.i).toBeGreaterThan(100);
    expect(duck).toEqual({ i: pg!.i, c: pg!.c });
    const runs = await listEtlRuns(db);
    expect(runs[0]).toMatchObject({ kind: 'FULL', status: 'OK' });
    expect((await wh.loadState())?.build).toBe(result.build);
  });
});

describe('pseudonymisation', () => {
  it('should leave no codice fiscale, person name or free text in any text column', async () => {
    const persons = await db.query<{ tax_code: string | null; full: string }>(
      `SELECT tax_code, first_name || ' ' || last_name AS full FROM person
        WHERE first_name IS NOT NULL LIMIT 200`,
    );
    const [summary] = await db.query<{ s: string }>(
      `SELECT summary AS s FROM intake_record WHERE length(summary) > 20 LIMIT 1`,
    );
    const needles = [
      ...persons.flatMap((p) => [p.tax_code, p.full]).filter((s): s is string => !!s),
      ...(summary ? [summary.s.slice(0, 20)] : []),
    ];
    expect(needles.length).toBeGreaterThan(100);
    const columns = await wh.read(
      `SELECT schema_name, table_name, column_name FROM duckdb_columns()
        WHERE data_type = 'VARCHAR' AND database_name = current_database()`,
    );
    expect(columns.length).toBeGreaterThan(20);
    for (const col of columns) {
      const [hit] = await wh.read(
        `SELECT count(*) AS n FROM (SELECT DISTINCT "${col.column_name}" AS v FROM "${col.schema_name}"."${col.table_name}") t,
           (SELECT unnest(string_split($1, '|')) AS needle) x WHERE contains(t.v, x.needle)`,
        [needles.join('|')],
      );
      expect({ ...col, hits: hit!.n }).toEqual({ ...col, hits: 0 });
    }
  });
});

describe('cubes over the loaded warehouse', () => {
  const everyone = { scope: { all: true as const }, protected: false };
  it('should count intake records and persons per zona sociale as the case store does', async () => {
    const engine = createCubeEngine(wh);
    const answer = await engine.load(
      { measures: ['intake.count', 'intake.persons'], dimensions: ['intake.district'] },
      everyone,
    );
    const pg = await db.query<{ district: string; count: number; persons: number }>(
      `SELECT d.region_code || '-' || lpad(d.number::text, 2, '0') AS district, count(*)::int AS count,
              count(DISTINCT coalesce(p.tax_code, p.id::text))::int AS persons
         FROM intake_record r JOIN organization o ON o.id = r.organization_id
         LEFT JOIN person p ON p.id = r.subject_person_id AND p.deleted_at IS NULL
         LEFT JOIN municipality m ON m.istat_code = coalesce(p.residence_municipality, o.municipality_code)
         LEFT JOIN social_district d ON d.id = coalesce(m.social_district_id, o.social_district_id)
        WHERE r.deleted_at IS NULL GROUP BY 1`,
    );
    const got = Object.fromEntries(
      answer.results[0]!.data.map((r) => [
        r['intake.district'],
        [r['intake.count'], r['intake.persons']],
      ]),
    );
    expect(got).toEqual(Object.fromEntries(pg.map((r) => [r.district, [r.count, r.persons]])));
    expect(answer.results[0]!.provenance.source).toBe('rollup:monthlyTerritory');
    const raw = await createCubeEngine(wh, { rollups: false }).load(
      { measures: ['intake.count', 'intake.persons'], dimensions: ['intake.district'] },
      everyone,
    );
    expect(raw.results[0]!.data).toEqual(answer.results[0]!.data);
    expect(raw.results[0]!.provenance.source).toBe('table:main.fact_intake');
  });

  it('should count open and closed case files by status as the case store does', async () => {
    const engine = createCubeEngine(wh);
    const answer = await engine.load(
      {
        measures: ['cases.count', 'cases.open', 'cases.closed', 'cases.avgDurationDays'],
        dimensions: ['cases.status'],
      },
      everyone,
    );
    const pg = await db.query<{ status: string; n: number; d: number | null }>(
      `SELECT status, count(*)::int AS n, avg(closed_on - opened_on)::float AS d FROM case_file GROUP BY 1`,
    );
    expect(answer.results[0]!.data.length).toBe(pg.length);
    for (const r of pg) {
      const row = answer.results[0]!.data.find((x) => x['cases.status'] === r.status)!;
      expect(row['cases.count']).toBe(r.n);
      expect(row['cases.open']).toBe(r.status === 'CLOSED' ? 0 : r.n);
      if (r.d !== null) expect(row['cases.avgDurationDays']).toBeCloseTo(r.d, 5);
    }
  });
});

describe('Parquet export', () => {
  it('should write facts by year and zona sociale with a manifest, and read back to the same totals', async () => {
    const out = join(dir, 'export');
    const manifest = await exportWarehouse(wh, out);
    const intake = manifest.tables.find((t) => t.name === 'fact_intake')!;
    expect(intake.partitionedBy).toEqual(['year', 'district_code']);
    expect(
      intake.files.some((f) =>
        /^fact_intake\/year=\d{4}\/district_code=10-\d\d\/.+\.parquet$/.test(f),
      ),
    ).toBe(true);
    const [back] = await wh.read(
      `SELECT count(*) AS n, count(DISTINCT person_key) AS p FROM read_parquet('${out}/fact_intake/**/*.parquet', hive_partitioning = true)`,
    );
    const cube = await createCubeEngine(wh).load(
      { measures: ['intake.count', 'intake.persons'] },
      { scope: { all: true }, protected: false },
    );
    expect(back).toEqual({
      n: cube.results[0]!.data[0]!['intake.count'],
      p: cube.results[0]!.data[0]!['intake.persons'],
    });
    expect(intake.rows).toBe(back!.n);
  });
});

describe('precomputed protected cells', () => {
  const year = String(new Date().getUTCFullYear());
  const q = {
    measures: ['intake.count', 'intake.persons'],
    dimensions: ['intake.district'],
    timeDimensions: [
      { dimension: 'intake.occurredAt', dateRange: [`${year}-01-01`, `${year}-12-31`] },
    ],
  };
  const stripped = (r: Awaited<ReturnType<ReturnType<typeof createCubeEngine>['load']>>) =>
    r.results.map((x) => ({
      data: x.data,
      disclosure: x.disclosure,
      loadedAt: x.provenance.loadedAt,
    }));

  it("should precompute the readers' scopes with the load, and replace them with an incremental run", async () => {
    const fast = createCubeEngine(wh);
    const live = createCubeEngine(wh, { precomputed: false });
    const scopesOf = async () =>
      (
        await wh.read("SELECT DISTINCT scope FROM main.sdc_cells WHERE cube = 'intake' ORDER BY 1")
      ).map((r) => JSON.parse(String(r.scope)));
    const scopes = await scopesOf();
    // The demo's managers of two zone sociali and the regional planner, at least.
    expect(scopes.some((s) => s.regions.length > 0)).toBe(true);
    expect(scopes.filter((s) => s.districts.length > 0).length).toBeGreaterThanOrEqual(2);
    const compare = async () => {
      for (const scope of scopes) {
        const v = { scope, protected: true };
        const a = await fast.load(q, v);
        expect(a.results[0]!.provenance.protectedCells).toBe('precomputed');
        expect(stripped(a)).toEqual(stripped(await live.load(q, v)));
      }
    };
    await compare();
    const planner = { scope: scopes.find((s) => s.regions.length > 0), protected: true };
    const total = async () =>
      (await live.load({ measures: ['intake.count'] }, { scope: { all: true }, protected: false }))
        .results[0]!.data[0]!['intake.count'];
    const before = await total();
    // A record committed in the case store: the incremental run brings it with its cells.
    await db.query(
      `INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel,
         access_kind, legal_basis, interlocutor_kind, status)
       SELECT organization_id, office_id, contact_point_id, now(), 'PHONE', 'ANONYMOUS', 'NONE',
         'OTHER', 'OPEN' FROM intake_record LIMIT 1`,
    );
    const run = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
    expect(run).toMatchObject({ kind: 'INCREMENTAL', status: 'OK' });
    expect(await total()).toBe(Number(before) + 1);
    expect(await scopesOf()).toEqual(scopes);
    await compare();
    const after = await fast.load(q, planner);
    expect(after.results[0]!.provenance.loadedAt).toBe(
      (await wh.loadState())!.loadedAt.toISOString(),
    );
  });
});
