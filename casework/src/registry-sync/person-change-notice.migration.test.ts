import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseWorld } from '../case-file/case-file.fixtures.ts';
import { migrate } from '../db/migrate.ts';
import {
  createNotifiedWorld,
  type NotifiedWorld,
  residenceChange,
} from './registry-sync.fixtures.ts';

// Migration 063 keeps the notices written one per operator (030): each (notification, case file)
// becomes one notice, the first row's, and whoever had read their copy has read it.

let w: CaseWorld;
let caseFileId: string;
beforeAll(async () => {
  let taxCode: string;
  let notify: NotifiedWorld['notify'];
  ({ w, caseFileId, taxCode, notify } = await createNotifiedWorld({
    firstName: 'Rita',
    lastName: 'Migrata',
    birthDate: '1951-06-07',
  }));
  await notify(residenceChange(taxCode, 'MIG1', '2026-11-01'));
  // Back to the table as 030 and 060 left it, with a copy of MIG1 for each of two operators.
  await w.db.exec(`
    DELETE FROM schema_migrations WHERE name LIKE '063-%';
    DROP TABLE person_change_notice_read;
    DROP INDEX person_change_notice_case_idx;
    ALTER TABLE person_change_notice DROP CONSTRAINT person_change_notice_once,
      ADD COLUMN operator_id uuid REFERENCES operator(id), ADD COLUMN read_at timestamptz,
      ADD UNIQUE (notification_id, case_file_id, operator_id);
  `);
  await w.db.query(
    `UPDATE person_change_notice SET operator_id = $1, created_at = '2026-11-02T08:00:00Z'`,
    [w.actors.worker.id],
  );
  await w.db.query(
    `INSERT INTO person_change_notice (notification_id, person_id, case_file_id, operator_id, kind, summary, created_at, read_at)
     SELECT notification_id, person_id, case_file_id, $1, kind, summary, '2026-11-02T08:00:01Z', '2026-11-03T09:00:00Z'
       FROM person_change_notice`,
    [w.actors.colleague.id],
  );
});
afterAll(() => w.db.close());

describe('migration 063', () => {
  it('should keep one notice per notification and case file, and who had read it', async () => {
    const [kept] = await w.db.query<{ id: string }>(
      `SELECT id FROM person_change_notice WHERE operator_id = $1`,
      [w.actors.worker.id],
    );
    expect(await migrate(w.db)).toEqual(['063-person-change-notice-per-case.sql']);
    expect(
      await w.db.query(
        `SELECT id, notification_id AS "notificationId", case_file_id AS "caseFileId"
           FROM person_change_notice`,
      ),
    ).toEqual([{ id: kept!.id, notificationId: 'MIG1', caseFileId }]);
    expect(
      await w.db.query(
        `SELECT notice_id AS "noticeId", operator_id AS "operatorId", read_at = '2026-11-03T09:00:00Z' AS "asBefore"
           FROM person_change_notice_read`,
      ),
    ).toEqual([{ noticeId: kept!.id, operatorId: w.actors.colleague.id, asBefore: true }]);
  });
});
