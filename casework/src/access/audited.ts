import { type AuditEntry, audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { CaseworkError, type CaseworkErrorCode } from '../errors.ts';
import type { Actor } from './actor.ts';

/** Refusals recorded in the audit log as DENIED (bad input is not a denial). */
export const DENIAL_CODES = new Set<CaseworkErrorCode>([
  'FORBIDDEN',
  'CONSENT_REQUIRED',
  'ANONYMOUS_WITH_IDENTITY',
  'SUBJECT_REQUIRED',
  'CHANNEL_NOT_ALLOWED',
  'INTERLOCUTOR_NOT_ALLOWED',
  'SERVICE_WITHOUT_TITLE',
  'OUTCOME_NOT_ALLOWED',
  'RECORD_CLOSED',
  'ACCESS_KIND_FIXED',
  'RECORD_KEPT_BY_LAW',
  'NO_SHARING_AGREEMENT',
  'REPRESENTATIVE_CONSENT_REQUIRED',
]);

/** What a refusal is about, filled in as the service learns it (the record, whose data). */
export type AuditScope = {
  action: AuditEntry['action'];
  entity: string;
  entityId: string | null;
  personId: string | null;
};

/**
 * A refusal that carries its own audit row: thrown where the service decides, written by
 * `audited` after the rollback. `NOT_FOUND` refusals hide that the thing exists (a person held
 * by another organisation answers as an unknown one) but are still audited as DENIED.
 */
export class Refusal extends CaseworkError {
  constructor(
    code: CaseworkErrorCode,
    message: string,
    readonly entry: Omit<AuditEntry, 'outcome'>,
    field?: string,
  ) {
    super(code, message, field);
  }
}

/**
 * Runs `fn` in one transaction. Services throw; a refusal rolls everything back and is then
 * audited as DENIED in a transaction of its own, so that the denial stays on record while
 * nothing else does. `complete` may fill in the scope of a refusal (e.g. whose record it was).
 */
export async function audited<T>(
  db: Db,
  actor: Actor,
  scope: AuditScope,
  fn: (tx: Queryable, scope: AuditScope) => Promise<T>,
  complete?: (tx: Queryable, scope: AuditScope) => Promise<void>,
): Promise<T> {
  try {
    return await db.transaction((tx) => fn(tx, scope));
  } catch (err) {
    if (err instanceof Refusal) {
      await db.transaction((tx) =>
        audit(tx, actor, {
          ...err.entry,
          outcome: 'DENIED',
          reason: err.entry.reason ?? `${err.code}: ${err.message}`,
        }),
      );
    } else if (err instanceof CaseworkError && DENIAL_CODES.has(err.code)) {
      await db.transaction(async (tx) => {
        if (complete) await complete(tx, scope);
        await audit(tx, actor, {
          action: scope.action,
          entity: scope.entity,
          entityId: scope.entityId,
          personId: scope.personId,
          outcome: 'DENIED',
          reason: `${err.code}: ${err.message}`,
          details: err.field ? { field: err.field } : null,
        });
      });
    }
    throw err;
  }
}

/**
 * A check that reads nothing (the actor's role or scopes), made before a statement that audits
 * itself: no transaction when it passes (on the hot look-up path an empty BEGIN/COMMIT would
 * queue behind every other statement of the embedded store); a refusal is audited as DENIED
 * exactly as `audited` does it.
 */
export async function auditedCheck(
  db: Db,
  actor: Actor,
  scope: AuditScope,
  check: () => void,
): Promise<void> {
  try {
    check();
  } catch (err) {
    await audited(db, actor, scope, async () => {
      throw err;
    });
  }
}
