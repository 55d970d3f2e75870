import {
  ACTIVITY_KINDS,
  addCaseNote,
  addCourtMeasure,
  addDiaryEntry,
  addDisability,
  addInvalidity,
  addIsee,
  addResource,
  addSchoolRecord,
  answerReferral,
  attachIntakeRecord,
  badInput,
  CASE_STATUSES,
  type CaseDocumentMeta,
  type CaseFile,
  type CaseFileExistence,
  type CaseFileSummary,
  type CaseNote,
  type CaseOperator,
  type CaseProblem,
  type CaseResource,
  COURT_BODIES,
  type CourtMeasure,
  changeCaseSector,
  changeCaseStatus,
  createProject,
  createReferral,
  type DiaryEntry,
  type Disability,
  disableCaseOperatorOnCase,
  downloadDocument,
  enableCaseOperator,
  getCaseFile,
  grantOrganizationAccess,
  type IndividualProject,
  type IntakeEvaluation,
  type Invalidity,
  ISEE_TYPES,
  type IseeRecord,
  type LinkedIntake,
  listCaseFilesOfPerson,
  listDiaryEntries,
  listIncomingReferrals,
  listMyCaseFiles,
  listOfficeCaseFiles,
  listProposedIntakeRecords,
  MANUAL_DIARY_TYPES,
  OPERATOR_TYPES,
  type OrganizationAccess,
  openCaseFile,
  PROJECT_KINDS,
  PROJECT_STATUSES,
  type ProfessionalActivity,
  type ProposedIntakeRecord,
  REFERRAL_KINDS,
  REJECTION_REASONS,
  RELIABILITIES,
  type Referral,
  recordActivity,
  recordSocialData,
  rejectIntakeRecord,
  removeCaseResource,
  revokeOrganizationAccessOnCase,
  type SchoolRecord,
  SOCIAL_DATA_SOURCES,
  SOCIAL_DOMAINS,
  type SocialDataRecord,
  type StatusChange,
  setTargetArea,
  startEvaluation,
  transferCaseFile,
  uploadDocument,
} from '@hub/casework';
import { AssessmentRef } from './assessment.ts';
import { builder } from './builder.ts';
import { CarePlanRef, PlacementRef } from './care-plan.ts';
import { withoutNulls } from './graphql-input.ts';
import { AccessKind } from './intake-record.ts';

// The case file (cartella sociale), taking into care and the dossier. Every resolver calls the
// casework service, which applies the access list (only enabled operators, the office's
// coordinator for the list itself, partner clients with cases:read and a grant), masks the
// sensitive groups of the caller's desk and audits reads, writes and refusals. So the fields ask
// only for a signed-in caller here: a refusal decided in the service is also audited there.

const auth = { authenticated: true } as const;

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

export const CaseStatus = builder.enumType('CaseStatus', {
  description: 'Proposed, under evaluation, in care, suspended, closed',
  values: CASE_STATUSES,
});
export const EvaluationStatus = builder.enumType('IntakeEvaluationStatus', {
  values: ['UNDER_EVALUATION', 'REJECTED', 'CASE_OPENED', 'ATTACHED'] as const,
});
const RejectionReason = builder.enumType('IntakeRejectionReason', { values: REJECTION_REASONS });
const OperatorType = builder.enumType('CaseOperatorType', { values: OPERATOR_TYPES });
const SocialDomain = builder.enumType('SocialDomain', { values: SOCIAL_DOMAINS });
const Reliability = builder.enumType('SocialDataReliability', {
  description: 'REPORTED (as told, e.g. at the desk) or VERIFIED by the social worker',
  values: RELIABILITIES,
});
const SocialDataSource = builder.enumType('SocialDataSource', { values: SOCIAL_DATA_SOURCES });
const ResourceKind = builder.enumType('CaseResourceKind', {
  values: ['FAMILY', 'ACQUAINTANCE'] as const,
});
const CourtBody = builder.enumType('CourtBody', {
  description: 'SISO struttura_tribunale',
  values: COURT_BODIES,
});
const IseeType = builder.enumType('IseeType', { values: ISEE_TYPES });
const StatusChangeKind = builder.enumType('CaseStatusChangeKind', {
  values: ['OPENED', 'STATUS', 'SECTOR', 'OFFICE'] as const,
});
const LinkKind = builder.enumType('CaseIntakeLinkKind', {
  values: ['OPENED', 'ATTACHED'] as const,
});
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

// ---------------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------------

const EvaluationRef = builder.objectRef<IntakeEvaluation>('IntakeEvaluation').implement({
  description: 'The evaluation of an intake record proposed for taking into care',
  fields: (t) => ({
    intakeRecordId: t.exposeID('intakeRecordId'),
    officeId: t.exposeID('officeId'),
    status: t.expose('status', { type: EvaluationStatus }),
    startedBy: t.exposeID('startedBy', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    decidedBy: t.exposeID('decidedBy', { nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    rejectionReasonCode: t.expose('rejectionReasonCode', { type: RejectionReason, nullable: true }),
    rejectionReason: t.exposeString('rejectionReason', { nullable: true }),
    interviewOn: t.expose('interviewOn', { type: 'Date', nullable: true }),
    interviewNotes: t.exposeString('interviewNotes', { nullable: true }),
    caseFileId: t.exposeID('caseFileId', { nullable: true }),
  }),
});

const ProposedRef = builder.objectRef<ProposedIntakeRecord>('ProposedIntakeRecord').implement({
  fields: (t) => ({
    intakeRecordId: t.exposeID('intakeRecordId'),
    number: t.exposeInt('number'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    accessKind: t.expose('accessKind', { type: AccessKind }),
    subjectPersonId: t.exposeID('subjectPersonId', { nullable: true }),
    organizationId: t.exposeID('organizationId'),
    proposedOfficeId: t.exposeID('proposedOfficeId'),
    summary: t.exposeString('summary', { nullable: true }),
    evaluationStatus: t.expose('evaluationStatus', { type: EvaluationStatus, nullable: true }),
    decisionDueOn: t.expose('decisionDueOn', {
      type: 'Date',
      nullable: true,
      description:
        'A judicial proposal: the day by which it must be decided (case opened or attached)',
    }),
    openCaseFileId: t.exposeID('openCaseFileId', {
      nullable: true,
      description: "The subject's open case file in the office: attach instead of opening",
    }),
  }),
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

const OperatorRef = builder.objectRef<CaseOperator>('CaseOperator').implement({
  description: 'An operator enabled on the case file (access list)',
  fields: (t) => ({
    id: t.exposeID('id'),
    operatorId: t.exposeID('operatorId'),
    fullName: t.exposeString('fullName'),
    operatorType: t.expose('operatorType', { type: OperatorType }),
    responsible: t.exposeBoolean('responsible'),
    enabledFrom: t.expose('enabledFrom', { type: 'Date' }),
    enabledBy: t.exposeID('enabledBy', { nullable: true }),
    enabledAt: t.expose('enabledAt', { type: 'DateTime' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
  }),
});

const OrganizationAccessRef = builder
  .objectRef<OrganizationAccess>('CaseOrganizationAccess')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      organizationId: t.exposeID('organizationId'),
      reason: t.exposeString('reason'),
      validFrom: t.expose('validFrom', { type: 'Date' }),
      validTo: t.expose('validTo', { type: 'Date', nullable: true }),
      grantedAt: t.expose('grantedAt', { type: 'DateTime' }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    }),
  });

const LinkedIntakeRef = builder.objectRef<LinkedIntake>('CaseLinkedIntake').implement({
  fields: (t) => ({
    intakeRecordId: t.exposeID('intakeRecordId'),
    linkKind: t.expose('linkKind', { type: LinkKind }),
    linkedAt: t.expose('linkedAt', { type: 'DateTime' }),
  }),
});

const ResourceRef = builder.objectRef<CaseResource>('CaseResource').implement({
  description: 'Family and acquaintances network',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: ResourceKind }),
    relationship: t.exposeString('relationship'),
    name: t.exposeString('name'),
    personId: t.exposeID('personId', { nullable: true }),
    cohabiting: t.exposeBoolean('cohabiting'),
    caregiver: t.exposeBoolean('caregiver'),
    phone: t.exposeString('phone', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const SocialDataRef = builder.objectRef<SocialDataRecord>('SocialDataRecord').implement({
  description: 'Work (SINBA OccupazioneType), housing, education (SINBA TitoloStudioType)',
  fields: (t) => ({
    id: t.exposeID('id'),
    domain: t.expose('domain', { type: SocialDomain }),
    code: t.exposeString('code'),
    label: t.exposeString('label', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    reliability: t.expose('reliability', { type: Reliability }),
    source: t.expose('source', { type: SocialDataSource }),
    recordedOn: t.expose('recordedOn', { type: 'Date' }),
    recordedBy: t.exposeID('recordedBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const InvalidityRef = builder.objectRef<Invalidity>('Invalidity').implement({
  description: 'HEALTH group; certification: PS_PSA_SINA201812.xsd InvCivType',
  fields: (t) => ({
    id: t.exposeID('id'),
    certification: t.exposeString('certification'),
    percentage: t.exposeInt('percentage', { nullable: true }),
    recognizedOn: t.expose('recognizedOn', { type: 'Date', nullable: true }),
    evidence: t.exposeString('evidence', { description: 'FonteDerivazioneInvaliditaType' }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const DisabilityRef = builder.objectRef<Disability>('Disability').implement({
  description: 'HEALTH group; type: SINBA.xsd TipoDisabilitaType',
  fields: (t) => ({
    id: t.exposeID('id'),
    disabilityType: t.exposeString('disabilityType'),
    description: t.exposeString('description', { nullable: true }),
    recognizedOn: t.expose('recognizedOn', { type: 'Date', nullable: true }),
    law104Severe: t.exposeBoolean('law104Severe'),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CourtMeasureRef = builder.objectRef<CourtMeasure>('CourtMeasure').implement({
  description: 'JUDICIAL group; codes of SINBA.xsd (authority, measure, parental authority)',
  fields: (t) => ({
    id: t.exposeID('id'),
    courtBody: t.expose('courtBody', { type: CourtBody }),
    authority: t.exposeString('authority', {
      nullable: true,
      description: 'AutoritaProvvedimentoType',
    }),
    measureType: t.exposeString('measureType', {
      nullable: true,
      description: 'TipoProvvedimentoGiudiziarioType',
    }),
    parentalMeasure: t.exposeString('parentalMeasure', {
      nullable: true,
      description: 'PotestaTutelaType',
    }),
    measureOn: t.expose('measureOn', { type: 'Date' }),
    reference: t.exposeString('reference', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    endedOn: t.expose('endedOn', { type: 'Date', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ProblemRef = builder.objectRef<CaseProblem>('CaseProblem').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    scheme: t.exposeString('scheme'),
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    activityId: t.exposeID('activityId', {
      description: 'The interview or activity that found it',
    }),
    notes: t.exposeString('notes', { nullable: true }),
    recordedOn: t.expose('recordedOn', { type: 'Date' }),
    resolvedOn: t.expose('resolvedOn', { type: 'Date', nullable: true }),
  }),
});

const NoteRef = builder.objectRef<CaseNote>('CaseNote').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    text: t.exposeString('text'),
    authorId: t.exposeID('authorId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const SchoolRef = builder.objectRef<SchoolRecord>('SchoolRecord').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    schoolYear: t.exposeString('schoolYear'),
    schoolType: t.exposeString('schoolType', { description: 'SINBA ScuolaFrequentataType' }),
    schoolName: t.exposeString('schoolName', { nullable: true }),
    className: t.exposeString('className', { nullable: true }),
    supportTeacher: t.exposeBoolean('supportTeacher'),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const IseeRef = builder.objectRef<IseeRecord>('IseeRecord').implement({
  description: 'ECONOMIC group',
  fields: (t) => ({
    id: t.exposeID('id'),
    iseeType: t.expose('iseeType', { type: IseeType }),
    iseeValue: t.exposeFloat('iseeValue'),
    iseValue: t.exposeFloat('iseValue', { nullable: true }),
    dsuProtocol: t.exposeString('dsuProtocol', { nullable: true }),
    dsuOn: t.expose('dsuOn', { type: 'Date', nullable: true }),
    validFrom: t.expose('validFrom', { type: 'Date' }),
    validTo: t.expose('validTo', { type: 'Date' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const DocumentRef = builder.objectRef<CaseDocumentMeta>('CaseDocument').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    subfolder: t.exposeInt('subfolder', { description: 'SISO sottocartella_documenti 1–9' }),
    fileName: t.exposeString('fileName'),
    mediaType: t.exposeString('mediaType', { description: 'Detected from the content' }),
    sizeBytes: t.exposeInt('sizeBytes'),
    sha256: t.exposeString('sha256'),
    description: t.exposeString('description', { nullable: true }),
    uploadedBy: t.exposeID('uploadedBy', { nullable: true }),
    uploadedAt: t.expose('uploadedAt', { type: 'DateTime' }),
  }),
});

type DocumentContent = CaseDocumentMeta & { caseFileId: string; content: Uint8Array };
const DocumentContentRef = builder.objectRef<DocumentContent>('CaseDocumentContent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    caseFileId: t.exposeID('caseFileId'),
    fileName: t.exposeString('fileName'),
    mediaType: t.exposeString('mediaType'),
    sizeBytes: t.exposeInt('sizeBytes'),
    sha256: t.exposeString('sha256'),
    contentBase64: t.string({ resolve: (d) => Buffer.from(d.content).toString('base64') }),
  }),
});

const DiaryEntryRef = builder.objectRef<DiaryEntry>('DiaryEntry').implement({
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

const ActivityRef = builder.objectRef<ProfessionalActivity>('ProfessionalActivity').implement({
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

const ReferralRef = builder.objectRef<Referral>('Referral').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    caseFileId: t.exposeID('caseFileId'),
    kind: t.expose('kind', { type: ReferralKind }),
    toOfficeId: t.exposeID('toOfficeId', { nullable: true }),
    toOperatorId: t.exposeID('toOperatorId', { nullable: true }),
    toOrganizationId: t.exposeID('toOrganizationId', { nullable: true }),
    toBody: t.exposeString('toBody', { nullable: true }),
    reason: t.exposeString('reason'),
    status: t.expose('status', { type: ReferralStatus }),
    sentOn: t.expose('sentOn', { type: 'Date' }),
    sentBy: t.exposeID('sentBy', { nullable: true }),
    answeredBy: t.exposeID('answeredBy', { nullable: true }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    answerNote: t.exposeString('answerNote', { nullable: true }),
  }),
});

const ProjectRef = builder.objectRef<IndividualProject>('IndividualProject').implement({
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

const OpenedRef = builder
  .objectRef<{ caseFile: CaseFile; evaluation: IntakeEvaluation; firstInterviewId: string | null }>(
    'TakenIntoCare',
  )
  .implement({
    fields: (t) => ({
      caseFile: t.expose('caseFile', { type: CaseFileRef }),
      evaluation: t.expose('evaluation', { type: EvaluationRef }),
      firstInterviewId: t.exposeID('firstInterviewId', { nullable: true }),
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

const ProblemCodeRef = builder
  .objectRef<{ scheme: string; code: string; label: string; source: string }>('ProblemCode')
  .implement({
    fields: (t) => ({
      scheme: t.exposeString('scheme'),
      code: t.exposeString('code'),
      label: t.exposeString('label'),
      source: t.exposeString('source'),
    }),
  });

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const ProblemRefInput = builder.inputType('CaseProblemInput', {
  fields: (t) => ({
    scheme: t.string({
      required: true,
      description: 'SINBA_MINORE, SINBA_FAMIGLIA, HUB… (problemCodes)',
    }),
    code: t.string({ required: true }),
    notes: t.string(),
  }),
});
const InterviewInput = builder.inputType('FirstInterviewInput', {
  fields: (t) => ({
    on: t.field({ type: 'Date', required: true }),
    place: t.string(),
    withWhom: t.string(),
    summary: t.string({ required: true }),
    durationMinutes: t.int(),
    problems: t.field({ type: [ProblemRefInput] }),
  }),
});
const RejectInput = builder.inputType('RejectIntakeRecordInput', {
  fields: (t) => ({
    reasonCode: t.field({ type: RejectionReason, required: true }),
    reason: t.string({ required: true }),
    interview: t.field({
      type: builder.inputType('RejectionInterviewInput', {
        fields: (u) => ({
          on: u.field({ type: 'Date', required: true }),
          notes: u.string({ required: true }),
        }),
      }),
    }),
  }),
});
const OpenInput = builder.inputType('OpenCaseFileInput', {
  fields: (t) => ({
    targetAreaCode: t.string({ required: true, description: 'ISTAT area di utenza (targetAreas)' }),
    sector: t.string(),
    openedOn: t.field({ type: 'Date' }),
    firstInterview: t.field({ type: InterviewInput, required: true }),
  }),
});
const AttachInput = builder.inputType('AttachIntakeRecordInput', {
  fields: (t) => ({
    caseFileId: t.field({
      type: 'UUID',
      description: 'Default: the open case file in the proposed office',
    }),
    note: t.string(),
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
const EnableOperatorInput = builder.inputType('EnableCaseOperatorInput', {
  fields: (t) => ({
    operatorId: t.field({ type: 'UUID', required: true }),
    operatorType: t.field({ type: OperatorType, required: true }),
    responsible: t.boolean(),
    from: t.field({ type: 'Date' }),
  }),
});
const GrantInput = builder.inputType('GrantCaseOrganizationAccessInput', {
  fields: (t) => ({
    organizationId: t.field({ type: 'UUID', required: true }),
    reason: t.string({ required: true }),
    validFrom: t.field({ type: 'Date' }),
    validTo: t.field({ type: 'Date' }),
  }),
});
const ResourceInput = builder.inputType('CaseResourceInput', {
  fields: (t) => ({
    kind: t.field({ type: ResourceKind, required: true }),
    relationship: t.string({ required: true }),
    name: t.string({ required: true }),
    personId: t.field({ type: 'UUID' }),
    cohabiting: t.boolean(),
    caregiver: t.boolean(),
    phone: t.string(),
    notes: t.string(),
  }),
});
const SocialDataInput = builder.inputType('SocialDataInput', {
  fields: (t) => ({
    domain: t.field({ type: SocialDomain, required: true }),
    code: t.string({ required: true }),
    description: t.string(),
    reliability: t.field({ type: Reliability, required: true }),
    source: t.field({ type: SocialDataSource, required: true }),
    recordedOn: t.field({ type: 'Date' }),
  }),
});
const InvalidityInput = builder.inputType('InvalidityInput', {
  fields: (t) => ({
    certification: t.string({ required: true, description: 'InvCivType 1–8' }),
    percentage: t.int(),
    recognizedOn: t.field({ type: 'Date' }),
    evidence: t.string({ required: true, description: 'FonteDerivazioneInvaliditaType 1–2' }),
    notes: t.string(),
  }),
});
const DisabilityInput = builder.inputType('DisabilityInput', {
  fields: (t) => ({
    disabilityType: t.string({ required: true, description: 'TipoDisabilitaType 1–4' }),
    description: t.string(),
    recognizedOn: t.field({ type: 'Date' }),
    law104Severe: t.boolean(),
    notes: t.string(),
  }),
});
const CourtMeasureInput = builder.inputType('CourtMeasureInput', {
  fields: (t) => ({
    courtBody: t.field({ type: CourtBody, required: true }),
    authority: t.string(),
    measureType: t.string(),
    parentalMeasure: t.string(),
    measureOn: t.field({ type: 'Date', required: true }),
    reference: t.string(),
    description: t.string(),
    endedOn: t.field({ type: 'Date' }),
  }),
});
const SchoolInput = builder.inputType('SchoolRecordInput', {
  fields: (t) => ({
    schoolYear: t.string({ required: true, description: 'AAAA/AAAA' }),
    schoolType: t.string({ required: true, description: 'ScuolaFrequentataType 1–8' }),
    schoolName: t.string(),
    className: t.string(),
    supportTeacher: t.boolean(),
    notes: t.string(),
  }),
});
const IseeInput = builder.inputType('IseeInput', {
  fields: (t) => ({
    iseeType: t.field({ type: IseeType, required: true }),
    iseeValue: t.float({ required: true }),
    iseValue: t.float(),
    dsuProtocol: t.string(),
    dsuOn: t.field({ type: 'Date' }),
    validFrom: t.field({ type: 'Date', required: true }),
    validTo: t.field({ type: 'Date', required: true }),
  }),
});
const UploadInput = builder.inputType('UploadCaseDocumentInput', {
  fields: (t) => ({
    fileName: t.string({ required: true }),
    contentBase64: t.string({ required: true }),
    subfolder: t.int({ description: 'SISO sottocartella_documenti 1–9 (default 9, altro)' }),
    description: t.string(),
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

/** IDs arrive as string | number; the services take strings. */
const str = (v: string | number | null | undefined) => (v == null ? undefined : String(v));

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw badInput('input.contentBase64', 'contenuto non in base64');
  }
  return Uint8Array.from(Buffer.from(clean, 'base64'));
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

builder.queryFields((t) => ({
  proposedIntakeRecords: t.field({
    type: [ProposedRef],
    description:
      'Intake records proposed for taking into care to the office, for its social workers',
    authScopes: auth,
    args: { officeId: t.arg({ type: 'UUID', required: true }), limit: t.arg.int() },
    resolve: (_root, args, ctx) =>
      listProposedIntakeRecords(ctx.db, ctx.actor!, String(args.officeId), {
        limit: args.limit ?? undefined,
      }),
  }),
  caseFile: t.field({
    type: CaseFileRef,
    description:
      'The whole case file, for the operators enabled on it (and granted partners). Audited.',
    authScopes: auth,
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => getCaseFile(ctx.db, ctx.actor!, String(args.id)),
  }),
  myCaseFiles: t.field({
    type: [SummaryRef],
    description: 'The case files the caller is enabled on',
    authScopes: auth,
    args: { status: t.arg({ type: CaseStatus }), limit: t.arg.int() },
    resolve: (_root, args, ctx) =>
      listMyCaseFiles(ctx.db, ctx.actor!, {
        status: args.status ?? null,
        limit: args.limit ?? undefined,
      }),
  }),
  officeCaseFiles: t.field({
    type: [SummaryRef],
    description: "The office's case files (headers), for its coordinator",
    authScopes: auth,
    args: {
      officeId: t.arg({ type: 'UUID', required: true }),
      status: t.arg({ type: CaseStatus }),
      limit: t.arg.int(),
    },
    resolve: (_root, args, ctx) =>
      listOfficeCaseFiles(ctx.db, ctx.actor!, String(args.officeId), {
        status: args.status ?? null,
        limit: args.limit ?? undefined,
      }),
  }),
  caseFilesOfPerson: t.field({
    type: [ExistenceRef],
    description:
      "The person's case files across offices: that they exist, not what they hold. Audited.",
    authScopes: auth,
    args: { personId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => listCaseFilesOfPerson(ctx.db, ctx.actor!, String(args.personId)),
  }),
  caseDiary: t.field({
    type: [DiaryEntryRef],
    description: 'The diary, newest first; `after` an entry id to page on. Audited.',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      limit: t.arg.int(),
      after: t.arg({ type: 'UUID' }),
    },
    resolve: (_root, args, ctx) =>
      listDiaryEntries(ctx.db, ctx.actor!, String(args.caseFileId), {
        limit: args.limit ?? undefined,
        after: str(args.after),
      }),
  }),
  caseDocument: t.field({
    type: DocumentContentRef,
    description: 'A document with its content (base64), for download. Audited.',
    authScopes: auth,
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => downloadDocument(ctx.db, ctx.actor!, String(args.id)),
  }),
  incomingReferrals: t.field({
    type: [ReferralRef],
    description: 'Referrals waiting for the caller or for the offices the caller works in',
    authScopes: auth,
    resolve: (_root, _args, ctx) => listIncomingReferrals(ctx.db, ctx.actor!),
  }),
  targetAreas: t.field({
    type: [TargetAreaRef],
    authScopes: auth,
    resolve: (_root, _args, ctx) =>
      ctx.db.query<{ code: string; label: string; siussAreaUtenza: string | null; source: string }>(
        `SELECT code, label, siuss_area_utenza AS "siussAreaUtenza", source FROM target_area ORDER BY code`,
      ),
  }),
  problemCodes: t.field({
    type: [ProblemCodeRef],
    authScopes: auth,
    resolve: (_root, _args, ctx) =>
      ctx.db.query<{ scheme: string; code: string; label: string; source: string }>(
        'SELECT scheme, code, label, source FROM problem_code WHERE active ORDER BY scheme, code',
      ),
  }),
}));

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

builder.mutationFields((t) => ({
  startIntakeEvaluation: t.field({
    type: EvaluationRef,
    description: 'Takes a proposed intake record into evaluation (idempotent)',
    authScopes: auth,
    args: { intakeRecordId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => startEvaluation(ctx.db, ctx.actor!, String(args.intakeRecordId)),
  }),
  rejectIntakeRecord: t.field({
    type: EvaluationRef,
    description:
      'Rejects a proposal with its reason. Refused: REJECTION_NOT_ALLOWED (judicial authority).',
    authScopes: auth,
    args: {
      intakeRecordId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: RejectInput, required: true }),
    },
    resolve: (_root, { intakeRecordId, input }, ctx) =>
      rejectIntakeRecord(ctx.db, ctx.actor!, String(intakeRecordId), withoutNulls(input)),
  }),
  openCaseFile: t.field({
    type: OpenedRef,
    description:
      'Opens the case file from a proposed intake record, with the first interview and the target area. Refused: CASE_ALREADY_OPEN.',
    authScopes: auth,
    args: {
      intakeRecordId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: OpenInput, required: true }),
    },
    resolve: async (_root, { intakeRecordId, input }, ctx) => {
      const opened = await openCaseFile(
        ctx.db,
        ctx.actor!,
        String(intakeRecordId),
        withoutNulls(input),
      );
      return { ...opened, caseFile: await getCaseFile(ctx.db, ctx.actor!, opened.caseFileId) };
    },
  }),
  attachIntakeRecord: t.field({
    type: OpenedRef,
    description: "Attaches a proposed intake record to the person's open case file",
    authScopes: auth,
    args: {
      intakeRecordId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: AttachInput }),
    },
    resolve: async (_root, { intakeRecordId, input }, ctx) => {
      const attached = await attachIntakeRecord(ctx.db, ctx.actor!, String(intakeRecordId), {
        caseFileId: str(input?.caseFileId),
        note: input?.note ?? undefined,
      });
      return {
        ...attached,
        firstInterviewId: null,
        caseFile: await getCaseFile(ctx.db, ctx.actor!, attached.caseFileId),
      };
    },
  }),
  changeCaseStatus: t.field({
    type: SummaryRef,
    description: 'Refused: INVALID_STATUS_TRANSITION, CASE_ALREADY_OPEN (reopening), FORBIDDEN.',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ChangeStatusInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      changeCaseStatus(ctx.db, ctx.actor!, String(caseFileId), withoutNulls(input)),
  }),
  transferCaseFile: t.field({
    type: SummaryRef,
    description: 'Sends the case file to another office (PROPOSED there)',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: TransferInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      transferCaseFile(ctx.db, ctx.actor!, String(caseFileId), {
        ...withoutNulls(input),
        toOfficeId: String(input.toOfficeId),
      }),
  }),
  changeCaseSector: t.field({
    type: SummaryRef,
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      sector: t.arg.string({ required: true }),
      reason: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      changeCaseSector(ctx.db, ctx.actor!, String(args.caseFileId), {
        sector: args.sector,
        reason: args.reason ?? undefined,
      }),
  }),
  setCaseTargetArea: t.field({
    type: SummaryRef,
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      targetAreaCode: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      setTargetArea(ctx.db, ctx.actor!, String(args.caseFileId), {
        targetAreaCode: args.targetAreaCode,
      }),
  }),
  enableCaseOperator: t.field({
    type: [OperatorRef],
    description: "Enables an operator on the case file: the owning office's coordinator only",
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: EnableOperatorInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      enableCaseOperator(ctx.db, ctx.actor!, String(caseFileId), {
        ...withoutNulls(input),
        operatorId: String(input.operatorId),
      }),
  }),
  disableCaseOperator: t.field({
    type: [OperatorRef],
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      operatorId: t.arg({ type: 'UUID', required: true }),
    },
    resolve: (_root, args, ctx) =>
      disableCaseOperatorOnCase(
        ctx.db,
        ctx.actor!,
        String(args.caseFileId),
        String(args.operatorId),
      ),
  }),
  grantCaseOrganizationAccess: t.field({
    type: 'ID',
    description:
      'Lets a partner organisation read the case file (its clients need scope cases:read)',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: GrantInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      grantOrganizationAccess(ctx.db, ctx.actor!, String(caseFileId), {
        ...withoutNulls(input),
        organizationId: String(input.organizationId),
      }),
  }),
  revokeCaseOrganizationAccess: t.field({
    type: 'Boolean',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      grantId: t.arg({ type: 'UUID', required: true }),
    },
    resolve: async (_root, args, ctx) => {
      await revokeOrganizationAccessOnCase(
        ctx.db,
        ctx.actor!,
        String(args.caseFileId),
        String(args.grantId),
      );
      return true;
    },
  }),
  addCaseResource: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ResourceInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addResource(ctx.db, ctx.actor!, String(caseFileId), {
        ...withoutNulls(input),
        personId: str(input.personId),
      }),
  }),
  removeCaseResource: t.field({
    type: 'Boolean',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      resourceId: t.arg({ type: 'UUID', required: true }),
    },
    resolve: async (_root, args, ctx) => {
      await removeCaseResource(
        ctx.db,
        ctx.actor!,
        String(args.caseFileId),
        String(args.resourceId),
      );
      return true;
    },
  }),
  recordSocialData: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: SocialDataInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      recordSocialData(ctx.db, ctx.actor!, String(caseFileId), withoutNulls(input)),
  }),
  addInvalidity: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: InvalidityInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addInvalidity(ctx.db, ctx.actor!, String(caseFileId), withoutNulls(input) as never),
  }),
  addDisability: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: DisabilityInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addDisability(ctx.db, ctx.actor!, String(caseFileId), withoutNulls(input) as never),
  }),
  addCourtMeasure: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: CourtMeasureInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addCourtMeasure(ctx.db, ctx.actor!, String(caseFileId), withoutNulls(input)),
  }),
  addCaseNote: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      text: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      addCaseNote(ctx.db, ctx.actor!, String(args.caseFileId), { text: args.text }),
  }),
  addSchoolRecord: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: SchoolInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addSchoolRecord(ctx.db, ctx.actor!, String(caseFileId), withoutNulls(input)),
  }),
  addIsee: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: IseeInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addIsee(ctx.db, ctx.actor!, String(caseFileId), withoutNulls(input)),
  }),
  uploadCaseDocument: t.field({
    type: DocumentRef,
    description:
      'PDF, PNG, JPEG, ODT, DOCX or TXT, checked by content. Refused: FORBIDDEN_FILE_TYPE, FILE_TOO_LARGE.',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: UploadInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) => {
      const { contentBase64, ...rest } = withoutNulls(input);
      return uploadDocument(ctx.db, ctx.actor!, String(caseFileId), {
        ...rest,
        content: decodeBase64(contentBase64),
      });
    },
  }),
  addCaseDiaryEntry: t.field({
    type: DiaryEntryRef,
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: DiaryInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addDiaryEntry(ctx.db, ctx.actor!, String(caseFileId), input),
  }),
  recordProfessionalActivity: t.field({
    type: ActivityResultRef,
    description: 'An interview, home visit, meeting or triage, with the problems it found',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ActivityInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      recordActivity(ctx.db, ctx.actor!, String(caseFileId), {
        ...withoutNulls(input),
        operatorIds: (input.operatorIds ?? []).map(String),
      }),
  }),
  createReferral: t.field({
    type: ReferralRef,
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ReferralInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      createReferral(ctx.db, ctx.actor!, String(caseFileId), {
        ...withoutNulls(input),
        toOfficeId: str(input.toOfficeId),
        toOperatorId: str(input.toOperatorId),
        toOrganizationId: str(input.toOrganizationId),
      }),
  }),
  answerReferral: t.field({
    type: ReferralRef,
    description: 'The receiver accepts (and is enabled on the case) or declines',
    authScopes: auth,
    args: {
      referralId: t.arg({ type: 'UUID', required: true }),
      accept: t.arg.boolean({ required: true }),
      note: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      answerReferral(ctx.db, ctx.actor!, String(args.referralId), {
        accept: args.accept,
        note: args.note ?? undefined,
      }),
  }),
  createIndividualProject: t.field({
    type: 'ID',
    authScopes: auth,
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ProjectInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      createProject(ctx.db, ctx.actor!, String(caseFileId), {
        ...withoutNulls(input),
        responsibleOperatorId: str(input.responsibleOperatorId),
      }),
  }),
}));
