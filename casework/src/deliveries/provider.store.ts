import type { Queryable } from '../db/db.ts';
import type {
  ContractKind,
  FundingSource,
  Project,
  Provider,
  ProviderContract,
  ProviderKind,
  Tariff,
  Unit,
} from './deliveries.types.ts';

// Providers, contracts, tariffs, projects: reference data of erogazione interventi (no persons).

const PROVIDER_COLUMNS = `p.id, p.name, p.kind, p.tax_id AS "taxId", p.organization_id AS "organizationId",
  p.office_id AS "officeId", p.registered_by_organization_id AS "registeredByOrganizationId", p.active,
  coalesce((SELECT array_agg(pc.client_id ORDER BY pc.client_id) FROM partner_client pc
             WHERE pc.organization_id = p.organization_id AND pc.active), '{}') AS "partnerClientIds"`;

/** Counted spending of the deliveries a clause selects (RECORDED and ACCEPTED). */
const COUNTED = `d.status IN ('RECORDED', 'ACCEPTED')`;

export async function insertProvider(
  q: Queryable,
  p: {
    name: string;
    kind: ProviderKind;
    taxId: string | null;
    organizationId: string | null;
    officeId: string | null;
    registeredBy: string;
  },
): Promise<Provider> {
  const [row] = await q.query<Provider>(
    `INSERT INTO provider AS p (name, kind, tax_id, organization_id, office_id, registered_by_organization_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${PROVIDER_COLUMNS}`,
    [p.name, p.kind, p.taxId, p.organizationId, p.officeId, p.registeredBy],
  );
  return row!;
}

export async function selectProvider(q: Queryable, id: string): Promise<Provider | null> {
  const rows = await q.query<Provider>(
    `SELECT ${PROVIDER_COLUMNS} FROM provider p WHERE p.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Providers an organisation works with: those it registered, and those holding one of its
 * contracts; or, for a provider's client, its own provider records.
 */
export async function selectProviders(
  q: Queryable,
  filter: { organizationIds: string[] } | { providerOrganizationId: string },
): Promise<Provider[]> {
  if ('providerOrganizationId' in filter) {
    return q.query<Provider>(
      `SELECT ${PROVIDER_COLUMNS} FROM provider p WHERE p.organization_id = $1 ORDER BY p.name, p.id`,
      [filter.providerOrganizationId],
    );
  }
  return q.query<Provider>(
    `SELECT ${PROVIDER_COLUMNS} FROM provider p
      WHERE p.registered_by_organization_id = ANY($1::uuid[])
         OR EXISTS (SELECT 1 FROM provider_contract c
                     WHERE c.provider_id = p.id AND c.organization_id = ANY($1::uuid[]))
      ORDER BY p.name, p.id`,
    [filter.organizationIds],
  );
}

export async function officeOrganization(q: Queryable, officeId: string): Promise<string | null> {
  const rows = await q.query<{ organizationId: string }>(
    'SELECT organization_id AS "organizationId" FROM office WHERE id = $1',
    [officeId],
  );
  return rows[0]?.organizationId ?? null;
}

export async function organizationKind(q: Queryable, id: string): Promise<string | null> {
  const rows = await q.query<{ kind: string }>('SELECT kind FROM organization WHERE id = $1', [id]);
  return rows[0]?.kind ?? null;
}

const CONTRACT_COLUMNS = `c.id, c.provider_id AS "providerId", c.organization_id AS "organizationId", c.kind,
  c.reference, c.service_codes AS "serviceCodes", c.start_on AS "startOn", c.end_on AS "endOn",
  c.ceiling_amount::float8 AS "ceilingAmount",
  coalesce((SELECT sum(d.amount) FROM delivery d JOIN intervention i ON i.id = d.intervention_id
             WHERE i.contract_id = c.id AND ${COUNTED}), 0)::float8 AS spent`;

export async function insertContract(
  q: Queryable,
  c: {
    providerId: string;
    organizationId: string;
    kind: ContractKind;
    reference: string;
    serviceCodes: string[];
    startOn: string;
    endOn: string | null;
    ceilingAmount: number | null;
    createdBy: string | null;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO provider_contract (provider_id, organization_id, kind, reference, service_codes,
       start_on, end_on, ceiling_amount, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (organization_id, reference) DO NOTHING RETURNING id`,
    [
      c.providerId,
      c.organizationId,
      c.kind,
      c.reference,
      c.serviceCodes,
      c.startOn,
      c.endOn,
      c.ceilingAmount,
      c.createdBy,
    ],
  );
  return row?.id ?? '';
}

export async function selectContract(
  q: Queryable,
  id: string,
  lock = false,
): Promise<ProviderContract | null> {
  // The row lock serialises deliveries against one ceiling: two at once cannot both fit.
  if (lock) await q.query('SELECT 1 FROM provider_contract WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<ProviderContract>(
    `SELECT ${CONTRACT_COLUMNS} FROM provider_contract c WHERE c.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function selectContracts(
  q: Queryable,
  filter: { organizationIds: string[] } | { providerOrganizationId: string },
  providerId: string | null,
): Promise<ProviderContract[]> {
  const [clause, arg] =
    'providerOrganizationId' in filter
      ? [
          'c.provider_id IN (SELECT id FROM provider WHERE organization_id = $1)',
          filter.providerOrganizationId,
        ]
      : ['c.organization_id = ANY($1::uuid[])', filter.organizationIds];
  return q.query<ProviderContract>(
    `SELECT ${CONTRACT_COLUMNS} FROM provider_contract c
      WHERE ${clause} AND ($2::uuid IS NULL OR c.provider_id = $2)
      ORDER BY c.start_on DESC, c.reference`,
    [arg, providerId],
  );
}

/** The contract of this organisation and provider that covers the service on `day`, if one. */
export async function selectCoveringContract(
  q: Queryable,
  a: { organizationId: string; providerId: string; serviceCode: string; day: string },
): Promise<string | null> {
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM provider_contract
      WHERE organization_id = $1 AND provider_id = $2 AND $3 = ANY(service_codes)
        AND start_on <= $4 AND (end_on IS NULL OR end_on >= $4)
      ORDER BY start_on DESC LIMIT 1`,
    [a.organizationId, a.providerId, a.serviceCode, a.day],
  );
  return rows[0]?.id ?? null;
}

const TARIFF_COLUMNS = `t.id, t.organization_id AS "organizationId", t.provider_id AS "providerId",
  t.service_code AS "serviceCode", t.unit, t.unit_cost::float8 AS "unitCost",
  t.valid_from AS "validFrom", t.valid_to AS "validTo"`;

export type TariffKey = {
  organizationId: string;
  providerId: string;
  serviceCode: string;
  unit: Unit;
};

/** Every version of one tariff key, oldest first; `lock` serialises adding a version. */
export async function selectTariffVersions(
  q: Queryable,
  key: TariffKey,
  lock = false,
): Promise<Tariff[]> {
  if (lock) {
    // No row may exist yet: the key itself is locked (one adder at a time per key).
    await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `tariff|${key.organizationId}|${key.providerId}|${key.serviceCode}|${key.unit}`,
    ]);
  }
  return q.query<Tariff>(
    `SELECT ${TARIFF_COLUMNS} FROM tariff t
      WHERE t.organization_id = $1 AND t.provider_id = $2 AND t.service_code = $3 AND t.unit = $4
      ORDER BY t.valid_from`,
    [key.organizationId, key.providerId, key.serviceCode, key.unit],
  );
}

export async function closeTariff(q: Queryable, id: string, validTo: string): Promise<void> {
  await q.query('UPDATE tariff SET valid_to = $2 WHERE id = $1', [id, validTo]);
}

export async function insertTariff(
  q: Queryable,
  t: TariffKey & {
    unitCost: number;
    validFrom: string;
    validTo: string | null;
    createdBy: string | null;
  },
): Promise<Tariff> {
  const [row] = await q.query<Tariff>(
    `INSERT INTO tariff AS t (organization_id, provider_id, service_code, unit, unit_cost, valid_from, valid_to, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${TARIFF_COLUMNS}`,
    [
      t.organizationId,
      t.providerId,
      t.serviceCode,
      t.unit,
      t.unitCost,
      t.validFrom,
      t.validTo,
      t.createdBy,
    ],
  );
  return row!;
}

export async function selectTariffs(
  q: Queryable,
  a: {
    organizationIds: string[];
    providerId: string | null;
    serviceCode: string | null;
    validOn: string | null;
  },
): Promise<Tariff[]> {
  return q.query<Tariff>(
    `SELECT ${TARIFF_COLUMNS} FROM tariff t
      WHERE t.organization_id = ANY($1::uuid[])
        AND ($2::uuid IS NULL OR t.provider_id = $2) AND ($3::text IS NULL OR t.service_code = $3)
        AND ($4::date IS NULL OR (t.valid_from <= $4 AND (t.valid_to IS NULL OR t.valid_to > $4)))
      ORDER BY t.provider_id, t.service_code, t.unit, t.valid_from`,
    [a.organizationIds, a.providerId, a.serviceCode, a.validOn],
  );
}

export async function selectFundingSources(q: Queryable): Promise<FundingSource[]> {
  return q.query<FundingSource>(
    'SELECT code, label, level FROM funding_source ORDER BY level, code',
  );
}

const PROJECT_COLUMNS = `pr.id, pr.organization_id AS "organizationId", pr.code, pr.title,
  pr.funding_source_code AS "fundingSourceCode", pr.budget::float8 AS budget,
  pr.start_on AS "startOn", pr.end_on AS "endOn",
  coalesce((SELECT sum(d.amount) FROM delivery d JOIN intervention i ON i.id = d.intervention_id
             WHERE i.project_id = pr.id AND ${COUNTED}), 0)::float8 AS spent,
  coalesce((SELECT sum(d.amount) FROM delivery d JOIN intervention i ON i.id = d.intervention_id
             WHERE i.project_id = pr.id AND d.status = 'TO_VERIFY'), 0)::float8 AS "pendingVerification"`;

export async function insertProject(
  q: Queryable,
  p: Omit<Project, 'id' | 'spent' | 'pendingVerification'> & { createdBy: string | null },
): Promise<string | null> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO project (organization_id, code, title, funding_source_code, budget, start_on, end_on, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (organization_id, code) DO NOTHING RETURNING id`,
    [
      p.organizationId,
      p.code,
      p.title,
      p.fundingSourceCode,
      p.budget,
      p.startOn,
      p.endOn,
      p.createdBy,
    ],
  );
  return row?.id ?? null;
}

export async function selectProject(q: Queryable, id: string): Promise<Project | null> {
  const rows = await q.query<Project>(
    `SELECT ${PROJECT_COLUMNS} FROM project pr WHERE pr.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function selectProjects(q: Queryable, organizationIds: string[]): Promise<Project[]> {
  return q.query<Project>(
    `SELECT ${PROJECT_COLUMNS} FROM project pr WHERE pr.organization_id = ANY($1::uuid[])
      ORDER BY pr.start_on DESC, pr.code`,
    [organizationIds],
  );
}
