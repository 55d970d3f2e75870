// Taking into care (presa in carico), seed 003 section 1.3: a social worker of the office an
// intake record was proposed to evaluates it, and either rejects it with a reason (never when the
// judicial authority reported: the case is always opened), opens a case file after a first
// professional interview, or attaches the record to the person's open case file.

import type { Actor } from '../access/actor.ts';
import { Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { dayInRome } from '../time/today.ts';
import { authorizeCase, operatorIdOf, worksIn } from './case-file.access.ts';
import {
  caseAlreadyOpen,
  decideEvaluation,
  type IntakeForEvaluation,
  insertCaseFile,
  insertCaseOperator,
  insertEvaluation,
  insertIntakeLink,
  insertResource,
  insertSocialData,
  insertStatusChange,
  selectEvaluation,
  selectIntakeForEvaluation,
  selectIntakeReferencePersons,
  selectOffice,
  selectOpenCaseFile,
  selectProposedIntakeRecords,
  setIntakeOutcomeStatus,
  targetAreaExists,
} from './case-file.store.ts';
import {
  type AttachIntakeInput,
  attachIntakeInput,
  type IntakeEvaluation,
  type OpenCaseFileInput,
  openCaseFileInput,
  type ProposedIntakeRecord,
  type RejectIntakeInput,
  rejectIntakeInput,
} from './case-file.types.ts';
import { inTransaction, notFound, parseInput, today } from './case-file.util.ts';
import {
  insertActivity,
  insertDiaryEntry,
  insertProblem,
  unknownProblemCodes,
} from './dossier/dossier.store.ts';
import { DIARY_TYPE } from './dossier/dossier.types.ts';

/** Intake records proposed to the office and not decided yet, newest first. */
export async function listProposedIntakeRecords(
  db: Db,
  actor: Actor,
  officeId: string,
  options: { limit?: number | undefined } = {},
): Promise<ProposedIntakeRecord[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  return inTransaction(db, actor, async (tx) => {
    if (actor.kind !== 'SYSTEM' && !worksIn(actor, officeId)) {
      throw new Refusal(
        'FORBIDDEN',
        "solo gli operatori sociali dell'ufficio vedono le proposte",
        {
          action: 'SEARCH',
          entity: 'IntakeRecord',
          reason: 'not a social worker or coordinator of the office',
          details: { officeId },
        },
        'officeId',
      );
    }
    const rows = await selectProposedIntakeRecords(tx, officeId, limit);
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'IntakeRecord',
      outcome: 'OK',
      details: { officeId, proposed: rows.length },
    });
    return rows;
  });
}

type Proposal = {
  intake: IntakeForEvaluation & { proposedOfficeId: string };
  evaluation: IntakeEvaluation | null;
};

/** Locks the intake record and checks it waits for this actor's office's decision. */
async function loadProposal(
  tx: Queryable,
  actor: Actor,
  intakeRecordId: string,
): Promise<Proposal | CaseworkError> {
  const intake = await selectIntakeForEvaluation(tx, intakeRecordId);
  if (!intake) return notFound('scheda di accesso', 'intakeRecordId');
  const evaluation = await selectEvaluation(tx, intakeRecordId);
  if (evaluation && evaluation.status !== 'UNDER_EVALUATION') {
    return new CaseworkError('CONFLICT', 'la scheda è già stata valutata', 'intakeRecordId');
  }
  if (intake.status !== 'PROPOSED' || !intake.proposedOfficeId) {
    return new CaseworkError(
      'CONFLICT',
      'la scheda non è proposta per la presa in carico',
      'intakeRecordId',
    );
  }
  if (actor.kind !== 'SYSTEM' && !worksIn(actor, intake.proposedOfficeId)) {
    throw new Refusal(
      'FORBIDDEN',
      'la scheda è proposta a un altro ufficio',
      {
        action: 'UPDATE',
        entity: 'IntakeRecord',
        entityId: intake.id,
        personId: intake.subjectPersonId,
        reason: 'not a social worker or coordinator of the proposed office',
      },
      'intakeRecordId',
    );
  }
  return { intake: intake as Proposal['intake'], evaluation };
}

async function ensureEvaluation(tx: Queryable, actor: Actor, p: Proposal): Promise<void> {
  if (!p.evaluation) {
    await insertEvaluation(tx, {
      intakeRecordId: p.intake.id,
      officeId: p.intake.proposedOfficeId,
      startedBy: operatorIdOf(actor),
    });
  }
}

/** Takes a proposed intake record into evaluation (UNDER_EVALUATION); idempotent. */
export async function startEvaluation(
  db: Db,
  actor: Actor,
  intakeRecordId: string,
): Promise<IntakeEvaluation> {
  return inTransaction(db, actor, async (tx) => {
    const p = await loadProposal(tx, actor, intakeRecordId);
    if (p instanceof CaseworkError) return p;
    if (p.evaluation) return p.evaluation;
    const evaluation = await insertEvaluation(tx, {
      intakeRecordId,
      officeId: p.intake.proposedOfficeId,
      startedBy: operatorIdOf(actor),
    });
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'IntakeRecord',
      entityId: intakeRecordId,
      personId: p.intake.subjectPersonId,
      outcome: 'OK',
      details: { evaluation: 'UNDER_EVALUATION' },
    });
    return evaluation;
  });
}

/**
 * Rejects the proposal with a reason (respingimento). Refused with REJECTION_NOT_ALLOWED when the
 * judicial authority reported: then the case file must be opened.
 */
export async function rejectIntakeRecord(
  db: Db,
  actor: Actor,
  intakeRecordId: string,
  raw: RejectIntakeInput,
): Promise<IntakeEvaluation> {
  const input = parseInput(rejectIntakeInput, raw);
  if (input.interview && input.interview.on > today()) {
    throw new CaseworkError(
      'FUTURE_DATE',
      'la data del colloquio è nel futuro',
      'input.interview.on',
    );
  }
  return inTransaction(db, actor, async (tx) => {
    const p = await loadProposal(tx, actor, intakeRecordId);
    if (p instanceof CaseworkError) return p;
    if (p.intake.accessKind === 'JUDICIAL_AUTHORITY') {
      return new CaseworkError(
        'REJECTION_NOT_ALLOWED',
        "la segnalazione dell'Autorità Giudiziaria non può essere respinta: va aperta la cartella",
        'intakeRecordId',
      );
    }
    await ensureEvaluation(tx, actor, p);
    const evaluation = await decideEvaluation(tx, {
      intakeRecordId,
      status: 'REJECTED',
      decidedBy: operatorIdOf(actor),
      rejectionReasonCode: input.reasonCode,
      rejectionReason: input.reason,
      interviewOn: input.interview?.on ?? null,
      interviewNotes: input.interview?.notes ?? null,
    });
    await setIntakeOutcomeStatus(tx, intakeRecordId, 'REJECTED', operatorIdOf(actor));
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'IntakeRecord',
      entityId: intakeRecordId,
      personId: p.intake.subjectPersonId,
      outcome: 'OK',
      details: { evaluation: 'REJECTED', reasonCode: input.reasonCode },
    });
    return evaluation;
  });
}

/** Brings the intake record's social data and reference persons into the case file, as reported. */
async function integrateIntake(
  tx: Queryable,
  caseFileId: string,
  intake: IntakeForEvaluation,
  by: string | null,
): Promise<void> {
  const on = dayInRome(intake.occurredAt);
  if (intake.workConditionCode) {
    await insertSocialData(
      tx,
      caseFileId,
      {
        domain: 'WORK',
        code: intake.workConditionCode,
        description: intake.workNotes,
        reliability: 'REPORTED',
        source: 'INTAKE',
        recordedOn: on,
      },
      by,
    );
  }
  if (intake.homeless) {
    await insertSocialData(
      tx,
      caseFileId,
      {
        domain: 'HOUSING',
        code: 'NO_FIXED_ABODE',
        description: intake.housingNotes,
        reliability: 'REPORTED',
        source: 'INTAKE',
        recordedOn: on,
      },
      by,
    );
  }
  for (const r of await selectIntakeReferencePersons(tx, intake.id)) {
    await insertResource(
      tx,
      caseFileId,
      {
        kind: r.relationship === 'RELATIVE' ? 'FAMILY' : 'ACQUAINTANCE',
        relationship:
          r.relationship === 'RELATIVE'
            ? 'familiare'
            : r.relationship === 'CAREGIVER'
              ? 'caregiver'
              : r.relationship === 'ACQUAINTANCE'
                ? 'conoscente'
                : 'altro',
        name: r.fullName,
        personId: r.personId,
        cohabiting: false,
        caregiver: r.relationship === 'CAREGIVER',
        phone: r.phone,
        notes: r.notes,
      },
      by,
    );
  }
}

export type OpenedCaseFile = {
  caseFileId: string;
  evaluation: IntakeEvaluation;
  firstInterviewId: string;
};

/**
 * Opens the case file (IN_CARE) from a proposed intake record: the first professional interview
 * with the problems it found, the target area, the opener enabled as responsible operator, the
 * intake record's social data and reference persons brought in as reported.
 */
export async function openCaseFile(
  db: Db,
  actor: Actor,
  intakeRecordId: string,
  raw: OpenCaseFileInput,
): Promise<OpenedCaseFile> {
  const input = parseInput(openCaseFileInput, raw);
  const openedOn = input.openedOn ?? today();
  if (openedOn > today())
    throw new CaseworkError('FUTURE_DATE', "la data d'apertura è nel futuro", 'input.openedOn');
  if (input.firstInterview.on > today()) {
    throw new CaseworkError(
      'FUTURE_DATE',
      'la data del colloquio è nel futuro',
      'input.firstInterview.on',
    );
  }
  return inTransaction(db, actor, async (tx) => {
    const p = await loadProposal(tx, actor, intakeRecordId);
    if (p instanceof CaseworkError) return p;
    const { intake } = p;
    if (!intake.subjectPersonId) {
      return new CaseworkError(
        'CONFLICT',
        'la scheda non ha un utente identificato',
        'intakeRecordId',
      );
    }
    if (!(await targetAreaExists(tx, input.targetAreaCode))) {
      return badInput('input.targetAreaCode', `area target ${input.targetAreaCode} sconosciuta`);
    }
    const unknown = await unknownProblemCodes(tx, input.firstInterview.problems);
    if (unknown.length > 0) {
      const i = input.firstInterview.problems.indexOf(
        input.firstInterview.problems.find(
          (x) => x.scheme === unknown[0]!.scheme && x.code === unknown[0]!.code,
        )!,
      );
      return badInput(
        `input.firstInterview.problems.${i}.code`,
        `problematica ${unknown[0]!.scheme}/${unknown[0]!.code} sconosciuta`,
      );
    }
    if (await selectOpenCaseFile(tx, intake.subjectPersonId, intake.proposedOfficeId))
      return caseAlreadyOpen();
    const office = await selectOffice(tx, intake.proposedOfficeId);
    if (!office) return notFound('ufficio', 'intakeRecordId');

    const by = operatorIdOf(actor);
    await ensureEvaluation(tx, actor, p);
    const caseFileId = await insertCaseFile(tx, {
      personId: intake.subjectPersonId,
      organizationId: office.organizationId,
      officeId: office.id,
      sector: input.sector ?? office.sector,
      targetAreaCode: input.targetAreaCode,
      status: 'IN_CARE',
      openedOn,
      createdBy: by,
    });
    await insertStatusChange(tx, {
      caseFileId,
      kind: 'OPENED',
      fromStatus: null,
      toStatus: 'IN_CARE',
      fromOfficeId: null,
      toOfficeId: office.id,
      fromSector: null,
      toSector: input.sector ?? office.sector,
      reason: `presa in carico dalla scheda di accesso`,
      changedOn: openedOn,
      changedBy: by,
    });
    if (by) {
      await insertCaseOperator(tx, {
        caseFileId,
        operatorId: by,
        operatorType: 'SOCIAL_WORKER',
        responsible: true,
        enabledFrom: openedOn,
        enabledBy: by,
      });
    }
    const interview = input.firstInterview;
    const firstInterviewId = await insertActivity(tx, {
      caseFileId,
      kind: 'INTERVIEW',
      on: interview.on,
      place: interview.place ?? null,
      withWhom: interview.withWhom ?? null,
      summary: interview.summary,
      durationMinutes: interview.durationMinutes ?? null,
      operatorIds: by ? [by] : [],
      triageUrgency: null,
      triageOutcome: null,
      firstInterview: true,
      createdBy: by,
    });
    for (const problem of interview.problems) {
      await insertProblem(tx, {
        caseFileId,
        scheme: problem.scheme,
        code: problem.code,
        activityId: firstInterviewId,
        notes: problem.notes ?? null,
        recordedOn: interview.on,
        createdBy: by,
      });
    }
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: DIARY_TYPE.INTERVIEW,
      on: interview.on,
      text: `Primo colloquio professionale. ${interview.summary}`,
      authorId: by,
      sourceKind: 'professional_activity',
      sourceId: firstInterviewId,
    });
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: DIARY_TYPE.STATUS_CHANGE,
      on: openedOn,
      text: 'Presa in carico: cartella aperta dalla scheda di accesso',
      authorId: by,
      sourceKind: 'intake_record',
      sourceId: intakeRecordId,
    });
    await integrateIntake(tx, caseFileId, intake, by);
    await insertIntakeLink(tx, { intakeRecordId, caseFileId, kind: 'OPENED', by });
    const evaluation = await decideEvaluation(tx, {
      intakeRecordId,
      status: 'CASE_OPENED',
      decidedBy: by,
      interviewOn: interview.on,
      interviewNotes: interview.summary,
      caseFileId,
    });
    await setIntakeOutcomeStatus(tx, intakeRecordId, 'TAKEN_INTO_CARE', by);
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'CaseFile',
      entityId: caseFileId,
      personId: intake.subjectPersonId,
      outcome: 'OK',
      details: { intakeRecordId, officeId: office.id, targetArea: input.targetAreaCode },
    });
    return { caseFileId, evaluation, firstInterviewId };
  });
}

/**
 * Attaches the proposed intake record to the person's case file (by default the open one in the
 * proposed office): its data integrate the file. The actor must be enabled on that case file.
 */
export async function attachIntakeRecord(
  db: Db,
  actor: Actor,
  intakeRecordId: string,
  raw: AttachIntakeInput = {},
): Promise<{ caseFileId: string; evaluation: IntakeEvaluation }> {
  const input = parseInput(attachIntakeInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const p = await loadProposal(tx, actor, intakeRecordId);
    if (p instanceof CaseworkError) return p;
    const { intake } = p;
    if (!intake.subjectPersonId) {
      return new CaseworkError(
        'CONFLICT',
        'la scheda non ha un utente identificato',
        'intakeRecordId',
      );
    }
    const caseFileId =
      input.caseFileId ??
      (await selectOpenCaseFile(tx, intake.subjectPersonId, intake.proposedOfficeId));
    if (!caseFileId) {
      return new CaseworkError(
        'NOT_FOUND',
        "la persona non ha una cartella aperta in quest'ufficio",
        'input.caseFileId',
      );
    }
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE');
    if (c instanceof CaseworkError) return c;
    if (c.personId !== intake.subjectPersonId) {
      return new CaseworkError('CONFLICT', "la cartella è di un'altra persona", 'input.caseFileId');
    }
    const by = operatorIdOf(actor);
    await ensureEvaluation(tx, actor, p);
    await integrateIntake(tx, caseFileId, intake, by);
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: DIARY_TYPE.NOTE,
      on: today(),
      text: `Nuova scheda di accesso integrata nella cartella${input.note ? `: ${input.note}` : ''}`,
      authorId: by,
      sourceKind: 'intake_record',
      sourceId: intakeRecordId,
    });
    await insertIntakeLink(tx, { intakeRecordId, caseFileId, kind: 'ATTACHED', by });
    const evaluation = await decideEvaluation(tx, {
      intakeRecordId,
      status: 'ATTACHED',
      decidedBy: by,
      caseFileId,
    });
    await setIntakeOutcomeStatus(tx, intakeRecordId, 'TAKEN_INTO_CARE', by);
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'CaseFile',
      entityId: caseFileId,
      personId: c.personId,
      outcome: 'OK',
      details: { attachedIntakeRecordId: intakeRecordId },
    });
    return { caseFileId, evaluation };
  });
}
