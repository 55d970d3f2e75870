// The registry change notices as the operators read them: a change of residence, a new family
// member or a death that ANPR notified (C001) about the person of an open case file. A notice is
// written once per notification and case file when the change is applied
// (registry-notification.store.ts); each operator's read state is beside it
// (person_change_notice_read, migration 063). Here is who may read them now.
//
// An operator reads the notices of the case files they are enabled on, only while they are
// enabled, the case file is open, and it belongs to an organisation they see: an operator taken
// off a case file no longer hears about its person. An operator enabled later reads all the
// notices the case file has, unread until they mark them: they are few (the registry changes of
// one person), each still true of the person until a later one, and whoever takes the case over
// must know of a death or a move notified before they came; a window of days would hide exactly
// those. Enabled, removed and enabled again, they read each notice once, as they had left it
// (read or not). Partner clients and the system have no notices. Every list and every mark is
// audited, every refusal too.
import type { Actor, OperatorActor } from '../access/actor.ts';
import { type AuditScope, audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { today } from '../case-file/case-file.util.ts';
import type { Db } from '../db/db.ts';
import { badInput } from '../errors.ts';

const ENTITY = 'PersonChangeNotice';
export const MAX_NOTICE_PAGE = 100;
const DEFAULT_NOTICE_PAGE = 20;

export type PersonChangeNotice = {
  id: string;
  kind: 'CAMBIO_RESIDENZA' | 'DECESSO' | 'NUOVO_COMPONENTE';
  /** The registry notification it comes from (ANPR's id of the C001 notification). */
  notificationId: string;
  /** When the change happened, as the registry has it. */
  eventDate: string;
  caseFileId: string;
  personId: string;
  personName: string | null;
  /** In Italian, as the operator reads it. */
  summary: string;
  createdAt: Date;
  readAt: Date | null;
};

export type PersonChangeNoticePage = {
  items: PersonChangeNotice[];
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: string | null;
  /** The caller's unread notices in all (not only this page's), for the badge. */
  unread: number;
};

type Cursor = { createdAt: Date; id: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encodeCursor = (c: Cursor) =>
  Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');

function decodeCursor(raw: string): Cursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !UUID.test(id)) {
    throw badInput('after', 'cursore non valido');
  }
  return { createdAt, id };
}

function onlyOperators(actor: Actor, scope: AuditScope): asserts actor is OperatorActor {
  if (actor.kind !== 'OPERATOR') {
    throw new Refusal('FORBIDDEN', 'le notifiche anagrafiche sono degli operatori dei fascicoli', {
      action: scope.action,
      entity: ENTITY,
      entityId: scope.entityId,
      reason: 'only operators have registry change notices',
    });
  }
}

// The conditions under which a notice is still the operator's to read: $1 the operator, $2 the
// organisations they see, $3 today (an enablement from a later date is not one yet).
const STILL_THEIRS = `cf.organization_id = ANY($2::uuid[])
   AND cf.status <> 'CLOSED'
   AND EXISTS (SELECT 1 FROM case_operator co
                WHERE co.case_file_id = cf.id AND co.operator_id = $1
                  AND co.disabled_at IS NULL AND co.enabled_from <= $3::date)`;

// $1 is the operator whose read state the notice shows.
const NOTICE_COLUMNS = `n.id, n.kind, n.notification_id AS "notificationId", rn.event_date::text AS "eventDate",
  n.case_file_id AS "caseFileId", n.person_id AS "personId",
  NULLIF(concat_ws(' ', p.last_name, p.first_name), '') AS "personName",
  n.summary, n.created_at AS "createdAt", r.read_at AS "readAt"`;
const NOTICE_FROM = `person_change_notice n
  JOIN case_file cf ON cf.id = n.case_file_id
  JOIN registry_notification rn ON rn.id = n.notification_id
  JOIN person p ON p.id = n.person_id
  LEFT JOIN person_change_notice_read r ON r.notice_id = n.id AND r.operator_id = $1`;

/**
 * The caller's notices, newest first, `first` at a time (keyset cursor), unread only if asked.
 * Audited as one READ with how many it returned and about whom.
 */
export async function listPersonChangeNotices(
  db: Db,
  actor: Actor,
  input: {
    first?: number | undefined;
    after?: string | undefined;
    unreadOnly?: boolean | undefined;
  },
): Promise<PersonChangeNoticePage> {
  const scope: AuditScope = { action: 'READ', entity: ENTITY, entityId: null, personId: null };
  const first = input.first ?? DEFAULT_NOTICE_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_NOTICE_PAGE) {
    throw badInput('first', `da 1 a ${MAX_NOTICE_PAGE} notifiche per pagina`);
  }
  const cursor = input.after ? decodeCursor(input.after) : null;
  return audited(db, actor, scope, async (tx) => {
    onlyOperators(actor, scope);
    const params: unknown[] = [actor.id, actor.organizationIds, today()];
    const where = [STILL_THEIRS];
    if (input.unreadOnly) where.push('r.notice_id IS NULL');
    if (cursor) {
      params.push(cursor.createdAt, cursor.id);
      where.push(`(n.created_at, n.id) < ($4::timestamptz, $5::uuid)`);
    }
    params.push(first + 1);
    const rows = await tx.query<PersonChangeNotice>(
      `SELECT ${NOTICE_COLUMNS} FROM ${NOTICE_FROM}
        WHERE ${where.join(' AND ')}
        ORDER BY n.created_at DESC, n.id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, first);
    const last = items.at(-1);
    const [count] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM person_change_notice n JOIN case_file cf ON cf.id = n.case_file_id
        WHERE ${STILL_THEIRS}
          AND NOT EXISTS (SELECT 1 FROM person_change_notice_read r
                           WHERE r.notice_id = n.id AND r.operator_id = $1)`,
      [actor.id, actor.organizationIds, today()],
    );
    await audit(tx, actor, {
      action: 'READ',
      entity: ENTITY,
      personId: null,
      outcome: 'OK',
      details: {
        rows: items.length,
        unreadOnly: input.unreadOnly ?? false,
        persons: [...new Set(items.map((i) => i.personId))],
      },
    });
    return {
      items,
      nextCursor:
        rows.length > first && last
          ? encodeCursor({ createdAt: last.createdAt, id: last.id })
          : null,
      unread: count?.n ?? 0,
    };
  });
}

/**
 * Marks one of the caller's notices read for them (again: it stays read as it was; the others'
 * read state is theirs). A notice of a case file the caller was never on, or an unknown one,
 * answers NOT_FOUND; one of a case file they are no longer enabled on, or that is closed,
 * FORBIDDEN. Both audited.
 */
export async function markPersonChangeNoticeRead(
  db: Db,
  actor: Actor,
  id: string,
): Promise<PersonChangeNotice> {
  if (!UUID.test(id)) throw badInput('id', 'identificativo non valido');
  const scope: AuditScope = { action: 'UPDATE', entity: ENTITY, entityId: id, personId: null };
  return audited(db, actor, scope, async (tx) => {
    onlyOperators(actor, scope);
    const [found] = await tx.query<{ personId: string; theirs: boolean; everOn: boolean }>(
      `SELECT n.person_id AS "personId", (${STILL_THEIRS}) AS theirs,
              EXISTS (SELECT 1 FROM case_operator co
                       WHERE co.case_file_id = cf.id AND co.operator_id = $1) AS "everOn"
         FROM person_change_notice n JOIN case_file cf ON cf.id = n.case_file_id
        WHERE n.id = $4`,
      [actor.id, actor.organizationIds, today(), id],
    );
    const denied = (code: 'NOT_FOUND' | 'FORBIDDEN', message: string, reason: string) =>
      new Refusal(code, message, {
        action: 'UPDATE',
        entity: ENTITY,
        entityId: id,
        personId: found?.personId ?? null,
        reason,
      });
    if (!found) throw denied('NOT_FOUND', 'notifica non trovata', 'no such notice');
    if (!found.everOn) {
      // A notice of a case file the caller was never on answers as an unknown one: it tells
      // whom the case files are about.
      throw denied('NOT_FOUND', 'notifica non trovata', 'never enabled on the case file');
    }
    if (!found.theirs) {
      throw denied(
        'FORBIDDEN',
        'non sei più abilitato sul fascicolo di questa notifica, o il fascicolo è chiuso',
        'no longer enabled on the open case file of the notice',
      );
    }
    await tx.query(
      `INSERT INTO person_change_notice_read (notice_id, operator_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING`,
      [id, actor.id],
    );
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: ENTITY,
      entityId: id,
      personId: found.personId,
      outcome: 'OK',
      details: { read: true },
    });
    const [notice] = await tx.query<PersonChangeNotice>(
      `SELECT ${NOTICE_COLUMNS} FROM ${NOTICE_FROM} WHERE n.id = $2`,
      [actor.id, id],
    );
    return notice!;
  });
}
