// Who may see and change a case file (seed 003 1.3: "i nominativi degli operatori che saranno
// abilitati a prendere contatto con il caso"):
// - READ: an operator enabled on the case; a partner client with scope cases:read whose
//   organisation was granted access to the case; the system.
// - WRITE (dossier, sections): an operator enabled on the case.
// - STATUS (status, sector, office): an enabled operator who works in the owning office.
// - MANAGE (enable operators, grant organisations): the owning office's coordinator.
// Everyone else gets FORBIDDEN, and the attempt is audited.
import type { Actor } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import type { CaseStatus } from './case-file.types.ts';
import { notFound, today } from './case-file.util.ts';

export type CaseHeader = {
  id: string;
  personId: string;
  organizationId: string;
  officeId: string;
  status: CaseStatus;
  sector: string | null;
  openedOn: string;
};

export type CaseMode = 'READ' | 'WRITE' | 'STATUS' | 'MANAGE';

export const CASES_READ_SCOPE = 'cases:read';

export async function selectCaseHeader(
  q: Queryable,
  id: string,
  lock = false,
  operatorId: string | null = null,
): Promise<(CaseHeader & { enabled: boolean }) | null> {
  // The operator's enablement comes with the header: one round trip for the usual check.
  const rows = await q.query<CaseHeader & { enabled: boolean }>(
    `SELECT id, person_id AS "personId", organization_id AS "organizationId", office_id AS "officeId",
            status, sector, opened_on AS "openedOn",
            EXISTS (SELECT 1 FROM case_operator co
                     WHERE co.case_file_id = case_file.id AND co.operator_id = $2::uuid
                       AND co.disabled_at IS NULL AND co.enabled_from <= $3::date) AS enabled
       FROM case_file WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id, operatorId, today()],
  );
  return rows[0] ?? null;
}

export async function isEnabledOperator(
  q: Queryable,
  caseFileId: string,
  operatorId: string,
): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM case_operator
      WHERE case_file_id = $1 AND operator_id = $2 AND disabled_at IS NULL AND enabled_from <= $3`,
    [caseFileId, operatorId, today()],
  );
  return rows.length > 0;
}

export async function hasOrganizationGrant(
  q: Queryable,
  caseFileId: string,
  organizationIds: string[],
): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM case_organization_access
      WHERE case_file_id = $1 AND organization_id = ANY($2::uuid[]) AND revoked_at IS NULL
        AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)`,
    [caseFileId, organizationIds, today()],
  );
  return rows.length > 0;
}

export function isCoordinatorOf(actor: Actor, officeId: string): boolean {
  return (
    actor.kind === 'OPERATOR' &&
    actor.memberships.some((m) => m.officeId === officeId && m.role === 'COORDINATOR')
  );
}

export function worksIn(actor: Actor, officeId: string): boolean {
  return (
    actor.kind === 'OPERATOR' &&
    actor.memberships.some(
      (m) => m.officeId === officeId && (m.role === 'SOCIAL_WORKER' || m.role === 'COORDINATOR'),
    )
  );
}

/** Why the actor may not act on the case in this mode, or null when it may. */
async function denialReason(
  q: Queryable,
  actor: Actor,
  c: CaseHeader & { enabled: boolean },
  mode: CaseMode,
): Promise<string | null> {
  if (actor.kind === 'SYSTEM') return null;
  if (actor.kind === 'CLIENT') {
    if (mode !== 'READ') return 'partner clients do not change case files';
    if (!actor.scopes.includes(CASES_READ_SCOPE)) return `missing scope ${CASES_READ_SCOPE}`;
    if (!(await hasOrganizationGrant(q, c.id, [actor.organizationId]))) {
      return 'the client organisation has no access to this case file';
    }
    return null;
  }
  if (mode === 'MANAGE') {
    return isCoordinatorOf(actor, c.officeId)
      ? null
      : 'only the coordinator of the owning office manages access';
  }
  if (!c.enabled) return 'operator not enabled on the case file';
  if (mode === 'STATUS' && !worksIn(actor, c.officeId))
    return 'operator does not work in the owning office';
  return null;
}

/**
 * Loads the case file's header and checks the actor may act on it in `mode`. A refusal is
 * audited in `q` and returned (see inTransaction), so it survives the caller's transaction.
 */
export async function authorizeCase(
  q: Queryable,
  actor: Actor,
  caseFileId: string,
  mode: CaseMode,
  entity = 'CaseFile',
  options: { lock?: boolean; allowClosed?: boolean } = {},
): Promise<CaseHeader | CaseworkError> {
  const found = await selectCaseHeader(
    q,
    caseFileId,
    options.lock,
    actor.kind === 'OPERATOR' ? actor.id : null,
  );
  if (!found) return notFound('cartella sociale', 'caseFileId');
  const { enabled: _, ...c } = found;
  const reason = await denialReason(q, actor, found, mode);
  if (reason) {
    throw new Refusal('FORBIDDEN', 'non autorizzato su questa cartella sociale', {
      action: mode === 'READ' ? 'READ' : 'UPDATE',
      entity,
      entityId: c.id,
      personId: c.personId,
      reason,
    });
  }
  if (mode === 'WRITE' && c.status === 'CLOSED' && !options.allowClosed) {
    return new CaseworkError(
      'CONFLICT',
      'la cartella è chiusa: riaprirla per aggiungere dati',
      'caseFileId',
    );
  }
  return c;
}

/** Audits a successful read of case data. */
export async function auditCaseRead(
  q: Queryable,
  actor: Actor,
  c: { id: string; personId: string },
  entity = 'CaseFile',
  details?: Record<string, unknown>,
): Promise<void> {
  await audit(q, actor, {
    action: 'READ',
    entity,
    entityId: c.id,
    personId: c.personId,
    outcome: 'OK',
    details,
  });
}

export async function auditCaseWrite(
  q: Queryable,
  actor: Actor,
  c: { id: string; personId: string },
  action: 'CREATE' | 'UPDATE' | 'DELETE',
  entity: string,
  entityId: string,
  details?: Record<string, unknown>,
): Promise<void> {
  await audit(q, actor, {
    action,
    entity,
    entityId,
    personId: c.personId,
    outcome: 'OK',
    details: { caseFileId: c.id, ...details },
  });
}

export const operatorIdOf = (actor: Actor): string | null =>
  actor.kind === 'OPERATOR' ? actor.id : null;

/** Refuses, audited in a transaction of its own, before anything was read. */
export async function refuseAudited(
  db: Db,
  actor: Actor,
  entry: { action: 'READ' | 'SEARCH' | 'UPDATE'; entity: string; reason: string },
  message: string,
): Promise<never> {
  const scope = { action: entry.action, entity: entry.entity, entityId: null, personId: null };
  return audited(db, actor, scope, async () => {
    throw new Refusal('FORBIDDEN', message, entry);
  });
}

/** Throws the refusal; the audited transaction around it rolls back and writes its DENIED row. */
export async function refuseInTransaction(
  _q: Queryable,
  _actor: Actor,
  refusal: Refusal,
): Promise<never> {
  throw refusal;
}

/** The organisations an operator works for (its offices'). */
export async function operatorOrganizations(q: Queryable, operatorId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT DISTINCT o.organization_id AS id FROM membership m JOIN office o ON o.id = m.office_id
      WHERE m.operator_id = $1`,
    [operatorId],
  );
  return rows.map((r) => r.id);
}
