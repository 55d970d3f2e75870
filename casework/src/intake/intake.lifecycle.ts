import type { Actor, SensitiveGroup } from '../access/actor.ts';
import type { AuditScope } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { recordConsentInTx } from '../consent/consent.service.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { ENTITY, loadVisibleRow, requireEditable, requireWrite, run } from './intake.access.ts';
import { readMasked } from './intake.read.ts';
import {
  checkAnonymous,
  checkDeletable,
  checkOutcome,
  checkReportConsentDecided,
} from './intake.rules.ts';
import {
  insertDiaryEntry,
  insertTransfer,
  markDeleted,
  selectLatestConsent,
  selectOfficeOrganization,
  updateIntakeRow,
} from './intake.store.ts';
import type { DiaryKind } from './intake.types.ts';
import {
  type DiaryInput,
  diaryInput,
  EDITABLE_STATUSES,
  type IntakeRecord,
  type IntakeStatus,
  OUTCOME_LABELS,
  type Outcome,
  type RecordConsentInput,
  recordConsentInput,
} from './intake.types.ts';
import { updateIntakeRecord } from './intake.update.ts';
import { assertNotFuture, authorOf, dayOf, operatorIdOf, parse } from './intake.util.ts';
import { closingState, resolveContactPoint } from './intake.write.ts';

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
    return finishChange(
      tx,
      actor,
      { id, subjectPersonId: row.subjectPersonId },
      {
        at: null,
        kind: 'STATUS_CHANGE',
        text:
          closing.status === 'PROPOSED'
            ? 'Scheda proposta per la presa in carico'
            : `Scheda chiusa con esito: ${OUTCOME_LABELS[closing.outcome]}`,
        sensitiveGroup: null,
      },
      { outcome: input.outcome },
    );
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
    return finishChange(
      tx,
      actor,
      { id, subjectPersonId: row.subjectPersonId },
      {
        at: null,
        kind: 'TRANSFER',
        text: `Scheda inviata da ${row.contactPointName} a ${target.name}${input.note ? `: ${input.note}` : ''}`,
        sensitiveGroup: null,
      },
      { sentTo: target.id },
    );
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
    return finishChange(
      tx,
      actor,
      { id, subjectPersonId: row.subjectPersonId },
      {
        at: input.at ?? null,
        kind: input.kind,
        text: input.text,
        sensitiveGroup: input.sensitiveGroup ?? null,
      },
      { diary: input.kind },
    );
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
 * The end of every change of the record's course: its diary line, the audited UPDATE with what
 * changed, and the record as the actor may see it.
 */
async function finishChange(
  tx: Queryable,
  actor: Actor,
  row: { id: string; subjectPersonId: string | null },
  diary: {
    at?: Date | null;
    kind: DiaryKind;
    text: string;
    sensitiveGroup?: SensitiveGroup | null;
  },
  details: Record<string, unknown>,
): Promise<IntakeRecord> {
  await insertDiaryEntry(tx, {
    intakeId: row.id,
    at: diary.at ?? null,
    kind: diary.kind,
    text: diary.text,
    sensitiveGroup: diary.sensitiveGroup ?? null,
    operatorId: operatorIdOf(actor),
    author: authorOf(actor),
  });
  await audit(tx, actor, {
    action: 'UPDATE',
    entity: ENTITY,
    entityId: row.id,
    personId: row.subjectPersonId,
    outcome: 'OK',
    details,
  });
  return readMasked(tx, actor, row.id);
}
