// The access list of the case file: the operators enabled on it and the partner organisations
// granted to read it, managed by the owning office's coordinator. Transactional and audited.
import type { Actor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { noAgreement, sharingBasis, sharingBasisWithAny } from '../organizations/data-sharing.ts';
import {
  clearResponsible,
  disableCaseOperator,
  insertCaseOperator,
  insertOrganizationAccess,
  operatorExists,
  revokeOrganizationAccess,
  selectCaseOperators,
  selectOperatorCandidates,
} from './case-access-list.store.ts';
import {
  auditCaseRead,
  auditCaseWrite,
  authorizeCase,
  operatorIdOf,
  operatorOrganizations,
  refuseInTransaction,
} from './case-file.access.ts';
import {
  type CaseOperator,
  type EnableOperatorInput,
  enableOperatorInput,
  type GrantOrganizationInput,
  grantOrganizationInput,
} from './case-file.types.ts';
import { inTransaction, notFound, parseInput, today } from './case-file.util.ts';

export type CaseOperatorCandidate = {
  operatorId: string;
  fullName: string;
  role: string;
  officeName: string;
  /** Already on the case's access list (not disabled). */
  enabled: boolean;
};

/**
 * Whom the owning office's coordinator may enable on the case: the social workers and
 * coordinators of the case's organisation (another organisation's operators only come through
 * a referral or an agreement, which enableCaseOperator checks). Refused to anyone else, audited.
 */
export async function listCaseOperatorCandidates(
  db: Db,
  actor: Actor,
  id: string,
): Promise<CaseOperatorCandidate[]> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOperator');
    if (c instanceof CaseworkError) return c;
    const enabled = new Set(
      (await selectCaseOperators(tx, id)).filter((o) => !o.disabledAt).map((o) => o.operatorId),
    );
    const rows = await selectOperatorCandidates(tx, c.organizationId);
    await auditCaseRead(tx, actor, c, 'CaseOperatorCandidates');
    return rows.map((r) => ({ ...r, enabled: enabled.has(r.operatorId) }));
  });
}

/** Enables an operator on the case file; only the owning office's coordinator may. */
export async function enableCaseOperator(
  db: Db,
  actor: Actor,
  id: string,
  raw: EnableOperatorInput,
): Promise<CaseOperator[]> {
  const input = parseInput(enableOperatorInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOperator');
    if (c instanceof CaseworkError) return c;
    if (!(await operatorExists(tx, input.operatorId)))
      return notFound('operatore', 'input.operatorId');
    const basis = await sharingBasisWithAny(
      tx,
      c.organizationId,
      await operatorOrganizations(tx, input.operatorId),
      today(),
    );
    if (!basis) {
      return refuseInTransaction(
        tx,
        actor,
        noAgreement(
          {
            action: 'CREATE',
            entity: 'CaseOperator',
            entityId: input.operatorId,
            personId: c.personId,
          },
          'input.operatorId',
          { caseFileId: id },
        ),
      );
    }
    if (input.responsible) await clearResponsible(tx, id);
    await insertCaseOperator(tx, {
      caseFileId: id,
      operatorId: input.operatorId,
      operatorType: input.operatorType,
      responsible: input.responsible,
      enabledFrom: input.from ?? today(),
      enabledBy: operatorIdOf(actor),
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'CaseOperator', input.operatorId, {
      operatorType: input.operatorType,
      responsible: input.responsible,
      sharingAgreementId: basis.kind === 'AGREEMENT' ? basis.agreementId : null,
    });
    return selectCaseOperators(tx, id);
  });
}

export async function disableCaseOperatorOnCase(
  db: Db,
  actor: Actor,
  id: string,
  operatorId: string,
): Promise<CaseOperator[]> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOperator');
    if (c instanceof CaseworkError) return c;
    if (!(await disableCaseOperator(tx, id, operatorId, operatorIdOf(actor)))) {
      return notFound("abilitazione dell'operatore", 'operatorId');
    }
    await auditCaseWrite(tx, actor, c, 'DELETE', 'CaseOperator', operatorId);
    return selectCaseOperators(tx, id);
  });
}

/** Grants a partner organisation read access (its clients still need scope cases:read). */
export async function grantOrganizationAccess(
  db: Db,
  actor: Actor,
  id: string,
  raw: GrantOrganizationInput,
): Promise<string> {
  const input = parseInput(grantOrganizationInput, raw);
  const validFrom = input.validFrom ?? today();
  if (input.validTo && input.validTo < validFrom)
    throw badInput('input.validTo', 'la fine precede l’inizio');
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOrganizationAccess');
    if (c instanceof CaseworkError) return c;
    if (
      (await tx.query('SELECT 1 FROM organization WHERE id = $1', [input.organizationId]))
        .length === 0
    ) {
      return notFound('organizzazione', 'input.organizationId');
    }
    const basis = await sharingBasis(tx, c.organizationId, input.organizationId, validFrom);
    if (!basis) {
      return refuseInTransaction(
        tx,
        actor,
        noAgreement(
          { action: 'CREATE', entity: 'CaseOrganizationAccess', personId: c.personId },
          'input.organizationId',
          { caseFileId: id, organizationId: input.organizationId },
        ),
      );
    }
    const grantId = await insertOrganizationAccess(tx, {
      caseFileId: id,
      organizationId: input.organizationId,
      reason: input.reason,
      validFrom,
      validTo: input.validTo ?? null,
      grantedBy: operatorIdOf(actor),
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'CaseOrganizationAccess', grantId, {
      organizationId: input.organizationId,
      sharingAgreementId: basis.kind === 'AGREEMENT' ? basis.agreementId : null,
    });
    return grantId;
  });
}

export async function revokeOrganizationAccessOnCase(
  db: Db,
  actor: Actor,
  id: string,
  grantId: string,
): Promise<void> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOrganizationAccess');
    if (c instanceof CaseworkError) return c;
    if (!(await revokeOrganizationAccess(tx, id, grantId))) return notFound('accesso', 'grantId');
    await auditCaseWrite(tx, actor, c, 'DELETE', 'CaseOrganizationAccess', grantId);
    return undefined;
  });
}
