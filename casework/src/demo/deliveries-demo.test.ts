import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDsuProtocol } from '../case-file/dsu-protocol.rules.ts';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { type DeliveriesDemoResult, generateDeliveriesDemo } from './deliveries-demo.ts';
import { loadDemoRegion } from './demo.service.ts';

const SEED = 7;
let db: Db;
let first: DeliveriesDemoResult;

beforeAll(async () => {
  db = await createTestDb();
  await loadDemoRegion(db, {
    password: 'demo-test',
    persons: 500,
    seed: SEED,
    batchSize: 500,
    intake: { recordsPerThousandResidents: 1 },
    cases: {},
  });
  first = await generateDeliveriesDemo(db, { seed: SEED });
}, 600_000);
afterAll(() => db.close());

const one = async <T>(sql: string) => (await db.query<T & Record<string, unknown>>(sql))[0]!;

describe('generateDeliveriesDemo', () => {
  it('should turn the care plans into interventions with a year of deliveries', async () => {
    expect(first.interventions).toBeGreaterThan(5);
    expect(first.deliveries).toBeGreaterThan(first.interventions);
    expect(first.skipped).toBeLessThan(first.interventions);
    const c = await one<{
      linked: number;
      all: number;
      provider: number;
      toVerify: number;
      expected: number;
    }>(
      `SELECT (SELECT count(*)::int FROM intervention WHERE care_plan_intervention_id IS NOT NULL) AS linked,
              (SELECT count(*)::int FROM intervention) AS "all",
              (SELECT count(*)::int FROM delivery WHERE recorded_by_kind = 'PROVIDER' AND recorded_by = 'coop-provider') AS provider,
              (SELECT count(*)::int FROM delivery WHERE status = 'TO_VERIFY') AS "toVerify",
              (SELECT count(*)::int FROM delivery WHERE status = 'EXPECTED') AS expected`,
    );
    expect(c.linked).toBe(c.all);
    expect(c.all).toBe(first.interventions);
    expect(c.provider).toBeGreaterThan(0);
    expect(c.toVerify).toBe(first.toVerify);
    expect(c.toVerify).toBeGreaterThan(0);
    expect(c.expected).toBeGreaterThan(0);
  });

  it('should hold only what the rules allow: in period, priced by the tariff of the day, no overlapping tariffs', async () => {
    const bad = await one<{ outside: number; mispriced: number; overlapping: number }>(
      `SELECT (SELECT count(*)::int FROM delivery d JOIN intervention i ON i.id = d.intervention_id
                WHERE d.delivered_on < i.start_on OR (i.end_on IS NOT NULL AND d.delivered_on > i.end_on)) AS outside,
              (SELECT count(*)::int FROM delivery d JOIN tariff t ON t.id = d.tariff_id
                WHERE d.amount <> round(d.quantity * t.unit_cost, 2)
                   OR d.delivered_on < t.valid_from OR (t.valid_to IS NOT NULL AND d.delivered_on >= t.valid_to)) AS mispriced,
              (SELECT count(*)::int FROM tariff a JOIN tariff b ON a.id < b.id
                 AND (a.organization_id, a.provider_id, a.service_code, a.unit) = (b.organization_id, b.provider_id, b.service_code, b.unit)
                 AND a.valid_from < coalesce(b.valid_to, 'infinity') AND b.valid_from < coalesce(a.valid_to, 'infinity')) AS overlapping`,
    );
    expect(bad).toEqual({ outside: 0, mispriced: 0, overlapping: 0 });
  });

  it('should number every DSU as INPS does (dsu-protocol.rules.ts)', async () => {
    const rows = await db.query<{ p: string }>(
      `SELECT isee_dsu_protocol AS p FROM intervention WHERE isee_dsu_protocol IS NOT NULL
       UNION ALL SELECT dsu_protocol FROM case_isee WHERE dsu_protocol IS NOT NULL`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.p).filter((p) => !isDsuProtocol(p))).toEqual([]);
  });

  it('should add nothing the second time', async () => {
    const count = async () =>
      (
        await one<{ n: number }>(
          'SELECT (SELECT count(*) FROM intervention) + (SELECT count(*) FROM delivery) AS n',
        )
      ).n;
    const before = await count();
    const again = await generateDeliveriesDemo(db, { seed: SEED });
    expect(again.interventions).toBe(0);
    expect(await count()).toBe(before);
  });
});
