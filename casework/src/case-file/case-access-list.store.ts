// The access list of the case file: enabled operators and partner organisation grants.
import type { Queryable } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import type { CaseOperator, OrganizationAccess } from './case-file.types.ts';
import { isUniqueViolation } from './case-status.store.ts';

export async function insertCaseOperator(
  q: Queryable,
  o: {
    caseFileId: string;
    operatorId: string;
    operatorType: string;
    responsible: boolean;
    enabledFrom: string;
    enabledBy: string | null;
  },
): Promise<string> {
  try {
    const rows = await q.query<{ id: string }>(
      `INSERT INTO case_operator (case_file_id, operator_id, operator_type, responsible, enabled_from, enabled_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [o.caseFileId, o.operatorId, o.operatorType, o.responsible, o.enabledFrom, o.enabledBy],
    );
    return rows[0]!.id;
  } catch (err) {
    if (isUniqueViolation(err, 'case_operator_active_idx')) {
      throw new CaseworkError(
        'CONFLICT',
        "l'operatore è già abilitato sulla cartella",
        'input.operatorId',
      );
    }
    throw err;
  }
}

export async function clearResponsible(q: Queryable, caseFileId: string): Promise<void> {
  await q.query(
    `UPDATE case_operator SET responsible = false WHERE case_file_id = $1 AND disabled_at IS NULL`,
    [caseFileId],
  );
}

export async function disableCaseOperator(
  q: Queryable,
  caseFileId: string,
  operatorId: string,
  by: string | null,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE case_operator SET disabled_at = now(), disabled_by = $3
      WHERE case_file_id = $1 AND operator_id = $2 AND disabled_at IS NULL RETURNING id`,
    [caseFileId, operatorId, by],
  );
  return rows.length > 0;
}

/** On a change of office the previous office's operators lose access. */
export async function disableOperatorsOutside(
  q: Queryable,
  caseFileId: string,
  officeId: string,
  by: string | null,
): Promise<void> {
  await q.query(
    `UPDATE case_operator co SET disabled_at = now(), disabled_by = $3
      WHERE co.case_file_id = $1 AND co.disabled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.operator_id = co.operator_id AND m.office_id = $2)`,
    [caseFileId, officeId, by],
  );
}

export async function selectCaseOperators(
  q: Queryable,
  caseFileId: string,
): Promise<CaseOperator[]> {
  return q.query<CaseOperator>(
    `SELECT co.id, co.operator_id AS "operatorId", op.full_name AS "fullName", co.operator_type AS "operatorType",
            co.responsible, co.enabled_from AS "enabledFrom", co.enabled_by AS "enabledBy",
            co.enabled_at AS "enabledAt", co.disabled_at AS "disabledAt"
       FROM case_operator co JOIN operator op ON op.id = co.operator_id
      WHERE co.case_file_id = $1 ORDER BY co.disabled_at NULLS FIRST, co.responsible DESC, co.enabled_at`,
    [caseFileId],
  );
}

export async function operatorExists(q: Queryable, operatorId: string): Promise<boolean> {
  return (
    (await q.query('SELECT 1 FROM operator WHERE id = $1 AND active', [operatorId])).length > 0
  );
}

export async function insertOrganizationAccess(
  q: Queryable,
  g: {
    caseFileId: string;
    organizationId: string;
    reason: string;
    validFrom: string;
    validTo: string | null;
    grantedBy: string | null;
  },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO case_organization_access (case_file_id, organization_id, reason, valid_from, valid_to, granted_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [g.caseFileId, g.organizationId, g.reason, g.validFrom, g.validTo, g.grantedBy],
  );
  return rows[0]!.id;
}

export async function revokeOrganizationAccess(
  q: Queryable,
  caseFileId: string,
  grantId: string,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE case_organization_access SET revoked_at = now()
      WHERE id = $1 AND case_file_id = $2 AND revoked_at IS NULL RETURNING id`,
    [grantId, caseFileId],
  );
  return rows.length > 0;
}

export async function selectOrganizationAccess(
  q: Queryable,
  caseFileId: string,
): Promise<OrganizationAccess[]> {
  return q.query<OrganizationAccess>(
    `SELECT id, organization_id AS "organizationId", reason, valid_from AS "validFrom", valid_to AS "validTo",
            granted_at AS "grantedAt", revoked_at AS "revokedAt"
       FROM case_organization_access WHERE case_file_id = $1 ORDER BY granted_at`,
    [caseFileId],
  );
}

/**
 * The operators who may be put on a case of the organisation: its social workers and
 * coordinators, active, with the office they work in (one row each, the first office by name).
 */
export async function selectOperatorCandidates(
  q: Queryable,
  organizationId: string,
): Promise<{ operatorId: string; fullName: string; role: string; officeName: string }[]> {
  return q.query(
    `SELECT DISTINCT ON (op.full_name, op.id) op.id AS "operatorId", op.full_name AS "fullName",
            m.role, f.name AS "officeName"
       FROM operator op
       JOIN membership m ON m.operator_id = op.id
       JOIN office f ON f.id = m.office_id
      WHERE op.active AND f.organization_id = $1 AND m.role IN ('SOCIAL_WORKER', 'COORDINATOR')
      ORDER BY op.full_name, op.id, f.name, m.role`,
    [organizationId],
  );
}
