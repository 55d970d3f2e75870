// The deadline for deciding a judicial proposal (issue 8, section 2): an intake record of the
// judicial authority proposed for taking into care cannot be rejected (take-into-care.service.ts),
// so it must be decided, by opening a case file or attaching it to the person's open one, within
// the days set in judicial_proposal_deadline (default 30, see migration 011). The due date is
// stored when the record is proposed. The office's social workers and coordinator get the alert
// list of the overdue ones and of those due soon, as they get the proposals themselves.
import type { Actor } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { badInput } from '../errors.ts';
import { todayInRome } from '../time/today.ts';
import { worksIn } from './case-file.access.ts';
import type { IntakeEvaluationStatus } from './case-file.types.ts';

/** A proposal due within this many days is listed before it is overdue. */
export const JUDICIAL_DUE_SOON_DAYS = 7;

export type JudicialProposalAlert = {
  intakeRecordId: string;
  number: number;
  occurredAt: Date;
  /** When it was proposed (the intake record's closing). */
  proposedAt: Date | null;
  subjectPersonId: string | null;
  proposedOfficeId: string;
  evaluationStatus: IntakeEvaluationStatus | null;
  decisionDueOn: string;
  /** Days to the due date on `asOf`; negative once it has passed. */
  daysLeft: number;
  overdue: boolean;
  /** The subject's open case file in the office, if any (attach instead of opening). */
  openCaseFileId: string | null;
};

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The office's undecided judicial proposals whose due date has passed or falls within
 * `withinDays` (default JUDICIAL_DUE_SOON_DAYS) of `asOf` (default today in Rome), the most
 * urgent first. Only for those who see the office's proposals (listProposedIntakeRecords: its
 * social workers and coordinator); a refusal is audited.
 */
export async function listOverdueJudicialProposals(
  db: Db,
  actor: Actor,
  officeId: string,
  options: { asOf?: string | undefined; withinDays?: number | undefined } = {},
): Promise<JudicialProposalAlert[]> {
  const scope = {
    action: 'SEARCH' as const,
    entity: 'IntakeRecord',
    entityId: null,
    personId: null,
  };
  return audited(db, actor, scope, async (tx) => {
    if (actor.kind !== 'SYSTEM' && !worksIn(actor, officeId)) {
      throw new Refusal(
        'FORBIDDEN',
        "solo gli operatori sociali dell'ufficio vedono le proposte",
        {
          action: 'SEARCH',
          entity: 'IntakeRecord',
          reason: 'not a social worker or coordinator of the office',
          details: { officeId: isUuid(officeId) ? officeId : null, alert: 'JUDICIAL_DEADLINE' },
        },
        'officeId',
      );
    }
    if (!isUuid(officeId)) throw badInput('officeId', 'identificativo non valido');
    const asOf = options.asOf ?? todayInRome();
    if (!isoDate.test(asOf) || Number.isNaN(Date.parse(asOf)))
      throw badInput('asOf', 'data non valida (AAAA-MM-GG)');
    const within = Math.min(Math.max(options.withinDays ?? JUDICIAL_DUE_SOON_DAYS, 0), 365);
    const rows = await tx.query<JudicialProposalAlert>(
      `SELECT i.id AS "intakeRecordId", i.number, i.occurred_at AS "occurredAt",
              i.closed_at AS "proposedAt", i.subject_person_id AS "subjectPersonId",
              i.proposed_office_id AS "proposedOfficeId", e.status AS "evaluationStatus",
              i.decision_due_on AS "decisionDueOn",
              (i.decision_due_on - $2::date) AS "daysLeft",
              (i.decision_due_on < $2::date) AS overdue,
              (SELECT c.id FROM case_file c
                WHERE c.person_id = i.subject_person_id AND c.office_id = i.proposed_office_id
                  AND c.status <> 'CLOSED') AS "openCaseFileId"
         FROM intake_record i
         LEFT JOIN intake_evaluation e ON e.intake_record_id = i.id
        WHERE i.proposed_office_id = $1 AND i.status = 'PROPOSED'
          AND i.access_kind = 'JUDICIAL_AUTHORITY' AND i.deleted_at IS NULL
          AND i.decision_due_on <= $2::date + $3::int
        ORDER BY i.decision_due_on, i.occurred_at
        LIMIT 500`,
      [officeId, asOf, within],
    );
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'IntakeRecord',
      outcome: 'OK',
      details: {
        officeId,
        alert: 'JUDICIAL_DEADLINE',
        overdue: rows.filter((r) => r.overdue).length,
        dueSoon: rows.filter((r) => !r.overdue).length,
      },
    });
    return rows;
  });
}
