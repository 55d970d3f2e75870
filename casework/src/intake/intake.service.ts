import type { z } from 'zod';
import {
  type Actor,
  canSeeOrganization,
  hasRole,
  maskedGroupsOf,
  type Role,
} from '../access/actor.ts';
import { type AuditScope, audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { recordConsentInTx } from '../consent/consent.service.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { personOrganizationsOf } from '../persons/person.access.ts';
import {
  birthDataFromTaxCode,
  findPersonByTaxCode,
  normalizeTaxCode,
  searchPersons,
} from '../persons/person.service.ts';
import {
  type InsertPerson,
  selectVisiblePersonByTaxCode,
  selectVisiblePersonIds,
} from '../persons/person.store.ts';
import type { Person } from '../persons/person.types.ts';
import { prepareRegistration, registerPerson } from '../persons/person-registration.ts';
import {
  assertNeedCodes,
  resolveRequestableServices,
} from '../service-catalog/service-catalog.service.ts';
import { dayInRome, shiftDay } from '../time/today.ts';
import {
  checkAccessKindChange,
  checkAnonymous,
  checkDeletable,
  checkOutcome,
  checkReportConsentDecided,
  checkSaveRules,
  DEFAULT_INTERLOCUTOR,
  FIRST_INTERVIEW_DAYS,
} from './intake.rules.ts';
import {
  type ContactPointRow,
  type Cursor,
  deleteAllServiceRequests,
  deleteNarrativeDiary,
  deleteServiceRequests,
  type IntakeRow,
  type IntakeWrite,
  insertAttachments,
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
  selectHealthNeedCodes,
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

/** A clock skew tolerated between the desk's PC and the server. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const EXPORT_MAX_ROWS = 10_000;

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

/** One audited transaction (access/audited.ts); a refusal still names whose record it was. */
function run<T>(
  db: Db,
  actor: Actor,
  scope: AuditScope,
  fn: (tx: Queryable, scope: AuditScope) => Promise<T>,
): Promise<T> {
  return audited(db, actor, scope, fn, async (tx, s) => {
    if (s.entityId && !s.personId && isUuid(s.entityId)) {
      s.personId = (await selectIntakeRow(tx, s.entityId))?.subjectPersonId ?? null;
    }
  });
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
      titleDocument: row.interlocutorTitleDocument,
      titleAttestedBy: row.interlocutorTitleAttestedBy,
      titleAttestedAt: row.interlocutorTitleAttestedAt,
    },
    subject,
    unidentifiedSubject: row.unidentifiedSubject,
    judicialOrder: row.judicialOrderRef
      ? { reference: row.judicialOrderRef, serviceCodes: row.judicialOrderServices ?? [] }
      : null,
    consentDueOn: row.consentDueOn,
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
  // Health needs (dipendenze, disabili) are absent, code and notes, and named whether or not the
  // record has one, so that the list of masked fields tells nothing.
  masked.needs = record.needs.filter((n) => !(n.sensitiveGroup && groups.has(n.sensitiveGroup)));
  if (groups.has('HEALTH')) masked.maskedFields.push('needs.HEALTH');
  return masked;
}

/**
 * A desk that masks health neither writes nor filters on a health need: FORBIDDEN, naming the
 * field (the message carries no code).
 */
async function assertHealthNeedsAllowed(
  q: Queryable,
  actor: Actor,
  codes: readonly string[],
  field: (i: number) => string,
): Promise<void> {
  if (codes.length === 0 || !maskedGroupsOf(actor).has('HEALTH')) return;
  const health = await selectHealthNeedCodes(q);
  const i = codes.findIndex((c) => health.has(c));
  if (i >= 0) {
    throw new CaseworkError(
      'FORBIDDEN',
      'il bisogno è riservato: non visibile né modificabile da questo sportello',
      field(i),
    );
  }
}

/** The list rows without the need codes of the groups the actor's desk masks. */
async function maskListItems<T extends IntakeListItem>(
  q: Queryable,
  actor: Actor,
  rows: T[],
): Promise<T[]> {
  if (!maskedGroupsOf(actor).has('HEALTH')) return rows;
  const health = await selectHealthNeedCodes(q);
  return rows.map((r) => ({ ...r, needCodes: r.needCodes.filter((c) => !health.has(c)) }));
}

async function readMasked(q: Queryable, actor: Actor, id: string): Promise<IntakeRecord> {
  const row = await selectIntakeRow(q, id);
  return maskIntakeRecord(actor, await loadRecord(q, row!));
}

/** One record, with the fields masked at the actor's desk removed. Audited. */
export async function getIntakeRecord(db: Db, actor: Actor, id: string): Promise<IntakeRecord> {
  const scope: AuditScope = { action: 'READ', entity: ENTITY, entityId: id, personId: null };
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
  create: InsertPerson | null;
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
  const orgs = personOrganizationsOf(actor);
  if (input.personId) {
    if (opts.trustedPersonId !== input.personId) {
      await assertVisiblePersons(tx, actor, [input.personId], () => 'input.subject.personId');
    }
    return { personId: input.personId, create: null };
  }
  let taxCode: string | null = null;
  let { sex, birthDate, birthPlaceCode } = input;
  if (input.taxCode) {
    // Normalised here to look for a person the actor may see; registration checks the rest.
    taxCode = normalizeTaxCode(input.taxCode, 'input.subject.taxCode');
    // The same person, already registered where the actor may see it: link it, never overwrite
    // registry data. A person registered only by another organisation stays unseen: this one
    // registers its own from what the desk typed (person.access.ts), so the code reveals nothing.
    const visibleId = await selectVisiblePersonByTaxCode(tx, taxCode, orgs);
    if (visibleId) return { personId: visibleId, create: null };
    ({ sex, birthDate, birthPlaceCode } = birthDataFromTaxCode(taxCode, input, 'input.subject'));
  }
  const { personId: _, ...fields } = input;
  return {
    personId: null,
    create: await prepareRegistration(
      tx,
      {
        ...fields,
        taxCode,
        sex,
        birthDate,
        birthPlaceCode,
        citizenship: input.citizenship ?? foreign?.citizenship ?? null,
        permitType: foreign?.permitType ?? null,
        permitExpiry: foreign?.permitExpiry ?? null,
      },
      {
        prefix: 'input.subject',
        organizationId,
        fieldSources: Object.fromEntries(
          Object.entries(input)
            .filter(([k, v]) => v != null && k !== 'personId')
            .map(([k]) => [k, 'TYPED']),
        ),
        createdBy: operatorIdOf(actor),
      },
    ),
  };
}

async function insertSubject(
  tx: Queryable,
  actor: Actor,
  resolved: ResolvedSubject,
): Promise<string | null> {
  if (resolved.personId || !resolved.create) return resolved.personId;
  const row = await registerPerson(tx, actor, resolved.create, {
    field: 'input.subject.taxCode',
    reason: 'subject of an intake record',
  });
  return row.id;
}

/**
 * Refuses a person id the actor may not see exactly as an unknown one (NOT_FOUND, the field named),
 * so that linking a person never reveals it; the attempt is audited as DENIED.
 */
async function assertVisiblePersons(
  tx: Queryable,
  actor: Actor,
  ids: (string | null | undefined)[],
  fieldOf: (i: number) => string,
) {
  const wanted = ids.filter((id): id is string => !!id);
  if (wanted.length === 0) return;
  const uuids = wanted.filter(isUuid);
  const visible = await selectVisiblePersonIds(tx, uuids, personOrganizationsOf(actor));
  for (const [i, id] of ids.entries()) {
    if (!id || visible.has(id)) continue;
    const exists = isUuid(id) && (await personExists(tx, id));
    throw new Refusal(
      'NOT_FOUND',
      'persona non trovata',
      {
        action: 'READ',
        entity: 'Person',
        entityId: id,
        personId: exists ? id : null,
        reason: exists ? 'linking a person outside the actor organisations' : 'not found',
      },
      fieldOf(i),
    );
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
  if (data.accessKind === 'ANONYMOUS') {
    checkAnonymous({
      hasSubject: !!data.subject,
      referencePersons: data.referencePersons.length,
      interlocutor: {
        kind: data.interlocutor?.kind ?? DEFAULT_INTERLOCUTOR.ANONYMOUS,
        personId: data.interlocutor?.personId ?? null,
        name: data.interlocutor?.name ?? null,
      },
      inputConsent: data.consent
        ? { status: data.consent.status, givenBy: data.consent.givenBy }
        : null,
      texts: freeTexts(data),
    });
  }

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
    titleDocument: null,
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
    interlocutorTitleDocument: interlocutor.titleDocument ?? null,
    hasSubject: !!data.subject,
    unidentifiedSubject: !!data.unidentifiedSubject,
    judicialOrder: data.judicialOrder ?? null,
    serviceCodes: data.services.map((x) => x.code),
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
    checkReportConsentDecided({ accessKind: data.accessKind, consent: verdict.consentStatus });
  }
  // A duplicate copies the source's needs as they are, the masked ones too (the desk sees none).
  if (!opts.duplicatedFromId) {
    await assertHealthNeedsAllowed(
      tx,
      actor,
      data.needs.map((n) => n.code),
      (i) => `input.needs.${i}.code`,
    );
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
  await assertVisiblePersons(
    tx,
    actor,
    [interlocutor.personId],
    () => 'input.interlocutor.personId',
  );
  await assertVisiblePersons(
    tx,
    actor,
    data.referencePersons.map((r) => r.personId),
    (i) => `input.referencePersons.${i}.personId`,
  );

  // Every check passed: write.
  const personId = await insertSubject(tx, actor, subject);
  scope.personId = personId;
  const consentId =
    data.consent && personId
      ? (
          await recordConsentInTx(tx, actor, {
            personId,
            organizationId: cp.organizationId,
            officeId: cp.officeId,
            status: data.consent.status,
            givenBy: data.consent.givenBy,
            representativeName: representativeOf(data.consent, interlocutor),
            decidedOn: data.consent.decidedOn ?? day,
            notes: null,
          })
        ).id
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
    ...titleWrite(actor, interlocutor),
    judicialOrderRef: data.judicialOrder?.reference ?? null,
    judicialOrderServices: data.judicialOrder?.serviceCodes ?? null,
    consentDueOn:
      data.accessKind === 'PUBLIC_OFFICIAL'
        ? (data.consentDueOn ?? shiftDay(day, FIRST_INTERVIEW_DAYS))
        : null,
    unidentifiedSubject: data.unidentifiedSubject ?? null,
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
  const scope: AuditScope = { action: 'CREATE', entity: ENTITY, entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const data = parse(createIntakeInput, raw);
    const id = await createInTx(tx, actor, data, scope);
    return readMasked(tx, actor, id);
  });
}

/** An attested title: the document, and the operator who saw it, when. */
function titleWrite(
  actor: Actor,
  i: { entitled: boolean; titleDocument?: string | null | undefined },
) {
  const document = i.entitled ? (i.titleDocument?.trim() ?? null) || null : null;
  return {
    interlocutorTitleDocument: document,
    interlocutorTitleAttestedBy: document ? operatorIdOf(actor) : null,
    interlocutorTitleAttestedAt: document ? new Date() : null,
  };
}

/** The free text of a record by input field, for rule 7's check of anonymous records. */
function freeTexts(r: {
  summary?: string | null | undefined;
  sentBy?: string | null | undefined;
  accessReason?: string | null | undefined;
  interlocutor?:
    | {
        name?: string | null | undefined;
        organization?: string | null | undefined;
        role?: string | null | undefined;
        contact?: string | null | undefined;
      }
    | null
    | undefined;
  social?: Record<string, unknown> | null | undefined;
  needs?: readonly { notes?: string | null | undefined }[] | null | undefined;
  services?: readonly { notes?: string | null | undefined }[] | null | undefined;
}): Record<string, string | null | undefined> {
  const texts: Record<string, string | null | undefined> = {
    'input.summary': r.summary,
    'input.sentBy': r.sentBy,
    'input.accessReason': r.accessReason,
  };
  for (const key of ['name', 'organization', 'role', 'contact'] as const) {
    texts[`input.interlocutor.${key}`] = r.interlocutor?.[key];
  }
  for (const [key, value] of Object.entries(r.social ?? {})) {
    if (typeof value === 'string') texts[`input.social.${key}`] = value;
  }
  r.needs?.forEach((n, i) => {
    texts[`input.needs.${i}.notes`] = n.notes;
  });
  r.services?.forEach((n, i) => {
    texts[`input.services.${i}.notes`] = n.notes;
  });
  return texts;
}

// ---- Update -------------------------------------------------------------------------------

/**
 * A partial update of a section merges: keys the input leaves out keep their value. A field the
 * actor's desk masks is neither shown nor overwritten: null there means "not shown to me" and
 * keeps the value; any other value is refused, naming the field. A whole section set to null
 * clears what the desk may see and keeps the rest.
 */
function mergeSection<S extends Record<string, unknown>>(
  actor: Actor,
  part: 'social' | 'foreignCitizen',
  current: S,
  patch: Partial<{ [K in keyof S]: S[K] | null | undefined }> | null | undefined,
): S {
  const masked = new Set([...maskedGroupsOf(actor)].flatMap((g) => SENSITIVE_FIELDS[g]));
  const merged: Record<string, unknown> = { ...current };
  const isMasked = (key: string) => masked.has(`${part}.${key}`);
  if (!patch) {
    for (const key of Object.keys(current)) if (!isMasked(key)) merged[key] = null;
    return merged as S;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (isMasked(key)) {
      if (value === null) continue;
      throw new CaseworkError(
        'FORBIDDEN',
        'il campo è riservato: non è visibile né modificabile da questo sportello',
        `input.${part}.${key}`,
      );
    }
    merged[key] = value;
  }
  return merged as S;
}

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
  const scope: AuditScope = { action: 'UPDATE', entity: ENTITY, entityId: id, personId: null };
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
    checkAccessKindChange(row.accessKind, accessKind);
    if (accessKind === 'ANONYMOUS') {
      const interlocutorAfter = patch.interlocutor ?? current.interlocutor;
      checkAnonymous({
        hasSubject: 'subject' in patch ? !!patch.subject : row.subjectPersonId !== null,
        referencePersons: (patch.referencePersons ?? current.referencePersons).length,
        interlocutor: {
          kind: interlocutorAfter.kind,
          personId: interlocutorAfter.personId ?? null,
          name: interlocutorAfter.name ?? null,
        },
        inputConsent: patch.consent
          ? { status: patch.consent.status, givenBy: patch.consent.givenBy }
          : null,
        texts: freeTexts({ ...current, ...patch }),
      });
    }
    const channel = patch.channel ?? row.channel;

    const foreignAfter =
      'foreignCitizen' in patch
        ? mergeSection(actor, 'foreignCitizen', current.foreignCitizen, patch.foreignCitizen)
        : current.foreignCitizen;
    const subject =
      'subject' in patch
        ? await resolveSubject(tx, actor, patch.subject, row.organizationId, foreignAfter, {
            trustedPersonId: row.subjectPersonId,
          })
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
    // A new list of needs replaces those the desk sees; the ones it masks stay as they are.
    if (patch.needs) {
      await assertHealthNeedsAllowed(
        tx,
        actor,
        patch.needs.map((n) => n.code),
        (i) => `input.needs.${i}.code`,
      );
    }
    const masked = maskedGroupsOf(actor);
    const keptNeeds =
      patch.needs && !purgeNeedData
        ? current.needs
            .filter((n) => n.sensitiveGroup && masked.has(n.sensitiveGroup))
            .map((n) => ({ code: n.code, notes: n.notes }))
        : [];
    const services = purgeNeedData ? [] : patch.services;
    const social = purgeNeedData
      ? null
      : 'social' in patch
        ? mergeSection(actor, 'social', current.social, patch.social)
        : current.social;
    const foreign = purgeNeedData ? null : foreignAfter;
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
      interlocutorTitleDocument: interlocutor.titleDocument ?? null,
      hasSubject,
      unidentifiedSubject: !!row.unidentifiedSubject,
      judicialOrder: row.judicialOrderRef
        ? { serviceCodes: row.judicialOrderServices ?? [] }
        : null,
      serviceCodes: (services ?? current.services).map((x) => x.code),
      inputConsent,
      priorConsent,
      referencePersons: refs ? refs.length : current.referencePersons.length,
      needs: needs.length + keptNeeds.length,
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
      await assertVisiblePersons(
        tx,
        actor,
        [patch.interlocutor.personId],
        () => 'input.interlocutor.personId',
      );
    if (refs)
      await assertVisiblePersons(
        tx,
        actor,
        refs.map((r) => r.personId),
        (i) => `input.referencePersons.${i}.personId`,
      );

    // Write.
    const personId = await insertSubject(tx, actor, subject);
    scope.personId = personId;
    const consentId =
      patch.consent && personId
        ? (
            await recordConsentInTx(tx, actor, {
              personId,
              organizationId: row.organizationId,
              officeId: row.officeId,
              status: patch.consent.status,
              givenBy: patch.consent.givenBy,
              representativeName: representativeOf(patch.consent, interlocutor),
              decidedOn: patch.consent.decidedOn ?? dayOf(new Date()),
              notes: null,
            })
          ).id
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
        ...titleWrite(actor, patch.interlocutor),
      });
    }
    if (purgeNeedData || 'social' in patch) Object.assign(write, socialWrite(social));
    if (purgeNeedData || 'foreignCitizen' in patch) {
      const f = foreign;
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
        [...needs, ...keptNeeds].map((n) => ({ code: n.code, notes: n.notes ?? null })),
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
 * Records the subject's consent, denial or withdrawal from the record. A denial or withdrawal is
 * taken at any time, also on a closed record, and applies at once to every public official's
 * report about the person in the organisation's line (rule 2, consent/rule-2-erasure.ts); a
 * consent given on an open record re-checks its rules (updateIntakeRecord).
 */
export async function recordIntakeConsent(
  db: Db,
  actor: Actor,
  id: string,
  raw: RecordConsentInput,
): Promise<IntakeRecord> {
  const input = parse(recordConsentInput, raw);
  const scope: AuditScope = { action: 'UPDATE', entity: ENTITY, entityId: id, personId: null };
  if (input.status === 'GIVEN') {
    const open = await db.query<{ status: IntakeStatus }>(
      'SELECT status FROM intake_record WHERE id = $1',
      [isUuid(id) ? id : null],
    );
    if (!open[0] || EDITABLE_STATUSES.includes(open[0].status)) {
      return updateIntakeRecord(db, actor, id, {
        consent: {
          status: input.status,
          givenBy: input.givenBy,
          representativeName: input.representativeName ?? null,
          decidedOn: input.decidedOn ?? null,
        },
      });
    }
  }
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    if (!row.subjectPersonId)
      throw new CaseworkError('SUBJECT_REQUIRED', 'la scheda non ha un utente', 'id');
    if (input.decidedOn) assertNotFuture(input.decidedOn, 'input.decidedOn');
    const recorded = await recordConsentInTx(tx, actor, {
      personId: row.subjectPersonId,
      organizationId: row.organizationId,
      officeId: row.officeId,
      status: input.status,
      givenBy: input.givenBy,
      representativeName:
        input.representativeName ??
        (input.givenBy === 'LEGAL_REPRESENTATIVE' ? row.interlocutorName : null),
      decidedOn: input.decidedOn ?? dayOf(new Date()),
      notes: null,
    });
    // The record's own consent follows the decision (the erasure already did it for a report).
    if (!recorded.erasedReports.includes(id)) {
      await updateIntakeRow(
        tx,
        id,
        {
          consentId: recorded.id,
          consentStatus: input.status,
          consentGivenBy: input.status === 'GIVEN' ? input.givenBy : null,
        },
        operatorIdOf(actor),
      );
    }
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: ENTITY,
      entityId: id,
      personId: row.subjectPersonId,
      outcome: 'OK',
      details: {
        consent: input.status,
        needDataDropped: recorded.erasedReports.includes(id),
        erasedReports: recorded.erasedReports.length,
      },
    });
    return readMasked(tx, actor, id);
  });
}

/** The representative who decided: named in the input, else the interlocutor who represents. */
function representativeOf(
  consent: {
    givenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE';
    representativeName?: string | null | undefined;
  },
  interlocutor: { kind: string; name?: string | null | undefined },
): string | null {
  if (consent.givenBy !== 'LEGAL_REPRESENTATIVE') return null;
  return (
    consent.representativeName ??
    (interlocutor.kind === 'LEGAL_REPRESENTATIVE' ? (interlocutor.name ?? null) : null)
  );
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
  const scope: AuditScope = { action: 'UPDATE', entity: ENTITY, entityId: id, personId: null };
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
    checkReportConsentDecided({
      accessKind: row.accessKind,
      consent: row.consentStatus ?? consent,
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
  const scope: AuditScope = { action: 'UPDATE', entity: ENTITY, entityId: id, personId: null };
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
  const scope: AuditScope = { action: 'UPDATE', entity: ENTITY, entityId: id, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const input = parse(diaryInput, raw);
    if (input.at) assertNotFuture(input.at, 'input.at');
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    if (row.accessKind === 'ANONYMOUS') {
      checkAnonymous({
        hasSubject: false,
        referencePersons: 0,
        interlocutor: { kind: 'OTHER', personId: null, name: null },
        inputConsent: null,
        texts: { 'input.text': input.text },
      });
    }
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
  const scope: AuditScope = { action: 'DELETE', entity: ENTITY, entityId: id, personId: null };
  await run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const reason = input.reason?.trim() ?? '';
    if (reason.length < 3) throw badInput('input.reason', 'indicare il motivo dell’eliminazione');
    const row = await loadVisibleRow(tx, actor, id, scope, true);
    checkDeletable(row.accessKind);
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
  const scope: AuditScope = { action: 'CREATE', entity: ENTITY, entityId: null, personId: null };
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
      // The title's document is carried over; the attestation is this operator's, made anew.
      interlocutor: (({ titleAttestedBy: _by, titleAttestedAt: _at, ...i }) => i)(
        source.interlocutor,
      ),
      unidentifiedSubject: source.unidentifiedSubject,
      judicialOrder: source.judicialOrder,
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
  const scope: AuditScope = { action: 'SEARCH', entity: ENTITY, entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireRead(actor);
    const filter = parse(searchIntakeInput, raw);
    if (filter.needCode)
      await assertHealthNeedsAllowed(tx, actor, [filter.needCode], () => 'input.needCode');
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
    const items = await maskListItems(tx, actor, rows.slice(0, filter.first));
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
  const scope: AuditScope = { action: 'EXPORT', entity: ENTITY, entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireRead(actor);
    const filter = parse(searchIntakeInput, { ...raw, first: 1 });
    if (filter.needCode)
      await assertHealthNeedsAllowed(tx, actor, [filter.needCode], () => 'input.needCode');
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
    return (await maskListItems(tx, actor, rows)).map((r) => ({
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
  // The desk's look-up is for operators; partner systems use personByTaxCode with persons:read.
  if (actor.kind === 'CLIENT') {
    await audited(
      db,
      actor,
      { action: 'SEARCH', entity: 'Person', entityId: null, personId: null },
      async () => {
        throw new Refusal('FORBIDDEN', 'la ricerca dello sportello è riservata agli operatori', {
          action: 'SEARCH',
          entity: 'Person',
          reason: 'intakeSubjects is for operators',
        });
      },
    );
  }
  if (query.taxCode) {
    const person = await findPersonByTaxCode(db, actor, query.taxCode);
    return person ? [person] : [];
  }
  if (!query.lastName) throw badInput('lastName', 'indicare il codice fiscale o il cognome');
  return searchPersons(db, actor, { lastName: query.lastName, firstName: query.firstName ?? null });
}
