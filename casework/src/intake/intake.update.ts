import { type Actor, maskedGroupsOf } from '../access/actor.ts';
import type { AuditScope } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import {
  assertNeedCodes,
  resolveRequestableServices,
} from '../service-catalog/service-catalog.service.ts';
import { ENTITY, loadVisibleRow, requireEditable, requireWrite, run } from './intake.access.ts';
import { assertHealthNeedsAllowed } from './intake.masking.ts';
import { loadRecord, readMasked } from './intake.read.ts';
import { checkAccessKindChange, checkAnonymous, checkSaveRules } from './intake.rules.ts';
import {
  deleteAllServiceRequests,
  deleteNarrativeDiary,
  deleteServiceRequests,
  type IntakeWrite,
  insertAttachments,
  insertServiceRequest,
  replaceNeeds,
  replaceReferencePersons,
  selectLatestConsent,
  selectServiceRequestIds,
  updateIntakeRow,
  updateServiceRequest,
} from './intake.store.ts';
import { assertVisiblePersons, insertSubject, resolveSubject } from './intake.subject.ts';
import {
  type IntakeRecord,
  SENSITIVE_FIELDS,
  type UpdateIntakeInput,
  updateIntakeInput,
} from './intake.types.ts';
import { assertNotFuture, dayOf, operatorIdOf, parse } from './intake.util.ts';
import {
  attachmentWrite,
  freeTexts,
  hasAny,
  recordDeskConsent,
  referencePersonWrites,
  socialWrite,
  titleWrite,
} from './intake.write.ts';

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
    const consentId = await recordDeskConsent(
      tx,
      actor,
      personId,
      row,
      patch.consent,
      interlocutor,
      dayOf(new Date()),
    );
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
      await replaceReferencePersons(tx, id, referencePersonWrites(refs));
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
