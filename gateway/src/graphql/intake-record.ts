import {
  ACCESS_KINDS,
  ACCESS_REASONS,
  addIntakeDiaryEntry,
  CHANNELS,
  type CreateIntakeInput,
  closeIntakeRecord,
  createIntakeRecord,
  DIARY_KINDS,
  type DiaryInput,
  deleteIntakeRecord,
  duplicateIntakeRecord,
  findIntakeSubjects,
  getIntakeRecord,
  INTERLOCUTOR_KINDS,
  type IntakeAttachment,
  type IntakeDesk,
  type IntakeDiaryEntry,
  type IntakeForeignCitizen,
  type IntakeInterlocutor,
  type IntakeListItem,
  type IntakeNeed,
  type IntakePage,
  type IntakeRecord,
  type IntakeReferencePerson,
  type IntakeServiceRequest,
  type IntakeSocialData,
  type IntakeSubject,
  type IntakeTransfer,
  listIntakeSendTargets,
  OUTCOMES,
  proposeIntakeForCare,
  REFERENCE_RELATIONSHIPS,
  type RecordConsentInput,
  recordIntakeConsent,
  SENSITIVE_GROUPS,
  SERVICE_STATES,
  type SearchIntakeInput,
  STATUSES,
  searchIntakeRecords,
  sendIntakeToDesk,
  type UpdateIntakeInput,
  updateIntakeRecord,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { ConsentGiver as ConsentGivenBy } from './consent.ts';
import { PersonRef } from './person.ts';
// The nomenclator the records are coded with comes with them.
import './service-catalog.ts';

// The intake record (scheda di accesso). Resolvers only call the casework service: it applies
// the consent rule of each kind of access, the roles and scopes, the desk-profile masking and
// the audit (denials included), so the fields ask only for a signed-in caller here; a refusal
// arrives as the service's error code (CONSENT_REQUIRED, ANONYMOUS_WITH_IDENTITY, …).

export const AccessKind = builder.enumType('AccessKind', {
  description: 'Kind of access (seed 003, 1.2): each has its consent rule',
  values: ACCESS_KINDS,
});
export const IntakeChannel = builder.enumType('IntakeChannel', { values: CHANNELS });
export const AccessReason = builder.enumType('AccessReason', { values: ACCESS_REASONS });
export const InterlocutorKind = builder.enumType('InterlocutorKind', {
  values: INTERLOCUTOR_KINDS,
});
export const IntakeOutcome = builder.enumType('IntakeOutcome', {
  description: 'The action the record is closed with (tipo intervento)',
  values: OUTCOMES,
});
export const IntakeStatus = builder.enumType('IntakeStatus', { values: STATUSES });
export const ServiceRequestState = builder.enumType('ServiceRequestState', {
  values: SERVICE_STATES,
});
export const IntakeDiaryKind = builder.enumType('IntakeDiaryKind', { values: DIARY_KINDS });
export const ReferenceRelationship = builder.enumType('ReferenceRelationship', {
  values: REFERENCE_RELATIONSHIPS,
});
export const SensitiveGroup = builder.enumType('SensitiveGroup', {
  description: 'Groups of sensitive fields a desk profile may mask',
  values: SENSITIVE_GROUPS,
});
const LegalBasis = builder.enumType('IntakeLegalBasis', {
  values: ['CONSENT', 'JUDICIAL_MANDATE', 'LEGAL_OBLIGATION', 'NONE'] as const,
});
const ConsentStatus = builder.enumType('IntakeConsentStatus', {
  values: ['GIVEN', 'DENIED', 'WITHDRAWN'] as const,
});
const ConsentDecision = builder.enumType('ConsentDecision', {
  values: ['GIVEN', 'DENIED'] as const,
});

const Interlocutor = builder.objectRef<IntakeInterlocutor>('IntakeInterlocutor').implement({
  description: 'Who speaks to the desk for the user: a person or a body, with its role',
  fields: (t) => ({
    kind: t.expose('kind', { type: InterlocutorKind }),
    personId: t.exposeID('personId', { nullable: true }),
    name: t.exposeString('name', { nullable: true }),
    organization: t.exposeString('organization', { nullable: true }),
    role: t.exposeString('role', { nullable: true }),
    contact: t.exposeString('contact', { nullable: true }),
    entitled: t.exposeBoolean('entitled', {
      description: 'The reporter holds a title to request services for the user',
    }),
    titleDocument: t.exposeString('titleDocument', {
      nullable: true,
      description: 'The document the title rests on (decree, mandate)',
    }),
    titleAttestedBy: t.exposeID('titleAttestedBy', {
      nullable: true,
      description: 'The operator who saw the document',
    }),
    titleAttestedAt: t.expose('titleAttestedAt', { type: 'DateTime', nullable: true }),
  }),
});

const JudicialOrder = builder
  .objectRef<{ reference: string; serviceCodes: string[] }>('IntakeJudicialOrder')
  .implement({
    description: 'Rule 3: the judge’s order that makes these services due without consent',
    fields: (t) => ({
      reference: t.exposeString('reference'),
      serviceCodes: t.exposeStringList('serviceCodes'),
    }),
  });

const JudicialOrderInput = builder.inputType('IntakeJudicialOrderInput', {
  fields: (t) => ({
    reference: t.string({ required: true }),
    serviceCodes: t.stringList({ required: true }),
  }),
});

const Subject = builder.objectRef<IntakeSubject>('IntakeSubject').implement({
  description: 'The user (utente): the person in need',
  fields: (t) => ({
    personId: t.exposeID('personId'),
    taxCode: t.exposeString('taxCode', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    alias: t.exposeString('alias', { nullable: true }),
    sex: t.exposeString('sex', { nullable: true }),
    birthDate: t.expose('birthDate', { type: 'Date', nullable: true }),
    citizenship: t.exposeString('citizenship', { nullable: true }),
    residenceMunicipality: t.exposeString('residenceMunicipality', { nullable: true }),
  }),
});

const ReferencePerson = builder
  .objectRef<IntakeReferencePerson>('IntakeReferencePerson')
  .implement({
    description: 'Riferimento: a relative, acquaintance or caregiver who supports the user',
    fields: (t) => ({
      id: t.exposeID('id'),
      relationship: t.expose('relationship', { type: ReferenceRelationship }),
      personId: t.exposeID('personId', { nullable: true }),
      fullName: t.exposeString('fullName'),
      phone: t.exposeString('phone', { nullable: true }),
      email: t.exposeString('email', { nullable: true }),
      notes: t.exposeString('notes', { nullable: true }),
    }),
  });

const SocialData = builder.objectRef<IntakeSocialData>('IntakeSocialData').implement({
  description: 'Social and environmental data as told at the desk',
  fields: (t) => ({
    householdSize: t.exposeInt('householdSize', { nullable: true }),
    familyNotes: t.exposeString('familyNotes', { nullable: true }),
    workConditionCode: t.exposeString('workConditionCode', {
      nullable: true,
      description: 'SINBA OccupazioneType 1–8',
    }),
    workNotes: t.exposeString('workNotes', { nullable: true }),
    homeless: t.exposeBoolean('homeless', { nullable: true }),
    housingNotes: t.exposeString('housingNotes', { nullable: true }),
    contactsNotes: t.exposeString('contactsNotes', { nullable: true }),
    healthNotes: t.exposeString('healthNotes', {
      nullable: true,
      description: 'HEALTH group: null where masked',
    }),
    judicialNotes: t.exposeString('judicialNotes', {
      nullable: true,
      description: 'JUDICIAL group: null where masked',
    }),
    judicialMeasureRef: t.exposeString('judicialMeasureRef', {
      nullable: true,
      description: 'JUDICIAL group: null where masked',
    }),
    economicNotes: t.exposeString('economicNotes', {
      nullable: true,
      description: 'ECONOMIC group: null where masked',
    }),
  }),
});

const ForeignCitizen = builder.objectRef<IntakeForeignCitizen>('IntakeForeignCitizen').implement({
  fields: (t) => ({
    citizenship: t.exposeString('citizenship', { nullable: true }),
    permitType: t.exposeString('permitType', {
      nullable: true,
      description: 'PERMIT group: null where masked',
    }),
    permitExpiry: t.expose('permitExpiry', {
      type: 'Date',
      nullable: true,
      description: 'PERMIT group: null where masked',
    }),
  }),
});

const Need = builder.objectRef<IntakeNeed>('IntakeNeed').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    notes: t.exposeString('notes', { nullable: true }),
  }),
});

const Attachment = builder.objectRef<IntakeAttachment>('IntakeAttachment').implement({
  description: 'Metadata of a document attached to a requested service',
  fields: (t) => ({
    id: t.exposeID('id'),
    fileName: t.exposeString('fileName'),
    mediaType: t.exposeString('mediaType'),
    sizeBytes: t.exposeInt('sizeBytes'),
    sha256: t.exposeString('sha256', { nullable: true }),
    storageKey: t.exposeString('storageKey', { nullable: true }),
    uploadedAt: t.expose('uploadedAt', { type: 'DateTime' }),
  }),
});

const ServiceRequest = builder.objectRef<IntakeServiceRequest>('IntakeServiceRequest').implement({
  description: 'A requested service (servizio richiesto), coded in the nomenclator',
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.exposeString('code'),
    title: t.exposeString('title'),
    scheme: t.exposeString('scheme'),
    state: t.expose('state', { type: ServiceRequestState }),
    workingMinutes: t.exposeInt('workingMinutes'),
    notes: t.exposeString('notes', { nullable: true }),
    attachments: t.expose('attachments', { type: [Attachment] }),
  }),
});

const DiaryEntry = builder.objectRef<IntakeDiaryEntry>('IntakeDiaryEntry').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    kind: t.expose('kind', { type: IntakeDiaryKind }),
    text: t.exposeString('text', {
      nullable: true,
      description: 'null where the entry’s sensitive group is masked',
    }),
    sensitiveGroup: t.expose('sensitiveGroup', { type: SensitiveGroup, nullable: true }),
    author: t.exposeString('author'),
  }),
});

const Transfer = builder.objectRef<IntakeTransfer>('IntakeTransfer').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    fromContactPointId: t.exposeID('fromContactPointId'),
    toContactPointId: t.exposeID('toContactPointId'),
    note: t.exposeString('note', { nullable: true }),
    sentAt: t.expose('sentAt', { type: 'DateTime' }),
  }),
});

export const IntakeRecordRef = builder.objectRef<IntakeRecord>('IntakeRecord').implement({
  description: 'Scheda di accesso: one contact with the front desk',
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeInt('number', { description: 'Number printed on the card' }),
    organizationId: t.exposeID('organizationId'),
    officeId: t.exposeID('officeId'),
    contactPointId: t.exposeID('contactPointId'),
    contactPointName: t.exposeString('contactPointName'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    channel: t.expose('channel', { type: IntakeChannel }),
    accessKind: t.expose('accessKind', { type: AccessKind }),
    accessReason: t.expose('accessReason', { type: AccessReason, nullable: true }),
    sentBy: t.exposeString('sentBy', { nullable: true }),
    legalBasis: t.expose('legalBasis', { type: LegalBasis }),
    consentStatus: t.expose('consentStatus', { type: ConsentStatus, nullable: true }),
    consentGivenBy: t.expose('consentGivenBy', { type: ConsentGivenBy, nullable: true }),
    interlocutor: t.expose('interlocutor', { type: Interlocutor }),
    subject: t.expose('subject', { type: Subject, nullable: true }),
    unidentifiedSubject: t.exposeString('unidentifiedSubject', {
      nullable: true,
      description: 'Rule 6: what is known of a person at risk whose name is not known',
    }),
    judicialOrder: t.expose('judicialOrder', { type: JudicialOrder, nullable: true }),
    consentDueOn: t.expose('consentDueOn', {
      type: 'Date',
      nullable: true,
      description: 'Rule 2: the first interview, by which the decision on consent is due',
    }),
    subjectAccompanied: t.exposeBoolean('subjectAccompanied', { nullable: true }),
    summary: t.exposeString('summary', { nullable: true }),
    referencePersons: t.expose('referencePersons', { type: [ReferencePerson] }),
    social: t.expose('social', { type: SocialData }),
    foreignCitizen: t.expose('foreignCitizen', { type: ForeignCitizen }),
    needs: t.expose('needs', { type: [Need] }),
    services: t.expose('services', { type: [ServiceRequest] }),
    status: t.expose('status', { type: IntakeStatus }),
    outcome: t.expose('outcome', { type: IntakeOutcome, nullable: true }),
    outcomeNotes: t.exposeString('outcomeNotes', { nullable: true }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    proposedOfficeId: t.exposeID('proposedOfficeId', { nullable: true }),
    duplicatedFromId: t.exposeID('duplicatedFromId', { nullable: true }),
    diary: t.expose('diary', { type: [DiaryEntry] }),
    transfers: t.expose('transfers', { type: [Transfer] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    maskedFields: t.exposeStringList('maskedFields', {
      description:
        "Paths of the fields withheld by the desk profile of the caller's contact point (e.g. social.healthNotes)",
    }),
  }),
});

const IntakeListItemRef = builder.objectRef<IntakeListItem>('IntakeListItem').implement({
  description: 'A record in a result list: no sensitive field',
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeInt('number'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    organizationId: t.exposeID('organizationId'),
    officeId: t.exposeID('officeId'),
    contactPointId: t.exposeID('contactPointId'),
    contactPointName: t.exposeString('contactPointName'),
    channel: t.expose('channel', { type: IntakeChannel }),
    accessKind: t.expose('accessKind', { type: AccessKind }),
    interlocutorKind: t.expose('interlocutorKind', { type: InterlocutorKind }),
    status: t.expose('status', { type: IntakeStatus }),
    outcome: t.expose('outcome', { type: IntakeOutcome, nullable: true }),
    subjectPersonId: t.exposeID('subjectPersonId', { nullable: true }),
    subjectTaxCode: t.exposeString('subjectTaxCode', { nullable: true }),
    subjectName: t.exposeString('subjectName', { nullable: true }),
    needCodes: t.exposeStringList('needCodes'),
    serviceCodes: t.exposeStringList('serviceCodes'),
  }),
});

const IntakePageRef = builder.objectRef<IntakePage>('IntakeRecordPage').implement({
  fields: (t) => ({
    items: t.expose('items', { type: [IntakeListItemRef] }),
    nextCursor: t.exposeString('nextCursor', {
      nullable: true,
      description: 'Pass as `after` for the next page; null on the last one',
    }),
  }),
});

// ---- Inputs -------------------------------------------------------------------------------

const InterlocutorInput = builder.inputType('IntakeInterlocutorInput', {
  fields: (t) => ({
    kind: t.field({ type: InterlocutorKind, required: true }),
    personId: t.field({ type: 'UUID' }),
    name: t.string(),
    organization: t.string(),
    role: t.string(),
    contact: t.string(),
    entitled: t.boolean(),
    titleDocument: t.string({ description: 'Required to request services on a title' }),
  }),
});

const SubjectFieldSourceInput = builder.inputType('IntakeSubjectFieldSourceInput', {
  fields: (t) => ({
    field: t.string({ required: true, description: 'lastName, firstName, sex, birthDate, …' }),
    source: t.string({
      required: true,
      description: 'ANPR, MUNICIPAL_REGISTRY, HEALTH_REGISTRY, TYPED',
    }),
  }),
});

const SubjectInput = builder.inputType('IntakeSubjectInput', {
  description:
    'The user: an existing person (personId), a codice fiscale (linked when known, else registered), or names/alias',
  fields: (t) => ({
    personId: t.field({ type: 'UUID' }),
    taxCode: t.string(),
    firstName: t.string(),
    lastName: t.string(),
    alias: t.string(),
    sex: t.string(),
    birthDate: t.field({ type: 'Date' }),
    birthPlaceCode: t.string(),
    citizenship: t.string(),
    residenceMunicipality: t.string({ description: 'ISTAT code (6 digits)' }),
    residenceAddress: t.string(),
    phone: t.string(),
    email: t.string(),
    fieldSources: t.field({
      type: [SubjectFieldSourceInput],
      description:
        'Where a value came from (the form filled from ANPR); a field not named is TYPED',
    }),
  }),
});

const ConsentInput = builder.inputType('IntakeConsentInput', {
  description: 'Consent to processing given or denied at the desk, recorded with the record',
  fields: (t) => ({
    status: t.field({ type: ConsentDecision, required: true }),
    givenBy: t.field({ type: ConsentGivenBy }),
    representativeName: t.string({
      description: 'Who decided for the person; default the interlocutor when it represents',
    }),
    decidedOn: t.field({ type: 'Date', description: 'Default: the day of the record' }),
  }),
});

const ReferencePersonInput = builder.inputType('IntakeReferencePersonInput', {
  fields: (t) => ({
    relationship: t.field({ type: ReferenceRelationship, required: true }),
    personId: t.field({ type: 'UUID' }),
    fullName: t.string({ required: true }),
    phone: t.string(),
    email: t.string(),
    notes: t.string(),
  }),
});

const SocialDataInput = builder.inputType('IntakeSocialDataInput', {
  fields: (t) => ({
    householdSize: t.int(),
    familyNotes: t.string(),
    workConditionCode: t.string(),
    workNotes: t.string(),
    homeless: t.boolean(),
    housingNotes: t.string(),
    contactsNotes: t.string(),
    healthNotes: t.string(),
    judicialNotes: t.string(),
    judicialMeasureRef: t.string(),
    economicNotes: t.string(),
  }),
});

const ForeignCitizenInput = builder.inputType('IntakeForeignCitizenInput', {
  fields: (t) => ({
    citizenship: t.string(),
    permitType: t.string(),
    permitExpiry: t.field({ type: 'Date' }),
  }),
});

const NeedInput = builder.inputType('IntakeNeedInput', {
  fields: (t) => ({ code: t.string({ required: true }), notes: t.string() }),
});

const AttachmentInput = builder.inputType('IntakeAttachmentInput', {
  fields: (t) => ({
    fileName: t.string({ required: true }),
    mediaType: t.string({ required: true }),
    sizeBytes: t.int({ required: true }),
    sha256: t.string(),
    storageKey: t.string(),
  }),
});

const ServiceRequestInput = builder.inputType('IntakeServiceRequestInput', {
  fields: (t) => ({
    id: t.field({ type: 'UUID', description: 'An existing request of the record (update only)' }),
    code: t.string({ required: true, description: 'Nomenclator code valid on the record’s day' }),
    state: t.field({ type: ServiceRequestState }),
    workingMinutes: t.int(),
    notes: t.string(),
    attachments: t.field({ type: [AttachmentInput], description: 'New attachments (metadata)' }),
  }),
});

const CloseInput = builder.inputType('IntakeCloseInput', {
  fields: (t) => ({
    outcome: t.field({ type: IntakeOutcome, required: true }),
    notes: t.string(),
  }),
});

const CreateIntakeRecordInput = builder.inputType('CreateIntakeRecordInput', {
  fields: (t) => ({
    contactPointId: t.field({ type: 'UUID', description: "Default: the caller's own desk" }),
    occurredAt: t.field({ type: 'DateTime', required: true }),
    channel: t.field({ type: IntakeChannel, required: true }),
    accessKind: t.field({ type: AccessKind, required: true }),
    accessReason: t.field({ type: AccessReason }),
    sentBy: t.string(),
    interlocutor: t.field({ type: InterlocutorInput }),
    subject: t.field({ type: SubjectInput }),
    unidentifiedSubject: t.string({
      description: 'A report of crime or risk about a person whose name is not known',
    }),
    judicialOrder: t.field({ type: JudicialOrderInput }),
    consentDueOn: t.field({ type: 'Date', description: 'Default: a month after the report' }),
    subjectAccompanied: t.boolean(),
    consent: t.field({ type: ConsentInput }),
    summary: t.string(),
    referencePersons: t.field({ type: [ReferencePersonInput] }),
    social: t.field({ type: SocialDataInput }),
    foreignCitizen: t.field({ type: ForeignCitizenInput }),
    needs: t.field({ type: [NeedInput] }),
    services: t.field({ type: [ServiceRequestInput] }),
    close: t.field({ type: CloseInput, description: 'Close the record at once' }),
  }),
});

const UpdateIntakeRecordInput = builder.inputType('UpdateIntakeRecordInput', {
  description: 'Every field given replaces the record’s value (null clears it); absent ones stay',
  fields: (t) => ({
    occurredAt: t.field({ type: 'DateTime' }),
    channel: t.field({ type: IntakeChannel }),
    accessKind: t.field({ type: AccessKind }),
    accessReason: t.field({ type: AccessReason }),
    sentBy: t.string(),
    interlocutor: t.field({ type: InterlocutorInput }),
    subject: t.field({ type: SubjectInput }),
    subjectAccompanied: t.boolean(),
    consent: t.field({ type: ConsentInput }),
    summary: t.string(),
    referencePersons: t.field({ type: [ReferencePersonInput] }),
    social: t.field({ type: SocialDataInput }),
    foreignCitizen: t.field({ type: ForeignCitizenInput }),
    needs: t.field({ type: [NeedInput] }),
    services: t.field({ type: [ServiceRequestInput] }),
  }),
});

export const SearchIntakeRecordsInput = builder.inputType('SearchIntakeRecordsInput', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime', description: 'Exclusive' }),
    organizationId: t.field({ type: 'UUID' }),
    officeId: t.field({ type: 'UUID' }),
    contactPointId: t.field({ type: 'UUID' }),
    accessKinds: t.field({ type: [AccessKind] }),
    channels: t.field({ type: [IntakeChannel] }),
    statuses: t.field({ type: [IntakeStatus] }),
    outcome: t.field({ type: IntakeOutcome }),
    needCode: t.string(),
    serviceCode: t.string(),
    subjectTaxCode: t.string(),
    subjectPersonId: t.field({ type: 'UUID' }),
    subjectLastName: t.string({ description: 'Prefix, at least 2 letters' }),
    proposedOfficeId: t.field({
      type: 'UUID',
      description: 'Records proposed to this office for taking into care',
    }),
  }),
});

const DiaryEntryInput = builder.inputType('AddIntakeDiaryEntryInput', {
  fields: (t) => ({
    kind: t.field({ type: IntakeDiaryKind }),
    text: t.string({ required: true }),
    sensitiveGroup: t.field({ type: SensitiveGroup }),
    at: t.field({ type: 'DateTime' }),
  }),
});

const RecordConsentInputRef = builder.inputType('RecordIntakeConsentInput', {
  fields: (t) => ({
    status: t.field({ type: ConsentStatus, required: true }),
    givenBy: t.field({ type: ConsentGivenBy }),
    representativeName: t.string(),
    decidedOn: t.field({ type: 'Date' }),
  }),
});

/** GraphQL nulls inside nested inputs mean "not given": the service's defaults then apply. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, compact(v)]),
  );
}

/** Top-level nulls are kept (an update clears those fields); nested ones are dropped. */
function compactTop(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v === null ? null : compact(v)]),
  );
}

// The service validates every input with its zod schema; the casts only bridge GraphQL's ID type.
const asInput = <T>(value: unknown) => value as T;

/** Filter arguments shared by the search and the export (REST uses the same shape). */
export const toSearchFilter = (filter: Record<string, unknown> | null | undefined) =>
  asInput<SearchIntakeInput>(compact(filter ?? {}));

builder.queryFields((t) => ({
  intakeRecord: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description:
      'One record; fields masked at the caller’s desk are null and listed in maskedFields. Audited.',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => getIntakeRecord(ctx.db, ctx.actor, String(args.id)),
  }),
  intakeRecords: t.withAuth(signedIn).field({
    type: IntakePageRef,
    description:
      'Records of the caller’s organisations, newest first, `first` at a time (cursor paging). Audited.',
    args: {
      filter: t.arg({ type: SearchIntakeRecordsInput }),
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      searchIntakeRecords(ctx.db, ctx.actor, {
        ...toSearchFilter(args.filter),
        first: args.first ?? undefined,
        after: args.after,
      }),
  }),
  intakeSubjects: t.withAuth(signedIn).field({
    type: [PersonRef],
    description:
      'Registry look-up for the desk: by codice fiscale, or by last name (and first name). Audited.',
    args: { taxCode: t.arg.string(), lastName: t.arg.string(), firstName: t.arg.string() },
    resolve: (_root, args, ctx) => findIntakeSubjects(ctx.db, ctx.actor, args),
  }),
}));

builder.mutationFields((t) => ({
  createIntakeRecord: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description:
      'Creates a record under the consent rule of its kind of access. Refused: CONSENT_REQUIRED, ANONYMOUS_WITH_IDENTITY, SUBJECT_REQUIRED, CHANNEL_NOT_ALLOWED, INTERLOCUTOR_NOT_ALLOWED, SERVICE_WITHOUT_TITLE, OUTCOME_NOT_ALLOWED, UNKNOWN_SERVICE_CODE, UNKNOWN_NEED_CODE, FUTURE_DATE, INVALID_TAX_CODE.',
    args: { input: t.arg({ type: CreateIntakeRecordInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createIntakeRecord(ctx.db, ctx.actor, asInput<CreateIntakeInput>(compact(input))),
  }),
  updateIntakeRecord: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description: 'Changes an open record (RECORD_CLOSED otherwise); the rules are checked again.',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: UpdateIntakeRecordInput, required: true }),
    },
    resolve: (_root, { id, input }, ctx) =>
      updateIntakeRecord(
        ctx.db,
        ctx.actor,
        String(id),
        asInput<UpdateIntakeInput>(compactTop(input as Record<string, unknown>)),
      ),
  }),
  duplicateIntakeRecord: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description: 'Copies a record into a new open one for a new contact',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      occurredAt: t.arg({ type: 'DateTime', description: 'Default: now' }),
      contactPointId: t.arg({ type: 'UUID' }),
    },
    resolve: (_root, args, ctx) =>
      duplicateIntakeRecord(ctx.db, ctx.actor, String(args.id), {
        occurredAt: args.occurredAt,
        contactPointId: args.contactPointId == null ? null : String(args.contactPointId),
      }),
  }),
  deleteIntakeRecord: t.withAuth(signedIn).field({
    type: 'Boolean',
    description: 'Soft delete, with the reason, audited',
    args: { id: t.arg({ type: 'UUID', required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteIntakeRecord(ctx.db, ctx.actor, String(args.id), { reason: args.reason });
      return true;
    },
  }),
  closeIntakeRecord: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description: 'Closes a record with its outcome (PROPOSAL_TAKE_INTO_CARE leaves it PROPOSED)',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      outcome: t.arg({ type: IntakeOutcome, required: true }),
      notes: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      closeIntakeRecord(ctx.db, ctx.actor, String(args.id), {
        outcome: args.outcome,
        notes: args.notes,
      }),
  }),
  proposeIntakeRecordForCare: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description: 'Proposes the record for taking into care to an office of its organisation',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      officeId: t.arg({ type: 'UUID', description: 'Default: the record’s office' }),
      notes: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      proposeIntakeForCare(ctx.db, ctx.actor, String(args.id), {
        officeId: args.officeId == null ? null : String(args.officeId),
        notes: args.notes,
      }),
  }),
  sendIntakeRecordToDesk: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description: 'Sends the record to another desk (contact point) of the caller’s organisations',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      contactPointId: t.arg({ type: 'UUID', required: true }),
      note: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      sendIntakeToDesk(ctx.db, ctx.actor, String(args.id), {
        contactPointId: String(args.contactPointId),
        note: args.note,
      }),
  }),
  addIntakeDiaryEntry: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: DiaryEntryInput, required: true }),
    },
    resolve: (_root, { id, input }, ctx) =>
      addIntakeDiaryEntry(ctx.db, ctx.actor, String(id), asInput<DiaryInput>(compact(input))),
  }),
  recordIntakeConsent: t.withAuth(signedIn).field({
    type: IntakeRecordRef,
    description:
      'Records the user’s consent, denial or withdrawal; a public official’s report keeps only the report after a denial',
    args: {
      id: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: RecordConsentInputRef, required: true }),
    },
    resolve: (_root, { id, input }, ctx) =>
      recordIntakeConsent(
        ctx.db,
        ctx.actor,
        String(id),
        asInput<RecordConsentInput>(compact(input)),
      ),
  }),
}));

const IntakeDeskRef = builder.objectRef<IntakeDesk>('IntakeDesk').implement({
  description: 'A desk (contact point) an intake record may be sent to',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', {
      description: 'PUA, URP, UDC, IMMIGRANT_DESK, SOCIAL_DESK, OTHER',
    }),
    officeId: t.exposeID('officeId'),
    officeName: t.exposeString('officeName'),
    organizationName: t.exposeString('organizationName'),
  }),
});

builder.queryFields((t) => ({
  intakeSendTargets: t.withAuth(signedIn).field({
    type: [IntakeDeskRef],
    description:
      'The desks of the caller’s organisations a record may be sent to (sendIntakeRecordToDesk)',
    resolve: (_root, _args, ctx) => listIntakeSendTargets(ctx.db, ctx.actor),
  }),
}));
