// The duplicate-benefit control (seed 003 §2.3: the reason for a shared system is that the same
// person does not receive the same help twice from different offices or municipalities). Two
// interventions overlap when they give one person (one codice fiscale, whichever organisation
// registered it) the same standard service (a regional code counts as the code it maps to) from
// two offices in periods that share a day. Each office is told only that the overlap exists and
// whom to contact: the other office, its organisation and the operator who decided the benefit,
// never the other intervention's amounts, provider or notes.
import type { Actor } from '../access/actor.ts';
import { auditedCheck } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { organizationsFor } from './deliveries.access.ts';
import { hiddenServiceCodes } from './deliveries.masking.ts';
import type { BenefitOverlap } from './deliveries.types.ts';
import { forbidden } from './provider.service.ts';

/** Flags the overlaps of a new intervention with the others; returns how many were found. */
export async function flagOverlaps(q: Queryable, interventionId: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH me AS (
       SELECT i.id, i.office_id, i.standard_service_code, i.start_on, i.end_on, i.person_id, p.tax_code
         FROM intervention i JOIN person p ON p.id = i.person_id WHERE i.id = $1
     ), other AS (
       SELECT o.id, greatest(o.start_on, me.start_on) AS from_on,
              CASE WHEN o.end_on IS NULL THEN me.end_on WHEN me.end_on IS NULL THEN o.end_on
                   ELSE least(o.end_on, me.end_on) END AS to_on, me.id AS mine, me.standard_service_code
         FROM me JOIN intervention o ON o.standard_service_code = me.standard_service_code
         JOIN person op ON op.id = o.person_id
        WHERE o.id <> me.id AND o.office_id <> me.office_id AND o.status = 'ACTIVE'
          AND (o.person_id = me.person_id OR (me.tax_code IS NOT NULL AND op.tax_code = me.tax_code))
          AND (o.end_on IS NULL OR o.end_on >= me.start_on)
          AND (me.end_on IS NULL OR o.start_on <= me.end_on)
     ), inserted AS (
       INSERT INTO benefit_overlap (intervention_id, other_intervention_id, standard_service_code, overlap_from, overlap_to)
       SELECT least(mine, id), greatest(mine, id), standard_service_code, from_on, to_on FROM other
       ON CONFLICT DO NOTHING RETURNING 1
     )
     SELECT count(*)::int AS n FROM inserted`,
    [interventionId],
  );
  return rows[0]?.n ?? 0;
}

/**
 * The overlaps of the caller's organisations' interventions, each seen from its own side: the
 * caller's intervention and whom to contact on the other side.
 */
export async function listBenefitOverlaps(
  db: Db,
  actor: Actor,
  interventionId: string | null = null,
): Promise<BenefitOverlap[]> {
  const orgs = organizationsFor(actor, 'READ');
  const scope = {
    action: 'SEARCH' as const,
    entity: 'BenefitOverlap',
    entityId: interventionId,
    personId: null,
  };
  await auditedCheck(db, actor, scope, () => {
    if (orgs.length === 0) throw forbidden('sovrapposizioni di prestazioni');
  });
  return db.transaction(async (tx) => {
    const rows = await tx.query<BenefitOverlap & { personId: string }>(
      `SELECT b.id, mine.id AS "interventionId", mine.person_id AS "personId", b.standard_service_code AS "standardServiceCode",
              b.overlap_from AS "overlapFrom", b.overlap_to AS "overlapTo", b.detected_at AS "detectedAt",
              oo.name AS "otherOrganizationName", of.name AS "otherOfficeName",
              op.full_name AS "contactName", op.email AS "contactEmail"
         FROM benefit_overlap b
         JOIN intervention mine ON mine.id IN (b.intervention_id, b.other_intervention_id)
         JOIN intervention theirs ON theirs.id IN (b.intervention_id, b.other_intervention_id) AND theirs.id <> mine.id
         JOIN organization oo ON oo.id = theirs.organization_id
         JOIN office of ON of.id = theirs.office_id
         LEFT JOIN operator op ON op.id = theirs.created_by
        WHERE mine.organization_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR mine.id = $2)
        ORDER BY b.detected_at DESC, b.id
        LIMIT 500`,
      [orgs, interventionId],
    );
    // The fact of the overlap is personal data of the beneficiary: each person read is audited.
    for (const personId of new Set(rows.map((r) => r.personId))) {
      await audit(tx, actor, { action: 'READ', entity: 'BenefitOverlap', personId, outcome: 'OK' });
    }
    const hidden = await hiddenServiceCodes(
      tx,
      actor,
      rows.map((r) => r.standardServiceCode),
    );
    return rows.map(({ personId: _, ...r }) =>
      r.standardServiceCode !== null && hidden.has(r.standardServiceCode)
        ? { ...r, standardServiceCode: null }
        : r,
    );
  });
}
