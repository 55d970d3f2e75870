// Demo erogazione interventi: each zona sociale contracts the demo cooperative (whose partner
// client `coop-provider` records its own deliveries) for home care and socio-educational support,
// a residential facility for stays, and delivers cash contributions in house; tariffs (home care
// with a new version four months ago), projects on their funds. The planned interventions of the
// demo's care plans become interventions, periodic ones deliver month by month: the provider's
// older deliveries accepted by the office, a few disputed, the recent ones waiting for
// verification, the last month still expected.
//
// Everything goes through the services (as the zone's administrative staff, or the system where a
// zone has none), so the demo holds only what the rules allow. Choices are a pure function of
// (seed, care-plan intervention id): a second run adds nothing.
import { type Actor, type ClientActor, SYSTEM_ACTOR } from '../access/actor.ts';
import { recordAssessment } from '../case-file/assessment/assessment.service.ts';
import { today } from '../case-file/case-file.util.ts';
import type { Db } from '../db/db.ts';
import { DELIVERIES_WRITE_SCOPE } from '../deliveries/deliveries.access.ts';
import { expectedDays } from '../deliveries/deliveries.rules.ts';
import type { Unit } from '../deliveries/deliveries.types.ts';
import {
  generateExpectedDeliveries,
  recordDelivery,
  verifyDelivery,
} from '../deliveries/delivery.service.ts';
import { createIntervention } from '../deliveries/intervention.service.ts';
import {
  addTariff,
  createContract,
  createProvider,
  registerProject,
} from '../deliveries/provider.service.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { shiftDay } from '../time/today.ts';
import { PROVIDER_ORGANIZATION } from './demo-structure.ts';
import { createRandom } from './prng.ts';

export const RESIDENTIAL_PROVIDER = 'Residenza protetta Villa Serena';

type Kind = 'HOME_CARE' | 'RESIDENTIAL' | 'CASH' | 'IN_HOUSE_SERVICE';
type Plan = {
  kind: Kind;
  unit: Unit;
  /** Quantity each month (hours, days, one contribution). */
  monthly: number;
  /** Euro per month for a contribution (amount given, no tariff). */
  monthlyAmount?: number;
  meansTest: '1' | '4';
};

/** What each nomenclator code becomes in the demo. */
function planOf(code: string): Plan {
  if (['A2.07', 'A2.08', 'A2.02', 'A2.11'].includes(code))
    return { kind: 'HOME_CARE', unit: 'HOUR', monthly: 16, meansTest: '4' };
  if (['A3.01', 'A3.02'].includes(code))
    return { kind: 'RESIDENTIAL', unit: 'DAY', monthly: 30, meansTest: '1' };
  if (code.startsWith('A1.'))
    return { kind: 'CASH', unit: 'MONTH', monthly: 1, monthlyAmount: 250, meansTest: '1' };
  // A meal, an educational session: what the office spends on each access (INPS wants an amount).
  return {
    kind: 'IN_HOUSE_SERVICE',
    unit: 'ACCESS',
    monthly: 4,
    monthlyAmount: 30,
    meansTest: '4',
  };
}

const THIRD_SECTOR_CODES = ['A2.07', 'A2.08', 'A2.02', 'A2.11'];

/** INPS's AreaUtenza of the ISTAT target areas (as migration 003 maps them; the elderly in area 2). */
const USER_AREA_OF: Record<string, '1' | '2' | '3'> = {
  FAM: '1',
  DIS: '2',
  ELD: '2',
  POV: '3',
  IMMNOM: '3',
  // Multiutenza and the rest: the social service files them under poverty and exclusion.
  MULBEN: '3',
};
const RESIDENTIAL_CODES = ['A3.01', 'A3.02'];

export type DeliveriesDemoResult = {
  interventions: number;
  /** Planned interventions the rules refused (a code no contract covers, a person no longer visible). */
  skipped: number;
  deliveries: number;
  toVerify: number;
  disputed: number;
};

type ZoneSetUp = {
  organizationId: string;
  number: number;
  officeId: string;
  actor: Actor;
  coop: string;
  residence: string;
  inHouse: string;
  projects: Record<Kind, string>;
};

async function providerOrganization(db: Db, name: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `SELECT id FROM organization WHERE name = $1 AND kind = 'PROVIDER' ORDER BY created_at LIMIT 1`,
    [name],
  );
  if (row) return row.id;
  const [created] = await db.query<{ id: string }>(
    `INSERT INTO organization (name, kind) VALUES ($1, 'PROVIDER') RETURNING id`,
    [name],
  );
  return created!.id;
}

/** The contracts, tariffs and projects of one zone (created once: found by reference next time). */
async function setUpZone(
  db: Db,
  zone: { organizationId: string; officeId: string; number: number; actor: Actor },
  orgs: { coop: string; residence: string },
  yearAgo: string,
): Promise<ZoneSetUp> {
  const existing = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM provider WHERE registered_by_organization_id = $1',
    [zone.organizationId],
  );
  const find = (name: string) => existing.find((p) => p.name === name)?.id;
  const actor = zone.actor;
  const org = { organizationId: zone.organizationId };
  const provider = async (name: string, spec: Record<string, unknown>) =>
    find(name) ?? (await createProvider(db, actor, { name, ...spec, ...org } as never)).id;
  const coop = await provider(PROVIDER_ORGANIZATION, {
    kind: 'THIRD_SECTOR',
    providerOrganizationId: orgs.coop,
  });
  const residence = await provider(RESIDENTIAL_PROVIDER, {
    kind: 'THIRD_SECTOR',
    providerOrganizationId: orgs.residence,
  });
  const inHouse = await provider('Servizio sociale professionale (in economia)', {
    kind: 'IN_HOUSE',
    officeId: zone.officeId,
  });
  const projects = await db.query<{ id: string; code: string }>(
    'SELECT id, code FROM project WHERE organization_id = $1',
    [zone.organizationId],
  );
  if (projects.length === 0) {
    await createContract(db, actor, {
      ...org,
      providerId: coop,
      kind: 'ACCREDITATION',
      reference: `Accreditamento SAD e socio-educativo Z${zone.number}/2025`,
      serviceCodes: THIRD_SECTOR_CODES,
      startOn: yearAgo,
      ceilingAmount: 900_000,
    });
    await createContract(db, actor, {
      ...org,
      providerId: residence,
      kind: 'CONTRACT',
      reference: `Convenzione residenzialità Z${zone.number}/2025`,
      serviceCodes: RESIDENTIAL_CODES,
      startOn: yearAgo,
      ceilingAmount: 2_000_000,
    });
    const codes = await db.query<{ code: string }>(
      `SELECT DISTINCT code FROM service_catalog WHERE scheme = 'INPS_PRESTAZIONE_DA_EROGARE'
          AND code NOT LIKE 'A2.0_' AND code NOT IN ('A2.11', 'A3.01', 'A3.02') AND requestable`,
    );
    await createContract(db, actor, {
      ...org,
      providerId: inHouse,
      kind: 'IN_HOUSE',
      reference: `Servizi in economia Z${zone.number}`,
      serviceCodes: codes.map((c) => c.code).slice(0, 50),
      startOn: yearAgo,
    });
    const fourMonthsAgo = shiftDay(today(), -120);
    for (const code of THIRD_SECTOR_CODES) {
      await addTariff(db, actor, {
        ...org,
        providerId: coop,
        serviceCode: code,
        unit: 'HOUR',
        unitCost: 21.5,
        validFrom: yearAgo,
      });
      await addTariff(db, actor, {
        ...org,
        providerId: coop,
        serviceCode: code,
        unit: 'HOUR',
        unitCost: 22.3,
        validFrom: fourMonthsAgo,
      });
    }
    for (const code of RESIDENTIAL_CODES) {
      await addTariff(db, actor, {
        ...org,
        providerId: residence,
        serviceCode: code,
        unit: 'DAY',
        unitCost: 86,
        validFrom: yearAgo,
      });
    }
    const project = (code: string, title: string, fundingSourceCode: string, budget: number) =>
      registerProject(db, actor, {
        ...org,
        code,
        title,
        fundingSourceCode,
        budget,
        startOn: yearAgo,
      });
    await project(
      `FNA-Z${zone.number}`,
      'Assistenza domiciliare per la non autosufficienza',
      'FNA',
      400_000,
    );
    await project(
      `RES-Z${zone.number}`,
      'Inserimenti in struttura residenziale',
      'DISTRICT_FUND',
      900_000,
    );
    await project(
      `FNPS-Z${zone.number}`,
      'Contributi economici e servizi di zona',
      'FNPS',
      250_000,
    );
  }
  const byCode = new Map(
    (
      await db.query<{ id: string; code: string }>(
        'SELECT id, code FROM project WHERE organization_id = $1',
        [zone.organizationId],
      )
    ).map((p) => [p.code.split('-')[0]!, p.id]),
  );
  return {
    ...zone,
    coop,
    residence,
    inHouse,
    projects: {
      HOME_CARE: byCode.get('FNA')!,
      RESIDENTIAL: byCode.get('RES')!,
      CASH: byCode.get('FNPS')!,
      IN_HOUSE_SERVICE: byCode.get('FNPS')!,
    },
  };
}

// As INPS numbers a DSU (dsu-protocol.rules.ts): eight digits, a letter, two digits. One draw,
// as before, so the rest of the demo is the same.
const DSU = (r: { int(a: number, b: number): number }, year: string) => {
  const n = r.int(10_000_000, 99_999_999);
  return `INPS-ISEE-${year}-${n}${String.fromCharCode(65 + (n % 26))}-00`;
};

/** A year of interventions and deliveries from the demo's care plans. */
export async function generateDeliveriesDemo(
  db: Db,
  options: { seed: number; maxInterventions?: number | undefined },
): Promise<DeliveriesDemoResult> {
  const result: DeliveriesDemoResult = {
    interventions: 0,
    skipped: 0,
    deliveries: 0,
    toVerify: 0,
    disputed: 0,
  };
  const yearAgo = shiftDay(today(), -365);
  const orgs = {
    coop: await providerOrganization(db, PROVIDER_ORGANIZATION),
    residence: await providerOrganization(db, RESIDENTIAL_PROVIDER),
  };
  const [client] = await db.query<{ id: string; client_id: string }>(
    `SELECT id, client_id FROM partner_client WHERE organization_id = $1 AND $2 = ANY(scopes) LIMIT 1`,
    [orgs.coop, DELIVERIES_WRITE_SCOPE],
  );
  const coopClient: ClientActor | null = client
    ? {
        kind: 'CLIENT',
        id: client.id,
        clientId: client.client_id,
        organizationId: orgs.coop,
        organizationIds: [orgs.coop],
        scopes: [DELIVERIES_WRITE_SCOPE],
        origin: { ip: null, userAgent: 'demo' },
      }
    : null;

  // The planned interventions of the care plans still to turn into interventions.
  const planned = await db.query<{
    id: string;
    serviceCode: string;
    caseFileId: string;
    personId: string;
    organizationId: string;
    officeId: string;
    startOn: string;
    status: string;
    closedOn: string | null;
    iseeValue: number | null;
    targetArea: string | null;
    openedOn: string;
    hasSina: boolean;
  }>(
    `SELECT ci.id, ci.service_code AS "serviceCode", cf.id AS "caseFileId", cf.person_id AS "personId",
            cf.organization_id AS "organizationId", cf.office_id AS "officeId",
            greatest(coalesce(ci.start_on, cp.start_on), cf.opened_on, $1::date) AS "startOn",
            cf.status, cf.closed_on AS "closedOn", cf.target_area_code AS "targetArea",
            cf.opened_on AS "openedOn",
            EXISTS (SELECT 1 FROM assessment a WHERE a.case_file_id = cf.id AND a.kind = 'SINA') AS "hasSina",
            (SELECT isee_value::float8 FROM case_isee ie WHERE ie.case_file_id = cf.id
              ORDER BY valid_from DESC LIMIT 1) AS "iseeValue"
       FROM care_plan_intervention ci
       JOIN care_plan cp ON cp.id = ci.care_plan_id
       JOIN case_file cf ON cf.id = cp.case_file_id
      WHERE ci.service_code IS NOT NULL AND cf.status IN ('IN_CARE', 'SUSPENDED', 'CLOSED')
        AND NOT EXISTS (SELECT 1 FROM intervention i WHERE i.care_plan_intervention_id = ci.id)
      ORDER BY cf.opened_on, ci.id
      LIMIT $2`,
    [yearAgo, options.maxInterventions ?? 400],
  );
  const offices = await db.query<{
    officeId: string;
    organizationId: string;
    number: number;
    adminId: string | null;
  }>(
    `SELECT o.id AS "officeId", o.organization_id AS "organizationId", sd.number,
            (SELECT m.operator_id FROM membership m WHERE m.office_id = o.id AND m.role = 'ADMIN_STAFF'
              ORDER BY m.operator_id LIMIT 1) AS "adminId"
       FROM office o JOIN organization g ON g.id = o.organization_id
       JOIN social_district sd ON sd.id = g.social_district_id
      WHERE o.id = ANY($1::uuid[])
      ORDER BY (SELECT count(*) FROM membership m WHERE m.office_id = o.id AND m.role = 'ADMIN_STAFF') DESC, o.id`,
    [[...new Set(planned.map((p) => p.officeId))]],
  );
  const zones = new Map<string, ZoneSetUp>();
  for (const o of offices) {
    const actor: Actor = o.adminId
      ? ((await loadOperatorActor(db, o.adminId, { ip: null, userAgent: 'demo' })) ?? SYSTEM_ACTOR)
      : SYSTEM_ACTOR;
    const key = o.organizationId;
    if (!zones.has(key)) {
      zones.set(
        key,
        await setUpZone(
          db,
          { organizationId: o.organizationId, officeId: o.officeId, number: o.number, actor },
          orgs,
          yearAgo,
        ),
      );
    }
  }

  const todayIso = today();
  const assessed = new Set<string>();
  for (const p of planned) {
    const zone = zones.get(p.organizationId);
    if (!zone) continue;
    const r = createRandom(options.seed, Number.parseInt(p.id.replace(/-/g, '').slice(0, 8), 16));
    const plan = planOf(p.serviceCode);
    const providerId =
      plan.kind === 'HOME_CARE'
        ? zone.coop
        : plan.kind === 'RESIDENTIAL'
          ? zone.residence
          : zone.inHouse;
    // Closed cases ended their benefit; a few others end before today.
    const endOn = p.closedOn ?? (r.chance(0.2) ? shiftDay(p.startOn, r.int(60, 300)) : null);
    if (endOn !== null && endOn < p.startOn) continue;
    const isee =
      plan.meansTest === '1'
        ? {
            value: p.iseeValue ?? Math.round(r.next() * 15_000 * 100) / 100,
            dsuProtocol: DSU(r, p.startOn.slice(0, 4)),
            dsuOn: shiftDay(p.startOn, -r.int(5, 40)),
          }
        : null;
    // AreaUtenza from the case's target area; elderly and disabled persons in care are area 2,
    // which INPS accepts only with their SINA assessment: the social service records one first.
    const userArea = USER_AREA_OF[p.targetArea ?? ''] ?? '3';
    if (userArea === '2' && !p.hasSina && p.status === 'CLOSED') {
      // INPS takes a benefit of area 2 in care only with its SINA, and a closed case takes no
      // new assessment: the demo leaves this one out, as the rules would.
      result.skipped++;
      continue;
    }
    if (userArea === '2' && !p.hasSina && !assessed.has(p.caseFileId)) {
      assessed.add(p.caseFileId);
      const frail = r.next();
      const level = frail < 0.3 ? '1' : frail < 0.7 ? '2' : '3';
      const before = shiftDay(p.startOn, -r.int(1, 20));
      await recordAssessment(db, SYSTEM_ACTOR, p.caseFileId, {
        kind: 'SINA',
        // ISO days sort as strings: the later of the two.
        assessedOn: [before, p.openedOn].sort()[1]!,
        data: {
          Mobilita: level,
          AttivitaVitaQuotidiana: level,
          DisturbiComportamentali: r.chance(0.2) ? '2' : '1',
          AreaReddituale: r.pick(['1', '2', '3']),
          AreaSupporto: r.pick(['1', '2', '3']),
          FonteDerivazioneValutazione: r.pick(['1', '2', '4']),
          StrumentoValutazione: r.pick(['1', '7']),
          NecessitaInterventiSociali: { CodicePrestazione: [p.serviceCode] },
        },
      });
    }
    let intervention: { id: string };
    try {
      intervention = await createIntervention(db, zone.actor, {
        personId: p.personId,
        caseFileId: p.caseFileId,
        carePlanInterventionId: p.id,
        officeId: zone.officeId,
        serviceCode: p.serviceCode,
        providerId,
        unit: plan.unit,
        projectId: zone.projects[plan.kind],
        periodicity: 'PERIODIC',
        periodUnit: 'MONTH',
        quantityPerPeriod: plan.monthly,
        startOn: p.startOn,
        endOn: endOn && endOn < todayIso ? endOn : null,
        beneficiarySharePercent:
          plan.kind === 'RESIDENTIAL' ? 30 : plan.kind === 'HOME_CARE' ? r.pick([0, 10, 20]) : 0,
        meansTest: plan.meansTest,
        isee,
        periodMonths: 12,
        takenInCare: '1',
        userArea,
        applicationProtocol: `Z${zone.number}/${p.startOn.slice(0, 4)}/${String(r.int(1, 99_999)).padStart(5, '0')}`,
      });
    } catch {
      // A code no contract of the zone covers, or a person no longer visible: the rules said no.
      result.skipped++;
      continue;
    }
    result.interventions++;
    // The schedule, then what was actually delivered month by month.
    const noTariff = plan.kind === 'CASH' || plan.kind === 'IN_HOUSE_SERVICE';
    const through = shiftDay(todayIso, -1);
    if (!noTariff) await generateExpectedDeliveries(db, zone.actor, intervention.id, through);
    const days = expectedDays({ startOn: p.startOn, endOn, periodUnit: 'MONTH' }, through);
    for (const day of days) {
      const recent = day > shiftDay(todayIso, -40);
      // Not reported yet: the cooperative reports the month after, the office most of the time.
      if (recent && (plan.kind === 'HOME_CARE' || r.chance(0.6))) continue;
      const byProvider = plan.kind === 'HOME_CARE' && coopClient !== null;
      const quantity =
        plan.kind === 'HOME_CARE' ? plan.monthly - r.pick([0, 0, 0, 1, 2]) : plan.monthly;
      const d = await recordDelivery(db, byProvider ? coopClient! : zone.actor, {
        interventionId: intervention.id,
        deliveredOn: day,
        quantity,
        ...(noTariff ? { amount: plan.monthlyAmount ?? 0 } : {}),
        ...(byProvider ? { providerReference: `MEL-${intervention.id.slice(0, 8)}-${day}` } : {}),
      }).catch(() => null);
      if (!d) continue;
      result.deliveries++;
      if (!byProvider) continue;
      if (day > shiftDay(todayIso, -70)) {
        result.toVerify++;
      } else if (r.chance(0.03)) {
        await verifyDelivery(db, zone.actor, d.id, {
          decision: 'DISPUTE',
          reason: 'Ore non risultanti dal foglio firme',
        });
        result.disputed++;
      } else {
        await verifyDelivery(db, zone.actor, d.id, { decision: 'ACCEPT' });
      }
    }
  }
  return result;
}
