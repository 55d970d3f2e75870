// The GraphQL documents of the case worker's screens (gateway/schema.graphql).

export type Proposal = {
  intakeRecordId: string;
  number: number;
  occurredAt: string;
  accessKind: string;
  subjectPersonId: string | null;
  summary: string | null;
  evaluationStatus: string | null;
  decisionDueOn: string | null;
  openCaseFileId: string | null;
};

export const PROPOSALS = `query Proposals($officeId: UUID!) {
  proposedIntakeRecords(officeId: $officeId, limit: 100) {
    intakeRecordId number occurredAt accessKind subjectPersonId summary evaluationStatus decisionDueOn openCaseFileId
  }
  targetAreas { code label }
}`;

export const START_EVALUATION = `mutation Start($id: UUID!) { startIntakeEvaluation(intakeRecordId: $id) { status } }`;
export const OPEN_CASE = `mutation Open($id: UUID!, $input: OpenCaseFileInput!) {
  openCaseFile(intakeRecordId: $id, input: $input) { caseFile { id } }
}`;
export const ATTACH = `mutation Attach($id: UUID!) { attachIntakeRecord(intakeRecordId: $id) { caseFile { id } } }`;
export const REJECT = `mutation Reject($id: UUID!, $input: RejectIntakeRecordInput!) {
  rejectIntakeRecord(intakeRecordId: $id, input: $input) { status }
}`;

export type CaseSummary = {
  id: string;
  personId: string;
  officeName: string;
  status: string;
  openedOn: string;
  targetAreaCode: string | null;
};

export const MY_CASES = `query Cases($status: CaseStatus) {
  myCaseFiles(status: $status, limit: 200) { id personId officeName status openedOn targetAreaCode }
}`;

export const CHANGE_STATUS = `mutation Status($id: UUID!, $input: ChangeCaseStatusInput!) {
  changeCaseStatus(caseFileId: $id, input: $input) { id status }
}`;

export type PersonName = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  alias: string | null;
  taxCode: string | null;
};

/** Names of many persons in one request (aliases; the gateway allows 30 per document). */
export function personNamesQuery(ids: readonly string[]): string {
  const parts = ids.map(
    (id, i) => `p${i}: person(id: "${id}") { id firstName lastName alias taxCode }`,
  );
  return `query Names { ${parts.join(' ')} }`;
}

export const CASE_FILE = `query Case($id: UUID!) {
  caseFile(id: $id) {
    id personId organizationName officeName sector targetAreaCode targetAreaLabel status openedOn closedOn maskedFields
    consent { label status newInterventionsAllowed }
    operators { id operatorId fullName operatorType responsible enabledFrom disabledAt }
    resources { id kind relationship name cohabiting caregiver phone }
    socialData { id domain code label description reliability recordedOn }
    invalidities { id certification percentage recognizedOn }
    disabilities { id disabilityType description law104Severe }
    courtMeasures { id courtBody measureType measureOn reference }
    notes { id text createdAt }
    school { id schoolYear schoolType schoolName className }
    isee { id iseeType iseeValue validFrom validTo }
  }
}`;

// The dossier apart from the tabs: one document for all would pass the gateway's cost limit.
export const CASE_DOSSIER = `query Dossier($id: UUID!) {
  caseFile(id: $id) {
    id
    documents { id fileName mediaType sizeBytes description uploadedAt }
    diary(limit: 50) { id typeLabel on text authorName }
    activities { id kind on summary }
    referrals { id kind reason status sentOn toOfficeId toOperatorId toOrganizationId toBody toName answerNote }
    assessments { id kind assessedOn score scoreBand }
    carePlans { id title startOn endOn status goals { id term description achieved } reviews { id dueOn doneOn purpose } }
  }
  barthelItems { key section label scores }
}`;

export type CaseFile = {
  id: string;
  personId: string;
  organizationName: string;
  officeName: string;
  sector: string | null;
  targetAreaCode: string | null;
  targetAreaLabel: string | null;
  status: string;
  openedOn: string;
  closedOn: string | null;
  maskedFields: string[];
  consent: { label: string; status: string; newInterventionsAllowed: boolean | null };
  operators: {
    id: string;
    operatorId: string;
    fullName: string;
    operatorType: string;
    responsible: boolean;
    enabledFrom: string;
    disabledAt: string | null;
  }[];
  resources: {
    id: string;
    kind: string;
    relationship: string;
    name: string;
    cohabiting: boolean;
    caregiver: boolean;
    phone: string | null;
  }[];
  socialData: {
    id: string;
    domain: string;
    code: string;
    label: string | null;
    description: string | null;
    reliability: string;
    recordedOn: string;
  }[];
  invalidities: {
    id: string;
    certification: string;
    percentage: number | null;
    recognizedOn: string | null;
  }[];
  disabilities: {
    id: string;
    disabilityType: string;
    description: string | null;
    law104Severe: boolean;
  }[];
  courtMeasures: {
    id: string;
    courtBody: string;
    measureType: string | null;
    measureOn: string;
    reference: string | null;
  }[];
  notes: { id: string; text: string; createdAt: string }[];
  school: {
    id: string;
    schoolYear: string;
    schoolType: string;
    schoolName: string | null;
    className: string | null;
  }[];
  isee: { id: string; iseeType: string; iseeValue: number; validFrom: string; validTo: string }[];
  documents: {
    id: string;
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    description: string | null;
    uploadedAt: string;
  }[];
  diary: { id: string; typeLabel: string; on: string; text: string; authorName: string | null }[];
  activities: { id: string; kind: string; on: string; summary: string }[];
  referrals: {
    id: string;
    kind: string;
    reason: string;
    status: string;
    sentOn: string;
    toOfficeId: string | null;
    toOperatorId: string | null;
    toOrganizationId: string | null;
    toBody: string | null;
    /** The receiver as picked when sent (kept when it is no longer among the targets). */
    toName: string | null;
    answerNote: string | null;
  }[];
  assessments: {
    id: string;
    kind: string;
    assessedOn: string;
    score: number | null;
    scoreBand: string | null;
  }[];
  carePlans: {
    id: string;
    title: string;
    startOn: string;
    endOn: string | null;
    status: string;
    goals: { id: string; term: string; description: string; achieved: boolean | null }[];
    reviews: { id: string; dueOn: string; doneOn: string | null; purpose: string }[];
  }[];
};

export type BarthelItem = { key: string; section: string; label: string; scores: number[] };

export const ADD_DIARY = `mutation Diary($id: UUID!, $input: CaseDiaryEntryInput!) { addCaseDiaryEntry(caseFileId: $id, input: $input) { id } }`;
export const ADD_NOTE = `mutation Note($id: UUID!, $text: String!) { addCaseNote(caseFileId: $id, text: $text) }`;
export const RECORD_ASSESSMENT = `mutation Assess($id: UUID!, $input: RecordAssessmentInput!) {
  recordAssessment(caseFileId: $id, input: $input) { id score scoreBand }
}`;
export const CREATE_PLAN = `mutation Plan($id: UUID!, $input: CreateCarePlanInput!) { createCarePlan(caseFileId: $id, input: $input) { id } }`;
export const UPLOAD_DOCUMENT = `mutation Upload($id: UUID!, $input: UploadCaseDocumentInput!) {
  uploadCaseDocument(caseFileId: $id, input: $input) { id }
}`;
export const DOCUMENT = `query Doc($id: UUID!) { caseDocument(id: $id) { fileName mediaType contentBase64 } }`;

export const today = () => new Date().toLocaleDateString('sv-SE');

/** The health profile from the regional health registry (HEALTH group, not stored). */
export type CaseHealthProfile = {
  registry: string;
  asl: string | null;
  assistedSince: string | null;
  doctor: { lastName: string | null; firstName: string | null; since: string | null } | null;
  exemptions: {
    code: string;
    description: string | null;
    from: string | null;
    to: string | null;
  }[];
  retrievedAt: string;
};
export const CASE_HEALTH_PROFILE = `query CaseHealthProfile($id: UUID!) { caseHealthProfile(caseFileId: $id) {
  registry asl assistedSince doctor { lastName firstName since } exemptions { code description from to } retrievedAt } }`;
export const PERSON_CHANGE_NOTICES = `query Notices { personChangeNotices(first: 10, unreadOnly: true) {
  unread items { id kind eventDate caseFileId personName summary } } }`;
export const MARK_NOTICE_READ = `mutation MarkNoticeRead($id: UUID!) { markPersonChangeNoticeRead(id: $id) { id readAt } }`;

export type PersonChangeNotice = {
  id: string;
  kind: 'CAMBIO_RESIDENZA' | 'NUOVO_COMPONENTE' | 'DECESSO';
  eventDate: string;
  caseFileId: string;
  personName: string | null;
  summary: string;
};
export const OPERATOR_CANDIDATES = `query Candidates($caseFileId: UUID!) {
  caseOperatorCandidates(caseFileId: $caseFileId) { operatorId fullName role officeName enabled }
}`;

export type OperatorCandidate = {
  operatorId: string;
  fullName: string;
  role: string;
  officeName: string;
  enabled: boolean;
};

export const ENABLE_OPERATOR = `mutation Enable($caseFileId: UUID!, $input: EnableCaseOperatorInput!) {
  enableCaseOperator(caseFileId: $caseFileId, input: $input) { id operatorId }
}`;

export const DISABLE_OPERATOR = `mutation Disable($caseFileId: UUID!, $operatorId: UUID!) {
  disableCaseOperator(caseFileId: $caseFileId, operatorId: $operatorId) { id operatorId }
}`;

// Referrals (gateway/src/graphql/dossier.ts): sent from the case file, answered by the receiver.
export const CREATE_REFERRAL = `mutation Refer($id: UUID!, $input: CreateReferralInput!) {
  createReferral(caseFileId: $id, input: $input) { id status }
}`;
// Whom the case may be referred to: the case's organisation line and the organisations under a
// data-sharing agreement in force (the API decides, as createReferral does when sending).
export const REFERRAL_TARGETS = `query ReferralTargets($caseFileId: UUID!) {
  referralTargets(caseFileId: $caseFileId) {
    offices { id name level organizationName basis }
    operators { id fullName officeName organizationName basis }
    organizations { id name basis }
  }
}`;
export type ReferralTargets = {
  offices: { id: string; name: string; level: number; organizationName: string; basis: string }[];
  operators: {
    id: string;
    fullName: string;
    officeName: string;
    organizationName: string;
    basis: string;
  }[];
  organizations: { id: string; name: string; basis: string }[];
};
export const INCOMING_REFERRALS = `query IncomingReferrals {
  incomingReferrals { id caseFileId kind reason status sentOn toBody }
}`;
export type IncomingReferral = {
  id: string;
  caseFileId: string;
  kind: string;
  reason: string;
  status: string;
  sentOn: string;
  toBody: string | null;
};
export const ANSWER_REFERRAL = `mutation Answer($id: UUID!, $accept: Boolean!, $note: String) {
  answerReferral(referralId: $id, accept: $accept, note: $note) { id status caseFileId }
}`;
