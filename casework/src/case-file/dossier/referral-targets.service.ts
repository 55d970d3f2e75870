// Whom a case file may be referred to (createReferral): the offices and services, the operators
// and the other bodies of the organisations the case's data may reach today. That is the rule
// createReferral applies when the referral is sent (the case's organisation line, or a
// data-sharing agreement in force, organizations/data-sharing.ts), listed in advance so that the
// social worker picks a receiver instead of typing one in words.
import type { Actor } from '../../access/actor.ts';
import { Refusal } from '../../access/audited.ts';
import type { Db } from '../../db/db.ts';
import { CaseworkError } from '../../errors.ts';
import { sharingPartners } from '../../organizations/data-sharing.ts';
import { auditCaseRead, authorizeCase, operatorIdOf } from '../case-file.access.ts';
import { inTransaction, today } from '../case-file.util.ts';

/** How the case's data would reach the receiver: its own organisation line, or an agreement. */
export type ReferralTargetBasis = 'SAME_LINE' | 'AGREEMENT';

export type ReferralTargetOffice = {
  id: string;
  name: string;
  /** 2 for a second-level service (the only ones a SECOND_LEVEL referral may name). */
  level: number;
  sector: string | null;
  organizationId: string;
  organizationName: string;
  basis: ReferralTargetBasis;
};

export type ReferralTargetOperator = {
  id: string;
  fullName: string;
  role: string;
  /** The first office (by name) where the operator works in a reachable organisation. */
  officeId: string;
  officeName: string;
  organizationId: string;
  organizationName: string;
  basis: ReferralTargetBasis;
};

export type ReferralTargetOrganization = {
  id: string;
  name: string;
  basis: ReferralTargetBasis;
};

/**
 * SERVICE and SECOND_LEVEL name an office (level 2 for the latter), OPERATOR an operator,
 * OTHER_BODY an organisation or a body named in words (which needs no list).
 */
export type ReferralTargets = {
  offices: ReferralTargetOffice[];
  operators: ReferralTargetOperator[];
  /** Organisations other than the case's own, for OTHER_BODY. */
  organizations: ReferralTargetOrganization[];
};

const ENTITY = 'ReferralTarget';

/**
 * The receivers the caller may refer this case file to. Only for an operator enabled on the case
 * (partner clients never refer); refusals are audited as the other case-file reads are.
 */
export async function listReferralTargets(
  db: Db,
  actor: Actor,
  caseFileId: string,
): Promise<ReferralTargets> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'READ', ENTITY);
    if (c instanceof CaseworkError) return c;
    if (actor.kind === 'CLIENT') {
      // READ lets a granted partner read the case; referring it is the enabled operators' work.
      throw new Refusal('FORBIDDEN', 'non autorizzato su questa cartella sociale', {
        action: 'READ',
        entity: ENTITY,
        entityId: c.id,
        personId: c.personId,
        reason: 'partner clients do not refer case files',
      });
    }
    const bases = await sharingPartners(tx, c.organizationId, today());
    const reachable = [...bases.keys()];
    const basisOf = (organizationId: string): ReferralTargetBasis =>
      bases.get(organizationId)!.kind;

    const offices = await tx.query<Omit<ReferralTargetOffice, 'basis'>>(
      `SELECT f.id, f.name, f.level, f.sector, f.organization_id AS "organizationId",
              org.name AS "organizationName"
         FROM office f JOIN organization org ON org.id = f.organization_id
        WHERE f.organization_id = ANY($1::uuid[])
        ORDER BY org.name, f.level, f.name, f.id`,
      [reachable],
    );
    // The receivers of an operator referral: social workers and coordinators (those who answer
    // referrals, listIncomingReferrals), not the caller. One row each, the first office by name.
    const operators = await tx.query<Omit<ReferralTargetOperator, 'basis'>>(
      `SELECT * FROM (
         SELECT DISTINCT ON (op.id) op.id, op.full_name AS "fullName", m.role,
                f.id AS "officeId", f.name AS "officeName", f.organization_id AS "organizationId",
                org.name AS "organizationName"
           FROM operator op
           JOIN membership m ON m.operator_id = op.id
           JOIN office f ON f.id = m.office_id
           JOIN organization org ON org.id = f.organization_id
          WHERE op.active AND f.organization_id = ANY($1::uuid[])
            AND m.role IN ('SOCIAL_WORKER', 'COORDINATOR')
            AND op.id IS DISTINCT FROM $2::uuid
          ORDER BY op.id, f.name, m.role) t
        ORDER BY "fullName", id`,
      [reachable, operatorIdOf(actor)],
    );
    const organizations = await tx.query<Omit<ReferralTargetOrganization, 'basis'>>(
      `SELECT id, name FROM organization WHERE id = ANY($1::uuid[]) AND id <> $2 ORDER BY name, id`,
      [reachable, c.organizationId],
    );
    const result: ReferralTargets = {
      offices: offices.map((o) => ({
        ...o,
        level: Number(o.level),
        basis: basisOf(o.organizationId),
      })),
      operators: operators.map((o) => ({ ...o, basis: basisOf(o.organizationId) })),
      organizations: organizations.map((o) => ({ ...o, basis: basisOf(o.id) })),
    };
    await auditCaseRead(tx, actor, c, ENTITY, {
      offices: result.offices.length,
      operators: result.operators.length,
      organizations: result.organizations.length,
    });
    return result;
  });
}
