import type { z } from 'zod';
import {
  type Actor,
  canSeeOrganization,
  hasRole,
  maskedGroupsOf,
  type Role,
} from '../access/actor.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError, type CaseworkErrorCode } from '../errors.ts';
import {
  birthDataFromTaxCode,
  findPersonByTaxCode,
  normalizeTaxCode,
  searchPersons,
} from '../persons/person.service.ts';
import {
  existingMunicipalities,
  insertPerson,
  selectPersonOrganizations,
} from '../persons/person.store.ts';
import type { Person } from '../persons/person.types.ts';
import {
  assertNeedCodes,
  resolveRequestableServices,
} from '../service-catalog/service-catalog.service.ts';
import { dayInRome } from '../time/today.ts';
import { checkOutcome, checkSaveRules, DEFAULT_INTERLOCUTOR } from './intake.rules.ts';
import {
  type ContactPointRow,
  type Cursor,
  deleteAllServiceRequests,
  deleteNarrativeDiary,
  deleteServiceRequests,
  type IntakeRow,
  type IntakeWrite,
  insertAttachments,
  insertConsent,
  insertDiaryEntry,
  insertIntakeRow,
  insertServiceRequest,
  insertTransfer,
  markDeleted,
  personExists,
  replaceNeeds,
  replaceReferencePersons,
  searchIntakeRows,
  selectContactPoint,
  selectDiary,
  selectIntakeRow,
  selectLatestConsent,
  selectNeeds,
  selectOfficeOrganization,
  selectPersonIdsByLastName,
  selectReferencePersons,
  selectServiceRequestIds,
  selectServiceRequests,
  selectSubject,
  selectTransfers,
  updateIntakeRow,
  updateServiceRequest,
} from './intake.store.ts';
import {
  ACCESS_KIND_LABELS,
  CHANNEL_LABELS,
  type CreateIntakeData,
  type CreateIntakeInput,
  createIntakeInput,
  type DiaryInput,
  diaryInput,
  EDITABLE_STATUSES,
  type IntakeListItem,
  type IntakePage,
  type IntakeRecord,
  type IntakeStatus,
  OUTCOME_LABELS,
  type Outcome,
  type RecordConsentInput,
  recordConsentInput,
  SENSITIVE_FIELDS,
  type SearchIntakeInput,
  STATUS_LABELS,
  type SubjectInput,
  searchIntakeInput,
  type UpdateIntakeInput,
  updateIntakeInput,
} from './intake.types.ts';

// Who may do what with intake records (DESIGN.md section 1):
// - FRONT_DESK, SOCIAL_WORKER and COORDINATOR read and write: they receive people, evaluate
//   the records proposed to them and supervise the desks.
// - ADMIN_STAFF only reads: they record interventions and need the requested services.
// - MANAGER, PLANNER and ADMINISTRATOR see no record: they work on aggregates (the warehouse,
//   pseudonymised) or on configuration, never on a person's intake.
// - A partner CLIENT needs the scope intake:read (or intake:write) and intake:write to write.
// Every operator sees only records owned by the organisations in actor.organizationIds.
const READ_ROLES: Role[] = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF'];
const WRITE_ROLES: Role[] = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR'];
const ENTITY = 'IntakeRecord';

/** Refusals recorded in the audit log as DENIED (bad input is not a denial). */
const DENIALS = new Set<CaseworkErrorCode>([
  'FORBIDDEN',
  'CONSENT_REQUIRED',
  'ANONYMOUS_WITH_IDENTITY',
  'SUBJECT_REQUIRED',
  'CHANNEL_NOT_ALLOWED',
  'INTERLOCUTOR_NOT_ALLOWED',
  'SERVICE_WITHOUT_TITLE',
  'OUTCOME_NOT_ALLOWED',
  'RECORD_CLOSED',
]);

/** A clock skew tolerated between the desk's PC and the server. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const EXPORT_MAX_ROWS = 10_000;

type AuditScope = {
  action: 'READ' | 'SEARCH' | 'CREATE' | 'UPDATE' | 'DELETE' | 'EXPORT';
  entityId: string | null;
  personId: string | null;
};

const isUuid = (s: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

const operatorIdOf = (actor: Actor) => (actor.kind === 'OPERATOR' ? actor.id : null);
const authorOf = (actor: Actor) =>
  actor.kind === 'OPERATOR' ? actor.username : actor.kind === 'CLIENT' ? actor.clientId : actor.id;

/** The calendar day of an instant at the Italian desks (codes are valid by day). */
const dayOf = (d: Date) => dayInRome(d);

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(['input', ...issue.path].join('.'), issue.message);
  }
  return parsed.data;
}

function mayRead(actor: Actor): boolean {
  if (actor.kind === 'SYSTEM') return true;
  if (actor.kind === 'CLIENT') {
    return actor.scopes.includes('intake:read') || actor.scopes.includes('intake:write');
  }
  return hasRole(actor, ...READ_ROLES);
}

function mayWrite(actor: Actor): boolean {
  if (actor.kind === 'SYSTEM') return true;
  if (actor.kind === 'CLIENT') return actor.scopes.includes('intake:write');
  return hasRole(actor, ...WRITE_ROLES);
}

const forbidden = (message: string) => new CaseworkError('FORBIDDEN', message);

function requireRead(actor: Actor): void {
  if (!mayRead(actor)) {
    throw forbidden(
      actor.kind === 'CLIENT'
        ? "il client non ha l'ambito intake:read"
        : 'il ruolo non consente di consultare le schede di accesso',
    );
  }
}

function requireWrite(actor: Actor): void {
  if (!mayWrite(actor)) {
    throw forbidden(
      actor.kind === 'CLIENT'
        ? "il client non ha l'ambito intake:write"
        : 'il ruolo non consente di compilare le schede di accesso',
    );
  }
}

/**
 * Runs `fn` in one transaction. A refusal rolls everything back and is then audited as DENIED in
 * a transaction of its own, so that the denial stays on record while nothing else does.
 */
async function run<T>(
  db: Db,
  actor: Actor,
  scope: AuditScope,
  fn: (tx: Queryable, scope: AuditScope) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction((tx) => fn(tx, scope));
  } catch (err) {
    if (err instanceof CaseworkError && DENIALS.has(err.code)) {
      await db.transaction(async (tx) => {
        // A refusal before the record was read still names whose data was asked for.
        if (scope.entityId && !scope.personId && isUuid(scope.entityId)) {
          scope.personId = (await selectIntakeRow(tx, scope.entityId))?.subjectPersonId ?? null;
        }
        await audit(tx, actor, {
          action: scope.action,
          entity: ENTITY,
          entityId: scope.entityId,
          personId: scope.personId,
          outcome: 'DENIED',
          reason: `${err.code}: ${err.message}`,
          details: err.field ? { field: err.field } : null,
        });
      });
    }
    throw err;
  }
}

function assertNotFuture(d: Date | string, field: string): void {
  const t = typeof d === 'string' ? Date.parse(`${d}T00:00:00Z`) : d.getTime();
  const limit =
    typeof d === 'string'
      ? Date.parse(`${dayOf(new Date())}T00:00:00Z`)
      : Date.now() + FUTURE_TOLERANCE_MS;
  if (t > limit) throw new CaseworkError('FUTURE_DATE', 'la data non può essere nel futuro', field);
}

/** Loads a live record the actor may see, locking it when it is about to change. */
async function loadVisibleRow(
  tx: Queryable,
  actor: Actor,
  id: string,
  scope: AuditScope,
  forUpdate: boolean,
): Promise<IntakeRow> {
  const row = isUuid(id) ? await selectIntakeRow(tx, id, { forUpdate }) : null;
  if (!row || row.deletedAt)
    throw new CaseworkError('NOT_FOUND', 'scheda di accesso non trovata', 'id');
  scope.personId = row.subjectPersonId;
  if (!canSeeOrganization(actor, row.organizationId)) {
    throw forbidden('la scheda appartiene a un ente non accessibile all’operatore');
  }
  return row;
}

function requireEditable(row: IntakeRow): void {
  if (!EDITABLE_STATUSES.includes(row.status)) {
    throw new CaseworkError(
      'RECORD_CLOSED',
      `la scheda è ${STATUS_LABELS[row.status].toLowerCase()}: non può più essere modificata`,
      'id',
    );
  }
}

// ---- Reading ------------------------------------------------------------------------------

async function loadRecord(
  q: Queryable,
  row: IntakeRow,
): Promise<Omit<IntakeRecord, 'maskedFields'>> {
  const [subject, referencePersons, needs, services, diary, transfers] = await Promise.all([
    row.subjectPersonId ? selectSubject(q, row.subjectPersonId) : Promise.resolve(null),
    selectReferencePersons(q, row.id),
    selectNeeds(q, row.id),
    selectServiceRequests(q, row.id),
    selectDiary(q, row.id),
    selectTransfers(q, row.id),
  ]);
  return {
    id: row.id,
    number: row.number,
    organizationId: row.organizationId,
    officeId: row.officeId,
    contactPointId: row.contactPointId,
    contactPointName: row.contactPointName,
    occurredAt: row.occurredAt,
    channel: row.channel,
    accessKind: row.accessKind,
    accessReason: row.accessReason,
    sentBy: row.sentBy,
    legalBasis: row.legalBasis,
    consentStatus: row.consentStatus,
    consentGivenBy: row.consentGivenBy,
    interlocutor: {
      kind: row.interlocutorKind,
      personId: row.interlocutorPersonId,
      name: row.interlocutorName,
      organization: row.interlocutorOrganization,
      role: row.interlocutorRole,
      contact: row.interlocutorContact,
      entitled: row.interlocutorEntitled,
    },
    subject,
    subjectAccompanied: row.subjectAccompanied,
    summary: row.summary,
    referencePersons,
    social: {
      householdSize: row.householdSize,
      familyNotes: row.familyNotes,
      workConditionCode: row.workConditionCode,
      workNotes: row.workNotes,
      homeless: row.homeless,
      housingNotes: row.housingNotes,
      contactsNotes: row.contactsNotes,
      healthNotes: row.healthNotes,
      judicialNotes: row.judicialNotes,
      judicialMeasureRef: row.judicialMeasureRef,
      economicNotes: row.economicNotes,
    },
    foreignCitizen: {
      citizenship: row.citizenship,
      permitType: row.permitType,
      permitExpiry: row.permitExpiry,
    },
    needs,
    services,
    status: row.status,
    outcome: row.outcome,
    outcomeNotes: row.outcomeNotes,
    closedAt: row.closedAt,
    proposedOfficeId: row.proposedOfficeId,
    duplicatedFromId: row.duplicatedFromId,
    diary,
    transfers,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Removes the fields of the groups masked at the actor's desk: they are set to null and named
 * in maskedFields, so that no API layer can send them by mistake.
 */
export function maskIntakeRecord(
  actor: Actor,
  record: Omit<IntakeRecord, 'maskedFields'>,
): IntakeRecord {
  const masked: IntakeRecord = {
    ...record,
    social: { ...record.social },
    foreignCitizen: { ...record.foreignCitizen },
    diary: record.diary.map((e) => ({ ...e })),
    maskedFields: [],
  };
  const groups = maskedGroupsOf(actor);
  for (const group of groups) {
    for (const path of SENSITIVE_FIELDS[group]) {
      const [part, field] = path.split('.') as ['social' | 'foreignCitizen', string];
      (masked[part] as Record<string, unknown>)[field] = null;
      masked.maskedFields.push(path);
    }
  }
  for (const entry of masked.diary) {
    if (entry.sensitiveGroup && groups.has(entry.sensitiveGroup)) {
      entry.text = null;
      masked.maskedFields.push(`diary.${entry.id}.text`);
    }
  }
  return masked;
}

async function readMasked(q: Queryable, actor: Actor, id: string): Promise<IntakeRecord> {
  const row = await selectIntakeRow(q, id);
  return maskIntakeRecord(actor, await loadRecord(q, row!));
}

/** One record, with the fields masked at the actor's desk removed. Audited. */
export async function getIntakeRecord(db: Db, actor: Actor, id: string): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'READ', entityId: id, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireRead(actor);
    const row = await loadVisibleRow(tx, actor, id, scope, false);
    const record = maskIntakeRecord(actor, await loadRecord(tx, row));
    await audit(tx, actor, {
      action: 'READ',
      entity: ENTITY,
      entityId: id,
      personId: row.subjectPersonId,
      outcome: 'OK',
    });
    return record;
  });
}

// ---- Subject ------------------------------------------------------------------------------

type ResolvedSubject = {
  personId: string | null;
  create: Parameters<typeof insertPerson>[1] | null;
};

/** Finds the subject in the registry (by id or codice fiscale) or prepares a new person. */
async function resolveSubject(
  tx: Queryable,
  actor: Actor,
  input: SubjectInput | null | undefined,
  organizationId: string,
  foreign:
    | {
        citizenship?: string | null | undefined;
        permitType?: string | null | undefined;
        permitExpiry?: string | null | undefined;
      }
    | null
    | undefined,
  opts: { trustedPersonId?: string | null },
): Promise<ResolvedSubject> {
  if (!input) return { personId: null, create: null };
  if (input.personId) {
    if (!(await personExists(tx, input.personId))) {
      throw new CaseworkError('NOT_FOUND', 'persona non trovata', 'input.subject.personId');
    }
    if (opts.trustedPersonId !== input.personId && actor.kind !== 'SYSTEM') {
      const orgs = await selectPersonOrganizations(tx, input.personId);
      if (!orgs.some((o) => canSeeOrganization(actor, o))) {
        throw forbidden('la persona indicata non è tra quelle visibili all’operatore');
      }
    }
    return { personId: input.personId, create: null };
  }
  let taxCode: string | null = null;
  let { sex, birthDate, birthPlaceCode } = input;
  if (input.taxCode) {
    taxCode = normalizeTaxCode(input.taxCode, 'input.subject.taxCode');
    const existing = await tx.query<{ id: string }>(
      'SELECT id FROM person WHERE tax_code = $1 AND deleted_at IS NULL',
      [taxCode],
    );
    // The same person, already in the registry: link it, never overwrite registry data.
    if (existing[0]) return { personId: existing[0].id, create: null };
    ({ sex, birthDate, birthPlaceCode } = birthDataFromTaxCode(taxCode, input, 'input.subject'));
  }
  if (!input.alias && (!input.firstName || !input.lastName)) {
    throw badInput(
      'input.subject.lastName',
      'nome e cognome dell’utente sono obbligatori (oppure un alias)',
    );
  }
  if (birthDate) assertNotFuture(birthDate, 'input.subject.birthDate');
  if (input.residenceMunicipality) {
    const known = await existingMunicipalities(tx, [input.residenceMunicipality]);
    if (!known.has(input.residenceMunicipality)) {
      throw new CaseworkError(
        'UNKNOWN_ISTAT_CODE',
        `codice ISTAT ${input.residenceMunicipality} sconosciuto`,
        'input.subject.residenceMunicipality',
      );
    }
  }
  return {
    personId: null,
    create: {
      taxCode,
      anonymous: false,
      alias: input.alias ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      sex: sex ?? null,
      birthDate: birthDate ?? null,
      birthPlaceCode: birthPlaceCode ?? null,
      citizenship: input.citizenship ?? foreign?.citizenship ?? null,
      residenceMunicipality: input.residenceMunicipality ?? null,
      residenceAddress: input.residenceAddress ?? null,
      domicileMunicipality: null,
      domicileAddress: null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      permitType: foreign?.permitType ?? null,
      permitExpiry: foreign?.permitExpiry ?? null,
      fieldSources: Object.fromEntries(
        Object.entries(input)
          .filter(([k, v]) => v != null && k !== 'personId')
          .map(([k]) => [k, 'TYPED' as const]),
      ),
      ownerOrganizationId: organizationId,
      createdBy: null,
    },
  };
}

async function insertSubject(
  tx: Queryable,
  actor: Actor,
  resolved: ResolvedSubject,
): Promise<string | null> {
  if (resolved.personId || !resolved.create) return resolved.personId;
  const row = await insertPerson(tx, { ...resolved.create, createdBy: operatorIdOf(actor) });
  if (!row) {
    throw new CaseworkError(
      'DUPLICATE_PERSON',
      'esiste già una persona con questo codice fiscale',
      'input.subject.taxCode',
    );
  }
  await audit(tx, actor, {
    action: 'CREATE',
    entity: 'Person',
    entityId: row.id,
    personId: row.id,
    outcome: 'OK',
    reason: 'subject of an intake record',
  });
  return row.id;
}

async function assertPersons(
  tx: Queryable,
  ids: (string | null | undefined)[],
  fieldOf: (i: number) => string,
) {
  for (const [i, id] of ids.entries()) {
    if (id && !(await personExists(tx, id)))
      throw new CaseworkError('NOT_FOUND', 'persona non trovata', fieldOf(i));
  }
}

// ---- Create -------------------------------------------------------------------------------

async function resolveContactPoint(
  tx: Queryable,
  actor: Actor,
  id: string | null | undefined,
): Promise<ContactPointRow> {
  let contactPointId = id ?? null;
  if (!contactPointId && actor.kind === 'OPERATOR') {
    const desks = [
      ...new Set(actor.memberships.map((m) => m.contactPointId).filter((c): c is string => !!c)),
    ];
    if (desks.length === 1) contactPointId = desks[0]!;
  }
  if (!contactPointId)
    throw badInput('input.contactPointId', 'indicare il punto di contatto della scheda');
  const cp = await selectContactPoint(tx, contactPointId);
  if (!cp)
    throw new CaseworkError('NOT_FOUND', 'punto di contatto inesistente', 'input.contactPointId');
  if (!canSeeOrganization(actor, cp.organizationId)) {
    throw forbidden('il punto di contatto appartiene a un ente non accessibile all’operatore');
  }
  return cp;
}

const hasAny = (o: object | null | undefined) =>
  !!o && Object.values(o).some((v) => v !== null && v !== undefined);

async function createInTx(
  tx: Queryable,
  actor: Actor,
  data: CreateIntakeData,
  scope: AuditScope,
  opts: { duplicatedFromId?: string; trustedPersonId?: string | null } = {},
): Promise<string> {
  assertNotFuture(data.occurredAt, 'input.occurredAt');
  if (data.consent?.decidedOn) assertNotFuture(data.consent.decidedOn, 'input.consent.decidedOn');
  const cp = await resolveContactPoint(tx, actor, data.contactPointId);
  const day = dayOf(data.occurredAt);

  const subject = await resolveSubject(
    tx,
    actor,
    data.subject,
    cp.organizationId,
    data.foreignCitizen,
    opts,
  );
  scope.personId = subject.personId;
  const priorConsent = subject.personId
    ? await selectLatestConsent(tx, subject.personId, cp.organizationId)
    : null;
  const interlocutor = data.interlocutor ?? {
    kind: DEFAULT_INTERLOCUTOR[data.accessKind],
    personId: null,
    name: null,
    organization: null,
    role: null,
    contact: null,
    entitled: false,
  };
  const verdict = checkSaveRules({
    accessKind: data.accessKind,
    channel: data.channel,
    interlocutor: {
      kind: interlocutor.kind,
      personId: interlocutor.personId ?? null,
      name: interlocutor.name ?? null,
    },
    interlocutorEntitled: interlocutor.entitled,
    hasSubject: !!data.subject,
    inputConsent: data.consent
      ? { status: data.consent.status, givenBy: data.consent.givenBy }
      : null,
    priorConsent,
    referencePersons: data.referencePersons.length,
    needs: data.needs.length,
    services: data.services.length,
    hasSocialData: hasAny(data.social),
    hasForeignCitizenData: hasAny(data.foreignCitizen),
  });
  if (data.close) {
    checkOutcome({
      accessKind: data.accessKind,
      outcome: data.close.outcome,
      hasSubject: !!data.subject,
      consent: verdict.consentStatus,
    });
  }
  await assertNeedCodes(
    tx,
    data.needs.map((n) => n.code),
    day,
    (i) => `input.needs.${i}.code`,
  );
  const catalog = await resolveRequestableServices(
    tx,
    data.services.map((s) => s.code),
    day,
    (i) => `input.services.${i}.code`,
  );
  if (data.services.some((s) => s.id))
    throw badInput('input.services', 'una nuova scheda non ha richieste esistenti (id)');
  await assertPersons(tx, [interlocutor.personId], () => 'input.interlocutor.personId');
  await assertPersons(
    tx,
    data.referencePersons.map((r) => r.personId),
    (i) => `input.referencePersons.${i}.personId`,
  );

  // Every check passed: write.
  const personId = await insertSubject(tx, actor, subject);
  scope.personId = personId;
  const consentId =
    data.consent && personId
      ? await insertConsent(tx, {
          personId,
          organizationId: cp.organizationId,
          officeId: cp.officeId,
          status: data.consent.status,
          legalBasis: 'CONSENT',
          decidedOn: data.consent.decidedOn ?? day,
          operatorId: operatorIdOf(actor),
        })
      : null;
  const closing = data.close ? closingState(data.close.outcome, cp.officeId) : null;
  const write: IntakeWrite = {
    organizationId: cp.organizationId,
    officeId: cp.officeId,
    contactPointId: cp.id,
    occurredAt: data.occurredAt,
    channel: data.channel,
    accessKind: data.accessKind,
    accessReason: data.accessReason ?? null,
    sentBy: data.sentBy ?? null,
    legalBasis: verdict.legalBasis,
    consentId,
    consentStatus: verdict.consentStatus,
    consentGivenBy: data.consent?.status === 'GIVEN' ? data.consent.givenBy : null,
    interlocutorKind: interlocutor.kind,
    interlocutorPersonId: interlocutor.personId ?? null,
    interlocutorName: interlocutor.name ?? null,
    interlocutorOrganization: interlocutor.organization ?? null,
    interlocutorRole: interlocutor.role ?? null,
    interlocutorContact: interlocutor.contact ?? null,
    interlocutorEntitled: interlocutor.entitled,
    subjectPersonId: personId,
    subjectAccompanied: data.subjectAccompanied ?? null,
    summary: data.summary ?? null,
    ...socialWrite(data.social),
    citizenship: data.foreignCitizen?.citizenship ?? null,
    permitType: data.foreignCitizen?.permitType ?? null,
    permitExpiry: data.foreignCitizen?.permitExpiry ?? null,
    status: closing?.status ?? 'OPEN',
    outcome: closing?.outcome ?? null,
    outcomeNotes: data.close?.notes ?? null,
    closedAt: closing ? new Date() : null,
    closedBy: closing ? operatorIdOf(actor) : null,
    proposedOfficeId: closing?.proposedOfficeId ?? null,
    duplicatedFromId: opts.duplicatedFromId ?? null,
  };
  const id = await insertIntakeRow(tx, write, operatorIdOf(actor));
  scope.entityId = id;
  await replaceReferencePersons(
    tx,
    id,
    data.referencePersons.map((r) => ({
      relationship: r.relationship,
      personId: r.personId ?? null,
      fullName: r.fullName,
      phone: r.phone ?? null,
      email: r.email ?? null,
      notes: r.notes ?? null,
    })),
  );
  await replaceNeeds(
    tx,
    id,
    data.needs.map((n) => ({ code: n.code, notes: n.notes ?? null })),
  );
  for (const s of data.services) {
    const requestId = await insertServiceRequest(tx, id, {
      serviceId: catalog.get(s.code)!.id,
      code: s.code,
      state: s.state,
      workingMinutes: s.workingMinutes,
      notes: s.notes ?? null,
    });
    await insertAttachments(tx, requestId, s.attachments.map(attachmentWrite), operatorIdOf(actor));
  }
  if (closing) {
    await insertDiaryEntry(tx, {
      intakeId: id,
      at: null,
      kind: 'STATUS_CHANGE',
      text: `Scheda chiusa con esito: ${OUTCOME_LABELS[closing.outcome]}`,
      sensitiveGroup: null,
      operatorId: operatorIdOf(actor),
      author: authorOf(actor),
    });
  }
  await audit(tx, actor, {
    action: 'CREATE',
    entity: ENTITY,
    entityId: id,
    personId,
    outcome: 'OK',
    details: { accessKind: data.accessKind, duplicatedFrom: opts.duplicatedFromId ?? null },
  });
  return id;
}

function socialWrite(s: CreateIntakeData['social']) {
  return {
    householdSize: s?.householdSize ?? null,
    familyNotes: s?.familyNotes ?? null,
    workConditionCode: s?.workConditionCode ?? null,
    workNotes: s?.workNotes ?? null,
    homeless: s?.homeless ?? null,
    housingNotes: s?.housingNotes ?? null,
    contactsNotes: s?.contactsNotes ?? null,
    healthNotes: s?.healthNotes ?? null,
    judicialNotes: s?.judicialNotes ?? null,
    judicialMeasureRef: s?.judicialMeasureRef ?? null,
    economicNotes: s?.economicNotes ?? null,
  };
}

const attachmentWrite = (a: CreateIntakeData['services'][number]['attachments'][number]) => ({
  fileName: a.fileName,
  mediaType: a.mediaType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256 ?? null,
  storageKey: a.storageKey ?? null,
});

function closingState(outcome: Outcome, officeId: string) {
  return outcome === 'PROPOSAL_TAKE_INTO_CARE'
    ? { status: 'PROPOSED' as const, outcome, proposedOfficeId: officeId }
    : { status: 'CLOSED' as const, outcome, proposedOfficeId: null };
}

/**
 * Creates an intake record, applying the consent rule of its kind of access. The subject is
 * linked to the registry (or registered), the consent given or denied at the desk recorded, the
 * codes checked against the catalog valid on the day: all in one transaction.
 */
export async function createIntakeRecord(
  db: Db,
  actor: Actor,
  raw: CreateIntakeInput,
): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'CREATE', entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const data = parse(createIntakeInput, raw);
    const id = await createInTx(tx, actor, data, scope);
    return readMasked(tx, actor, id);
  });
}

// ---- Update -------------------------------------------------------------------------------

const NEED_DATA_KEYS = [
  'needs',
  'services',
  'social',
  'foreignCitizen',
  'referencePersons',
] as const;

/**
 * Changes an open record: every key present in the input replaces the record's value. The rules
 * are checked on the record as it would be after the change. When the subject of a public
 * official's report denies consent, the information on need is dropped: only the report stays.
 */
export async function updateIntakeRecord(
  db: Db,
  actor: Actor,
  id: string,
  raw: UpdateIntakeInput,
): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'UPDATE', entityId: id, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const patch = parse(updateIntakeInput, raw);
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    requireEditable(row);
    if (patch.occurredAt) assertNotFuture(patch.occurredAt, 'input.occurredAt');
    if (patch.consent?.decidedOn)
      assertNotFuture(patch.consent.decidedOn, 'input.consent.decidedOn');
    const current = await loadRecord(tx, row);
    const occurredAt = patch.occurredAt ?? row.occurredAt;
    const day = dayOf(occurredAt);
    const accessKind = patch.accessKind ?? row.accessKind;
    const channel = patch.channel ?? row.channel;

    const subject =
      'subject' in patch
        ? await resolveSubject(
            tx,
            actor,
            patch.subject,
            row.organizationId,
            patch.foreignCitizen ?? current.foreignCitizen,
            {
              trustedPersonId: row.subjectPersonId,
            },
          )
        : { personId: row.subjectPersonId, create: null };
    const hasSubject = subject.personId !== null || subject.create !== null;
    const priorConsent = subject.personId
      ? await selectLatestConsent(tx, subject.personId, row.organizationId)
      : null;
    const interlocutor = patch.interlocutor ?? current.interlocutor;
    const inputConsent = patch.consent
      ? { status: patch.consent.status, givenBy: patch.consent.givenBy }
      : null;
    const consentNow = inputConsent?.status ?? priorConsent;
    const purgeNeedData =
      accessKind === 'PUBLIC_OFFICIAL' &&
      (consentNow === 'DENIED' || consentNow === 'WITHDRAWN') &&
      NEED_DATA_KEYS.every((k) => !(k in patch));

    const needs = purgeNeedData
      ? []
      : (patch.needs ?? current.needs.map((n) => ({ code: n.code, notes: n.notes })));
    const services = purgeNeedData ? [] : patch.services;
    const social = purgeNeedData ? null : 'social' in patch ? patch.social : current.social;
    const foreign = purgeNeedData
      ? null
      : 'foreignCitizen' in patch
        ? patch.foreignCitizen
        : current.foreignCitizen;
    const refs = purgeNeedData ? [] : (patch.referencePersons ?? null);
    const verdict = checkSaveRules({
      accessKind,
      channel,
      interlocutor: {
        kind: interlocutor.kind,
        personId: interlocutor.personId ?? null,
        name: interlocutor.name ?? null,
      },
      interlocutorEntitled: interlocutor.entitled,
      hasSubject,
      inputConsent,
      priorConsent,
      referencePersons: refs ? refs.length : current.referencePersons.length,
      needs: needs.length,
      services: services ? services.length : current.services.length,
      hasSocialData: hasAny(social),
      hasForeignCitizenData: hasAny(foreign),
    });
    await assertNeedCodes(
      tx,
      needs.map((n) => n.code),
      day,
      (i) => `input.needs.${i}.code`,
    );
    const catalog = services
      ? await resolveRequestableServices(
          tx,
          services.map((s) => s.code),
          day,
          (i) => `input.services.${i}.code`,
        )
      : null;
    const existingRequests = new Set(await selectServiceRequestIds(tx, id));
    services?.forEach((s, i) => {
      if (s.id && !existingRequests.has(s.id)) {
        throw new CaseworkError(
          'NOT_FOUND',
          'richiesta di servizio non trovata in questa scheda',
          `input.services.${i}.id`,
        );
      }
    });
    if (patch.interlocutor)
      await assertPersons(tx, [patch.interlocutor.personId], () => 'input.interlocutor.personId');
    if (refs)
      await assertPersons(
        tx,
        refs.map((r) => r.personId),
        (i) => `input.referencePersons.${i}.personId`,
      );

    // Write.
    const personId = await insertSubject(tx, actor, subject);
    scope.personId = personId;
    const consentId =
      patch.consent && personId
        ? await insertConsent(tx, {
            personId,
            organizationId: row.organizationId,
            officeId: row.officeId,
            status: patch.consent.status,
            legalBasis: 'CONSENT',
            decidedOn: patch.consent.decidedOn ?? dayOf(new Date()),
            operatorId: operatorIdOf(actor),
          })
        : null;
    const write: Partial<IntakeWrite> = {
      occurredAt,
      channel,
      accessKind,
      legalBasis: verdict.legalBasis,
      consentStatus: verdict.consentStatus,
      subjectPersonId: personId,
    };
    if (consentId) {
      write.consentId = consentId;
      write.consentGivenBy = patch.consent?.status === 'GIVEN' ? patch.consent.givenBy : null;
    }
    if ('accessReason' in patch) write.accessReason = patch.accessReason ?? null;
    if ('sentBy' in patch) write.sentBy = patch.sentBy ?? null;
    if ('subjectAccompanied' in patch) write.subjectAccompanied = patch.subjectAccompanied ?? null;
    if ('summary' in patch) write.summary = patch.summary ?? null;
    if (patch.interlocutor) {
      Object.assign(write, {
        interlocutorKind: patch.interlocutor.kind,
        interlocutorPersonId: patch.interlocutor.personId ?? null,
        interlocutorName: patch.interlocutor.name ?? null,
        interlocutorOrganization: patch.interlocutor.organization ?? null,
        interlocutorRole: patch.interlocutor.role ?? null,
        interlocutorContact: patch.interlocutor.contact ?? null,
        interlocutorEntitled: patch.interlocutor.entitled,
      });
    }
    if (purgeNeedData || 'social' in patch)
      Object.assign(write, socialWrite(purgeNeedData ? null : patch.social));
    if (purgeNeedData || 'foreignCitizen' in patch) {
      const f = purgeNeedData ? null : patch.foreignCitizen;
      Object.assign(write, {
        citizenship: f?.citizenship ?? null,
        permitType: f?.permitType ?? null,
        permitExpiry: f?.permitExpiry ?? null,
      });
    }
    await updateIntakeRow(tx, id, write, operatorIdOf(actor));
    if (refs) {
      await replaceReferencePersons(
        tx,
        id,
        refs.map((r) => ({
          relationship: r.relationship,
          personId: r.personId ?? null,
          fullName: r.fullName,
          phone: r.phone ?? null,
          email: r.email ?? null,
          notes: r.notes ?? null,
        })),
      );
    }
    if (purgeNeedData || patch.needs)
      await replaceNeeds(
        tx,
        id,
        needs.map((n) => ({ code: n.code, notes: n.notes ?? null })),
      );
    if (purgeNeedData) {
      await deleteAllServiceRequests(tx, id);
      await deleteNarrativeDiary(tx, id);
    } else if (services && catalog) {
      const kept = new Set(services.map((s) => s.id).filter((x): x is string => !!x));
      await deleteServiceRequests(
        tx,
        [...existingRequests].filter((x) => !kept.has(x)),
      );
      for (const s of services) {
        const values = {
          serviceId: catalog.get(s.code)!.id,
          code: s.code,
          state: s.state,
          workingMinutes: s.workingMinutes,
          notes: s.notes ?? null,
        };
        const requestId = s.id ?? (await insertServiceRequest(tx, id, values));
        if (s.id) await updateServiceRequest(tx, s.id, values);
        await insertAttachments(
          tx,
          requestId,
          s.attachments.map(attachmentWrite),
          operatorIdOf(actor),
        );
      }
    }
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: ENTITY,
      entityId: id,
      personId,
      outcome: 'OK',
      details: { fields: Object.keys(patch), needDataDropped: purgeNeedData },
    });
    return readMasked(tx, actor, id);
  });
}

/**
 * Records the subject's consent (or its denial or withdrawal) on an open record. For a public
 * official's report a denial leaves the report alone: needs, services, social data, reference
 * persons and the narrative diary are deleted.
 */
export async function recordIntakeConsent(
  db: Db,
  actor: Actor,
  id: string,
  raw: RecordConsentInput,
): Promise<IntakeRecord> {
  const input = parse(recordConsentInput, raw);
  if (input.status === 'WITHDRAWN') {
    // The record keeps its data; a withdrawal stops further processing (rules on next save).
    const scope: AuditScope = { action: 'UPDATE', entityId: id, personId: null };
    return run(db, actor, scope, async (tx) => {
      requireWrite(actor);
      const row = await loadVisibleRow(tx, actor, id, scope, true);
      requireEditable(row);
      if (!row.subjectPersonId)
        throw new CaseworkError('SUBJECT_REQUIRED', 'la scheda non ha un utente', 'id');
      if (input.decidedOn) assertNotFuture(input.decidedOn, 'input.decidedOn');
      const consentId = await insertConsent(tx, {
        personId: row.subjectPersonId,
        organizationId: row.organizationId,
        officeId: row.officeId,
        status: 'WITHDRAWN',
        legalBasis: 'CONSENT',
        decidedOn: input.decidedOn ?? dayOf(new Date()),
        operatorId: operatorIdOf(actor),
      });
      const purge = row.accessKind === 'PUBLIC_OFFICIAL';
      const write: Partial<IntakeWrite> = {
        consentId,
        consentStatus: 'WITHDRAWN',
        consentGivenBy: null,
      };
      if (purge) {
        Object.assign(write, socialWrite(null), {
          citizenship: null,
          permitType: null,
          permitExpiry: null,
          legalBasis: 'LEGAL_OBLIGATION',
        });
        await replaceNeeds(tx, id, []);
        await replaceReferencePersons(tx, id, []);
        await deleteAllServiceRequests(tx, id);
        await deleteNarrativeDiary(tx, id);
      }
      await updateIntakeRow(tx, id, write, operatorIdOf(actor));
      await audit(tx, actor, {
        action: 'UPDATE',
        entity: ENTITY,
        entityId: id,
        personId: row.subjectPersonId,
        outcome: 'OK',
        details: { consent: 'WITHDRAWN', needDataDropped: purge },
      });
      return readMasked(tx, actor, id);
    });
  }
  return updateIntakeRecord(db, actor, id, {
    consent: { status: input.status, givenBy: input.givenBy, decidedOn: input.decidedOn ?? null },
  });
}

// ---- Lifecycle ----------------------------------------------------------------------------

/**
 * Closes a record with its outcome (tipo intervento). A proposal of taking into care leaves it
 * PROPOSED for the social workers of the office; every other outcome CLOSED.
 */
export async function closeIntakeRecord(
  db: Db,
  actor: Actor,
  id: string,
  input: {
    outcome: Outcome;
    notes?: string | null | undefined;
    proposedOfficeId?: string | null | undefined;
  },
): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'UPDATE', entityId: id, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    requireEditable(row);
    const consent = row.subjectPersonId
      ? await selectLatestConsent(tx, row.subjectPersonId, row.organizationId)
      : null;
    checkOutcome({
      accessKind: row.accessKind,
      outcome: input.outcome,
      hasSubject: row.subjectPersonId !== null,
      consent,
    });
    const closing = closingState(input.outcome, row.officeId);
    if (input.proposedOfficeId && closing.status === 'PROPOSED') {
      if ((await selectOfficeOrganization(tx, input.proposedOfficeId)) !== row.organizationId) {
        throw badInput(
          'input.proposedOfficeId',
          'l’ufficio proposto deve appartenere all’ente della scheda',
        );
      }
      closing.proposedOfficeId = input.proposedOfficeId;
    }
    await updateIntakeRow(
      tx,
      id,
      {
        status: closing.status,
        outcome: closing.outcome,
        outcomeNotes: input.notes ?? null,
        closedAt: new Date(),
        closedBy: operatorIdOf(actor),
        proposedOfficeId: closing.proposedOfficeId,
      },
      operatorIdOf(actor),
    );
    await insertDiaryEntry(tx, {
      intakeId: id,
      at: null,
      kind: 'STATUS_CHANGE',
      text:
        closing.status === 'PROPOSED'
          ? 'Scheda proposta per la presa in carico'
          : `Scheda chiusa con esito: ${OUTCOME_LABELS[closing.outcome]}`,
      sensitiveGroup: null,
      operatorId: operatorIdOf(actor),
      author: authorOf(actor),
    });
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: ENTITY,
      entityId: id,
      personId: row.subjectPersonId,
      outcome: 'OK',
      details: { outcome: input.outcome },
    });
    return readMasked(tx, actor, id);
  });
}

/** Proposes the record for taking into care: it waits, PROPOSED, for the office's social workers. */
export async function proposeIntakeForCare(
  db: Db,
  actor: Actor,
  id: string,
  input: { officeId?: string | null | undefined; notes?: string | null | undefined } = {},
): Promise<IntakeRecord> {
  return closeIntakeRecord(db, actor, id, {
    outcome: 'PROPOSAL_TAKE_INTO_CARE',
    notes: input.notes,
    proposedOfficeId: input.officeId,
  });
}

/**
 * Sends the record to another desk (contact point) of an organisation the operator works for:
 * the receiving desk owns it from then on, the history stays. Sending to another body needs a
 * data-sharing agreement this system does not model yet, so it is refused.
 */
export async function sendIntakeToDesk(
  db: Db,
  actor: Actor,
  id: string,
  input: { contactPointId: string; note?: string | null | undefined },
): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'UPDATE', entityId: id, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    requireEditable(row);
    if (input.contactPointId === row.contactPointId) {
      throw badInput('input.contactPointId', 'la scheda è già a questo sportello');
    }
    const target = await resolveContactPoint(tx, actor, input.contactPointId);
    await updateIntakeRow(
      tx,
      id,
      {
        contactPointId: target.id,
        officeId: target.officeId,
        organizationId: target.organizationId,
        status: 'SENT',
      },
      operatorIdOf(actor),
    );
    await insertTransfer(tx, {
      intakeId: id,
      from: row.contactPointId,
      to: target.id,
      note: input.note ?? null,
      operatorId: operatorIdOf(actor),
    });
    await insertDiaryEntry(tx, {
      intakeId: id,
      at: null,
      kind: 'TRANSFER',
      text: `Scheda inviata da ${row.contactPointName} a ${target.name}${input.note ? `: ${input.note}` : ''}`,
      sensitiveGroup: null,
      operatorId: operatorIdOf(actor),
      author: authorOf(actor),
    });
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: ENTITY,
      entityId: id,
      personId: row.subjectPersonId,
      outcome: 'OK',
      details: { sentTo: target.id },
    });
    return readMasked(tx, actor, id);
  });
}

/** Adds an entry to the operator's diary of the record (also after closing: later contacts). */
export async function addIntakeDiaryEntry(
  db: Db,
  actor: Actor,
  id: string,
  raw: DiaryInput,
): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'UPDATE', entityId: id, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const input = parse(diaryInput, raw);
    if (input.at) assertNotFuture(input.at, 'input.at');
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    if (
      row.accessKind === 'PUBLIC_OFFICIAL' &&
      (row.consentStatus === 'DENIED' || row.consentStatus === 'WITHDRAWN')
    ) {
      throw new CaseworkError(
        'CONSENT_REQUIRED',
        'segnalazione di pubblico ufficiale con consenso negato: resta agli atti la sola segnalazione, senza altre informazioni',
        'input.text',
      );
    }
    await insertDiaryEntry(tx, {
      intakeId: id,
      at: input.at ?? null,
      kind: input.kind,
      text: input.text,
      sensitiveGroup: input.sensitiveGroup ?? null,
      operatorId: operatorIdOf(actor),
      author: authorOf(actor),
    });
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: ENTITY,
      entityId: id,
      personId: row.subjectPersonId,
      outcome: 'OK',
      details: { diary: input.kind },
    });
    return readMasked(tx, actor, id);
  });
}

/** Soft delete, with its reason, audited. A record a case was opened from stays. */
export async function deleteIntakeRecord(
  db: Db,
  actor: Actor,
  id: string,
  input: { reason: string },
): Promise<void> {
  const scope: AuditScope = { action: 'DELETE', entityId: id, personId: null };
  await run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const reason = input.reason?.trim() ?? '';
    if (reason.length < 3) throw badInput('input.reason', 'indicare il motivo dell’eliminazione');
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    if (row.status === 'TAKEN_INTO_CARE') {
      throw new CaseworkError(
        'CONFLICT',
        'la scheda ha dato origine a una presa in carico e non può essere eliminata',
        'id',
      );
    }
    await markDeleted(tx, id, operatorIdOf(actor), reason);
    await audit(tx, actor, {
      action: 'DELETE',
      entity: ENTITY,
      entityId: id,
      personId: row.subjectPersonId,
      outcome: 'OK',
      reason,
    });
  });
}

/**
 * Copies a record into a new OPEN one for a new contact (SISO "duplica scheda"): same kind,
 * interlocutor, subject, reference persons, social data, needs and services (as new requests,
 * without attachments); the rules are checked again for the new record.
 */
export async function duplicateIntakeRecord(
  db: Db,
  actor: Actor,
  id: string,
  input: {
    occurredAt?: Date | string | null | undefined;
    contactPointId?: string | null | undefined;
  } = {},
): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'CREATE', entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const row = await loadVisibleRow(tx, actor, id, scope, false);
    const source = await loadRecord(tx, row);
    const data = parse(createIntakeInput, {
      contactPointId: input.contactPointId ?? row.contactPointId,
      occurredAt: input.occurredAt ?? new Date(),
      channel: source.channel,
      accessKind: source.accessKind,
      accessReason: source.accessReason,
      sentBy: source.sentBy,
      interlocutor: source.interlocutor,
      subject: source.subject ? { personId: source.subject.personId } : null,
      subjectAccompanied: source.subjectAccompanied,
      summary: source.summary,
      referencePersons: source.referencePersons.map(({ id: _, ...r }) => r),
      social: source.social,
      foreignCitizen: source.foreignCitizen,
      needs: source.needs.map((n) => ({ code: n.code, notes: n.notes })),
      services: source.services.map((s) => ({ code: s.code, notes: s.notes })),
    } satisfies CreateIntakeInput);
    const newId = await createInTx(tx, actor, data, scope, {
      duplicatedFromId: id,
      trustedPersonId: row.subjectPersonId,
    });
    return readMasked(tx, actor, newId);
  });
}

// ---- Search and export --------------------------------------------------------------------

const encodeCursor = (c: Cursor) =>
  Buffer.from(`${c.occurredAt.toISOString()}|${c.id}`).toString('base64url');

function decodeCursor(raw: string): Cursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const occurredAt = new Date(at ?? '');
  if (!id || Number.isNaN(occurredAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw badInput('input.after', 'cursore non valido');
  }
  return { occurredAt, id };
}

/** A selective name prefix is resolved to its persons first (the planner then uses the
 *  subject index); a broad one stays a subquery, cheap to check while walking newest first. */
const NAME_PREFIX_MAX_PERSONS = 2000;
async function personsByLastName(
  q: Queryable,
  prefix: string | null | undefined,
): Promise<string[] | null> {
  if (!prefix) return null;
  const ids = await selectPersonIdsByLastName(q, prefix, NAME_PREFIX_MAX_PERSONS + 1);
  return ids.length > NAME_PREFIX_MAX_PERSONS ? null : ids;
}

function visibleOrganizations(actor: Actor): string[] | null {
  return actor.kind === 'SYSTEM' ? null : actor.organizationIds;
}

/**
 * Searches the records the actor may see, newest first, `first` at a time (keyset cursor in
 * nextCursor). The list carries no sensitive field. Audited as one SEARCH with its filter.
 */
export async function searchIntakeRecords(
  db: Db,
  actor: Actor,
  raw: SearchIntakeInput = {},
): Promise<IntakePage> {
  const scope: AuditScope = { action: 'SEARCH', entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireRead(actor);
    const filter = parse(searchIntakeInput, raw);
    const taxCode = filter.subjectTaxCode
      ? normalizeTaxCode(filter.subjectTaxCode, 'input.subjectTaxCode')
      : null;
    const rows = await searchIntakeRows(tx, {
      ...filter,
      subjectTaxCode: taxCode,
      subjectPersonIds: await personsByLastName(tx, filter.subjectLastName),
      organizationIds: visibleOrganizations(actor),
      limit: filter.first + 1,
      cursor: filter.after ? decodeCursor(filter.after) : null,
    });
    const items = rows.slice(0, filter.first);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > filter.first && last
        ? encodeCursor({ occurredAt: last.occurredAt, id: last.id })
        : null;
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: ENTITY,
      personId: taxCode || filter.subjectPersonId ? (items[0]?.subjectPersonId ?? null) : null,
      outcome: 'OK',
      details: { filter: filterSummary(filter), results: items.length },
    });
    return { items, nextCursor };
  });
}

// The audit keeps which filters were used, not the identifying values.
function filterSummary(filter: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === null || v === undefined || k === 'after') continue;
    out[k] = k === 'subjectTaxCode' || k === 'subjectLastName' ? '***' : v;
  }
  return out;
}

export type IntakeExportRow = IntakeListItem & {
  accessKindLabel: string;
  channelLabel: string;
  statusLabel: string;
  outcomeLabel: string | null;
};

/**
 * The rows of the exported list (xlsx, CSV), at most 10,000, newest first: the same filter as the
 * search, no sensitive field. Audited as one EXPORT.
 */
export async function listIntakeExportRows(
  db: Db,
  actor: Actor,
  raw: Omit<SearchIntakeInput, 'first' | 'after'> = {},
  opts: { maxRows?: number } = {},
): Promise<IntakeExportRow[]> {
  const scope: AuditScope = { action: 'EXPORT', entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireRead(actor);
    const filter = parse(searchIntakeInput, { ...raw, first: 1 });
    const taxCode = filter.subjectTaxCode
      ? normalizeTaxCode(filter.subjectTaxCode, 'input.subjectTaxCode')
      : null;
    const rows = await searchIntakeRows(tx, {
      ...filter,
      subjectTaxCode: taxCode,
      subjectPersonIds: await personsByLastName(tx, filter.subjectLastName),
      organizationIds: visibleOrganizations(actor),
      limit: Math.min(opts.maxRows ?? EXPORT_MAX_ROWS, EXPORT_MAX_ROWS),
      cursor: null,
    });
    await audit(tx, actor, {
      action: 'EXPORT',
      entity: ENTITY,
      outcome: 'OK',
      details: { filter: filterSummary(filter), rows: rows.length },
    });
    return rows.map((r) => ({
      ...r,
      accessKindLabel: ACCESS_KIND_LABELS[r.accessKind],
      channelLabel: CHANNEL_LABELS[r.channel],
      statusLabel: STATUS_LABELS[r.status as IntakeStatus],
      outcomeLabel: r.outcome ? OUTCOME_LABELS[r.outcome] : null,
    }));
  });
}

/**
 * Registry look-up for the desk: by codice fiscale, or by last name (and first name). The local
 * registry answers; the registry connector will be asked first when it exists.
 */
export async function findIntakeSubjects(
  db: Db,
  actor: Actor,
  query: {
    taxCode?: string | null | undefined;
    lastName?: string | null | undefined;
    firstName?: string | null | undefined;
  },
): Promise<Person[]> {
  if (query.taxCode) {
    const person = await findPersonByTaxCode(db, actor, query.taxCode);
    return person ? [person] : [];
  }
  if (!query.lastName) throw badInput('lastName', 'indicare il codice fiscale o il cognome');
  return searchPersons(db, actor, { lastName: query.lastName, firstName: query.firstName ?? null });
}
