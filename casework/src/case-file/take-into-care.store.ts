// Intake records proposed to an office and their evaluation, and the link of an intake record to
// the case file it opened or joined.
import type { Queryable } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import type {
  IntakeEvaluation,
  IntakeEvaluationStatus,
  ProposedIntakeRecord,
} from './case-file.types.ts';

export async function selectProposedIntakeRecords(
  q: Queryable,
  officeId: string,
  limit: number,
): Promise<ProposedIntakeRecord[]> {
  return q.query<ProposedIntakeRecord>(
    `SELECT i.id AS "intakeRecordId", i.number, i.occurred_at AS "occurredAt", i.access_kind AS "accessKind",
            i.subject_person_id AS "subjectPersonId", i.organization_id AS "organizationId",
            i.proposed_office_id AS "proposedOfficeId", i.summary,
            e.status AS "evaluationStatus", i.decision_due_on AS "decisionDueOn",
            (SELECT c.id FROM case_file c
              WHERE c.person_id = i.subject_person_id AND c.office_id = i.proposed_office_id
                AND c.status <> 'CLOSED') AS "openCaseFileId"
       FROM intake_record i
       LEFT JOIN intake_evaluation e ON e.intake_record_id = i.id
      WHERE i.proposed_office_id = $1 AND i.status = 'PROPOSED' AND i.deleted_at IS NULL
      ORDER BY i.occurred_at DESC
      LIMIT $2`,
    [officeId, limit],
  );
}

export type IntakeForEvaluation = {
  id: string;
  organizationId: string;
  proposedOfficeId: string | null;
  subjectPersonId: string | null;
  accessKind: string;
  status: string;
  occurredAt: Date;
  workConditionCode: string | null;
  workNotes: string | null;
  homeless: boolean | null;
  housingNotes: string | null;
  familyNotes: string | null;
};

export async function selectIntakeForEvaluation(
  q: Queryable,
  id: string,
): Promise<IntakeForEvaluation | null> {
  const rows = await q.query<IntakeForEvaluation>(
    `SELECT id, organization_id AS "organizationId", proposed_office_id AS "proposedOfficeId",
            subject_person_id AS "subjectPersonId", access_kind AS "accessKind", status,
            occurred_at AS "occurredAt", work_condition_code AS "workConditionCode",
            work_notes AS "workNotes", homeless, housing_notes AS "housingNotes",
            family_notes AS "familyNotes"
       FROM intake_record WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

const EVALUATION_COLUMNS = `intake_record_id AS "intakeRecordId", office_id AS "officeId", status,
  started_by AS "startedBy", started_at AS "startedAt", decided_by AS "decidedBy", decided_at AS "decidedAt",
  rejection_reason_code AS "rejectionReasonCode", rejection_reason AS "rejectionReason",
  interview_on AS "interviewOn", interview_notes AS "interviewNotes", case_file_id AS "caseFileId"`;

export async function selectEvaluation(
  q: Queryable,
  intakeRecordId: string,
): Promise<IntakeEvaluation | null> {
  const rows = await q.query<IntakeEvaluation>(
    `SELECT ${EVALUATION_COLUMNS} FROM intake_evaluation WHERE intake_record_id = $1`,
    [intakeRecordId],
  );
  return rows[0] ?? null;
}

export async function insertEvaluation(
  q: Queryable,
  e: { intakeRecordId: string; officeId: string; startedBy: string | null },
): Promise<IntakeEvaluation> {
  const rows = await q.query<IntakeEvaluation>(
    `INSERT INTO intake_evaluation (intake_record_id, office_id, status, started_by)
     VALUES ($1, $2, 'UNDER_EVALUATION', $3) RETURNING ${EVALUATION_COLUMNS}`,
    [e.intakeRecordId, e.officeId, e.startedBy],
  );
  return rows[0]!;
}

export async function decideEvaluation(
  q: Queryable,
  d: {
    intakeRecordId: string;
    status: Exclude<IntakeEvaluationStatus, 'UNDER_EVALUATION'>;
    decidedBy: string | null;
    rejectionReasonCode?: string | null;
    rejectionReason?: string | null;
    interviewOn?: string | null;
    interviewNotes?: string | null;
    caseFileId?: string | null;
  },
): Promise<IntakeEvaluation> {
  const rows = await q.query<IntakeEvaluation>(
    `UPDATE intake_evaluation
        SET status = $2, decided_by = $3, decided_at = now(), rejection_reason_code = $4,
            rejection_reason = $5, interview_on = coalesce($6, interview_on),
            interview_notes = coalesce($7, interview_notes), case_file_id = $8
      WHERE intake_record_id = $1 AND status = 'UNDER_EVALUATION'
      RETURNING ${EVALUATION_COLUMNS}`,
    [
      d.intakeRecordId,
      d.status,
      d.decidedBy,
      d.rejectionReasonCode ?? null,
      d.rejectionReason ?? null,
      d.interviewOn ?? null,
      d.interviewNotes ?? null,
      d.caseFileId ?? null,
    ],
  );
  if (!rows[0])
    throw new CaseworkError('CONFLICT', 'la scheda è già stata valutata', 'intakeRecordId');
  return rows[0];
}

/** The intake record leaves the proposals list: TAKEN_INTO_CARE or REJECTED (002-intake statuses). */
export async function setIntakeOutcomeStatus(
  q: Queryable,
  intakeRecordId: string,
  status: 'TAKEN_INTO_CARE' | 'REJECTED',
  operatorId: string | null,
): Promise<void> {
  const rows = await q.query(
    `UPDATE intake_record SET status = $2, updated_by = $3, updated_at = now()
      WHERE id = $1 AND status = 'PROPOSED' RETURNING id`,
    [intakeRecordId, status, operatorId],
  );
  if (rows.length === 0)
    throw new CaseworkError('CONFLICT', 'la scheda non è più proposta', 'intakeRecordId');
}

export async function selectIntakeReferencePersons(q: Queryable, intakeRecordId: string) {
  return q.query<{
    relationship: 'RELATIVE' | 'ACQUAINTANCE' | 'CAREGIVER' | 'OTHER';
    personId: string | null;
    fullName: string;
    phone: string | null;
    notes: string | null;
  }>(
    `SELECT relationship, person_id AS "personId", full_name AS "fullName", phone, notes
       FROM intake_reference_person WHERE intake_id = $1 ORDER BY position`,
    [intakeRecordId],
  );
}

export async function insertIntakeLink(
  q: Queryable,
  l: { intakeRecordId: string; caseFileId: string; kind: 'OPENED' | 'ATTACHED'; by: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO case_file_intake (intake_record_id, case_file_id, link_kind, linked_by) VALUES ($1, $2, $3, $4)`,
    [l.intakeRecordId, l.caseFileId, l.kind, l.by],
  );
}
