import {
  type BuildSiussFlowsResult,
  buildSiussFlows,
  configureSiussSender,
  DUTY_STATES,
  listSiussDuties,
  listSiussFlows,
  listSiussSinbaDuties,
  resendSiussDuty,
  resendSiussSinbaDuty,
  SINBA_DUTY_STATES,
  SIUSS_DUTY_VIEWS,
  type SiussDuty,
  type SiussFlow,
  type SiussIssue,
  type SiussSinbaDuty,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { str } from './graphql-input.ts';

// The SIUSS page (seed 003 §2.4): what is due soon, overdue, rejected with INPS's reason, and the
// flows sent, per office; building the flows (WaaS or file) and resending a rejected record. The
// service authorises (the organisation's administrative staff and coordinators) and audits.
// INPS itself pulls through the WaaS REST API (rest/waas.ts), not through GraphQL.

export const DutyStateEnum = builder.enumType('SiussDutyState', { values: DUTY_STATES });
const DutyViewEnum = builder.enumType('SiussDutyView', {
  description: 'DUE_SOON: deadlines within `withinDays`, not yet overdue; SENT: sent or accepted',
  values: SIUSS_DUTY_VIEWS,
});
const OperationEnum = builder.enumType('SiussOperation', {
  description:
    'INSERT (TipoOperazione I); VARIATION: the insertion replacing a corrected delivery, sent once INPS no longer holds the old record; CANCEL (TipoOperazione C)',
  values: ['INSERT', 'VARIATION', 'CANCEL'] as const,
});
const RouteEnum = builder.enumType('SiussRoute', {
  description:
    "WAAS: one flow per record, pulled by INPS; FILE: one file for INPS's web application",
  values: ['WAAS', 'FILE'] as const,
});
const FlowStatusEnum = builder.enumType('SiussFlowStatus', {
  values: ['INVALID', 'VALID', 'WITHDRAWN', 'SENT', 'ACCEPTED', 'REJECTED'] as const,
});

const IssueRef = builder.objectRef<SiussIssue>('SiussIssue').implement({
  description: 'Why a record may not leave: the rule or the XSD, the record and the field',
  fields: (t) => ({
    record: t.exposeString('record'),
    benefit: t.exposeString('benefit', { nullable: true }),
    field: t.exposeString('field'),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

const DutyRef = builder.objectRef<SiussDuty>('SiussDuty').implement({
  fields: (t) => ({
    deliveryId: t.expose('deliveryId', { type: 'UUID' }),
    organizationId: t.expose('organizationId', { type: 'UUID' }),
    officeId: t.expose('officeId', { type: 'UUID' }),
    officeName: t.exposeString('officeName'),
    personId: t.expose('personId', { type: 'UUID' }),
    personName: t.exposeString('personName'),
    taxCode: t.exposeString('taxCode', { nullable: true }),
    serviceCode: t.exposeString('serviceCode', {
      nullable: true,
      description: 'Null where the desk masks health and this is a health service',
    }),
    amount: t.exposeFloat('amount'),
    deliveredOn: t.expose('deliveredOn', { type: 'Date' }),
    deadline: t.expose('deadline', { type: 'Date', description: '3 months after the delivery' }),
    state: t.expose('state', { type: DutyStateEnum }),
    overdue: t.exposeBoolean('overdue'),
    operation: t.expose('operation', { type: OperationEnum }),
    heldByInps: t.exposeBoolean('heldByInps', {
      description: 'INPS holds an accepted record of it that no cancellation has withdrawn',
    }),
    rejectionCode: t.exposeString('rejectionCode', { nullable: true }),
    rejectionReason: t.exposeString('rejectionReason', { nullable: true }),
    issues: t.expose('issues', { type: [IssueRef] }),
    flowId: t.exposeString('flowId', { nullable: true }),
    flowStatus: t.exposeString('flowStatus', { nullable: true }),
  }),
});

const FlowRef = builder.objectRef<SiussFlow>('SiussFlow').implement({
  fields: (t) => ({
    id: t.exposeString('id', { description: 'id_flusso: EEEE.PS.AAAAMMGG.NNNNNNN' }),
    organizationId: t.expose('organizationId', { type: 'UUID' }),
    enteCode: t.exposeString('enteCode'),
    kind: t.exposeString('kind'),
    route: t.expose('route', { type: RouteEnum }),
    status: t.expose('status', { type: FlowStatusEnum }),
    records: t.exposeInt('records'),
    tsFlusso: t.expose('tsFlusso', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
    outcomeCode: t.exposeString('outcomeCode', { nullable: true }),
    outcomeDescription: t.exposeString('outcomeDescription', { nullable: true }),
    siussAcquisitionId: t.exposeString('siussAcquisitionId', { nullable: true }),
    report: t.expose('report', { type: [IssueRef], description: 'Every bad record and why' }),
  }),
});

const RefusedRef = builder
  .objectRef<BuildSiussFlowsResult['refused'][number]>('SiussRefusedRecord')
  .implement({
    fields: (t) => ({
      deliveryId: t.expose('deliveryId', { type: 'UUID' }),
      issues: t.expose('issues', { type: [IssueRef] }),
    }),
  });

const BuildRef = builder.objectRef<BuildSiussFlowsResult>('BuildSiussFlowsResult').implement({
  fields: (t) => ({
    flows: t.expose('flows', { type: [FlowRef] }),
    refused: t.expose('refused', { type: [RefusedRef] }),
  }),
});

const ResendRef = builder
  .objectRef<{ deliveryId: string; state: (typeof DUTY_STATES)[number] }>('SiussResend')
  .implement({
    fields: (t) => ({
      deliveryId: t.expose('deliveryId', { type: 'UUID' }),
      state: t.expose('state', { type: DutyStateEnum }),
    }),
  });

// The SINBA side (SINBA.xsd): one record per SInBA assessment of a minor's case file, due 3
// months after it. SINBA knows no TipoOperazione: a rejected record is resent as it is once the
// assessment is put right. At a desk that masks the minor's health, court or economic data,
// INPS's reason is null and the issues on those attributes are left out (maskedFields says so).
const SinbaStateEnum = builder.enumType('SiussSinbaDutyState', { values: SINBA_DUTY_STATES });

const SinbaDutyRef = builder.objectRef<SiussSinbaDuty>('SiussSinbaDuty').implement({
  fields: (t) => ({
    id: t.expose('assessmentId', {
      type: 'UUID',
      description: 'The SInBA assessment the record is made of',
    }),
    organizationId: t.expose('organizationId', { type: 'UUID' }),
    officeId: t.expose('officeId', { type: 'UUID' }),
    officeName: t.exposeString('officeName'),
    personId: t.expose('personId', { type: 'UUID' }),
    personName: t.exposeString('personName'),
    taxCode: t.exposeString('taxCode', { nullable: true }),
    caseFileId: t.expose('caseFileId', { type: 'UUID' }),
    assessedOn: t.expose('assessedOn', { type: 'Date' }),
    deadline: t.expose('deadline', { type: 'Date', description: '3 months after the assessment' }),
    state: t.expose('state', { type: SinbaStateEnum }),
    overdue: t.exposeBoolean('overdue', {
      description: 'Past its deadline and not yet with INPS',
    }),
    rejectionCode: t.exposeString('rejectionCode', { nullable: true }),
    rejectionReason: t.exposeString('rejectionReason', {
      nullable: true,
      description: 'Null at a desk that masks any of the record’s sensitive groups',
    }),
    issues: t.expose('issues', { type: [IssueRef] }),
    flowId: t.exposeString('flowId', { nullable: true }),
    flowStatus: t.exposeString('flowStatus', { nullable: true }),
    maskedFields: t.exposeStringList('maskedFields'),
  }),
});

const SinbaPageRef = builder
  .objectRef<{ items: SiussSinbaDuty[]; total: number }>('SiussSinbaDutyPage')
  .implement({
    fields: (t) => ({
      items: t.expose('items', { type: [SinbaDutyRef] }),
      total: t.exposeInt('total'),
    }),
  });

const SinbaFilter = builder.inputType('SiussSinbaDutyFilter', {
  fields: (t) => ({
    organizationId: t.field({ type: 'UUID' }),
    officeId: t.field({ type: 'UUID' }),
    states: t.field({ type: [SinbaStateEnum] }),
    dueFrom: t.field({ type: 'Date', description: 'Deadlines from this day' }),
    dueTo: t.field({ type: 'Date', description: 'Deadlines up to this day' }),
    overdue: t.boolean({ description: 'Only those past their deadline, not yet with INPS' }),
    limit: t.int(),
    offset: t.int(),
  }),
});

const SinbaResendRef = builder
  .objectRef<{ assessmentId: string; state: 'DUE' }>('SiussSinbaResend')
  .implement({
    fields: (t) => ({
      id: t.expose('assessmentId', { type: 'UUID' }),
      state: t.expose('state', { type: SinbaStateEnum }),
    }),
  });

type Sender = {
  organizationId: string;
  enteCode: string;
  name: string;
  seatCadastralCode: string;
  operatorTaxCode: string;
};
const SenderRef = builder.objectRef<Sender>('SiussSender').implement({
  fields: (t) => ({
    organizationId: t.expose('organizationId', { type: 'UUID' }),
    enteCode: t.exposeString('enteCode'),
    name: t.exposeString('name'),
    seatCadastralCode: t.exposeString('seatCadastralCode'),
    operatorTaxCode: t.exposeString('operatorTaxCode'),
  }),
});

const SenderInput = builder.inputType('ConfigureSiussSenderInput', {
  fields: (t) => ({
    organizationId: t.field({ type: 'UUID', required: true }),
    enteCode: t.string({ required: true, description: 'Codice ente (Belfiore)' }),
    name: t.string({ required: true }),
    seatCadastralCode: t.string({ required: true }),
    operatorTaxCode: t.string({ required: true }),
  }),
});

builder.queryFields((t) => ({
  siussDuties: t.withAuth(signedIn).field({
    type: [DutyRef],
    description:
      'The SIUSS page: what is due soon, overdue, rejected with INPS’s reason, sent; per office. Audited.',
    args: {
      view: t.arg({ type: DutyViewEnum }),
      organizationId: t.arg({ type: 'UUID' }),
      officeId: t.arg({ type: 'UUID' }),
      withinDays: t.arg.int(),
      limit: t.arg.int(),
    },
    resolve: (_r, a, ctx) =>
      listSiussDuties(ctx.db, ctx.actor, {
        ...(a.view ? { view: a.view } : {}),
        organizationId: str(a.organizationId) ?? null,
        officeId: str(a.officeId) ?? null,
        ...(a.withinDays != null ? { withinDays: a.withinDays } : {}),
        ...(a.limit != null ? { limit: a.limit } : {}),
      }),
  }),
  siussSinbaDuties: t.withAuth(signedIn).field({
    type: SinbaPageRef,
    description:
      'The SINBA records of the minors in care (one per SInBA assessment), by state, due period, organisation and office, nearest deadline first. Audited, naming every minor listed.',
    args: { filter: t.arg({ type: SinbaFilter }) },
    resolve: (_r, { filter: f }, ctx) =>
      listSiussSinbaDuties(ctx.db, ctx.actor, {
        organizationId: str(f?.organizationId) ?? null,
        officeId: str(f?.officeId) ?? null,
        states: f?.states ?? null,
        dueFrom: str(f?.dueFrom) ?? null,
        dueTo: str(f?.dueTo) ?? null,
        overdue: f?.overdue ?? null,
        ...(f?.limit != null ? { limit: f.limit } : {}),
        ...(f?.offset != null ? { offset: f.offset } : {}),
      }),
  }),
  siussFlows: t.withAuth(signedIn).field({
    type: [FlowRef],
    description: 'The flows built, with their validation report and INPS’s outcome, newest first',
    args: {
      organizationId: t.arg({ type: 'UUID' }),
      statuses: t.arg({ type: [FlowStatusEnum] }),
      limit: t.arg.int(),
    },
    resolve: (_r, a, ctx) =>
      listSiussFlows(ctx.db, ctx.actor, {
        organizationId: str(a.organizationId) ?? null,
        statuses: a.statuses ?? null,
        ...(a.limit != null ? { limit: a.limit } : {}),
      }),
  }),
}));

builder.mutationFields((t) => ({
  buildSiussFlows: t.withAuth(signedIn).field({
    type: BuildRef,
    description:
      'Puts what is due into flows, each validated against INPS’s XSD; a flow with a bad record is INVALID and never leaves',
    args: {
      organizationId: t.arg({ type: 'UUID', required: true }),
      route: t.arg({ type: RouteEnum, required: true }),
    },
    resolve: (_r, a, ctx) =>
      buildSiussFlows(ctx.db, ctx.actor, {
        organizationId: String(a.organizationId),
        route: a.route,
      }),
  }),
  resendSiussDuty: t.withAuth(signedIn).field({
    type: ResendRef,
    description: 'A record INPS rejected goes again once the office fixed its data',
    args: { deliveryId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_r, a, ctx) => resendSiussDuty(ctx.db, ctx.actor, String(a.deliveryId)),
  }),
  resendSiussSinbaDuty: t.withAuth(signedIn).field({
    type: SinbaResendRef,
    description:
      'A SINBA record INPS rejected goes again (due) once the assessment is put right; `id` is the assessment',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_r, a, ctx) => resendSiussSinbaDuty(ctx.db, ctx.actor, String(a.id)),
  }),
  configureSiussSender: t.withAuth(signedIn).field({
    type: SenderRef,
    description: 'Who sends the organisation’s flows (IdentificazioneFlusso/Ente)',
    args: { input: t.arg({ type: SenderInput, required: true }) },
    resolve: (_r, { input }, ctx) => configureSiussSender(ctx.db, ctx.actor, { ...input }),
  }),
}));
