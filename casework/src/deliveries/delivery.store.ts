import type { Actor } from '../access/actor.ts';
import { type AuditEntry, auditInsertSql } from '../audit/audit.ts';
import { conditions } from '../db/conditions.ts';
import type { Queryable } from '../db/db.ts';
import { serviceValidOnSql } from '../service-catalog/service-catalog.store.ts';
import type { TariffVersion } from './deliveries.rules.ts';
import type { Delivery, DeliveryStatus, RecordedByKind, Unit } from './deliveries.types.ts';
import {
  INTERVENTION_COLUMNS,
  INTERVENTION_FROM,
  type InterventionRow,
  type InterventionScope,
  scopeCondition,
} from './intervention.store.ts';

// Deliveries (erogazioni, SISO's CS_I_INTERVENTO_ESEG).

export const DELIVERY_COLUMNS = `d.id, d.intervention_id AS "interventionId", d.organization_id AS "organizationId",
  d.office_id AS "officeId", d.person_id AS "personId", d.provider_id AS "providerId",
  d.service_code AS "serviceCode", d.delivered_on AS "deliveredOn", d.quantity::float8 AS quantity, d.unit,
  d.tariff_id AS "tariffId", d.unit_cost::float8 AS "unitCost", d.amount::float8 AS amount,
  d.amount_source AS "amountSource", d.beneficiary_share::float8 AS "beneficiaryShare", d.status,
  d.recorded_by_kind AS "recordedByKind", d.recorded_by AS "recordedBy",
  d.provider_reference AS "providerReference", d.dispute_reason AS "disputeReason",
  d.verified_at AS "verifiedAt", d.corrects_id AS "correctsId", d.note, d.created_at AS "createdAt",
  (SELECT sd.state FROM siuss_duty sd WHERE sd.delivery_id = d.id) AS "siussState"`;

/** A delivery as stored: its service code is always there (masking is the service's, on the way out). */
export type DeliveryRow = Omit<Delivery, 'serviceCode'> & { serviceCode: string };

export type NewDelivery = {
  interventionId: string;
  organizationId: string;
  officeId: string;
  personId: string;
  providerId: string;
  serviceCode: string;
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
  correctsId: string | null;
  note: string | null;
};

// The writable columns with their types, in insert order: the only names an insert may carry
// (an INSERT … SELECT does not take its parameters' types from the columns: each is cast).
const WRITABLE: { readonly [K in keyof NewDelivery]-?: string } = {
  interventionId: 'uuid',
  organizationId: 'uuid',
  officeId: 'uuid',
  personId: 'uuid',
  providerId: 'uuid',
  serviceCode: 'text',
  deliveredOn: 'date',
  quantity: 'numeric',
  unit: 'text',
  tariffId: 'uuid',
  unitCost: 'numeric',
  amount: 'numeric',
  amountSource: 'text',
  beneficiaryShare: 'numeric',
  status: 'text',
  recordedByKind: 'text',
  recordedBy: 'text',
  providerReference: 'text',
  correctsId: 'uuid',
  note: 'text',
};
const WRITABLE_KEYS = Object.keys(WRITABLE) as (keyof NewDelivery)[];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export async function insertDelivery(q: Queryable, row: NewDelivery): Promise<DeliveryRow> {
  const [r] = await q.query<DeliveryRow>(
    `INSERT INTO delivery AS d (${WRITABLE_KEYS.map(snake).join(', ')})
     VALUES (${WRITABLE_KEYS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${DELIVERY_COLUMNS}`,
    WRITABLE_KEYS.map((k) => row[k]),
  );
  return r!;
}

/** Many expected deliveries in one statement (a periodic schedule); an existing day is kept. */
export async function insertExpectedDeliveries(
  q: Queryable,
  base: Omit<NewDelivery, 'deliveredOn' | 'tariffId' | 'unitCost' | 'amount' | 'beneficiaryShare'>,
  rows: {
    deliveredOn: string;
    tariffId: string;
    unitCost: number;
    amount: number;
    beneficiaryShare: number;
  }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await q.query<{ id: string }>(
    `INSERT INTO delivery (intervention_id, organization_id, office_id, person_id, provider_id, service_code,
       quantity, unit, amount_source, status, recorded_by_kind, recorded_by,
       delivered_on, tariff_id, unit_cost, amount, beneficiary_share)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, 'TARIFF', 'EXPECTED', 'SCHEDULE', $9, t.day, t.tariff, t.cost, t.amount, t.share
       FROM unnest($10::date[], $11::uuid[], $12::numeric[], $13::numeric[], $14::numeric[])
            AS t(day, tariff, cost, amount, share)
     ON CONFLICT (intervention_id, delivered_on) WHERE recorded_by_kind = 'SCHEDULE' DO NOTHING
     RETURNING id`,
    [
      base.interventionId,
      base.organizationId,
      base.officeId,
      base.personId,
      base.providerId,
      base.serviceCode,
      base.quantity,
      base.unit,
      base.recordedBy,
      rows.map((r) => r.deliveredOn),
      rows.map((r) => r.tariffId),
      rows.map((r) => r.unitCost),
      rows.map((r) => r.amount),
      rows.map((r) => r.beneficiaryShare),
    ],
  );
  return inserted.length;
}

export async function selectDelivery(
  q: Queryable,
  id: string,
  lock = false,
): Promise<DeliveryRow | null> {
  const rows = await q.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM delivery d WHERE d.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** What a delivery on `day` is checked and priced against: the catalog and the tariff key. */
export type DeliveryDay = {
  /** The intervention's service is in the catalog on the day. */
  serviceValid: boolean;
  /** Every version of the intervention's tariff key (organisation, provider, service, unit). */
  tariffs: TariffVersion[];
};

// The day's facts as columns over an intervention `i` (day in `daySql`).
const dayColumns = (
  daySql: string,
) => `${serviceValidOnSql('i.service_code', daySql)} AS "serviceValid",
  (SELECT coalesce(json_agg(json_build_object('id', t.id, 'unitCost', t.unit_cost::float8,
            'validFrom', t.valid_from, 'validTo', t.valid_to) ORDER BY t.valid_from), '[]')
     FROM tariff t WHERE t.organization_id = i.organization_id AND t.provider_id = i.provider_id
      AND t.service_code = i.service_code AND t.unit = i.unit) AS tariffs`;

/** The catalog and the tariff of an intervention on a day, in one statement. */
export async function selectDeliveryDay(
  q: Queryable,
  interventionId: string,
  day: string,
): Promise<DeliveryDay> {
  const [r] = await q.query<DeliveryDay>(
    `SELECT ${dayColumns('$2')} FROM intervention i WHERE i.id = $1`,
    [interventionId, day],
  );
  return r ?? { serviceValid: false, tariffs: [] };
}

/**
 * What recording a delivery must know, in one statement: the intervention (locked: deliveries on
 * one intervention go one at a time), its catalog and tariff on the day, the delivery already
 * stored under the provider's reference (a resubmission) and the schedule's expected delivery of
 * that day. Only the intervention is locked, and the rest is read on the snapshot taken before
 * waiting for that lock: `recordDeliveryRow` writes only if that answer still holds, and says
 * so when it does not (then this is read again, after the lock).
 */
export async function selectRecordingContext(
  q: Queryable,
  key: { interventionId: string; day: string; reference: string | null },
): Promise<
  | (DeliveryDay & {
      intervention: InterventionRow;
      stored: { id: string; interventionId: string; deliveredOn: string } | null;
      expectedId: string | null;
    })
  | null
> {
  const rows = await q.query<
    InterventionRow &
      DeliveryDay & {
        stored: { id: string; interventionId: string; deliveredOn: string } | null;
        expectedId: string | null;
      }
  >(
    `SELECT ${INTERVENTION_COLUMNS}, ${dayColumns('$2')},
            (SELECT json_build_object('id', d.id, 'interventionId', d.intervention_id,
                      'deliveredOn', d.delivered_on)
               FROM delivery d WHERE d.provider_id = i.provider_id AND d.provider_reference = $3::text
            ) AS stored,
            (SELECT d.id FROM delivery d WHERE d.intervention_id = i.id AND d.delivered_on = $2::date
                AND d.status = 'EXPECTED' LIMIT 1) AS "expectedId"
       FROM ${INTERVENTION_FROM} WHERE i.id = $1 FOR UPDATE OF i`,
    [key.interventionId, key.day, key.reference],
    { prepared: true },
  );
  const row = rows[0];
  if (!row) return null;
  const { serviceValid, tariffs, stored, expectedId, ...intervention } = row;
  return { intervention, serviceValid, tariffs, stored, expectedId };
}

/** Interventions by id (those that exist), unlocked: a batch's authorization is checked on them. */
export async function selectInterventions(q: Queryable, ids: string[]): Promise<InterventionRow[]> {
  if (ids.length === 0) return [];
  return q.query<InterventionRow>(
    `SELECT ${INTERVENTION_COLUMNS} FROM ${INTERVENTION_FROM} WHERE i.id = ANY($1::uuid[]) ORDER BY i.id`,
    [ids],
    { prepared: true },
  );
}

/** A contract's committed total and ceiling after a write moved it (migration 040). */
export type ContractCommitted = {
  reference: string;
  ceilingAmount: number | null;
  committed: number;
};

const CONTRACT_RETURNING = `c.reference, c.ceiling_amount::float8 AS "ceilingAmount",
  c.committed_amount::float8 AS committed`;

/**
 * Records a delivery in one statement: the new row (or the schedule's expected row of the day
 * turned into it), the contract's committed total moved by `committedDelta` (an UPDATE of the
 * contract: its row lock is the ceiling's lock, and the total is the latest one), and the audit
 * row. Writes nothing and answers null when what `selectRecordingContext` read no longer holds:
 * the expected row was fulfilled or cancelled meanwhile, an expected row appeared (insert), or
 * another request stored the same provider reference. The caller checks the ceiling on the total
 * answered, and throws (rolling all of it back) when it is past it.
 */
export async function recordDeliveryRow(
  q: Queryable,
  write:
    | { kind: 'INSERT'; row: NewDelivery }
    | {
        kind: 'FULFIL';
        expectedId: string;
        row: FulfilledDelivery;
      },
  contract: { id: string | null; committedDelta: number },
  audit: { actor: Actor; entry: Omit<AuditEntry, 'entityId' | 'personId'> },
): Promise<{ delivery: DeliveryRow; contract: ContractCommitted | null } | null> {
  const params: unknown[] = [];
  const p = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  let written: string;
  if (write.kind === 'INSERT') {
    const { row } = write;
    const values = WRITABLE_KEYS.map((k) => p(row[k], WRITABLE[k]));
    const interventionId = values[WRITABLE_KEYS.indexOf('interventionId')];
    const deliveredOn = values[WRITABLE_KEYS.indexOf('deliveredOn')];
    written = `INSERT INTO delivery AS d (${WRITABLE_KEYS.map(snake).join(', ')})
       SELECT ${values.join(', ')}
        WHERE NOT EXISTS (SELECT 1 FROM delivery e WHERE e.intervention_id = ${interventionId}
                             AND e.delivered_on = ${deliveredOn} AND e.status = 'EXPECTED')
       ON CONFLICT (provider_id, provider_reference) DO NOTHING
       RETURNING ${DELIVERY_COLUMNS}`;
  } else {
    const { row } = write;
    written = `UPDATE delivery AS d SET quantity = ${p(row.quantity, 'numeric')},
         tariff_id = ${p(row.tariffId, 'uuid')}, unit_cost = ${p(row.unitCost, 'numeric')},
         amount = ${p(row.amount, 'numeric')}, amount_source = ${p(row.amountSource, 'text')},
         beneficiary_share = ${p(row.beneficiaryShare, 'numeric')}, status = ${p(row.status, 'text')},
         recorded_by = ${p(row.recordedBy, 'text')},
         provider_reference = ${p(row.providerReference, 'text')}, note = ${p(row.note, 'text')},
         recorded_by_kind = ${p(row.recordedByKind, 'text')}, updated_at = now()
       WHERE d.id = ${p(write.expectedId, 'uuid')} AND d.status = 'EXPECTED'
         AND NOT EXISTS (SELECT 1 FROM delivery o WHERE o.provider_id = ${p(row.providerId, 'uuid')}
                            AND o.provider_reference = ${p(row.providerReference, 'text')})
       RETURNING ${DELIVERY_COLUMNS}`;
  }
  const contractSql = `UPDATE provider_contract c
       SET committed_amount = c.committed_amount + ${p(contract.committedDelta, 'numeric')}
      WHERE c.id = ${p(contract.id, 'uuid')} AND EXISTS (SELECT 1 FROM w)
      RETURNING ${CONTRACT_RETURNING}`;
  const auditSql = auditInsertSql(audit.actor, { ...audit.entry }, params, {
    from: 'w',
    entityId: 'w.id::text',
    personId: 'w."personId"',
  });
  const rows = await q.query<DeliveryRow & { contract: ContractCommitted | null }>(
    `WITH w AS (${written}), c AS (${contractSql}), a AS (${auditSql})
     SELECT w.*, (SELECT row_to_json(c) FROM c) AS contract FROM w`,
    params,
    // Two texts (insert, fulfil), each built from constants only.
    { prepared: true },
  );
  const r = rows[0];
  if (!r) return null;
  const { contract: committed, ...delivery } = r;
  return { delivery, contract: committed };
}

/** What recording writes over the schedule's expected row (nothing is counted twice). */
export type FulfilledDelivery = Pick<
  NewDelivery,
  | 'interventionId'
  | 'providerId'
  | 'quantity'
  | 'tariffId'
  | 'unitCost'
  | 'amount'
  | 'amountSource'
  | 'beneficiaryShare'
  | 'status'
  | 'recordedBy'
  | 'providerReference'
  | 'note'
> & { recordedByKind: 'OFFICE' | 'PROVIDER' };

export async function setDeliveryStatus(
  q: Queryable,
  id: string,
  status: DeliveryStatus,
  extra: { disputeReason?: string | null; verifiedBy?: string | null; note?: string | null } = {},
): Promise<DeliveryRow> {
  const [r] = await q.query<DeliveryRow>(
    `UPDATE delivery AS d SET status = $2, dispute_reason = $3,
        verified_by = coalesce($4::uuid, verified_by),
        verified_at = CASE WHEN $4::uuid IS NULL THEN verified_at ELSE now() END,
        note = coalesce($5, note), updated_at = now()
      WHERE d.id = $1 RETURNING ${DELIVERY_COLUMNS}`,
    [id, status, extra.disputeReason ?? null, extra.verifiedBy ?? null, extra.note ?? null],
  );
  return r!;
}

/**
 * Moves a contract's committed total by `delta` (a delivery verified, disputed, corrected or
 * cancelled), in the caller's transaction: the UPDATE takes the contract's row lock, the same
 * lock recording takes, and computes on the latest total. Answers the total after.
 */
export async function addToContractCommitted(
  q: Queryable,
  contractId: string,
  delta: number,
): Promise<ContractCommitted> {
  const [r] = await q.query<ContractCommitted>(
    `UPDATE provider_contract c SET committed_amount = c.committed_amount + $2::numeric
      WHERE c.id = $1 RETURNING ${CONTRACT_RETURNING}`,
    [contractId, delta],
  );
  return r!;
}

export type DeliveryFilter = {
  personId?: string | null | undefined;
  interventionId?: string | null | undefined;
  serviceCode?: string | null | undefined;
  providerId?: string | null | undefined;
  projectId?: string | null | undefined;
  officeId?: string | null | undefined;
  status?: DeliveryStatus | null | undefined;
  siussState?: string | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
};

/** A page of deliveries in scope, newest first; the SQL carries only the filters in use. */
export async function searchDeliveries(
  q: Queryable,
  scope: InterventionScope,
  filter: DeliveryFilter,
  page: { limit: number; offset: number },
): Promise<{ items: DeliveryRow[]; total: number }> {
  const s = scopeCondition(scope, 1);
  const c = conditions([s.sql], [...s.params]);
  if (filter.personId) c.add((p) => `d.person_id = ${p}`, filter.personId);
  if (filter.interventionId) c.add((p) => `d.intervention_id = ${p}`, filter.interventionId);
  if (filter.serviceCode) c.add((p) => `d.service_code = ${p}`, filter.serviceCode);
  if (filter.providerId) c.add((p) => `d.provider_id = ${p}`, filter.providerId);
  if (filter.projectId) c.add((p) => `i.project_id = ${p}`, filter.projectId);
  if (filter.officeId) c.add((p) => `d.office_id = ${p}`, filter.officeId);
  if (filter.status) c.add((p) => `d.status = ${p}`, filter.status);
  if (filter.siussState) {
    c.add(
      (p) => `EXISTS (SELECT 1 FROM siuss_duty sd WHERE sd.delivery_id = d.id AND sd.state = ${p})`,
      filter.siussState,
    );
  }
  if (filter.from) c.add((p) => `d.delivered_on >= ${p}::date`, filter.from);
  if (filter.to) c.add((p) => `d.delivered_on <= ${p}::date`, filter.to);
  const rows = await q.query<DeliveryRow & { total: number }>(
    `SELECT ${DELIVERY_COLUMNS}, count(*) OVER ()::int AS total
       FROM delivery d JOIN intervention i ON i.id = d.intervention_id
      WHERE ${c.sql()}
      ORDER BY d.delivered_on DESC, d.id
      LIMIT ${c.param(page.limit)} OFFSET ${c.param(page.offset)}`,
    c.params,
  );
  return { items: rows.map(({ total: _, ...d }) => d), total: rows[0]?.total ?? 0 };
}

export type DeliveryExportRow = Delivery & {
  beneficiaryName: string | null;
  beneficiaryTaxCode: string | null;
  serviceTitle: string | null;
  providerName: string;
  projectCode: string | null;
  officeName: string;
};

/** Deliveries in scope for an export: the list's filters, with the names a reader needs. */
export async function selectDeliveryExportRows(
  q: Queryable,
  scope: InterventionScope,
  filter: DeliveryFilter,
  maxRows: number,
): Promise<DeliveryExportRow[]> {
  const page = await searchDeliveries(q, scope, filter, { limit: maxRows, offset: 0 });
  if (page.items.length === 0) return [];
  const names = await q.query<{
    id: string;
    beneficiaryName: string | null;
    beneficiaryTaxCode: string | null;
    serviceTitle: string | null;
    providerName: string;
    projectCode: string | null;
    officeName: string;
  }>(
    `SELECT d.id, nullif(concat_ws(' ', p.last_name, p.first_name), '') AS "beneficiaryName",
            p.tax_code AS "beneficiaryTaxCode",
            (SELECT s.title FROM service_catalog s WHERE s.code = d.service_code
              ORDER BY s.valid_from DESC NULLS LAST LIMIT 1) AS "serviceTitle",
            pv.name AS "providerName", pr.code AS "projectCode", o.name AS "officeName"
       FROM delivery d JOIN person p ON p.id = d.person_id JOIN provider pv ON pv.id = d.provider_id
       JOIN intervention i ON i.id = d.intervention_id LEFT JOIN project pr ON pr.id = i.project_id
       JOIN office o ON o.id = d.office_id
      WHERE d.id = ANY($1::uuid[])`,
    [page.items.map((d) => d.id)],
  );
  const byId = new Map(names.map((n) => [n.id, n]));
  return page.items.map((d) => {
    const { id: _, ...n } = byId.get(d.id)!;
    return { ...d, ...n };
  });
}
