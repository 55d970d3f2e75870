import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { getIntakeRecord, searchIntakeRecords } from '../intake/intake.service.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { loadDemoRegion } from './demo.service.ts';
import { generateIntakeDemo } from './intake-demo.ts';

const YEAR = 2025;
// 0.5 per 1,000 of Umbria's 865,013 residents: 433 records, enough to see the mix.
const RATE = 0.5;
const SEED = 3;
let db: Db;
let result: Awaited<ReturnType<typeof generateIntakeDemo>>;

beforeAll(async () => {
  db = await createTestDb();
  // Through the demo's own entry point, as `npm start` and the generate CLI load it.
  const region = await loadDemoRegion(db, {
    password: 'demo-test',
    persons: 400,
    seed: SEED,
    batchSize: 400,
    intake: { year: YEAR, recordsPerThousandResidents: RATE },
  });
  expect(region.intakeRecords).toBe(433);
  result = await generateIntakeDemo(db, {
    seed: SEED,
    year: YEAR,
    recordsPerThousandResidents: RATE,
  });
});
afterAll(() => db.close());

const digest = async () =>
  db.query<Record<string, unknown>>(
    `SELECT r.id, r.occurred_at, r.access_kind, r.channel, r.status, r.outcome, r.subject_person_id,
            r.consent_status, r.contact_point_id,
            ARRAY(SELECT need_code FROM intake_need n WHERE n.intake_id = r.id ORDER BY 1) AS needs,
            ARRAY(SELECT service_code FROM intake_service_request s WHERE s.intake_id = r.id ORDER BY 1) AS services
       FROM intake_record r ORDER BY r.id`,
  );

describe('generateIntakeDemo', () => {
  it('should create the year’s records in proportion to the residents', async () => {
    expect(result).toEqual({ records: 433, created: 0, skipped: false });
    expect(await db.query('SELECT 1 FROM intake_record')).toHaveLength(433);
    const [span] = await db.query<{ first: Date; last: Date; zones: number }>(
      `SELECT min(occurred_at) AS first, max(occurred_at) AS last,
              count(DISTINCT o.social_district_id)::int AS zones
         FROM intake_record r JOIN organization o ON o.id = r.organization_id`,
    );
    expect(span!.first.getUTCFullYear()).toBe(YEAR);
    expect(span!.last.getUTCFullYear()).toBe(YEAR);
    expect(span!.zones).toBe(12);
  });

  it('should leave the last weeks of the year partly open, like a working desk', async () => {
    const [open] = await db.query<{ n: number; early: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE occurred_at < '2025-12-01')::int AS early
         FROM intake_record WHERE status = 'OPEN'`,
    );
    expect(open!.n).toBeGreaterThan(0);
    expect(open!.early).toBe(0);
  });

  it('should mix every kind of access, need and outcome', async () => {
    const kinds = await db.query<{ access_kind: string; n: number }>(
      'SELECT access_kind, count(*)::int AS n FROM intake_record GROUP BY 1 ORDER BY 2 DESC',
    );
    expect(kinds.map((k) => k.access_kind)).toHaveLength(7);
    expect(kinds[0]!.access_kind).toBe('CITIZEN');
    const needs = await db.query('SELECT DISTINCT need_code FROM intake_need');
    expect(needs.length).toBeGreaterThanOrEqual(5);
    const outcomes = await db.query(
      'SELECT DISTINCT outcome FROM intake_record WHERE outcome IS NOT NULL',
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(6);
    const [services] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM intake_service_request',
    );
    expect(services!.n).toBeGreaterThan(50);
  });

  it.each<[string, string]>([
    [
      'citizens without a consent given',
      `access_kind = 'CITIZEN' AND consent_status IS DISTINCT FROM 'GIVEN'`,
    ],
    [
      'legal representatives without consent',
      `access_kind = 'LEGAL_REPRESENTATIVE' AND consent_status IS DISTINCT FROM 'GIVEN'`,
    ],
    [
      'generic reporters of someone who never consented',
      `access_kind = 'GENERIC_REPORTER' AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = r.subject_person_id AND c.status = 'GIVEN' AND c.recorded_at <= r.occurred_at)`,
    ],
    [
      'generic reporters requesting services',
      `access_kind = 'GENERIC_REPORTER' AND EXISTS (SELECT 1 FROM intake_service_request s WHERE s.intake_id = r.id)`,
    ],
    [
      'public officials not in writing',
      `access_kind = 'PUBLIC_OFFICIAL' AND channel <> 'WRITTEN_REPORT'`,
    ],
    [
      'denied reports keeping need data',
      `access_kind = 'PUBLIC_OFFICIAL' AND consent_status = 'DENIED' AND (EXISTS (SELECT 1 FROM intake_need n WHERE n.intake_id = r.id) OR household_size IS NOT NULL)`,
    ],
    [
      'judicial records closed otherwise than by a proposal',
      `access_kind = 'JUDICIAL_AUTHORITY' AND outcome IS DISTINCT FROM 'PROPOSAL_TAKE_INTO_CARE' AND status <> 'OPEN'`,
    ],
    [
      'risk reports closed otherwise',
      `access_kind = 'CRIME_OR_RISK_REPORT' AND outcome IS DISTINCT FROM 'REPORT_TO_JUDICIAL_AUTHORITY' AND status <> 'OPEN'`,
    ],
    [
      'anonymous records with a subject',
      `access_kind = 'ANONYMOUS' AND subject_person_id IS NOT NULL`,
    ],
    [
      'proposals without consent outside judicial records',
      `status = 'PROPOSED' AND access_kind <> 'JUDICIAL_AUTHORITY' AND consent_status IS DISTINCT FROM 'GIVEN'`,
    ],
    ['records in the future', 'occurred_at > now() OR closed_at > now()'],
  ])('should hold no %s', async (_case, where) => {
    expect(await db.query(`SELECT id FROM intake_record r WHERE ${where}`)).toEqual([]);
  });

  it('should create nothing more, and the very same records, when run again', async () => {
    const before = await digest();
    const again = await generateIntakeDemo(db, {
      seed: SEED,
      year: YEAR,
      recordsPerThousandResidents: RATE,
    });
    expect(again.created).toBe(0);
    // Drop half of them (as if the first run had stopped) and resume: the same records return.
    await db.exec(`
      DELETE FROM intake_record WHERE id IN (SELECT id FROM intake_record ORDER BY id DESC LIMIT 200);
      DELETE FROM consent c WHERE c.office_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM intake_record r WHERE r.consent_id = c.id);`);
    const resumed = await generateIntakeDemo(db, {
      seed: SEED,
      year: YEAR,
      recordsPerThousandResidents: RATE,
    });
    expect(resumed.created).toBe(200);
    expect(await digest()).toEqual(before);
  });

  it('should be readable through the service by the demo desk operators', async () => {
    const [op] = await db.query<{ id: string }>(
      `SELECT id FROM operator WHERE username = 'sportello.perugia'`,
    );
    const actor = (await loadOperatorActor(db, op!.id, { ip: null, userAgent: null }))!;
    const page = await searchIntakeRecords(db, actor, { first: 5 });
    expect(page.items.length).toBeGreaterThan(0);
    const record = await getIntakeRecord(db, actor, page.items[0]!.id);
    expect(record.organizationId).toBe(page.items[0]!.organizationId);
  });
});
