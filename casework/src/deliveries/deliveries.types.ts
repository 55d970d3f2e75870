import { z } from 'zod';
import { DUTY_STATES, type DutyState } from '../siuss/siuss-duty.ts';

// Erogazione interventi: providers, contracts, tariffs, projects, interventions and deliveries
// (migration 014). The SIUSS codes keep INPS's own values (PS_PSA_SINA201812.xsd).

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const text = (max: number) =>
  z.string().trim().min(1, 'campo obbligatorio').max(max, `al massimo ${max} caratteri`);
const optText = (max: number) => text(max).nullish();
const serviceCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'codice di servizio non valido');
// Bounds keep money exact in integer cents (quantity × tariff stays far below 2^53).
const money = (max: number) =>
  z
    .number({ error: 'importo non valido' })
    .min(0, "l'importo non può essere negativo")
    .max(max, `al massimo ${max}`)
    .refine(
      (n) =>
        Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6,
      {
        message: 'al massimo due decimali',
      },
    );
/** Quantities are checked by the rules (INVALID_QUANTITY), not here: zero and negatives get their own code. */
const quantity = z.number({ error: 'quantità non valida' }).max(10_000, 'al massimo 10000');

export const UNITS = ['HOUR', 'DAY', 'ACCESS', 'MONTH', 'LUMP_SUM'] as const;
export type Unit = (typeof UNITS)[number];
export const UNIT_LABELS: Record<Unit, string> = {
  HOUR: 'ora',
  DAY: 'giorno',
  ACCESS: 'accesso',
  MONTH: 'mese',
  LUMP_SUM: 'a corpo',
};
export const PROVIDER_KINDS = ['IN_HOUSE', 'THIRD_SECTOR'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const CONTRACT_KINDS = ['CONTRACT', 'ACCREDITATION', 'IN_HOUSE'] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];
export const PERIODICITIES = ['PERIODIC', 'OCCASIONAL'] as const;
export type Periodicity = (typeof PERIODICITIES)[number];
export const PERIOD_UNITS = ['WEEK', 'MONTH'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
export const INTERVENTION_STATUSES = ['ACTIVE', 'CLOSED', 'CANCELLED'] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];
export const DELIVERY_STATUSES = [
  'EXPECTED',
  'RECORDED',
  'TO_VERIFY',
  'ACCEPTED',
  'DISPUTED',
  'CORRECTED',
  'CANCELLED',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** The deliveries that count as spending (and that INPS must receive). */
export const COUNTED_STATUSES: readonly DeliveryStatus[] = ['RECORDED', 'ACCEPTED'];
/** The deliveries a contract's ceiling holds: the counted ones and those waiting for verification. */
export const COMMITTED_STATUSES: readonly DeliveryStatus[] = ['RECORDED', 'ACCEPTED', 'TO_VERIFY'];
export const RECORDED_BY_KINDS = ['OFFICE', 'PROVIDER', 'SCHEDULE'] as const;
export type RecordedByKind = (typeof RECORDED_BY_KINDS)[number];

/** PS_PSA_SINA201812.xsd PresenzaProvaMezziType. */
export const MEANS_TEST = ['1', '2', '3', '4'] as const;
/** PresaCaricoType: 1 SI, 2 NO. */
export const TAKEN_IN_CARE = ['1', '2'] as const;
/** AreaUtenzaType: 1 famiglia e minori, 2 disabilità e non autosufficienza, 3 povertà. */
export const USER_AREAS = ['1', '2', '3'] as const;

export type FundingSource = { code: string; label: string; level: string };

export type Provider = {
  id: string;
  name: string;
  kind: ProviderKind;
  taxId: string | null;
  organizationId: string | null;
  officeId: string | null;
  registeredByOrganizationId: string;
  active: boolean;
  /** The partner clients that record deliveries as this provider (THIRD_SECTOR). */
  partnerClientIds: string[];
};

export type ProviderContract = {
  id: string;
  providerId: string;
  organizationId: string;
  kind: ContractKind;
  reference: string;
  serviceCodes: string[];
  startOn: string;
  endOn: string | null;
  ceilingAmount: number | null;
  /** Counted spending against the contract so far. */
  spent: number;
};

export type Tariff = {
  id: string;
  organizationId: string;
  providerId: string;
  serviceCode: string;
  unit: Unit;
  unitCost: number;
  validFrom: string;
  /** Exclusive end; null: in force until a new version. */
  validTo: string | null;
};

export type Project = {
  id: string;
  organizationId: string;
  code: string;
  title: string;
  fundingSourceCode: string;
  budget: number;
  startOn: string;
  endOn: string | null;
  /** Counted spending (RECORDED and ACCEPTED deliveries). */
  spent: number;
  /** Deliveries recorded by providers and not verified yet. */
  pendingVerification: number;
};

export type Isee = { value: number; dsuProtocol: string; dsuOn: string };

export type Intervention = {
  id: string;
  organizationId: string;
  officeId: string;
  personId: string;
  beneficiary: {
    id: string;
    taxCode: string | null;
    firstName: string | null;
    lastName: string | null;
  };
  caseFileId: string | null;
  carePlanInterventionId: string | null;
  /** Null where the desk masks HEALTH and this is a health service (deliveries.masking.ts). */
  serviceCode: string | null;
  standardServiceCode: string | null;
  providerId: string;
  contractId: string | null;
  unit: Unit;
  projectId: string | null;
  periodicity: Periodicity;
  periodUnit: PeriodUnit | null;
  quantityPerPeriod: number | null;
  startOn: string;
  endOn: string | null;
  plannedQuantity: number | null;
  plannedAmount: number | null;
  beneficiarySharePercent: number;
  /** Null when masked (ECONOMIC) or not needed. */
  isee: Isee | null;
  meansTest: (typeof MEANS_TEST)[number];
  benefitCharacter: '1' | '2';
  periodMonths: number | null;
  takenInCare: (typeof TAKEN_IN_CARE)[number];
  /** Null when not given, or masked (HEALTH) where it is 2. */
  userArea: (typeof USER_AREAS)[number] | null;
  applicationProtocol: string;
  siussRequired: boolean;
  status: InterventionStatus;
  notes: string | null;
  createdAt: Date;
  maskedFields: string[];
};

export type Delivery = {
  id: string;
  interventionId: string;
  organizationId: string;
  officeId: string;
  personId: string;
  providerId: string;
  /** Null where the desk masks HEALTH and this is a health service (deliveries.masking.ts). */
  serviceCode: string | null;
  deliveredOn: string;
  quantity: number;
  unit: Unit;
  tariffId: string | null;
  unitCost: number | null;
  amount: number;
  amountSource: 'TARIFF' | 'GIVEN';
  beneficiaryShare: number;
  status: DeliveryStatus;
  recordedByKind: RecordedByKind;
  recordedBy: string | null;
  providerReference: string | null;
  disputeReason: string | null;
  verifiedAt: Date | null;
  correctsId: string | null;
  note: string | null;
  createdAt: Date;
  /** The state of its SIUSS duty (siuss/), null while it has none. */
  siussState: DutyState | null;
};

/** What an office is told of an overlap with another office: the fact and whom to contact. */
export type BenefitOverlap = {
  id: string;
  interventionId: string;
  /** Null where the desk masks health and this is a health service (deliveries.masking.ts). */
  standardServiceCode: string | null;
  overlapFrom: string;
  overlapTo: string | null;
  detectedAt: Date;
  otherOrganizationName: string;
  otherOfficeName: string;
  contactName: string | null;
  contactEmail: string | null;
};

export const createProviderInput = z
  .object({
    name: text(300),
    kind: z.enum(PROVIDER_KINDS),
    taxId: z
      .string()
      .regex(/^[0-9]{11}$/, 'partita IVA di 11 cifre')
      .nullish(),
    /** THIRD_SECTOR: the provider's own organisation (its partner clients act as it). */
    providerOrganizationId: z.uuid().nullish(),
    /** IN_HOUSE: the office that delivers. */
    officeId: z.uuid().nullish(),
    /** The registering organisation, when the operator works for more than one. */
    organizationId: z.uuid().nullish(),
  })
  .strict();
export type CreateProviderInput = z.input<typeof createProviderInput>;

export const createContractInput = z
  .object({
    providerId: z.uuid(),
    kind: z.enum(CONTRACT_KINDS),
    reference: text(100),
    serviceCodes: z.array(serviceCode).min(1, 'almeno un servizio').max(50),
    startOn: isoDate,
    endOn: isoDate.nullish(),
    ceilingAmount: money(100_000_000).nullish(),
    organizationId: z.uuid().nullish(),
  })
  .strict();
export type CreateContractInput = z.input<typeof createContractInput>;

export const addTariffInput = z
  .object({
    providerId: z.uuid(),
    serviceCode,
    unit: z.enum(UNITS),
    unitCost: money(1_000_000),
    validFrom: isoDate,
    /** Exclusive end of this version; null: until the next one. */
    validTo: isoDate.nullish(),
    organizationId: z.uuid().nullish(),
  })
  .strict();
export type AddTariffInput = z.input<typeof addTariffInput>;

export const createProjectInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, 'codice di progetto non valido'),
    title: text(300),
    fundingSourceCode: z.string().trim().min(1),
    budget: money(1_000_000_000),
    startOn: isoDate,
    endOn: isoDate.nullish(),
    organizationId: z.uuid().nullish(),
  })
  .strict();
export type CreateProjectInput = z.input<typeof createProjectInput>;

export const createInterventionInput = z
  .object({
    personId: z.uuid(),
    caseFileId: z.uuid().nullish(),
    carePlanInterventionId: z.uuid().nullish(),
    /** The office that decides the benefit, when the operator works in more than one. */
    officeId: z.uuid().nullish(),
    serviceCode,
    providerId: z.uuid(),
    contractId: z.uuid().nullish(),
    unit: z.enum(UNITS),
    projectId: z.uuid().nullish(),
    periodicity: z.enum(PERIODICITIES),
    periodUnit: z.enum(PERIOD_UNITS).nullish(),
    quantityPerPeriod: quantity.nullish(),
    startOn: isoDate,
    endOn: isoDate.nullish(),
    plannedQuantity: quantity.nullish(),
    plannedAmount: money(100_000_000).nullish(),
    beneficiarySharePercent: z.number().min(0).max(100).default(0),
    /** The ISEE the benefit is granted on; default: the case file's ISEE in force at the start. */
    isee: z
      .object({ value: money(10_000_000), dsuProtocol: text(50), dsuOn: isoDate })
      .strict()
      .nullish(),
    meansTest: z.enum(MEANS_TEST),
    periodMonths: z.number().int().min(1).max(12).nullish(),
    takenInCare: z.enum(TAKEN_IN_CARE),
    userArea: z.enum(USER_AREAS).nullish(),
    applicationProtocol: text(50),
    notes: optText(2000),
  })
  .strict();
export type CreateInterventionInput = z.input<typeof createInterventionInput>;

export const recordDeliveryInput = z
  .object({
    interventionId: z.uuid(),
    deliveredOn: isoDate,
    quantity,
    /** Given instead of quantity × tariff (a cash contribution, a negotiated fee). */
    amount: money(10_000_000).nullish(),
    /** The provider's own identifier: sent again, the stored delivery answers. */
    providerReference: optText(100),
    note: optText(2000),
  })
  .strict();
export type RecordDeliveryInput = z.input<typeof recordDeliveryInput>;

export const correctDeliveryInput = z
  .object({
    deliveredOn: isoDate.nullish(),
    quantity: quantity.nullish(),
    amount: money(10_000_000).nullish(),
    note: text(2000),
  })
  .strict();
export type CorrectDeliveryInput = z.input<typeof correctDeliveryInput>;

export const VERIFICATION_DECISIONS = ['ACCEPT', 'DISPUTE'] as const;
export const verifyDeliveryInput = z
  .object({ decision: z.enum(VERIFICATION_DECISIONS), reason: optText(2000) })
  .strict();
export type VerifyDeliveryInput = z.input<typeof verifyDeliveryInput>;

export const deliverySearchInput = z
  .object({
    personId: z.uuid().nullish(),
    interventionId: z.uuid().nullish(),
    serviceCode: serviceCode.nullish(),
    providerId: z.uuid().nullish(),
    projectId: z.uuid().nullish(),
    officeId: z.uuid().nullish(),
    status: z.enum(DELIVERY_STATUSES).nullish(),
    /** The state of the delivery's SIUSS duty (duties are reconciled when the SIUSS page is read). */
    siussState: z.enum(DUTY_STATES).nullish(),
    from: isoDate.nullish(),
    to: isoDate.nullish(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type DeliverySearchInput = z.input<typeof deliverySearchInput>;

export const interventionSearchInput = z
  .object({
    personId: z.uuid().nullish(),
    serviceCode: serviceCode.nullish(),
    providerId: z.uuid().nullish(),
    projectId: z.uuid().nullish(),
    officeId: z.uuid().nullish(),
    status: z.enum(INTERVENTION_STATUSES).nullish(),
    /** Interventions active on some day of [from, to]. */
    from: isoDate.nullish(),
    to: isoDate.nullish(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type InterventionSearchInput = z.input<typeof interventionSearchInput>;
