import type { Actor } from '../access/actor.ts';
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

/** Writes one audit event; call it with the transaction of the write it records. */
export async function audit(q: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  const [kind, actorId, organizationId, ip, userAgent] = auditActorValues(actor);
  await q.query(
    `INSERT INTO audit_log (actor_kind, actor_id, organization_id, action, entity, entity_id,
       person_id, outcome, ip, user_agent, reason, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      kind,
      actorId,
      organizationId,
      entry.action,
      entry.entity,
      entry.entityId ?? null,
      entry.personId ?? null,
      entry.outcome,
      ip,
      userAgent,
      entry.reason ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
    ],
  );
}

export type AuditRow = {
  id: number;
  at: Date;
  actorKind: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  personId: string | null;
  outcome: string;
  ip: string | null;
  reason: string | null;
};

export async function listAudit(
  q: Queryable,
  filter: {
    personId?: string | undefined;
    actorId?: string | undefined;
    limit?: number | undefined;
  },
): Promise<AuditRow[]> {
  return q.query<AuditRow>(
    `SELECT id, at, actor_kind AS "actorKind", actor_id AS "actorId", action, entity,
            entity_id AS "entityId", person_id AS "personId", outcome, ip, reason
       FROM audit_log
      WHERE ($1::uuid IS NULL OR person_id = $1) AND ($2::text IS NULL OR actor_id = $2)
      ORDER BY id DESC LIMIT $3`,
    [filter.personId ?? null, filter.actorId ?? null, Math.min(filter.limit ?? 100, 1000)],
  );
}
