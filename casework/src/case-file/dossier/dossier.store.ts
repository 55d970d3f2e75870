import type { SensitiveGroup } from '../../access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type {
  DiaryEntry,
  IndividualProject,
  ProfessionalActivity,
  Referral,
} from './dossier.types.ts';

export async function insertDiaryEntry(
  q: Queryable,
  e: {
    caseFileId: string;
    typeId: number;
    on: string;
    text: string;
    authorId: string | null;
    sourceKind?: string | null;
    sourceId?: string | null;
    /** The group of what the line states (a Barthel score, a court measure…), if sensitive. */
    sensitiveGroup?: SensitiveGroup | null;
  },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    // clock_timestamp, not now(): entries written in one transaction keep their order.
    `INSERT INTO diary_entry (case_file_id, diary_type_id, entry_on, text, author_id, source_kind, source_id,
       sensitive_group, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp()) RETURNING id`,
    [
      e.caseFileId,
      e.typeId,
      e.on,
      e.text,
      e.authorId,
      e.sourceKind ?? null,
      e.sourceId ?? null,
      e.sensitiveGroup ?? null,
    ],
  );
  return rows[0]!.id;
}

const DIARY_COLUMNS = `d.id, d.diary_type_id AS "typeId", t.constant AS "typeConstant", t.label AS "typeLabel",
  d.entry_on AS "on", d.text, d.author_id AS "authorId", op.full_name AS "authorName",
  d.source_kind AS "sourceKind", d.source_id AS "sourceId", d.sensitive_group AS "sensitiveGroup",
  d.created_at AS "createdAt"`;

/**
 * Lines of the groups the reader's desk masks are left out here, in the query, so that a page
 * holds `limit` lines the reader may see and nothing tells that a withheld line exists.
 */
export const DIARY_VISIBLE = (param: string) =>
  `(d.sensitive_group IS NULL OR NOT d.sensitive_group = ANY(${param}::text[]))`;

/** Newest first; `before` pages on (entry date, creation time, id). */
export async function selectDiary(
  q: Queryable,
  caseFileId: string,
  limit: number,
  before: { on: string; createdAt: Date; id: string } | null = null,
  withheld: readonly SensitiveGroup[] = [],
): Promise<DiaryEntry[]> {
  return q.query<DiaryEntry>(
    `SELECT ${DIARY_COLUMNS}
       FROM diary_entry d JOIN diary_type t ON t.id = d.diary_type_id
       LEFT JOIN operator op ON op.id = d.author_id
      WHERE d.case_file_id = $1 AND ${DIARY_VISIBLE('$6')}
        AND ($2::date IS NULL OR (d.entry_on, d.created_at, d.id) < ($2::date, $3::timestamptz, $4::uuid))
      ORDER BY d.entry_on DESC, d.created_at DESC, d.id DESC
      LIMIT $5`,
    [
      caseFileId,
      before?.on ?? null,
      before?.createdAt ?? null,
      before?.id ?? null,
      limit,
      [...withheld],
    ],
  );
}

export async function selectDiaryEntry(
  q: Queryable,
  id: string,
): Promise<(DiaryEntry & { caseFileId: string }) | null> {
  const rows = await q.query<DiaryEntry & { caseFileId: string }>(
    `SELECT ${DIARY_COLUMNS}, d.case_file_id AS "caseFileId"
       FROM diary_entry d JOIN diary_type t ON t.id = d.diary_type_id
       LEFT JOIN operator op ON op.id = d.author_id WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function insertActivity(
  q: Queryable,
  a: {
    caseFileId: string;
    kind: string;
    on: string;
    place: string | null;
    withWhom: string | null;
    summary: string;
    durationMinutes: number | null;
    operatorIds: string[];
    triageUrgency: string | null;
    triageOutcome: string | null;
    firstInterview: boolean;
    createdBy: string | null;
  },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO professional_activity (case_file_id, kind, activity_on, place, with_whom, summary,
       duration_minutes, operator_ids, triage_urgency, triage_outcome, first_interview, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10, $11, $12) RETURNING id`,
    [
      a.caseFileId,
      a.kind,
      a.on,
      a.place,
      a.withWhom,
      a.summary,
      a.durationMinutes,
      a.operatorIds,
      a.triageUrgency,
      a.triageOutcome,
      a.firstInterview,
      a.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function selectActivities(
  q: Queryable,
  caseFileId: string,
): Promise<ProfessionalActivity[]> {
  return q.query<ProfessionalActivity>(
    `SELECT id, kind, activity_on AS "on", place, with_whom AS "withWhom", summary,
            duration_minutes AS "durationMinutes", operator_ids AS "operatorIds",
            triage_urgency AS "triageUrgency", triage_outcome AS "triageOutcome",
            first_interview AS "firstInterview", created_by AS "createdBy", created_at AS "createdAt"
       FROM professional_activity WHERE case_file_id = $1 ORDER BY activity_on DESC, created_at DESC`,
    [caseFileId],
  );
}

export async function insertProblem(
  q: Queryable,
  p: {
    caseFileId: string;
    scheme: string;
    code: string;
    activityId: string;
    notes: string | null;
    recordedOn: string;
    createdBy: string | null;
  },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO case_problem (case_file_id, scheme, code, activity_id, notes, recorded_on, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [p.caseFileId, p.scheme, p.code, p.activityId, p.notes, p.recordedOn, p.createdBy],
  );
  return rows[0]!.id;
}

/** Problem codes among `refs` that are unknown or retired. */
export async function unknownProblemCodes(
  q: Queryable,
  refs: { scheme: string; code: string }[],
): Promise<{ scheme: string; code: string }[]> {
  if (refs.length === 0) return [];
  const rows = await q.query<{ scheme: string; code: string }>(
    `SELECT scheme, code FROM problem_code WHERE active AND (scheme, code) IN (
       SELECT * FROM unnest($1::text[], $2::text[]))`,
    [refs.map((r) => r.scheme), refs.map((r) => r.code)],
  );
  const known = new Set(rows.map((r) => `${r.scheme}/${r.code}`));
  return refs.filter((r) => !known.has(`${r.scheme}/${r.code}`));
}

const referralColumns = (p = '') => `${p}id, ${p}case_file_id AS "caseFileId", ${p}kind,
  ${p}to_office_id AS "toOfficeId", ${p}to_operator_id AS "toOperatorId",
  ${p}to_organization_id AS "toOrganizationId", ${p}to_body AS "toBody", ${p}to_name AS "toName",
  ${p}reason, ${p}status,
  ${p}sent_on AS "sentOn", ${p}sent_by AS "sentBy", ${p}answered_by AS "answeredBy",
  ${p}answered_at AS "answeredAt", ${p}answer_note AS "answerNote"`;
const REFERRAL_COLUMNS = referralColumns();

export async function insertReferral(
  q: Queryable,
  r: {
    caseFileId: string;
    kind: string;
    toOfficeId: string | null;
    toOperatorId: string | null;
    toOrganizationId: string | null;
    toBody: string | null;
    toName: string | null;
    reason: string;
    sentOn: string;
    sentBy: string | null;
  },
): Promise<Referral> {
  const rows = await q.query<Referral>(
    `INSERT INTO case_referral (case_file_id, kind, to_office_id, to_operator_id, to_organization_id, to_body,
       reason, sent_on, sent_by, to_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${REFERRAL_COLUMNS}`,
    [
      r.caseFileId,
      r.kind,
      r.toOfficeId,
      r.toOperatorId,
      r.toOrganizationId,
      r.toBody,
      r.reason,
      r.sentOn,
      r.sentBy,
      r.toName,
    ],
  );
  return rows[0]!;
}

/**
 * The receiver's name as referralTargets lists it: the office with its organisation
 * ("Servizio – Ente"), the operator's full name, the organisation's name; null for none.
 */
export async function selectReceiverName(
  q: Queryable,
  to: { officeId: string | null; operatorId: string | null; organizationId: string | null },
): Promise<string | null> {
  const rows = await q.query<{ name: string }>(
    to.officeId
      ? `SELECT f.name || ' – ' || org.name AS name
           FROM office f JOIN organization org ON org.id = f.organization_id WHERE f.id = $1`
      : to.operatorId
        ? 'SELECT full_name AS name FROM operator WHERE id = $1'
        : 'SELECT name FROM organization WHERE id = $1',
    [to.officeId ?? to.operatorId ?? to.organizationId],
  );
  return rows[0]?.name ?? null;
}

export async function selectReferral(q: Queryable, id: string): Promise<Referral | null> {
  const rows = await q.query<Referral>(
    `SELECT ${REFERRAL_COLUMNS} FROM case_referral WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

export async function selectReferrals(q: Queryable, caseFileId: string): Promise<Referral[]> {
  return q.query<Referral>(
    `SELECT ${REFERRAL_COLUMNS} FROM case_referral WHERE case_file_id = $1 ORDER BY sent_on DESC, created_at DESC`,
    [caseFileId],
  );
}

/** Referrals waiting for this operator or for one of these offices. */
export async function selectIncomingReferrals(
  q: Queryable,
  operatorId: string,
  officeIds: string[],
): Promise<(Referral & { personId: string })[]> {
  return q.query<Referral & { personId: string }>(
    `SELECT ${referralColumns('r.')}, c.person_id AS "personId"
       FROM case_referral r JOIN case_file c ON c.id = r.case_file_id
      WHERE r.status = 'SENT' AND (r.to_operator_id = $1 OR r.to_office_id = ANY($2::uuid[]))
      ORDER BY r.sent_on, r.created_at`,
    [operatorId, officeIds],
  );
}

export async function answerReferral(
  q: Queryable,
  id: string,
  a: { status: 'ACCEPTED' | 'DECLINED'; by: string | null; note: string | null },
): Promise<Referral | null> {
  const rows = await q.query<Referral>(
    `UPDATE case_referral SET status = $2, answered_by = $3, answered_at = now(), answer_note = $4
      WHERE id = $1 AND status = 'SENT' RETURNING ${REFERRAL_COLUMNS}`,
    [id, a.status, a.by, a.note],
  );
  return rows[0] ?? null;
}

export async function insertProject(
  q: Queryable,
  p: {
    caseFileId: string;
    kind: string;
    title: string;
    description: string | null;
    startOn: string;
    endOn: string | null;
    status: string;
    phase: number | null;
    responsibleOperatorId: string | null;
    createdBy: string | null;
  },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO individual_project (case_file_id, kind, title, description, start_on, end_on, status, phase,
       responsible_operator_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      p.caseFileId,
      p.kind,
      p.title,
      p.description,
      p.startOn,
      p.endOn,
      p.status,
      p.phase,
      p.responsibleOperatorId,
      p.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function selectProjects(
  q: Queryable,
  caseFileId: string,
): Promise<IndividualProject[]> {
  return q.query<IndividualProject>(
    `SELECT id, kind, title, description, start_on AS "startOn", end_on AS "endOn", status, phase,
            responsible_operator_id AS "responsibleOperatorId", created_at AS "createdAt"
       FROM individual_project WHERE case_file_id = $1 ORDER BY start_on DESC`,
    [caseFileId],
  );
}
