import type { Actor, Origin } from '../access/actor.ts';
import type { Queryable } from '../db/db.ts';

export type AuditAction =
  | 'READ'
  | 'SEARCH'
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'EXPORT'
  | 'LOGIN'
  | 'LOGOUT'
  | 'TOKEN';

export type AuditEntry = {
  action: AuditAction;
  entity: string;
  entityId?: string | null | undefined;
  personId?: string | null | undefined;
  outcome: 'OK' | 'DENIED' | 'FAILED';
  reason?: string | null | undefined;
  details?: Record<string, unknown> | null | undefined;
};

/** Who did it and from where: the first five audit columns, in `AUDIT_ACTOR_COLUMNS` order. */
export const AUDIT_ACTOR_COLUMNS = 'actor_kind, actor_id, organization_id, ip, user_agent';

export function auditActorValues(
  actor: Actor,
): [string, string, string | null, string | null, string | null] {
  const organizationId =
    actor.kind === 'CLIENT'
      ? actor.organizationId
      : actor.kind === 'OPERATOR'
        ? (actor.memberships[0]?.organizationId ?? null)
        : null;
  return [
    actor.kind,
    actor.kind === 'OPERATOR'
      ? actor.username
      : actor.kind === 'CLIENT'
        ? actor.clientId
        : actor.id,
    organizationId,
    actor.origin.ip,
    actor.origin.userAgent,
  ];
}

// A login attempt names its own actor: without a cap a caller writes megabytes per audit row.
export const MAX_AUDIT_ACTOR_ID = 64;
const MAX_AUDIT_TEXT = 256;
const cap = (s: string | null, n: number) => (s !== null && s.length > n ? `${s.slice(0, n)}…` : s);

/** Writes one audit event; call it with the transaction of the write it records. */
export async function audit(q: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  const [kind, actorId, organizationId, ip, userAgent] = auditActorValues(actor);
  await insertAudit(q, kind, actorId, organizationId, ip, userAgent, entry);
}

/**
 * An event of a caller the gateway could not identify (no token, a forged or expired one):
 * actor kind ANONYMOUS, `claimed` the name it gave, if any.
 */
export async function auditAnonymous(
  q: Queryable,
  origin: Origin,
  entry: AuditEntry,
  claimed: string | null = null,
): Promise<void> {
  await insertAudit(q, 'ANONYMOUS', claimed, null, origin.ip, origin.userAgent, entry);
}

/**
 * The audit row of a write as part of the statement that makes it (a data-modifying CTE):
 * `INSERT INTO audit_log … SELECT … FROM <from>`, one row per row of `from`, so that the write
 * and its audit row land together in one round trip, or neither does. `entityId` and `personId`
 * are SQL over `from` (e.g. `w.id::text`); the other values are pushed onto `params`.
 */
export function auditInsertSql(
  actor: Actor,
  entry: Omit<AuditEntry, 'entityId' | 'personId'>,
  params: unknown[],
  row: { from: string; entityId: string; personId: string },
): string {
  const [kind, actorId, organizationId, ip, userAgent] = auditActorValues(actor);
  const p = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  return `INSERT INTO audit_log (${AUDIT_ACTOR_COLUMNS}, action, entity, entity_id, person_id, outcome,
       reason, details)
     SELECT ${p(kind, 'text')}, ${p(cap(actorId, MAX_AUDIT_ACTOR_ID), 'text')},
            ${p(organizationId, 'uuid')}, ${p(cap(ip, MAX_AUDIT_TEXT), 'text')},
            ${p(cap(userAgent, MAX_AUDIT_TEXT), 'text')}, ${p(entry.action, 'text')},
            ${p(entry.entity, 'text')}, ${row.entityId}, ${row.personId}, ${p(entry.outcome, 'text')},
            ${p(cap(entry.reason ?? null, MAX_AUDIT_TEXT), 'text')},
            ${p(entry.details ? JSON.stringify(entry.details) : null, 'jsonb')}
       FROM ${row.from}`;
}

async function insertAudit(
  q: Queryable,
  kind: string,
  actorId: string | null,
  organizationId: string | null,
  ip: string | null,
  userAgent: string | null,
  entry: AuditEntry,
): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (actor_kind, actor_id, organization_id, action, entity, entity_id,
       person_id, outcome, ip, user_agent, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      kind,
      cap(actorId, MAX_AUDIT_ACTOR_ID),
      organizationId,
      entry.action,
      entry.entity,
      cap(entry.entityId ?? null, MAX_AUDIT_TEXT),
      entry.personId ?? null,
      entry.outcome,
      cap(ip, MAX_AUDIT_TEXT),
      cap(userAgent, MAX_AUDIT_TEXT),
      cap(entry.reason ?? null, MAX_AUDIT_TEXT),
      entry.details ? JSON.stringify(entry.details) : null,
    ],
  );
}

export type AuditRow = {
  id: number;
  at: Date;
  actorKind: string;
  actorId: string | null;
  organizationId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  personId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
};

export type AuditFilter = {
  personId?: string | undefined;
  actorId?: string | undefined;
  /** From this instant (inclusive) to that one (exclusive). */
  from?: Date | undefined;
  to?: Date | undefined;
  outcome?: string | undefined;
  /** The id of the last event of the previous page: events older than it. */
  before?: number | undefined;
  limit?: number | undefined;
};

export const MAX_AUDIT_PAGE = 1000;

/** Events newest first, one page: a data subject's request is answered by period and by person. */
export async function listAudit(q: Queryable, filter: AuditFilter): Promise<AuditRow[]> {
  return q.query<AuditRow>(
    `SELECT id::int AS id, at, actor_kind AS "actorKind", actor_id AS "actorId",
            organization_id AS "organizationId", action, entity, entity_id AS "entityId",
            person_id AS "personId", outcome, ip, user_agent AS "userAgent", reason, details
       FROM audit_log
      WHERE ($1::uuid IS NULL OR person_id = $1) AND ($2::text IS NULL OR actor_id = $2)
        AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
        AND ($5::text IS NULL OR outcome = $5) AND ($6::bigint IS NULL OR id < $6)
      ORDER BY id DESC LIMIT $7`,
    [
      filter.personId ?? null,
      filter.actorId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.outcome ?? null,
      filter.before ?? null,
      Math.max(1, Math.min(filter.limit ?? 100, MAX_AUDIT_PAGE)),
    ],
  );
}
