// The care plan (PAI, piano assistenziale individualizzato), seed 003 section 2.2: goals, planned
// interventions, responsible operators, reviews and their outcomes, the agreement of the person or
// their representative; the foster-care plan (piano affido); residential placements (section 2.5:
// admission, stay, discharge, additional support services); the alert list of reviews due.
import type { Actor } from '../../access/actor.ts';
import { audit } from '../../audit/audit.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { badInput, CaseworkError } from '../../errors.ts';
import {
  auditCaseRead,
  auditCaseWrite,
  authorizeCase,
  type CaseHeader,
  isEnabledOperator,
  operatorIdOf,
  refuseAudited,
  refuseInTransaction,
} from '../case-file.access.ts';
import { earlierDate, inTransaction, notFound, parseInput, today } from '../case-file.util.ts';
import { consentRefusalForNewIntervention } from '../case-file-consent.service.ts';
import { insertDiaryEntry } from '../dossier/dossier.store.ts';
import { DIARY_TYPE } from '../dossier/dossier.types.ts';
import {
  completeReview as completeReviewRow,
  dischargePlacement,
  insertGoals,
  insertInterventions,
  insertPlacement,
  insertPlacementService,
  insertPlan,
  insertReview,
  selectDueReviews,
  selectPlacementHeader,
  selectPlacements,
  selectPlanHeader,
  selectPlans,
  selectReview,
  updateGoalOutcome,
  updatePlan,
  upsertFosterCare,
} from './care-plan.store.ts';
import {
  type AgreementInput,
  agreementInput,
  type CarePlan,
  type CompleteReviewInput,
  type CreateCarePlanInput,
  closeCarePlanInput,
  completeReviewInput,
  createCarePlanInput,
  type DischargeInput,
  type DueReview,
  dischargeInput,
  type FosterCareInput,
  fosterCareInput,
  type PlacementInput,
  type PlacementServiceInput,
  placementInput,
  placementServiceInput,
  type ResidentialPlacement,
  type ReviewInput,
  reviewInput,
} from './care-plan.types.ts';

const reviewBeforeStart = (field: string, startOn: string) =>
  new CaseworkError(
    'REVIEW_BEFORE_START',
    `la verifica non può precedere l'inizio del piano (${startOn})`,
    field,
  );

/** Loads the plan and authorizes a write on its case file. */
async function authorizePlan(
  tx: Queryable,
  actor: Actor,
  planId: string,
  options: { active?: boolean } = {},
): Promise<
  { c: CaseHeader; plan: NonNullable<Awaited<ReturnType<typeof selectPlanHeader>>> } | CaseworkError
> {
  const plan = await selectPlanHeader(tx, planId, true);
  if (!plan) return notFound('piano assistenziale', 'carePlanId');
  const c = await authorizeCase(tx, actor, plan.caseFileId, 'WRITE', 'CarePlan');
  if (c instanceof CaseworkError) return c;
  if (options.active && plan.status !== 'ACTIVE') {
    return new CaseworkError('CONFLICT', 'il piano è chiuso', 'carePlanId');
  }
  return { c, plan };
}

export async function createCarePlan(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: CreateCarePlanInput,
): Promise<CarePlan> {
  const input = parseInput(createCarePlanInput, raw);
  if (input.endOn && input.endOn < input.startOn)
    throw badInput('input.endOn', 'la fine precede l’inizio del piano');
  for (const [i, r] of input.reviews.entries()) {
    if (r.dueOn < input.startOn) throw reviewBeforeStart(`input.reviews.${i}.dueOn`, input.startOn);
  }
  for (const [i, it] of input.interventions.entries()) {
    if (it.startOn && it.endOn && it.endOn < it.startOn) {
      throw badInput(`input.interventions.${i}.endOn`, 'la fine precede l’inizio');
    }
  }
  if (input.agreement && input.agreement.agreedOn > today()) {
    throw new CaseworkError(
      'FUTURE_DATE',
      "la data dell'accordo è nel futuro",
      'input.agreement.agreedOn',
    );
  }
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'CarePlan');
    if (c instanceof CaseworkError) return c;
    // Consent denied or withdrawn on a consent-based case: no new plan (case-file-consent.service.ts).
    const noConsent = await consentRefusalForNewIntervention(tx, c, 'CarePlan');
    if (noConsent) return refuseInTransaction(tx, actor, noConsent);
    const by = operatorIdOf(actor);
    const responsible = input.responsibleOperatorId ?? by;
    if (!responsible)
      return badInput('input.responsibleOperatorId', 'indicare il responsabile del piano');
    // Responsible operators must be able to see the case they answer for.
    const responsibles: [string, string][] = [
      ['input.responsibleOperatorId', responsible],
      ...input.interventions.flatMap((it, i): [string, string][] =>
        it.responsibleOperatorId
          ? [[`input.interventions.${i}.responsibleOperatorId`, it.responsibleOperatorId]]
          : [],
      ),
    ];
    for (const [field, opId] of responsibles) {
      if (!(await isEnabledOperator(tx, caseFileId, opId))) {
        return badInput(field, "il responsabile dev'essere un operatore abilitato sulla cartella");
      }
    }
    const planId = await insertPlan(tx, {
      caseFileId,
      title: input.title,
      startOn: input.startOn,
      endOn: input.endOn ?? null,
      responsibleOperatorId: responsible,
      agreedBy: input.agreement?.agreedBy ?? null,
      agreedOn: input.agreement?.agreedOn ?? null,
      representativeName: input.agreement?.representativeName ?? null,
      createdBy: by,
    });
    await insertGoals(tx, planId, input.goals);
    await insertInterventions(
      tx,
      planId,
      input.interventions.map((it) => ({
        description: it.description,
        serviceCode: it.serviceCode ?? null,
        frequency: it.frequency ?? null,
        provider: it.provider ?? null,
        responsibleOperatorId: it.responsibleOperatorId ?? null,
        startOn: it.startOn ?? null,
        endOn: it.endOn ?? null,
      })),
    );
    for (const r of input.reviews) await insertReview(tx, planId, r);
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: DIARY_TYPE.CARE_PLAN,
      on: earlierDate(input.startOn, today()),
      text: `PAI "${input.title}": ${input.goals.length} obiettivi, ${input.interventions.length} interventi`,
      authorId: by,
      sourceKind: 'care_plan',
      sourceId: planId,
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'CarePlan', planId);
    return (await selectPlans(tx, caseFileId, planId))[0]!;
  });
}

export async function listCarePlans(db: Db, actor: Actor, caseFileId: string): Promise<CarePlan[]> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'READ', 'CarePlan');
    if (c instanceof CaseworkError) return c;
    const plans = await selectPlans(tx, caseFileId);
    await auditCaseRead(tx, actor, c, 'CarePlan', { results: plans.length });
    return plans;
  });
}

/** Records the agreement of the person or of their representative. */
export async function recordAgreement(
  db: Db,
  actor: Actor,
  carePlanId: string,
  raw: AgreementInput,
): Promise<CarePlan> {
  const input = parseInput(agreementInput, raw);
  if (input.agreedOn > today())
    throw new CaseworkError('FUTURE_DATE', "la data dell'accordo è nel futuro", 'input.agreedOn');
  return inTransaction(db, actor, async (tx) => {
    const p = await authorizePlan(tx, actor, carePlanId, { active: true });
    if (p instanceof CaseworkError) return p;
    await updatePlan(tx, carePlanId, {
      agreed_by: input.agreedBy,
      agreed_on: input.agreedOn,
      representative_name: input.representativeName ?? null,
    });
    await auditCaseWrite(tx, actor, p.c, 'UPDATE', 'CarePlan', carePlanId, {
      agreedBy: input.agreedBy,
    });
    return (await selectPlans(tx, p.c.id, carePlanId))[0]!;
  });
}

export async function addReview(
  db: Db,
  actor: Actor,
  carePlanId: string,
  raw: ReviewInput,
): Promise<CarePlan> {
  const input = parseInput(reviewInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const p = await authorizePlan(tx, actor, carePlanId, { active: true });
    if (p instanceof CaseworkError) return p;
    if (input.dueOn < p.plan.startOn) throw reviewBeforeStart('input.dueOn', p.plan.startOn);
    const id = await insertReview(tx, carePlanId, input);
    await auditCaseWrite(tx, actor, p.c, 'CREATE', 'CarePlanReview', id);
    return (await selectPlans(tx, p.c.id, carePlanId))[0]!;
  });
}

/** Records a review's outcome, the goals it assessed and, if any, the next review. */
export async function completeReview(
  db: Db,
  actor: Actor,
  reviewId: string,
  raw: CompleteReviewInput,
): Promise<CarePlan> {
  const input = parseInput(completeReviewInput, raw);
  if (input.doneOn > today())
    throw new CaseworkError('FUTURE_DATE', 'la data della verifica è nel futuro', 'input.doneOn');
  return inTransaction(db, actor, async (tx) => {
    const review = await selectReview(tx, reviewId);
    if (!review) return notFound('verifica', 'reviewId');
    const p = await authorizePlan(tx, actor, review.carePlanId, { active: true });
    if (p instanceof CaseworkError) return p;
    if (review.doneOn)
      return new CaseworkError('CONFLICT', 'la verifica è già stata svolta', 'reviewId');
    if (input.doneOn < p.plan.startOn) throw reviewBeforeStart('input.doneOn', p.plan.startOn);
    const by = operatorIdOf(actor);
    await completeReviewRow(tx, reviewId, {
      doneOn: input.doneOn,
      outcome: input.outcome,
      note: input.note ?? null,
      reviewerId: by,
    });
    for (const [i, g] of input.goals.entries()) {
      if (!(await updateGoalOutcome(tx, review.carePlanId, g.goalId, g.achieved, g.note ?? null))) {
        throw notFound('obiettivo', `input.goals.${i}.goalId`);
      }
    }
    if (input.nextReview) {
      if (input.nextReview.dueOn < p.plan.startOn)
        throw reviewBeforeStart('input.nextReview.dueOn', p.plan.startOn);
      await insertReview(tx, review.carePlanId, input.nextReview);
    }
    await insertDiaryEntry(tx, {
      caseFileId: p.c.id,
      typeId: DIARY_TYPE.CARE_PLAN,
      on: input.doneOn,
      text: `Verifica del PAI "${p.plan.title}": ${input.outcome}${input.note ? `. ${input.note}` : ''}`,
      authorId: by,
      sourceKind: 'care_plan_review',
      sourceId: reviewId,
    });
    await auditCaseWrite(tx, actor, p.c, 'UPDATE', 'CarePlanReview', reviewId, {
      outcome: input.outcome,
    });
    return (await selectPlans(tx, p.c.id, review.carePlanId))[0]!;
  });
}

export async function closeCarePlan(
  db: Db,
  actor: Actor,
  carePlanId: string,
  raw: { closedOn: string; reason: string },
): Promise<CarePlan> {
  const input = parseInput(closeCarePlanInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const p = await authorizePlan(tx, actor, carePlanId, { active: true });
    if (p instanceof CaseworkError) return p;
    if (input.closedOn < p.plan.startOn)
      return badInput('input.closedOn', "la chiusura precede l'inizio del piano");
    await updatePlan(tx, carePlanId, {
      status: 'CLOSED',
      closed_on: input.closedOn,
      closure_reason: input.reason,
    });
    await auditCaseWrite(tx, actor, p.c, 'UPDATE', 'CarePlan', carePlanId, { status: 'CLOSED' });
    return (await selectPlans(tx, p.c.id, carePlanId))[0]!;
  });
}

/** Sets the foster-care part of a plan (piano affido). */
export async function setFosterCare(
  db: Db,
  actor: Actor,
  carePlanId: string,
  raw: FosterCareInput,
): Promise<CarePlan> {
  const input = parseInput(fosterCareInput, raw);
  if (input.startedOn && input.endedOn && input.endedOn < input.startedOn) {
    throw badInput('input.endedOn', 'la fine precede l’inizio dell’affido');
  }
  if (input.outcome && !input.endedOn)
    throw badInput('input.endedOn', "l'esito dell'affido richiede la data di fine");
  return inTransaction(db, actor, async (tx) => {
    const p = await authorizePlan(tx, actor, carePlanId, { active: true });
    if (p instanceof CaseworkError) return p;
    // Starting a foster care is a new intervention; updating a running one is not.
    const started = await tx.query('SELECT 1 FROM foster_care_plan WHERE care_plan_id = $1', [
      carePlanId,
    ]);
    if (started.length === 0) {
      const noConsent = await consentRefusalForNewIntervention(tx, p.c, 'FosterCarePlan');
      if (noConsent) return refuseInTransaction(tx, actor, noConsent);
    }
    await upsertFosterCare(tx, carePlanId, {
      status: input.status,
      form: input.form ?? null,
      kind: input.kind ?? null,
      duration: input.duration ?? null,
      character: input.character ?? null,
      fosterFamily: input.fosterFamily ?? null,
      startedOn: input.startedOn ?? null,
      endedOn: input.endedOn ?? null,
      outcome: input.outcome ?? null,
    });
    await auditCaseWrite(tx, actor, p.c, 'UPDATE', 'FosterCarePlan', carePlanId, {
      status: input.status,
    });
    return (await selectPlans(tx, p.c.id, carePlanId))[0]!;
  });
}

// ---------------------------------------------------------------------------------------------
// Residential placements
// ---------------------------------------------------------------------------------------------

export async function createPlacement(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: PlacementInput,
): Promise<ResidentialPlacement> {
  const input = parseInput(placementInput, raw);
  if (input.expectedDischargeOn && input.expectedDischargeOn < input.admissionOn) {
    throw badInput('input.expectedDischargeOn', "la dimissione prevista precede l'ingresso");
  }
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'ResidentialPlacement');
    if (c instanceof CaseworkError) return c;
    const noConsent = await consentRefusalForNewIntervention(tx, c, 'ResidentialPlacement');
    if (noConsent) return refuseInTransaction(tx, actor, noConsent);
    if (input.carePlanId) {
      const plan = await selectPlanHeader(tx, input.carePlanId);
      if (!plan || plan.caseFileId !== caseFileId)
        return notFound('piano assistenziale', 'input.carePlanId');
    }
    const by = operatorIdOf(actor);
    const id = await insertPlacement(tx, {
      caseFileId,
      carePlanId: input.carePlanId ?? null,
      facilityName: input.facilityName,
      facilityCharacter: input.facilityCharacter ?? null,
      form: input.form ?? null,
      withParent: input.withParent ?? null,
      phase: input.phase,
      admissionOn: input.admissionOn,
      expectedDischargeOn: input.expectedDischargeOn ?? null,
      notes: input.notes ?? null,
      createdBy: by,
    });
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: DIARY_TYPE.CARE_PLAN,
      on: earlierDate(input.admissionOn, today()),
      text: `Inserimento in struttura: ${input.facilityName} dal ${input.admissionOn}`,
      authorId: by,
      sourceKind: 'residential_placement',
      sourceId: id,
      // The facility (an RSA, a therapeutic community) tells of the person's health.
      sensitiveGroup: 'HEALTH',
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'ResidentialPlacement', id);
    return (await selectPlacements(tx, caseFileId)).find((p) => p.id === id)!;
  });
}

async function authorizePlacement(tx: Queryable, actor: Actor, placementId: string) {
  const placement = await selectPlacementHeader(tx, placementId);
  if (!placement) return notFound('inserimento in struttura', 'placementId');
  const c = await authorizeCase(tx, actor, placement.caseFileId, 'WRITE', 'ResidentialPlacement');
  if (c instanceof CaseworkError) return c;
  return { c, placement };
}

export async function dischargeFromPlacement(
  db: Db,
  actor: Actor,
  placementId: string,
  raw: DischargeInput,
): Promise<ResidentialPlacement> {
  const input = parseInput(dischargeInput, raw);
  if (input.dischargeOn > today())
    throw new CaseworkError('FUTURE_DATE', 'la dimissione è nel futuro', 'input.dischargeOn');
  return inTransaction(db, actor, async (tx) => {
    const p = await authorizePlacement(tx, actor, placementId);
    if (p instanceof CaseworkError) return p;
    if (p.placement.dischargeOn)
      return new CaseworkError('CONFLICT', 'la persona è già stata dimessa', 'placementId');
    if (input.dischargeOn < p.placement.admissionOn) {
      return badInput('input.dischargeOn', "la dimissione precede l'ingresso");
    }
    const by = operatorIdOf(actor);
    await dischargePlacement(tx, placementId, {
      dischargeOn: input.dischargeOn,
      outcome: input.outcome,
      notes: input.notes ?? null,
    });
    await insertDiaryEntry(tx, {
      caseFileId: p.c.id,
      typeId: DIARY_TYPE.CARE_PLAN,
      on: input.dischargeOn,
      text: `Dimissione da ${p.placement.facilityName}`,
      authorId: by,
      sourceKind: 'residential_placement',
      sourceId: placementId,
      // The facility (an RSA, a therapeutic community) tells of the person's health.
      sensitiveGroup: 'HEALTH',
    });
    await auditCaseWrite(tx, actor, p.c, 'UPDATE', 'ResidentialPlacement', placementId, {
      discharged: input.dischargeOn,
    });
    return (await selectPlacements(tx, p.c.id)).find((x) => x.id === placementId)!;
  });
}

/** Adds a support service during the stay (servizi aggiuntivi di sostegno). */
export async function addPlacementService(
  db: Db,
  actor: Actor,
  placementId: string,
  raw: PlacementServiceInput,
): Promise<ResidentialPlacement> {
  const input = parseInput(placementServiceInput, raw);
  if (input.endOn && input.endOn < input.startOn)
    throw badInput('input.endOn', 'la fine precede l’inizio');
  return inTransaction(db, actor, async (tx) => {
    const p = await authorizePlacement(tx, actor, placementId);
    if (p instanceof CaseworkError) return p;
    const noConsent = await consentRefusalForNewIntervention(tx, p.c, 'PlacementService');
    if (noConsent) return refuseInTransaction(tx, actor, noConsent);
    if (input.startOn < p.placement.admissionOn)
      return badInput('input.startOn', "il servizio precede l'ingresso");
    if (p.placement.dischargeOn && input.startOn > p.placement.dischargeOn) {
      return badInput('input.startOn', 'il servizio inizia dopo la dimissione');
    }
    const id = await insertPlacementService(tx, placementId, {
      description: input.description,
      frequency: input.frequency ?? null,
      startOn: input.startOn,
      endOn: input.endOn ?? null,
    });
    await auditCaseWrite(tx, actor, p.c, 'CREATE', 'PlacementService', id);
    return (await selectPlacements(tx, p.c.id)).find((x) => x.id === placementId)!;
  });
}

// ---------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------

/**
 * Reviews due within `withinDays` or overdue, on the case files the operator is enabled on:
 * the alert list of seed 003 section 2.6 for care-plan monitoring.
 */
export async function listDueReviews(
  db: Db,
  actor: Actor,
  options: { asOf?: string | undefined; withinDays?: number | undefined } = {},
): Promise<DueReview[]> {
  if (actor.kind !== 'OPERATOR') {
    return refuseAudited(
      db,
      actor,
      { action: 'SEARCH', entity: 'CarePlanReview', reason: 'not an operator' },
      'le scadenze sono per gli operatori',
    );
  }
  const asOf = options.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw badInput('asOf', 'data non valida (AAAA-MM-GG)');
  const within = Math.min(Math.max(options.withinDays ?? 14, 0), 365);
  const until = new Date(Date.parse(`${asOf}T00:00:00Z`) + within * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return db.transaction(async (tx) => {
    const rows = await selectDueReviews(tx, actor.id, asOf, until);
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'CarePlanReview',
      outcome: 'OK',
      details: { due: rows.length },
    });
    return rows;
  });
}
