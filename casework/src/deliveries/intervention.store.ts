import { conditions } from '../db/conditions.ts';
import type { Queryable } from '../db/db.ts';
import type { Intervention, InterventionStatus } from './deliveries.types.ts';

// Interventions (intervento): the benefit decided for one person.

export type InterventionRow = Omit<
  Intervention,
  'isee' | 'maskedFields' | 'serviceCode' | 'standardServiceCode'
> & {
  serviceCode: string;
  standardServiceCode: string;
  iseeValue: number | null;
  iseeDsuProtocol: string | null;
  iseeDsuOn: string | null;
  providerOrganizationId: string | null;
  contractReference: string | null;
};

/** The columns of an `InterventionRow`, over `INTERVENTION_FROM`. */
export const INTERVENTION_COLUMNS = `i.id, i.organization_id AS "organizationId", i.office_id AS "officeId", i.person_id AS "personId",
  json_build_object('id', p.id, 'taxCode', p.tax_code, 'firstName', p.first_name, 'lastName', p.last_name) AS beneficiary,
  i.case_file_id AS "caseFileId", i.care_plan_intervention_id AS "carePlanInterventionId",
  i.service_code AS "serviceCode", i.standard_service_code AS "standardServiceCode",
  i.provider_id AS "providerId", pv.organization_id AS "providerOrganizationId",
  i.contract_id AS "contractId", c.reference AS "contractReference", i.unit, i.project_id AS "projectId",
  i.periodicity, i.period_unit AS "periodUnit", i.quantity_per_period::float8 AS "quantityPerPeriod",
  i.start_on AS "startOn", i.end_on AS "endOn", i.planned_quantity::float8 AS "plannedQuantity",
  i.planned_amount::float8 AS "plannedAmount", i.beneficiary_share_percent::float8 AS "beneficiarySharePercent",
  i.isee_value::float8 AS "iseeValue", i.isee_dsu_protocol AS "iseeDsuProtocol", i.isee_dsu_on AS "iseeDsuOn",
  i.means_test AS "meansTest", i.benefit_character AS "benefitCharacter", i.period_months AS "periodMonths",
  i.taken_in_care AS "takenInCare", i.user_area AS "userArea", i.application_protocol AS "applicationProtocol",
  i.siuss_required AS "siussRequired", i.status, i.notes, i.created_at AS "createdAt"`;
export const INTERVENTION_FROM = `intervention i JOIN person p ON p.id = i.person_id JOIN provider pv ON pv.id = i.provider_id
  LEFT JOIN provider_contract c ON c.id = i.contract_id`;

export type NewIntervention = {
  organizationId: string;
  officeId: string;
  personId: string;
  caseFileId: string | null;
  carePlanInterventionId: string | null;
  serviceCode: string;
  standardServiceCode: string;
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
  iseeValue: number | null;
  iseeDsuProtocol: string | null;
  iseeDsuOn: string | null;
  meansTest: string;
  benefitCharacter: string;
  periodMonths: number | null;
  takenInCare: string;
  userArea: string | null;
  applicationProtocol: string;
  siussRequired: boolean;
  notes: string | null;
  createdBy: string | null;
};

// The writable columns, in insert order: the only names an insert may carry.
const WRITABLE: readonly (keyof NewIntervention)[] = [
  'organizationId',
  'officeId',
  'personId',
  'caseFileId',
  'carePlanInterventionId',
  'serviceCode',
  'standardServiceCode',
  'providerId',
  'contractId',
  'unit',
  'projectId',
  'periodicity',
  'periodUnit',
  'quantityPerPeriod',
  'startOn',
  'endOn',
  'plannedQuantity',
  'plannedAmount',
  'beneficiarySharePercent',
  'iseeValue',
  'iseeDsuProtocol',
  'iseeDsuOn',
  'meansTest',
  'benefitCharacter',
  'periodMonths',
  'takenInCare',
  'userArea',
  'applicationProtocol',
  'siussRequired',
  'notes',
  'createdBy',
];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export async function insertIntervention(q: Queryable, row: NewIntervention): Promise<string> {
  const [r] = await q.query<{ id: string }>(
    `INSERT INTO intervention (${WRITABLE.map(snake).join(', ')})
     VALUES (${WRITABLE.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    WRITABLE.map((k) => row[k]),
  );
  return r!.id;
}

export async function selectIntervention(
  q: Queryable,
  id: string,
  lock = false,
): Promise<InterventionRow | null> {
  // Read and locked in one round trip: the row lock serialises deliveries on one intervention.
  const rows = await q.query<InterventionRow>(
    `SELECT ${INTERVENTION_COLUMNS} FROM ${INTERVENTION_FROM} WHERE i.id = $1${lock ? ' FOR UPDATE OF i' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Who may see which interventions: organisations, case files of an enabled social worker, a provider. */
export type InterventionScope = {
  organizationIds: string[];
  /** A social worker: interventions of the case files whose access list names them. */
  enabledOperatorId: string | null;
  /** A provider's client: the interventions its provider delivers. */
  providerOrganizationId: string | null;
};

/** The SQL condition of a scope, with its parameters from `$first` on. */
export function scopeCondition(scope: InterventionScope, first: number, alias = 'i') {
  const parts: string[] = [];
  const params: unknown[] = [];
  const next = (v: unknown) => {
    params.push(v);
    return `$${first + params.length - 1}`;
  };
  if (scope.organizationIds.length > 0)
    parts.push(`${alias}.organization_id = ANY(${next(scope.organizationIds)}::uuid[])`);
  if (scope.enabledOperatorId) {
    parts.push(`EXISTS (SELECT 1 FROM case_operator co WHERE co.case_file_id = ${alias}.case_file_id
      AND co.operator_id = ${next(scope.enabledOperatorId)}::uuid AND co.disabled_at IS NULL
      AND co.enabled_from <= current_date)`);
  }
  if (scope.providerOrganizationId) {
    parts.push(
      `${alias}.provider_id IN (SELECT id FROM provider WHERE organization_id = ${next(scope.providerOrganizationId)}::uuid)`,
    );
  }
  return { sql: parts.length > 0 ? `(${parts.join(' OR ')})` : 'false', params };
}

export type InterventionFilter = {
  personId?: string | null | undefined;
  serviceCode?: string | null | undefined;
  providerId?: string | null | undefined;
  projectId?: string | null | undefined;
  officeId?: string | null | undefined;
  status?: InterventionStatus | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
};

/** A page of interventions in scope; the SQL carries only the filters in use. */
export async function searchInterventions(
  q: Queryable,
  scope: InterventionScope,
  filter: InterventionFilter,
  page: { limit: number; offset: number },
): Promise<{ items: InterventionRow[]; total: number }> {
  const s = scopeCondition(scope, 1);
  const c = conditions([s.sql], [...s.params]);
  if (filter.personId) c.add((p) => `i.person_id = ${p}`, filter.personId);
  if (filter.serviceCode)
    c.add((p) => `(i.service_code = ${p} OR i.standard_service_code = ${p})`, filter.serviceCode);
  if (filter.providerId) c.add((p) => `i.provider_id = ${p}`, filter.providerId);
  if (filter.projectId) c.add((p) => `i.project_id = ${p}`, filter.projectId);
  if (filter.officeId) c.add((p) => `i.office_id = ${p}`, filter.officeId);
  if (filter.status) c.add((p) => `i.status = ${p}`, filter.status);
  if (filter.to) c.add((p) => `i.start_on <= ${p}::date`, filter.to);
  if (filter.from) c.add((p) => `(i.end_on IS NULL OR i.end_on >= ${p}::date)`, filter.from);
  const rows = await q.query<InterventionRow & { total: number }>(
    `SELECT ${INTERVENTION_COLUMNS}, count(*) OVER ()::int AS total FROM ${INTERVENTION_FROM}
      WHERE ${c.sql()}
      ORDER BY i.start_on DESC, i.id
      LIMIT ${c.param(page.limit)} OFFSET ${c.param(page.offset)}`,
    c.params,
  );
  return { items: rows, total: rows[0]?.total ?? 0 };
}

export async function setInterventionStatus(
  q: Queryable,
  id: string,
  status: InterventionStatus,
  endOn: string | null,
): Promise<void> {
  await q.query(
    `UPDATE intervention SET status = $2, end_on = coalesce($3::date, end_on), updated_at = now() WHERE id = $1`,
    [id, status, endOn],
  );
}

/** The case file's ISEE in force on `day` (the benefit is granted on it when none is given). */
export async function selectCaseIsee(
  q: Queryable,
  caseFileId: string,
  day: string,
): Promise<{ value: number; dsuProtocol: string; dsuOn: string } | null> {
  const rows = await q.query<{ value: number; dsuProtocol: string; dsuOn: string }>(
    `SELECT isee_value::float8 AS value, dsu_protocol AS "dsuProtocol", dsu_on AS "dsuOn" FROM case_isee
      WHERE case_file_id = $1 AND valid_from <= $2 AND valid_to >= $2
        AND dsu_protocol IS NOT NULL AND dsu_on IS NOT NULL
      ORDER BY valid_from DESC LIMIT 1`,
    [caseFileId, day],
  );
  return rows[0] ?? null;
}

export async function selectCaseOfPerson(
  q: Queryable,
  caseFileId: string,
): Promise<{ personId: string; organizationId: string } | null> {
  const rows = await q.query<{ personId: string; organizationId: string }>(
    'SELECT person_id AS "personId", organization_id AS "organizationId" FROM case_file WHERE id = $1',
    [caseFileId],
  );
  return rows[0] ?? null;
}

export async function selectCarePlanInterventionCase(
  q: Queryable,
  id: string,
): Promise<string | null> {
  const rows = await q.query<{ caseFileId: string }>(
    `SELECT cp.case_file_id AS "caseFileId" FROM care_plan_intervention ci
       JOIN care_plan cp ON cp.id = ci.care_plan_id WHERE ci.id = $1`,
    [id],
  );
  return rows[0]?.caseFileId ?? null;
}

/** The names an export of interventions shows beside the codes. */
export async function selectInterventionNames(
  q: Queryable,
  ids: string[],
): Promise<
  Map<
    string,
    {
      serviceTitle: string | null;
      providerName: string;
      projectCode: string | null;
      officeName: string;
    }
  >
> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{
    id: string;
    serviceTitle: string | null;
    providerName: string;
    projectCode: string | null;
    officeName: string;
  }>(
    `SELECT i.id, (SELECT s.title FROM service_catalog s WHERE s.code = i.service_code
                    ORDER BY s.valid_from DESC NULLS LAST LIMIT 1) AS "serviceTitle",
            pv.name AS "providerName", pr.code AS "projectCode", o.name AS "officeName"
       FROM intervention i JOIN provider pv ON pv.id = i.provider_id
       LEFT JOIN project pr ON pr.id = i.project_id JOIN office o ON o.id = i.office_id
      WHERE i.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map(({ id, ...r }) => [id, r]));
}
