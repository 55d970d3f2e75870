import {
  type BenefitOverlap,
  cancelDelivery,
  correctDelivery,
  createIntervention,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryVerdict,
  endIntervention,
  generateExpectedDeliveries,
  getDelivery,
  getIntervention,
  INTERVENTION_STATUSES,
  type Intervention,
  listBenefitOverlaps,
  MAX_DELIVERY_BATCH,
  MEANS_TEST,
  PERIOD_UNITS,
  PERIODICITIES,
  RECORDED_BY_KINDS,
  recordDeliveries,
  recordDelivery,
  searchDeliveries,
  searchInterventions,
  TAKEN_IN_CARE,
  USER_AREAS,
  VERIFICATION_DECISIONS,
  verifyDelivery,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { str, withoutNulls } from './graphql-input.ts';
import { UnitEnum } from './provider.ts';
import { DutyStateEnum } from './siuss.ts';

// Interventions and deliveries (erogazione interventi, seed 000 §7 Modulo 3): decided by the
// office, delivered by the office or by the provider through its partner client (deliveries:write),
// verified by the office. The service decides who may see and do what (deliveries.access.ts),
// masks the ISEE where the economic group is masked, and audits every read and refusal.

const PeriodicityEnum = builder.enumType('InterventionPeriodicity', { values: PERIODICITIES });
const PeriodUnitEnum = builder.enumType('InterventionPeriodUnit', { values: PERIOD_UNITS });
const InterventionStatusEnum = builder.enumType('InterventionStatus', {
  values: INTERVENTION_STATUSES,
});
const DeliveryStatusEnum = builder.enumType('DeliveryStatus', {
  description:
    'EXPECTED by a schedule; RECORDED by the office; TO_VERIFY from a provider; ACCEPTED, DISPUTED by the office; CORRECTED (superseded); CANCELLED',
  values: DELIVERY_STATUSES,
});
const RecordedByEnum = builder.enumType('DeliveryRecordedBy', { values: RECORDED_BY_KINDS });
const DecisionEnum = builder.enumType('DeliveryVerificationDecision', {
  values: VERIFICATION_DECISIONS,
});
const MeansTestEnum = builder.enumType('SiussPresenzaProvaMezzi', {
  description:
    'PS_PSA_SINA201812.xsd PresenzaProvaMezziType: 1 ISEE, 2 other means test, 3 exempted, 4 none',
  values: Object.fromEntries(MEANS_TEST.map((v) => [`M${v}`, { value: v }])),
});
const TakenInCareEnum = builder.enumType('SiussPresaCarico', {
  description: 'PresaCaricoType: 1 SI, 2 NO',
  values: { SI: { value: TAKEN_IN_CARE[0] }, NO: { value: TAKEN_IN_CARE[1] } },
});
const UserAreaEnum = builder.enumType('SiussAreaUtenza', {
  description:
    'AreaUtenzaType: 1 famiglia e minori, 2 disabilità e non autosufficienza, 3 povertà ed esclusione sociale',
  values: {
    FAMIGLIA_MINORI: { value: USER_AREAS[0] },
    DISABILITA_NON_AUTOSUFFICIENZA: { value: USER_AREAS[1] },
    POVERTA_ESCLUSIONE: { value: USER_AREAS[2] },
  },
});

const BeneficiaryRef = builder
  .objectRef<Intervention['beneficiary']>('InterventionBeneficiary')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      taxCode: t.exposeString('taxCode', { nullable: true }),
      firstName: t.exposeString('firstName', { nullable: true }),
      lastName: t.exposeString('lastName', { nullable: true }),
    }),
  });

const IseeRef = builder.objectRef<NonNullable<Intervention['isee']>>('InterventionIsee').implement({
  description: 'The ISEE the benefit was granted on (economic group: absent where masked)',
  fields: (t) => ({
    value: t.exposeFloat('value'),
    dsuProtocol: t.exposeString('dsuProtocol'),
    dsuOn: t.expose('dsuOn', { type: 'Date' }),
  }),
});

export const InterventionRef = builder.objectRef<Intervention>('Intervention').implement({
  description: 'Intervento: a benefit decided for one person, with its SIUSS character',
  fields: (t) => ({
    id: t.exposeID('id'),
    organizationId: t.exposeID('organizationId'),
    officeId: t.exposeID('officeId'),
    personId: t.exposeID('personId'),
    beneficiary: t.expose('beneficiary', { type: BeneficiaryRef }),
    caseFileId: t.exposeID('caseFileId', { nullable: true }),
    carePlanInterventionId: t.exposeID('carePlanInterventionId', { nullable: true }),
    serviceCode: t.exposeString('serviceCode', {
      nullable: true,
      description: 'Null where the desk masks health and this is a health service (A2.08 A.D.I. …)',
    }),
    standardServiceCode: t.exposeString('standardServiceCode', {
      nullable: true,
      description:
        'The standard code (a regional code’s mapping): INPS’s CodicePrestazione; null where masked',
    }),
    providerId: t.exposeID('providerId'),
    contractId: t.exposeID('contractId', { nullable: true }),
    unit: t.expose('unit', { type: UnitEnum }),
    projectId: t.exposeID('projectId', { nullable: true }),
    periodicity: t.expose('periodicity', { type: PeriodicityEnum }),
    periodUnit: t.expose('periodUnit', { type: PeriodUnitEnum, nullable: true }),
    quantityPerPeriod: t.exposeFloat('quantityPerPeriod', { nullable: true }),
    startOn: t.expose('startOn', { type: 'Date' }),
    endOn: t.expose('endOn', { type: 'Date', nullable: true }),
    plannedQuantity: t.exposeFloat('plannedQuantity', { nullable: true }),
    plannedAmount: t.exposeFloat('plannedAmount', { nullable: true }),
    beneficiarySharePercent: t.exposeFloat('beneficiarySharePercent'),
    isee: t.expose('isee', { type: IseeRef, nullable: true }),
    meansTest: t.expose('meansTest', { type: MeansTestEnum }),
    benefitCharacter: t.exposeString('benefitCharacter', {
      description: 'CaratterePrestazione: 1 periodico, 2 occasionale',
    }),
    periodMonths: t.exposeInt('periodMonths', {
      nullable: true,
      description: 'PeriodoErogazione (1–12)',
    }),
    takenInCare: t.expose('takenInCare', { type: TakenInCareEnum }),
    userArea: t.expose('userArea', { type: UserAreaEnum, nullable: true }),
    applicationProtocol: t.exposeString('applicationProtocol', {
      description: 'ProtocolloDomanda',
    }),
    siussRequired: t.exposeBoolean('siussRequired', {
      description: 'INPS must receive its deliveries',
    }),
    status: t.expose('status', { type: InterventionStatusEnum }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    maskedFields: t.exposeStringList('maskedFields'),
  }),
});

export const DeliveryRef = builder.objectRef<Delivery>('Delivery').implement({
  description: 'Erogazione: quantity × the tariff in force on the day, unless an amount was given',
  fields: (t) => ({
    id: t.exposeID('id'),
    interventionId: t.exposeID('interventionId'),
    organizationId: t.exposeID('organizationId'),
    officeId: t.exposeID('officeId'),
    personId: t.exposeID('personId'),
    providerId: t.exposeID('providerId'),
    serviceCode: t.exposeString('serviceCode', {
      nullable: true,
      description: 'Null where the desk masks health and this is a health service',
    }),
    deliveredOn: t.expose('deliveredOn', { type: 'Date' }),
    quantity: t.exposeFloat('quantity'),
    unit: t.expose('unit', { type: UnitEnum }),
    tariffId: t.exposeID('tariffId', { nullable: true }),
    unitCost: t.exposeFloat('unitCost', { nullable: true }),
    amount: t.exposeFloat('amount'),
    amountSource: t.exposeString('amountSource', { description: 'TARIFF or GIVEN' }),
    beneficiaryShare: t.exposeFloat('beneficiaryShare'),
    status: t.expose('status', { type: DeliveryStatusEnum }),
    recordedByKind: t.expose('recordedByKind', { type: RecordedByEnum }),
    recordedBy: t.exposeString('recordedBy', { nullable: true }),
    providerReference: t.exposeString('providerReference', { nullable: true }),
    disputeReason: t.exposeString('disputeReason', { nullable: true }),
    verifiedAt: t.expose('verifiedAt', { type: 'DateTime', nullable: true }),
    correctsId: t.exposeID('correctsId', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    siussState: t.expose('siussState', {
      type: DutyStateEnum,
      nullable: true,
      description: 'The state of its SIUSS duty; null while it has none',
    }),
  }),
});

// A batch's items are "DeliveryBatchItem", not "…Verdict": the sweep reads every answer for the
// surnames of persons the caller may not see, and Verdi is one of them.
const DeliveryBatchErrorRef = builder
  .objectRef<NonNullable<DeliveryVerdict['error']>>('DeliveryBatchError')
  .implement({
    description: 'Why an item of a batch was not recorded: the code and field a single call gets',
    fields: (t) => ({
      code: t.exposeString('code'),
      message: t.exposeString('message'),
      field: t.exposeString('field', {
        nullable: true,
        description: 'The item’s field, with its index: input.3.quantity',
      }),
    }),
  });
const DeliveryBatchItemRef = builder.objectRef<DeliveryVerdict>('DeliveryBatchItem').implement({
  description: 'One item of recordDeliveries: its delivery, or its error',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'The item’s position in the input, from 0' }),
    delivery: t.expose('delivery', { type: DeliveryRef, nullable: true }),
    error: t.expose('error', { type: DeliveryBatchErrorRef, nullable: true }),
  }),
});

const InterventionPageRef = builder
  .objectRef<{ items: Intervention[]; total: number }>('InterventionPage')
  .implement({
    fields: (t) => ({
      items: t.expose('items', { type: [InterventionRef] }),
      total: t.exposeInt('total'),
    }),
  });
const DeliveryPageRef = builder
  .objectRef<{ items: Delivery[]; total: number }>('DeliveryPage')
  .implement({
    fields: (t) => ({
      items: t.expose('items', { type: [DeliveryRef] }),
      total: t.exposeInt('total'),
    }),
  });
const ExpectedRef = builder
  .objectRef<{ created: number; expected: number }>('ExpectedDeliveries')
  .implement({
    fields: (t) => ({
      created: t.exposeInt('created', { description: 'Days added now' }),
      expected: t.exposeInt('expected', {
        description: 'Days the schedule expects up to the date',
      }),
    }),
  });

const OverlapRef = builder.objectRef<BenefitOverlap>('BenefitOverlap').implement({
  description:
    'The same help to the same person from another office: only the fact and whom to contact',
  fields: (t) => ({
    id: t.exposeID('id'),
    interventionId: t.exposeID('interventionId', { description: 'The caller’s own intervention' }),
    standardServiceCode: t.exposeString('standardServiceCode', {
      nullable: true,
      description: 'Null where the desk masks health and this is a health service',
    }),
    overlapFrom: t.expose('overlapFrom', { type: 'Date' }),
    overlapTo: t.expose('overlapTo', { type: 'Date', nullable: true }),
    detectedAt: t.expose('detectedAt', { type: 'DateTime' }),
    otherOrganizationName: t.exposeString('otherOrganizationName'),
    otherOfficeName: t.exposeString('otherOfficeName'),
    contactName: t.exposeString('contactName', { nullable: true }),
    contactEmail: t.exposeString('contactEmail', { nullable: true }),
  }),
});

const IseeInput = builder.inputType('InterventionIseeInput', {
  fields: (t) => ({
    value: t.float({ required: true }),
    dsuProtocol: t.string({ required: true }),
    dsuOn: t.field({ type: 'Date', required: true }),
  }),
});
const CreateInterventionInput = builder.inputType('CreateInterventionInput', {
  fields: (t) => ({
    personId: t.field({ type: 'UUID', required: true }),
    caseFileId: t.field({ type: 'UUID' }),
    carePlanInterventionId: t.field({
      type: 'UUID',
      description: 'The care plan’s planned intervention',
    }),
    officeId: t.field({ type: 'UUID' }),
    serviceCode: t.string({ required: true }),
    providerId: t.field({ type: 'UUID', required: true }),
    contractId: t.field({
      type: 'UUID',
      description: 'Default: the provider’s contract covering the service',
    }),
    unit: t.field({ type: UnitEnum, required: true }),
    projectId: t.field({ type: 'UUID' }),
    periodicity: t.field({ type: PeriodicityEnum, required: true }),
    periodUnit: t.field({ type: PeriodUnitEnum }),
    quantityPerPeriod: t.float(),
    startOn: t.field({ type: 'Date', required: true }),
    endOn: t.field({ type: 'Date' }),
    plannedQuantity: t.float(),
    plannedAmount: t.float(),
    beneficiarySharePercent: t.float(),
    isee: t.field({
      type: IseeInput,
      description: 'Default: the case file’s ISEE in force at the start',
    }),
    meansTest: t.field({ type: MeansTestEnum, required: true }),
    periodMonths: t.int(),
    takenInCare: t.field({ type: TakenInCareEnum, required: true }),
    userArea: t.field({ type: UserAreaEnum }),
    applicationProtocol: t.string({ required: true }),
    notes: t.string(),
  }),
});
const RecordDeliveryInput = builder.inputType('RecordDeliveryInput', {
  fields: (t) => ({
    interventionId: t.field({ type: 'UUID', required: true }),
    deliveredOn: t.field({ type: 'Date', required: true }),
    quantity: t.float({ required: true }),
    amount: t.float({ description: 'Instead of quantity × tariff' }),
    providerReference: t.string({
      description: 'The provider’s own id: sent again, the stored row answers',
    }),
    note: t.string(),
  }),
});
const CorrectDeliveryInput = builder.inputType('CorrectDeliveryInput', {
  fields: (t) => ({
    deliveredOn: t.field({ type: 'Date' }),
    quantity: t.float(),
    amount: t.float(),
    note: t.string({ required: true }),
  }),
});
const VerifyDeliveryInput = builder.inputType('VerifyDeliveryInput', {
  fields: (t) => ({
    decision: t.field({ type: DecisionEnum, required: true }),
    reason: t.string({ description: 'Required to dispute' }),
  }),
});
const InterventionFilter = builder.inputType('InterventionFilter', {
  fields: (t) => ({
    personId: t.field({ type: 'UUID' }),
    serviceCode: t.string(),
    providerId: t.field({ type: 'UUID' }),
    projectId: t.field({ type: 'UUID' }),
    officeId: t.field({ type: 'UUID' }),
    status: t.field({ type: InterventionStatusEnum }),
    from: t.field({ type: 'Date' }),
    to: t.field({ type: 'Date' }),
    limit: t.int(),
    offset: t.int(),
  }),
});
const DeliveryFilter = builder.inputType('DeliveryFilter', {
  fields: (t) => ({
    personId: t.field({ type: 'UUID' }),
    interventionId: t.field({ type: 'UUID' }),
    serviceCode: t.string(),
    providerId: t.field({ type: 'UUID' }),
    projectId: t.field({ type: 'UUID' }),
    officeId: t.field({ type: 'UUID' }),
    status: t.field({ type: DeliveryStatusEnum }),
    siussState: t.field({ type: DutyStateEnum }),
    from: t.field({ type: 'Date' }),
    to: t.field({ type: 'Date' }),
    limit: t.int(),
    offset: t.int(),
  }),
});

/** Inputs with their IDs as strings and nulls as "not given". */
const plain = (input: object | null | undefined) => {
  const out: Record<string, unknown> = { ...(withoutNulls(input ?? {}) as object) };
  for (const [k, v] of Object.entries(out))
    if (k.endsWith('Id') && v !== undefined) out[k] = String(v);
  return out as never;
};

builder.queryFields((t) => ({
  intervention: t.withAuth(signedIn).field({
    type: InterventionRef,
    description:
      'One intervention (office staff; a social worker enabled on its case; its provider). Audited.',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_r, a, ctx) => getIntervention(ctx.db, ctx.actor, String(a.id)),
  }),
  interventions: t.withAuth(signedIn).field({
    type: InterventionPageRef,
    description:
      'Interventions by beneficiary, service, provider, project, office, state and period. Audited.',
    args: { filter: t.arg({ type: InterventionFilter }) },
    resolve: (_r, a, ctx) => searchInterventions(ctx.db, ctx.actor, plain(a.filter)),
  }),
  delivery: t.withAuth(signedIn).field({
    type: DeliveryRef,
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_r, a, ctx) => getDelivery(ctx.db, ctx.actor, String(a.id)),
  }),
  deliveries: t.withAuth(signedIn).field({
    type: DeliveryPageRef,
    description:
      'Deliveries by beneficiary, intervention, service, provider, project, office, state and period; `status: TO_VERIFY` lists the provider deliveries to verify. Audited.',
    args: { filter: t.arg({ type: DeliveryFilter }) },
    resolve: (_r, a, ctx) => searchDeliveries(ctx.db, ctx.actor, plain(a.filter)),
  }),
  benefitOverlaps: t.withAuth(signedIn).field({
    type: [OverlapRef],
    description: 'The same help given to a person of the caller’s organisation by another office',
    args: { interventionId: t.arg({ type: 'UUID' }) },
    resolve: (_r, a, ctx) => listBenefitOverlaps(ctx.db, ctx.actor, str(a.interventionId) ?? null),
  }),
}));

builder.mutationFields((t) => ({
  createIntervention: t.withAuth(signedIn).field({
    type: InterventionRef,
    description:
      'Decides an intervention (administrative staff, coordinators); flags the same help given by another office. Audited.',
    args: { input: t.arg({ type: CreateInterventionInput, required: true }) },
    resolve: (_r, { input }, ctx) => createIntervention(ctx.db, ctx.actor, plain(input)),
  }),
  endIntervention: t.withAuth(signedIn).field({
    type: InterventionRef,
    description: 'Closes (CLOSED, with its end) or cancels an intervention; its deliveries stay',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      status: t.arg({ type: InterventionStatusEnum, required: true }),
      endOn: t.arg({ type: 'Date' }),
    },
    resolve: (_r, a, ctx) => {
      const status = a.status === 'CANCELLED' ? 'CANCELLED' : 'CLOSED';
      return endIntervention(ctx.db, ctx.actor, String(a.id), { status, endOn: a.endOn ?? null });
    },
  }),
  recordDelivery: t.withAuth(signedIn).field({
    type: DeliveryRef,
    description:
      'Records a delivery: by the office (counted at once) or by the provider’s client with deliveries:write (TO_VERIFY). Audited.',
    args: { input: t.arg({ type: RecordDeliveryInput, required: true }) },
    resolve: (_r, { input }, ctx) => recordDelivery(ctx.db, ctx.actor, plain(input)),
  }),
  recordDeliveries: t.withAuth(signedIn).field({
    type: [DeliveryBatchItemRef],
    description: `Records up to ${MAX_DELIVERY_BATCH} deliveries in one call (a provider’s client sending its day): authorized for the whole batch first, then each item as recordDelivery records it, in order and in its own transaction; each answers its verdict with its index (the delivery, or the error with its code and field). Audited per item.`,
    args: { input: t.arg({ type: [RecordDeliveryInput], required: true }) },
    resolve: (_r, { input }, ctx) => recordDeliveries(ctx.db, ctx.actor, input.map(plain)),
  }),
  generateExpectedDeliveries: t.withAuth(signedIn).field({
    type: ExpectedRef,
    description: 'The deliveries a periodic intervention expects up to `through` (default today)',
    args: {
      interventionId: t.arg({ type: 'UUID', required: true }),
      through: t.arg({ type: 'Date' }),
    },
    resolve: (_r, a, ctx) =>
      generateExpectedDeliveries(ctx.db, ctx.actor, String(a.interventionId), a.through ?? null),
  }),
  verifyDelivery: t.withAuth(signedIn).field({
    type: DeliveryRef,
    description: 'The office accepts or disputes (with the reason) a provider-recorded delivery',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: VerifyDeliveryInput, required: true }),
    },
    resolve: (_r, a, ctx) => verifyDelivery(ctx.db, ctx.actor, String(a.id), plain(a.input)),
  }),
  correctDelivery: t.withAuth(signedIn).field({
    type: DeliveryRef,
    description: 'A new delivery supersedes this one (CORRECTED): counted once',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: CorrectDeliveryInput, required: true }),
    },
    resolve: (_r, a, ctx) => correctDelivery(ctx.db, ctx.actor, String(a.id), plain(a.input)),
  }),
  cancelDelivery: t.withAuth(signedIn).field({
    type: DeliveryRef,
    args: { id: t.arg({ type: 'UUID', required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => cancelDelivery(ctx.db, ctx.actor, String(a.id), a.reason),
  }),
}));
