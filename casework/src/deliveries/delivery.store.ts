import type { Queryable } from '../db/db.ts';
import type { Delivery, DeliveryStatus, RecordedByKind, Unit } from './deliveries.types.ts';
import { type InterventionScope, scopeCondition } from './intervention.store.ts';

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

const WRITABLE: readonly (keyof NewDelivery)[] = [
  'interventionId',
  'organizationId',
  'officeId',
  'personId',
  'providerId',
  'serviceCode',
  'deliveredOn',
  'quantity',
  'unit',
  'tariffId',
  'unitCost',
  'amount',
  'amountSource',
  'beneficiaryShare',
  'status',
  'recordedByKind',
  'recordedBy',
  'providerReference',
  'correctsId',
  'note',
];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export async function insertDelivery(q: Queryable, row: NewDelivery): Promise<DeliveryRow> {
  const [r] = await q.query<DeliveryRow>(
    `INSERT INTO delivery AS d (${WRITABLE.map(snake).join(', ')})
     VALUES (${WRITABLE.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${DELIVERY_COLUMNS}`,
    WRITABLE.map((k) => row[k]),
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

/**
 * What recording a delivery must know first, in one statement: the delivery already stored under
 * the provider's reference (a resubmission), and the schedule's expected delivery of the
 * intervention on that day. Both rows are locked (the expected one is about to be fulfilled).
 */
export async function selectRecordingState(
  q: Queryable,
  key: { providerId: string; reference: string | null; interventionId: string; day: string },
): Promise<{ byReference: DeliveryRow | null; expected: DeliveryRow | null }> {
  const rows = await q.query<DeliveryRow & { byReference: boolean }>(
    `SELECT ${DELIVERY_COLUMNS},
            ($2::text IS NOT NULL AND d.provider_id = $1 AND d.provider_reference = $2) AS "byReference"
       FROM delivery d
      WHERE (d.provider_id = $1 AND d.provider_reference = $2::text)
         OR (d.intervention_id = $3 AND d.delivered_on = $4 AND d.status = 'EXPECTED')
        FOR UPDATE`,
    [key.providerId, key.reference, key.interventionId, key.day],
  );
  const strip = (r: (typeof rows)[number] | undefined): DeliveryRow | null => {
    if (!r) return null;
    const { byReference: _, ...delivery } = r;
    return delivery;
  };
  return {
    byReference: strip(rows.find((r) => r.byReference)),
    expected: strip(rows.find((r) => !r.byReference && r.status === 'EXPECTED')),
  };
}

/** Turns an expected delivery into a recorded one (the schedule's row, so nothing is counted twice). */
export async function fulfilExpected(
  q: Queryable,
  id: string,
  row: Pick<
    NewDelivery,
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
  > & { recordedByKind: 'OFFICE' | 'PROVIDER' },
): Promise<DeliveryRow> {
  const [r] = await q.query<DeliveryRow>(
    `UPDATE delivery AS d SET quantity = $2, tariff_id = $3, unit_cost = $4, amount = $5, amount_source = $6,
        beneficiary_share = $7, status = $8, recorded_by = $9, provider_reference = $10, note = $11,
        recorded_by_kind = $12, updated_at = now()
      WHERE d.id = $1 RETURNING ${DELIVERY_COLUMNS}`,
    [
      id,
      row.quantity,
      row.tariffId,
      row.unitCost,
      row.amount,
      row.amountSource,
      row.beneficiaryShare,
      row.status,
      row.recordedBy,
      row.providerReference,
      row.note,
      row.recordedByKind,
    ],
  );
  return r!;
}

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
 * Locks a contract against other deliveries and reads its ceiling. What it has committed is read
 * after, by a statement of its own: under READ COMMITTED that statement's snapshot is taken once
 * the lock is held, so it sees the deliveries of the transaction that held it before (a sum in
 * this statement would be computed on the snapshot taken before waiting, and miss them).
 */
export async function lockContractCeiling(
  q: Queryable,
  id: string,
): Promise<{ id: string; reference: string; ceilingAmount: number | null } | null> {
  const rows = await q.query<{ id: string; reference: string; ceilingAmount: number | null }>(
    `SELECT c.id, c.reference, c.ceiling_amount::float8 AS "ceilingAmount"
       FROM provider_contract c WHERE c.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/** What a contract has committed: counted deliveries and those waiting for verification. */
export async function contractCommitted(
  q: Queryable,
  contractId: string,
  excludingDeliveryId: string | null = null,
): Promise<number> {
  const [r] = await q.query<{ total: number }>(
    `SELECT coalesce(sum(d.amount), 0)::float8 AS total FROM delivery d JOIN intervention i ON i.id = d.intervention_id
      WHERE i.contract_id = $1 AND d.status IN ('RECORDED', 'ACCEPTED', 'TO_VERIFY')
        AND ($2::uuid IS NULL OR d.id <> $2)`,
    [contractId, excludingDeliveryId],
  );
  return r?.total ?? 0;
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
  const params = [...s.params];
  const where = [s.sql];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.personId) add((p) => `d.person_id = ${p}`, filter.personId);
  if (filter.interventionId) add((p) => `d.intervention_id = ${p}`, filter.interventionId);
  if (filter.serviceCode) add((p) => `d.service_code = ${p}`, filter.serviceCode);
  if (filter.providerId) add((p) => `d.provider_id = ${p}`, filter.providerId);
  if (filter.projectId) add((p) => `i.project_id = ${p}`, filter.projectId);
  if (filter.officeId) add((p) => `d.office_id = ${p}`, filter.officeId);
  if (filter.status) add((p) => `d.status = ${p}`, filter.status);
  if (filter.siussState) {
    add(
      (p) => `EXISTS (SELECT 1 FROM siuss_duty sd WHERE sd.delivery_id = d.id AND sd.state = ${p})`,
      filter.siussState,
    );
  }
  if (filter.from) add((p) => `d.delivered_on >= ${p}::date`, filter.from);
  if (filter.to) add((p) => `d.delivered_on <= ${p}::date`, filter.to);
  params.push(page.limit, page.offset);
  const rows = await q.query<DeliveryRow & { total: number }>(
    `SELECT ${DELIVERY_COLUMNS}, count(*) OVER ()::int AS total
       FROM delivery d JOIN intervention i ON i.id = d.intervention_id
      WHERE ${where.join(' AND ')}
      ORDER BY d.delivered_on DESC, d.id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
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
