// Test helpers for the deliveries suites (not exported from the package): the case world plus the
// administrative staff of two organisations, a third-sector provider with its partner client, a
// contract, tariffs and a project of the Perugia zone, and the service catalog.
import type { ClientActor, OperatorActor } from '../access/actor.ts';
import { type CaseWorld, createCaseWorld, daysAgo } from '../case-file/case-file.fixtures.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { loadServiceCatalog } from '../service-catalog/service-catalog.service.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { DELIVERIES_WRITE_SCOPE } from './deliveries.access.ts';
import { addTariff, createContract, createProvider, registerProject } from './provider.service.ts';

const origin = { ip: '127.0.0.1', userAgent: 'vitest' };

export type DeliveriesWorld = CaseWorld & {
  staff: {
    pg: OperatorActor;
    tr: OperatorActor;
    managerPg: OperatorActor;
    plannerRegion: OperatorActor;
  };
  providerOrganizationId: string;
  otherProviderOrganizationId: string;
  providerId: string;
  contractId: string;
  projectId: string;
  /** The provider's partner client (deliveries:write), and another provider's. */
  providerClient: ClientActor;
  otherProviderClient: ClientActor;
  /** A Perugia person with a codice fiscale, and the same codice fiscale registered by Terni. */
  person: { id: string; taxCode: string };
  terniTwinId: string;
  /** A person held by Terni only. */
  terniOnlyId: string;
};

export const CONTRACT_CEILING = 5_000;
/** Home care (assistenza domiciliare socio-assistenziale), per hour. */
export const HOME_CARE = 'A2.07';

export async function createDeliveriesWorld(): Promise<DeliveriesWorld> {
  const w = await createCaseWorld();
  const { db, fx } = w;
  await loadServiceCatalog(db);
  const ids = await db.transaction(async (tx) => {
    const op = async (username: string, officeId: string, role: string) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO operator (username, full_name, email, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id`,
        [username, `Operatore ${username}`, `${username}@example.org`],
      );
      await tx.query('INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, $3)', [
        row!.id,
        officeId,
        role,
      ]);
      return row!.id;
    };
    const org = async (name: string) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO organization (name, kind) VALUES ($1, 'PROVIDER') RETURNING id`,
        [name],
      );
      return row!.id;
    };
    const taxCode = computeTaxCode({
      firstName: 'Rosa',
      lastName: 'Erogata',
      sex: 'F',
      birthDate: '1940-05-05',
      birthPlaceCode: 'G478',
    });
    const person = async (owner: string, tc: string | null, lastName: string) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO person (first_name, last_name, sex, birth_date, birth_place_code, residence_municipality,
           owner_organization_id, tax_code)
         VALUES ('Rosa', $3, 'F', '1940-05-05', 'G478', '054039', $1, $2) RETURNING id`,
        [owner, tc, lastName],
      );
      return row!.id;
    };
    return {
      staffPg: await op('amm.pg', fx.offices.perugia, 'ADMIN_STAFF'),
      staffTr: await op('amm.tr', fx.offices.terni, 'ADMIN_STAFF'),
      managerPg: await op('dirigente.pg', fx.offices.perugia, 'MANAGER'),
      providerOrg: await org('Cooperativa sociale di prova'),
      otherProviderOrg: await org('Altra cooperativa'),
      taxCode,
      personId: await person(fx.organizations.perugia, taxCode, 'Erogata'),
      terniTwinId: await person(fx.organizations.terni, taxCode, 'Erogata'),
      terniOnlyId: await person(fx.organizations.terni, null, 'Soloterni'),
    };
  });
  const load = async (id: string) => (await loadOperatorActor(db, id, origin))!;
  const staff = {
    pg: await load(ids.staffPg),
    tr: await load(ids.staffTr),
    managerPg: await load(ids.managerPg),
    plannerRegion: await load(fx.operators.plannerRegion),
  };
  const provider = await createProvider(db, staff.pg, {
    name: 'Cooperativa sociale di prova',
    kind: 'THIRD_SECTOR',
    providerOrganizationId: ids.providerOrg,
    taxId: '01234567890',
  });
  const contract = await createContract(db, staff.pg, {
    providerId: provider.id,
    kind: 'ACCREDITATION',
    reference: 'Accreditamento SAD 1/2025',
    serviceCodes: [HOME_CARE, 'A1.04'],
    startOn: daysAgo(400),
    ceilingAmount: CONTRACT_CEILING,
  });
  await addTariff(db, staff.pg, {
    providerId: provider.id,
    serviceCode: HOME_CARE,
    unit: 'HOUR',
    unitCost: 20,
    validFrom: daysAgo(400),
  });
  const project = await registerProject(db, staff.pg, {
    code: 'SAD-2025',
    title: 'Assistenza domiciliare anziani',
    fundingSourceCode: 'FNA',
    budget: 100_000,
    startOn: daysAgo(400),
  });
  const client = (organizationId: string, clientId: string): ClientActor => ({
    kind: 'CLIENT',
    id: `00000000-0000-4000-8000-00000000c00${clientId === 'coop-test' ? 1 : 2}`,
    clientId,
    organizationId,
    organizationIds: [organizationId],
    scopes: [DELIVERIES_WRITE_SCOPE],
    origin,
  });
  return {
    ...w,
    staff,
    providerOrganizationId: ids.providerOrg,
    otherProviderOrganizationId: ids.otherProviderOrg,
    providerId: provider.id,
    contractId: contract.id,
    projectId: project.id,
    providerClient: client(ids.providerOrg, 'coop-test'),
    otherProviderClient: client(ids.otherProviderOrg, 'other-coop-test'),
    person: { id: ids.personId, taxCode: ids.taxCode },
    terniTwinId: ids.terniTwinId,
    terniOnlyId: ids.terniOnlyId,
  };
}

/** A periodic home-care intervention for the Perugia person, from `startDaysAgo` on. */
export function homeCare(
  w: DeliveriesWorld,
  startDaysAgo = 60,
  extra: Record<string, unknown> = {},
) {
  return {
    personId: w.person.id,
    serviceCode: HOME_CARE,
    providerId: w.providerId,
    unit: 'HOUR' as const,
    projectId: w.projectId,
    periodicity: 'PERIODIC' as const,
    periodUnit: 'WEEK' as const,
    quantityPerPeriod: 6,
    startOn: daysAgo(startDaysAgo),
    meansTest: '4' as const,
    takenInCare: '1' as const,
    userArea: '2' as const,
    applicationProtocol: 'PG/2026/0001',
    ...extra,
  };
}

/** The same home care, given once (an occasional intervention: no schedule). */
export function occasionalCare(
  w: DeliveriesWorld,
  startDaysAgo = 60,
  extra: Record<string, unknown> = {},
) {
  return homeCare(w, startDaysAgo, {
    periodicity: 'OCCASIONAL' as const,
    periodUnit: null,
    quantityPerPeriod: null,
    ...extra,
  });
}
