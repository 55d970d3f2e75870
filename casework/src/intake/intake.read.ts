import type { Actor } from '../access/actor.ts';
import type { AuditScope } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { ENTITY, loadVisibleRow, requireRead, run } from './intake.access.ts';
import { maskIntakeRecord } from './intake.masking.ts';
import {
  type IntakeRow,
  selectDiary,
  selectIntakeRow,
  selectNeeds,
  selectReferencePersons,
  selectServiceRequests,
  selectSubject,
  selectTransfers,
} from './intake.store.ts';
import type { IntakeRecord } from './intake.types.ts';

export async function loadRecord(
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

export async function readMasked(q: Queryable, actor: Actor, id: string): Promise<IntakeRecord> {
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
