import { computeTaxCode, HEALTH_SERVICE_CODES, shiftDay, todayInRome } from '@hub/casework';
import { FIXTURE_PASSWORD } from '@hub/casework/testing';
import {
  type GraphQLField,
  type GraphQLOutputType,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  CALLERS,
  type Caller,
  type CaseRecords,
  createSweepWorld,
  MARKERS,
  MASKABLE_CALLERS,
  MASKING_DESK_ACCOUNTS,
  type SweepWorld,
  type ZoneRecords,
} from '../testing/sweep-world.ts';
import { KNOWN_LEAKS, type KnownLeak } from './authorization-known-leaks.ts';
import {
  AUTHORIZATION_POLICY,
  type Context,
  contextsOf,
  expectedOutcome,
  type FieldPolicy,
  type Outcome,
  personsVisibleTo,
} from './authorization-policy.ts';
import { schema } from './index.ts';

// The authorization sweep (issue 8, section 5): every root field of the schema, as every caller,
// in every context its policy entry applies to, compared with authorization-policy.ts. Each call
// runs in a sandbox (its writes rolled back), so every mutation meets the same seeded world with
// inputs that succeed when the caller is allowed. Besides the outcome class it checks that
// - no answer carries a person record the caller may not see (any field, at any depth);
// - linking a person by id or codice fiscale never links nor shows one held elsewhere;
// - at a masking desk and for partners no sensitive group travels (markers, Barthel scores,
//   court measures, ISEE, health needs, health and court documents);
// - every refusal of a signed-in caller has its DENIED audit row, written by that caller;
// - a refused mutation leaves the store as it was.
//
// Observed classes beyond GRANTED, MASKED and DENIED: UNMASKED (a masked group travelled),
// PERSON_LEAK, LINKED (a person held elsewhere was linked), ORACLE (the refusal differs from the
// answer an unknown id gets), DENIED_UNAUDITED, STORE_CHANGED, ERROR:<code> (refused with another
// code, e.g. validation before authorization).

type Vars = Record<string, unknown>;
type Variant = { name?: string; vars: Vars; link?: boolean };
type Person = { id: string; taxCode: string; lastName: string };
type Samples = {
  caller: Caller;
  context: Context;
  zone: ZoneRecords;
  case: CaseRecords;
  /** The person of the context: held by the caller's organisation (OWN) or elsewhere (FOREIGN). */
  person: Person;
  own: ZoneRecords;
  w: SweepWorld;
};

const day = (offset: number) => shiftDay(todayInRome(), offset);
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const freshTaxCode = (lastName: string) =>
  computeTaxCode({
    firstName: 'Nuova',
    lastName,
    sex: 'F',
    birthDate: '1971-03-03',
    birthPlaceCode: 'G478',
  });
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';
const UNKNOWN_TAX_CODE = freshTaxCode('Sconosciuta');

const citizen = (extra: Vars = {}) => ({
  occurredAt: hoursAgo(1),
  channel: 'IN_PERSON',
  accessKind: 'CITIZEN',
  consent: { status: 'GIVEN' },
  needs: [{ code: 'POV' }],
  ...extra,
});
const newSubject = {
  taxCode: freshTaxCode('Registrata'),
  firstName: 'Nuova',
  lastName: 'Registrata',
};

/** Operators without a desk of their own name the desk the record is made at. */
const deskOf = (s: Samples) =>
  s.caller === 'FRONT_DESK' ? {} : { contactPointId: s.w.fx.contactPoints.puaPg };

/** The ways a person is linked into an intake record: by codice fiscale, and by id in three places. */
const intakeLinks = (p: Person): Variant[] => [
  {
    name: 'subject.taxCode',
    link: true,
    // Names typed as a desk would: a code held elsewhere then registers the organisation's own
    // person (persons/person.access.ts), which the sweep counts as a refusal of the link.
    vars: {
      subject: { taxCode: p.taxCode, firstName: 'Nome', lastName: 'Digitato' },
      consent: { status: 'GIVEN' },
    },
  },
  {
    name: 'subject.personId',
    link: true,
    vars: { subject: { personId: p.id }, consent: { status: 'GIVEN' } },
  },
  {
    name: 'interlocutor.personId',
    link: true,
    vars: {
      accessKind: 'LEGAL_REPRESENTATIVE',
      subject: newSubject,
      interlocutor: {
        kind: 'LEGAL_REPRESENTATIVE',
        personId: p.id,
        name: 'Tutore',
        entitled: true,
      },
      consent: { status: 'GIVEN', givenBy: 'LEGAL_REPRESENTATIVE' },
    },
  },
  {
    name: 'referencePersons.personId',
    link: true,
    vars: {
      subject: newSubject,
      referencePersons: [{ relationship: 'RELATIVE', personId: p.id, fullName: 'Parente' }],
      consent: { status: 'GIVEN' },
    },
  },
];

const BARTHEL = {
  feeding: 10,
  bathing: 5,
  grooming: 5,
  dressing: 10,
  bowels: 10,
  bladder: 10,
  toiletUse: 10,
  transfers: 15,
  ambulation: 15,
  stairs: 10,
};

/** The deliveries records of the context's zone. */
const dz = (s: Samples) =>
  s.context === 'FOREIGN' ? s.w.deliveries.terni : s.w.deliveries.perugia;

/** The username or client id the sweep calls with, as it picks it for the caller's context. */
const accountOf = (s: Samples): string =>
  s.caller === 'ANONYMOUS'
    ? ''
    : s.context === 'MASKING_DESK' && (MASKABLE_CALLERS as readonly string[]).includes(s.caller)
      ? MASKING_DESK_ACCOUNTS[s.caller as (typeof MASKABLE_CALLERS)[number]]
      : ACCOUNTS[s.caller];

/** Sample arguments of every root field: inputs that succeed when the caller is allowed. */
const ARGS: Record<string, (s: Samples) => Vars | Variant[]> = {
  login: () => ({ username: 'sportello.pg', password: FIXTURE_PASSWORD }),
  logout: () => ({}),
  me: () => ({}),
  auditLog: () => ({ limit: 5 }),
  dataSharingAgreements: () => ({}),
  recordDataSharingAgreement: (s) => ({
    input: {
      organizationId: s.w.fx.organizations.perugia,
      partnerOrganizationId: s.w.fx.organizations.terni,
      purpose: 'Presa in carico condivisa',
      reference: 'Protocollo d’intesa n. 7/2026',
      validFrom: day(-1),
    },
  }),
  revokeDataSharingAgreement: (s) => ({ id: s.w.agreementId }),
  barthelItems: () => ({}),
  assessmentSchema: () => ({ kind: 'BARTHEL' }),
  serviceCatalog: () => ({ text: 'assistenza', limit: 3 }),
  serviceCatalogVersions: () => ({ code: 'A2.07' }),
  needCodes: () => ({}),
  targetAreas: () => ({}),
  problemCodes: () => ({}),
  caseCodeLists: () => ({}),
  addCustomServiceCode: () => ({
    input: {
      code: 'UMB-SWEEP-1',
      title: 'Servizio regionale',
      mapsToCode: 'A2.07',
      regionCode: '10',
    },
  }),
  reviseCustomServiceCode: () => ({
    input: { code: 'UMB-SWEEP-0', validFrom: day(1), title: 'Servizio regionale rivisto' },
  }),
  addCustomNeedCode: () => ({
    input: { code: 'POVUMB', label: 'Povertà estrema', parentCode: 'POV', regionCode: '10' },
  }),

  personByTaxCode: (s) => ({ taxCode: s.person.taxCode }),
  person: (s) => ({ id: s.person.id }),
  consentHistory: (s) => ({ personId: s.person.id }),
  recordConsent: (s) => ({ input: { personId: s.person.id, status: 'GIVEN' } }),
  searchPersons: (s) => ({ lastName: s.person.lastName }),
  intakeSubjects: (s) => [
    { name: 'taxCode', vars: { taxCode: s.person.taxCode } },
    { name: 'lastName', vars: { lastName: s.person.lastName } },
  ],
  createPerson: () => ({
    input: { taxCode: freshTaxCode('Anagrafe'), firstName: 'Nuova', lastName: 'Anagrafe' },
  }),

  intakeRecord: (s) => ({ id: s.zone.openIntakeId }),
  intakeRecords: (s) => ({ filter: { organizationId: s.zone.organizationId } }),
  createIntakeRecord: (s) =>
    intakeLinks(s.person).map((v) => ({
      ...v,
      vars: { input: citizen({ ...deskOf(s), ...v.vars }) },
    })),
  updateIntakeRecord: (s) => [
    { name: 'record', vars: { id: s.zone.openIntakeId, input: { summary: 'Aggiornata' } } },
    ...intakeLinks(s.person).map((v) => ({
      ...v,
      vars: { id: s.own.openIntakeId, input: v.vars },
    })),
  ],
  duplicateIntakeRecord: (s) => ({ id: s.zone.openIntakeId }),
  deleteIntakeRecord: (s) => ({ id: s.zone.openIntakeId, reason: 'Inserita per errore' }),
  closeIntakeRecord: (s) => ({ id: s.zone.openIntakeId, outcome: 'INFORMATION_GIVEN' }),
  proposeIntakeRecordForCare: (s) => ({ id: s.zone.openIntakeId }),
  sendIntakeRecordToDesk: (s) => ({
    id: s.zone.openIntakeId,
    contactPointId: s.w.fx.contactPoints.immigrantPg,
  }),
  addIntakeDiaryEntry: (s) => ({ id: s.zone.openIntakeId, input: { text: 'Telefonata' } }),
  recordIntakeConsent: (s) => ({ id: s.zone.openIntakeId, input: { status: 'GIVEN' } }),

  proposedIntakeRecords: (s) => ({ officeId: s.zone.officeId }),
  overdueJudicialProposals: (s) => ({ officeId: s.zone.officeId, withinDays: 30 }),
  officeCaseFiles: (s) => ({ officeId: s.zone.officeId }),
  startIntakeEvaluation: (s) => ({ intakeRecordId: s.zone.proposedIntakeId }),
  rejectIntakeRecord: (s) => ({
    intakeRecordId: s.zone.proposedIntakeId,
    input: { reasonCode: 'NOT_NECESSARY', reason: 'Non necessario' },
  }),
  openCaseFile: (s) => ({
    intakeRecordId: s.zone.proposedIntakeId,
    input: { targetAreaCode: 'ELD', firstInterview: { on: day(-1), summary: 'Colloquio' } },
  }),
  attachIntakeRecord: (s) => ({ intakeRecordId: s.zone.attachableIntakeId }),

  caseFile: (s) => ({ id: s.case.id }),
  caseAssessments: (s) => ({ caseFileId: s.case.id }),
  carePlans: (s) => ({ caseFileId: s.case.id }),
  caseDiary: (s) => ({ caseFileId: s.case.id }),
  referralTargets: (s) => ({ caseFileId: s.case.id }),
  caseDocument: (s) => ({ id: s.case.documentId }),
  caseFilesOfPerson: (s) => ({ personId: s.case.personId }),
  myCaseFiles: () => ({}),
  dueReviews: () => ({}),
  incomingReferrals: () => ({}),

  changeCaseStatus: (s) => ({
    caseFileId: s.case.id,
    input: { to: 'SUSPENDED', reason: 'Ricovero' },
  }),
  transferCaseFile: (s) => ({
    caseFileId: s.case.id,
    input: { toOfficeId: s.w.secondOfficeId, reason: 'Competenza' },
  }),
  changeCaseSector: (s) => ({ caseFileId: s.case.id, sector: 'Anziani' }),
  setCaseTargetArea: (s) => ({ caseFileId: s.case.id, targetAreaCode: 'DIS' }),
  enableCaseOperator: (s) => ({
    caseFileId: s.case.id,
    input: {
      operatorId:
        s.context === 'NOT_ENABLED'
          ? s.w.fx.operators.socialWorkerPg
          : s.w.fx.operators.socialWorker2Pg,
      operatorType: 'SOCIAL_WORKER',
    },
  }),
  disableCaseOperator: (s) => ({ caseFileId: s.case.id, operatorId: s.case.enabledOperatorId }),
  grantCaseOrganizationAccess: (s) => ({
    caseFileId: s.case.id,
    input: {
      // An organisation the case shares data with (data-sharing agreement) and not yet granted.
      organizationId:
        s.case.id === s.w.cases.own.id ? s.w.fx.organizations.region : s.w.fx.organizations.asl,
      reason: 'Presa in carico integrata',
    },
  }),
  revokeCaseOrganizationAccess: (s) => ({ caseFileId: s.case.id, grantId: s.case.grantId }),
  addCaseResource: (s) => [
    {
      name: 'name',
      vars: {
        caseFileId: s.case.id,
        input: { kind: 'FAMILY', relationship: 'fratello', name: 'Mario Rete' },
      },
    },
    ...(s.context === 'NOT_ENABLED'
      ? []
      : [
          {
            name: 'personId',
            link: true,
            vars: {
              caseFileId: s.own.caseFile.id,
              input: {
                kind: 'FAMILY',
                relationship: 'fratello',
                name: 'Parente',
                personId: s.person.id,
              },
            },
          },
        ]),
  ],
  removeCaseResource: (s) => ({ caseFileId: s.case.id, resourceId: s.case.resourceId }),
  recordSocialData: (s) => ({
    caseFileId: s.case.id,
    input: { domain: 'WORK', code: '1', reliability: 'REPORTED', source: 'INTERVIEW' },
  }),
  addInvalidity: (s) => ({ caseFileId: s.case.id, input: { certification: '1', evidence: '1' } }),
  addDisability: (s) => ({ caseFileId: s.case.id, input: { disabilityType: '1' } }),
  addCourtMeasure: (s) => ({
    caseFileId: s.case.id,
    input: { courtBody: 'TO', measureOn: day(-1) },
  }),
  addIsee: (s) => ({
    caseFileId: s.case.id,
    input: { iseeType: 'ORDINARIO', iseeValue: 1000, validFrom: day(-1), validTo: day(200) },
  }),
  recordAssessment: (s) => ({
    caseFileId: s.case.id,
    input: { kind: 'BARTHEL', assessedOn: day(-1), items: BARTHEL },
  }),
  addCaseNote: (s) => ({ caseFileId: s.case.id, text: 'Nota' }),
  addSchoolRecord: (s) => ({
    caseFileId: s.case.id,
    input: { schoolYear: '2025/2026', schoolType: '1' },
  }),
  uploadCaseDocument: (s) => ({
    caseFileId: s.case.id,
    input: { fileName: 'nota.txt', contentBase64: Buffer.from('Nota\n').toString('base64') },
  }),
  addCaseDiaryEntry: (s) => ({
    caseFileId: s.case.id,
    input: { type: 'NOTE', on: day(0), text: 'Nota' },
  }),
  recordProfessionalActivity: (s) => ({
    caseFileId: s.case.id,
    input: { kind: 'INTERVIEW', on: day(0), summary: 'Colloquio' },
  }),
  createReferral: (s) => ({
    caseFileId: s.case.id,
    input: { kind: 'SERVICE', toOfficeId: s.zone.officeId, reason: 'Valutazione' },
  }),
  createIndividualProject: (s) => ({
    caseFileId: s.case.id,
    input: { kind: 'AUTONOMY', title: 'Autonomia', startOn: day(0) },
  }),
  recordCaseFileConsent: (s) => ({ caseFileId: s.case.id, input: { status: 'GIVEN' } }),
  createCarePlan: (s) => ({
    caseFileId: s.case.id,
    input: { title: 'PAI', startOn: day(-1), goals: [{ term: 'SHORT', description: 'Obiettivo' }] },
  }),
  recordCarePlanAgreement: (s) => ({
    carePlanId: s.case.carePlanId,
    input: { agreedBy: 'PERSON', agreedOn: day(-1) },
  }),
  addCarePlanReview: (s) => ({ carePlanId: s.case.carePlanId, input: { dueOn: day(30) } }),
  completeCarePlanReview: (s) => ({
    reviewId: s.case.reviewId,
    input: { doneOn: day(0), outcome: 'ON_TRACK' },
  }),
  closeCarePlan: (s) => ({ carePlanId: s.case.carePlanId, closedOn: day(0), reason: 'Concluso' }),
  setFosterCare: (s) => ({ carePlanId: s.case.carePlanId, input: { status: 10 } }),
  createResidentialPlacement: (s) => ({
    caseFileId: s.case.id,
    input: { facilityName: 'Centro diurno', admissionOn: day(-1) },
  }),
  dischargeFromPlacement: (s) => ({
    placementId: s.case.placementId,
    input: { dischargeOn: day(0), outcome: '1' },
  }),
  addPlacementService: (s) => ({
    placementId: s.case.placementId,
    input: { description: 'Fisioterapia', startOn: day(0) },
  }),
  providers: () => ({}),
  providerContracts: () => ({}),
  tariffs: () => ({ serviceCode: 'A2.07' }),
  fundingSources: () => ({}),
  projects: () => ({}),
  createProvider: (s) => ({
    input: { name: 'Nuovo ente', kind: 'IN_HOUSE', officeId: s.w.fx.offices.perugia },
  }),
  createProviderContract: (s) => ({
    input: {
      providerId: s.w.deliveries.perugia.providerId,
      kind: 'ACCREDITATION',
      reference: 'Accreditamento nuovo',
      serviceCodes: ['A2.07'],
      startOn: day(-1),
    },
  }),
  addTariff: (s) => ({
    input: {
      providerId: s.w.deliveries.perugia.providerId,
      serviceCode: 'A2.07',
      unit: 'HOUR',
      unitCost: 23,
      validFrom: day(1),
    },
  }),
  registerProject: () => ({
    input: {
      code: 'SWEEP-1',
      title: 'Progetto',
      fundingSourceCode: 'FNPS',
      budget: 1000,
      startOn: day(-1),
    },
  }),
  intervention: (s) => ({ id: dz(s).interventionId }),
  interventions: (s) => ({ filter: { officeId: s.zone.officeId } }),
  delivery: (s) => ({ id: dz(s).recordedDeliveryId }),
  deliveries: (s) => ({ filter: { officeId: s.zone.officeId } }),
  benefitOverlaps: () => ({}),
  createIntervention: (s) => [
    {
      link: true,
      vars: {
        input: {
          personId: s.person.id,
          serviceCode: 'A2.07',
          providerId: s.w.deliveries.perugia.providerId,
          unit: 'HOUR',
          periodicity: 'OCCASIONAL',
          startOn: day(-1),
          meansTest: 'M1',
          isee: { value: 1000, dsuProtocol: 'INPS-ISEE-2026-00001000E-03', dsuOn: day(-30) },
          takenInCare: 'NO',
          applicationProtocol: 'SWEEP/2',
        },
      },
    },
  ],
  endIntervention: (s) => ({ id: dz(s).interventionId, status: 'CLOSED', endOn: day(0) }),
  recordDelivery: (s) => ({
    input: { interventionId: dz(s).interventionId, deliveredOn: day(-1), quantity: 1 },
  }),
  generateExpectedDeliveries: (s) => ({ interventionId: dz(s).periodicInterventionId }),
  verifyDelivery: (s) => ({ id: dz(s).toVerifyDeliveryId, input: { decision: 'ACCEPT' } }),
  correctDelivery: (s) => ({
    id: dz(s).recordedDeliveryId,
    input: { quantity: 2, note: 'Un’ora in meno' },
  }),
  cancelDelivery: (s) => ({ id: dz(s).recordedDeliveryId, reason: 'Registrata per errore' }),
  recordDeliveries: (s) => ({
    input: [{ interventionId: dz(s).interventionId, deliveredOn: day(-2), quantity: 1 }],
  }),
  siussDuties: () => ({}),
  siussFlows: () => ({}),
  buildSiussFlows: (s) => ({ organizationId: s.w.fx.organizations.perugia, route: 'WAAS' }),
  // The sweep world marks the Perugia recorded delivery's SIUSS record as rejected by INPS.
  resendSiussDuty: (s) => ({ deliveryId: s.w.deliveries.perugia.recordedDeliveryId }),
  siussSinbaDuties: () => ({}),
  // The sweep world's Perugia minor has a SInBA assessment whose SINBA record INPS rejected.
  resendSiussSinbaDuty: (s) => ({ id: s.w.sinbaAssessmentId }),
  configureSiussSender: (s) => ({
    input: {
      organizationId: s.w.fx.organizations.perugia,
      enteCode: 'G478',
      name: 'Zona sociale 2 – Perugia',
      seatCadastralCode: 'G478',
      operatorTaxCode: 'RSSMRA80A01G478X',
    },
  }),
  answerReferral: (s) => ({
    referralId:
      s.context === 'FOREIGN' ? s.w.cases.foreign.referralId : s.w.cases.notEnabled.referralId,
    accept: true,
  }),
  cube: () => ({
    query: { measures: ['intake.count', 'intake.persons'], dimensions: ['intake.district'] },
  }),
  cubeMeta: () => ({}),
  etlRuns: () => ({ limit: 5 }),
  kpiAlerts: () => ({}),
  // The simulators answer about the sweep world's own persons (sweep-world.ts).
  anprPerson: (s) => ({ taxCode: s.own.person.taxCode, reason: 'Pratica SWEEP/1' }),
  anprFamily: (s) => ({ personId: s.person.id, reason: 'Pratica SWEEP/3' }),
  anprFamilyByTaxCode: (s) => ({ taxCode: s.own.person.taxCode, reason: 'Scheda SWEEP/4' }),
  caseHealthProfile: (s) => ({ caseFileId: s.case.id }),
  fetchIseeFromInps: (s) => ({ caseFileId: s.case.id, reason: 'Domanda SWEEP/2' }),
  counterpartExchanges: () => ({ filter: { limit: 5 } }),
  syncRuns: () => ({ limit: 5 }),
  syncRegistryNow: () => ({}),
  personChangeNotices: () => ({ first: 5 }),
  // The caller's own notice of the case, or (not enabled, elsewhere) the opener's.
  markPersonChangeNoticeRead: (s) => ({
    id:
      s.case.noticeIds[accountOf(s)] ??
      Object.values(s.case.noticeIds).find((id) => id !== undefined),
  }),
  caseOperatorCandidates: (s) => ({ caseFileId: s.case.id }),
  intakeSendTargets: () => ({}),
};

// ---- Operations built from the schema -------------------------------------------------------

const SELECTION_DEPTH = 4;

/** Every leaf of the type to a few levels, with __typename, so that nested persons show. */
function selectionOf(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const parts = ['__typename'];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) parts.push(f.name);
    else if (depth > 1) parts.push(`${f.name} ${selectionOf(f.type, depth - 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function operationOf(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  vars: Vars,
) {
  const used = field.args.filter((a) => a.name in vars);
  const declared = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selectionOf(field.type, SELECTION_DEPTH)} }`;
}

const ROOT_FIELDS = [
  ...Object.values(schema.getQueryType()!.getFields()).map((f) => ({ kind: 'query' as const, f })),
  ...Object.values(schema.getMutationType()!.getFields()).map((f) => ({
    kind: 'mutation' as const,
    f,
  })),
];

// ---- Observing one call ---------------------------------------------------------------------

type Observed = string;
type Cell = {
  field: string;
  caller: Caller;
  context: Context;
  expected: Outcome;
  observed: Observed;
};

const walk = (v: unknown, visit: (o: Record<string, unknown>) => void): void => {
  if (Array.isArray(v)) for (const x of v) walk(x, visit);
  else if (v && typeof v === 'object') {
    visit(v as Record<string, unknown>);
    for (const x of Object.values(v)) walk(x, visit);
  }
};

/**
 * What of the masked groups travelled in an answer (all four groups are masked where checked).
 * A provider knows the service it delivers (deliveries.masking.ts): its codes are no leak to it.
 */
function sensitiveIn(data: unknown, caller?: string): string[] {
  const found = new Set<string>();
  const text = JSON.stringify(data);
  for (const [group, marker] of Object.entries(MARKERS))
    if (text.includes(marker)) found.add(group);
  walk(data, (o) => {
    const type = o.__typename;
    if (type === 'Assessment' && o.score != null) found.add('HEALTH:Barthel score');
    if (type === 'Invalidity' || type === 'Disability') found.add(`HEALTH:${type}`);
    if (type === 'CourtMeasure') found.add('JUDICIAL:CourtMeasure');
    if (type === 'IseeRecord') found.add('ECONOMIC:IseeRecord');
    if (type === 'InterventionIsee') found.add('ECONOMIC:InterventionIsee');
    if (type === 'CaseHealthProfile') found.add('HEALTH:CaseHealthProfile');
    if (type === 'CaseDocument' && (o.subfolder === 1 || o.subfolder === 6))
      found.add(`document subfolder ${String(o.subfolder)}`);
    if (type === 'IntakeNeed' && (o.code === 'ADD' || o.code === 'DIS')) found.add('HEALTH:need');
    if (o.targetAreaCode === 'ADD' || o.targetAreaCode === 'DIS') found.add('HEALTH:targetArea');
    if (o.userArea === 'DISABILITA_NON_AUTOSUFFICIENZA') found.add('HEALTH:userArea');
    const provider = caller === 'PARTNER_DELIVERIES_WRITE';
    for (const code of [o.serviceCode, o.standardServiceCode])
      if (!provider && typeof code === 'string' && HEALTH_SERVICE_CODES.includes(code))
        found.add('HEALTH:serviceCode');
    if (type === 'IntakeListItem' && Array.isArray(o.needCodes))
      if (o.needCodes.some((c) => c === 'ADD' || c === 'DIS')) found.add('HEALTH:need');
    if (type === 'DiaryEntry' && typeof o.text === 'string' && /barthel/i.test(o.text))
      found.add('HEALTH:diary');
  });
  return [...found];
}

const hasMaskedFields = (data: unknown) => {
  let masked = false;
  walk(data, (o) => {
    if (Array.isArray(o.maskedFields) && o.maskedFields.length > 0) masked = true;
  });
  return masked;
};

const isEmpty = (value: unknown) =>
  (Array.isArray(value) && value.length === 0) ||
  (!!value &&
    typeof value === 'object' &&
    Array.isArray((value as { items?: unknown }).items) &&
    (value as { items: unknown[] }).items.length === 0);

const matches = (expected: Outcome, observed: Observed) =>
  expected === observed || (expected === 'MASKED' && observed === 'GRANTED');

const GRANT_LIKE = ['GRANTED', 'MASKED', 'UNMASKED', 'PERSON_LEAK', 'LINKED', 'ORACLE'];

describe('authorization sweep: every root field, every caller, every context', () => {
  let w: SweepWorld;
  const tokens = new Map<string, string>();
  const cells: Cell[] = [];
  const counts = { calls: 0, probes: 0 };
  let fingerprintSql = '';
  let baseline = '';
  const linkBaseline = new Map<string, number>();

  const linkCount = async (personId: string) =>
    (
      await w.db.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM intake_record WHERE subject_person_id = $1 OR interlocutor_person_id = $1)
               + (SELECT count(*) FROM intake_reference_person WHERE person_id = $1)
               + (SELECT count(*) FROM case_resource WHERE person_id = $1)
               + (SELECT count(*) FROM intervention WHERE person_id = $1))::int AS n`,
        [personId],
      )
    )[0]!.n;
  const fingerprint = async () => JSON.stringify(await w.db.query(fingerprintSql));

  // Building the world (12 accounts, every domain) outlasts the default hook timeout when the
  // machine is busy; the guard against a hang is the suite's own, not this one.
  beforeAll(async () => {
    w = await createSweepWorld();
    const accounts = [...Object.values(ACCOUNTS), ...Object.values(MASKING_DESK_ACCOUNTS)];
    for (const a of accounts) tokens.set(a, await w.tokenOf(a));
    const tables = await w.db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    // What a write could change; the audit, the token list and the reference tables aside.
    const skip = new Set([
      'audit_log',
      'revoked_token',
      'operator',
      'partner_client',
      'schema_migrations',
    ]);
    const countOnly = new Set([
      'service_catalog',
      'municipality',
      'foreign_country',
      'problem_code',
      'diary_type',
      'target_area',
      'need_code',
    ]);
    fingerprintSql = `SELECT ${tables
      .filter((t) => !skip.has(t.name))
      .map((t) =>
        countOnly.has(t.name)
          ? `(SELECT count(*)::int FROM ${t.name}) AS "${t.name}"`
          : `(SELECT md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) FROM ${t.name} x) AS "${t.name}"`,
      )
      .join(', ')}`;
    baseline = await w.db.sandboxed(fingerprint);
    for (const p of [w.zones.perugia.person, w.zones.terni.person, w.aslPerson])
      linkBaseline.set(p.id, await linkCount(p.id));
  }, 600_000);

  afterAll(async () => {
    const unexpected = cells.filter((c) => !matches(c.expected, c.observed));
    const grants = unexpected.filter((c) => GRANT_LIKE.includes(c.observed));
    const denials = unexpected.filter(
      (c) =>
        c.expected !== 'DENIED' && (c.observed === 'DENIED' || c.observed.startsWith('ERROR:')),
    );
    const summary = {
      fields: ROOT_FIELDS.length,
      variants: new Set(cells.map((c) => c.field)).size,
      callers: CALLERS.length,
      contexts: new Set(cells.map((c) => c.context)).size,
      calls: counts.calls,
      oracleProbes: counts.probes,
      cells: cells.length,
      unexpectedGrants: grants.length,
      unexpectedDenials: denials.length,
      unauditedRefusals: unexpected.filter((c) => c.observed === 'DENIED_UNAUDITED').length,
      storeChanged: unexpected.filter((c) => c.observed === 'STORE_CHANGED').length,
      otherRefusalCodes: unexpected.filter(
        (c) => c.expected === 'DENIED' && c.observed.startsWith('ERROR:'),
      ).length,
    };
    console.log(`authorization sweep: ${JSON.stringify(summary)}`);
    await w?.close();
  });

  it('should have a policy entry and sample arguments for every root field', () => {
    const names = ROOT_FIELDS.map(({ f }) => f.name);
    expect(
      names.filter((n) => !AUTHORIZATION_POLICY[n]),
      'root fields without a policy entry',
    ).toEqual([]);
    expect(
      names.filter((n) => !ARGS[n]),
      'root fields without sample arguments',
    ).toEqual([]);
    expect(
      Object.keys(AUTHORIZATION_POLICY).filter((n) => !names.includes(n)),
      'policy entries naming no root field',
    ).toEqual([]);
  });

  it('should answer as the policy says, and fail exactly in the cells of KNOWN_LEAKS', async () => {
    const samplesFor = (caller: Caller, context: Context): Samples => {
      const foreign = context === 'FOREIGN';
      const zone = foreign ? w.zones.terni : w.zones.perugia;
      const c = foreign
        ? w.cases.foreign
        : context === 'NOT_ENABLED'
          ? w.cases.notEnabled
          : w.cases.own;
      const ownPerson = caller.startsWith('PARTNER_') ? w.aslPerson : w.zones.perugia.person;
      return {
        caller,
        context,
        zone,
        case: c,
        person: foreign ? w.zones.terni.person : ownPerson,
        own: w.zones.perugia,
        w,
      };
    };
    const forbiddenStrings = (caller: Caller) => {
      const visible = personsVisibleTo(caller);
      const own =
        visible === 'OWN_ORGANISATION' ? (caller.startsWith('PARTNER_') ? 'asl' : 'perugia') : null;
      // A provider sees the beneficiaries of what it delivers, and nobody else.
      const delivered = visible === 'DELIVERED' ? new Set(w.deliveredPersonIds) : new Set();
      return (['perugia', 'terni', 'asl'] as const)
        .filter((zone) => zone !== own)
        .flatMap((zone) =>
          w.persons[zone]
            .filter((p) => !delivered.has(p.id))
            .flatMap((p) => [p.taxCode, p.lastName]),
        )
        .filter((v): v is string => !!v && v.length >= 4);
    };

    for (const { kind, f } of ROOT_FIELDS) {
      const policy: FieldPolicy | undefined = AUTHORIZATION_POLICY[f.name];
      const args = ARGS[f.name];
      if (!policy || !args) continue;
      for (const caller of CALLERS) {
        const contexts = caller === 'ANONYMOUS' ? (['OWN'] as const) : contextsOf(policy.about);
        for (const context of contexts) {
          if (
            context === 'MASKING_DESK' &&
            !(MASKABLE_CALLERS as readonly string[]).includes(caller)
          )
            continue;
          const account =
            caller === 'ANONYMOUS'
              ? null
              : context === 'MASKING_DESK'
                ? MASKING_DESK_ACCOUNTS[caller as (typeof MASKABLE_CALLERS)[number]]
                : ACCOUNTS[caller];
          const token = account ? tokens.get(account)! : null;
          const s = samplesFor(caller, context);
          const built = args(s);
          const variants: Variant[] = Array.isArray(built) ? built : [{ vars: built }];
          for (const variant of variants) {
            const expected = expectedOutcome(policy, caller, context);
            const observed = await w.db.sandboxed(async () => {
              const [{ last }] = (await w.db.query<{ last: number }>(
                'SELECT coalesce(max(id), 0)::int AS last FROM audit_log',
              )) as [{ last: number }];
              const res = await w.gql(operationOf(kind, f, variant.vars), variant.vars, token);
              counts.calls += 1;
              const error = res.body.errors?.[0];
              const code = error?.extensions?.code as string | undefined;
              const value = res.body.data?.[f.name];
              let out: Observed;
              let refused = false;
              if (code) {
                out = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'].includes(code)
                  ? 'DENIED'
                  : `ERROR:${code}`;
                refused = true;
              } else if (value === null || value === undefined) {
                out = 'DENIED';
                refused = true;
              } else if (isEmpty(value) && (context === 'FOREIGN' || context === 'NOT_ENABLED')) {
                out = 'DENIED';
              } else {
                out = hasMaskedFields(value) ? 'MASKED' : 'GRANTED';
              }
              const text = JSON.stringify(res.body.data ?? null);
              const masksEverything = context === 'MASKING_DESK' || caller.startsWith('PARTNER_');
              if (masksEverything && sensitiveIn(res.body.data, caller).length > 0)
                out = 'UNMASKED';
              // What the caller typed itself (a codice fiscale to link) coming back is no leak.
              const sent = JSON.stringify(variant.vars ?? {});
              if (forbiddenStrings(caller).some((v) => text.includes(v) && !sent.includes(v)))
                out = 'PERSON_LEAK';
              if (variant.link && (await linkCount(s.person.id)) > linkBaseline.get(s.person.id)!) {
                if (context === 'FOREIGN') out = 'LINKED';
              } else if (
                variant.link &&
                context === 'FOREIGN' &&
                (out === 'GRANTED' || out === 'MASKED') &&
                expectedOutcome(policy, caller, 'OWN') !== 'DENIED'
              ) {
                // Registered anew, nothing of the person held elsewhere reached the caller.
                out = 'DENIED';
              }
              if (out === 'DENIED' && refused && policy.existenceOracle && context === 'FOREIGN') {
                const unknown = { ...variant.vars };
                if ('taxCode' in unknown) unknown.taxCode = UNKNOWN_TAX_CODE;
                if ('id' in unknown) unknown.id = UNKNOWN_ID;
                const probe = await w.gql(operationOf(kind, f, unknown), unknown, token);
                counts.probes += 1;
                const shape = (b: typeof res.body) =>
                  (b.errors?.[0]?.extensions?.code as string | undefined) ??
                  (b.data?.[f.name] == null ? 'NULL' : 'DATA');
                if (shape(probe.body) !== shape(res.body)) out = 'ORACLE';
              }
              if (out === 'DENIED' && refused && account) {
                const rows = await w.db.query<{ n: number }>(
                  `SELECT count(*)::int AS n FROM audit_log WHERE id > $1 AND outcome = 'DENIED' AND actor_id = $2`,
                  [last, account],
                );
                if (rows[0]!.n === 0) out = 'DENIED_UNAUDITED';
              }
              if (kind === 'mutation' && refused && (await fingerprint()) !== baseline)
                out = 'STORE_CHANGED';
              return out;
            });
            cells.push({
              field: variant.name ? `${f.name}#${variant.name}` : f.name,
              caller,
              context,
              expected,
              observed,
            });
          }
        }
      }
    }

    const failures: KnownLeak[] = cells
      .filter((c) => !matches(c.expected, c.observed))
      .map(({ field, caller, context, observed }) => ({ field, caller, context, observed }));
    const key = (l: KnownLeak) => `${l.field} ${l.caller} ${l.context} ${l.observed}`;
    // SWEEP_FAILURES_FILE=/tmp/f.json writes today's failures, to update KNOWN_LEAKS from.
    const out = process.env.SWEEP_FAILURES_FILE;
    if (out)
      await import('node:fs').then((fs) =>
        fs.writeFileSync(out, JSON.stringify(failures.map(key).sort(), null, 1)),
      );
    expect(failures.map(key).sort()).toEqual(KNOWN_LEAKS.map(key).sort());
  }, 900_000); // ~3,200 calls (5 min on a busy 2-core machine): a guard against a hang, not a timing assertion
});
