// The sections of the case file: network, social data, and one row of any other section table.
import type { Queryable } from '../db/db.ts';

export async function insertResource(
  q: Queryable,
  caseFileId: string,
  r: {
    kind: string;
    relationship: string;
    name: string;
    personId: string | null;
    cohabiting: boolean;
    caregiver: boolean;
    phone: string | null;
    notes: string | null;
  },
  by: string | null,
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO case_resource (case_file_id, kind, relationship, name, person_id, cohabiting, caregiver, phone,
       notes, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      caseFileId,
      r.kind,
      r.relationship,
      r.name,
      r.personId,
      r.cohabiting,
      r.caregiver,
      r.phone,
      r.notes,
      by,
    ],
  );
  return rows[0]!.id;
}

export async function removeResource(
  q: Queryable,
  caseFileId: string,
  id: string,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE case_resource SET removed_at = now() WHERE id = $1 AND case_file_id = $2 AND removed_at IS NULL RETURNING id`,
    [id, caseFileId],
  );
  return rows.length > 0;
}

export async function insertSocialData(
  q: Queryable,
  caseFileId: string,
  s: {
    domain: string;
    code: string;
    description: string | null;
    reliability: string;
    source: string;
    recordedOn: string;
  },
  by: string | null,
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO case_social_data (case_file_id, domain, code, description, reliability, source, recorded_on,
       recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [caseFileId, s.domain, s.code, s.description, s.reliability, s.source, s.recordedOn, by],
  );
  return rows[0]!.id;
}

/** Inserts one row of a section table from column → value pairs (names are ours, never input). */
export async function insertRow(
  q: Queryable,
  table: string,
  values: Record<string, unknown>,
): Promise<string> {
  const cols = Object.keys(values);
  const rows = await q.query<{ id: string }>(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(values),
  );
  return rows[0]!.id;
}

export async function problemCodeLabel(
  q: Queryable,
  scheme: string,
  code: string,
): Promise<string | null> {
  const rows = await q.query<{ label: string }>(
    'SELECT label FROM problem_code WHERE scheme = $1 AND code = $2 AND active',
    [scheme, code],
  );
  return rows[0]?.label ?? null;
}
