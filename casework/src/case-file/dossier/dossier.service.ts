// The dossier (fascicolo): diary, professional activities with the problems they found, referrals
// to another service or operator, activation of a second-level service or another body, and
// individual projects.

import { type Actor, maskedGroupsOf } from '../../access/actor.ts';
import { Refusal } from '../../access/audited.ts';
import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/db.ts';
import { badInput, CaseworkError } from '../../errors.ts';
import { noAgreement, sharingBasisWithAny } from '../../organizations/data-sharing.ts';
import {
  auditCaseRead,
  auditCaseWrite,
  authorizeCase,
  isEnabledOperator,
  operatorIdOf,
  operatorOrganizations,
  refuseAudited,
  refuseInTransaction,
  selectCaseHeader,
  worksIn,
} from '../case-file.access.ts';
import { insertCaseOperator, operatorExists, selectOffice } from '../case-file.store.ts';
import { inTransaction, notFound, parseInput, today } from '../case-file.util.ts';
import { consentRefusalForNewIntervention } from '../case-file-consent.service.ts';
import {
  answerReferral as answerReferralRow,
  insertActivity,
  insertDiaryEntry,
  insertProblem,
  insertProject,
  insertReferral,
  selectDiary,
  selectDiaryEntry,
  selectIncomingReferrals,
  selectReceiverName,
  selectReferral,
  unknownProblemCodes,
} from './dossier.store.ts';
import {
  type ActivityInput,
  type AnswerReferralInput,
  activityInput,
  answerReferralInput,
  DIARY_TYPE,
  type DiaryEntry,
  type DiaryEntryInput,
  diaryEntryInput,
  MANUAL_DIARY_TYPES,
  type ProjectInput,
  projectInput,
  type Referral,
  type ReferralInput,
  referralInput,
} from './dossier.types.ts';

const futureDate = (field: string) =>
  new CaseworkError('FUTURE_DATE', 'la data è nel futuro', field);

export async function addDiaryEntry(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: DiaryEntryInput,
): Promise<DiaryEntry> {
  const input = parseInput(diaryEntryInput, raw);
  if (input.on > today()) throw futureDate('input.on');
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'DiaryEntry');
    if (c instanceof CaseworkError) return c;
    const id = await insertDiaryEntry(tx, {
      caseFileId,
      typeId: MANUAL_DIARY_TYPES[input.type],
      on: input.on,
      text: input.text,
      authorId: operatorIdOf(actor),
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'DiaryEntry', id);
    return (await selectDiaryEntry(tx, id))!;
  });
}

/**
 * The diary, newest first, `limit` entries at a time; pass the last entry's id to page on. The
 * automatic lines of the groups the actor's desk masks are withheld (a Barthel score, a court
 * measure, an ISEE, a placement, a health or court document).
 */
export async function listDiaryEntries(
  db: Db,
  actor: Actor,
  caseFileId: string,
  options: { limit?: number | undefined; after?: string | null | undefined } = {},
): Promise<DiaryEntry[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'READ', 'DiaryEntry');
    if (c instanceof CaseworkError) return c;
    const withheld = [...maskedGroupsOf(actor)];
    let before = null;
    if (options.after) {
      const cursor = await selectDiaryEntry(tx, options.after);
      if (
        !cursor ||
        cursor.caseFileId !== caseFileId ||
        (cursor.sensitiveGroup && withheld.includes(cursor.sensitiveGroup))
      )
        throw badInput('after', 'voce di diario non trovata');
      before = { on: cursor.on, createdAt: cursor.createdAt, id: cursor.id };
    }
    const rows = await selectDiary(tx, caseFileId, limit, before, withheld);
    await auditCaseRead(tx, actor, c, 'DiaryEntry', { results: rows.length });
    return rows;
  });
}

/**
 * Records a professional activity (interview, home visit, meeting, triage) and the problems it
 * found: problems are always recorded with the activity that found them (seed 003, 1.3).
 */
export async function recordActivity(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: ActivityInput,
): Promise<{ activityId: string; problemIds: string[] }> {
  const input = parseInput(activityInput, raw);
  if (input.on > today()) throw futureDate('input.on');
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'ProfessionalActivity');
    if (c instanceof CaseworkError) return c;
    const unknown = await unknownProblemCodes(tx, input.problems);
    if (unknown.length > 0) {
      const i = input.problems.findIndex(
        (p) => p.scheme === unknown[0]!.scheme && p.code === unknown[0]!.code,
      );
      return badInput(
        `input.problems.${i}.code`,
        `problematica ${unknown[0]!.scheme}/${unknown[0]!.code} sconosciuta`,
      );
    }
    for (const [i, opId] of input.operatorIds.entries()) {
      if (!(await operatorExists(tx, opId))) return notFound('operatore', `input.operatorIds.${i}`);
    }
    const by = operatorIdOf(actor);
    const operatorIds = [...new Set([...(by ? [by] : []), ...input.operatorIds])];
    const activityId = await insertActivity(tx, {
      caseFileId,
      kind: input.kind,
      on: input.on,
      place: input.place ?? null,
      withWhom: input.withWhom ?? null,
      summary: input.summary,
      durationMinutes: input.durationMinutes ?? null,
      operatorIds,
      triageUrgency: input.triage?.urgency ?? null,
      triageOutcome: input.triage?.outcome ?? null,
      firstInterview: false,
      createdBy: by,
    });
    const problemIds: string[] = [];
    for (const p of input.problems) {
      problemIds.push(
        await insertProblem(tx, {
          caseFileId,
          scheme: p.scheme,
          code: p.code,
          activityId,
          notes: p.notes ?? null,
          recordedOn: input.on,
          createdBy: by,
        }),
      );
    }
    const label = {
      INTERVIEW: 'Colloquio',
      HOME_VISIT: 'Visita domiciliare',
      MEETING: 'Incontro',
      TRIAGE: 'Triage',
    }[input.kind];
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: input.kind === 'INTERVIEW' ? DIARY_TYPE.INTERVIEW : DIARY_TYPE.PROFESSIONAL_ACTIVITY,
      on: input.on,
      text: `${label}: ${input.summary}`,
      authorId: by,
      sourceKind: 'professional_activity',
      sourceId: activityId,
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'ProfessionalActivity', activityId, {
      problems: problemIds.length,
    });
    return { activityId, problemIds };
  });
}

/**
 * Refers the case to another service or operator, or activates a second-level service or another
 * body. The receiver sees the referral (not the case file) until it accepts.
 */
export async function createReferral(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: ReferralInput,
): Promise<Referral> {
  const input = parseInput(referralInput, raw);
  const sentOn = input.on ?? today();
  if (sentOn > today()) throw futureDate('input.on');
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'Referral');
    if (c instanceof CaseworkError) return c;
    if (input.toOfficeId) {
      const office = await selectOffice(tx, input.toOfficeId);
      if (!office) return notFound('ufficio', 'input.toOfficeId');
      if (input.kind === 'SECOND_LEVEL') {
        const level = await tx.query<{ level: number }>('SELECT level FROM office WHERE id = $1', [
          office.id,
        ]);
        if (level[0]!.level !== 2)
          return badInput('input.toOfficeId', "l'ufficio indicato non è di secondo livello");
      }
    }
    if (input.toOperatorId && !(await operatorExists(tx, input.toOperatorId))) {
      return notFound('operatore', 'input.toOperatorId');
    }
    if (input.toOrganizationId) {
      const org = await tx.query('SELECT 1 FROM organization WHERE id = $1', [
        input.toOrganizationId,
      ]);
      if (org.length === 0) return notFound('organizzazione', 'input.toOrganizationId');
    }
    // The referral names the person and why: it may reach another organisation only under a
    // data-sharing agreement in force (the case's own organisation line needs none).
    const receivers = input.toOrganizationId
      ? [input.toOrganizationId]
      : input.toOfficeId
        ? [(await selectOffice(tx, input.toOfficeId))!.organizationId]
        : input.toOperatorId
          ? await operatorOrganizations(tx, input.toOperatorId)
          : [];
    const basis =
      receivers.length === 0
        ? ({ kind: 'SAME_LINE' } as const)
        : await sharingBasisWithAny(tx, c.organizationId, receivers, sentOn);
    if (!basis) {
      return refuseInTransaction(
        tx,
        actor,
        noAgreement(
          { action: 'CREATE', entity: 'Referral', personId: c.personId },
          input.toOrganizationId
            ? 'input.toOrganizationId'
            : input.toOfficeId
              ? 'input.toOfficeId'
              : 'input.toOperatorId',
          { caseFileId, kind: input.kind },
        ),
      );
    }
    const by = operatorIdOf(actor);
    // The receiver's name as picked today, kept with the referral (it may not be listed later).
    const toOfficeId = input.toOfficeId ?? null;
    const toOperatorId = input.toOperatorId ?? null;
    const toOrganizationId = input.toOrganizationId ?? null;
    const toName =
      toOfficeId || toOperatorId || toOrganizationId
        ? await selectReceiverName(tx, {
            officeId: toOfficeId,
            operatorId: toOperatorId,
            organizationId: toOrganizationId,
          })
        : null;
    const referral = await insertReferral(tx, {
      caseFileId,
      kind: input.kind,
      toOfficeId: input.toOfficeId ?? null,
      toOperatorId: input.toOperatorId ?? null,
      toOrganizationId: input.toOrganizationId ?? null,
      toBody: input.toBody ?? null,
      toName,
      reason: input.reason,
      sentOn,
      sentBy: by,
    });
    const what = {
      SERVICE: 'Segnalazione ad altro servizio',
      OPERATOR: 'Segnalazione ad altro operatore',
      SECOND_LEVEL: 'Attivazione servizio di II livello',
      OTHER_BODY: 'Attivazione altro ente',
    }[input.kind];
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: DIARY_TYPE.SERVICE_REQUEST,
      on: sentOn,
      text: `${what}: ${input.reason}`,
      authorId: by,
      sourceKind: 'case_referral',
      sourceId: referral.id,
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'Referral', referral.id, {
      kind: input.kind,
      sharingAgreementId: basis.kind === 'AGREEMENT' ? basis.agreementId : null,
    });
    return referral;
  });
}

/** Referrals waiting for the operator or for the offices where the operator works. */
export async function listIncomingReferrals(
  db: Db,
  actor: Actor,
): Promise<(Referral & { personId: string })[]> {
  if (actor.kind !== 'OPERATOR') {
    return refuseAudited(
      db,
      actor,
      { action: 'SEARCH', entity: 'Referral', reason: 'not an operator' },
      'solo gli operatori ricevono segnalazioni',
    );
  }
  const offices = actor.memberships
    .filter((m) => m.role === 'SOCIAL_WORKER' || m.role === 'COORDINATOR')
    .map((m) => m.officeId);
  return db.transaction(async (tx) => {
    const rows = await selectIncomingReferrals(tx, actor.id, offices);
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'Referral',
      outcome: 'OK',
      details: { incoming: rows.length },
    });
    return rows;
  });
}

/**
 * The receiver accepts or declines a referral. Accepting enables the receiver on the case file
 * (the access list grows by the one operator who took the referral). For another body, the
 * answer is recorded by an operator enabled on the case.
 */
export async function answerReferral(
  db: Db,
  actor: Actor,
  referralId: string,
  raw: AnswerReferralInput,
): Promise<Referral> {
  const input = parseInput(answerReferralInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const r = await selectReferral(tx, referralId);
    if (!r) return notFound('segnalazione', 'referralId');
    const c = (await selectCaseHeader(tx, r.caseFileId))!;
    const receiver =
      actor.kind === 'SYSTEM' ||
      (actor.kind === 'OPERATOR' &&
        (r.kind === 'OPERATOR'
          ? r.toOperatorId === actor.id
          : r.kind === 'OTHER_BODY'
            ? await isEnabledOperator(tx, r.caseFileId, actor.id)
            : !!r.toOfficeId && worksIn(actor, r.toOfficeId)));
    if (!receiver) {
      throw new Refusal(
        'FORBIDDEN',
        'la segnalazione non è indirizzata a te',
        {
          action: 'UPDATE',
          entity: 'Referral',
          entityId: referralId,
          personId: c.personId,
          reason: 'not the receiver of the referral',
        },
        'referralId',
      );
    }
    if (r.status !== 'SENT')
      return new CaseworkError('CONFLICT', 'la segnalazione ha già una risposta', 'referralId');
    // Accepting brings the receiver into the access list: the agreement must still be in force.
    if (input.accept && actor.kind === 'OPERATOR' && r.kind !== 'OTHER_BODY') {
      const orgs = [...new Set(actor.memberships.map((m) => m.organizationId))];
      if (!(await sharingBasisWithAny(tx, c.organizationId, orgs, today()))) {
        return refuseInTransaction(
          tx,
          actor,
          noAgreement(
            { action: 'UPDATE', entity: 'Referral', entityId: referralId, personId: c.personId },
            'referralId',
            { caseFileId: r.caseFileId },
          ),
        );
      }
    }
    const by = operatorIdOf(actor);
    const answered = (await answerReferralRow(tx, referralId, {
      status: input.accept ? 'ACCEPTED' : 'DECLINED',
      by,
      note: input.note ?? null,
    }))!;
    if (
      input.accept &&
      by &&
      r.kind !== 'OTHER_BODY' &&
      !(await isEnabledOperator(tx, r.caseFileId, by))
    ) {
      await insertCaseOperator(tx, {
        caseFileId: r.caseFileId,
        operatorId: by,
        operatorType: 'SOCIAL_WORKER',
        responsible: false,
        enabledFrom: today(),
        enabledBy: by,
      });
    }
    await insertDiaryEntry(tx, {
      caseFileId: r.caseFileId,
      typeId: DIARY_TYPE.SERVICE_REQUEST,
      on: today(),
      text: `Segnalazione ${input.accept ? 'accettata' : 'rifiutata'}${input.note ? `: ${input.note}` : ''}`,
      authorId: by,
      sourceKind: 'case_referral',
      sourceId: referralId,
    });
    await auditCaseWrite(tx, actor, c, 'UPDATE', 'Referral', referralId, {
      accepted: input.accept,
    });
    return answered;
  });
}

export async function createProject(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: ProjectInput,
): Promise<string> {
  const input = parseInput(projectInput, raw);
  if (input.endOn && input.endOn < input.startOn)
    throw badInput('input.endOn', 'la fine precede l’inizio');
  if (input.phase != null && input.kind !== 'WORK_INCLUSION') {
    throw badInput('input.phase', 'la fase riguarda i progetti di inserimento lavorativo');
  }
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'IndividualProject');
    if (c instanceof CaseworkError) return c;
    const noConsent = await consentRefusalForNewIntervention(tx, c, 'IndividualProject');
    if (noConsent) return refuseInTransaction(tx, actor, noConsent);
    const responsible = input.responsibleOperatorId ?? operatorIdOf(actor);
    if (responsible && !(await isEnabledOperator(tx, caseFileId, responsible))) {
      return badInput(
        'input.responsibleOperatorId',
        "il responsabile dev'essere abilitato sulla cartella",
      );
    }
    const id = await insertProject(tx, {
      caseFileId,
      kind: input.kind,
      title: input.title,
      description: input.description ?? null,
      startOn: input.startOn,
      endOn: input.endOn ?? null,
      status: input.status,
      phase: input.phase ?? null,
      responsibleOperatorId: responsible,
      createdBy: operatorIdOf(actor),
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'IndividualProject', id);
    return id;
  });
}
