import { type Actor, canSeeOrganization, hasRole, type Role } from '../access/actor.ts';
import { type AuditScope, audited } from '../access/audited.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { CaseworkError } from '../errors.ts';
import { type IntakeRow, selectIntakeRow } from './intake.store.ts';
import { EDITABLE_STATUSES, STATUS_LABELS } from './intake.types.ts';

// Who may do what with intake records (DESIGN.md section 1):
// - FRONT_DESK, SOCIAL_WORKER and COORDINATOR read and write: they receive people, evaluate
//   the records proposed to them and supervise the desks.
// - ADMIN_STAFF only reads: they record interventions and need the requested services.
// - MANAGER, PLANNER and ADMINISTRATOR see no record: they work on aggregates (the warehouse,
//   pseudonymised) or on configuration, never on a person's intake.
// - A partner CLIENT needs the scope intake:read (or intake:write) and intake:write to write.
// Every operator sees only records owned by the organisations in actor.organizationIds.
const READ_ROLES: Role[] = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF'];
const WRITE_ROLES: Role[] = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR'];
export const ENTITY = 'IntakeRecord';

function mayRead(actor: Actor): boolean {
  if (actor.kind === 'SYSTEM') return true;
  if (actor.kind === 'CLIENT') {
    return actor.scopes.includes('intake:read') || actor.scopes.includes('intake:write');
  }
  return hasRole(actor, ...READ_ROLES);
}

function mayWrite(actor: Actor): boolean {
  if (actor.kind === 'SYSTEM') return true;
  if (actor.kind === 'CLIENT') return actor.scopes.includes('intake:write');
  return hasRole(actor, ...WRITE_ROLES);
}

export const forbidden = (message: string) => new CaseworkError('FORBIDDEN', message);

export function requireRead(actor: Actor): void {
  if (!mayRead(actor)) {
    throw forbidden(
      actor.kind === 'CLIENT'
        ? "il client non ha l'ambito intake:read"
        : 'il ruolo non consente di consultare le schede di accesso',
    );
  }
}

export function requireWrite(actor: Actor): void {
  if (!mayWrite(actor)) {
    throw forbidden(
      actor.kind === 'CLIENT'
        ? "il client non ha l'ambito intake:write"
        : 'il ruolo non consente di compilare le schede di accesso',
    );
  }
}

/** One audited transaction (access/audited.ts); a refusal still names whose record it was. */
export function run<T>(
  db: Db,
  actor: Actor,
  scope: AuditScope,
  fn: (tx: Queryable, scope: AuditScope) => Promise<T>,
): Promise<T> {
  return audited(db, actor, scope, fn, async (tx, s) => {
    if (s.entityId && !s.personId && isUuid(s.entityId)) {
      s.personId = (await selectIntakeRow(tx, s.entityId))?.subjectPersonId ?? null;
    }
  });
}

/** Loads a live record the actor may see, locking it when it is about to change. */
export async function loadVisibleRow(
  tx: Queryable,
  actor: Actor,
  id: string,
  scope: AuditScope,
  forUpdate: boolean,
): Promise<IntakeRow> {
  const row = isUuid(id) ? await selectIntakeRow(tx, id, { forUpdate }) : null;
  if (!row || row.deletedAt)
    throw new CaseworkError('NOT_FOUND', 'scheda di accesso non trovata', 'id');
  scope.personId = row.subjectPersonId;
  if (!canSeeOrganization(actor, row.organizationId)) {
    throw forbidden('la scheda appartiene a un ente non accessibile all’operatore');
  }
  return row;
}

export function requireEditable(row: IntakeRow): void {
  if (!EDITABLE_STATUSES.includes(row.status)) {
    throw new CaseworkError(
      'RECORD_CLOSED',
      `la scheda è ${STATUS_LABELS[row.status].toLowerCase()}: non può più essere modificata`,
      'id',
    );
  }
}
