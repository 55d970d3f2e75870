// The warehouse (issue 10): full rebuild rate, freshness (a committed change in the case store to
// its effect on a /cubejs-api/v1/load answer) and the cruscotti's queries through Cube's REST API
// (rollups, row-level security and disclosure control included), beside the same aggregates run
// on PostgreSQL over the case store and on DuckDB's raw fact tables without rollups. Options:
//   BENCH_DATABASE_URL=postgres://…  the case store (default: the local PostgreSQL 15); a fresh
//                                    schema, dropped after
//   BENCH_WAREHOUSE_SCALE=1          1 = 2,000,000 intake records and 500,000 case files (the
//                                    issue's sizes); 0.05 for a quick run
//   BENCH_QUERY_RUNS=30              timed runs of each query through REST (PostgreSQL: a fifth)
//   BENCH_WAREHOUSE_DELIVERIES=…     deliveries generated straight into a DuckDB file of their own
//                                    (lib/deliveries-warehouse.ts; default 10,000,000 × scale, 0:
//                                    none) for the deliveries and SIUSS cruscotti through REST
// The deliveries dataset has no case store beside it: its queries are timed through REST and on
// DuckDB's raw fact table, not on PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openDb } from '@hub/casework';
import { runEtl, scheduleEtl } from '@hub/etl';
import { createApp, createTokenService, readConfig } from '@hub/gateway';
import { createCubeEngine, openWarehouse } from '@hub/warehouse';
import type { BenchResult, BenchRow } from './bench.types.ts';
import { prepareBenchStore } from './lib/bench-store.ts';
import { generateDeliveriesWarehouse } from './lib/deliveries-warehouse.ts';

export const name = 'warehouse';

const SCALE = Number(process.env.BENCH_WAREHOUSE_SCALE ?? 1);
const INTAKE = Math.round(2_000_000 * SCALE);
const CASES = Math.round(500_000 * SCALE);
const PERSONS = Math.round(600_000 * SCALE);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 30);
const DELIVERIES = Number(process.env.BENCH_WAREHOUSE_DELIVERIES ?? Math.round(10_000_000 * SCALE));
const URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const YEAR = 2025;
const KEY = 'bench-pseudonym-key-0123456789';

const pct = (s: number[], p: number) => {
  const sorted = [...s].sort((a, b) => a - b);
  return (
    Math.round(
      sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10,
    ) / 10
  );
};

async function generate(db: Db) {
  const [orgs] = await db.query<{ perugia: string; terni: string }>(
    `SELECT (SELECT id FROM organization WHERE name = 'Zona sociale 2 – Perugia') AS perugia,
            (SELECT id FROM organization WHERE name = 'Zona sociale 10 – Terni') AS terni`,
  );
  await db.query(
    `INSERT INTO person (first_name, last_name, sex, birth_date, residence_municipality,
       owner_organization_id, citizenship)
     SELECT 'N', 'P' || i, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END,
       DATE '1930-01-01' + (i::bigint * 7919 % 29000)::int, CASE i % 5 WHEN 0 THEN '055032' WHEN 1 THEN '054012' ELSE '054039' END,
       CASE WHEN i % 5 = 0 THEN $2::uuid ELSE $1::uuid END,
       CASE WHEN i % 9 = 0 THEN 'ROU' WHEN i % 13 = 0 THEN 'MAR' ELSE 'ITA' END
     FROM generate_series(1, $3::int) i`,
    [orgs!.perugia, orgs!.terni, PERSONS],
  );
  await db.exec(`CREATE TABLE bench_person AS
    SELECT p.id, row_number() OVER (ORDER BY p.id) AS n, p.owner_organization_id AS org,
           (SELECT c.id FROM contact_point c JOIN office f ON f.id = c.office_id
             WHERE f.organization_id = p.owner_organization_id AND c.kind = 'PUA' LIMIT 1) AS cp
      FROM person p WHERE p.first_name = 'N';
    CREATE UNIQUE INDEX ON bench_person (n)`);
  // Each person comes back a few times over two years; one record in ten is anonymous.
  await db.query(
    `INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel,
       access_kind, legal_basis, interlocutor_kind, subject_person_id, status)
     SELECT p.org, c.office_id, p.cp,
       timestamptz '2024-01-01 09:00+01' + ((i::bigint * 7919) % 730) * interval '1 day',
       CASE WHEN i % 4 = 0 THEN 'PHONE' ELSE 'IN_PERSON' END,
       CASE WHEN i % 10 = 0 THEN 'ANONYMOUS' ELSE 'CITIZEN' END,
       CASE WHEN i % 10 = 0 THEN 'NONE' ELSE 'CONSENT' END,
       CASE WHEN i % 10 = 0 THEN 'OTHER' ELSE 'SUBJECT' END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE p.id END, 'OPEN'
     FROM generate_series(1, $1::int) i
     JOIN bench_person p ON p.n = 1 + (i % $2::int)
     JOIN contact_point c ON c.id = p.cp`,
    [INTAKE, PERSONS],
  );
  await db.query(
    `INSERT INTO case_file (person_id, organization_id, office_id, target_area_code, status,
       opened_on, closed_on)
     SELECT p.id, p.org, c.office_id, (ARRAY['FAM','DIS','ELD','POV','ADD'])[1 + i % 5],
       CASE WHEN i % 3 = 0 THEN 'CLOSED' ELSE 'IN_CARE' END,
       DATE '2024-01-01' + (i * 31 % 700),
       CASE WHEN i % 3 = 0 THEN DATE '2024-01-01' + (i * 31 % 700) + (i % 200) END
     FROM generate_series(1, $1::int) i
     JOIN bench_person p ON p.n = i
     JOIN contact_point c ON c.id = p.cp`,
    [Math.min(CASES, PERSONS)],
  );
  await db.exec('ANALYZE');
}

type Cruscotto = { label: string; cube: object; pg: string };
const CRUSCOTTI: Cruscotto[] = [
  {
    label: 'intake: year KPI (records, distinct persons)',
    cube: {
      measures: ['intake.count', 'intake.persons'],
      timeDimensions: [
        { dimension: 'intake.occurredAt', dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`] },
      ],
    },
    pg: `SELECT count(*), count(DISTINCT subject_person_id) FROM intake_record
          WHERE deleted_at IS NULL AND occurred_at >= '${YEAR}-01-01' AND occurred_at < '${YEAR + 1}-01-01'`,
  },
  {
    label: 'intake: monthly by zona sociale',
    cube: {
      measures: ['intake.count'],
      dimensions: ['intake.district'],
      timeDimensions: [
        {
          dimension: 'intake.occurredAt',
          granularity: 'month',
          dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`],
        },
      ],
    },
    pg: `SELECT d.id, date_trunc('month', r.occurred_at), count(*) FROM intake_record r
          JOIN person p ON p.id = r.subject_person_id JOIN municipality m ON m.istat_code = p.residence_municipality
          JOIN social_district d ON d.id = m.social_district_id
          WHERE r.deleted_at IS NULL AND r.occurred_at >= '${YEAR}-01-01' AND r.occurred_at < '${YEAR + 1}-01-01' GROUP BY 1, 2`,
  },
  {
    label: 'intake: zona × municipality, distinct persons',
    cube: {
      measures: ['intake.persons', 'intake.count'],
      dimensions: ['intake.district', 'intake.municipality'],
      timeDimensions: [
        { dimension: 'intake.occurredAt', dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`] },
      ],
    },
    pg: `SELECT m.social_district_id, p.residence_municipality, count(DISTINCT r.subject_person_id), count(*)
          FROM intake_record r JOIN person p ON p.id = r.subject_person_id
          JOIN municipality m ON m.istat_code = p.residence_municipality
          WHERE r.deleted_at IS NULL AND r.occurred_at >= '${YEAR}-01-01' AND r.occurred_at < '${YEAR + 1}-01-01'
          GROUP BY ROLLUP (1, 2)`,
  },
  {
    label: 'cases: open, closed, duration by target area',
    cube: {
      measures: ['cases.open', 'cases.closed', 'cases.avgDurationDays', 'cases.persons'],
      dimensions: ['cases.targetArea'],
      timeDimensions: [
        { dimension: 'cases.openedOn', dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`] },
      ],
    },
    pg: `SELECT target_area_code, count(*) FILTER (WHERE status <> 'CLOSED'), count(*) FILTER (WHERE status = 'CLOSED'),
            avg(closed_on - opened_on), count(DISTINCT person_id)
          FROM case_file WHERE opened_on BETWEEN '${YEAR}-01-01' AND '${YEAR}-12-31' GROUP BY 1`,
  },
];

/** The deliveries and SIUSS cruscotti (#12) over the generated dataset. */
const DELIVERY_CRUSCOTTI: { label: string; cube: object }[] = [
  {
    label: 'deliveries: year KPI (deliveries, beneficiaries, spending)',
    cube: {
      measures: ['deliveries.count', 'deliveries.beneficiaries', 'deliveries.spending'],
      timeDimensions: [
        { dimension: 'deliveries.deliveredAt', dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`] },
      ],
    },
  },
  {
    label: 'deliveries: monthly spending by zona sociale',
    cube: {
      measures: ['deliveries.spending', 'deliveries.count'],
      dimensions: ['deliveries.district'],
      timeDimensions: [
        {
          dimension: 'deliveries.deliveredAt',
          granularity: 'month',
          dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`],
        },
      ],
    },
  },
  {
    label: 'deliveries: zona × municipality, distinct beneficiaries',
    cube: {
      measures: ['deliveries.beneficiaries', 'deliveries.count'],
      dimensions: ['deliveries.district', 'deliveries.municipality'],
      timeDimensions: [
        { dimension: 'deliveries.deliveredAt', dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`] },
      ],
    },
  },
  {
    label: 'SIUSS: duties by zona sociale and due month',
    cube: {
      measures: ['siussDuties.count', 'siussDuties.overdue', 'siussDuties.rejected'],
      dimensions: ['siussDuties.district'],
      timeDimensions: [
        {
          dimension: 'siussDuties.dueAt',
          granularity: 'month',
          dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`],
        },
      ],
    },
  },
];

export async function run(): Promise<BenchResult> {
  const schema = `bench_wh_${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'bench-wh-'));
  const config = { kind: 'postgres' as const, url: URL, schema, max: 6 };
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  await prepareBenchStore(config, 0);
  const db = await openDb(config);
  const warehouse = await openWarehouse(join(dir, 'warehouse.duckdb'));
  try {
    let t = performance.now();
    await generate(db);
    notes.push(
      `case store: PostgreSQL (${schema}), ${INTAKE} intake records, ${CASES} case files, ${PERSONS} persons, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    t = performance.now();
    const phases = new Map<string, number>();
    let last = t;
    let current = '';
    const full = await runEtl(
      {
        db,
        warehouse,
        pseudonymKey: KEY,
        onProgress: (p) => {
          if (p.phase === current) return;
          const now = performance.now();
          if (current) phases.set(current, (phases.get(current) ?? 0) + now - last);
          current = p.phase;
          last = now;
        },
      },
      'FULL',
    );
    const seconds = (performance.now() - t) / 1000;
    phases.set(current, (phases.get(current) ?? 0) + performance.now() - last);
    notes.push(
      `full rebuild phases (s): ${[...phases].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}`,
    );
    rows.push({
      case: 'full rebuild (extract, stage, load, rollups, swap)',
      rows: full.rowsLoaded,
      seconds: Math.round(seconds * 10) / 10,
      'rows/s': Math.round(full.rowsLoaded / seconds),
    });

    const tokens = createTokenService('bench-secret-for-tokens-0123456789', 3600);
    const app = createApp({
      config: readConfig({ NODE_ENV: 'test' }, '/tmp'),
      db,
      warehouse,
      tokens,
      connectors: {},
    });
    const [planner] = await db.query<{ id: string }>(
      "SELECT id FROM operator WHERE username = 'planner'",
    );
    const { token } = await tokens.sign({ typ: 'operator', sub: planner!.id });
    const load = async (query: object) => {
      const res = await app.request('/cubejs-api/v1/load', {
        method: 'POST',
        headers: { Authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as {
        results: {
          data: Record<string, unknown>[];
          provenance: { source: string; protectedCells?: string };
          disclosure: { suppressed: number };
        }[];
        error?: string;
      };
      if (res.status !== 200) throw new Error(`load failed: ${res.status} ${body.error}`);
      return body.results[0]!;
    };

    // Freshness: a committed record, polled through REST until the year's count moves.
    const scheduler = scheduleEtl(
      { db, warehouse, pseudonymKey: KEY },
      { incrementalCron: '* * * * * *', fullCron: '0 0 3 1 1 *' },
    );
    const freshness: number[] = [];
    try {
      const kpi = CRUSCOTTI[0]!.cube;
      for (let i = 0; i < 5; i++) {
        const before = Number((await load(kpi)).data[0]!['intake.count']);
        await db.query(
          `INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel,
             access_kind, legal_basis, interlocutor_kind, status)
           SELECT organization_id, office_id, contact_point_id, timestamptz '${YEAR}-06-01 10:00+02', 'PHONE',
             'ANONYMOUS', 'NONE', 'OTHER', 'OPEN' FROM intake_record LIMIT 1`,
        );
        const committed = performance.now();
        for (;;) {
          const now = Number((await load(kpi)).data[0]!['intake.count']);
          if (now === before + 1) break;
          if (performance.now() - committed > 30_000)
            throw new Error('freshness: change not seen in 30 s');
          await new Promise((r) => setTimeout(r, 25));
        }
        freshness.push(performance.now() - committed);
      }
    } finally {
      await scheduler.stop();
    }
    rows.push({
      case: 'freshness: commit → /cubejs-api/v1/load (1 s cron)',
      'p50 ms': pct(freshness, 50),
      'max ms': Math.round(Math.max(...freshness)),
    });

    const raw = createCubeEngine(warehouse, { rollups: false });
    const all = { scope: { all: true as const }, protected: false };
    for (const q of CRUSCOTTI) {
      const first = await load(q.cube);
      if (first.data.length === 0) throw new Error(`${q.label}: empty answer`);
      const rest: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await load(q.cube);
        rest.push(performance.now() - s);
      }
      const duck: number[] = [];
      const compiled = raw.compile(q.cube, all);
      for (let i = 0; i < Math.max(5, Math.floor(RUNS / 3)); i++) {
        const s = performance.now();
        await warehouse.read(compiled.sql, compiled.params);
        duck.push(performance.now() - s);
      }
      const pg: number[] = [];
      for (let i = 0; i < Math.max(3, Math.floor(RUNS / 5)); i++) {
        const s = performance.now();
        await db.query(q.pg);
        pg.push(performance.now() - s);
      }
      rows.push({
        case: q.label,
        source: first.provenance.source,
        cells: first.provenance.protectedCells ?? '',
        suppressed: first.disclosure.suppressed,
        'REST p50': pct(rest, 50),
        'REST p95': pct(rest, 95),
        'DuckDB raw p50': pct(duck, 50),
        'PG p50': pct(pg, 50),
        'PG p95': pct(pg, 95),
        'PG/REST p95': Math.round((pct(pg, 95) / pct(rest, 95)) * 10) / 10,
      });
    }
    notes.push(
      'REST: in process (app.request) as the regional planner: row-level security and disclosure control (k = 3) on every answer; DuckDB raw: the plain statement over the fact table, no rollup, no protection; PG: the same aggregate over the case store',
    );

    if (DELIVERIES > 0) {
      const path = join(dir, 'deliveries.duckdb');
      const orgs = await db.query<{ id: string }>('SELECT id::text AS id FROM organization');
      const dataset = await generateDeliveriesWarehouse(path, {
        deliveries: DELIVERIES,
        year: YEAR,
        regionOrganizations: orgs.map((o) => o.id),
      });
      notes.push(
        `deliveries dataset: ${dataset.deliveries} deliveries, ${dataset.duties} SIUSS duties, ${dataset.persons} beneficiaries, generated into DuckDB with its rollups in ${dataset.seconds} s, of which ${dataset.sdcSeconds} s for the ${dataset.sdcRows} precomputed protected tables (shape × scope)`,
      );
      const dw = await openWarehouse(path);
      try {
        const dApp = createApp({
          config: readConfig({ NODE_ENV: 'test' }, '/tmp'),
          db,
          warehouse: dw,
          tokens,
          connectors: {},
        });
        const dLoad = async (query: object) => {
          const res = await dApp.request('/cubejs-api/v1/load', {
            method: 'POST',
            headers: { Authorization: token, 'content-type': 'application/json' },
            body: JSON.stringify({ query }),
          });
          const body = (await res.json()) as {
            results: {
              data: unknown[];
              provenance: { source: string; protectedCells?: string };
              disclosure: { suppressed: number };
            }[];
            error?: string;
          };
          if (res.status !== 200) throw new Error(`load failed: ${res.status} ${body.error}`);
          return body.results[0]!;
        };
        const dRaw = createCubeEngine(dw, { rollups: false });
        for (const q of DELIVERY_CRUSCOTTI) {
          const first = await dLoad(q.cube);
          if (first.data.length === 0) throw new Error(`${q.label}: empty answer`);
          const rest: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            const s = performance.now();
            await dLoad(q.cube);
            rest.push(performance.now() - s);
          }
          const compiled = dRaw.compile(q.cube, all);
          const duck: number[] = [];
          for (let i = 0; i < Math.max(5, Math.floor(RUNS / 3)); i++) {
            const s = performance.now();
            await dw.read(compiled.sql, compiled.params);
            duck.push(performance.now() - s);
          }
          rows.push({
            case: q.label,
            source: first.provenance.source,
            cells: first.provenance.protectedCells ?? '',
            suppressed: first.disclosure.suppressed,
            'REST p50': pct(rest, 50),
            'REST p95': pct(rest, 95),
            'DuckDB raw p50': pct(duck, 50),
          });
        }
      } finally {
        dw.close();
      }
    }
  } finally {
    warehouse.close();
    await db.exec(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { title: `Warehouse: rebuild, freshness, cruscotti (scale ${SCALE})`, rows, notes };
}
