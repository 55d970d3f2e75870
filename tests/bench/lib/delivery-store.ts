// The store of the deliveries bench: the test fixture, the service catalog, and `providers`
// third-sector providers of the Perugia zone, each with its own organisation (kind PROVIDER), its
// partner client holding deliveries:write, an accreditation for home care (A2.07) with a ceiling,
// an hourly tariff, and `interventionsPerProvider` occasional home-care interventions, each for its
// own Perugia resident. Reference data and interventions go through the services (their rules and
// audit); the persons and the partner clients, which have no service to create them, by SQL.
import { randomBytes } from 'node:crypto';
import {
  addTariff,
  computeTaxCode,
  createContract,
  createIntervention,
  createProvider,
  type DbConfig,
  DELIVERIES_WRITE_SCOPE,
  hashPassword,
  loadOperatorActor,
  loadServiceCatalog,
  migrate,
  openDb,
  shiftDay,
  todayInRome,
} from '@hub/casework';
import { seedFixture } from '@hub/casework/testing';

export const HOME_CARE = 'A2.07';
/** How far back the contracts, tariffs and interventions start: the load's days fit inside. */
export const HISTORY_DAYS = 400;
/** Well above what a run commits (a ceiling is checked on every delivery, under a row lock). */
export const CONTRACT_CEILING = 50_000_000;

export type BenchProvider = {
  clientId: string;
  secret: string;
  /** partner_client.id: the subject of its tokens. */
  clientRowId: string;
  organizationId: string;
  providerId: string;
  contractId: string;
  /** The hourly tariff in force over the whole history. */
  unitCost: number;
  interventionIds: string[];
};

export type DeliveryStore = {
  providers: BenchProvider[];
  staffUsername: string;
  persons: number;
  interventions: number;
  seconds: number;
};

const FIRST = ['Maria', 'Anna', 'Giuseppe', 'Franco', 'Rita', 'Paolo', 'Elena', 'Mario'] as const;
const LAST = ['Rossi', 'Bianchi', 'Ferri', 'Mancini', 'Cecchetti', 'Pannacci', 'Sorbelli', 'Conti'];

export async function prepareDeliveryStore(
  config: DbConfig,
  spec: { providers: number; interventionsPerProvider: number; rateLimitPerMinute: number },
): Promise<DeliveryStore> {
  const started = performance.now();
  const db = await openDb(config);
  try {
    await migrate(db);
    const fx = await db.transaction((tx) => seedFixture(tx));
    await loadServiceCatalog(db);
    const start = shiftDay(todayInRome(), -HISTORY_DAYS);
    const staffUsername = 'bench.amm.pg';
    const secret = randomBytes(18).toString('base64url');
    const secretHash = await hashPassword(secret);

    const n = spec.providers * spec.interventionsPerProvider;
    const ids = await db.transaction(async (tx) => {
      const [staff] = await tx.query<{ id: string }>(
        `INSERT INTO operator (username, full_name, password_hash) VALUES ($1, $1, 'x') RETURNING id`,
        [staffUsername],
      );
      await tx.query(
        `INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, 'ADMIN_STAFF')`,
        [staff!.id, fx.offices.perugia],
      );
      const names = Array.from(
        { length: spec.providers },
        (_, i) => `Cooperativa sociale bench ${String(i + 1).padStart(2, '0')}`,
      );
      const orgs = await tx.query<{ id: string; name: string }>(
        `INSERT INTO organization (name, kind) SELECT n, 'PROVIDER' FROM unnest($1::text[]) AS u(n)
         RETURNING id, name`,
        [names],
      );
      const orgOf = new Map(orgs.map((o) => [o.name, o.id]));
      const orgIds = names.map((name) => orgOf.get(name)!);
      const clientIds = names.map((_, i) => `bench-coop-${String(i + 1).padStart(2, '0')}`);
      const clients = await tx.query<{ id: string; clientId: string }>(
        `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes, rate_limit_per_minute)
         SELECT c, n, o, $4, $5, $6 FROM unnest($1::text[], $2::text[], $3::uuid[]) AS u(c, n, o)
         RETURNING id, client_id AS "clientId"`,
        [clientIds, names, orgIds, secretHash, [DELIVERIES_WRITE_SCOPE], spec.rateLimitPerMinute],
      );
      const clientRow = new Map(clients.map((c) => [c.clientId, c.id]));
      // One beneficiary per intervention: no two interventions of the same family for one
      // person, so the duplicate-benefit control flags nothing (it is not what is measured).
      const taxCodes = new Set<string>();
      const persons: { t: string; f: string; l: string; s: string; b: string }[] = [];
      for (let i = 0; persons.length < n; i++) {
        const sex = i % 2 === 0 ? 'F' : 'M';
        const f = FIRST[i % FIRST.length]!;
        const l = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
        const b = shiftDay('1935-01-01', (i * 37) % 18_000);
        const t = computeTaxCode({
          firstName: f,
          lastName: l,
          sex,
          birthDate: b,
          birthPlaceCode: 'G478',
        });
        if (taxCodes.has(t)) continue;
        taxCodes.add(t);
        persons.push({ t, f, l, s: sex, b });
      }
      const rows = await tx.query<{ id: string; taxCode: string }>(
        `INSERT INTO person (tax_code, first_name, last_name, sex, birth_date, birth_place_code,
           residence_municipality, owner_organization_id, field_sources)
         SELECT t, f, l, s, b, 'G478', '054039', $6, '{"taxCode":"ANPR"}'::jsonb
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[]) AS u(t, f, l, s, b)
         RETURNING id, tax_code AS "taxCode"`,
        [
          persons.map((p) => p.t),
          persons.map((p) => p.f),
          persons.map((p) => p.l),
          persons.map((p) => p.s),
          persons.map((p) => p.b),
          fx.organizations.perugia,
        ],
      );
      const personOf = new Map(rows.map((r) => [r.taxCode, r.id]));
      return {
        staffId: staff!.id,
        orgIds,
        clientIds,
        clientRowIds: clientIds.map((c) => clientRow.get(c)!),
        personIds: persons.map((p) => personOf.get(p.t)!),
      };
    });

    const staff = await loadOperatorActor(db, ids.staffId, { ip: '127.0.0.1', userAgent: 'bench' });
    if (!staff) throw new Error(`no actor for ${staffUsername}`);
    const providers: BenchProvider[] = [];
    for (let p = 0; p < spec.providers; p++) {
      const provider = await createProvider(db, staff, {
        name: `Cooperativa sociale bench ${String(p + 1).padStart(2, '0')}`,
        kind: 'THIRD_SECTOR',
        providerOrganizationId: ids.orgIds[p]!,
        taxId: String(10_000_000_000 + p),
      });
      const contract = await createContract(db, staff, {
        providerId: provider.id,
        kind: 'ACCREDITATION',
        reference: `Accreditamento SAD bench ${p + 1}`,
        serviceCodes: [HOME_CARE],
        startOn: start,
        ceilingAmount: CONTRACT_CEILING,
      });
      const unitCost = 18 + (p % 5) * 0.5;
      await addTariff(db, staff, {
        providerId: provider.id,
        serviceCode: HOME_CARE,
        unit: 'HOUR',
        unitCost,
        validFrom: start,
      });
      const interventionIds: string[] = [];
      for (let k = 0; k < spec.interventionsPerProvider; k++) {
        const intervention = await createIntervention(db, staff, {
          personId: ids.personIds[p * spec.interventionsPerProvider + k]!,
          serviceCode: HOME_CARE,
          providerId: provider.id,
          unit: 'HOUR',
          periodicity: 'OCCASIONAL',
          startOn: start,
          meansTest: '4',
          takenInCare: '1',
          userArea: '2',
          applicationProtocol: `PG/BENCH/${p + 1}/${k + 1}`,
        });
        if (intervention.contractId !== contract.id)
          throw new Error(`intervention ${intervention.id} is not under the provider's contract`);
        interventionIds.push(intervention.id);
      }
      providers.push({
        clientId: ids.clientIds[p]!,
        secret,
        clientRowId: ids.clientRowIds[p]!,
        organizationId: ids.orgIds[p]!,
        providerId: provider.id,
        contractId: contract.id,
        unitCost,
        interventionIds,
      });
    }
    await db.exec('ANALYZE');
    const [facts] = await db.query<{ persons: number; interventions: number }>(
      `SELECT (SELECT count(*)::int FROM person) AS persons,
              (SELECT count(*)::int FROM intervention) AS interventions`,
    );
    return {
      providers,
      staffUsername,
      persons: facts!.persons,
      interventions: facts!.interventions,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await db.close();
  }
}
