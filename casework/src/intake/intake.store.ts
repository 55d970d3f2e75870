import type { SensitiveGroup } from '../access/actor.ts';
import { conditions } from '../db/conditions.ts';
import type { Queryable } from '../db/db.ts';
import type {
  AccessKind,
  AccessReason,
  Channel,
  ConsentStatus,
  DiaryKind,
  IntakeAttachment,
  IntakeListItem,
  IntakeNeed,
  IntakeReferencePerson,
  IntakeStatus,
  IntakeSubject,
  IntakeTransfer,
  InterlocutorKind,
  LegalBasis,
  Outcome,
  SearchIntakeFilter,
  ServiceState,
} from './intake.types.ts';

/** The record's own row, flat, as the table holds it. */
export type IntakeRow = {
  id: string;
  number: number;
  organizationId: string;
  officeId: string;
  contactPointId: string;
  contactPointName: string;
  occurredAt: Date;
  channel: Channel;
  accessKind: AccessKind;
  accessReason: AccessReason | null;
  sentBy: string | null;
  legalBasis: LegalBasis;
  consentId: string | null;
  consentStatus: ConsentStatus | null;
  consentGivenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE' | null;
  interlocutorKind: InterlocutorKind;
  interlocutorPersonId: string | null;
  interlocutorName: string | null;
  interlocutorOrganization: string | null;
  interlocutorRole: string | null;
  interlocutorContact: string | null;
  interlocutorEntitled: boolean;
  interlocutorTitleDocument: string | null;
  interlocutorTitleAttestedBy: string | null;
  interlocutorTitleAttestedAt: Date | null;
  judicialOrderRef: string | null;
  judicialOrderServices: string[] | null;
  consentDueOn: string | null;
  unidentifiedSubject: string | null;
  subjectPersonId: string | null;
  subjectAccompanied: boolean | null;
  summary: string | null;
  householdSize: number | null;
  familyNotes: string | null;
  workConditionCode: string | null;
  workNotes: string | null;
  homeless: boolean | null;
  housingNotes: string | null;
  contactsNotes: string | null;
  healthNotes: string | null;
  judicialNotes: string | null;
  judicialMeasureRef: string | null;
  economicNotes: string | null;
  citizenship: string | null;
  permitType: string | null;
  permitExpiry: string | null;
  status: IntakeStatus;
  outcome: Outcome | null;
  outcomeNotes: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  proposedOfficeId: string | null;
  duplicatedFromId: string | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
};

/** Writable columns and the property that feeds each. */
const WRITABLE = {
  organization_id: 'organizationId',
  office_id: 'officeId',
  contact_point_id: 'contactPointId',
  occurred_at: 'occurredAt',
  channel: 'channel',
  access_kind: 'accessKind',
  access_reason: 'accessReason',
  sent_by: 'sentBy',
  legal_basis: 'legalBasis',
  consent_id: 'consentId',
  consent_status: 'consentStatus',
  consent_given_by: 'consentGivenBy',
  interlocutor_kind: 'interlocutorKind',
  interlocutor_person_id: 'interlocutorPersonId',
  interlocutor_name: 'interlocutorName',
  interlocutor_organization: 'interlocutorOrganization',
  interlocutor_role: 'interlocutorRole',
  interlocutor_contact: 'interlocutorContact',
  interlocutor_entitled: 'interlocutorEntitled',
  interlocutor_title_document: 'interlocutorTitleDocument',
  interlocutor_title_attested_by: 'interlocutorTitleAttestedBy',
  interlocutor_title_attested_at: 'interlocutorTitleAttestedAt',
  judicial_order_ref: 'judicialOrderRef',
  judicial_order_services: 'judicialOrderServices',
  consent_due_on: 'consentDueOn',
  unidentified_subject: 'unidentifiedSubject',
  subject_person_id: 'subjectPersonId',
  subject_accompanied: 'subjectAccompanied',
  summary: 'summary',
  household_size: 'householdSize',
  family_notes: 'familyNotes',
  work_condition_code: 'workConditionCode',
  work_notes: 'workNotes',
  homeless: 'homeless',
  housing_notes: 'housingNotes',
  contacts_notes: 'contactsNotes',
  health_notes: 'healthNotes',
  judicial_notes: 'judicialNotes',
  judicial_measure_ref: 'judicialMeasureRef',
  economic_notes: 'economicNotes',
  citizenship: 'citizenship',
  permit_type: 'permitType',
  permit_expiry: 'permitExpiry',
  status: 'status',
  outcome: 'outcome',
  outcome_notes: 'outcomeNotes',
  closed_at: 'closedAt',
  closed_by: 'closedBy',
  proposed_office_id: 'proposedOfficeId',
  duplicated_from_id: 'duplicatedFromId',
} as const satisfies Record<string, keyof IntakeRow>;

export type IntakeWrite = { [K in (typeof WRITABLE)[keyof typeof WRITABLE]]: IntakeRow[K] };

const WRITABLE_COLUMNS = Object.keys(WRITABLE) as (keyof typeof WRITABLE)[];

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const ROW_COLUMNS = ['id', 'number', ...WRITABLE_COLUMNS, 'created_at', 'updated_at', 'deleted_at']
  .map((c) => `r.${c} AS "${camel(c)}"`)
  .join(', ');

export async function selectIntakeRow(
  q: Queryable,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<IntakeRow | null> {
  const rows = await q.query<IntakeRow>(
    `SELECT ${ROW_COLUMNS}, cp.name AS "contactPointName"
       FROM intake_record r JOIN contact_point cp ON cp.id = r.contact_point_id
      WHERE r.id = $1 ${opts.forUpdate ? 'FOR UPDATE OF r' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function insertIntakeRow(
  q: Queryable,
  data: IntakeWrite,
  operatorId: string | null,
): Promise<string> {
  const columns = [...WRITABLE_COLUMNS, 'created_by', 'updated_by'];
  const values = [...WRITABLE_COLUMNS.map((c) => data[WRITABLE[c]]), operatorId, operatorId];
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO intake_record (${columns.join(', ')})
     VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    values,
  );
  return row!.id;
}

export async function updateIntakeRow(
  q: Queryable,
  id: string,
  data: Partial<IntakeWrite>,
  operatorId: string | null,
): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const column of WRITABLE_COLUMNS) {
    const key = WRITABLE[column];
    if (key in data) {
      values.push(data[key]);
      sets.push(`${column} = $${values.length}`);
    }
  }
  values.push(operatorId);
  sets.push(`updated_by = $${values.length}`, 'updated_at = now()');
  await q.query(`UPDATE intake_record SET ${sets.join(', ')} WHERE id = $1`, values);
}

export async function markDeleted(
  q: Queryable,
  id: string,
  operatorId: string | null,
  reason: string,
): Promise<void> {
  await q.query(
    `UPDATE intake_record SET deleted_at = now(), deleted_by = $2, deletion_reason = $3,
       updated_at = now(), updated_by = $2
     WHERE id = $1`,
    [id, operatorId, reason],
  );
}

// ---- Children -----------------------------------------------------------------------------

export async function selectSubject(q: Queryable, personId: string): Promise<IntakeSubject | null> {
  const rows = await q.query<IntakeSubject>(
    `SELECT id AS "personId", tax_code AS "taxCode", first_name AS "firstName",
            last_name AS "lastName", alias, sex, birth_date AS "birthDate", citizenship,
            residence_municipality AS "residenceMunicipality"
       FROM person WHERE id = $1`,
    [personId],
  );
  return rows[0] ?? null;
}

export async function selectReferencePersons(
  q: Queryable,
  intakeId: string,
): Promise<IntakeReferencePerson[]> {
  return q.query<IntakeReferencePerson>(
    `SELECT id, relationship, person_id AS "personId", full_name AS "fullName", phone, email, notes
       FROM intake_reference_person WHERE intake_id = $1 ORDER BY position`,
    [intakeId],
  );
}

export async function replaceReferencePersons(
  q: Queryable,
  intakeId: string,
  refs: Omit<IntakeReferencePerson, 'id'>[],
  /** A record inserted in this transaction has nothing to replace (one statement fewer). */
  fresh = false,
): Promise<void> {
  if (!fresh) await q.query('DELETE FROM intake_reference_person WHERE intake_id = $1', [intakeId]);
  if (refs.length === 0) return;
  await q.query(
    `INSERT INTO intake_reference_person (intake_id, position, relationship, person_id, full_name, phone, email, notes)
     SELECT $1, ord - 1, rel, pid, name, phone, email, notes
       FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
            WITH ORDINALITY AS t(rel, pid, name, phone, email, notes, ord)`,
    [
      intakeId,
      refs.map((r) => r.relationship),
      refs.map((r) => r.personId),
      refs.map((r) => r.fullName),
      refs.map((r) => r.phone),
      refs.map((r) => r.email),
      refs.map((r) => r.notes),
    ],
  );
}

/**
 * The need codes of the HEALTH group: the ISTAT areas ADD (dipendenze) and DIS (disabili) and
 * every regional need refining them (issue 8, defect 4).
 */
const HEALTH_NEED_CODES = `WITH RECURSIVE h(code) AS (
    SELECT code FROM need_code WHERE code IN ('ADD', 'DIS')
    UNION SELECT c.code FROM need_code c JOIN h ON c.parent_code = h.code)
  SELECT code FROM h`;

export async function selectHealthNeedCodes(q: Queryable): Promise<Set<string>> {
  const rows = await q.query<{ code: string }>(HEALTH_NEED_CODES);
  return new Set(rows.map((r) => r.code));
}

export async function selectNeeds(q: Queryable, intakeId: string): Promise<IntakeNeed[]> {
  return q.query<IntakeNeed>(
    `SELECT n.need_code AS code, c.label, n.notes,
            CASE WHEN n.need_code IN (${HEALTH_NEED_CODES}) THEN 'HEALTH' END AS "sensitiveGroup"
       FROM intake_need n JOIN need_code c ON c.code = n.need_code
      WHERE n.intake_id = $1 ORDER BY n.need_code`,
    [intakeId],
  );
}

export async function replaceNeeds(
  q: Queryable,
  intakeId: string,
  needs: { code: string; notes: string | null }[],
  fresh = false,
): Promise<void> {
  if (!fresh) await q.query('DELETE FROM intake_need WHERE intake_id = $1', [intakeId]);
  if (needs.length === 0) return;
  await q.query(
    `INSERT INTO intake_need (intake_id, need_code, notes)
     SELECT $1, code, notes FROM unnest($2::text[], $3::text[]) AS t(code, notes)
     ON CONFLICT DO NOTHING`,
    [intakeId, needs.map((n) => n.code), needs.map((n) => n.notes)],
  );
}

export type ServiceRequestRow = {
  id: string;
  code: string;
  title: string;
  scheme: string;
  state: ServiceState;
  workingMinutes: number;
  notes: string | null;
};

export async function selectServiceRequests(
  q: Queryable,
  intakeId: string,
): Promise<(ServiceRequestRow & { attachments: IntakeAttachment[] })[]> {
  const requests = await q.query<ServiceRequestRow>(
    `SELECT r.id, r.service_code AS code, c.title, c.scheme, r.state,
            r.working_minutes AS "workingMinutes", r.notes
       FROM intake_service_request r JOIN service_catalog c ON c.id = r.service_id
      WHERE r.intake_id = $1 ORDER BY r.created_at, r.id`,
    [intakeId],
  );
  if (requests.length === 0) return [];
  const attachments = await q.query<IntakeAttachment & { requestId: string }>(
    `SELECT id, service_request_id AS "requestId", file_name AS "fileName", media_type AS "mediaType",
            size_bytes AS "sizeBytes", sha256, storage_key AS "storageKey", uploaded_at AS "uploadedAt"
       FROM intake_service_attachment WHERE service_request_id = ANY($1::uuid[])
      ORDER BY uploaded_at, id`,
    [requests.map((r) => r.id)],
  );
  return requests.map((r) => ({
    ...r,
    attachments: attachments.filter((a) => a.requestId === r.id).map(({ requestId: _, ...a }) => a),
  }));
}

export async function selectServiceRequestIds(q: Queryable, intakeId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    'SELECT id FROM intake_service_request WHERE intake_id = $1',
    [intakeId],
  );
  return rows.map((r) => r.id);
}

export async function insertServiceRequest(
  q: Queryable,
  intakeId: string,
  r: {
    serviceId: string;
    code: string;
    state: ServiceState;
    workingMinutes: number;
    notes: string | null;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO intake_service_request (intake_id, service_id, service_code, state, working_minutes, notes)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [intakeId, r.serviceId, r.code, r.state, r.workingMinutes, r.notes],
  );
  return row!.id;
}

export async function updateServiceRequest(
  q: Queryable,
  id: string,
  r: {
    serviceId: string;
    code: string;
    state: ServiceState;
    workingMinutes: number;
    notes: string | null;
  },
): Promise<void> {
  await q.query(
    `UPDATE intake_service_request SET service_id = $2, service_code = $3, state = $4,
       working_minutes = $5, notes = $6, updated_at = now() WHERE id = $1`,
    [id, r.serviceId, r.code, r.state, r.workingMinutes, r.notes],
  );
}

export async function deleteServiceRequests(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query('DELETE FROM intake_service_request WHERE id = ANY($1::uuid[])', [ids]);
}

export async function deleteAllServiceRequests(q: Queryable, intakeId: string): Promise<void> {
  await q.query('DELETE FROM intake_service_request WHERE intake_id = $1', [intakeId]);
}

export async function insertAttachments(
  q: Queryable,
  requestId: string,
  items: {
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string | null;
    storageKey: string | null;
  }[],
  operatorId: string | null,
): Promise<void> {
  if (items.length === 0) return;
  await q.query(
    `INSERT INTO intake_service_attachment (service_request_id, file_name, media_type, size_bytes,
       sha256, storage_key, uploaded_by)
     SELECT $1, f, m, s, h, k, $7 FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])
       AS t(f, m, s, h, k)`,
    [
      requestId,
      items.map((a) => a.fileName),
      items.map((a) => a.mediaType),
      items.map((a) => a.sizeBytes),
      items.map((a) => a.sha256),
      items.map((a) => a.storageKey),
      operatorId,
    ],
  );
}

export type DiaryRow = {
  id: string;
  at: Date;
  kind: DiaryKind;
  text: string;
  sensitiveGroup: SensitiveGroup | null;
  author: string;
};

export async function selectDiary(q: Queryable, intakeId: string): Promise<DiaryRow[]> {
  return q.query<DiaryRow>(
    `SELECT id, at, kind, text, sensitive_group AS "sensitiveGroup", author
       FROM intake_diary_entry WHERE intake_id = $1 ORDER BY at, id`,
    [intakeId],
  );
}

export async function insertDiaryEntry(
  q: Queryable,
  e: {
    intakeId: string;
    at: Date | null;
    kind: DiaryKind;
    text: string;
    sensitiveGroup: SensitiveGroup | null;
    operatorId: string | null;
    author: string;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO intake_diary_entry (intake_id, at, kind, text, sensitive_group, operator_id, author)
     VALUES ($1, COALESCE($2::timestamptz, now()), $3, $4, $5, $6, $7) RETURNING id`,
    [e.intakeId, e.at, e.kind, e.text, e.sensitiveGroup, e.operatorId, e.author],
  );
  return row!.id;
}

/** Public official's report after a denied consent: the diary keeps only the record's own events. */
export async function deleteNarrativeDiary(q: Queryable, intakeId: string): Promise<void> {
  await q.query(
    `DELETE FROM intake_diary_entry WHERE intake_id = $1 AND kind NOT IN ('STATUS_CHANGE', 'TRANSFER')`,
    [intakeId],
  );
}

export async function selectTransfers(q: Queryable, intakeId: string): Promise<IntakeTransfer[]> {
  return q.query<IntakeTransfer>(
    `SELECT id, from_contact_point_id AS "fromContactPointId", to_contact_point_id AS "toContactPointId",
            note, sent_at AS "sentAt"
       FROM intake_transfer WHERE intake_id = $1 ORDER BY sent_at, id`,
    [intakeId],
  );
}

export async function insertTransfer(
  q: Queryable,
  t: { intakeId: string; from: string; to: string; note: string | null; operatorId: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO intake_transfer (intake_id, from_contact_point_id, to_contact_point_id, note, sent_by)
     VALUES ($1, $2, $3, $4, $5)`,
    [t.intakeId, t.from, t.to, t.note, t.operatorId],
  );
}

// ---- Lookups ------------------------------------------------------------------------------

export type ContactPointRow = {
  id: string;
  name: string;
  officeId: string;
  organizationId: string;
};

export async function selectContactPoint(
  q: Queryable,
  id: string,
): Promise<ContactPointRow | null> {
  const rows = await q.query<ContactPointRow>(
    `SELECT cp.id, cp.name, cp.office_id AS "officeId", o.organization_id AS "organizationId"
       FROM contact_point cp JOIN office o ON o.id = cp.office_id WHERE cp.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function selectOfficeOrganization(
  q: Queryable,
  officeId: string,
): Promise<string | null> {
  const rows = await q.query<{ organizationId: string }>(
    'SELECT organization_id AS "organizationId" FROM office WHERE id = $1',
    [officeId],
  );
  return rows[0]?.organizationId ?? null;
}

/**
 * The latest consent of a person with an organisation or with the bodies it nests in or holds:
 * consent given to a comune holds at the union (zona sociale) that runs its social services,
 * and the other way round; a body outside that line does not count.
 */
export async function selectLatestConsent(
  q: Queryable,
  personId: string,
  organizationId: string,
): Promise<ConsentStatus | null> {
  const rows = await q.query<{ status: ConsentStatus }>(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id FROM organization WHERE id = $2
       UNION SELECT o.id, o.parent_id FROM organization o JOIN up ON o.id = up.parent_id),
     down AS (
       SELECT id FROM organization WHERE id = $2
       UNION SELECT o.id FROM organization o JOIN down ON o.parent_id = down.id)
     SELECT status FROM consent
      WHERE person_id = $1
        AND organization_id IN (SELECT id FROM up UNION SELECT id FROM down)
      ORDER BY decided_on DESC, recorded_at DESC LIMIT 1`,
    [personId, organizationId],
  );
  return rows[0]?.status ?? null;
}

export async function insertConsent(
  q: Queryable,
  c: {
    personId: string;
    organizationId: string;
    officeId: string | null;
    status: ConsentStatus;
    legalBasis: 'CONSENT' | 'JUDICIAL_MANDATE';
    decidedOn: string;
    operatorId: string | null;
    givenBy?: 'SUBJECT' | 'LEGAL_REPRESENTATIVE' | null;
    representativeName?: string | null;
    notes?: string | null;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO consent (person_id, organization_id, office_id, status, legal_basis, decided_on, recorded_by,
       given_by, representative_name, notes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      c.personId,
      c.organizationId,
      c.officeId,
      c.status,
      c.legalBasis,
      c.decidedOn,
      c.operatorId,
      c.givenBy ?? null,
      c.representativeName ?? null,
      c.notes ?? null,
    ],
  );
  return row!.id;
}

export async function personExists(q: Queryable, id: string): Promise<boolean> {
  return (
    (await q.query('SELECT 1 FROM person WHERE id = $1 AND deleted_at IS NULL', [id])).length > 0
  );
}

// ---- Search -------------------------------------------------------------------------------

/** Persons whose last name starts with `prefix`, up to `limit`. */
export async function selectPersonIdsByLastName(
  q: Queryable,
  prefix: string,
  limit: number,
): Promise<string[]> {
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM person WHERE lower(last_name) LIKE lower($1) || '%' AND deleted_at IS NULL LIMIT $2`,
    [escaped, limit],
  );
  return rows.map((r) => r.id);
}

export type Cursor = { occurredAt: Date; id: string };

const LIST_COLUMNS = `r.id, r.number, r.occurred_at AS "occurredAt", r.organization_id AS "organizationId",
  r.office_id AS "officeId", r.contact_point_id AS "contactPointId", cp.name AS "contactPointName",
  r.channel, r.access_kind AS "accessKind", r.interlocutor_kind AS "interlocutorKind", r.status,
  r.outcome, r.subject_person_id AS "subjectPersonId", p.tax_code AS "subjectTaxCode",
  CASE WHEN p.id IS NULL THEN NULL
       WHEN p.last_name IS NOT NULL THEN p.last_name || ' ' || coalesce(p.first_name, '')
       ELSE p.alias END AS "subjectName",
  ARRAY(SELECT n.need_code FROM intake_need n WHERE n.intake_id = r.id ORDER BY n.need_code) AS "needCodes",
  ARRAY(SELECT s.service_code FROM intake_service_request s WHERE s.intake_id = r.id ORDER BY s.service_code) AS "serviceCodes"`;

/**
 * Records matching the filter, newest first, keyset-paginated on (occurred_at, id). Only the
 * conditions in use reach the SQL, so the planner sees a plain query per shape.
 *
 * With a requested service the search is driven by the requests of that service
 * (intake_service_search_idx, migration 009): they carry their record's time and organisation,
 * so the walk is newest first, tests the organisation in the index and stops when the page is
 * full, however rarely the service is requested and on every PostgreSQL version. The record's
 * own conditions (its organisation again among them) are then tested on the few records read.
 */
export async function searchIntakeRows(
  q: Queryable,
  f: Omit<SearchIntakeFilter, 'first' | 'after'> & {
    organizationIds: string[] | null;
    /** Persons already resolved from subjectLastName (the selective case). */
    subjectPersonIds?: string[] | null;
    limit: number;
    cursor: Cursor | null;
  },
): Promise<IntakeListItem[]> {
  const where = conditions(['r.deleted_at IS NULL']);
  const p = where.param;
  // The conditions on the record's time and organisation, on `t` (the record, or the requests of
  // the service when they drive the search: the same values, copied).
  const byService = Boolean(f.serviceCode);
  const t = byService ? 's' : 'r';
  const time: string[] = [];
  const orgs = f.organizationIds ? p(f.organizationIds) : null;
  const org = f.organizationId ? p(f.organizationId) : null;
  if (orgs) time.push(`${t}.organization_id = ANY(${orgs}::uuid[])`);
  if (org) time.push(`${t}.organization_id = ${org}`);
  if (f.from) time.push(`${t}.occurred_at >= ${p(f.from)}`);
  if (f.to) time.push(`${t}.occurred_at < ${p(f.to)}`);
  if (f.cursor) {
    time.push(
      `(${t}.occurred_at, ${t}.${byService ? 'intake_id' : 'id'}) < ` +
        `(${p(f.cursor.occurredAt)}::timestamptz, ${p(f.cursor.id)}::uuid)`,
    );
  }
  if (byService) {
    // The access check stays on the record itself too.
    if (orgs) where.push(`r.organization_id = ANY(${orgs}::uuid[])`);
    if (org) where.push(`r.organization_id = ${org}`);
  } else {
    where.push(...time);
  }
  if (f.officeId) where.push(`r.office_id = ${p(f.officeId)}`);
  if (f.contactPointId) where.push(`r.contact_point_id = ${p(f.contactPointId)}`);
  if (f.accessKinds?.length) where.push(`r.access_kind = ANY(${p(f.accessKinds)}::text[])`);
  if (f.channels?.length) where.push(`r.channel = ANY(${p(f.channels)}::text[])`);
  if (f.statuses?.length) where.push(`r.status = ANY(${p(f.statuses)}::text[])`);
  if (f.outcome) where.push(`r.outcome = ${p(f.outcome)}`);
  if (f.proposedOfficeId) {
    where.push(`r.status = 'PROPOSED' AND r.proposed_office_id = ${p(f.proposedOfficeId)}`);
  }
  if (f.subjectPersonId) where.push(`r.subject_person_id = ${p(f.subjectPersonId)}`);
  if (f.subjectTaxCode) {
    where.push(
      `r.subject_person_id = (SELECT id FROM person WHERE tax_code = ${p(f.subjectTaxCode)})`,
    );
  }
  if (f.subjectPersonIds) {
    where.push(`r.subject_person_id = ANY(${p(f.subjectPersonIds)}::uuid[])`);
  } else if (f.subjectLastName) {
    const escaped = f.subjectLastName.replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(
      `r.subject_person_id IN (SELECT id FROM person WHERE lower(last_name) LIKE lower(${p(escaped)}) || '%')`,
    );
  }
  if (f.needCode) {
    where.push(
      `EXISTS (SELECT 1 FROM intake_need n WHERE n.intake_id = r.id AND n.need_code = ${p(f.needCode)})`,
    );
  }
  // A record may request the same service twice: DISTINCT keeps it once (the requests of one
  // record are next to one another in the index order, so this costs no sort).
  const from = byService
    ? `(SELECT DISTINCT s.occurred_at, s.intake_id FROM intake_service_request s
         WHERE ${[`s.service_code = ${p(f.serviceCode)}`, ...time].join(' AND ')}
         ORDER BY s.occurred_at DESC, s.intake_id DESC) s
       JOIN intake_record r ON r.id = s.intake_id`
    : 'intake_record r';
  // A list is a few dozen rows read newest first along an index: PostgreSQL 15 sometimes plans a
  // parallel worker for the combined filters, and starting it cost ~30 ms on a 2-core server.
  await q.query('SET LOCAL max_parallel_workers_per_gather = 0');
  return q.query<IntakeListItem>(
    `SELECT ${LIST_COLUMNS}
       FROM ${from}
       JOIN contact_point cp ON cp.id = r.contact_point_id
       LEFT JOIN person p ON p.id = r.subject_person_id
      WHERE ${where.sql()}
      ORDER BY ${t}.occurred_at DESC, ${t}.${byService ? 'intake_id' : 'id'} DESC
      LIMIT ${p(f.limit)}`,
    where.params,
  );
}
