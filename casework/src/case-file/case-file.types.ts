import { z } from 'zod';
import type { AccessKind } from '../intake/intake.types.ts';
import type { Assessment } from './assessment/assessment.types.ts';
import { SINA_CODE_LISTS, SINBA_CODE_LISTS } from './assessment/siuss-schema.ts';
import type { CarePlan, ResidentialPlacement } from './care-plan/care-plan.types.ts';
import type {
  DiaryEntry,
  IndividualProject,
  ProfessionalActivity,
  Referral,
} from './dossier/dossier.types.ts';

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

export const CASE_STATUSES = [
  'PROPOSED',
  'UNDER_EVALUATION',
  'IN_CARE',
  'SUSPENDED',
  'CLOSED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * Allowed status changes. A case file reaches PROPOSED only by a change of office (the
 * receiving office then evaluates it); CLOSED → IN_CARE reopens it (SISO's RIAPERTO).
 */
export const STATUS_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  PROPOSED: ['UNDER_EVALUATION', 'CLOSED'],
  UNDER_EVALUATION: ['IN_CARE', 'CLOSED'],
  IN_CARE: ['SUSPENDED', 'CLOSED'],
  SUSPENDED: ['IN_CARE', 'CLOSED'],
  CLOSED: ['IN_CARE'],
};
/** Statuses a case file can be sent to another office from. */
export const TRANSFERABLE_STATUSES: readonly CaseStatus[] = ['PROPOSED', 'IN_CARE', 'SUSPENDED'];
/** Status changes that need a reason. */
export const REASON_REQUIRED: readonly CaseStatus[] = ['SUSPENDED', 'CLOSED'];

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

// ---------------------------------------------------------------------------------------------
// Code lists of the case file's sections
// ---------------------------------------------------------------------------------------------

const codes = (list: readonly { code: string }[]) =>
  list.map((c) => c.code) as [string, ...string[]];

/** Work: SINBA.xsd OccupazioneType (the intake record uses the same list). */
export const WORK_CODES = SINBA_CODE_LISTS.OccupazioneType;
/** Education: SINBA.xsd TitoloStudioType. */
export const EDUCATION_CODES = SINBA_CODE_LISTS.TitoloStudioType;
/** Housing: no official list was found; ours, kept short. */
export const HOUSING_CODES = [
  { code: 'OWNED', label: 'abitazione di proprietà' },
  { code: 'RENTED', label: 'abitazione in affitto' },
  { code: 'SOCIAL_HOUSING', label: 'edilizia residenziale pubblica' },
  { code: 'GUEST', label: 'ospite presso parenti o conoscenti' },
  { code: 'SHELTER', label: 'dormitorio o accoglienza temporanea' },
  { code: 'INSTITUTION', label: 'struttura residenziale' },
  { code: 'NO_FIXED_ABODE', label: 'senza fissa dimora' },
  { code: 'OTHER', label: 'altra sistemazione' },
] as const;
export const SOCIAL_DATA_CODES = {
  WORK: WORK_CODES,
  HOUSING: HOUSING_CODES,
  EDUCATION: EDUCATION_CODES,
} as const;

/** Invalidity: SINA.xsd InvCivType (the certification) and FonteDerivazioneInvaliditaType. */
export const INVALIDITY_CERTIFICATION_CODES = SINA_CODE_LISTS.InvCivType;
export const INVALIDITY_EVIDENCE_CODES = SINA_CODE_LISTS.FonteDerivazioneInvaliditaType;
/** Disability: SINBA.xsd TipoDisabilitaType. */
export const DISABILITY_TYPE_CODES = SINBA_CODE_LISTS.TipoDisabilitaType;

/**
 * The code lists the case file's forms choose from (social data by domain, invalidity,
 * disability): the same lists the service checks against, so a form offers no code it refuses.
 */
export const CASE_CODE_LISTS = {
  work: WORK_CODES,
  housing: HOUSING_CODES,
  education: EDUCATION_CODES,
  invalidityCertification: INVALIDITY_CERTIFICATION_CODES,
  invalidityEvidence: INVALIDITY_EVIDENCE_CODES,
  disabilityType: DISABILITY_TYPE_CODES,
} as const;

export const SOCIAL_DOMAINS = ['WORK', 'HOUSING', 'EDUCATION'] as const;
export type SocialDomain = (typeof SOCIAL_DOMAINS)[number];
export const RELIABILITIES = ['REPORTED', 'VERIFIED'] as const;
export type Reliability = (typeof RELIABILITIES)[number];
export const SOCIAL_DATA_SOURCES = [
  'INTAKE',
  'INTERVIEW',
  'DOCUMENT',
  'REGISTRY',
  'OTHER',
] as const;

export const OPERATOR_TYPES = [
  'SOCIAL_WORKER',
  'EDUCATOR',
  'WORK_EDUCATOR',
  'PSYCHOLOGIST',
  'OTHER',
] as const;
export type OperatorType = (typeof OPERATOR_TYPES)[number];

export const REJECTION_REASONS = [
  'USER_REFUSED',
  'NOT_NECESSARY',
  'NOT_TRUTHFUL',
  'NOT_COMPETENT',
  'OTHER',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Court bodies (SISO struttura_tribunale). */
export const COURT_BODIES = [
  'TMCivile',
  'TMAmministrativo',
  'penaleMinorile',
  'TO',
  'NIS',
  'procuraMinorile',
  'procuraOrdinaria',
  'corteAppello',
] as const;

/** ISEE types (SISO tipo_isee). */
export const ISEE_TYPES = [
  'ORDINARIO',
  'UNIVERSITARIO',
  'SOCIOSAN',
  'SOCIOSANRES',
  'MINORENNI',
  'CORRENTE',
] as const;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const text = (max: number) =>
  z.string().trim().min(1, 'campo obbligatorio').max(max, `al massimo ${max} caratteri`);
const optText = (max: number) => text(max).nullish();

export const problemRefInput = z
  .object({ scheme: text(40), code: text(40), notes: optText(2000) })
  .strict();

export const firstInterviewInput = z
  .object({
    on: isoDate,
    place: optText(200),
    withWhom: optText(200),
    summary: text(20000),
    durationMinutes: z.number().int().positive().max(1440).nullish(),
    /** Problems found in this interview. */
    problems: z.array(problemRefInput).max(50).default([]),
  })
  .strict();

export const rejectIntakeInput = z
  .object({
    reasonCode: z.enum(REJECTION_REASONS),
    reason: text(2000),
    interview: z
      .object({ on: isoDate, notes: text(20000) })
      .strict()
      .nullish(),
  })
  .strict();
export type RejectIntakeInput = z.input<typeof rejectIntakeInput>;

export const openCaseFileInput = z
  .object({
    targetAreaCode: text(20),
    sector: optText(120),
    openedOn: isoDate.nullish(),
    firstInterview: firstInterviewInput,
  })
  .strict();
export type OpenCaseFileInput = z.input<typeof openCaseFileInput>;

export const attachIntakeInput = z
  .object({ caseFileId: z.uuid().nullish(), note: optText(2000) })
  .strict();
export type AttachIntakeInput = z.input<typeof attachIntakeInput>;

export const changeStatusInput = z
  .object({ to: z.enum(CASE_STATUSES), reason: optText(2000), on: isoDate.nullish() })
  .strict();
export type ChangeStatusInput = z.input<typeof changeStatusInput>;

export const transferInput = z
  .object({ toOfficeId: z.uuid(), sector: optText(120), reason: text(2000), on: isoDate.nullish() })
  .strict();
export type TransferInput = z.input<typeof transferInput>;

export const changeSectorInput = z.object({ sector: text(120), reason: optText(2000) }).strict();
export type ChangeSectorInput = z.input<typeof changeSectorInput>;

export const enableOperatorInput = z
  .object({
    operatorId: z.uuid(),
    operatorType: z.enum(OPERATOR_TYPES),
    responsible: z.boolean().default(false),
    from: isoDate.nullish(),
  })
  .strict();
export type EnableOperatorInput = z.input<typeof enableOperatorInput>;

export const grantOrganizationInput = z
  .object({
    organizationId: z.uuid(),
    reason: text(500),
    validFrom: isoDate.nullish(),
    validTo: isoDate.nullish(),
  })
  .strict();
export type GrantOrganizationInput = z.input<typeof grantOrganizationInput>;

export const resourceInput = z
  .object({
    kind: z.enum(['FAMILY', 'ACQUAINTANCE']),
    relationship: text(60),
    name: text(200),
    personId: z.uuid().nullish(),
    cohabiting: z.boolean().default(false),
    caregiver: z.boolean().default(false),
    phone: optText(40),
    notes: optText(2000),
  })
  .strict();
export type ResourceInput = z.input<typeof resourceInput>;

export const socialDataInput = z
  .object({
    domain: z.enum(SOCIAL_DOMAINS),
    code: text(20),
    description: optText(2000),
    reliability: z.enum(RELIABILITIES),
    source: z.enum(SOCIAL_DATA_SOURCES),
    recordedOn: isoDate.nullish(),
  })
  .strict();
export type SocialDataInput = z.input<typeof socialDataInput>;

export const invalidityInput = z
  .object({
    certification: z.enum(codes(INVALIDITY_CERTIFICATION_CODES), {
      error: 'codice InvCivType (1–8)',
    }),
    percentage: z.number().int().min(0).max(100).nullish(),
    recognizedOn: isoDate.nullish(),
    evidence: z.enum(codes(INVALIDITY_EVIDENCE_CODES), {
      error: 'FonteDerivazioneInvalidita: 1 certificazione, 2 dichiarazione',
    }),
    notes: optText(2000),
  })
  .strict();
export type InvalidityInput = z.input<typeof invalidityInput>;

export const disabilityInput = z
  .object({
    disabilityType: z.enum(codes(DISABILITY_TYPE_CODES), { error: 'codice TipoDisabilita (1–4)' }),
    description: optText(2000),
    recognizedOn: isoDate.nullish(),
    law104Severe: z.boolean().default(false),
    notes: optText(2000),
  })
  .strict();
export type DisabilityInput = z.input<typeof disabilityInput>;

export const courtMeasureInput = z
  .object({
    courtBody: z.enum(COURT_BODIES),
    authority: z.enum(codes(SINBA_CODE_LISTS.AutoritaProvvedimentoType)).nullish(),
    measureType: z.enum(codes(SINBA_CODE_LISTS.TipoProvvedimentoGiudiziarioType)).nullish(),
    parentalMeasure: z.enum(codes(SINBA_CODE_LISTS.PotestaTutelaType)).nullish(),
    measureOn: isoDate,
    reference: optText(100),
    description: optText(4000),
    endedOn: isoDate.nullish(),
  })
  .strict();
export type CourtMeasureInput = z.input<typeof courtMeasureInput>;

export const noteInput = z.object({ text: text(20000) }).strict();

export const schoolInput = z
  .object({
    schoolYear: z.string().regex(/^\d{4}\/\d{4}$/, 'anno scolastico AAAA/AAAA'),
    schoolType: z.enum(codes(SINBA_CODE_LISTS.ScuolaFrequentataType)),
    schoolName: optText(200),
    className: optText(40),
    supportTeacher: z.boolean().default(false),
    notes: optText(2000),
  })
  .strict();
export type SchoolInput = z.input<typeof schoolInput>;

export const iseeInput = z
  .object({
    iseeType: z.enum(ISEE_TYPES),
    iseeValue: z.number().min(0).max(10_000_000),
    iseValue: z.number().min(0).max(100_000_000).nullish(),
    dsuProtocol: optText(40),
    dsuOn: isoDate.nullish(),
    validFrom: isoDate,
    validTo: isoDate,
  })
  .strict();
export type IseeInput = z.input<typeof iseeInput>;

export const targetAreaInput = z.object({ targetAreaCode: text(20) }).strict();

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

export type IntakeEvaluationStatus = 'UNDER_EVALUATION' | 'REJECTED' | 'CASE_OPENED' | 'ATTACHED';

export type ProposedIntakeRecord = {
  intakeRecordId: string;
  number: number;
  occurredAt: Date;
  accessKind: AccessKind;
  subjectPersonId: string | null;
  organizationId: string;
  proposedOfficeId: string;
  summary: string | null;
  evaluationStatus: IntakeEvaluationStatus | null;
  /** For a judicial proposal: the day by which it must be decided (judicial-deadline.service.ts). */
  decisionDueOn: string | null;
  /** The subject's open case file in the proposed office, if any (attach instead of opening). */
  openCaseFileId: string | null;
};

export type IntakeEvaluation = {
  intakeRecordId: string;
  officeId: string;
  status: IntakeEvaluationStatus;
  startedBy: string | null;
  startedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectionReasonCode: RejectionReason | null;
  rejectionReason: string | null;
  interviewOn: string | null;
  interviewNotes: string | null;
  caseFileId: string | null;
};

export type CaseFileSummary = {
  id: string;
  personId: string;
  organizationId: string;
  organizationName: string;
  officeId: string;
  officeName: string;
  sector: string | null;
  targetAreaCode: string | null;
  status: CaseStatus;
  openedOn: string;
  closedOn: string | null;
  updatedAt: Date;
};

/** The person's view across offices: that a case file exists, never what it holds. */
export type CaseFileExistence = Pick<
  CaseFileSummary,
  | 'id'
  | 'organizationId'
  | 'organizationName'
  | 'officeId'
  | 'officeName'
  | 'status'
  | 'openedOn'
  | 'closedOn'
> & {
  /** Whether the actor may open it. */
  accessible: boolean;
};

export type StatusChange = {
  id: number;
  kind: 'OPENED' | 'STATUS' | 'SECTOR' | 'OFFICE';
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  fromOfficeId: string | null;
  toOfficeId: string;
  fromSector: string | null;
  toSector: string | null;
  reason: string | null;
  changedOn: string;
  changedBy: string | null;
  changedAt: Date;
};

export type CaseOperator = {
  id: string;
  operatorId: string;
  fullName: string;
  operatorType: OperatorType;
  responsible: boolean;
  enabledFrom: string;
  enabledBy: string | null;
  enabledAt: Date;
  disabledAt: Date | null;
};

export type OrganizationAccess = {
  id: string;
  organizationId: string;
  reason: string;
  validFrom: string;
  validTo: string | null;
  grantedAt: Date;
  revokedAt: Date | null;
};

export type CaseResource = {
  id: string;
  kind: 'FAMILY' | 'ACQUAINTANCE';
  relationship: string;
  name: string;
  personId: string | null;
  cohabiting: boolean;
  caregiver: boolean;
  phone: string | null;
  notes: string | null;
  createdAt: Date;
};

export type SocialDataRecord = {
  id: string;
  domain: SocialDomain;
  code: string;
  label: string | null;
  description: string | null;
  reliability: Reliability;
  source: (typeof SOCIAL_DATA_SOURCES)[number];
  recordedOn: string;
  recordedBy: string | null;
  createdAt: Date;
};

export type Invalidity = {
  id: string;
  certification: string;
  percentage: number | null;
  recognizedOn: string | null;
  evidence: string;
  notes: string | null;
  createdAt: Date;
};

export type Disability = {
  id: string;
  disabilityType: string;
  description: string | null;
  recognizedOn: string | null;
  law104Severe: boolean;
  notes: string | null;
  createdAt: Date;
};

export type CourtMeasure = {
  id: string;
  courtBody: (typeof COURT_BODIES)[number];
  authority: string | null;
  measureType: string | null;
  parentalMeasure: string | null;
  measureOn: string;
  reference: string | null;
  description: string | null;
  endedOn: string | null;
  createdAt: Date;
};

export type CaseProblem = {
  id: string;
  scheme: string;
  code: string;
  label: string;
  activityId: string;
  notes: string | null;
  recordedOn: string;
  resolvedOn: string | null;
};

export type CaseNote = { id: string; text: string; authorId: string | null; createdAt: Date };

export type SchoolRecord = {
  id: string;
  schoolYear: string;
  schoolType: string;
  schoolName: string | null;
  className: string | null;
  supportTeacher: boolean;
  notes: string | null;
  createdAt: Date;
};

export type IseeRecord = {
  id: string;
  iseeType: (typeof ISEE_TYPES)[number];
  iseeValue: number;
  iseValue: number | null;
  dsuProtocol: string | null;
  dsuOn: string | null;
  validFrom: string;
  validTo: string;
  createdAt: Date;
  /** Typed by an operator, or read from INPS (with INPS's request id and when it was read). */
  source: 'TYPED' | 'INPS';
  inpsRequestId: number | null;
  retrievedAt: Date | null;
};

export type CaseDocumentMeta = {
  id: string;
  subfolder: number;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  description: string | null;
  uploadedBy: string | null;
  uploadedAt: Date;
};

export type LinkedIntake = {
  intakeRecordId: string;
  linkKind: 'OPENED' | 'ATTACHED';
  linkedAt: Date;
};

/** The legal basis of a case file and its consent state (case-file-consent.service.ts). */
export type CaseLegalBasis = 'JUDICIAL_MANDATE' | 'CONSENT';
export type CaseConsentStatus = 'GIVEN' | 'DENIED' | 'WITHDRAWN' | 'NOT_RECORDED';

export type CaseFileConsent = {
  caseFileId: string;
  /** Null at a desk that masks judicial data (it would tell of a judicial mandate). */
  legalBasis: CaseLegalBasis | null;
  status: CaseConsentStatus;
  /** "Consenso revocato": the latest decision is a denial or a withdrawal. */
  consentWithdrawn: boolean;
  /** Whether new care plans and interventions may start; null where legalBasis is masked. */
  newInterventionsAllowed: boolean | null;
  /** What the operator reads, in Italian. */
  label: string;
  consentId: string | null;
  givenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE' | null;
  representativeName: string | null;
  decidedOn: string | null;
  recordedBy: string | null;
  recordedAt: Date | null;
};

/** The whole case file: header, access list, sections, dossier and care plans. */
export type CaseFile = CaseFileSummary & {
  targetAreaLabel: string | null;
  closureReason: string | null;
  statusHistory: StatusChange[];
  operators: CaseOperator[];
  organizationAccess: OrganizationAccess[];
  intakeRecords: LinkedIntake[];
  resources: CaseResource[];
  socialData: SocialDataRecord[];
  invalidities: Invalidity[];
  disabilities: Disability[];
  courtMeasures: CourtMeasure[];
  problems: CaseProblem[];
  notes: CaseNote[];
  school: SchoolRecord[];
  isee: IseeRecord[];
  documents: CaseDocumentMeta[];
  /** The latest entries (CASE_FILE_DIARY_LIMIT); older ones through listDiaryEntries. */
  diary: DiaryEntry[];
  activities: ProfessionalActivity[];
  referrals: Referral[];
  assessments: Assessment[];
  projects: IndividualProject[];
  carePlans: CarePlan[];
  placements: ResidentialPlacement[];
  /** The person's latest consent decision towards the case's organisation (rule 1). */
  consent: CaseFileConsent;
  /** Sections removed because the actor's desk profile masks their group. */
  maskedFields: string[];
};
