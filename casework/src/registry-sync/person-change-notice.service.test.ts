import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disableCaseOperatorOnCase,
  enableCaseOperator,
} from '../case-file/case-access-list.service.ts';
import type { CaseWorld } from '../case-file/case-file.fixtures.ts';
import type { CaseworkError } from '../errors.ts';
import {
  listPersonChangeNotices,
  markPersonChangeNoticeRead,
} from './person-change-notice.service.ts';
import type { RegistryChange } from './registry-notification.store.ts';
import {
  createNotifiedWorld,
  deathOf,
  type NotifiedWorld,
  residenceChange,
} from './registry-sync.fixtures.ts';

// The operators' registry change notices: the enabled operator of an open case file reads the
// notices about its person and marks them read; anyone else reads none and marks none, and
// every refusal is audited with nothing changed.

let w: CaseWorld;
let taxCode: string;
let personId: string;
let caseFileId: string;
let notify: NotifiedWorld['notify'];

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: CaseworkError) => e,
  );

const deniedRows = (actorId: string) =>
  w.db.query<{ action: string; entityId: string | null; personId: string | null }>(
    `SELECT action, entity_id AS "entityId", person_id AS "personId" FROM audit_log
      WHERE entity = 'PersonChangeNotice' AND outcome = 'DENIED' AND actor_id = $1 ORDER BY id`,
    [actorId],
  );
// When the operator marked the notice read (undefined: not read by them).
const readAtOf = async (id: string, operatorId = w.actors.worker.id) =>
  (
    await w.db.query<{ readAt: Date }>(
      `SELECT read_at AS "readAt" FROM person_change_notice_read
        WHERE notice_id = $1 AND operator_id = $2`,
      [id, operatorId],
    )
  )[0]?.readAt;

const change = (id: string, kind: RegistryChange['kind'], eventDate: string) =>
  residenceChange(taxCode, id, eventDate, { kind });

beforeAll(async () => {
  ({ w, taxCode, personId, caseFileId, notify } = await createNotifiedWorld({
    firstName: 'Lina',
    lastName: 'Avvisata',
    birthDate: '1948-02-03',
  }));
  await notify(
    change('PCN1', 'CAMBIO_RESIDENZA', '2026-11-01'),
    change('PCN2', 'NUOVO_COMPONENTE', '2026-11-05'),
    change('PCN3', 'CAMBIO_RESIDENZA', '2026-11-10'),
  );
});
afterAll(() => w.db.close());

describe('personChangeNotices', () => {
  it('should page the enabled operator’s notices newest first, without overlaps, audited', async () => {
    const first = await listPersonChangeNotices(w.db, w.actors.worker, { first: 2 });
    expect(first.items.map((n) => n.notificationId)).toEqual(['PCN3', 'PCN2']);
    expect(first.unread).toBe(3);
    expect(first.items[0]).toMatchObject({
      kind: 'CAMBIO_RESIDENZA',
      caseFileId,
      personId,
      eventDate: '2026-11-10',
      summary: 'Cambio di residenza dal 10/11/2026: VIA PCN3 1, CORCIANO',
      readAt: null,
    });
    expect(first.items[0]!.createdAt).toBeInstanceOf(Date);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listPersonChangeNotices(w.db, w.actors.worker, {
      first: 2,
      after: first.nextCursor!,
    });
    expect(second.items.map((n) => n.notificationId)).toEqual(['PCN1']);
    expect(second.nextCursor).toBeNull();
    const reads = await w.db.query<{ details: { rows: number; persons: string[] } }>(
      `SELECT details FROM audit_log WHERE entity = 'PersonChangeNotice' AND action = 'READ'
          AND outcome = 'OK' AND actor_id = 'as.pg' ORDER BY id`,
    );
    expect(reads.map((r) => r.details.rows)).toEqual([2, 1]);
    expect(reads[0]!.details.persons).toEqual([personId]);
  });

  it('should refuse a bad page size or cursor as bad input', async () => {
    expect((await refusal(listPersonChangeNotices(w.db, w.actors.worker, { first: 0 }))).code).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      (await refusal(listPersonChangeNotices(w.db, w.actors.worker, { after: 'bm9wZQ' }))).field,
    ).toBe('after');
  });

  it('should mark a notice read for its operator only, once', async () => {
    const { items } = await listPersonChangeNotices(w.db, w.actors.worker, {});
    const notice = items.find((n) => n.notificationId === 'PCN1')!;

    // Another operator of the same office, not enabled: no notices, and this one is unknown to them.
    expect((await listPersonChangeNotices(w.db, w.actors.colleague, {})).items).toEqual([]);
    const err = await refusal(markPersonChangeNoticeRead(w.db, w.actors.colleague, notice.id));
    expect(err.code).toBe('NOT_FOUND');
    expect(await deniedRows('as2.pg')).toEqual([
      { action: 'UPDATE', entityId: notice.id, personId },
    ]);
    expect(await readAtOf(notice.id)).toBeUndefined();

    const read = await markPersonChangeNoticeRead(w.db, w.actors.worker, notice.id);
    expect(read.readAt).toBeInstanceOf(Date);
    const again = await markPersonChangeNoticeRead(w.db, w.actors.worker, notice.id);
    expect(again.readAt).toEqual(read.readAt);
    const unread = await listPersonChangeNotices(w.db, w.actors.worker, { unreadOnly: true });
    expect(unread.items.map((n) => n.notificationId)).toEqual(['PCN3', 'PCN2']);
    expect(unread.unread).toBe(2);
    const marks = await w.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity = 'PersonChangeNotice' AND action = 'UPDATE'
          AND outcome = 'OK' AND entity_id = $1 AND person_id = $2`,
      [notice.id, personId],
    );
    expect(marks[0]!.n).toBe(2);
  });

  it('should refuse partner clients and operators of another organisation, audited', async () => {
    const { items } = await listPersonChangeNotices(w.db, w.actors.worker, {});
    const client = w.client(['cases:read']);
    expect((await refusal(listPersonChangeNotices(w.db, client, {}))).code).toBe('FORBIDDEN');
    expect((await refusal(markPersonChangeNoticeRead(w.db, client, items[0]!.id))).code).toBe(
      'FORBIDDEN',
    );
    expect((await deniedRows(client.clientId)).map((r) => r.action)).toEqual(['READ', 'UPDATE']);
    expect((await listPersonChangeNotices(w.db, w.actors.otherOrgWorker, {})).items).toEqual([]);
    expect(
      (await refusal(markPersonChangeNoticeRead(w.db, w.actors.otherOrgWorker, items[0]!.id))).code,
    ).toBe('NOT_FOUND');
    expect(await readAtOf(items[0]!.id)).toBeUndefined();
  });

  it('should show an operator enabled later the case file’s notices, unread, read for them alone', async () => {
    // The worker has read PCN1 (above); the colleague comes after PCN1 to PCN3 were notified.
    await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
      operatorId: w.actors.colleague.id,
      operatorType: 'EDUCATOR',
    });
    await notify(deathOf(taxCode, 'PCN4', '2026-11-20'));
    const mine = await listPersonChangeNotices(w.db, w.actors.colleague, {});
    expect(mine.items.map((n) => [n.notificationId, n.readAt])).toEqual([
      ['PCN4', null],
      ['PCN3', null],
      ['PCN2', null],
      ['PCN1', null],
    ]);
    expect(mine.items[0]!.summary).toBe('Decesso registrato in anagrafe il 20/11/2026');
    expect(mine.unread).toBe(4);

    const pcn2 = mine.items.find((n) => n.notificationId === 'PCN2')!;
    expect((await markPersonChangeNoticeRead(w.db, w.actors.colleague, pcn2.id)).readAt).toEqual(
      await readAtOf(pcn2.id, w.actors.colleague.id),
    );
    // Marked for the colleague only: the worker's PCN2 is still unread, and their PCN1 read.
    const worker = await listPersonChangeNotices(w.db, w.actors.worker, { unreadOnly: true });
    expect(worker.items.map((n) => n.notificationId)).toEqual(['PCN4', 'PCN3', 'PCN2']);
    expect((await listPersonChangeNotices(w.db, w.actors.colleague, {})).unread).toBe(3);

    const audited = await w.db.query<{ action: string; details: { rows?: number } }>(
      `SELECT action, details FROM audit_log WHERE entity = 'PersonChangeNotice' AND outcome = 'OK'
          AND actor_id = 'as2.pg' ORDER BY id`,
    );
    // The last three: before they were enabled they had listed none (above).
    expect(audited.slice(-3).map((r) => [r.action, r.details.rows])).toEqual([
      ['READ', 4],
      ['UPDATE', undefined],
      ['READ', 4],
    ]);
  });

  it('should stop showing an operator the notices of a case file they were taken off', async () => {
    const mine = await listPersonChangeNotices(w.db, w.actors.colleague, {});
    const pcn4 = mine.items.find((n) => n.notificationId === 'PCN4')!;
    await disableCaseOperatorOnCase(w.db, w.actors.coordinator, caseFileId, w.actors.colleague.id);
    expect(await listPersonChangeNotices(w.db, w.actors.colleague, {})).toEqual({
      items: [],
      nextCursor: null,
      unread: 0,
    });
    const err = await refusal(markPersonChangeNoticeRead(w.db, w.actors.colleague, pcn4.id));
    expect(err.code).toBe('FORBIDDEN');
    expect((await deniedRows('as2.pg')).at(-1)).toEqual({
      action: 'UPDATE',
      entityId: pcn4.id,
      personId,
    });
    expect(await readAtOf(pcn4.id, w.actors.colleague.id)).toBeUndefined();
    // A notice that arrives while they are off the case file is not theirs either.
    await notify(change('PCN5', 'CAMBIO_RESIDENZA', '2026-11-22'));
    expect((await listPersonChangeNotices(w.db, w.actors.colleague, {})).items).toEqual([]);
  });

  it('should show an operator enabled again each notice once, as they had left it', async () => {
    await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
      operatorId: w.actors.colleague.id,
      operatorType: 'EDUCATOR',
    });
    const again = await listPersonChangeNotices(w.db, w.actors.colleague, {});
    expect(again.items.map((n) => [n.notificationId, n.readAt !== null])).toEqual([
      ['PCN5', false],
      ['PCN4', false],
      ['PCN3', false],
      ['PCN2', true],
      ['PCN1', false],
    ]);
    expect(again.unread).toBe(4);
    const [counts] = await w.db.query<{ notices: number; reads: number }>(
      `SELECT (SELECT count(*)::int FROM person_change_notice WHERE case_file_id = $1) AS notices,
              (SELECT count(*)::int FROM person_change_notice_read WHERE operator_id = $2) AS reads`,
      [caseFileId, w.actors.colleague.id],
    );
    expect(counts).toEqual({ notices: 5, reads: 1 });
  });

  it('should hide the notices of a closed case file from its operators', async () => {
    const [before] = await w.db.query<{ status: string }>(
      `SELECT status FROM case_file WHERE id = $1`,
      [caseFileId],
    );
    await w.db.query(
      `UPDATE case_file SET status = 'CLOSED', closed_on = current_date WHERE id = $1`,
      [caseFileId],
    );
    try {
      const none = await listPersonChangeNotices(w.db, w.actors.worker, {});
      expect(none).toEqual({ items: [], nextCursor: null, unread: 0 });
    } finally {
      await w.db.query(`UPDATE case_file SET status = $2, closed_on = NULL WHERE id = $1`, [
        caseFileId,
        before!.status,
      ]);
    }
  });
});
