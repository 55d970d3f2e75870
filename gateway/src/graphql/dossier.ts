import {
  ACTIVITY_KINDS,
  addDiaryEntry,
  answerReferral,
  createProject,
  createReferral,
  type DiaryEntry,
  type IndividualProject,
  listDiaryEntries,
  listIncomingReferrals,
  listReferralTargets,
  MANUAL_DIARY_TYPES,
  PROJECT_KINDS,
  PROJECT_STATUSES,
  type ProfessionalActivity,
  REFERRAL_KINDS,
  type Referral,
  type ReferralTargetOffice,
  type ReferralTargetOperator,
  type ReferralTargetOrganization,
  type ReferralTargets,
  recordActivity,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { ProblemRefInput } from './case-sections.ts';
import { str, withoutNulls } from './graphql-input.ts';

// The dossier (fascicolo): the diary, professional activities with the problems they found,
// referrals and individual projects. The service checks the access list and audits.

const ActivityKind = builder.enumType('ProfessionalActivityKind', { values: ACTIVITY_KINDS });
const TriageUrgency = builder.enumType('TriageUrgency', {
  values: ['LOW', 'MEDIUM', 'HIGH'] as const,
});
const ReferralKind = builder.enumType('ReferralKind', {
  description:
    'To another service or operator; activation of a second-level service or another body',
  values: REFERRAL_KINDS,
});
const ReferralStatus = builder.enumType('ReferralStatus', {
  values: ['SENT', 'ACCEPTED', 'DECLINED'] as const,
});
const DiaryType = builder.enumType('CaseDiaryType', {
  description: 'Diary entries written by hand (tipo_diario); the others are written by the dossier',
  values: Object.keys(MANUAL_DIARY_TYPES) as (keyof typeof MANUAL_DIARY_TYPES)[],
});
const ProjectKind = builder.enumType('IndividualProjectKind', { values: PROJECT_KINDS });
const ProjectStatus = builder.enumType('IndividualProjectStatus', { values: PROJECT_STATUSES });

export const DiaryEntryRef = builder.objectRef<DiaryEntry>('DiaryEntry').implement({
  description: 'Diary entry, typed per SISO tipo_diario',
  fields: (t) => ({
    id: t.exposeID('id'),
    typeId: t.exposeInt('typeId', { description: 'tipo_diario id' }),
    typeConstant: t.exposeString('typeConstant'),
    typeLabel: t.exposeString('typeLabel'),
    on: t.expose('on', { type: 'Date' }),
    text: t.exposeString('text'),
    authorId: t.exposeID('authorId', { nullable: true }),
    authorName: t.exposeString('authorName', { nullable: true }),
    sourceKind: t.exposeString('sourceKind', { nullable: true }),
    sourceId: t.exposeID('sourceId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const ActivityRef = builder
  .objectRef<ProfessionalActivity>('ProfessionalActivity')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      kind: t.expose('kind', { type: ActivityKind }),
      on: t.expose('on', { type: 'Date' }),
      place: t.exposeString('place', { nullable: true }),
      withWhom: t.exposeString('withWhom', { nullable: true }),
      summary: t.exposeString('summary'),
      durationMinutes: t.exposeInt('durationMinutes', { nullable: true }),
      operatorIds: t.exposeIDList('operatorIds'),
      triageUrgency: t.expose('triageUrgency', { type: TriageUrgency, nullable: true }),
      triageOutcome: t.exposeString('triageOutcome', { nullable: true }),
      firstInterview: t.exposeBoolean('firstInterview'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

export const ReferralRef = builder.objectRef<Referral>('Referral').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    caseFileId: t.exposeID('caseFileId'),
    kind: t.expose('kind', { type: ReferralKind }),
    toOfficeId: t.exposeID('toOfficeId', { nullable: true }),
    toOperatorId: t.exposeID('toOperatorId', { nullable: true }),
    toOrganizationId: t.exposeID('toOrganizationId', { nullable: true }),
    toBody: t.exposeString('toBody', { nullable: true }),
    toName: t.exposeString('toName', {
      nullable: true,
      description:
        'The receiver as the referrer picked it from referralTargets when sending (the office with its organisation, the operator, the organisation), kept when it is no longer listed',
    }),
    reason: t.exposeString('reason'),
    status: t.expose('status', { type: ReferralStatus }),
    sentOn: t.expose('sentOn', { type: 'Date' }),
    sentBy: t.exposeID('sentBy', { nullable: true }),
    answeredBy: t.exposeID('answeredBy', { nullable: true }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    answerNote: t.exposeString('answerNote', { nullable: true }),
  }),
});

export const ProjectRef = builder.objectRef<IndividualProject>('IndividualProject').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: ProjectKind }),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    startOn: t.expose('startOn', { type: 'Date' }),
    endOn: t.expose('endOn', { type: 'Date', nullable: true }),
    status: t.expose('status', { type: ProjectStatus }),
    phase: t.exposeInt('phase', {
      nullable: true,
      description: 'SISO PaiSALFaseEnum (work inclusion)',
    }),
    responsibleOperatorId: t.exposeID('responsibleOperatorId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ActivityResultRef = builder
  .objectRef<{ activityId: string; problemIds: string[] }>('ProfessionalActivityResult')
  .implement({
    fields: (t) => ({
      activityId: t.exposeID('activityId'),
      problemIds: t.exposeIDList('problemIds'),
    }),
  });

const DiaryInput = builder.inputType('CaseDiaryEntryInput', {
  fields: (t) => ({
    type: t.field({ type: DiaryType, required: true }),
    on: t.field({ type: 'Date', required: true }),
    text: t.string({ required: true }),
  }),
});
const ActivityInput = builder.inputType('ProfessionalActivityInput', {
  fields: (t) => ({
    kind: t.field({ type: ActivityKind, required: true }),
    on: t.field({ type: 'Date', required: true }),
    place: t.string(),
    withWhom: t.string(),
    summary: t.string({ required: true }),
    durationMinutes: t.int(),
    operatorIds: t.field({ type: ['UUID'] }),
    triage: t.field({
      type: builder.inputType('TriageInput', {
        fields: (u) => ({
          urgency: u.field({ type: TriageUrgency, required: true }),
          outcome: u.string(),
        }),
      }),
    }),
    problems: t.field({ type: [ProblemRefInput] }),
  }),
});
const ReferralTargetBasis = builder.enumType('ReferralTargetBasis', {
  description:
    "How the case's data reach the receiver: the case's own organisation line, or a data-sharing agreement in force",
  values: ['SAME_LINE', 'AGREEMENT'] as const,
});
const ReferralTargetOfficeRef = builder
  .objectRef<ReferralTargetOffice>('ReferralTargetOffice')
  .implement({
    description:
      'An office or service a case may be referred to (SERVICE; SECOND_LEVEL when level is 2)',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      level: t.exposeInt('level'),
      sector: t.exposeString('sector', { nullable: true }),
      organizationId: t.exposeID('organizationId'),
      organizationName: t.exposeString('organizationName'),
      basis: t.expose('basis', { type: ReferralTargetBasis }),
    }),
  });
const ReferralTargetOperatorRef = builder
  .objectRef<ReferralTargetOperator>('ReferralTargetOperator')
  .implement({
    description: 'A social worker or coordinator a case may be referred to (OPERATOR)',
    fields: (t) => ({
      id: t.exposeID('id'),
      fullName: t.exposeString('fullName'),
      role: t.exposeString('role'),
      officeId: t.exposeID('officeId'),
      officeName: t.exposeString('officeName'),
      organizationId: t.exposeID('organizationId'),
      organizationName: t.exposeString('organizationName'),
      basis: t.expose('basis', { type: ReferralTargetBasis }),
    }),
  });
const ReferralTargetOrganizationRef = builder
  .objectRef<ReferralTargetOrganization>('ReferralTargetOrganization')
  .implement({
    description: 'Another organisation a case may be referred to (OTHER_BODY)',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      basis: t.expose('basis', { type: ReferralTargetBasis }),
    }),
  });
const ReferralTargetsRef = builder.objectRef<ReferralTargets>('ReferralTargets').implement({
  description:
    'Whom the case may be referred to; OTHER_BODY may also name a body in words (toBody)',
  fields: (t) => ({
    offices: t.expose('offices', { type: [ReferralTargetOfficeRef] }),
    operators: t.expose('operators', { type: [ReferralTargetOperatorRef] }),
    organizations: t.expose('organizations', { type: [ReferralTargetOrganizationRef] }),
  }),
});
const ReferralInput = builder.inputType('CreateReferralInput', {
  fields: (t) => ({
    kind: t.field({ type: ReferralKind, required: true }),
    toOfficeId: t.field({ type: 'UUID' }),
    toOperatorId: t.field({ type: 'UUID' }),
    toOrganizationId: t.field({ type: 'UUID' }),
    toBody: t.string(),
    reason: t.string({ required: true }),
    on: t.field({ type: 'Date' }),
  }),
});
const ProjectInput = builder.inputType('IndividualProjectInput', {
  fields: (t) => ({
    kind: t.field({ type: ProjectKind, required: true }),
    title: t.string({ required: true }),
    description: t.string(),
    startOn: t.field({ type: 'Date', required: true }),
    endOn: t.field({ type: 'Date' }),
    status: t.field({ type: ProjectStatus }),
    phase: t.int(),
    responsibleOperatorId: t.field({ type: 'UUID' }),
  }),
});

builder.queryFields((t) => ({
  caseDiary: t.withAuth(signedIn).field({
    type: [DiaryEntryRef],
    description: 'The diary, newest first; `after` an entry id to page on. Audited.',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      limit: t.arg.int(),
      after: t.arg({ type: 'UUID' }),
    },
    resolve: (_root, args, ctx) =>
      listDiaryEntries(ctx.db, ctx.actor, String(args.caseFileId), {
        limit: args.limit ?? undefined,
        after: str(args.after),
      }),
  }),
  referralTargets: t.withAuth(signedIn).field({
    type: ReferralTargetsRef,
    description:
      "The offices, operators and organisations the caller may refer the case to: the case's organisation line and those under a data-sharing agreement in force. For operators enabled on the case. Audited.",
    args: { caseFileId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => listReferralTargets(ctx.db, ctx.actor, String(args.caseFileId)),
  }),
  incomingReferrals: t.withAuth(signedIn).field({
    type: [ReferralRef],
    description: 'Referrals waiting for the caller or for the offices the caller works in',
    resolve: (_root, _args, ctx) => listIncomingReferrals(ctx.db, ctx.actor),
  }),
}));

builder.mutationFields((t) => ({
  addCaseDiaryEntry: t.withAuth(signedIn).field({
    type: DiaryEntryRef,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: DiaryInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addDiaryEntry(ctx.db, ctx.actor, String(caseFileId), input),
  }),
  recordProfessionalActivity: t.withAuth(signedIn).field({
    type: ActivityResultRef,
    description: 'An interview, home visit, meeting or triage, with the problems it found',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ActivityInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      recordActivity(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        operatorIds: (input.operatorIds ?? []).map(String),
      }),
  }),
  createReferral: t.withAuth(signedIn).field({
    type: ReferralRef,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ReferralInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      createReferral(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        toOfficeId: str(input.toOfficeId),
        toOperatorId: str(input.toOperatorId),
        toOrganizationId: str(input.toOrganizationId),
      }),
  }),
  answerReferral: t.withAuth(signedIn).field({
    type: ReferralRef,
    description: 'The receiver accepts (and is enabled on the case) or declines',
    args: {
      referralId: t.arg({ type: 'UUID', required: true }),
      accept: t.arg.boolean({ required: true }),
      note: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      answerReferral(ctx.db, ctx.actor, String(args.referralId), {
        accept: args.accept,
        note: args.note ?? undefined,
      }),
  }),
  createIndividualProject: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ProjectInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      createProject(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        responsibleOperatorId: str(input.responsibleOperatorId),
      }),
  }),
}));
