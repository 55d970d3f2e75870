import {
  addPlacementService,
  addReview,
  type CarePlan,
  type CarePlanGoal,
  type CarePlanIntervention,
  type CarePlanReview,
  closeCarePlan,
  completeReview,
  createCarePlan,
  createPlacement,
  type DueReview,
  dischargeFromPlacement,
  type FosterCarePlan,
  GOAL_TERMS,
  listCarePlans,
  listDueReviews,
  type PlacementService,
  REVIEW_OUTCOMES,
  REVIEW_PURPOSES,
  type ResidentialPlacement,
  recordAgreement,
  setFosterCare,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { withoutNulls } from './graphql-input.ts';

// The care plan (PAI), the foster-care plan and residential placements. The service checks that
// the caller is enabled on the case file and audits every refusal.

export const GoalTerm = builder.enumType('CarePlanGoalTerm', { values: GOAL_TERMS });
export const ReviewPurpose = builder.enumType('CarePlanReviewPurpose', {
  description: 'SISO PaiPTIMotivoRevisioneEnum: elaborazione, valutazione, verifica, rivalutazione',
  values: REVIEW_PURPOSES,
});
export const ReviewOutcome = builder.enumType('CarePlanReviewOutcome', { values: REVIEW_OUTCOMES });
const CarePlanStatus = builder.enumType('CarePlanStatus', {
  values: ['ACTIVE', 'CLOSED'] as const,
});
const AgreedBy = builder.enumType('CarePlanAgreedBy', {
  values: ['PERSON', 'REPRESENTATIVE'] as const,
});

const GoalRef = builder.objectRef<CarePlanGoal>('CarePlanGoal').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    term: t.expose('term', { type: GoalTerm }),
    description: t.exposeString('description'),
    achieved: t.exposeBoolean('achieved', {
      nullable: true,
      description: 'null until a review assesses it',
    }),
    outcomeNote: t.exposeString('outcomeNote', { nullable: true }),
  }),
});

const InterventionRef = builder.objectRef<CarePlanIntervention>('CarePlanIntervention').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    description: t.exposeString('description'),
    serviceCode: t.exposeString('serviceCode', { nullable: true }),
    frequency: t.exposeString('frequency', { nullable: true }),
    provider: t.exposeString('provider', { nullable: true }),
    responsibleOperatorId: t.exposeID('responsibleOperatorId', { nullable: true }),
    startOn: t.expose('startOn', { type: 'Date', nullable: true }),
    endOn: t.expose('endOn', { type: 'Date', nullable: true }),
  }),
});

const ReviewRef = builder.objectRef<CarePlanReview>('CarePlanReview').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    carePlanId: t.exposeID('carePlanId'),
    dueOn: t.expose('dueOn', { type: 'Date' }),
    purpose: t.expose('purpose', { type: ReviewPurpose }),
    doneOn: t.expose('doneOn', { type: 'Date', nullable: true }),
    outcome: t.expose('outcome', { type: ReviewOutcome, nullable: true }),
    outcomeNote: t.exposeString('outcomeNote', { nullable: true }),
    reviewerId: t.exposeID('reviewerId', { nullable: true }),
  }),
});

const FosterCareRef = builder.objectRef<FosterCarePlan>('FosterCarePlan').implement({
  description:
    'Piano affido: status from SISO PaiAffidoStatoEnum (10–70), the rest SINBA.xsd codes',
  fields: (t) => ({
    status: t.exposeInt('status'),
    form: t.exposeString('form', { nullable: true, description: 'FormaInterventoAffidoType' }),
    kind: t.exposeString('kind', { nullable: true, description: 'TipoInterventoAffidoType' }),
    duration: t.exposeString('duration', { nullable: true, description: 'DurataAffidoType' }),
    character: t.exposeString('character', { nullable: true, description: 'CarattereAffidoType' }),
    fosterFamily: t.exposeString('fosterFamily', { nullable: true }),
    startedOn: t.expose('startedOn', { type: 'Date', nullable: true }),
    endedOn: t.expose('endedOn', { type: 'Date', nullable: true }),
    outcome: t.exposeString('outcome', { nullable: true, description: 'EsitoAffidoType' }),
  }),
});

export const CarePlanRef = builder.objectRef<CarePlan>('CarePlan').implement({
  description: 'PAI, piano assistenziale individualizzato',
  fields: (t) => ({
    id: t.exposeID('id'),
    caseFileId: t.exposeID('caseFileId'),
    title: t.exposeString('title'),
    startOn: t.expose('startOn', { type: 'Date' }),
    endOn: t.expose('endOn', { type: 'Date', nullable: true }),
    responsibleOperatorId: t.exposeID('responsibleOperatorId'),
    status: t.expose('status', { type: CarePlanStatus }),
    closedOn: t.expose('closedOn', { type: 'Date', nullable: true }),
    closureReason: t.exposeString('closureReason', { nullable: true }),
    agreedBy: t.expose('agreedBy', { type: AgreedBy, nullable: true }),
    agreedOn: t.expose('agreedOn', { type: 'Date', nullable: true }),
    representativeName: t.exposeString('representativeName', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    goals: t.expose('goals', { type: [GoalRef] }),
    interventions: t.expose('interventions', { type: [InterventionRef] }),
    reviews: t.expose('reviews', { type: [ReviewRef] }),
    fosterCare: t.expose('fosterCare', { type: FosterCareRef, nullable: true }),
  }),
});

const PlacementServiceRef = builder.objectRef<PlacementService>('PlacementService').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    description: t.exposeString('description'),
    frequency: t.exposeString('frequency', { nullable: true }),
    startOn: t.expose('startOn', { type: 'Date' }),
    endOn: t.expose('endOn', { type: 'Date', nullable: true }),
  }),
});

export const PlacementRef = builder
  .objectRef<ResidentialPlacement>('ResidentialPlacement')
  .implement({
    description: 'Inserimento in struttura: admission, stay, discharge, added support services',
    fields: (t) => ({
      id: t.exposeID('id'),
      caseFileId: t.exposeID('caseFileId'),
      carePlanId: t.exposeID('carePlanId', { nullable: true }),
      facilityName: t.exposeString('facilityName'),
      facilityCharacter: t.exposeString('facilityCharacter', {
        nullable: true,
        description: 'SINBA CarattereInserimentoResidenzialeType',
      }),
      form: t.exposeString('form', {
        nullable: true,
        description: 'SINBA FormaInserimentoResidenzialeType',
      }),
      withParent: t.exposeString('withParent', {
        nullable: true,
        description: 'SINBA TipoInserimentoResidenzialeType',
      }),
      phase: t.exposeInt('phase', { description: 'SISO PaiPTIFaseEnum 1–6' }),
      admissionOn: t.expose('admissionOn', { type: 'Date' }),
      expectedDischargeOn: t.expose('expectedDischargeOn', { type: 'Date', nullable: true }),
      dischargeOn: t.expose('dischargeOn', { type: 'Date', nullable: true }),
      dischargeOutcome: t.exposeString('dischargeOutcome', {
        nullable: true,
        description: 'SINBA EsitoInserimentoStrutturaType',
      }),
      notes: t.exposeString('notes', { nullable: true }),
      services: t.expose('services', { type: [PlacementServiceRef] }),
    }),
  });

const DueReviewRef = builder.objectRef<DueReview>('DueReview').implement({
  description: 'A care-plan review due soon or overdue (alert)',
  fields: (t) => ({
    reviewId: t.exposeID('reviewId'),
    carePlanId: t.exposeID('carePlanId'),
    carePlanTitle: t.exposeString('carePlanTitle'),
    caseFileId: t.exposeID('caseFileId'),
    personId: t.exposeID('personId'),
    dueOn: t.expose('dueOn', { type: 'Date' }),
    purpose: t.expose('purpose', { type: ReviewPurpose }),
    overdue: t.exposeBoolean('overdue'),
    daysLate: t.exposeInt('daysLate'),
  }),
});

const GoalInput = builder.inputType('CarePlanGoalInput', {
  fields: (t) => ({
    term: t.field({ type: GoalTerm, required: true }),
    description: t.string({ required: true }),
  }),
});
const InterventionInput = builder.inputType('CarePlanInterventionInput', {
  fields: (t) => ({
    description: t.string({ required: true }),
    serviceCode: t.string({ description: 'Code of the service catalog' }),
    frequency: t.string(),
    provider: t.string(),
    responsibleOperatorId: t.field({ type: 'UUID' }),
    startOn: t.field({ type: 'Date' }),
    endOn: t.field({ type: 'Date' }),
  }),
});
const ReviewInput = builder.inputType('CarePlanReviewInput', {
  fields: (t) => ({
    dueOn: t.field({ type: 'Date', required: true }),
    purpose: t.field({ type: ReviewPurpose }),
  }),
});
const AgreementInput = builder.inputType('CarePlanAgreementInput', {
  fields: (t) => ({
    agreedBy: t.field({ type: AgreedBy, required: true }),
    agreedOn: t.field({ type: 'Date', required: true }),
    representativeName: t.string(),
  }),
});
const CreateCarePlanInput = builder.inputType('CreateCarePlanInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    startOn: t.field({ type: 'Date', required: true }),
    endOn: t.field({ type: 'Date' }),
    responsibleOperatorId: t.field({ type: 'UUID', description: 'Default: the caller' }),
    goals: t.field({ type: [GoalInput], required: true }),
    interventions: t.field({ type: [InterventionInput] }),
    reviews: t.field({ type: [ReviewInput] }),
    agreement: t.field({ type: AgreementInput }),
  }),
});
const GoalOutcomeInput = builder.inputType('CarePlanGoalOutcomeInput', {
  fields: (t) => ({
    goalId: t.field({ type: 'UUID', required: true }),
    achieved: t.boolean({ required: true }),
    note: t.string(),
  }),
});
const CompleteReviewInput = builder.inputType('CompleteCarePlanReviewInput', {
  fields: (t) => ({
    doneOn: t.field({ type: 'Date', required: true }),
    outcome: t.field({ type: ReviewOutcome, required: true }),
    note: t.string(),
    goals: t.field({ type: [GoalOutcomeInput] }),
    nextReview: t.field({ type: ReviewInput }),
  }),
});
const FosterCareInput = builder.inputType('FosterCareInput', {
  fields: (t) => ({
    status: t.int({ required: true, description: 'PaiAffidoStatoEnum: 10, 20 … 70' }),
    form: t.string(),
    kind: t.string(),
    duration: t.string(),
    character: t.string(),
    fosterFamily: t.string(),
    startedOn: t.field({ type: 'Date' }),
    endedOn: t.field({ type: 'Date' }),
    outcome: t.string(),
  }),
});
const PlacementInput = builder.inputType('CreateResidentialPlacementInput', {
  fields: (t) => ({
    carePlanId: t.field({ type: 'UUID' }),
    facilityName: t.string({ required: true }),
    facilityCharacter: t.string(),
    form: t.string(),
    withParent: t.string(),
    phase: t.int(),
    admissionOn: t.field({ type: 'Date', required: true }),
    expectedDischargeOn: t.field({ type: 'Date' }),
    notes: t.string(),
  }),
});
const DischargeInput = builder.inputType('DischargeFromPlacementInput', {
  fields: (t) => ({
    dischargeOn: t.field({ type: 'Date', required: true }),
    outcome: t.string({ required: true, description: 'SINBA EsitoInserimentoStrutturaType' }),
    notes: t.string(),
  }),
});
const PlacementServiceInput = builder.inputType('PlacementServiceInput', {
  fields: (t) => ({
    description: t.string({ required: true }),
    frequency: t.string(),
    startOn: t.field({ type: 'Date', required: true }),
    endOn: t.field({ type: 'Date' }),
  }),
});

const ids = <T extends Record<string, unknown>>(input: T) =>
  withoutNulls(
    Object.fromEntries(
      Object.entries(input).map(([k, v]) => [k, k.endsWith('Id') && v != null ? String(v) : v]),
    ) as T,
  );

builder.queryFields((t) => ({
  carePlans: t.withAuth(signedIn).field({
    type: [CarePlanRef],
    description: 'The care plans of a case file. Audited.',
    args: { caseFileId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => listCarePlans(ctx.db, ctx.actor, String(args.caseFileId)),
  }),
  dueReviews: t.withAuth(signedIn).field({
    type: [DueReviewRef],
    description:
      "Reviews due within `withinDays` (default 14) or overdue, on the caller's case files",
    args: { withinDays: t.arg.int(), asOf: t.arg({ type: 'Date' }) },
    resolve: (_root, args, ctx) =>
      listDueReviews(ctx.db, ctx.actor, {
        withinDays: args.withinDays ?? undefined,
        asOf: args.asOf ?? undefined,
      }),
  }),
}));

builder.mutationFields((t) => ({
  createCarePlan: t.withAuth(signedIn).field({
    type: CarePlanRef,
    description: 'Refused: REVIEW_BEFORE_START (field named), BAD_USER_INPUT, FORBIDDEN.',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: CreateCarePlanInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      createCarePlan(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        responsibleOperatorId:
          input.responsibleOperatorId == null ? undefined : String(input.responsibleOperatorId),
        interventions: (input.interventions ?? []).map((i) => ids(i)),
      }),
  }),
  recordCarePlanAgreement: t.withAuth(signedIn).field({
    type: CarePlanRef,
    args: {
      carePlanId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: AgreementInput, required: true }),
    },
    resolve: (_root, { carePlanId, input }, ctx) =>
      recordAgreement(ctx.db, ctx.actor, String(carePlanId), withoutNulls(input)),
  }),
  addCarePlanReview: t.withAuth(signedIn).field({
    type: CarePlanRef,
    description: 'Refused: REVIEW_BEFORE_START.',
    args: {
      carePlanId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ReviewInput, required: true }),
    },
    resolve: (_root, { carePlanId, input }, ctx) =>
      addReview(ctx.db, ctx.actor, String(carePlanId), withoutNulls(input)),
  }),
  completeCarePlanReview: t.withAuth(signedIn).field({
    type: CarePlanRef,
    args: {
      reviewId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: CompleteReviewInput, required: true }),
    },
    resolve: (_root, { reviewId, input }, ctx) =>
      completeReview(ctx.db, ctx.actor, String(reviewId), {
        ...withoutNulls(input),
        goals: (input.goals ?? []).map((g) => ({ ...withoutNulls(g), goalId: String(g.goalId) })),
      }),
  }),
  closeCarePlan: t.withAuth(signedIn).field({
    type: CarePlanRef,
    args: {
      carePlanId: t.arg({ type: 'UUID', required: true }),
      closedOn: t.arg({ type: 'Date', required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      closeCarePlan(ctx.db, ctx.actor, String(args.carePlanId), {
        closedOn: args.closedOn,
        reason: args.reason,
      }),
  }),
  setFosterCare: t.withAuth(signedIn).field({
    type: CarePlanRef,
    args: {
      carePlanId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: FosterCareInput, required: true }),
    },
    resolve: (_root, { carePlanId, input }, ctx) =>
      setFosterCare(ctx.db, ctx.actor, String(carePlanId), withoutNulls(input)),
  }),
  createResidentialPlacement: t.withAuth(signedIn).field({
    type: PlacementRef,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: PlacementInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      createPlacement(ctx.db, ctx.actor, String(caseFileId), ids(input)),
  }),
  dischargeFromPlacement: t.withAuth(signedIn).field({
    type: PlacementRef,
    args: {
      placementId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: DischargeInput, required: true }),
    },
    resolve: (_root, { placementId, input }, ctx) =>
      dischargeFromPlacement(ctx.db, ctx.actor, String(placementId), withoutNulls(input)),
  }),
  addPlacementService: t.withAuth(signedIn).field({
    type: PlacementRef,
    args: {
      placementId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: PlacementServiceInput, required: true }),
    },
    resolve: (_root, { placementId, input }, ctx) =>
      addPlacementService(ctx.db, ctx.actor, String(placementId), withoutNulls(input)),
  }),
}));
