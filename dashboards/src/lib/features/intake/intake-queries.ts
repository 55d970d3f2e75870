// The GraphQL documents of the front desk (gateway/schema.graphql).

export const PERSON_FIELDS = `id taxCode anonymous alias firstName lastName sex birthDate
  residenceMunicipality phone email maskedFields`;

export type PersonHit = {
  id: string;
  taxCode: string | null;
  anonymous: boolean;
  alias: string | null;
  firstName: string | null;
  lastName: string | null;
  sex: string | null;
  birthDate: string | null;
  residenceMunicipality: string | null;
  phone: string | null;
  email: string | null;
  maskedFields: string[];
};

export const INTAKE_SUBJECTS = `query Subjects($taxCode: String, $lastName: String, $firstName: String) {
  intakeSubjects(taxCode: $taxCode, lastName: $lastName, firstName: $firstName) { ${PERSON_FIELDS} }
}`;

export const PERSON = `query Person($id: UUID!) { person(id: $id) { ${PERSON_FIELDS} } }`;

export const FORM_REFERENCE = `query FormReference { needCodes { code label scheme } }`;

export const SERVICE_SEARCH = `query Services($text: String!) {
  serviceCatalog(text: $text, requestableOnly: true, limit: 15) { code title scheme category }
}`;

export type ServiceHit = { code: string; title: string; scheme: string; category: string | null };

export const INTAKE_RECORD_FIELDS = `id number organizationId officeId contactPointId contactPointName
  occurredAt channel accessKind accessReason sentBy legalBasis consentStatus consentGivenBy
  interlocutor { kind personId name organization role contact entitled titleDocument }
  subject { personId taxCode firstName lastName alias sex birthDate citizenship residenceMunicipality }
  unidentifiedSubject consentDueOn subjectAccompanied summary
  referencePersons { id relationship personId fullName phone email notes }
  social { householdSize familyNotes workConditionCode workNotes homeless housingNotes contactsNotes
    healthNotes judicialNotes judicialMeasureRef economicNotes }
  foreignCitizen { citizenship permitType permitExpiry }
  needs { code label notes }
  services { id code title scheme state workingMinutes notes }
  status outcome outcomeNotes closedAt proposedOfficeId duplicatedFromId
  diary { id at kind text author }
  createdAt updatedAt maskedFields`;

export type IntakeRecord = {
  id: string;
  number: number;
  organizationId: string;
  officeId: string;
  contactPointId: string;
  contactPointName: string;
  occurredAt: string;
  channel: string;
  accessKind: string;
  accessReason: string | null;
  sentBy: string | null;
  legalBasis: string;
  consentStatus: string | null;
  consentGivenBy: string | null;
  interlocutor: {
    kind: string;
    personId: string | null;
    name: string | null;
    organization: string | null;
    role: string | null;
    contact: string | null;
    entitled: boolean;
    titleDocument: string | null;
  };
  subject: {
    personId: string;
    taxCode: string | null;
    firstName: string | null;
    lastName: string | null;
    alias: string | null;
    sex: string | null;
    birthDate: string | null;
    citizenship: string | null;
    residenceMunicipality: string | null;
  } | null;
  unidentifiedSubject: string | null;
  consentDueOn: string | null;
  subjectAccompanied: boolean | null;
  summary: string | null;
  referencePersons: {
    id: string;
    relationship: string;
    personId: string | null;
    fullName: string;
    phone: string | null;
    email: string | null;
    notes: string | null;
  }[];
  social: Record<string, string | number | boolean | null>;
  foreignCitizen: {
    citizenship: string | null;
    permitType: string | null;
    permitExpiry: string | null;
  };
  needs: { code: string; label: string; notes: string | null }[];
  services: {
    id: string;
    code: string;
    title: string;
    scheme: string;
    state: string;
    workingMinutes: number;
    notes: string | null;
  }[];
  status: string;
  outcome: string | null;
  outcomeNotes: string | null;
  closedAt: string | null;
  proposedOfficeId: string | null;
  duplicatedFromId: string | null;
  diary: { id: string; at: string; kind: string; text: string | null; author: string }[];
  createdAt: string;
  updatedAt: string;
  maskedFields: string[];
};

export const INTAKE_RECORD = `query Intake($id: UUID!) { intakeRecord(id: $id) { ${INTAKE_RECORD_FIELDS} } }`;

export const CREATE_INTAKE = `mutation Create($input: CreateIntakeRecordInput!) {
  createIntakeRecord(input: $input) { id number status }
}`;

export const UPDATE_INTAKE = `mutation Update($id: UUID!, $input: UpdateIntakeRecordInput!) {
  updateIntakeRecord(id: $id, input: $input) { id number status }
}`;

export const INTAKE_LIST = `query List($filter: SearchIntakeRecordsInput, $first: Int, $after: String) {
  intakeRecords(filter: $filter, first: $first, after: $after) {
    items { id number occurredAt contactPointName channel accessKind status outcome subjectTaxCode subjectName needCodes serviceCodes }
    nextCursor
  }
}`;

export type IntakeListItem = {
  id: string;
  number: number;
  occurredAt: string;
  contactPointName: string;
  channel: string;
  accessKind: string;
  status: string;
  outcome: string | null;
  subjectTaxCode: string | null;
  subjectName: string | null;
  needCodes: string[];
  serviceCodes: string[];
};

export const DELETE_INTAKE = `mutation Delete($id: UUID!, $reason: String!) { deleteIntakeRecord(id: $id, reason: $reason) }`;
export const DUPLICATE_INTAKE = `mutation Duplicate($id: UUID!) { duplicateIntakeRecord(id: $id) { id number } }`;
export const PROPOSE_INTAKE = `mutation Propose($id: UUID!, $notes: String) {
  proposeIntakeRecordForCare(id: $id, notes: $notes) { id status proposedOfficeId }
}`;

/** ANPR's answer for the person form: each field with where and when it came from. */
export type AnprField = {
  field: string;
  value: string;
  source: { counterpart: string; service: string; operationId: string | null; retrievedAt: string };
};
export type AnprPerson = { taxCode: string; deathDate: string | null; fields: AnprField[] };
export const ANPR_PERSON = `query AnprPerson($taxCode: String!, $reason: String!) {
  anprPerson(taxCode: $taxCode, reason: $reason) {
    taxCode deathDate fields { field value source { counterpart service operationId retrievedAt } } } }`;
export const SEND_TARGETS = `query SendTargets { intakeSendTargets { id name kind officeName organizationName } }`;

export type SendTarget = {
  id: string;
  name: string;
  kind: string;
  officeName: string;
  organizationName: string;
};

export const SEND_INTAKE = `mutation Send($id: UUID!, $contactPointId: UUID!, $note: String) {
  sendIntakeRecordToDesk(id: $id, contactPointId: $contactPointId, note: $note) { id status contactPointName }
}`;
