import { z } from 'zod';
import { SENSITIVE_GROUPS, type SensitiveGroup } from '../access/actor.ts';
import { FIELD_SOURCES } from '../persons/person.types.ts';

/**
 * Kinds of access (seed 003, 1.2), each with its consent rule (intake.rules.ts). SISO has no
 * such list (its udc_motivo_accesso is the reason: decree, sent by, spontaneous, summoned).
 */
export const ACCESS_KINDS = [
  'JUDICIAL_AUTHORITY',
  'PUBLIC_OFFICIAL',
  'CITIZEN',
  'LEGAL_REPRESENTATIVE',
  'GENERIC_REPORTER',
  'CRIME_OR_RISK_REPORT',
  'ANONYMOUS',
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** SISO udc_modalita_accesso: PERSONA, SEGN_TELEFONIVA, EMAIL, SEGN_SCRITTA, DOMICILIO, ALTRA_DISTANZA. */
export const CHANNELS = [
  'IN_PERSON',
  'PHONE',
  'EMAIL',
  'WRITTEN_REPORT',
  'HOME_VISIT',
  'OTHER_REMOTE',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** SISO udc_motivo_accesso: MOTIVO_DECRETO, MOTIVO_INVIATO_DA, MOTIVO_SPONTANEO, MOTIVO_CONVOCATO. */
export const ACCESS_REASONS = ['DECREE', 'SENT_BY', 'SPONTANEOUS', 'SUMMONED'] as const;
export type AccessReason = (typeof ACCESS_REASONS)[number];

/**
 * SISO udc_interlocutori (ATTIVITA_GIUDIZIARIA, UTENTE, PARENTE_O_CONOSCENTE, ORGANIZZAZIONE,
 * ISTITUZIONALE, ALTRO_SOGGETTO) plus the legal representative that seed 003 names.
 */
export const INTERLOCUTOR_KINDS = [
  'JUDICIAL_AUTHORITY',
  'SUBJECT',
  'RELATIVE_OR_ACQUAINTANCE',
  'ORGANIZATION',
  'INSTITUTIONAL',
  'LEGAL_REPRESENTATIVE',
  'OTHER',
] as const;
export type InterlocutorKind = (typeof INTERLOCUTOR_KINDS)[number];

export const REFERENCE_RELATIONSHIPS = ['RELATIVE', 'ACQUAINTANCE', 'CAREGIVER', 'OTHER'] as const;

/**
 * Closing outcomes (tipo intervento). Seed 003 names information, proposal of taking into care
 * and the report to the judicial authority; the SISO UDC custom interventions
 * (tipi_intervento_custom_udc: intermediazione abitativa 79, orientamento lavoro 80, mediazione
 * culturale 81, orientamento istruzione/formazione 82, invio a organizzazione esterna 176, invio
 * altro ufficio 177) give the others.
 */
export const OUTCOMES = [
  'INFORMATION_GIVEN',
  'REFERRAL',
  'REFERRAL_EXTERNAL_ORGANIZATION',
  'HOUSING_MEDIATION',
  'JOB_ORIENTATION',
  'CULTURAL_MEDIATION',
  'EDUCATION_ORIENTATION',
  'PROPOSAL_TAKE_INTO_CARE',
  'REPORT_TO_JUDICIAL_AUTHORITY',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  INFORMATION_GIVEN: 'Informazioni fornite',
  REFERRAL: 'Invio ad altro ufficio o servizio',
  REFERRAL_EXTERNAL_ORGANIZATION: 'Invio a organizzazione esterna',
  HOUSING_MEDIATION: 'Intermediazione abitativa',
  JOB_ORIENTATION: 'Orientamento e inserimento lavorativo',
  CULTURAL_MEDIATION: 'Mediazione culturale',
  EDUCATION_ORIENTATION: "Orientamento all'istruzione e formazione",
  PROPOSAL_TAKE_INTO_CARE: 'Proposta di presa in carico',
  REPORT_TO_JUDICIAL_AUTHORITY: "Segnalazione all'Autorità Giudiziaria",
};

export const ACCESS_KIND_LABELS: Record<AccessKind, string> = {
  JUDICIAL_AUTHORITY: 'Segnalazione da parte di Autorità Giudiziaria',
  PUBLIC_OFFICIAL: 'Segnalazione da parte di pubblico ufficiale',
  CITIZEN: 'Accesso da parte di utente in stato di necessità',
  LEGAL_REPRESENTATIVE: 'Accesso da parte del legale rappresentante',
  GENERIC_REPORTER: 'Accesso da parte di segnalante generico non istituzionale',
  CRIME_OR_RISK_REPORT: 'Notizia di reato, presunto rischio o pericolo',
  ANONYMOUS: 'Colloquio anonimo',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  IN_PERSON: 'Di persona',
  PHONE: 'Segnalazione telefonica',
  EMAIL: 'e-mail',
  WRITTEN_REPORT: 'Segnalazione scritta',
  HOME_VISIT: 'Rilevato a domicilio',
  OTHER_REMOTE: 'Altra modalità a distanza',
};

/** OPEN and SENT records can be edited; the others are closed for the front desk. */
export const STATUSES = [
  'OPEN',
  'SENT',
  'PROPOSED',
  'CLOSED',
  'TAKEN_INTO_CARE',
  'REJECTED',
] as const;
export type IntakeStatus = (typeof STATUSES)[number];
export const EDITABLE_STATUSES: readonly IntakeStatus[] = ['OPEN', 'SENT'];

export const STATUS_LABELS: Record<IntakeStatus, string> = {
  OPEN: 'Aperta',
  SENT: 'Inviata ad altro sportello',
  PROPOSED: 'Proposta per la presa in carico',
  CLOSED: 'Chiusa',
  TAKEN_INTO_CARE: 'Presa in carico',
  REJECTED: 'Respinta',
};

/** SISO StatiRichiesta (INVIATA, ACCETTATA, RIFIUTATA) around a first REQUESTED state. */
export const SERVICE_STATES = [
  'REQUESTED',
  'FORWARDED',
  'ACCEPTED',
  'REJECTED',
  'WITHDRAWN',
] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const DIARY_KINDS = [
  'NOTE',
  'INTERVIEW',
  'PHONE_CALL',
  'STATUS_CHANGE',
  'TRANSFER',
] as const;
export type DiaryKind = (typeof DIARY_KINDS)[number];

export type LegalBasis = 'CONSENT' | 'JUDICIAL_MANDATE' | 'LEGAL_OBLIGATION' | 'NONE';
export type ConsentStatus = 'GIVEN' | 'DENIED' | 'WITHDRAWN';

/** SINBA OccupazioneType (inps_sinba_enums.csv), used for the subject's work condition. */
export const WORK_CONDITIONS: Record<string, string> = {
  '1': 'occupato',
  '2': 'disoccupato alla ricerca di nuova occupazione',
  '3': 'in cerca di prima occupazione',
  '4': 'casalinga/o',
  '5': 'studente',
  '6': 'ritirato/a dal lavoro',
  '7': 'inabile al lavoro',
  '8': 'in altra condizione',
};

/** Fields of each sensitive group, as paths in IntakeRecord (the names in maskedFields). */
export const SENSITIVE_FIELDS: Record<SensitiveGroup, string[]> = {
  HEALTH: ['social.healthNotes'],
  JUDICIAL: ['social.judicialNotes', 'social.judicialMeasureRef'],
  PERMIT: ['foreignCitizen.permitType', 'foreignCitizen.permitExpiry'],
  ECONOMIC: ['social.economicNotes'],
};

export type IntakeInterlocutor = {
  kind: InterlocutorKind;
  personId: string | null;
  name: string | null;
  organization: string | null;
  role: string | null;
  contact: string | null;
  entitled: boolean;
  /** The document that proves the title (decree, mandate), who attested it and when. */
  titleDocument: string | null;
  titleAttestedBy: string | null;
  titleAttestedAt: Date | null;
};

/** Rule 3's exception: the judge's order that makes an intervention due without consent. */
export type IntakeJudicialOrder = { reference: string; serviceCodes: string[] };

/** Who the record is about, as the front desk sees them (no address or contacts here). */
export type IntakeSubject = {
  personId: string;
  taxCode: string | null;
  firstName: string | null;
  lastName: string | null;
  alias: string | null;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  citizenship: string | null;
  residenceMunicipality: string | null;
};

export type IntakeReferencePerson = {
  id: string;
  relationship: (typeof REFERENCE_RELATIONSHIPS)[number];
  personId: string | null;
  fullName: string;
  phone: string | null;
  email: string | null;
  notes: string | null;
};

export type IntakeSocialData = {
  householdSize: number | null;
  familyNotes: string | null;
  workConditionCode: string | null;
  workNotes: string | null;
  homeless: boolean | null;
  housingNotes: string | null;
  contactsNotes: string | null;
  /** HEALTH */
  healthNotes: string | null;
  /** JUDICIAL */
  judicialNotes: string | null;
  /** JUDICIAL: the reference of the court measure */
  judicialMeasureRef: string | null;
  /** ECONOMIC */
  economicNotes: string | null;
};

export type IntakeForeignCitizen = {
  citizenship: string | null;
  /** PERMIT */
  permitType: string | null;
  /** PERMIT */
  permitExpiry: string | null;
};

export type IntakeNeed = {
  code: string;
  label: string;
  notes: string | null;
  /** HEALTH for dipendenze (ADD), disabili (DIS) and their refinements: masked with the group. */
  sensitiveGroup: SensitiveGroup | null;
};

export type IntakeAttachment = {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string | null;
  storageKey: string | null;
  uploadedAt: Date;
};

export type IntakeServiceRequest = {
  id: string;
  code: string;
  title: string;
  scheme: string;
  state: ServiceState;
  workingMinutes: number;
  notes: string | null;
  attachments: IntakeAttachment[];
};

export type IntakeDiaryEntry = {
  id: string;
  at: Date;
  kind: DiaryKind;
  /** null when the entry's sensitive group is masked at the actor's desk. */
  text: string | null;
  sensitiveGroup: SensitiveGroup | null;
  author: string;
};

export type IntakeTransfer = {
  id: string;
  fromContactPointId: string;
  toContactPointId: string;
  note: string | null;
  sentAt: Date;
};

export type IntakeRecord = {
  id: string;
  number: number;
  organizationId: string;
  officeId: string;
  contactPointId: string;
  contactPointName: string;
  occurredAt: Date;
  channel: Channel;
  accessKind: AccessKind;
  accessReason: AccessReason | null;
  sentBy: string | null;
  legalBasis: LegalBasis;
  consentStatus: ConsentStatus | null;
  consentGivenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE' | null;
  interlocutor: IntakeInterlocutor;
  subject: IntakeSubject | null;
  /** Rule 6: what is known of a person at risk whose name is not known. */
  unidentifiedSubject: string | null;
  judicialOrder: IntakeJudicialOrder | null;
  /** Rule 2: the day by which the subject's decision on consent is due (first interview). */
  consentDueOn: string | null;
  subjectAccompanied: boolean | null;
  summary: string | null;
  referencePersons: IntakeReferencePerson[];
  social: IntakeSocialData;
  foreignCitizen: IntakeForeignCitizen;
  needs: IntakeNeed[];
  services: IntakeServiceRequest[];
  status: IntakeStatus;
  outcome: Outcome | null;
  outcomeNotes: string | null;
  closedAt: Date | null;
  proposedOfficeId: string | null;
  duplicatedFromId: string | null;
  diary: IntakeDiaryEntry[];
  transfers: IntakeTransfer[];
  createdAt: Date;
  updatedAt: Date;
  /** Paths of the fields removed because the actor's desk profile masks their group. */
  maskedFields: string[];
};

/** One row of a search result or of the exported list: no sensitive field at all. */
export type IntakeListItem = {
  id: string;
  number: number;
  occurredAt: Date;
  organizationId: string;
  officeId: string;
  contactPointId: string;
  contactPointName: string;
  channel: Channel;
  accessKind: AccessKind;
  interlocutorKind: InterlocutorKind;
  status: IntakeStatus;
  outcome: Outcome | null;
  subjectPersonId: string | null;
  subjectTaxCode: string | null;
  subjectName: string | null;
  needCodes: string[];
  serviceCodes: string[];
};

export type IntakePage = { items: IntakeListItem[]; nextCursor: string | null };

// ---- Inputs -------------------------------------------------------------------------------

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const text = (max: number) => z.string().trim().min(1).max(max).nullish();
const instant = z.coerce.date({ error: 'data e ora non valide' });

export const interlocutorInput = z
  .object({
    kind: z.enum(INTERLOCUTOR_KINDS),
    personId: z.uuid().nullish(),
    name: text(200),
    organization: text(200),
    role: text(200),
    contact: text(200),
    /** The reporter holds a title to request services for the subject. */
    entitled: z.boolean().default(false),
    /** The document that proves it (guardian's decree, mandate): the title is attested, not claimed. */
    titleDocument: text(300),
  })
  .strict();

export const judicialOrderInput = z
  .object({
    reference: z.string().trim().min(3).max(200),
    /** The services the order names: the only ones recorded without consent. */
    serviceCodes: z.array(z.string().trim().min(1).max(40)).min(1).max(20),
  })
  .strict();

export const subjectInput = z
  .object({
    /** An existing person of the registry. */
    personId: z.uuid().nullish(),
    taxCode: z.string().trim().toUpperCase().nullish(),
    firstName: text(100),
    lastName: text(100),
    alias: text(100),
    sex: z.enum(['M', 'F']).nullish(),
    birthDate: isoDate.nullish(),
    birthPlaceCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z][0-9]{3}$/, 'codice catastale (Belfiore) non valido')
      .nullish(),
    citizenship: text(60),
    residenceMunicipality: z
      .string()
      .regex(/^[0-9]{6}$/, 'codice ISTAT di 6 cifre')
      .nullish(),
    residenceAddress: text(200),
    phone: text(40),
    email: z.email({ error: 'indirizzo e-mail non valido' }).nullish(),
    /** Where a field's value came from (the form filled from ANPR); a field not named is TYPED. */
    fieldSources: z
      .array(z.object({ field: z.string().max(40), source: z.enum(FIELD_SOURCES) }).strict())
      .max(20)
      .nullish(),
  })
  .strict();
export type SubjectInput = z.infer<typeof subjectInput>;

export const consentInput = z
  .object({
    status: z.enum(['GIVEN', 'DENIED']),
    givenBy: z.enum(['SUBJECT', 'LEGAL_REPRESENTATIVE']).default('SUBJECT'),
    /** Who decided for the person; default the interlocutor when it is the representative. */
    representativeName: z.string().trim().max(200).nullish(),
    /** Default: the day of the record. */
    decidedOn: isoDate.nullish(),
  })
  .strict();

export const referencePersonInput = z
  .object({
    relationship: z.enum(REFERENCE_RELATIONSHIPS),
    personId: z.uuid().nullish(),
    fullName: z.string().trim().min(1).max(200),
    phone: text(40),
    email: z.email({ error: 'indirizzo e-mail non valido' }).nullish(),
    notes: text(2000),
  })
  .strict();

export const socialInput = z
  .object({
    householdSize: z.number().int().min(1).max(30).nullish(),
    familyNotes: text(4000),
    workConditionCode: z.enum(Object.keys(WORK_CONDITIONS) as [string, ...string[]]).nullish(),
    workNotes: text(4000),
    homeless: z.boolean().nullish(),
    housingNotes: text(4000),
    contactsNotes: text(4000),
    healthNotes: text(4000),
    judicialNotes: text(4000),
    judicialMeasureRef: text(200),
    economicNotes: text(4000),
  })
  .strict();

export const foreignCitizenInput = z
  .object({
    citizenship: text(60),
    permitType: text(120),
    permitExpiry: isoDate.nullish(),
  })
  .strict();

export const attachmentInput = z
  .object({
    fileName: z.string().trim().min(1).max(255),
    mediaType: z.string().trim().min(3).max(120),
    sizeBytes: z.number().int().min(0),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'sha256 esadecimale di 64 caratteri')
      .nullish(),
    storageKey: text(500),
  })
  .strict();

export const serviceRequestInput = z
  .object({
    /** An existing request of this record (update only); absent: a new request. */
    id: z.uuid().nullish(),
    code: z.string().trim().min(1).max(32),
    state: z.enum(SERVICE_STATES).default('REQUESTED'),
    workingMinutes: z.number().int().min(0).max(100_000).default(0),
    notes: text(2000),
    /** New attachments (metadata); existing ones stay. */
    attachments: z.array(attachmentInput).max(50).default([]),
  })
  .strict();

export const needInput = z
  .object({ code: z.string().trim().min(1).max(32), notes: text(2000) })
  .strict();

export const closeInput = z.object({ outcome: z.enum(OUTCOMES), notes: text(4000) }).strict();

export const createIntakeInput = z
  .object({
    /** Default: the desk of the operator's membership, when there is exactly one. */
    contactPointId: z.uuid().nullish(),
    occurredAt: instant,
    channel: z.enum(CHANNELS),
    accessKind: z.enum(ACCESS_KINDS),
    accessReason: z.enum(ACCESS_REASONS).nullish(),
    sentBy: text(200),
    /** Default by kind of access: the subject for citizens and anonymous contacts. */
    interlocutor: interlocutorInput.nullish(),
    subject: subjectInput.nullish(),
    unidentifiedSubject: text(1000),
    judicialOrder: judicialOrderInput.nullish(),
    /** A public official's report: default a month after the report. */
    consentDueOn: isoDate.nullish(),
    subjectAccompanied: z.boolean().nullish(),
    consent: consentInput.nullish(),
    summary: text(8000),
    referencePersons: z.array(referencePersonInput).max(10).default([]),
    social: socialInput.nullish(),
    foreignCitizen: foreignCitizenInput.nullish(),
    needs: z.array(needInput).max(50).default([]),
    services: z.array(serviceRequestInput).max(50).default([]),
    /** Close the record at once (most front-desk contacts end with information). */
    close: closeInput.nullish(),
  })
  .strict();
export type CreateIntakeInput = z.input<typeof createIntakeInput>;
export type CreateIntakeData = z.output<typeof createIntakeInput>;

/** Every key present replaces the record's value; absent keys stay as they are. */
export const updateIntakeInput = z
  .object({
    occurredAt: instant.optional(),
    channel: z.enum(CHANNELS).optional(),
    accessKind: z.enum(ACCESS_KINDS).optional(),
    accessReason: z.enum(ACCESS_REASONS).nullish(),
    sentBy: text(200),
    interlocutor: interlocutorInput.optional(),
    subject: subjectInput.nullish(),
    subjectAccompanied: z.boolean().nullish(),
    consent: consentInput.optional(),
    summary: text(8000),
    referencePersons: z.array(referencePersonInput).max(10).optional(),
    social: socialInput.nullish(),
    foreignCitizen: foreignCitizenInput.nullish(),
    needs: z.array(needInput).max(50).optional(),
    services: z.array(serviceRequestInput).max(50).optional(),
  })
  .strict();
export type UpdateIntakeInput = z.input<typeof updateIntakeInput>;

export const searchIntakeInput = z
  .object({
    from: instant.nullish(),
    /** Exclusive. */
    to: instant.nullish(),
    organizationId: z.uuid().nullish(),
    officeId: z.uuid().nullish(),
    contactPointId: z.uuid().nullish(),
    accessKinds: z.array(z.enum(ACCESS_KINDS)).max(7).nullish(),
    channels: z.array(z.enum(CHANNELS)).max(6).nullish(),
    statuses: z.array(z.enum(STATUSES)).max(6).nullish(),
    outcome: z.enum(OUTCOMES).nullish(),
    needCode: z.string().trim().min(1).max(32).nullish(),
    serviceCode: z.string().trim().min(1).max(32).nullish(),
    subjectTaxCode: z.string().trim().toUpperCase().nullish(),
    subjectPersonId: z.uuid().nullish(),
    /** Prefix of the subject's last name (at least 2 letters). */
    subjectLastName: z.string().trim().min(2).max(100).nullish(),
    /** Records proposed to this office for taking into care. */
    proposedOfficeId: z.uuid().nullish(),
    first: z.number().int().min(1).max(200).default(50),
    after: z.string().max(200).nullish(),
  })
  .strict();
export type SearchIntakeInput = z.input<typeof searchIntakeInput>;
export type SearchIntakeFilter = z.output<typeof searchIntakeInput>;

export const diaryInput = z
  .object({
    kind: z.enum(['NOTE', 'INTERVIEW', 'PHONE_CALL']).default('NOTE'),
    text: z.string().trim().min(1).max(20_000),
    sensitiveGroup: z.enum(SENSITIVE_GROUPS).nullish(),
    /** Default: now. */
    at: instant.nullish(),
  })
  .strict();
export type DiaryInput = z.input<typeof diaryInput>;

export const recordConsentInput = z
  .object({
    status: z.enum(['GIVEN', 'DENIED', 'WITHDRAWN']),
    givenBy: z.enum(['SUBJECT', 'LEGAL_REPRESENTATIVE']).default('SUBJECT'),
    representativeName: z.string().trim().max(200).nullish(),
    decidedOn: isoDate.nullish(),
  })
  .strict();
export type RecordConsentInput = z.input<typeof recordConsentInput>;
