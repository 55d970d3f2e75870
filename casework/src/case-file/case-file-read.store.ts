// Reading case files: headers (one, an operator's, an office's), a person's case files across
// offices, the status history, and the whole case file in one statement.
import type { SensitiveGroup } from '../access/actor.ts';
import type { Queryable } from '../db/db.ts';
import type { Assessment } from './assessment/assessment.types.ts';
import type {
  CaseFile,
  CaseFileExistence,
  CaseFileSummary,
  CaseStatus,
  StatusChange,
} from './case-file.types.ts';
import { DIARY_VISIBLE } from './dossier/dossier.store.ts';

const SUMMARY_COLUMNS = `c.id, c.person_id AS "personId", c.organization_id AS "organizationId",
  org.name AS "organizationName", c.office_id AS "officeId", o.name AS "officeName", c.sector,
  c.target_area_code AS "targetAreaCode", c.status, c.opened_on AS "openedOn", c.closed_on AS "closedOn",
  c.updated_at AS "updatedAt"`;
const SUMMARY_FROM = `case_file c JOIN office o ON o.id = c.office_id JOIN organization org ON org.id = c.organization_id`;

export async function selectCaseSummary(q: Queryable, id: string): Promise<CaseFileSummary | null> {
  const rows = await q.query<CaseFileSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE c.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Case files the operator is enabled on, newest activity first. */
export async function selectCaseFilesOfOperator(
  q: Queryable,
  operatorId: string,
  status: CaseStatus | null,
  limit: number,
): Promise<CaseFileSummary[]> {
  return q.query<CaseFileSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM}
      WHERE c.id IN (SELECT case_file_id FROM case_operator WHERE operator_id = $1 AND disabled_at IS NULL)
        AND ($2::text IS NULL OR c.status = $2)
      ORDER BY c.updated_at DESC LIMIT $3`,
    [operatorId, status, limit],
  );
}

/** The office's case files (for its coordinator, who manages who is enabled). */
export async function selectCaseFilesOfOffice(
  q: Queryable,
  officeId: string,
  status: CaseStatus | null,
  limit: number,
): Promise<CaseFileSummary[]> {
  return q.query<CaseFileSummary>(
    `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM}
      WHERE c.office_id = $1 AND ($2::text IS NULL OR c.status = $2)
      ORDER BY c.updated_at DESC LIMIT $3`,
    [officeId, status, limit],
  );
}

/**
 * Which organisations' case files of the person the caller may learn of: for an operator, those
 * of organisations in the social districts of its own organisations; for a partner client, those
 * granted to its organisation; for the system, all (`scope` null).
 */
export type CaseIndexScope =
  | { kind: 'DISTRICTS_OF'; organizationIds: string[] }
  | { kind: 'GRANTED_TO'; organizationId: string }
  | null;

export async function selectCaseFilesOfPerson(
  q: Queryable,
  personId: string,
  operatorId: string | null,
  scope: CaseIndexScope,
): Promise<CaseFileExistence[]> {
  return q.query<CaseFileExistence>(
    `SELECT c.id, c.organization_id AS "organizationId", org.name AS "organizationName",
            c.office_id AS "officeId", o.name AS "officeName", c.status, c.opened_on AS "openedOn",
            c.closed_on AS "closedOn",
            CASE WHEN $3::text IS NULL THEN true
                 WHEN $3 = 'GRANTED_TO' THEN true
                 ELSE EXISTS (SELECT 1 FROM case_operator co WHERE co.case_file_id = c.id AND co.operator_id = $2
                      AND co.disabled_at IS NULL AND co.enabled_from <= (now() AT TIME ZONE 'Europe/Rome')::date) END AS accessible
       FROM ${SUMMARY_FROM}
      WHERE c.person_id = $1
        AND ($3::text IS NULL
             OR ($3 = 'DISTRICTS_OF' AND org.social_district_id IN (
                   SELECT social_district_id FROM organization WHERE id = ANY($4::uuid[])))
             OR ($3 = 'GRANTED_TO' AND EXISTS (
                   SELECT 1 FROM case_organization_access a
                    WHERE a.case_file_id = c.id AND a.organization_id = ANY($4::uuid[])
                      AND a.revoked_at IS NULL AND a.valid_from <= (now() AT TIME ZONE 'Europe/Rome')::date
                      AND (a.valid_to IS NULL OR a.valid_to >= (now() AT TIME ZONE 'Europe/Rome')::date))))
      ORDER BY c.opened_on DESC, c.created_at DESC`,
    [
      personId,
      operatorId,
      scope?.kind ?? null,
      scope === null
        ? null
        : scope.kind === 'DISTRICTS_OF'
          ? scope.organizationIds
          : [scope.organizationId],
    ],
  );
}

export async function selectStatusHistory(
  q: Queryable,
  caseFileId: string,
): Promise<StatusChange[]> {
  return q.query<StatusChange>(
    `SELECT id, kind, from_status AS "fromStatus", to_status AS "toStatus", from_office_id AS "fromOfficeId",
            to_office_id AS "toOfficeId", from_sector AS "fromSector", to_sector AS "toSector", reason,
            changed_on AS "changedOn", changed_by AS "changedBy", changed_at AS "changedAt"
       FROM case_status_history WHERE case_file_id = $1 ORDER BY id`,
    [caseFileId],
  );
}

/** Date-time fields of the case file's JSON come back as strings: their names all end in "At". */
function reviveInstants(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveInstants);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k.endsWith('At') && typeof v === 'string'
          ? new Date(v)
          : k === 'data'
            ? v
            : reviveInstants(v);
    }
    return out;
  }
  return value;
}

const list = (select: string, order: string) =>
  `(SELECT coalesce(json_agg(s ORDER BY ${order}), '[]'::json) FROM (${select}) s)`;

/**
 * The whole case file in one statement (header, sections, dossier, plans, placements): one round
 * trip instead of thirty, which is what keeps a full load within its budget.
 */
/**
 * The whole case file in one query. What the reader's desk masks is left out here: the diary
 * lines of `withheld.groups` and the documents of `withheld.subfolders`.
 */
export async function selectCaseFileDocument(
  q: Queryable,
  id: string,
  diaryLimit: number,
  withheld: { groups: readonly SensitiveGroup[]; subfolders: readonly number[] } = {
    groups: [],
    subfolders: [],
  },
): Promise<
  Omit<CaseFile, 'maskedFields' | 'assessments'> & {
    assessments: Omit<Assessment, 'maskedFields'>[];
  }
> {
  const sql = `SELECT json_build_object(
    'summary', (SELECT row_to_json(s) FROM (SELECT ${SUMMARY_COLUMNS}, c.closure_reason AS "closureReason",
                  t.label AS "targetAreaLabel"
                FROM ${SUMMARY_FROM} LEFT JOIN target_area t ON t.code = c.target_area_code WHERE c.id = $1) s),
    'statusHistory', ${list(
      `SELECT id, kind, from_status AS "fromStatus", to_status AS "toStatus", from_office_id AS "fromOfficeId",
              to_office_id AS "toOfficeId", from_sector AS "fromSector", to_sector AS "toSector", reason,
              changed_on AS "changedOn", changed_by AS "changedBy", changed_at AS "changedAt"
         FROM case_status_history WHERE case_file_id = $1`,
      's.id',
    )},
    'operators', ${list(
      `SELECT co.id, co.operator_id AS "operatorId", op.full_name AS "fullName", co.operator_type AS "operatorType",
              co.responsible, co.enabled_from AS "enabledFrom", co.enabled_by AS "enabledBy",
              co.enabled_at AS "enabledAt", co.disabled_at AS "disabledAt"
         FROM case_operator co JOIN operator op ON op.id = co.operator_id WHERE co.case_file_id = $1`,
      's."disabledAt" NULLS FIRST, s.responsible DESC, s."enabledAt"',
    )},
    'organizationAccess', ${list(
      `SELECT id, organization_id AS "organizationId", reason, valid_from AS "validFrom", valid_to AS "validTo",
              granted_at AS "grantedAt", revoked_at AS "revokedAt"
         FROM case_organization_access WHERE case_file_id = $1`,
      's."grantedAt"',
    )},
    'intakeRecords', ${list(
      `SELECT intake_record_id AS "intakeRecordId", link_kind AS "linkKind", linked_at AS "linkedAt"
         FROM case_file_intake WHERE case_file_id = $1`,
      's."linkedAt"',
    )},
    'resources', ${list(
      `SELECT id, kind, relationship, name, person_id AS "personId", cohabiting, caregiver, phone, notes,
              created_at AS "createdAt"
         FROM case_resource WHERE case_file_id = $1 AND removed_at IS NULL`,
      's."createdAt"',
    )},
    'socialData', ${list(
      `SELECT id, domain, code, description, reliability, source, recorded_on AS "recordedOn",
              recorded_by AS "recordedBy", created_at AS "createdAt"
         FROM case_social_data WHERE case_file_id = $1`,
      's.domain, s."recordedOn" DESC, s."createdAt" DESC',
    )},
    'invalidities', ${list(
      `SELECT id, certification, percentage, recognized_on AS "recognizedOn", evidence, notes,
              created_at AS "createdAt"
         FROM case_invalidity WHERE case_file_id = $1`,
      's."createdAt"',
    )},
    'disabilities', ${list(
      `SELECT id, disability_type AS "disabilityType", description, recognized_on AS "recognizedOn",
              law_104_severe AS "law104Severe", notes, created_at AS "createdAt"
         FROM case_disability WHERE case_file_id = $1`,
      's."createdAt"',
    )},
    'courtMeasures', ${list(
      `SELECT id, court_body AS "courtBody", authority, measure_type AS "measureType",
              parental_measure AS "parentalMeasure", measure_on AS "measureOn", reference, description,
              ended_on AS "endedOn", created_at AS "createdAt"
         FROM case_court_measure WHERE case_file_id = $1`,
      's."measureOn" DESC',
    )},
    'problems', ${list(
      `SELECT p.id, p.scheme, p.code, pc.label, p.activity_id AS "activityId", p.notes,
              p.recorded_on AS "recordedOn", p.resolved_on AS "resolvedOn", p.created_at AS "createdAt"
         FROM case_problem p JOIN problem_code pc ON pc.scheme = p.scheme AND pc.code = p.code
        WHERE p.case_file_id = $1`,
      's."recordedOn", s."createdAt"',
    )},
    'notes', ${list(
      `SELECT id, text, author_id AS "authorId", created_at AS "createdAt" FROM case_note WHERE case_file_id = $1`,
      's."createdAt" DESC',
    )},
    'school', ${list(
      `SELECT id, school_year AS "schoolYear", school_type AS "schoolType", school_name AS "schoolName",
              class_name AS "className", support_teacher AS "supportTeacher", notes, created_at AS "createdAt"
         FROM case_school WHERE case_file_id = $1`,
      's."schoolYear" DESC',
    )},
    'isee', ${list(
      `SELECT id, isee_type AS "iseeType", isee_value::float8 AS "iseeValue", ise_value::float8 AS "iseValue",
              dsu_protocol AS "dsuProtocol", dsu_on AS "dsuOn", valid_from AS "validFrom", valid_to AS "validTo",
              created_at AS "createdAt", source, inps_request_id AS "inpsRequestId", retrieved_at AS "retrievedAt"
         FROM case_isee WHERE case_file_id = $1`,
      's."validFrom" DESC',
    )},
    'documents', ${list(
      `SELECT id, subfolder, file_name AS "fileName", media_type AS "mediaType", size_bytes AS "sizeBytes",
              sha256, description, uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"
         FROM case_document WHERE case_file_id = $1 AND NOT subfolder = ANY($4::smallint[])`,
      's."uploadedAt" DESC',
    )},
    'diary', ${list(
      `SELECT d.id, d.diary_type_id AS "typeId", t.constant AS "typeConstant", t.label AS "typeLabel",
              d.entry_on AS "on", d.text, d.author_id AS "authorId", op.full_name AS "authorName",
              d.source_kind AS "sourceKind", d.source_id AS "sourceId",
              d.sensitive_group AS "sensitiveGroup", d.created_at AS "createdAt"
         FROM diary_entry d JOIN diary_type t ON t.id = d.diary_type_id
         LEFT JOIN operator op ON op.id = d.author_id
        WHERE d.case_file_id = $1 AND ${DIARY_VISIBLE('$3')}
        ORDER BY d.entry_on DESC, d.created_at DESC, d.id DESC LIMIT $2`,
      's."on" DESC, s."createdAt" DESC, s.id DESC',
    )},
    'activities', ${list(
      `SELECT id, kind, activity_on AS "on", place, with_whom AS "withWhom", summary,
              duration_minutes AS "durationMinutes", operator_ids AS "operatorIds",
              triage_urgency AS "triageUrgency", triage_outcome AS "triageOutcome",
              first_interview AS "firstInterview", created_by AS "createdBy", created_at AS "createdAt"
         FROM professional_activity WHERE case_file_id = $1`,
      's."on" DESC, s."createdAt" DESC',
    )},
    'referrals', ${list(
      `SELECT id, case_file_id AS "caseFileId", kind, to_office_id AS "toOfficeId",
              to_operator_id AS "toOperatorId", to_organization_id AS "toOrganizationId", to_body AS "toBody",
              to_name AS "toName", reason, status, sent_on AS "sentOn", sent_by AS "sentBy", answered_by AS "answeredBy",
              answered_at AS "answeredAt", answer_note AS "answerNote", created_at AS "createdAt"
         FROM case_referral WHERE case_file_id = $1`,
      's."sentOn" DESC, s."createdAt" DESC',
    )},
    'assessments', ${list(
      `SELECT id, case_file_id AS "caseFileId", kind, schema_version AS "schemaVersion",
              assessed_on AS "assessedOn", data, score, score_band AS "scoreBand", notes,
              assessor_id AS "assessorId", created_at AS "createdAt"
         FROM assessment WHERE case_file_id = $1`,
      's."assessedOn" DESC, s."createdAt" DESC',
    )},
    'projects', ${list(
      `SELECT id, kind, title, description, start_on AS "startOn", end_on AS "endOn", status, phase,
              responsible_operator_id AS "responsibleOperatorId", created_at AS "createdAt"
         FROM individual_project WHERE case_file_id = $1`,
      's."startOn" DESC',
    )},
    'carePlans', ${list(
      `SELECT p.id, p.case_file_id AS "caseFileId", p.title, p.start_on AS "startOn", p.end_on AS "endOn",
              p.responsible_operator_id AS "responsibleOperatorId", p.status, p.closed_on AS "closedOn",
              p.closure_reason AS "closureReason", p.agreed_by AS "agreedBy", p.agreed_on AS "agreedOn",
              p.representative_name AS "representativeName", p.created_at AS "createdAt",
              ${list(
                `SELECT id, term, description, achieved, outcome_note AS "outcomeNote", position
                   FROM care_plan_goal WHERE care_plan_id = p.id`,
                's.position',
              )} AS goals,
              ${list(
                `SELECT id, description, service_code AS "serviceCode", frequency, provider,
                        responsible_operator_id AS "responsibleOperatorId", start_on AS "startOn",
                        end_on AS "endOn", position
                   FROM care_plan_intervention WHERE care_plan_id = p.id`,
                's.position',
              )} AS interventions,
              ${list(
                `SELECT id, care_plan_id AS "carePlanId", due_on AS "dueOn", purpose, done_on AS "doneOn",
                        outcome, outcome_note AS "outcomeNote", reviewer_id AS "reviewerId"
                   FROM care_plan_review WHERE care_plan_id = p.id`,
                's."dueOn"',
              )} AS reviews,
              (SELECT row_to_json(f) FROM (SELECT status, form, kind, duration, character,
                        foster_family AS "fosterFamily", started_on AS "startedOn", ended_on AS "endedOn", outcome
                   FROM foster_care_plan WHERE care_plan_id = p.id) f) AS "fosterCare"
         FROM care_plan p WHERE p.case_file_id = $1`,
      's."startOn" DESC, s."createdAt" DESC',
    )},
    'placements', ${list(
      `SELECT r.id, r.case_file_id AS "caseFileId", r.care_plan_id AS "carePlanId",
              r.facility_name AS "facilityName", r.facility_character AS "facilityCharacter", r.form,
              r.with_parent AS "withParent", r.phase, r.admission_on AS "admissionOn",
              r.expected_discharge_on AS "expectedDischargeOn", r.discharge_on AS "dischargeOn",
              r.discharge_outcome AS "dischargeOutcome", r.notes,
              ${list(
                `SELECT id, description, frequency, start_on AS "startOn", end_on AS "endOn"
                   FROM placement_service WHERE placement_id = r.id`,
                's."startOn"',
              )} AS services
         FROM residential_placement r WHERE r.case_file_id = $1`,
      's."admissionOn" DESC',
    )}
  ) AS doc`;
  const [row] = await q.query<{ doc: unknown }>(sql, [
    id,
    diaryLimit,
    [...withheld.groups],
    [...withheld.subfolders],
  ]);
  const raw = row!.doc as Record<string, unknown>;
  const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
  const { summary, ...rest } = reviveInstants(doc) as Record<string, unknown> & {
    summary: Record<string, unknown>;
  };
  return { ...summary, ...rest } as never;
}
