import type { Queryable } from '../../db/db.ts';
import type { Assessment, AssessmentKind } from './assessment.types.ts';

type AssessmentRow = Omit<Assessment, 'maskedFields'>;

const COLUMNS = `id, case_file_id AS "caseFileId", kind, schema_version AS "schemaVersion",
  assessed_on AS "assessedOn", data, score, score_band AS "scoreBand", notes, assessor_id AS "assessorId",
  created_at AS "createdAt"`;

export async function insertAssessment(
  q: Queryable,
  a: {
    caseFileId: string;
    kind: AssessmentKind;
    schemaVersion: string;
    assessedOn: string;
    data: unknown;
    score: number | null;
    scoreBand: string | null;
    notes: string | null;
    assessorId: string | null;
  },
): Promise<AssessmentRow> {
  const rows = await q.query<AssessmentRow>(
    `INSERT INTO assessment (case_file_id, kind, schema_version, assessed_on, data, score, score_band, notes,
       assessor_id)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [
      a.caseFileId,
      a.kind,
      a.schemaVersion,
      a.assessedOn,
      JSON.stringify(a.data),
      a.score,
      a.scoreBand,
      a.notes,
      a.assessorId,
    ],
  );
  return rows[0]!;
}

export async function selectAssessments(
  q: Queryable,
  caseFileId: string,
): Promise<AssessmentRow[]> {
  return q.query<AssessmentRow>(
    `SELECT ${COLUMNS} FROM assessment WHERE case_file_id = $1 ORDER BY assessed_on DESC, created_at DESC`,
    [caseFileId],
  );
}

export async function selectAssessment(q: Queryable, id: string): Promise<AssessmentRow | null> {
  const rows = await q.query<AssessmentRow>(`SELECT ${COLUMNS} FROM assessment WHERE id = $1`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** What SINBA derives from the person: birth date, tax code, residence region. */
export async function selectPersonForAssessment(
  q: Queryable,
  personId: string,
): Promise<{
  taxCode: string | null;
  birthDate: string | null;
  regionCode: string | null;
  residenceKnown: boolean;
} | null> {
  const rows = await q.query<{
    taxCode: string | null;
    birthDate: string | null;
    regionCode: string | null;
    residenceKnown: boolean;
  }>(
    `SELECT p.tax_code AS "taxCode", p.birth_date AS "birthDate", sd.region_code AS "regionCode",
            p.residence_municipality IS NOT NULL AS "residenceKnown"
       FROM person p
       LEFT JOIN municipality m ON m.istat_code = p.residence_municipality
       LEFT JOIN social_district sd ON sd.id = m.social_district_id
      WHERE p.id = $1`,
    [personId],
  );
  return rows[0] ?? null;
}
