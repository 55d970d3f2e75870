// Who may call each root field of the schema, on whose data, and what a masking desk sees: the
// policy the authorization sweep (authorization-sweep.test.ts) holds the schema to. One entry per
// root field; a field without one fails the sweep. Written as the rules say it should be (seed
// 003 §1.2, seed 004, issue 8), not as the code behaves today: the cells where the code still
// differs are listed in the sweep's KNOWN_LEAKS.
//
// Words used below:
// - caller: an operator's role (FRONT_DESK … ADMINISTRATOR), a partner client holding one scope
//   (persons:read, cases:read, deliveries:write, none), or nobody (ANONYMOUS).
// - context: whose data the call is about. OWN: the caller's own organisation (for a partner:
//   what its organisation holds or was granted); FOREIGN: another organisation's (Zona sociale 10
//   for the Perugia operators); NOT_ENABLED: a case file of the caller's own office whose access
//   list does not name the caller; MASKING_DESK: OWN, asked by the same role sitting at a contact
//   point whose desk profile masks every sensitive group (health, judicial, permit, economic).
// - outcome: GRANTED (the data), MASKED (the data without the sensitive groups the caller may not
//   see), DENIED (FORBIDDEN / UNAUTHENTICATED; for an existence oracle, the same answer an unknown
//   id or codice fiscale gets).

export const CONTEXTS = ['OWN', 'FOREIGN', 'NOT_ENABLED', 'MASKING_DESK'] as const;
export type Context = (typeof CONTEXTS)[number];
export type Outcome = 'GRANTED' | 'MASKED' | 'DENIED';

export type PolicyCaller =
  | 'FRONT_DESK'
  | 'SOCIAL_WORKER'
  | 'COORDINATOR'
  | 'ADMIN_STAFF'
  | 'MANAGER'
  | 'PLANNER'
  | 'ADMINISTRATOR'
  | 'PARTNER_PERSONS_READ'
  | 'PARTNER_CASES_READ'
  | 'PARTNER_DELIVERIES_WRITE'
  | 'PARTNER_NO_SCOPE'
  | 'ANONYMOUS';

/** What the field is about: it decides which contexts the sweep tries. */
export type About =
  /** Nothing of anyone's: login, reference data, the caller's own session and lists. */
  | 'NOTHING'
  | 'PERSON'
  | 'INTAKE_RECORD'
  | 'OFFICE'
  | 'CASE_FILE'
  | 'REFERRAL'
  /** An intervention of the zone (OWN: Perugia, linked to its case file; FOREIGN: Terni). */
  | 'INTERVENTION';

export type FieldPolicy = {
  /** The rule, in the domain's words. */
  rule: string;
  about: About;
  /** Who may call it: 'ANYONE', 'SIGNED_IN', or the callers. */
  callers: 'ANYONE' | 'SIGNED_IN' | readonly PolicyCaller[];
  /** The contexts in which an allowed caller is granted; in the others it is refused. */
  grantedIn: readonly Context[];
  /** Where partner clients are granted, when narrower than grantedIn (what was granted to them). */
  partnersGrantedIn?: readonly Context[];
  /** The answer carries sensitive groups: MASKED at a masking desk and for partner clients. */
  masked?: boolean;
  /** What a masking desk (and a partner without sensitive scopes) gets instead, when not MASKED. */
  atMaskingDesk?: Outcome;
  /** A refusal must not tell a record held elsewhere from an unknown one (defect 11). */
  existenceOracle?: boolean;
};

const CASEWORK: readonly PolicyCaller[] = [
  'FRONT_DESK',
  'SOCIAL_WORKER',
  'COORDINATOR',
  'ADMIN_STAFF',
];
const OPERATORS: readonly PolicyCaller[] = [
  'FRONT_DESK',
  'SOCIAL_WORKER',
  'COORDINATOR',
  'ADMIN_STAFF',
  'MANAGER',
  'PLANNER',
  'ADMINISTRATOR',
];
/** Intake records are written by the desks and by the social workers who evaluate them. */
const INTAKE_WRITERS: readonly PolicyCaller[] = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR'];
/** Enabled operators of the case's access list (the fixture enables these roles on OWN). */
const CASE_OPERATORS: readonly PolicyCaller[] = ['SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF'];
/** Social workers and coordinators of the office a proposal or a case belongs to. */
const OFFICE_WORKERS: readonly PolicyCaller[] = ['SOCIAL_WORKER', 'COORDINATOR'];

const ENABLED: readonly Context[] = ['OWN', 'MASKING_DESK'];
const OWN_ORGANISATION: readonly Context[] = ['OWN', 'MASKING_DESK'];
const EVERYWHERE: readonly Context[] = ['OWN'];

const reference = (rule: string): FieldPolicy => ({
  rule,
  about: 'NOTHING',
  callers: 'SIGNED_IN',
  grantedIn: EVERYWHERE,
});

/** The operator's own work lists: any operator (empty for those with no cases), no partner. */
const operatorList = (rule: string): FieldPolicy => ({
  rule,
  about: 'NOTHING',
  callers: [...OPERATORS],
  grantedIn: EVERYWHERE,
});

/** A write to a case file by an operator on its access list. */
const caseWrite = (rule: string, extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
  rule,
  about: 'CASE_FILE',
  callers: CASE_OPERATORS,
  grantedIn: ENABLED,
  masked: true,
  ...extra,
});
/** A sensitive section a masking desk may neither read nor write. */
const sensitiveCaseWrite = (rule: string) => caseWrite(rule, { atMaskingDesk: 'DENIED' });
/** Status, sector, office, target area: an enabled operator working in the owning office. */
const caseStatus = (rule: string): FieldPolicy => ({
  rule,
  about: 'CASE_FILE',
  callers: OFFICE_WORKERS,
  grantedIn: ENABLED,
});
/** The access list and the grants: the owning office's coordinator, enabled or not. */
const caseManage = (rule: string): FieldPolicy => ({
  rule,
  about: 'CASE_FILE',
  callers: ['COORDINATOR'],
  grantedIn: ['OWN', 'NOT_ENABLED', 'MASKING_DESK'],
});
const intakeWrite = (rule: string, extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
  rule,
  about: 'INTAKE_RECORD',
  callers: INTAKE_WRITERS,
  grantedIn: OWN_ORGANISATION,
  masked: true,
  ...extra,
});
const takeIntoCare = (rule: string): FieldPolicy => ({
  rule,
  about: 'INTAKE_RECORD',
  callers: OFFICE_WORKERS,
  grantedIn: OWN_ORGANISATION,
  masked: true,
});

const personRead = (rule: string, extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
  rule,
  about: 'PERSON',
  callers: [...CASEWORK, 'PARTNER_PERSONS_READ'],
  grantedIn: OWN_ORGANISATION,
  masked: true,
  ...extra,
});

/** Setting up providers, contracts, tariffs, projects: no persons, the paying organisation's staff. */
const deliveriesSetUp = (rule: string): FieldPolicy => ({
  rule,
  about: 'NOTHING',
  callers: ['ADMIN_STAFF', 'MANAGER'],
  grantedIn: EVERYWHERE,
});
/** Reference data of erogazione interventi: any operator of the organisation, no partner. */
const deliveriesReference = (rule: string, extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
  rule,
  about: 'NOTHING',
  callers: ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF', 'MANAGER'],
  grantedIn: EVERYWHERE,
  ...extra,
});
/**
 * Interventions and deliveries are personal data (deliveries.access.ts): the administrative staff
 * and the coordinators of the paying organisation, a social worker enabled on the intervention's
 * case file (the sweep links the OWN intervention to the OWN case), the provider's client for what
 * it delivers (the OWN one). The ISEE is masked where the economic group is.
 */
const interventionRead = (rule: string, extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
  rule,
  about: 'INTERVENTION',
  callers: ['SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF', 'PARTNER_DELIVERIES_WRITE'],
  grantedIn: OWN_ORGANISATION,
  partnersGrantedIn: ['OWN'],
  masked: true,
  ...extra,
});
/** The office's decisions on deliveries: administrative staff and coordinators. */
const deliveryDecision = (rule: string): FieldPolicy => ({
  rule,
  about: 'INTERVENTION',
  callers: ['COORDINATOR', 'ADMIN_STAFF'],
  grantedIn: OWN_ORGANISATION,
});

/**
 * The SIUSS duty of the organisation: its administrative staff and coordinators (one organisation's
 * calls: elsewhere FORBIDDEN). INPS pulls through the WaaS REST API, not GraphQL.
 */
const siussDuty = (rule: string): FieldPolicy => ({
  rule,
  about: 'NOTHING',
  callers: ['COORDINATOR', 'ADMIN_STAFF'],
  grantedIn: EVERYWHERE,
});

export const AUTHORIZATION_POLICY: Record<string, FieldPolicy> = {
  // ---- Session -------------------------------------------------------------------------------
  login: {
    rule: 'Anyone may log in with valid credentials',
    about: 'NOTHING',
    callers: 'ANYONE',
    grantedIn: EVERYWHERE,
  },
  logout: reference('Any signed-in caller revokes its own token'),
  me: reference('Any signed-in caller reads its own memberships and scopes'),
  auditLog: {
    rule: 'Only the administrator reads the audit log',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },

  dataSharingAgreements: {
    rule: 'Administrators read every data-sharing agreement, coordinators those of their organisations',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR', 'COORDINATOR'],
    grantedIn: EVERYWHERE,
  },
  recordDataSharingAgreement: {
    rule: 'Only the administrator records a data-sharing agreement between two organisations',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },
  revokeDataSharingAgreement: {
    rule: 'Only the administrator revokes a data-sharing agreement',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },

  // ---- Reference data (no personal data) -----------------------------------------------------
  barthelItems: reference('The Barthel items: reference data for any signed-in caller'),
  assessmentSchema: reference("INPS's SINBA/SINA attributes: reference data"),
  serviceCatalog: reference('The nomenclator: reference data'),
  serviceCatalogVersions: reference('The versions of a nomenclator code: reference data'),
  needCodes: reference('The coded needs: reference data'),
  targetAreas: reference('The ISTAT target areas: reference data'),
  problemCodes: reference('The problem codes: reference data'),
  caseCodeLists: reference('The code lists of the case file sections: reference data'),
  addCustomServiceCode: {
    rule: 'Only the administrator adds regional nomenclator codes',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },
  reviseCustomServiceCode: {
    rule: 'Only the administrator revises regional nomenclator codes',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },
  addCustomNeedCode: {
    rule: 'Only the administrator adds regional need codes',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },

  // ---- Persons (anagrafica) ------------------------------------------------------------------
  personByTaxCode: personRead(
    'Casework operators and persons:read partners find the persons their organisation holds; a person held elsewhere answers as an unknown codice fiscale; the permit is masked at masking desks and for partners',
    { existenceOracle: true },
  ),
  person: personRead(
    'As personByTaxCode, by id; a person held elsewhere answers as an unknown id',
    { existenceOracle: true },
  ),
  searchPersons: personRead(
    "Only persons the caller's organisation holds are listed; MANAGER, PLANNER and ADMINISTRATOR get no person records",
  ),
  consentHistory: {
    rule: 'The person’s consent decisions towards the caller’s organisations: casework operators, persons their organisation holds; a person held elsewhere answers as an unknown one',
    about: 'PERSON',
    callers: CASEWORK,
    grantedIn: OWN_ORGANISATION,
    existenceOracle: true,
  },
  recordConsent: {
    rule: 'The front desk and the social workers record a person’s decision at any time, for persons their organisation holds',
    about: 'PERSON',
    callers: INTAKE_WRITERS,
    grantedIn: OWN_ORGANISATION,
  },
  intakeSubjects: {
    rule: "The desk's registry look-up: casework operators only, persons of their own organisation only, never the region's registry (defect 2)",
    about: 'PERSON',
    callers: CASEWORK,
    grantedIn: OWN_ORGANISATION,
    masked: true,
  },
  createPerson: {
    rule: 'Casework operators (and persons:write partners) register persons for their organisation',
    about: 'NOTHING',
    callers: CASEWORK,
    grantedIn: EVERYWHERE,
    masked: true,
  },

  // ---- Intake records (schede di accesso) ----------------------------------------------------
  intakeRecord: {
    rule: "The records of the caller's organisation, for the desks, the social workers, the coordinator and the administrative staff; masked groups withheld at a masking desk",
    about: 'INTAKE_RECORD',
    callers: CASEWORK,
    grantedIn: OWN_ORGANISATION,
    masked: true,
  },
  intakeRecords: {
    rule: "Searches only the caller's organisation; a filter on another organisation finds nothing; health needs are not listed at a desk that masks health",
    about: 'INTAKE_RECORD',
    callers: CASEWORK,
    grantedIn: OWN_ORGANISATION,
    masked: true,
  },
  createIntakeRecord: intakeWrite(
    'Desks and social workers record an access; a subject, interlocutor or reference person the organisation may not see is never linked nor shown (registered anew or refused)',
  ),
  updateIntakeRecord: intakeWrite(
    "Changes a record of the caller's organisation; the same linking rule as createIntakeRecord; a masked group is neither shown nor overwritten",
  ),
  duplicateIntakeRecord: intakeWrite("Copies a record of the caller's organisation"),
  deleteIntakeRecord: intakeWrite("Deletes a record of the caller's organisation", {
    masked: false,
  }),
  closeIntakeRecord: intakeWrite("Closes a record of the caller's organisation"),
  proposeIntakeRecordForCare: intakeWrite(
    "Proposes a record of the caller's organisation to one of its offices",
  ),
  sendIntakeRecordToDesk: intakeWrite(
    "Sends a record of the caller's organisation to another of its desks",
  ),
  addIntakeDiaryEntry: intakeWrite("Writes in the diary of a record of the caller's organisation"),
  recordIntakeConsent: intakeWrite("Records the consent on a record of the caller's organisation"),

  // ---- Taking into care ----------------------------------------------------------------------
  proposedIntakeRecords: {
    rule: 'The proposals to an office, for its social workers and coordinator',
    about: 'OFFICE',
    callers: OFFICE_WORKERS,
    grantedIn: OWN_ORGANISATION,
  },
  overdueJudicialProposals: {
    rule: "The office's judicial proposals past or near their decision deadline, for those who see its proposals (its social workers and coordinator)",
    about: 'OFFICE',
    callers: OFFICE_WORKERS,
    grantedIn: OWN_ORGANISATION,
  },
  startIntakeEvaluation: takeIntoCare(
    'A social worker of the proposed office takes it into evaluation',
  ),
  rejectIntakeRecord: takeIntoCare('A social worker of the proposed office rejects the proposal'),
  openCaseFile: takeIntoCare('A social worker of the proposed office opens the case file'),
  attachIntakeRecord: takeIntoCare(
    "A social worker of the proposed office attaches it to the person's open case file; the case file it answers with is masked at a masking desk",
  ),

  // ---- Case files (cartella sociale) ---------------------------------------------------------
  caseFile: {
    rule: "Only the operators on the case's access list and the partners (cases:read) it is granted to read it; masked groups (Barthel, court measures, ISEE, health and court documents, their diary lines) withheld at a masking desk and for partners",
    about: 'CASE_FILE',
    callers: [...CASE_OPERATORS, 'PARTNER_CASES_READ'],
    grantedIn: ENABLED,
    masked: true,
  },
  caseAssessments: {
    rule: 'As caseFile: the assessments (Barthel is health data)',
    about: 'CASE_FILE',
    callers: [...CASE_OPERATORS, 'PARTNER_CASES_READ'],
    grantedIn: ENABLED,
    masked: true,
  },
  carePlans: {
    rule: 'As caseFile: the care plans',
    about: 'CASE_FILE',
    callers: [...CASE_OPERATORS, 'PARTNER_CASES_READ'],
    grantedIn: ENABLED,
    masked: true,
  },
  caseDiary: {
    rule: 'As caseFile: the diary, whose automatic lines of masked groups are withheld',
    about: 'CASE_FILE',
    callers: [...CASE_OPERATORS, 'PARTNER_CASES_READ'],
    grantedIn: ENABLED,
    masked: true,
  },
  caseDocument: {
    rule: 'As caseFile; a health or court document is not sent to a masking desk nor to a partner without the sensitive scope',
    about: 'CASE_FILE',
    callers: [...CASE_OPERATORS, 'PARTNER_CASES_READ'],
    grantedIn: ENABLED,
    masked: true,
    atMaskingDesk: 'DENIED',
  },
  myCaseFiles: operatorList('The case files the operator is enabled on (none for the others)'),
  dueReviews: operatorList("Reviews due on the operator's own case files (none for the others)"),
  incomingReferrals: operatorList('Referrals addressed to the operator or its offices'),
  officeCaseFiles: {
    rule: "The office's case files (headers), for its coordinator",
    about: 'OFFICE',
    callers: ['COORDINATOR'],
    grantedIn: OWN_ORGANISATION,
  },
  caseFilesOfPerson: {
    rule: 'That a person is in care and where: only for a person the caller may see, only in organisations of its social district, for partners (cases:read) only the case files granted to them (defect 3)',
    about: 'CASE_FILE',
    callers: [...OFFICE_WORKERS, 'PARTNER_CASES_READ'],
    grantedIn: ['OWN', 'NOT_ENABLED', 'MASKING_DESK'],
    // A partner learns only of the case files granted to it (the fixture grants the OWN one).
    partnersGrantedIn: ['OWN'],
  },

  changeCaseStatus: caseStatus('Suspends, resumes, closes or reopens a case of the owning office'),
  transferCaseFile: caseStatus('Sends a case of the owning office to another office'),
  changeCaseSector: caseStatus('Changes the sector of a case of the owning office'),
  setCaseTargetArea: caseWrite(
    'Sets the target area (a classification of the dossier); a health area (ADD, DIS) is not written at a desk that masks health, and not shown there',
    { masked: false, atMaskingDesk: 'DENIED' },
  ),
  enableCaseOperator: caseManage(
    "Enables an operator of the organisation on the case (another organisation's only under a recorded agreement, defect 10)",
  ),
  disableCaseOperator: caseManage('Disables an operator on the case'),
  grantCaseOrganizationAccess: caseManage('Lets a partner organisation read the case'),
  revokeCaseOrganizationAccess: caseManage("Revokes a partner organisation's access"),

  addCaseResource: caseWrite(
    'Adds a family member or acquaintance; a person linked by id must be one the caller may see',
  ),
  removeCaseResource: caseWrite('Removes one from the network'),
  recordSocialData: caseWrite('Records work, housing or education data'),
  addInvalidity: sensitiveCaseWrite('Records a civil invalidity (health)'),
  addDisability: sensitiveCaseWrite('Records a disability (health)'),
  addCourtMeasure: sensitiveCaseWrite('Records a court measure (judicial)'),
  addIsee: sensitiveCaseWrite('Records an ISEE (economic)'),
  recordAssessment: sensitiveCaseWrite('Records an assessment (a Barthel score is health data)'),
  addCaseNote: caseWrite('Writes a note'),
  addSchoolRecord: caseWrite('Records a school year'),
  uploadCaseDocument: caseWrite('Uploads a document'),
  addCaseDiaryEntry: caseWrite('Writes in the diary'),
  recordProfessionalActivity: caseWrite('Records an interview, visit, meeting or triage'),
  createReferral: caseWrite('Refers the case to another service'),
  referralTargets: {
    rule: 'Whom the case may be referred to (its organisation line, or under a data-sharing agreement in force): for the operators enabled on the case, no partner',
    about: 'CASE_FILE',
    callers: CASE_OPERATORS,
    grantedIn: ENABLED,
  },
  createIndividualProject: caseWrite('Starts an individual project'),
  recordCaseFileConsent: caseWrite(
    "Records the consent asked at a later access (rule 1), towards the case's organisation",
    { masked: false },
  ),
  createCarePlan: caseWrite('Writes a care plan (PAI)'),
  recordCarePlanAgreement: caseWrite("Records the person's agreement to the plan"),
  addCarePlanReview: caseWrite('Schedules a review'),
  completeCarePlanReview: caseWrite('Completes a review'),
  closeCarePlan: caseWrite('Closes a care plan'),
  setFosterCare: caseWrite('Sets the foster-care plan'),
  createResidentialPlacement: caseWrite('Places the person in a facility'),
  dischargeFromPlacement: caseWrite('Discharges from a facility'),
  addPlacementService: caseWrite('Adds a service to a placement'),
  // ---- Erogazione interventi -----------------------------------------------------------------
  providers: deliveriesReference(
    'Providers the organisation works with; a provider’s client reads its own',
    {
      callers: [
        'FRONT_DESK',
        'SOCIAL_WORKER',
        'COORDINATOR',
        'ADMIN_STAFF',
        'MANAGER',
        'PARTNER_DELIVERIES_WRITE',
      ],
    },
  ),
  providerContracts: deliveriesReference(
    'Contracts with their spending; a provider’s client reads its own',
    {
      callers: [
        'FRONT_DESK',
        'SOCIAL_WORKER',
        'COORDINATOR',
        'ADMIN_STAFF',
        'MANAGER',
        'PARTNER_DELIVERIES_WRITE',
      ],
    },
  ),
  tariffs: deliveriesReference('Tariffs of the organisation'),
  fundingSources: reference('The funding sources: reference data'),
  projects: deliveriesReference('Projects with budget and spending (figures, no persons)'),
  createProvider: deliveriesSetUp('Registers a provider'),
  createProviderContract: deliveriesSetUp('Records a contract or accreditation'),
  addTariff: deliveriesSetUp('Adds a tariff version'),
  registerProject: deliveriesSetUp('Registers a funded project'),
  intervention: interventionRead('Reads one intervention'),
  interventions: interventionRead('Searches interventions (empty elsewhere)'),
  delivery: interventionRead('Reads one delivery (no masked group in it)', { masked: false }),
  deliveries: interventionRead('Searches deliveries (empty elsewhere)', { masked: false }),
  benefitOverlaps: {
    rule: 'The overlaps of the organisation’s interventions: only the fact and whom to contact',
    about: 'NOTHING',
    callers: ['COORDINATOR', 'ADMIN_STAFF'],
    grantedIn: EVERYWHERE,
  },
  createIntervention: {
    rule: 'Decides an intervention for a person the organisation may see (a person held elsewhere is neither linked nor shown)',
    about: 'INTERVENTION',
    callers: ['COORDINATOR', 'ADMIN_STAFF'],
    grantedIn: OWN_ORGANISATION,
    masked: true,
    existenceOracle: true,
  },
  endIntervention: { ...deliveryDecision('Closes or cancels an intervention'), masked: true },
  recordDelivery: {
    rule: 'The administrative staff record a delivery; the provider’s client records those it delivers (TO_VERIFY)',
    about: 'INTERVENTION',
    callers: ['ADMIN_STAFF', 'PARTNER_DELIVERIES_WRITE'],
    grantedIn: OWN_ORGANISATION,
    partnersGrantedIn: ['OWN'],
  },
  generateExpectedDeliveries: {
    rule: 'The administrative staff generate what a periodic intervention expects',
    about: 'INTERVENTION',
    callers: ['ADMIN_STAFF'],
    grantedIn: OWN_ORGANISATION,
  },
  verifyDelivery: deliveryDecision('Accepts or disputes a provider-recorded delivery'),
  correctDelivery: deliveryDecision('Corrects a delivery (a new row supersedes it)'),
  cancelDelivery: deliveryDecision('Cancels a delivery recorded in error'),
  recordDeliveries: {
    rule: 'As recordDelivery, for a batch: an item the caller may not record on refuses the whole call',
    about: 'INTERVENTION',
    callers: ['ADMIN_STAFF', 'PARTNER_DELIVERIES_WRITE'],
    grantedIn: OWN_ORGANISATION,
    partnersGrantedIn: ['OWN'],
  },
  // ---- SIUSS duty (siuss/siuss.access.ts) ----------------------------------------------------
  siussDuties: siussDuty(
    'The SIUSS page: due soon, overdue, rejected with the reason, sent (persons of the organisation)',
  ),
  siussFlows: siussDuty('The flows built, their validation report and INPS’s outcome'),
  buildSiussFlows: siussDuty('Puts what is due into flows validated against the XSD'),
  resendSiussDuty: siussDuty('Sends again a record INPS rejected'),
  siussSinbaDuties: siussDuty(
    'The SINBA records of the minors in care of the organisation (persons of the organisation)',
  ),
  resendSiussSinbaDuty: siussDuty('Sends again a SINBA record INPS rejected'),
  configureSiussSender: siussDuty('Sets who sends the organisation’s flows'),

  answerReferral: {
    rule: 'Only the receiver of a referral (the operator, or a social worker of the office it is addressed to) answers it',
    about: 'REFERRAL',
    callers: OFFICE_WORKERS,
    grantedIn: OWN_ORGANISATION,
    masked: true,
  },
  cube: {
    rule: 'A Cube query: managers count their organisation and zona sociale, regional planners the region, every cell under disclosure control; nobody else',
    about: 'NOTHING',
    callers: ['MANAGER', 'PLANNER'],
    grantedIn: EVERYWHERE,
  },
  cubeMeta: {
    rule: 'The cubes and their members, for those who may query them',
    about: 'NOTHING',
    callers: ['MANAGER', 'PLANNER'],
    grantedIn: EVERYWHERE,
  },
  kpiAlerts: {
    rule: "The KPI alerts of the caller's organisations, for managers and planners",
    about: 'NOTHING',
    callers: ['MANAGER', 'PLANNER'],
    grantedIn: EVERYWHERE,
  },
  etlRuns: {
    rule: "The ETL's run history: for the cubes' readers and the administrator",
    about: 'NOTHING',
    callers: ['MANAGER', 'PLANNER', 'ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },
  // ---- Counterparts: ANPR, INPS, the health registry (casework/src/exchanges) -----------------
  anprPerson: {
    rule: 'The operators who register persons look a codice fiscale up in ANPR for the person form, with the reason ANPR demands; each look-up audited as an exchange and as a read; no partner, manager, planner or administrator',
    about: 'NOTHING',
    callers: CASEWORK,
    grantedIn: EVERYWHERE,
  },
  anprFamily: {
    rule: 'The casework operators who may see the person ask ANPR for its family (C021) with the reason ANPR demands; a person held elsewhere answers as an unknown one; no partner, manager, planner or administrator',
    about: 'PERSON',
    callers: CASEWORK,
    grantedIn: OWN_ORGANISATION,
    existenceOracle: true,
  },
  anprFamilyByTaxCode: {
    rule: 'The operators who register persons ask ANPR for the family (C021) of the person the intake form registers, by codice fiscale, with the reason ANPR demands; the same answer whether or not the hub holds that code elsewhere (the desk registers its own); audited as an exchange and as a read; no partner, manager, planner or administrator',
    about: 'NOTHING',
    callers: CASEWORK,
    grantedIn: EVERYWHERE,
  },
  caseHealthProfile: {
    rule: "The case file's person's health profile from the regional health registry, for the operators enabled on the case file; never at a desk that masks health, never for a partner",
    about: 'CASE_FILE',
    callers: CASE_OPERATORS,
    grantedIn: ENABLED,
    atMaskingDesk: 'DENIED',
  },
  fetchIseeFromInps: sensitiveCaseWrite(
    "Reads the person's ISEE from INPS into the case file (economic), checked before INPS is called",
  ),
  counterpartExchanges: {
    rule: 'Only the administrator reads the exchanges with the counterparts (who asked what about whom, why, the outcome)',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },
  syncRuns: {
    rule: 'Only the administrator reads the run history of the registry synchronisation',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },
  personChangeNotices: operatorList(
    "The operator's own registry change notices, about the persons of the open case files they are enabled on (none for the others)",
  ),
  markPersonChangeNoticeRead: {
    rule: 'An operator marks a registry change notice read for themselves, while enabled on its open case file; a notice of a case file they were never on answers as an unknown one',
    about: 'CASE_FILE',
    callers: CASE_OPERATORS,
    grantedIn: ENABLED,
  },
  syncRegistryNow: {
    rule: 'Only the administrator runs a registry synchronisation job at once ("sincronizza ora")',
    about: 'NOTHING',
    callers: ['ADMINISTRATOR'],
    grantedIn: EVERYWHERE,
  },
  caseOperatorCandidates: caseManage(
    "Whom the owning office's coordinator may enable on the case: the organisation's social workers and coordinators",
  ),
  intakeSendTargets: {
    rule: "The desks of the caller's own organisations a record may be sent to: for those who write intake records",
    about: 'NOTHING',
    callers: INTAKE_WRITERS,
    grantedIn: EVERYWHERE,
  },
};

const PARTNERS: readonly PolicyCaller[] = [
  'PARTNER_PERSONS_READ',
  'PARTNER_CASES_READ',
  'PARTNER_DELIVERIES_WRITE',
  'PARTNER_NO_SCOPE',
];

/** The contexts that apply to a field of this kind. */
export function contextsOf(about: About): readonly Context[] {
  switch (about) {
    case 'NOTHING':
      return ['OWN'];
    case 'CASE_FILE':
      return ['OWN', 'FOREIGN', 'NOT_ENABLED', 'MASKING_DESK'];
    case 'PERSON':
    case 'INTAKE_RECORD':
    case 'OFFICE':
    case 'REFERRAL':
    case 'INTERVENTION':
      return ['OWN', 'FOREIGN', 'MASKING_DESK'];
  }
}

/** The outcome the policy expects for one caller in one context. */
export function expectedOutcome(
  policy: FieldPolicy,
  caller: PolicyCaller,
  context: Context,
): Outcome {
  if (policy.callers === 'ANYONE') return 'GRANTED';
  if (caller === 'ANONYMOUS') return 'DENIED';
  if (policy.callers !== 'SIGNED_IN' && !policy.callers.includes(caller)) return 'DENIED';
  const granted =
    PARTNERS.includes(caller) && policy.partnersGrantedIn
      ? policy.partnersGrantedIn
      : policy.grantedIn;
  if (!granted.includes(context)) return 'DENIED';
  const maskedCaller = context === 'MASKING_DESK' || PARTNERS.includes(caller);
  if (maskedCaller && policy.atMaskingDesk) return policy.atMaskingDesk;
  if (maskedCaller && policy.masked) return 'MASKED';
  return 'GRANTED';
}

/**
 * Whose person records a caller may ever receive, whatever the field: its own organisation's for
 * the casework roles and the persons:read partners; nobody's for the others (MANAGER, PLANNER and
 * ADMINISTRATOR work on aggregates).
 */
export function personsVisibleTo(caller: PolicyCaller): 'OWN_ORGANISATION' | 'DELIVERED' | 'NONE' {
  if ((CASEWORK as readonly string[]).includes(caller)) return 'OWN_ORGANISATION';
  if (caller === 'PARTNER_PERSONS_READ') return 'OWN_ORGANISATION';
  // A provider knows whom it serves: the beneficiaries of the interventions it delivers.
  if (caller === 'PARTNER_DELIVERIES_WRITE') return 'DELIVERED';
  return 'NONE';
}
