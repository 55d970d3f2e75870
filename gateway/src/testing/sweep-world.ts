import {
  type Actor,
  addCourtMeasure,
  addCustomServiceCode,
  addDisability,
  addInvalidity,
  addIsee,
  addResource,
  addTariff,
  type ClientActor,
  computeTaxCode,
  createCarePlan,
  createContract,
  createIntakeRecord,
  createIntervention,
  createPlacement,
  createProvider,
  createReferral,
  createRegistryNotificationStore,
  enableCaseOperator,
  ensureSinbaDuty,
  grantOrganizationAccess,
  hashPassword,
  loadOperatorActor,
  loadServiceCatalog,
  type OperatorActor,
  openCaseFile,
  proposeIntakeForCare,
  recordAssessment,
  recordDelivery,
  selectRegistryPopulation,
  shiftDay,
  todayInRome,
  uploadDocument,
} from '@hub/casework';
import {
  createTestDb,
  FIXTURE_PASSWORD,
  SINBA_ASSESSMENT_DATA,
  seedFixture,
} from '@hub/casework/testing';
import { createHubConnectors } from '@hub/connectors';
import { populationFromPersons, startSimulators } from '@hub/connectors/simulators';
import { createEmptyBuild, openWarehouse } from '@hub/warehouse';
import { createApp } from '../app.ts';
import { createTokenService } from '../auth/tokens.ts';
import { readConfig } from '../config.ts';
import { counterpartsOf, createRegistrySync } from '../connectors.ts';
import { createSandboxDb } from './sandbox-db.ts';
import { TEST_SECRET } from './test-app.ts';

// The world the authorization sweep runs against: the test fixture (Zona sociale 2 – Perugia,
// Zona sociale 10 – Terni, the Region, USL Umbria 1) plus one operator per role, operators of
// every casework role at a masking desk (URP, every sensitive group masked), partner clients of
// the ASL with one scope each, and in each zone the records every root field needs: an open and
// two proposed intake records, a case file with care plan, placement, network, referral and
// sensitive sections. Each sensitive value carries a marker naming its group, so that a
// response can be searched for what a masking desk must not receive.

export const MARKERS = {
  HEALTH: 'RISERVATO-SALUTE',
  JUDICIAL: 'RISERVATO-GIUDIZIARIO',
  ECONOMIC: 'RISERVATO-ECONOMICO',
  PERMIT: 'RISERVATO-PERMESSO',
} as const;
export type SensitiveGroupName = keyof typeof MARKERS;

const origin = { ip: '10.0.0.7', userAgent: 'sweep' };
const day = (offset: number) => shiftDay(todayInRome(), offset);
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/** Callers of the sweep: a role, a role at a masking desk, a partner scope, or nobody. */
export const CALLERS = [
  'FRONT_DESK',
  'SOCIAL_WORKER',
  'COORDINATOR',
  'ADMIN_STAFF',
  'MANAGER',
  'PLANNER',
  'ADMINISTRATOR',
  'PARTNER_PERSONS_READ',
  'PARTNER_CASES_READ',
  'PARTNER_DELIVERIES_WRITE',
  'PARTNER_NO_SCOPE',
  'ANONYMOUS',
] as const;
export type Caller = (typeof CALLERS)[number];

/** The casework roles that also sit at a masking desk in the sweep (context MASKING_DESK). */
export const MASKABLE_CALLERS = [
  'FRONT_DESK',
  'SOCIAL_WORKER',
  'COORDINATOR',
  'ADMIN_STAFF',
] as const;

/** Usernames (operators) or client ids (partners) of each caller, and of its masking-desk twin. */
export const ACCOUNTS: Record<Exclude<Caller, 'ANONYMOUS'>, string> = {
  FRONT_DESK: 'sportello.pg',
  SOCIAL_WORKER: 'as.pg',
  COORDINATOR: 'coord.pg',
  ADMIN_STAFF: 'amm.pg',
  MANAGER: 'dirigente.pg',
  PLANNER: 'planner',
  ADMINISTRATOR: 'admin',
  PARTNER_PERSONS_READ: 'sweep-persons-read',
  PARTNER_CASES_READ: 'sweep-cases-read',
  PARTNER_DELIVERIES_WRITE: 'sweep-deliveries-write',
  PARTNER_NO_SCOPE: 'sweep-no-scope',
};
export const MASKING_DESK_ACCOUNTS: Record<(typeof MASKABLE_CALLERS)[number], string> = {
  FRONT_DESK: 'urp.pg',
  SOCIAL_WORKER: 'as.urp',
  COORDINATOR: 'coord.urp',
  ADMIN_STAFF: 'amm.urp',
};
const PARTNER_SCOPES: Record<string, string[]> = {
  'sweep-persons-read': ['persons:read'],
  'sweep-cases-read': ['cases:read'],
  'sweep-deliveries-write': ['deliveries:write'],
  'sweep-no-scope': [],
};

/** The records of one zone the sample arguments point at. */
export type ZoneRecords = {
  organizationId: string;
  officeId: string;
  contactPointId: string;
  /** A person held by the zone (owner organisation). */
  person: { id: string; taxCode: string; lastName: string };
  openIntakeId: string;
  /** Proposed for a person with no case file: can be evaluated, rejected or opened. */
  proposedIntakeId: string;
  /** Proposed for the person of the case file: can be attached. */
  attachableIntakeId: string;
  caseFile: CaseRecords;
};
export type CaseRecords = {
  id: string;
  personId: string;
  carePlanId: string;
  reviewId: string;
  goalId: string;
  placementId: string;
  resourceId: string;
  grantId: string | null;
  referralId: string;
  documentId: string;
  /** An operator enabled on the case who may be disabled. */
  enabledOperatorId: string;
  /** The registry change notice (ANPR C001) of the case's person, by operator username. */
  noticeIds: Record<string, string>;
};

export type SweepWorld = Awaited<ReturnType<typeof createSweepWorld>>;

export async function createSweepWorld() {
  const base = await createTestDb();
  const fx = await base.transaction((tx) => seedFixture(tx));
  await loadServiceCatalog(base);
  const hash = await hashPassword(FIXTURE_PASSWORD);

  // Accounts the fixture lacks.
  const extra = await base.transaction(async (tx) => {
    const op = async (username: string, officeId: string, role: string, desk: string | null) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO operator (username, full_name, password_hash) VALUES ($1, $1, $2) RETURNING id`,
        [username, hash],
      );
      await tx.query(
        `INSERT INTO membership (operator_id, office_id, role, contact_point_id) VALUES ($1, $2, $3, $4)`,
        [row!.id, officeId, role, desk],
      );
      return row!.id;
    };
    const pg = fx.offices.perugia;
    const urp = fx.contactPoints.urpPg;
    const ids = {
      adminStaffPg: await op('amm.pg', pg, 'ADMIN_STAFF', null),
      managerPg: await op('dirigente.pg', pg, 'MANAGER', null),
      socialWorkerTr: await op('as.tr', fx.offices.terni, 'SOCIAL_WORKER', null),
      socialWorkerUrp: await op('as.urp', pg, 'SOCIAL_WORKER', urp),
      coordinatorUrp: await op('coord.urp', pg, 'COORDINATOR', urp),
      adminStaffUrp: await op('amm.urp', pg, 'ADMIN_STAFF', urp),
      adminStaffTr: await op('amm.tr', fx.offices.terni, 'ADMIN_STAFF', null),
    };
    // The deliveries partner is a cooperative (a provider), the others act for the ASL.
    const [coop] = await tx.query<{ id: string }>(
      `INSERT INTO organization (name, kind) VALUES ('Cooperativa sociale Sweep', 'PROVIDER') RETURNING id`,
    );
    const clientRows = new Map<string, string>();
    for (const [clientId, scopes] of Object.entries(PARTNER_SCOPES)) {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes, rate_limit_per_minute)
         VALUES ($1, $1, $2, $3, $4, 1000000) RETURNING id`,
        [
          clientId,
          clientId === ACCOUNTS.PARTNER_DELIVERIES_WRITE ? coop!.id : fx.organizations.asl,
          hash,
          scopes,
        ],
      );
      clientRows.set(clientId, row!.id);
    }
    const aslPerson = {
      taxCode: computeTaxCode({
        firstName: 'Paolo',
        lastName: 'Zanfretti',
        sex: 'M',
        birthDate: '1960-07-07',
        birthPlaceCode: 'G478',
      }),
      lastName: 'Zanfretti',
    };
    const [p] = await tx.query<{ id: string }>(
      `INSERT INTO person (tax_code, first_name, last_name, sex, birth_date, birth_place_code,
         residence_municipality, owner_organization_id, field_sources)
       VALUES ($1, 'Paolo', 'Zanfretti', 'M', '1960-07-07', 'G478', '054039', $2, '{}') RETURNING id`,
      [aslPerson.taxCode, fx.organizations.asl],
    );
    // Both zones share case data with the ASL (convenzione) and the Region (the cases below grant
    // them access): data-sharing agreements, the first one revocable by the sweep.
    const agreements = await tx.query<{ id: string }>(
      `INSERT INTO data_sharing_agreement (organization_id, partner_organization_id, purpose, reference, valid_from)
       SELECT z, p, 'Integrazione socio-sanitaria', 'Convenzione n. 1/2024', '2024-01-01'
         FROM unnest($1::uuid[]) AS z CROSS JOIN unnest($2::uuid[]) AS p
       RETURNING id`,
      [
        [fx.organizations.perugia, fx.organizations.terni],
        [fx.organizations.asl, fx.organizations.region],
      ],
    );
    return {
      ids,
      aslPerson: { ...aslPerson, id: p!.id },
      agreementId: agreements[0]!.id,
      coopId: coop!.id,
      deliveriesClientRowId: clientRows.get(ACCOUNTS.PARTNER_DELIVERIES_WRITE)!,
    };
  });

  const load = async (id: string) => (await loadOperatorActor(base, id, origin)) as OperatorActor;
  const o = fx.operators;
  const actors = {
    deskPg: await load(o.frontDeskPg),
    workerPg: await load(o.socialWorkerPg),
    worker2Pg: await load(o.socialWorker2Pg),
    coordPg: await load(o.coordinatorPg),
    deskTr: await load(o.frontDeskTr),
    workerTr: await load(extra.ids.socialWorkerTr),
  };
  // The Terni office has no coordinator in the fixture: its access list is managed as SYSTEM.
  const system: Actor = { kind: 'SYSTEM', id: 'sweep-seed', origin };

  let seq = 0;
  const newSubject = (lastName: string) => {
    seq += 1;
    const s = {
      firstName: 'Gina',
      lastName: `${lastName}${'ABCDEFGHIL'[seq % 10]}${'MNOPRSTUVZ'[Math.floor(seq / 10) % 10]}`,
      sex: 'F' as const,
      birthDate: `19${40 + seq}-0${1 + (seq % 9)}-1${seq % 10}`,
      birthPlaceCode: 'G478',
    };
    return { ...s, taxCode: computeTaxCode(s) };
  };

  const sensitiveIntake = (desk: OperatorActor, lastName: string) =>
    createIntakeRecord(base, desk, {
      occurredAt: hoursAgo(30),
      channel: 'IN_PERSON',
      accessKind: 'CITIZEN',
      subject: (({ taxCode, firstName, lastName: ln }) => ({ taxCode, firstName, lastName: ln }))(
        newSubject(lastName),
      ),
      consent: { status: 'GIVEN' },
      summary: 'Chiede aiuto per la casa',
      social: {
        familyNotes: 'Vive con la madre',
        healthNotes: `${MARKERS.HEALTH}: in cura al SerD`,
        judicialNotes: `${MARKERS.JUDICIAL}: procedimento in corso`,
        judicialMeasureRef: `${MARKERS.JUDICIAL}-RG-1/2025`,
        economicNotes: `${MARKERS.ECONOMIC}: debiti`,
      },
      foreignCitizen: { citizenship: 'MA', permitType: `${MARKERS.PERMIT} lavoro` },
      needs: [{ code: 'POV' }, { code: 'ADD' }],
    });

  const proposed = async (
    desk: OperatorActor,
    subject: { personId?: string; lastName?: string },
  ) => {
    const s = subject.personId ? { personId: subject.personId } : newSubject(subject.lastName!);
    const rec = await createIntakeRecord(base, desk, {
      occurredAt: hoursAgo(50),
      channel: 'IN_PERSON',
      accessKind: 'CITIZEN',
      subject:
        'personId' in s
          ? { personId: s.personId }
          : { taxCode: s.taxCode, firstName: s.firstName, lastName: s.lastName },
      consent: { status: 'GIVEN' },
      summary: 'Anziana sola',
      needs: [{ code: 'ELD' }],
    });
    await proposeIntakeForCare(base, desk, rec.id, {});
    return rec;
  };

  const barthel = {
    feeding: 5,
    bathing: 0,
    grooming: 0,
    dressing: 5,
    bowels: 10,
    bladder: 5,
    toiletUse: 5,
    transfers: 8,
    ambulation: 8,
    stairs: 0,
  };

  /** A case file opened by `worker`, with every section the sweep reads or changes. */
  const buildCase = async (
    desk: OperatorActor,
    worker: OperatorActor,
    manager: Actor,
    enable: string[],
    grantTo: string | null,
    referralToOffice: string,
    lastName: string,
  ): Promise<CaseRecords> => {
    const intake = await proposed(desk, { lastName });
    const opened = await openCaseFile(base, worker, intake.id, {
      targetAreaCode: 'ELD',
      openedOn: day(-10),
      firstInterview: { on: day(-10), summary: 'Primo colloquio', problems: [] },
    });
    const id = opened.caseFileId;
    const personId = intake.subject!.personId;
    for (const operatorId of enable) {
      await enableCaseOperator(base, manager, id, {
        operatorId,
        operatorType: 'SOCIAL_WORKER',
        from: day(-5),
      });
    }
    const grantId = grantTo
      ? await grantOrganizationAccess(base, manager, id, {
          organizationId: grantTo,
          reason: 'Presa in carico integrata socio-sanitaria',
          validFrom: day(-5),
        })
      : null;
    const plan = await createCarePlan(base, worker, id, {
      title: 'PAI domiciliarità',
      startOn: day(-5),
      goals: [{ term: 'SHORT', description: 'Igiene personale garantita' }],
      reviews: [{ dueOn: day(5) }],
    });
    const placement = await createPlacement(base, worker, id, {
      facilityName: 'RSA Villa Serena',
      admissionOn: day(-3),
      carePlanId: plan.id,
    });
    const resourceId = await addResource(base, worker, id, {
      kind: 'FAMILY',
      relationship: 'figlia',
      name: 'Carla Rete',
    });
    const referral = await createReferral(base, worker, id, {
      kind: 'SERVICE',
      toOfficeId: referralToOffice,
      reason: 'Valutazione congiunta',
    });
    await recordAssessment(base, worker, id, {
      kind: 'BARTHEL',
      assessedOn: day(-2),
      notes: `${MARKERS.HEALTH}: Barthel`,
      items: barthel,
    });
    await addInvalidity(base, worker, id, {
      certification: '1',
      percentage: 100,
      evidence: '1',
      notes: `${MARKERS.HEALTH}: invalidità`,
    } as never);
    await addDisability(base, worker, id, {
      disabilityType: '1',
      notes: `${MARKERS.HEALTH}: disabilità`,
    } as never);
    await addCourtMeasure(base, worker, id, {
      courtBody: 'TO',
      measureOn: day(-20),
      reference: `${MARKERS.JUDICIAL}-TO-7/2025`,
      description: `${MARKERS.JUDICIAL}: amministrazione di sostegno`,
    });
    await addIsee(base, worker, id, {
      iseeType: 'ORDINARIO',
      iseeValue: 4321.5,
      // A protocol as INPS writes it (DSU_PROTOCOL_INVALID otherwise): it cannot carry the
      // marker, so the sweep knows an ISEE by its type (IseeRecord, InterventionIsee).
      dsuProtocol: 'INPS-ISEE-2026-00004321E-01',
      validFrom: day(-30),
      validTo: day(300),
    });
    const doc = await uploadDocument(base, worker, id, {
      fileName: `${MARKERS.HEALTH}.txt`,
      subfolder: 6,
      description: `${MARKERS.HEALTH}: referto`,
      content: new TextEncoder().encode(`${MARKERS.HEALTH}\n`) as Uint8Array<ArrayBuffer>,
    });
    await uploadDocument(base, worker, id, {
      fileName: `${MARKERS.JUDICIAL}.txt`,
      subfolder: 1,
      description: `${MARKERS.JUDICIAL}: decreto`,
      content: new TextEncoder().encode(`${MARKERS.JUDICIAL}\n`) as Uint8Array<ArrayBuffer>,
    });
    // A new family member notified by ANPR: a notice on the case, read by each operator enabled
    // on it (the map gives each of them its id, the same one).
    const [subject] = await base.query<{ taxCode: string }>(
      `SELECT tax_code AS "taxCode" FROM person WHERE id = $1`,
      [personId],
    );
    await createRegistryNotificationStore(base).processOnce(
      {
        id: `SWEEP-${id}`,
        kind: 'NUOVO_COMPONENTE',
        eventDate: day(-1),
        person: { taxCode: { value: subject!.taxCode } },
      },
      async () => undefined,
    );
    const notices = await base.query<{ username: string; id: string }>(
      `SELECT op.username, n.id FROM person_change_notice n
         JOIN case_operator co ON co.case_file_id = n.case_file_id AND co.disabled_at IS NULL
         JOIN operator op ON op.id = co.operator_id
        WHERE n.case_file_id = $1`,
      [id],
    );
    return {
      id,
      personId,
      carePlanId: plan.id,
      reviewId: plan.reviews[0]!.id,
      goalId: plan.goals[0]!.id,
      placementId: placement.id,
      resourceId,
      grantId,
      referralId: referral.id,
      documentId: doc.id,
      enabledOperatorId: enable[0] ?? worker.id,
      noticeIds: Object.fromEntries(notices.map((n) => [n.username, n.id])),
    };
  };

  const x = extra.ids;
  // Perugia, OWN: opened by as.pg; on its access list the coordinator, the administrative staff
  // and the masking-desk twins; granted to USL Umbria 1 (the partners' organisation).
  const caseOwn = await buildCase(
    actors.deskPg,
    actors.workerPg,
    actors.coordPg,
    [o.coordinatorPg, x.adminStaffPg, x.socialWorkerUrp, x.coordinatorUrp, x.adminStaffUrp],
    fx.organizations.asl,
    fx.offices.perugia,
    'Proprio',
  );
  // Perugia, NOT_ENABLED: opened by as2.pg, nobody else on its access list, no grant.
  const caseNotEnabled = await buildCase(
    actors.deskPg,
    actors.worker2Pg,
    actors.coordPg,
    [],
    fx.organizations.region,
    fx.offices.perugia,
    'Riservato',
  );
  // Terni, FOREIGN: opened by as.tr, granted to nobody.
  const caseForeign = await buildCase(
    actors.deskTr,
    actors.workerTr,
    system,
    [],
    fx.organizations.region,
    fx.offices.terni,
    'Estraneo',
  );

  const zone = async (
    desk: OperatorActor,
    organizationId: string,
    officeId: string,
    contactPointId: string,
    person: { id: string; taxCode: string },
    personLastName: string,
    caseFile: CaseRecords,
    lastName: string,
  ): Promise<ZoneRecords> => ({
    organizationId,
    officeId,
    contactPointId,
    person: { ...person, lastName: personLastName },
    openIntakeId: (await sensitiveIntake(desk, lastName)).id,
    proposedIntakeId: (await proposed(desk, { lastName })).id,
    attachableIntakeId: (await proposed(desk, { personId: caseFile.personId })).id,
    caseFile,
  });
  const perugia = await zone(
    actors.deskPg,
    fx.organizations.perugia,
    fx.offices.perugia,
    fx.contactPoints.puaPg,
    fx.persons.perugiaForeign,
    'Diallo',
    caseOwn,
    'Proprio',
  );
  const terni = await zone(
    actors.deskTr,
    fx.organizations.terni,
    fx.offices.terni,
    fx.contactPoints.puaTr,
    fx.persons.terni,
    'Verdi',
    caseForeign,
    'Estraneo',
  );
  // The person of the Terni records carries a permit too (a masked group in the registry).
  await base.query(
    `UPDATE person SET permit_type = $1, permit_expiry = '2027-01-31' WHERE id = $2`,
    [`${MARKERS.PERMIT} Terni`, fx.persons.terni.id],
  );
  await base.query(`UPDATE person SET permit_type = $1 WHERE id = $2`, [
    `${MARKERS.PERMIT} Perugia`,
    fx.persons.perugiaForeign.id,
  ]);

  // Every person of a zone and the lastName/taxCode strings that would reveal it.
  const personsOf = async (organizationId: string) =>
    base.query<{ id: string; taxCode: string | null; lastName: string | null }>(
      `SELECT id, tax_code AS "taxCode", last_name AS "lastName" FROM person
        WHERE owner_organization_id = $1`,
      [organizationId],
    );

  // Another office of the Perugia zone (a transfer's destination) and a regional code to revise.
  const [secondOffice] = await base.query<{ id: string }>(
    `INSERT INTO office (organization_id, name, level, scope, sector)
     VALUES ($1, 'Servizio affidi – Perugia', 2, 'THEMATIC', 'Minori') RETURNING id`,
    [fx.organizations.perugia],
  );
  await addCustomServiceCode(base, system, {
    code: 'UMB-SWEEP-0',
    title: 'Servizio regionale di prova',
    mapsToCode: 'A2.07',
    regionCode: '10',
    validFrom: day(-100),
  });

  // Erogazione interventi. Perugia contracts the cooperative the deliveries partner acts as; Terni
  // delivers in house. Each zone's intervention is for its case file's person (Perugia's with an
  // ISEE carrying the economic marker); each has a delivery waiting for verification (by the
  // cooperative in Perugia), one recorded by the office, and a periodic intervention to schedule.
  const coopClient: ClientActor = {
    kind: 'CLIENT',
    id: extra.deliveriesClientRowId,
    clientId: ACCOUNTS.PARTNER_DELIVERIES_WRITE,
    organizationId: extra.coopId,
    organizationIds: [extra.coopId],
    scopes: ['deliveries:write'],
    origin,
  };
  const deliveriesOf = async (
    staff: OperatorActor,
    zoneCase: CaseRecords,
    inHouseOfficeId: string | null,
  ) => {
    const provider = await createProvider(
      base,
      staff,
      inHouseOfficeId
        ? { name: 'Servizio domiciliare comunale', kind: 'IN_HOUSE', officeId: inHouseOfficeId }
        : {
            name: 'Cooperativa sociale Sweep',
            kind: 'THIRD_SECTOR',
            providerOrganizationId: extra.coopId,
          },
    );
    await createContract(base, staff, {
      providerId: provider.id,
      kind: inHouseOfficeId ? 'IN_HOUSE' : 'ACCREDITATION',
      reference: `Accreditamento SAD ${inHouseOfficeId ? 'TR' : 'PG'}`,
      serviceCodes: ['A2.07'],
      startOn: day(-400),
    });
    await addTariff(base, staff, {
      providerId: provider.id,
      serviceCode: 'A2.07',
      unit: 'HOUR',
      unitCost: 21,
      validFrom: day(-400),
    });
    const base0 = {
      personId: zoneCase.personId,
      serviceCode: 'A2.07',
      providerId: provider.id,
      unit: 'HOUR' as const,
      startOn: day(-60),
      takenInCare: '1' as const,
      userArea: '2' as const,
      applicationProtocol: 'SWEEP/1',
    };
    const intervention = await createIntervention(base, staff, {
      ...base0,
      caseFileId: zoneCase.id,
      periodicity: 'OCCASIONAL',
      meansTest: '1',
      isee: { value: 9000, dsuProtocol: 'INPS-ISEE-2026-00009000E-02', dsuOn: day(-90) },
    });
    const periodic = await createIntervention(base, staff, {
      ...base0,
      caseFileId: zoneCase.id,
      periodicity: 'PERIODIC',
      periodUnit: 'WEEK',
      quantityPerPeriod: 4,
      startOn: day(-14),
      meansTest: '4',
    });
    const toVerify = await recordDelivery(base, inHouseOfficeId ? staff : coopClient, {
      interventionId: intervention.id,
      deliveredOn: day(-5),
      quantity: 2,
    });
    const recorded = await recordDelivery(base, staff, {
      interventionId: intervention.id,
      deliveredOn: day(-4),
      quantity: 3,
    });
    return {
      providerId: provider.id,
      interventionId: intervention.id,
      periodicInterventionId: periodic.id,
      toVerifyDeliveryId: toVerify.id,
      recordedDeliveryId: recorded.id,
    };
  };
  const deliveries = {
    perugia: await deliveriesOf(await load(x.adminStaffPg), caseOwn, null),
    terni: await deliveriesOf(await load(x.adminStaffTr), caseForeign, fx.offices.terni),
  };

  // The SIUSS duty: Perugia's sender, and its recorded delivery's record rejected by INPS.
  await base.query(
    `INSERT INTO siuss_sender (organization_id, ente_code, name, seat_cadastral_code, operator_tax_code)
     VALUES ($1, 'G478', 'Zona sociale 2 – Perugia', 'G478', 'RSSMRA80A01G478X')`,
    [fx.organizations.perugia],
  );
  // Recording gave the delivery its duty (delivery.service.ts); INPS has since rejected it.
  await base.query(
    `UPDATE siuss_duty SET state = 'REJECTED', rejection_code = 'RICHIESTA_INVALIDA',
            rejection_reason = 'Prestazione non coerente'
      WHERE delivery_id = $1`,
    [deliveries.perugia.recordedDeliveryId],
  );
  const [duty] = await base.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM siuss_duty WHERE delivery_id = $1 AND state = 'REJECTED'`,
    [deliveries.perugia.recordedDeliveryId],
  );
  if (duty!.n !== 1) throw new Error('sweep world: the recorded delivery has no SIUSS duty');

  // The SINBA side: a minor of Perugia in care, with a SInBA assessment INPS has rejected.
  const minor = {
    firstName: 'Lia',
    lastName: 'Minoresinba',
    sex: 'F' as const,
    birthDate: `${Number(todayInRome().slice(0, 4)) - 9}-03-04`,
    birthPlaceCode: 'G478',
  };
  const minorIntake = await createIntakeRecord(base, actors.deskPg, {
    occurredAt: hoursAgo(50),
    channel: 'IN_PERSON',
    accessKind: 'CITIZEN',
    subject: {
      taxCode: computeTaxCode(minor),
      firstName: minor.firstName,
      lastName: minor.lastName,
    },
    consent: { status: 'GIVEN', givenBy: 'LEGAL_REPRESENTATIVE', representativeName: 'Madre' },
    summary: 'Minore segnalato dalla scuola',
    needs: [{ code: 'FAM' }],
  });
  await proposeIntakeForCare(base, actors.deskPg, minorIntake.id, {});
  const minorCase = await openCaseFile(base, actors.workerPg, minorIntake.id, {
    targetAreaCode: 'FAM',
    openedOn: day(-10),
    firstInterview: { on: day(-10), summary: 'Primo colloquio', problems: [] },
  });
  const sinba = await recordAssessment(base, actors.workerPg, minorCase.caseFileId, {
    kind: 'SINBA',
    assessedOn: day(-6),
    data: { ...SINBA_ASSESSMENT_DATA, CodiceNazioneResidenza: '380' },
  } as never);
  await ensureSinbaDuty(base, sinba.id);
  const rejectedSinba = await base.query<{ id: string }>(
    `UPDATE siuss_sinba_duty SET state = 'REJECTED', rejection_code = 'RICHIESTA_INVALIDA',
            rejection_reason = 'Valutazione del minore incoerente'
      WHERE assessment_id = $1 RETURNING assessment_id AS id`,
    [sinba.id],
  );
  if (rejectedSinba.length !== 1) throw new Error('sweep world: the SInBA assessment has no duty');

  const db = createSandboxDb(base);
  const warehouse = await openWarehouse(':memory:');
  await createEmptyBuild(warehouse);
  const baseConfig = readConfig({ NODE_ENV: 'test' }, '/tmp');
  const config = {
    ...baseConfig,
    graphql: { ...baseConfig.graphql, maxDepth: 20, maxCost: 1_000_000, maxAliases: 1000 },
  };
  const tokens = createTokenService(TEST_SECRET, 3600);
  // The counterparts' simulators, answering about this world's persons (each with an ISEE).
  const sims = await startSimulators({
    population: populationFromPersons(await selectRegistryPopulation(base), { iseeShare: 1 }),
  });
  const hub = createHubConnectors(sims.config);
  const app = createApp({
    config,
    db,
    warehouse,
    tokens,
    connectors: {},
    counterparts: {
      ...counterpartsOf(hub),
      // "Sincronizza ora" over the sandbox: a granted run's writes are rolled back as any other.
      registrySync: createRegistrySync(hub, db)?.registrySync ?? null,
    },
  });

  const gql = async (query: string, variables: Record<string, unknown>, token: string | null) => {
    const res = await app.request('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: Record<string, unknown> | null;
        errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
      },
    };
  };
  const login = async (username: string) => {
    const { body } = await gql(
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { u: username, p: FIXTURE_PASSWORD },
      null,
    );
    const token = (body.data?.login as { token?: string } | undefined)?.token;
    if (!token) throw new Error(`login failed for ${username}: ${JSON.stringify(body.errors)}`);
    return token;
  };
  const clientToken = async (clientId: string) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: FIXTURE_PASSWORD,
    });
    const res = await app.request('/oauth/token', { method: 'POST', body: form });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
    return body.access_token;
  };
  const tokenOf = async (account: string) =>
    account in PARTNER_SCOPES ? clientToken(account) : login(account);

  return {
    db,
    fx,
    app,
    gql,
    tokenOf,
    zones: { perugia, terni },
    deliveries,
    /** The SInBA assessment whose SINBA record INPS rejected (Perugia). */
    sinbaAssessmentId: sinba.id,
    /** The persons the deliveries partner serves (the beneficiaries of what it delivers). */
    deliveredPersonIds: [caseOwn.personId],
    cases: { own: caseOwn, notEnabled: caseNotEnabled, foreign: caseForeign },
    aslPerson: extra.aslPerson,
    agreementId: extra.agreementId,
    secondOfficeId: secondOffice!.id,
    operators: { ...fx.operators, ...extra.ids, socialWorkerTr: extra.ids.socialWorkerTr },
    persons: {
      perugia: await personsOf(fx.organizations.perugia),
      terni: await personsOf(fx.organizations.terni),
      asl: await personsOf(fx.organizations.asl),
    },
    close: async () => {
      warehouse.close();
      await sims.close();
      await base.close();
    },
  };
}
