import {
  CASE_STATUSES,
  type CaseFile,
  type CaseFileExistence,
  type CaseFileSummary,
  changeCaseSector,
  changeCaseStatus,
  getCaseFile,
  type LinkedIntake,
  listCaseFilesOfPerson,
  listMyCaseFiles,
  listOfficeCaseFiles,
  type StatusChange,
  setTargetArea,
  transferCaseFile,
} from '@hub/casework';
import { AssessmentRef } from './assessment.ts';
import { builder, signedIn } from './builder.ts';
import { CarePlanRef, PlacementRef } from './care-plan.ts';
import { OperatorRef, OrganizationAccessRef } from './case-access.ts';
import { DocumentRef } from './case-documents.ts';
import {
  CourtMeasureRef,
  DisabilityRef,
  InvalidityRef,
  IseeRef,
  NoteRef,
  ProblemRef,
  ResourceRef,
  SchoolRef,
  SocialDataRef,
} from './case-sections.ts';
import { ActivityRef, DiaryEntryRef, ProjectRef, ReferralRef } from './dossier.ts';
import { withoutNulls } from './graphql-input.ts';

// The case file (cartella sociale): the whole file, its header, status, sector and office. Here
// and in the other case-file modules (take-into-care, case-access, case-sections, case-documents,
// dossier), every resolver calls the casework service, which applies the access list (only enabled operators, the office's
// coordinator for the list itself, partner clients with cases:read and a grant), masks the
// sensitive groups of the caller's desk and audits reads, writes and refusals. So the fields ask
// only for a signed-in caller here: a refusal decided in the service is also audited there.

export const CaseStatus = builder.enumType('CaseStatus', {
  description: 'Proposed, under evaluation, in care, suspended, closed',
  values: CASE_STATUSES,
});
const StatusChangeKind = builder.enumType('CaseStatusChangeKind', {
  values: ['OPENED', 'STATUS', 'SECTOR', 'OFFICE'] as const,
});
const LinkKind = builder.enumType('CaseIntakeLinkKind', {
  values: ['OPENED', 'ATTACHED'] as const,
});

const summaryFields = <T extends CaseFileSummary>(t: PothosFieldBuilder<T>) => ({
  id: t.exposeID('id'),
  personId: t.exposeID('personId'),
  organizationId: t.exposeID('organizationId'),
  organizationName: t.exposeString('organizationName'),
  officeId: t.exposeID('officeId'),
  officeName: t.exposeString('officeName'),
  sector: t.exposeString('sector', { nullable: true }),
  targetAreaCode: t.exposeString('targetAreaCode', {
    nullable: true,
    description: 'ISTAT area di utenza',
  }),
  status: t.expose('status', { type: CaseStatus }),
  openedOn: t.expose('openedOn', { type: 'Date' }),
  closedOn: t.expose('closedOn', { type: 'Date', nullable: true }),
  updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
});
// biome-ignore lint/suspicious/noExplicitAny: the field builder's generics are Pothos-internal
type PothosFieldBuilder<T> = any & { __parent?: T };

const SummaryRef = builder.objectRef<CaseFileSummary>('CaseFileSummary').implement({
  fields: (t) => summaryFields(t),
});

const ExistenceRef = builder.objectRef<CaseFileExistence>('CaseFileExistence').implement({
  description: 'That a case file exists, in which office, with which status: never what it holds',
  fields: (t) => ({
    id: t.exposeID('id'),
    organizationId: t.exposeID('organizationId'),
    organizationName: t.exposeString('organizationName'),
    officeId: t.exposeID('officeId'),
    officeName: t.exposeString('officeName'),
    status: t.expose('status', { type: CaseStatus }),
    openedOn: t.expose('openedOn', { type: 'Date' }),
    closedOn: t.expose('closedOn', { type: 'Date', nullable: true }),
    accessible: t.exposeBoolean('accessible', { description: 'Whether the caller may open it' }),
  }),
});

const StatusChangeRef = builder.objectRef<StatusChange>('CaseStatusChange').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: StatusChangeKind }),
    fromStatus: t.expose('fromStatus', { type: CaseStatus, nullable: true }),
    toStatus: t.expose('toStatus', { type: CaseStatus }),
    fromOfficeId: t.exposeID('fromOfficeId', { nullable: true }),
    toOfficeId: t.exposeID('toOfficeId'),
    fromSector: t.exposeString('fromSector', { nullable: true }),
    toSector: t.exposeString('toSector', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    changedOn: t.expose('changedOn', { type: 'Date' }),
    changedBy: t.exposeID('changedBy', { nullable: true }),
    changedAt: t.expose('changedAt', { type: 'DateTime' }),
  }),
});

const LinkedIntakeRef = builder.objectRef<LinkedIntake>('CaseLinkedIntake').implement({
  fields: (t) => ({
    intakeRecordId: t.exposeID('intakeRecordId'),
    linkKind: t.expose('linkKind', { type: LinkKind }),
    linkedAt: t.expose('linkedAt', { type: 'DateTime' }),
  }),
});

export const CaseFileRef = builder.objectRef<CaseFile>('CaseFile').implement({
  description:
    'Cartella sociale with its dossier (fascicolo) and care plans; only for its access list',
  fields: (t) => ({
    ...summaryFields(t),
    targetAreaLabel: t.exposeString('targetAreaLabel', { nullable: true }),
    closureReason: t.exposeString('closureReason', { nullable: true }),
    statusHistory: t.expose('statusHistory', { type: [StatusChangeRef] }),
    operators: t.expose('operators', { type: [OperatorRef] }),
    organizationAccess: t.expose('organizationAccess', { type: [OrganizationAccessRef] }),
    intakeRecords: t.expose('intakeRecords', { type: [LinkedIntakeRef] }),
    resources: t.expose('resources', { type: [ResourceRef] }),
    socialData: t.expose('socialData', { type: [SocialDataRef] }),
    invalidities: t.expose('invalidities', { type: [InvalidityRef] }),
    disabilities: t.expose('disabilities', { type: [DisabilityRef] }),
    courtMeasures: t.expose('courtMeasures', { type: [CourtMeasureRef] }),
    problems: t.expose('problems', { type: [ProblemRef] }),
    notes: t.expose('notes', { type: [NoteRef] }),
    school: t.expose('school', { type: [SchoolRef] }),
    isee: t.expose('isee', { type: [IseeRef] }),
    documents: t.expose('documents', { type: [DocumentRef] }),
    diary: t.field({
      type: [DiaryEntryRef],
      description: 'The latest entries, newest first (older ones: caseDiary)',
      args: { limit: t.arg.int({ defaultValue: 50 }) },
      resolve: (c, args) => c.diary.slice(0, Math.max(0, args.limit ?? 50)),
    }),
    activities: t.expose('activities', { type: [ActivityRef] }),
    referrals: t.expose('referrals', { type: [ReferralRef] }),
    assessments: t.expose('assessments', { type: [AssessmentRef] }),
    projects: t.expose('projects', { type: [ProjectRef] }),
    carePlans: t.expose('carePlans', { type: [CarePlanRef] }),
    placements: t.expose('placements', { type: [PlacementRef] }),
    maskedFields: t.exposeStringList('maskedFields', {
      description: "Sections withheld by the desk profile of the caller's contact point",
    }),
  }),
});

const TargetAreaRef = builder
  .objectRef<{ code: string; label: string; siussAreaUtenza: string | null; source: string }>(
    'TargetArea',
  )
  .implement({
    description: 'ISTAT area di utenza (with the SIUSS AreaUtenza it maps to, where one to one)',
    fields: (t) => ({
      code: t.exposeString('code'),
      label: t.exposeString('label'),
      siussAreaUtenza: t.exposeString('siussAreaUtenza', { nullable: true }),
      source: t.exposeString('source'),
    }),
  });

const ChangeStatusInput = builder.inputType('ChangeCaseStatusInput', {
  fields: (t) => ({
    to: t.field({ type: CaseStatus, required: true }),
    reason: t.string({ description: 'Required to suspend or close' }),
    on: t.field({ type: 'Date' }),
  }),
});
const TransferInput = builder.inputType('TransferCaseFileInput', {
  fields: (t) => ({
    toOfficeId: t.field({ type: 'UUID', required: true }),
    sector: t.string(),
    reason: t.string({ required: true }),
    on: t.field({ type: 'Date' }),
  }),
});

builder.queryFields((t) => ({
  caseFile: t.withAuth(signedIn).field({
    type: CaseFileRef,
    description:
      'The whole case file, for the operators enabled on it (and granted partners). Audited.',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => getCaseFile(ctx.db, ctx.actor, String(args.id)),
  }),
  myCaseFiles: t.withAuth(signedIn).field({
    type: [SummaryRef],
    description: 'The case files the caller is enabled on',
    args: { status: t.arg({ type: CaseStatus }), limit: t.arg.int() },
    resolve: (_root, args, ctx) =>
      listMyCaseFiles(ctx.db, ctx.actor, {
        status: args.status ?? null,
        limit: args.limit ?? undefined,
      }),
  }),
  officeCaseFiles: t.withAuth(signedIn).field({
    type: [SummaryRef],
    description: "The office's case files (headers), for its coordinator",
    args: {
      officeId: t.arg({ type: 'UUID', required: true }),
      status: t.arg({ type: CaseStatus }),
      limit: t.arg.int(),
    },
    resolve: (_root, args, ctx) =>
      listOfficeCaseFiles(ctx.db, ctx.actor, String(args.officeId), {
        status: args.status ?? null,
        limit: args.limit ?? undefined,
      }),
  }),
  caseFilesOfPerson: t.withAuth(signedIn).field({
    type: [ExistenceRef],
    description:
      "The person's case files across offices: that they exist, not what they hold. Audited.",
    args: { personId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => listCaseFilesOfPerson(ctx.db, ctx.actor, String(args.personId)),
  }),
  targetAreas: t.withAuth(signedIn).field({
    type: [TargetAreaRef],
    resolve: (_root, _args, ctx) =>
      ctx.db.query<{ code: string; label: string; siussAreaUtenza: string | null; source: string }>(
        `SELECT code, label, siuss_area_utenza AS "siussAreaUtenza", source FROM target_area ORDER BY code`,
      ),
  }),
}));

builder.mutationFields((t) => ({
  changeCaseStatus: t.withAuth(signedIn).field({
    type: SummaryRef,
    description: 'Refused: INVALID_STATUS_TRANSITION, CASE_ALREADY_OPEN (reopening), FORBIDDEN.',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ChangeStatusInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      changeCaseStatus(ctx.db, ctx.actor, String(caseFileId), withoutNulls(input)),
  }),
  transferCaseFile: t.withAuth(signedIn).field({
    type: SummaryRef,
    description: 'Sends the case file to another office (PROPOSED there)',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: TransferInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      transferCaseFile(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        toOfficeId: String(input.toOfficeId),
      }),
  }),
  changeCaseSector: t.withAuth(signedIn).field({
    type: SummaryRef,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      sector: t.arg.string({ required: true }),
      reason: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      changeCaseSector(ctx.db, ctx.actor, String(args.caseFileId), {
        sector: args.sector,
        reason: args.reason ?? undefined,
      }),
  }),
  setCaseTargetArea: t.withAuth(signedIn).field({
    type: SummaryRef,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      targetAreaCode: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      setTargetArea(ctx.db, ctx.actor, String(args.caseFileId), {
        targetAreaCode: args.targetAreaCode,
      }),
  }),
}));
