// The case file row: opening it (one open per person and office), updating its header and status,
// and its status history; the office and target-area lookups those writes check.
import type { Queryable } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import type { CaseStatus, StatusChange } from './case-file.types.ts';

export async function selectOpenCaseFile(
  q: Queryable,
  personId: string,
  officeId: string,
): Promise<string | null> {
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM case_file WHERE person_id = $1 AND office_id = $2 AND status <> 'CLOSED'`,
    [personId, officeId],
  );
  return rows[0]?.id ?? null;
}

export async function selectOffice(
  q: Queryable,
  officeId: string,
): Promise<{ id: string; organizationId: string; sector: string | null; name: string } | null> {
  const rows = await q.query<{
    id: string;
    organizationId: string;
    sector: string | null;
    name: string;
  }>(`SELECT id, organization_id AS "organizationId", sector, name FROM office WHERE id = $1`, [
    officeId,
  ]);
  return rows[0] ?? null;
}

export async function targetAreaExists(q: Queryable, code: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM target_area WHERE code = $1', [code])).length > 0;
}

export const isUniqueViolation = (err: unknown, constraint: string) =>
  typeof err === 'object' &&
  err !== null &&
  (err as { code?: string }).code === '23505' &&
  String(
    (err as { constraint?: string; message?: string }).constraint ?? (err as Error).message,
  ).includes(constraint);

export function caseAlreadyOpen(): CaseworkError {
  return new CaseworkError(
    'CASE_ALREADY_OPEN',
    "la persona ha già una cartella aperta in quest'ufficio",
    'intakeRecordId',
  );
}

export async function insertCaseFile(
  q: Queryable,
  c: {
    personId: string;
    organizationId: string;
    officeId: string;
    sector: string | null;
    targetAreaCode: string | null;
    status: CaseStatus;
    openedOn: string;
    createdBy: string | null;
  },
): Promise<string> {
  try {
    const rows = await q.query<{ id: string }>(
      `INSERT INTO case_file (person_id, organization_id, office_id, sector, target_area_code, status,
         opened_on, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        c.personId,
        c.organizationId,
        c.officeId,
        c.sector,
        c.targetAreaCode,
        c.status,
        c.openedOn,
        c.createdBy,
      ],
    );
    return rows[0]!.id;
  } catch (err) {
    // The partial unique index speaks when two social workers open the same case concurrently.
    if (isUniqueViolation(err, 'case_file_one_open_per_office')) throw caseAlreadyOpen();
    throw err;
  }
}

export async function updateCaseFile(
  q: Queryable,
  id: string,
  set: {
    status?: CaseStatus;
    closedOn?: string | null;
    closureReason?: string | null;
    officeId?: string;
    organizationId?: string;
    sector?: string | null;
    targetAreaCode?: string;
  },
): Promise<void> {
  const columns: Record<string, string> = {
    status: 'status',
    closedOn: 'closed_on',
    closureReason: 'closure_reason',
    officeId: 'office_id',
    organizationId: 'organization_id',
    sector: 'sector',
    targetAreaCode: 'target_area_code',
  };
  const entries = Object.entries(set).filter(([, v]) => v !== undefined);
  const assignments = entries.map(([k], i) => `${columns[k]} = $${i + 2}`);
  if ('status' in set) assignments.push('status_changed_at = now()');
  try {
    await q.query(
      `UPDATE case_file SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...entries.map(([, v]) => v)],
    );
  } catch (err) {
    if (isUniqueViolation(err, 'case_file_one_open_per_office')) {
      throw new CaseworkError(
        'CASE_ALREADY_OPEN',
        "la persona ha già una cartella aperta in quell'ufficio",
        'caseFileId',
      );
    }
    throw err;
  }
}

export async function insertStatusChange(
  q: Queryable,
  h: {
    caseFileId: string;
    kind: StatusChange['kind'];
    fromStatus: CaseStatus | null;
    toStatus: CaseStatus;
    fromOfficeId: string | null;
    toOfficeId: string;
    fromSector: string | null;
    toSector: string | null;
    reason: string | null;
    changedOn: string;
    changedBy: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO case_status_history (case_file_id, kind, from_status, to_status, from_office_id, to_office_id,
       from_sector, to_sector, reason, changed_on, changed_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      h.caseFileId,
      h.kind,
      h.fromStatus,
      h.toStatus,
      h.fromOfficeId,
      h.toOfficeId,
      h.fromSector,
      h.toSector,
      h.reason,
      h.changedOn,
      h.changedBy,
    ],
  );
}
