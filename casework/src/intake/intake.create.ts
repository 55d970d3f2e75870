import type { Actor } from '../access/actor.ts';
import type { AuditScope } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput } from '../errors.ts';
import {
  assertNeedCodes,
  resolveRequestableServices,
} from '../service-catalog/service-catalog.service.ts';
import { shiftDay } from '../time/today.ts';
import { ENTITY, loadVisibleRow, requireWrite, run } from './intake.access.ts';
import { assertHealthNeedsAllowed } from './intake.masking.ts';
import { loadRecord, readMasked } from './intake.read.ts';
import {
  checkAnonymous,
  checkOutcome,
  checkReportConsentDecided,
  checkSaveRules,
  DEFAULT_INTERLOCUTOR,
  FIRST_INTERVIEW_DAYS,
} from './intake.rules.ts';
import {
  type IntakeWrite,
  insertAttachments,
  insertDiaryEntry,
  insertIntakeRow,
  insertServiceRequest,
  replaceNeeds,
  replaceReferencePersons,
  selectLatestConsent,
} from './intake.store.ts';
import { assertVisiblePersons, insertSubject, resolveSubject } from './intake.subject.ts';
import {
  type CreateIntakeData,
  type CreateIntakeInput,
  createIntakeInput,
  type IntakeRecord,
  OUTCOME_LABELS,
} from './intake.types.ts';
import { assertNotFuture, authorOf, dayOf, operatorIdOf, parse } from './intake.util.ts';
import {
  attachmentWrite,
  closingState,
  freeTexts,
  hasAny,
  recordDeskConsent,
  referencePersonWrites,
  resolveContactPoint,
  socialWrite,
  titleWrite,
} from './intake.write.ts';

export async function createInTx(
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
  const consentId = await recordDeskConsent(
    tx,
    actor,
    personId,
    cp,
    data.consent,
    interlocutor,
    day,
  );
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
  await replaceReferencePersons(tx, id, referencePersonWrites(data.referencePersons), true);
  await replaceNeeds(
    tx,
    id,
    data.needs.map((n) => ({ code: n.code, notes: n.notes ?? null })),
    true,
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
