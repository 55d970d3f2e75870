// PostgreSQL for the SINBA side of the SIUSS duty (migration 045): one duty per SInBA
// assessment of a minor's case file, its record (the assessment's data, as SINBA.xsd has it),
// its flow and INPS's outcome. SQL only here; the decisions are in siuss-sinba.ts.
import type { SinbaData } from '../case-file/assessment/siuss-zod.ts';
import type { Queryable } from '../db/db.ts';
import type { SiussIssue } from './siuss.rules.ts';

export type SinbaDutyState = 'DUE' | 'IN_FLOW' | 'SENT' | 'ACCEPTED' | 'REJECTED';

export type SinbaDutyRow = {
  assessmentId: string;
  organizationId: string;
  officeId: string;
  personId: string;
  caseFileId: string;
  assessedOn: string;
  deadline: string;
  state: SinbaDutyState;
  flowId: string | null;
  rejectionCode: string | null;
  rejectionReason: string | null;
  issues: SiussIssue[] | null;
};

const COLUMNS = `d.assessment_id AS "assessmentId", d.organization_id AS "organizationId",
  d.office_id AS "officeId", d.person_id AS "personId", d.case_file_id AS "caseFileId",
  d.assessed_on AS "assessedOn", d.deadline, d.state, d.flow_id AS "flowId",
  d.rejection_code AS "rejectionCode", d.rejection_reason AS "rejectionReason", d.issues`;

// Every SInBA assessment is a minor's (the assessment service refuses one from 18 on); its duty
// belongs to the case file's organisation and office, due 3 months after the assessment.
const INSERT_FROM = `INSERT INTO siuss_sinba_duty (assessment_id, organization_id, office_id, person_id,
       case_file_id, assessed_on, deadline, state)
     SELECT a.id, cf.organization_id, cf.office_id, cf.person_id, cf.id, a.assessed_on,
            (a.assessed_on + interval '3 months')::date, 'DUE'
       FROM assessment a JOIN case_file cf ON cf.id = a.case_file_id
      WHERE a.kind = 'SINBA'`;

/** Gives every SInBA assessment of the organisations' case files its duty. */
export async function insertMissingSinbaDuties(q: Queryable, organizationIds: string[]) {
  await q.query(
    `${INSERT_FROM} AND cf.organization_id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM siuss_sinba_duty x WHERE x.assessment_id = a.id)
     ON CONFLICT (assessment_id) DO NOTHING`,
    [organizationIds],
  );
}

/**
 * Creates the duty of one SInBA assessment at once (idempotent), for a caller that records the
 * assessment and wants its duty seen before the next reconciliation (the SIUSS page or a flow
 * build create the missing ones anyway).
 */
export async function ensureSinbaDuty(q: Queryable, assessmentId: string) {
  await q.query(`${INSERT_FROM} AND a.id = $1 ON CONFLICT (assessment_id) DO NOTHING`, [
    assessmentId,
  ]);
}

/** The duties whose record may go into a flow now (due), oldest deadline first, locked. */
export async function selectSendableSinba(q: Queryable, organizationId: string, limit: number) {
  return q.query<SinbaDutyRow & { data: SinbaData }>(
    `SELECT ${COLUMNS}, a.data
       FROM siuss_sinba_duty d JOIN assessment a ON a.id = d.assessment_id
      WHERE d.organization_id = $1 AND d.state = 'DUE'
      ORDER BY d.deadline, d.assessment_id
      LIMIT $2
      FOR UPDATE OF d`,
    [organizationId, limit],
  );
}

export async function updateSinbaDuty(
  q: Queryable,
  assessmentId: string,
  s: {
    state: SinbaDutyState;
    flowId?: string | null;
    issues?: SiussIssue[] | null;
    rejectionCode?: string | null;
    rejectionReason?: string | null;
  },
) {
  await q.query(
    `UPDATE siuss_sinba_duty SET state = $2,
       flow_id = CASE WHEN $3::boolean THEN $4 ELSE flow_id END,
       issues = CASE WHEN $5::boolean THEN $6::jsonb ELSE issues END,
       rejection_code = CASE WHEN $7::boolean THEN $8 ELSE rejection_code END,
       rejection_reason = CASE WHEN $7::boolean THEN $9 ELSE rejection_reason END,
       accepted_at = CASE WHEN $2 = 'ACCEPTED' AND state <> 'ACCEPTED' THEN now() ELSE accepted_at END,
       updated_at = now()
     WHERE assessment_id = $1`,
    [
      assessmentId,
      s.state,
      s.flowId !== undefined,
      s.flowId ?? null,
      s.issues !== undefined,
      s.issues === undefined || s.issues === null ? null : JSON.stringify(s.issues),
      s.rejectionCode !== undefined,
      s.rejectionCode ?? null,
      s.rejectionReason ?? null,
    ],
  );
}

/** The SINBA duties of flows that have just gone to INPS become SENT. */
export async function markSinbaSent(q: Queryable, flowIds: string[]) {
  if (flowIds.length === 0) return;
  await q.query(
    `UPDATE siuss_sinba_duty SET state = 'SENT', updated_at = now()
      WHERE flow_id = ANY($1::text[]) AND state = 'IN_FLOW'`,
    [flowIds],
  );
}

/** The duties a SINBA flow carries (still its own: a duty resent since follows its new flow). */
export async function selectSinbaFlowDuties(q: Queryable, flowId: string) {
  return q.query<SinbaDutyRow>(
    `SELECT ${COLUMNS} FROM siuss_sinba_duty d WHERE d.flow_id = $1 FOR UPDATE OF d`,
    [flowId],
  );
}

export async function selectSinbaDuty(q: Queryable, assessmentId: string) {
  const [row] = await q.query<SinbaDutyRow>(
    `SELECT ${COLUMNS} FROM siuss_sinba_duty d WHERE d.assessment_id = $1`,
    [assessmentId],
  );
  return row ?? null;
}

export type SinbaDutyListRow = SinbaDutyRow & {
  officeName: string;
  personName: string;
  taxCode: string | null;
  flowStatus: string | null;
};

export type SinbaDutyFilter = {
  organizationIds: string[];
  officeIds: string[] | null;
  states: SinbaDutyState[] | null;
  dueFrom: string | null;
  dueTo: string | null;
  /** Past this day's deadline and not yet with INPS. */
  overdueOn: string | null;
};

/** A page of SINBA duties, nearest deadline first; the SQL carries only the filters in use. */
export async function listSinbaDuties(
  q: Queryable,
  f: SinbaDutyFilter,
  page: { limit: number; offset: number },
): Promise<{ items: SinbaDutyListRow[]; total: number }> {
  const where = ['d.organization_id = ANY($1::uuid[])'];
  const params: unknown[] = [f.organizationIds];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.officeIds) add('d.office_id = ANY(?::uuid[])', f.officeIds);
  if (f.states) add('d.state = ANY(?::text[])', f.states);
  if (f.dueFrom) add('d.deadline >= ?::date', f.dueFrom);
  if (f.dueTo) add('d.deadline <= ?::date', f.dueTo);
  if (f.overdueOn)
    add(`d.deadline < ?::date AND d.state IN ('DUE', 'IN_FLOW', 'REJECTED')`, f.overdueOn);
  const filtered = params.length;
  params.push(page.limit, page.offset);
  const rows = await q.query<SinbaDutyListRow & { total: number }>(
    `SELECT ${COLUMNS}, concat_ws(' ', p.last_name, p.first_name) AS "personName",
            p.tax_code AS "taxCode", o.name AS "officeName", fl.status AS "flowStatus",
            count(*) OVER ()::int AS total
       FROM siuss_sinba_duty d
       JOIN person p ON p.id = d.person_id
       JOIN office o ON o.id = d.office_id
       LEFT JOIN siuss_flow fl ON fl.id = d.flow_id
      WHERE ${where.join(' AND ')}
      ORDER BY d.deadline, d.assessment_id
      LIMIT $${filtered + 1} OFFSET $${filtered + 2}`,
    params,
  );
  if (rows.length > 0 || page.offset === 0)
    return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
  // Past the last page the window has no row to count on.
  const [n] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM siuss_sinba_duty d WHERE ${where.join(' AND ')}`,
    params.slice(0, filtered),
  );
  return { items: [], total: n?.n ?? 0 };
}
