import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disableCaseOperatorOnCase,
  enableCaseOperator,
} from '../case-file/case-access-list.service.ts';
import {
  type CaseWorld,
  createCaseWorld,
  newPerson,
  openedCase,
} from '../case-file/case-file.fixtures.ts';
import type { CaseworkError } from '../errors.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import {
  listPersonChangeNotices,
  markPersonChangeNoticeRead,
} from './person-change-notice.service.ts';
import {
  createRegistryNotificationStore,
  type RegistryChange,
} from './registry-notification.store.ts';

// The operators' registry change notices: the enabled operator of an open case file reads the
// notices about its person and marks them read; anyone else reads none and marks none, and
// every refusal is audited with nothing changed.

let w: CaseWorld;
let taxCode: string;
let personId: string;
let caseFileId: string;

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
const readAtOf = async (id: string) =>
  (
    await w.db.query<{ readAt: Date | null }>(
      `SELECT read_at AS "readAt" FROM person_change_notice WHERE id = $1`,
      [id],
    )
  )[0]?.readAt;

const change = (id: string, kind: RegistryChange['kind'], eventDate: string): RegistryChange => ({
  id,
  kind,
  eventDate,
  person: {
    taxCode: { value: taxCode },
    residence: {
      value: {
        municipalityIstat: '054012',
        municipalityName: 'CORCIANO',
        address: `VIA ${id} 1`,
        postcode: '06073',
        since: eventDate,
      },
    },
  },
});

beforeAll(async () => {
  w = await createCaseWorld();
  taxCode = computeTaxCode({
    firstName: 'Lina',
    lastName: 'Avvisata',
    sex: 'F',
    birthDate: '1948-02-03',
    birthPlaceCode: 'G478',
  });
  personId = await newPerson(w.db, w, { taxCode });
  ({ caseFileId } = await openedCase(w, { personId }));
  const store = createRegistryNotificationStore(w.db);
  await store.processOnce(change('PCN1', 'CAMBIO_RESIDENZA', '2026-11-01'), async () => undefined);
  await store.processOnce(change('PCN2', 'NUOVO_COMPONENTE', '2026-11-05'), async () => undefined);
  await store.processOnce(change('PCN3', 'CAMBIO_RESIDENZA', '2026-11-10'), async () => undefined);
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
    expect(await readAtOf(notice.id)).toBeNull();

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
    expect(await readAtOf(items[0]!.id)).toBeNull();
  });

  it('should stop showing an operator the notices of a case file they were taken off', async () => {
    await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
      operatorId: w.actors.colleague.id,
      operatorType: 'EDUCATOR',
    });
    await createRegistryNotificationStore(w.db).processOnce(
      {
        id: 'PCN4',
        kind: 'DECESSO',
        eventDate: '2026-11-20',
        person: { taxCode: { value: taxCode } },
      },
      async () => undefined,
    );
    const mine = await listPersonChangeNotices(w.db, w.actors.colleague, {});
    expect(mine.items.map((n) => [n.notificationId, n.summary])).toEqual([
      ['PCN4', 'Decesso registrato in anagrafe il 20/11/2026'],
    ]);
    await disableCaseOperatorOnCase(w.db, w.actors.coordinator, caseFileId, w.actors.colleague.id);
    expect(await listPersonChangeNotices(w.db, w.actors.colleague, {})).toEqual({
      items: [],
      nextCursor: null,
      unread: 0,
    });
    const err = await refusal(
      markPersonChangeNoticeRead(w.db, w.actors.colleague, mine.items[0]!.id),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect((await deniedRows('as2.pg')).at(-1)).toEqual({
      action: 'UPDATE',
      entityId: mine.items[0]!.id,
      personId,
    });
    expect(await readAtOf(mine.items[0]!.id)).toBeNull();
  });
});
