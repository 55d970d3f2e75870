// The GraphQL documents of erogazione interventi (gateway/src/graphql/delivery.ts, provider.ts,
// siuss.ts). Fields a desk may mask (the ISEE, the user area, health-related service codes) are
// typed as possibly absent: the screens never assume them.

export const INTERVENTION_FIELDS = `id organizationId officeId personId caseFileId
  beneficiary { id taxCode firstName lastName }
  serviceCode standardServiceCode providerId contractId unit projectId periodicity periodUnit
  quantityPerPeriod startOn endOn plannedQuantity plannedAmount beneficiarySharePercent
  isee { value dsuProtocol dsuOn } meansTest benefitCharacter periodMonths takenInCare userArea
  applicationProtocol siussRequired status notes createdAt maskedFields`;

export type Intervention = {
  id: string;
  organizationId: string;
  officeId: string;
  personId: string;
  caseFileId: string | null;
  beneficiary: {
    id: string;
    taxCode: string | null;
    firstName: string | null;
    lastName: string | null;
  };
  serviceCode: string | null;
  standardServiceCode: string | null;
  providerId: string;
  contractId: string | null;
  unit: string;
  projectId: string | null;
  periodicity: string;
  periodUnit: string | null;
  quantityPerPeriod: number | null;
  startOn: string;
  endOn: string | null;
  plannedQuantity: number | null;
  plannedAmount: number | null;
  beneficiarySharePercent: number;
  isee: { value: number; dsuProtocol: string; dsuOn: string } | null;
  meansTest: string;
  benefitCharacter: string;
  periodMonths: number | null;
  takenInCare: string;
  userArea: string | null;
  applicationProtocol: string;
  siussRequired: boolean;
  status: string;
  notes: string | null;
  createdAt: string;
  maskedFields: string[];
};

export const INTERVENTIONS = `query Interventions($filter: InterventionFilter) {
  interventions(filter: $filter) { total items { ${INTERVENTION_FIELDS} } }
}`;

export const INTERVENTION = `query Intervention($id: UUID!) { intervention(id: $id) { ${INTERVENTION_FIELDS} } }`;

export const REFERENCE = `query DeliveriesReference { providers { id name kind active } projects { id code title } }`;

export type ProviderRef = { id: string; name: string; kind: string; active: boolean };
export type ProjectRef = { id: string; code: string; title: string };

export const BENEFICIARY_SEARCH = `query Beneficiaries($lastName: String!) {
  searchPersons(lastName: $lastName, limit: 20) { id taxCode firstName lastName birthDate }
}`;

export type BeneficiaryHit = {
  id: string;
  taxCode: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
};

export const SERVICE_TITLE = `query ServiceTitle($text: String!) {
  serviceCatalog(text: $text, limit: 5) { code title scheme }
}`;

export const DELIVERY_FIELDS = `id interventionId officeId personId providerId serviceCode deliveredOn
  quantity unit unitCost amount amountSource beneficiaryShare status recordedByKind recordedBy
  providerReference disputeReason verifiedAt correctsId note createdAt siussState`;

export type Delivery = {
  id: string;
  interventionId: string;
  officeId: string;
  personId: string;
  providerId: string;
  serviceCode: string | null;
  deliveredOn: string;
  quantity: number;
  unit: string;
  unitCost: number | null;
  amount: number;
  amountSource: string;
  beneficiaryShare: number;
  status: string;
  recordedByKind: string;
  recordedBy: string | null;
  providerReference: string | null;
  disputeReason: string | null;
  verifiedAt: string | null;
  correctsId: string | null;
  note: string | null;
  createdAt: string;
  siussState: string | null;
};

export const DELIVERIES = `query Deliveries($filter: DeliveryFilter) {
  deliveries(filter: $filter) { total items { ${DELIVERY_FIELDS} } }
}`;

export const RECORD_DELIVERY = `mutation RecordDelivery($input: RecordDeliveryInput!) {
  recordDelivery(input: $input) { ${DELIVERY_FIELDS} }
}`;

export const VERIFY_DELIVERY = `mutation VerifyDelivery($id: UUID!, $input: VerifyDeliveryInput!) {
  verifyDelivery(id: $id, input: $input) { ${DELIVERY_FIELDS} }
}`;

// Without the pre-validation issues: a list of them under every duty would cost more than the
// gateway's query budget allows for a page of duties (limits.ts).
export const SIUSS_DUTIES = `query SiussDuties($view: SiussDutyView, $withinDays: Int, $limit: Int) {
  siussDuties(view: $view, withinDays: $withinDays, limit: $limit) {
    deliveryId officeName personId personName taxCode serviceCode amount deliveredOn deadline
    state overdue operation heldByInps rejectionCode rejectionReason flowId flowStatus
  }
}`;

export type SiussDuty = {
  deliveryId: string;
  officeName: string;
  personId: string;
  personName: string;
  taxCode: string | null;
  serviceCode: string | null;
  amount: number;
  deliveredOn: string;
  deadline: string;
  state: string;
  overdue: boolean;
  operation: string;
  heldByInps: boolean;
  rejectionCode: string | null;
  rejectionReason: string | null;
  flowId: string | null;
  flowStatus: string | null;
};

export const RESEND_DUTY = `mutation Resend($deliveryId: UUID!) { resendSiussDuty(deliveryId: $deliveryId) { deliveryId state } }`;

/**
 * The interventions behind a page of deliveries, in one request (aliases): the verification
 * queue names whom each delivery served, which the delivery row itself does not carry.
 */
export function interventionsById(ids: readonly string[]): string {
  const parts = ids.map((_, i) => `i${i}: intervention(id: $id${i}) { ${INTERVENTION_FIELDS} }`);
  const vars = ids.map((_, i) => `$id${i}: UUID!`).join(', ');
  return `query InterventionsById(${vars}) { ${parts.join(' ')} }`;
}

// The SINBA side of the SIUSS page: the minors' records (one per SInBA assessment), a page at a
// time. Without the issues, for the same reason as the duties above.
export const SIUSS_SINBA_DUTIES = `query SiussSinbaDuties($filter: SiussSinbaDutyFilter) {
  siussSinbaDuties(filter: $filter) {
    total
    items {
      id officeName personId personName taxCode assessedOn deadline state overdue
      rejectionCode rejectionReason flowId maskedFields
    }
  }
}`;

export type SiussSinbaDuty = {
  id: string;
  officeName: string;
  personId: string;
  personName: string;
  taxCode: string | null;
  assessedOn: string;
  deadline: string;
  state: string;
  overdue: boolean;
  rejectionCode: string | null;
  rejectionReason: string | null;
  flowId: string | null;
  maskedFields: string[];
};

export const RESEND_SINBA_DUTY = `mutation ResendSinba($id: UUID!) { resendSiussSinbaDuty(id: $id) { id state } }`;
// Setting up (gateway/src/graphql/delivery.ts createIntervention, provider.ts addTariff and
// registerProject).
export const CREATE_INTERVENTION = `mutation CreateIntervention($input: CreateInterventionInput!) {
  createIntervention(input: $input) { id }
}`;

export const TARIFF_FIELDS = 'id providerId serviceCode unit unitCost validFrom validTo';
export type Tariff = {
  id: string;
  providerId: string;
  serviceCode: string;
  unit: string;
  unitCost: number;
  validFrom: string;
  validTo: string | null;
};
export const TARIFFS = `query Tariffs($providerId: UUID) {
  tariffs(providerId: $providerId) { ${TARIFF_FIELDS} }
  providers { id name kind active }
}`;
export const ADD_TARIFF = `mutation AddTariff($input: AddTariffInput!) { addTariff(input: $input) { ${TARIFF_FIELDS} } }`;

export const PROJECT_FIELDS =
  'id code title fundingSourceCode budget startOn endOn spent pendingVerification remaining';
export type Project = {
  id: string;
  code: string;
  title: string;
  fundingSourceCode: string;
  budget: number;
  startOn: string;
  endOn: string | null;
  spent: number;
  pendingVerification: number;
  remaining: number;
};
export type FundingSource = { code: string; label: string; level: string };
export const PROJECTS = `query Projects {
  projects { ${PROJECT_FIELDS} }
  fundingSources { code label level }
}`;
export const REGISTER_PROJECT = `mutation RegisterProject($input: RegisterProjectInput!) {
  registerProject(input: $input) { ${PROJECT_FIELDS} }
}`;
