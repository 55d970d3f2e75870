// The deliveries, SIUSS and care-plan facts and their cubes over a demo region with a year of
// deliveries: each figure equal to the same figure counted independently over the case store,
// no direct identifier in any text column, and the incremental load equal to a full rebuild.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@hub/casework';
import { loadDemoRegion } from '@hub/casework/demo';
import { createTestDb } from '@hub/casework/testing';
import { createCubeEngine, openWarehouse, ROLLUPS, type Warehouse } from '@hub/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEtl } from './etl.ts';
import { lateItems, listKpiAlerts } from './kpi-alerts.ts';

const KEY = 'deliveries-test-pseudonym-key-42';
let db: Db;
let wh: Warehouse;
let dir: string;
const everyone = { scope: { all: true as const }, protected: false };

// The territory of a fact as the ETL derives it, written again here (the person's residence,
// else the organisation's municipality; the zona sociale of that municipality, else the
// organisation's own).
const DISTRICT = `d.region_code || '-' || lpad(d.number::text, 2, '0')`;
const TERRITORY = (person: string, org: string) => `
  JOIN organization o ON o.id = ${org}
  LEFT JOIN person p ON p.id = ${person} AND p.deleted_at IS NULL
  LEFT JOIN municipality m ON m.istat_code = coalesce(p.residence_municipality, o.municipality_code)
  LEFT JOIN social_district d ON d.id = coalesce(m.social_district_id, o.social_district_id)`;

beforeAll(async () => {
  db = await createTestDb();
  await loadDemoRegion(db, {
    password: 'x',
    persons: 400,
    batchSize: 400,
    intake: { recordsPerThousandResidents: 0.5 },
    cases: {},
    deliveries: { maxInterventions: 80 },
  });
  dir = await mkdtemp(join(tmpdir(), 'wh-del-'));
  wh = await openWarehouse(join(dir, 'warehouse.duckdb'));
  await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'FULL');
}, 240_000);
afterAll(async () => {
  wh.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

async function pgDeliveriesByDistrict() {
  const rows = await db.query<{ district: string; n: number; b: number; s: string }>(
    `SELECT ${DISTRICT} AS district, count(*)::int AS n,
            count(DISTINCT coalesce(p.tax_code, p.id::text))::int AS b, sum(dl.amount)::text AS s
       FROM delivery dl ${TERRITORY('dl.person_id', 'dl.organization_id')}
      WHERE dl.status NOT IN ('CORRECTED', 'CANCELLED') GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.district, [r.n, r.b, Number(r.s)]]));
}

describe('deliveries facts and cube', () => {
  it('should load one row per delivery that counts, with the spending to the cent', async () => {
    const [pg] = await db.query<{ n: number; uncounted: number; s: string }>(
      `SELECT count(*) FILTER (WHERE status NOT IN ('CORRECTED', 'CANCELLED'))::int AS n,
              count(*) FILTER (WHERE status IN ('CORRECTED', 'CANCELLED'))::int AS uncounted,
              sum(amount) FILTER (WHERE status NOT IN ('CORRECTED', 'CANCELLED'))::text AS s
         FROM delivery`,
    );
    expect(pg!.n).toBeGreaterThan(100);
    const [duck] = await wh.read(
      'SELECT count(*) AS n, sum(amount)::VARCHAR AS s FROM main.fact_delivery',
    );
    expect(duck).toEqual({ n: pg!.n, s: pg!.s });
  });

  it('should count deliveries, beneficiaries and spending per zona sociale as the case store does', async () => {
    const query = {
      measures: ['deliveries.count', 'deliveries.beneficiaries', 'deliveries.spending'],
      dimensions: ['deliveries.district'],
    };
    const answer = await createCubeEngine(wh).load(query, everyone);
    const got = Object.fromEntries(
      answer.results[0]!.data.map((r) => [
        r['deliveries.district'],
        [r['deliveries.count'], r['deliveries.beneficiaries'], r['deliveries.spending']],
      ]),
    );
    expect(got).toEqual(await pgDeliveriesByDistrict());
    expect(answer.results[0]!.provenance.source).toMatch(/^rollup:monthly/);
    expect(answer.results[0]!.annotation.measures['deliveries.spending']?.format).toBe('currency');
    const raw = await createCubeEngine(wh, { rollups: false }).load(query, everyone);
    expect(raw.results[0]!.data).toEqual(answer.results[0]!.data);
    // Names are copied into the fact, so the rollups answer by name as well.
    const byName = {
      measures: ['deliveries.count', 'deliveries.beneficiaries'],
      dimensions: ['deliveries.districtName', 'deliveries.officeName'],
    };
    const named = await createCubeEngine(wh).load(byName, everyone);
    expect(named.results[0]!.provenance.source).toBe('rollup:monthlyTerritory');
    expect(
      named.results[0]!.data.every((r) =>
        /^Zona sociale/.test(String(r['deliveries.districtName'])),
      ),
    ).toBe(true);
    const namedRaw = await createCubeEngine(wh, { rollups: false }).load(byName, everyone);
    expect(named.results[0]!.data).toEqual(namedRaw.results[0]!.data);
  });

  it('should break spending down by service, provider, project and funding source with their names', async () => {
    const answer = await createCubeEngine(wh).load(
      {
        measures: ['deliveries.spending', 'deliveries.quantity'],
        dimensions: [
          'deliveries.serviceCode',
          'deliveries.serviceName',
          'deliveries.providerName',
          'deliveries.fundingSource',
        ],
      },
      everyone,
    );
    const pg = await db.query<{ code: string; provider: string; s: string; q: string }>(
      `SELECT dl.service_code AS code, pv.name AS provider, sum(dl.amount)::text AS s,
              sum(dl.quantity)::text AS q
         FROM delivery dl JOIN provider pv ON pv.id = dl.provider_id
        WHERE dl.status NOT IN ('CORRECTED', 'CANCELLED') GROUP BY 1, 2`,
    );
    const data = answer.results[0]!.data;
    expect(data.every((r) => typeof r['deliveries.serviceName'] === 'string')).toBe(true);
    for (const r of pg) {
      const cells = data.filter(
        (x) =>
          x['deliveries.serviceCode'] === r.code && x['deliveries.providerName'] === r.provider,
      );
      const sum = cells.reduce((a, c) => a + Number(c['deliveries.spending']), 0);
      expect(sum).toBeCloseTo(Number(r.s), 2);
      expect(cells.reduce((a, c) => a + Number(c['deliveries.quantity']), 0)).toBeCloseTo(
        Number(r.q),
        2,
      );
    }
  });

  it('should suppress cells under 3 beneficiaries for a protected viewer and say so', async () => {
    const answer = await createCubeEngine(wh).load(
      {
        measures: ['deliveries.beneficiaries', 'deliveries.spending'],
        dimensions: ['deliveries.municipality', 'deliveries.serviceCode'],
      },
      { scope: { all: true }, protected: true },
    );
    const result = answer.results[0]!;
    expect(result.disclosure!.suppressed).toBeGreaterThan(0);
    for (const r of result.data) {
      const b = r['deliveries.beneficiaries'];
      if (b !== null) expect(b).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('SIUSS duties facts and cube', () => {
  it('should count the duties by state, and the overdue ones, as the case store does', async () => {
    const answer = await createCubeEngine(wh).load(
      {
        measures: [
          'siussDuties.count',
          'siussDuties.overdue',
          'siussDuties.rejected',
          'siussDuties.sent',
        ],
        dimensions: ['siussDuties.state'],
      },
      everyone,
    );
    const pg = await db.query<{ state: string; n: number; overdue: number }>(
      `SELECT state, count(*)::int AS n,
              count(*) FILTER (WHERE operation <> 'CANCEL' AND state IN ('DUE', 'IN_FLOW', 'REJECTED')
                AND deadline < (now() AT TIME ZONE 'Europe/Rome')::date)::int AS overdue
         FROM siuss_duty WHERE NOT superseded GROUP BY 1`,
    );
    expect(pg.length).toBeGreaterThan(1);
    const data = answer.results[0]!.data;
    expect(data.length).toBe(pg.length);
    for (const r of pg) {
      const row = data.find((x) => x['siussDuties.state'] === r.state)!;
      expect(row['siussDuties.count']).toBe(r.n);
      expect(row['siussDuties.overdue']).toBe(r.overdue);
      expect(row['siussDuties.rejected']).toBe(r.state === 'REJECTED' ? r.n : 0);
      expect(row['siussDuties.sent']).toBe(
        ['SENT', 'ACCEPTED', 'REJECTED'].includes(r.state) ? r.n : 0,
      );
    }
    expect(answer.results[0]!.provenance.source).toBe('rollup:monthly');
  });

  it('should answer by due month and zona sociale', async () => {
    const answer = await createCubeEngine(wh).load(
      {
        measures: ['siussDuties.count'],
        dimensions: ['siussDuties.district'],
        timeDimensions: [{ dimension: 'siussDuties.dueAt', granularity: 'month' }],
      },
      everyone,
    );
    const [pg] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM siuss_duty WHERE NOT superseded',
    );
    const data = answer.results[0]!.data;
    expect(data.reduce((a, r) => a + Number(r['siussDuties.count']), 0)).toBe(pg!.n);
    expect(data.every((r) => /^\d{4}-\d\d-01T/.test(String(r['siussDuties.dueAt.month'])))).toBe(
      true,
    );
  });
});

describe('care plans and case steps', () => {
  it('should load every care plan and every status step', async () => {
    const [pg] = await db.query<{ p: number; h: number }>(
      `SELECT (SELECT count(*)::int FROM care_plan) AS p,
              (SELECT count(*)::int FROM case_status_history) AS h`,
    );
    const [duck] = await wh.read(
      `SELECT (SELECT count(*) FROM main.fact_care_plan) AS p,
              (SELECT count(*) FROM main.fact_case_status) AS h`,
    );
    expect(pg!.p).toBeGreaterThan(10);
    expect(duck).toEqual(pg);
    const answer = await createCubeEngine(wh).load(
      { measures: ['carePlans.count', 'carePlans.active'] },
      everyone,
    );
    expect(answer.results[0]!.data[0]!['carePlans.count']).toBe(pg!.p);
  });
});

describe('pseudonymisation of the new facts', () => {
  it('should leave no codice fiscale, name, note, reason or title in any text column', async () => {
    const persons = await db.query<{ tax_code: string | null; full: string }>(
      `SELECT DISTINCT p.tax_code, p.first_name || ' ' || p.last_name AS full
         FROM person p JOIN delivery d ON d.person_id = p.id WHERE p.first_name IS NOT NULL LIMIT 200`,
    );
    const texts = await db.query<{ t: string }>(
      `SELECT t FROM (
         SELECT dispute_reason AS t FROM delivery WHERE length(dispute_reason) > 12
         UNION ALL SELECT note FROM delivery WHERE length(note) > 12
         UNION ALL SELECT notes FROM intervention WHERE length(notes) > 12
         UNION ALL SELECT application_protocol FROM intervention WHERE length(application_protocol) > 8
         UNION ALL SELECT title FROM care_plan WHERE length(title) > 12
         UNION ALL SELECT description FROM care_plan_goal WHERE length(description) > 12
         UNION ALL SELECT reason FROM case_status_history WHERE length(reason) > 12
         UNION ALL SELECT rejection_reason FROM siuss_duty WHERE length(rejection_reason) > 12
       ) x LIMIT 300`,
    );
    const needles = [
      ...persons.flatMap((p) => [p.tax_code, p.full]).filter((s): s is string => !!s),
      ...texts.map((t) => t.t.slice(0, 24)),
    ];
    expect(persons.length).toBeGreaterThan(8);
    expect(texts.length).toBeGreaterThan(5);
    const columns = await wh.read(
      `SELECT schema_name, table_name, column_name FROM duckdb_columns()
        WHERE data_type = 'VARCHAR' AND database_name = current_database()`,
    );
    const tables = new Set(columns.map((c) => String(c.table_name)));
    for (const t of ['fact_delivery', 'fact_siuss_duty', 'fact_care_plan', 'fact_case_status'])
      expect(tables.has(t)).toBe(true);
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

describe('incremental load of deliveries, duties and care plans', () => {
  async function snapshot(w: Warehouse) {
    const out: Record<string, unknown[]> = {};
    const facts = ['fact_delivery', 'fact_siuss_duty', 'fact_care_plan', 'fact_case_status'];
    for (const t of [...facts, ...ROLLUPS.map((r) => r.table)])
      out[t] = await w.read(`SELECT * FROM main.${t} ORDER BY ALL`);
    return out;
  }

  it('should equal a full rebuild after corrections, cancellations, duty outcomes and plan reviews', async () => {
    await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE delivery SET status = 'CANCELLED' WHERE id IN (
           SELECT id FROM delivery WHERE status = 'RECORDED' ORDER BY id LIMIT 5)`,
      );
      await tx.query(
        `UPDATE delivery SET amount = amount + 1.25, quantity = quantity + 1 WHERE id IN (
           SELECT id FROM delivery WHERE status = 'ACCEPTED' ORDER BY id DESC LIMIT 7)`,
      );
      await tx.query(
        `UPDATE siuss_duty SET state = 'REJECTED', rejection_reason = 'Codice prestazione errato'
          WHERE delivery_id IN (SELECT delivery_id FROM siuss_duty WHERE state = 'SENT' ORDER BY 1 LIMIT 4)`,
      );
      await tx.query(
        `UPDATE care_plan_review SET done_on = due_on, outcome = 'ON_TRACK'
          WHERE id IN (SELECT id FROM care_plan_review WHERE done_on IS NULL ORDER BY id LIMIT 3)`,
      );
      // A person moves: every fact about them changes zona sociale.
      await tx.query(
        `UPDATE person SET residence_municipality = (SELECT istat_code FROM municipality ORDER BY istat_code DESC LIMIT 1)
          WHERE id = (SELECT person_id FROM delivery ORDER BY id LIMIT 1)`,
      );
    });
    const result = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
    expect(result).toMatchObject({ kind: 'INCREMENTAL', status: 'OK' });
    expect(result.changesApplied).toBeGreaterThan(0);
    const other = await openWarehouse(join(dir, 'full.duckdb'));
    try {
      await runEtl({ db, warehouse: other, pseudonymKey: KEY, keepChangeLog: true }, 'FULL');
      expect(await snapshot(wh)).toEqual(await snapshot(other));
    } finally {
      other.close();
    }
  });
});

describe('KPI alerts of deliveries, SIUSS and care plans', () => {
  it('should count overdue duties, late reviews and projects near their budget per organisation', async () => {
    const [org] = await db.query<{ id: string }>(
      'SELECT organization_id::text AS id FROM siuss_duty GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
    );
    await db.transaction(async (tx) => {
      // Four duties of the organisation fall due long ago and are still to be sent.
      await tx.query(
        `UPDATE siuss_duty SET state = 'DUE', operation = 'INSERT', deadline = current_date - 40
          WHERE delivery_id IN (SELECT delivery_id FROM siuss_duty WHERE organization_id = $1
                                  AND NOT superseded ORDER BY delivery_id LIMIT 4)`,
        [org!.id],
      );
      // A project whose counted spending is all its budget.
      await tx.query(
        `UPDATE project pr SET budget = greatest(1, s.spent) FROM (
           SELECT i.project_id, sum(d.amount) AS spent FROM delivery d JOIN intervention i ON i.id = d.intervention_id
            WHERE d.status IN ('RECORDED', 'ACCEPTED') AND i.project_id IS NOT NULL
            GROUP BY 1 ORDER BY 2 DESC LIMIT 1) s WHERE pr.id = s.project_id`,
      );
    });
    await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
    const [pg] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM siuss_duty WHERE organization_id = $1 AND NOT superseded
          AND operation <> 'CANCEL' AND state IN ('DUE', 'IN_FLOW', 'REJECTED')
          AND deadline < (now() AT TIME ZONE 'Europe/Rome')::date`,
      [org!.id],
    );
    const [owner] = await db.query<{ id: string }>(
      `SELECT pr.organization_id::text AS id FROM project pr ORDER BY (
         SELECT coalesce(sum(d.amount), 0) FROM delivery d JOIN intervention i ON i.id = d.intervention_id
          WHERE i.project_id = pr.id AND d.status IN ('RECORDED', 'ACCEPTED')) / nullif(pr.budget, 0) DESC NULLS LAST LIMIT 1`,
    );
    const alerts = await listKpiAlerts(db, [org!.id, owner!.id]);
    const overdue = alerts.find((a) => a.kpi === 'SIUSS_OVERDUE' && a.organizationId === org!.id);
    expect(overdue).toMatchObject({ late: pg!.n, days: 0, threshold: 0 });
    expect(pg!.n).toBeGreaterThanOrEqual(4);
    const budget = alerts.find((a) => a.kpi === 'PROJECT_BUDGET' && a.organizationId === owner!.id);
    expect(budget).toMatchObject({ threshold: 90 });
    expect(budget!.late).toBeGreaterThanOrEqual(1);
  });

  it('should count a care plan as late from the day after its review fell due', () => {
    const rule = (_org: string, kpi: string) =>
      kpi === 'CARE_PLAN_REVIEW_OVERDUE' ? { days: 0, threshold: 0 } : undefined;
    const late = lateItems(
      {
        proposed: [],
        duties: [],
        plans: [
          { organization_id: 'a', next_review_on: '2026-11-30' },
          { organization_id: 'a', next_review_on: '2026-12-01' },
          { organization_id: 'b', next_review_on: '2026-12-02' },
        ],
        projects: [],
      },
      rule,
      '2026-12-02',
    );
    expect([...late]).toEqual([['a|CARE_PLAN_REVIEW_OVERDUE', 2]]);
  });
});

describe('duties falling overdue with the calendar', () => {
  it('should mark pending duties overdue at the first run of the day after their deadline', async () => {
    // As if yesterday's load had seen these pending duties still within their deadline. They are
    // taken among those not yet overdue: moving an overdue one's date here, behind the rollups'
    // back, would leave its old month counting it (a duty's deadline never moves in the store).
    const c = await wh.connect();
    const [build] = (
      await c.runAndReadAll('SELECT build FROM main.load_state')
    ).getRowsJson() as string[][];
    const b = build![0]!;
    await c.run(
      `UPDATE ${b}.fact_siuss_duty SET overdue = false, pending = true, due_on = current_date - 1
        WHERE delivery_key IN (SELECT delivery_key FROM ${b}.fact_siuss_duty WHERE NOT overdue
                                ORDER BY delivery_key LIMIT 6)`,
    );
    await c.run(`UPDATE main.load_state SET loaded_at = now() - INTERVAL 2 DAY`);
    c.closeSync();
    const before = await wh.read('SELECT count(*) AS n FROM main.fact_siuss_duty WHERE overdue');
    const result = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
    expect(result.rowsLoaded).toBeGreaterThanOrEqual(6);
    const after = await wh.read('SELECT count(*) AS n FROM main.fact_siuss_duty WHERE overdue');
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + result.rowsLoaded);
    const q = { measures: ['siussDuties.overdue'], dimensions: ['siussDuties.district'] };
    const rolled = await createCubeEngine(wh).load(q, everyone);
    const raw = await createCubeEngine(wh, { rollups: false }).load(q, everyone);
    expect(rolled.results[0]!.provenance.source).toBe('rollup:monthly');
    expect(rolled.results[0]!.data).toEqual(raw.results[0]!.data);
    // The same day again: nothing to do.
    const again = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
    expect(again.rowsLoaded).toBe(0);
  });
});
