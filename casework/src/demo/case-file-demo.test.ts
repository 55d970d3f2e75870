import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDueReviews } from '../case-file/care-plan/care-plan.service.ts';
import { getCaseFile } from '../case-file/case-file.service.ts';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { type GenerateCaseDemoResult, generateCaseDemo } from './case-file-demo.ts';
import { loadDemoRegion } from './demo.service.ts';

const SEED = 5;
let db: Db;
let first: GenerateCaseDemoResult;

beforeAll(async () => {
  db = await createTestDb();
  // Through the demo's own entry point, as `npm start` and the generate CLI load it.
  const region = await loadDemoRegion(db, {
    password: 'demo-test',
    persons: 500,
    seed: SEED,
    batchSize: 500,
    intake: { year: 2025, recordsPerThousandResidents: 1 },
    cases: {},
  });
  const [row] = await db.query<Record<keyof GenerateCaseDemoResult, number>>(
    `SELECT (SELECT count(*)::int FROM intake_record WHERE outcome = 'PROPOSAL_TAKE_INTO_CARE') AS proposals,
            (SELECT count(*)::int FROM case_file) AS opened,
            (SELECT count(*)::int FROM case_file_intake WHERE link_kind = 'ATTACHED') AS attached,
            (SELECT count(*)::int FROM intake_record WHERE status = 'REJECTED') AS rejected,
            (SELECT count(*)::int FROM intake_evaluation WHERE status = 'UNDER_EVALUATION') AS "underEvaluation",
            (SELECT count(*)::int FROM intake_record i WHERE status = 'PROPOSED'
               AND NOT EXISTS (SELECT 1 FROM intake_evaluation e WHERE e.intake_record_id = i.id)) AS waiting,
            (SELECT count(*)::int FROM care_plan) AS "carePlans"`,
  );
  first = row!;
  expect(region.caseFiles).toBe(first.opened);
}, 600_000);
afterAll(() => db.close());

describe('generateCaseDemo', () => {
  it('should decide most proposals: open, attach or reject, leaving some waiting', () => {
    const { proposals, opened, attached, rejected, underEvaluation, waiting } = first;
    expect(proposals).toBeGreaterThan(20);
    expect(opened + attached + rejected + underEvaluation + waiting).toBe(proposals);
    expect(opened / proposals).toBeGreaterThan(0.4);
    expect(rejected).toBeGreaterThan(0);
    expect(underEvaluation + waiting).toBeGreaterThan(0);
    expect(first.carePlans).toBeGreaterThan(0);
  });

  it('should add nothing the second time', async () => {
    const counts = async () =>
      (
        await db.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM case_file) + (SELECT count(*) FROM diary_entry) AS n',
        )
      )[0]!.n;
    const before = await counts();
    const again = await generateCaseDemo(db, { seed: SEED });
    expect(again.opened + again.rejected + again.attached).toBe(0);
    expect(await counts()).toBe(before);
  });

  it('should never reject a report of the judicial authority', async () => {
    const rows = await db.query(
      `SELECT 1 FROM intake_record WHERE access_kind = 'JUDICIAL_AUTHORITY' AND status = 'REJECTED'`,
    );
    expect(rows).toEqual([]);
  });

  it('should give every case file its first interview, its target area and a diary', async () => {
    const [row] = await db.query<{ cases: number; without: number }>(
      `SELECT count(*)::int AS cases,
              count(*) FILTER (WHERE target_area_code IS NULL
                 OR NOT EXISTS (SELECT 1 FROM professional_activity a WHERE a.case_file_id = c.id AND a.first_interview)
                 OR NOT EXISTS (SELECT 1 FROM diary_entry d WHERE d.case_file_id = c.id))::int AS without
         FROM case_file c`,
    );
    expect(row!.cases).toBe(first.opened);
    expect(row!.without).toBe(0);
  });

  it('should let the demo social worker open the cases of the office and see reviews due', async () => {
    const [op] = await db.query<{ id: string }>(
      `SELECT id FROM operator WHERE username = 'as.perugia'`,
    );
    const actor = (await loadOperatorActor(db, op!.id, { ip: null, userAgent: null }))!;
    const mine = await db.query<{ id: string }>(
      `SELECT case_file_id AS id FROM case_operator WHERE operator_id = $1 AND disabled_at IS NULL LIMIT 3`,
      [op!.id],
    );
    expect(mine.length).toBeGreaterThan(0);
    for (const m of mine)
      expect((await getCaseFile(db, actor, m.id)).operators.length).toBeGreaterThan(0);
    const reviews = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM care_plan_review r JOIN care_plan p ON p.id = r.care_plan_id
         JOIN case_operator co ON co.case_file_id = p.case_file_id AND co.operator_id = $1`,
      [op!.id],
    );
    if (reviews[0]!.n > 0)
      expect(Array.isArray(await listDueReviews(db, actor, { withinDays: 365 }))).toBe(true);
  });
});
