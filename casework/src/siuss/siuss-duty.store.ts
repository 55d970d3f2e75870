// PostgreSQL for the SIUSS duty: the reconciliation of duties with the deliveries, the facts a
// record is made of, flows and their records, INPS's outcomes. SQL only here; the decisions are
// in siuss-duty.ts and siuss.service.ts.
import type { SinaData } from '../case-file/assessment/siuss-zod.ts';
import type { Queryable } from '../db/db.ts';
import type { SiussIssue } from './siuss.rules.ts';
import type { SiussDeliveryFacts } from './siuss-duty.map.ts';
import type { DutyState, DutyStatus, OutcomeCode } from './siuss-duty.ts';
import type { FlowKind } from './siuss-record.ts';
import { markSinbaSent } from './siuss-sinba.store.ts';

export type DutyRow = DutyStatus & {
  deliveryId: string;
  organizationId: string;
  officeId: string;
  personId: string;
  deliveredOn: string;
  deadline: string;
  correctsDeliveryId: string | null;
  flowId: string | null;
  issues: SiussIssue[] | null;
  updatedAt: Date;
};

const DUTY_COLUMNS = `d.delivery_id AS "deliveryId", d.organization_id AS "organizationId",
  d.office_id AS "officeId", d.person_id AS "personId", d.delivered_on AS "deliveredOn",
  d.deadline, d.state, d.operation, d.held_by_inps AS "heldByInps", d.superseded,
  d.corrects_delivery_id AS "correctsDeliveryId", d.flow_id AS "flowId",
  d.rejection_code AS "rejectionCode", d.rejection_reason AS "rejectionReason", d.issues,
  d.updated_at AS "updatedAt"`;

// The duty of a counted delivery (recorded by the office, or accepted after verification) of an
// intervention marked siuss_required. A correction's duty is a VARIATION when INPS holds (or may
// hold) the record of the delivery it corrects.
const INSERT_DUTIES = `INSERT INTO siuss_duty (delivery_id, organization_id, office_id, person_id, delivered_on,
       deadline, state, operation, corrects_delivery_id)
     SELECT dl.id, dl.organization_id, dl.office_id, dl.person_id, dl.delivered_on,
            (dl.delivered_on + interval '3 months')::date, 'DUE',
            CASE WHEN p.delivery_id IS NOT NULL
                      AND (p.held_by_inps OR p.state = 'SENT' OR p.operation = 'CANCEL')
                 THEN 'VARIATION' ELSE 'INSERT' END,
            dl.corrects_id
       FROM delivery dl
       JOIN intervention i ON i.id = dl.intervention_id AND i.siuss_required
       LEFT JOIN siuss_duty p ON p.delivery_id = dl.corrects_id
      WHERE dl.status IN ('RECORDED', 'ACCEPTED')`;

/** Gives every delivery INPS requires its duty. */
export async function insertMissingDuties(q: Queryable, organizationIds: string[]) {
  await q.query(
    `${INSERT_DUTIES} AND dl.organization_id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM siuss_duty x WHERE x.delivery_id = dl.id)
     ON CONFLICT (delivery_id) DO NOTHING`,
    [organizationIds],
  );
}

/**
 * Creates the duty of one delivery at once, when INPS requires it and it counts (idempotent; a
 * delivery that does not qualify gets none). For the delivery services to call in the
 * transaction that records or accepts a delivery, so that its SIUSS state shows at once instead
 * of at the next reconciliation (the SIUSS page or a flow build).
 */
export async function ensureDeliveryDuty(q: Queryable, deliveryId: string) {
  await q.query(`${INSERT_DUTIES} AND dl.id = $1 ON CONFLICT (delivery_id) DO NOTHING`, [
    deliveryId,
  ]);
}

/** Duties whose delivery has been corrected or cancelled and that have not followed yet. */
export async function selectSupersededDuties(q: Queryable, organizationIds: string[]) {
  return q.query<DutyRow & { deliveryStatus: 'CORRECTED' | 'CANCELLED' }>(
    `SELECT ${DUTY_COLUMNS}, dl.status AS "deliveryStatus"
       FROM siuss_duty d JOIN delivery dl ON dl.id = d.delivery_id
      WHERE d.organization_id = ANY($1::uuid[]) AND dl.status IN ('CORRECTED', 'CANCELLED')
        AND d.state NOT IN ('CORRECTED', 'CANCELLED') AND d.operation <> 'CANCEL'
      FOR UPDATE OF d`,
    [organizationIds],
  );
}

export async function updateDuty(
  q: Queryable,
  deliveryId: string,
  s: DutyStatus & { flowId?: string | null; issues?: SiussIssue[] | null },
) {
  await q.query(
    `UPDATE siuss_duty SET state = $2, operation = $3, held_by_inps = $4, superseded = $5,
       rejection_code = $6, rejection_reason = $7,
       flow_id = CASE WHEN $8::boolean THEN $9 ELSE flow_id END,
       issues = CASE WHEN $10::boolean THEN $11::jsonb ELSE issues END,
       accepted_at = CASE WHEN $2 = 'ACCEPTED' AND state <> 'ACCEPTED' THEN now() ELSE accepted_at END,
       updated_at = now()
     WHERE delivery_id = $1`,
    [
      deliveryId,
      s.state,
      s.operation,
      s.heldByInps,
      s.superseded,
      s.rejectionCode,
      s.rejectionReason,
      s.flowId !== undefined,
      s.flowId ?? null,
      s.issues !== undefined,
      s.issues === undefined || s.issues === null ? null : JSON.stringify(s.issues),
    ],
  );
}

export async function withdrawFlow(q: Queryable, flowId: string) {
  await q.query(
    `UPDATE siuss_flow SET status = 'WITHDRAWN', changed_at = now()
      WHERE id = $1 AND status = 'VALID'`,
    [flowId],
  );
}

/** The duties that may go into a flow now, with what INPS holds of their predecessor. */
export async function selectSendable(q: Queryable, organizationId: string, limit: number) {
  return q.query<DutyRow & { predecessorHeld: boolean }>(
    `SELECT ${DUTY_COLUMNS}, coalesce(p.held_by_inps OR p.state = 'SENT', false) AS "predecessorHeld"
       FROM siuss_duty d LEFT JOIN siuss_duty p ON p.delivery_id = d.corrects_delivery_id
      WHERE d.organization_id = $1 AND d.state = 'DUE'
      ORDER BY d.operation = 'CANCEL' DESC, d.deadline, d.delivery_id
      LIMIT $2
      FOR UPDATE OF d`,
    [organizationId, limit],
  );
}

export async function selectDuty(q: Queryable, deliveryId: string): Promise<DutyRow | null> {
  const [row] = await q.query<DutyRow>(
    `SELECT ${DUTY_COLUMNS} FROM siuss_duty d WHERE d.delivery_id = $1`,
    [deliveryId],
  );
  return row ?? null;
}

type FactsRow = {
  deliveryId: string;
  deliveredOn: string;
  quantity: string;
  unit: string;
  amount: string;
  beneficiaryShare: string;
  taxCode: string | null;
  firstName: string | null;
  lastName: string | null;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  birthPlaceCode: string | null;
  citizenship: string | null;
  residenceMunicipality: string | null;
  residenceRegion: string | null;
  standardServiceCode: string;
  serviceTitle: string | null;
  applicationProtocol: string;
  meansTest: '1' | '2' | '3' | '4';
  benefitCharacter: '1' | '2';
  periodMonths: number | null;
  takenInCare: '1' | '2';
  userArea: '1' | '2' | '3' | null;
  dsuProtocol: string | null;
  dsuOn: string | null;
  sina: SinaData | null;
};

/** What the records of these deliveries are made of (the SINA: the latest of the case file). */
export async function selectFacts(
  q: Queryable,
  deliveryIds: string[],
): Promise<Map<string, SiussDeliveryFacts>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await q.query<FactsRow>(
    `SELECT dl.id AS "deliveryId", dl.delivered_on AS "deliveredOn", dl.quantity::text AS quantity,
            dl.unit, dl.amount::text AS amount, dl.beneficiary_share::text AS "beneficiaryShare",
            p.tax_code AS "taxCode", p.first_name AS "firstName", p.last_name AS "lastName", p.sex,
            p.birth_date AS "birthDate", p.birth_place_code AS "birthPlaceCode", p.citizenship,
            p.residence_municipality AS "residenceMunicipality", sd.region_code AS "residenceRegion",
            i.standard_service_code AS "standardServiceCode",
            (SELECT s.title FROM service_catalog s WHERE s.code = i.standard_service_code
              ORDER BY s.version DESC LIMIT 1) AS "serviceTitle",
            i.application_protocol AS "applicationProtocol", i.means_test AS "meansTest",
            i.benefit_character AS "benefitCharacter", i.period_months AS "periodMonths",
            i.taken_in_care AS "takenInCare", i.user_area AS "userArea",
            i.isee_dsu_protocol AS "dsuProtocol", i.isee_dsu_on AS "dsuOn",
            (SELECT a.data FROM assessment a
              WHERE a.case_file_id = i.case_file_id AND a.kind = 'SINA'
              ORDER BY a.assessed_on DESC, a.created_at DESC LIMIT 1) AS sina
       FROM delivery dl
       JOIN intervention i ON i.id = dl.intervention_id
       JOIN person p ON p.id = dl.person_id
       LEFT JOIN municipality m ON m.istat_code = p.residence_municipality
       LEFT JOIN social_district sd ON sd.id = m.social_district_id
      WHERE dl.id = ANY($1::uuid[])`,
    [deliveryIds],
  );
  return new Map(
    rows.map((r) => [
      r.deliveryId,
      {
        deliveryId: r.deliveryId,
        deliveredOn: r.deliveredOn,
        quantity: Number(r.quantity),
        unit: r.unit,
        amount: Number(r.amount),
        beneficiaryShare: Number(r.beneficiaryShare),
        person: {
          taxCode: r.taxCode?.trim() ?? null,
          firstName: r.firstName,
          lastName: r.lastName,
          sex: r.sex,
          birthDate: r.birthDate,
          birthPlaceCode: r.birthPlaceCode?.trim() ?? null,
          citizenship: r.citizenship,
          residenceMunicipality: r.residenceMunicipality,
          residenceRegion: r.residenceRegion,
        },
        intervention: {
          standardServiceCode: r.standardServiceCode,
          serviceTitle: r.serviceTitle ?? r.standardServiceCode,
          applicationProtocol: r.applicationProtocol,
          meansTest: r.meansTest,
          benefitCharacter: r.benefitCharacter,
          periodMonths: r.periodMonths,
          takenInCare: r.takenInCare,
          userArea: r.userArea,
          dsuProtocol: r.dsuProtocol,
          dsuOn: r.dsuOn,
        },
        sina: r.sina,
      },
    ]),
  );
}

export type Sender = {
  organizationId: string;
  enteCode: string;
  name: string;
  seatCadastralCode: string;
  operatorTaxCode: string;
};

export async function upsertSender(q: Queryable, s: Sender) {
  await q.query(
    `INSERT INTO siuss_sender (organization_id, ente_code, name, seat_cadastral_code, operator_tax_code)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (organization_id) DO UPDATE SET ente_code = EXCLUDED.ente_code, name = EXCLUDED.name,
       seat_cadastral_code = EXCLUDED.seat_cadastral_code,
       operator_tax_code = EXCLUDED.operator_tax_code, updated_at = now()`,
    [s.organizationId, s.enteCode, s.name, s.seatCadastralCode, s.operatorTaxCode],
  );
}

/** The organisation's sender, locked: flows of one organisation are numbered one build at a time. */
export async function lockSender(q: Queryable, organizationId: string): Promise<Sender | null> {
  const [row] = await q.query<Sender>(
    `SELECT organization_id AS "organizationId", ente_code AS "enteCode", name,
            seat_cadastral_code AS "seatCadastralCode", operator_tax_code AS "operatorTaxCode"
       FROM siuss_sender WHERE organization_id = $1 FOR UPDATE`,
    [organizationId],
  );
  return row ?? null;
}

/**
 * The next ts_flusso (ms) and the next daily progressive of the organisation's flows of a day.
 * The table lock makes ts_ms increase across organisations too (one `since` for a regional pull).
 */
export async function nextFlowNumbers(q: Queryable, prefix: string) {
  await q.query('LOCK TABLE siuss_flow IN SHARE ROW EXCLUSIVE MODE');
  const [row] = await q.query<{ ts: number; progressive: number }>(
    `SELECT GREATEST((extract(epoch FROM clock_timestamp()) * 1000)::bigint,
                     coalesce((SELECT max(ts_ms) FROM siuss_flow), 0) + 1) AS ts,
            coalesce((SELECT max(split_part(id, '.', 4)::int) FROM siuss_flow
                       WHERE id LIKE $1 || '%'), 0) + 1 AS progressive`,
    [prefix],
  );
  return { ts: Number(row!.ts), progressive: Number(row!.progressive) };
}

export type NewFlow = {
  id: string;
  organizationId: string;
  kind: FlowKind;
  route: 'WAAS' | 'FILE';
  status: 'VALID' | 'INVALID';
  records: { ordinal: number; deliveryId: string; operation: 'I' | 'C' }[];
  /** Records in the flow, when they are not deliveries (SINBA: assessments, in siuss_sinba_duty). */
  recordCount?: number;
  /**
   * The whole XML of a small flow (WaaS: one record), stored as its one part; a file flow's parts
   * are written while it streams (`flowPartWriter`), before its row, and this stays undefined.
   */
  xml?: string;
  report: SiussIssue[];
  tsMs: number;
};

export async function insertFlows(q: Queryable, flows: NewFlow[]) {
  if (flows.length === 0) return;
  await q.query(
    `INSERT INTO siuss_flow (id, organization_id, kind, route, status, records, report, ts_ms)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[],
                          $7::jsonb[], $8::bigint[])`,
    [
      flows.map((f) => f.id),
      flows.map((f) => f.organizationId),
      flows.map((f) => f.kind),
      flows.map((f) => f.route),
      flows.map((f) => f.status),
      flows.map((f) => f.recordCount ?? f.records.length),
      flows.map((f) => JSON.stringify(f.report)),
      flows.map((f) => f.tsMs),
    ],
  );
  const whole = flows.filter((f) => f.xml !== undefined);
  if (whole.length > 0)
    await q.query(
      `INSERT INTO siuss_flow_part (flow_id, seq, xml)
       SELECT id, 0, xml FROM unnest($1::text[], $2::text[]) AS t(id, xml)`,
      [whole.map((f) => f.id), whole.map((f) => f.xml!)],
    );
  const records = flows.flatMap((f) => f.records.map((r) => ({ ...r, flowId: f.id })));
  if (records.length === 0) return;
  await q.query(
    `INSERT INTO siuss_flow_record (flow_id, ordinal, delivery_id, operation)
     SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[])`,
    [
      records.map((r) => r.flowId),
      records.map((r) => r.ordinal),
      records.map((r) => r.deliveryId),
      records.map((r) => r.operation),
    ],
  );
}

export type FlowRow = {
  id: string;
  organizationId: string;
  enteCode: string;
  enteName: string;
  kind: FlowKind;
  route: 'WAAS' | 'FILE';
  status: 'INVALID' | 'VALID' | 'WITHDRAWN' | 'SENT' | 'ACCEPTED' | 'REJECTED';
  records: number;
  tsMs: number;
  createdAt: Date;
  changedAt: Date;
  sentAt: Date | null;
  outcomeCode: OutcomeCode | null;
  outcomeDescription: string | null;
  siussAcquisitionId: string | null;
  report: SiussIssue[];
};

const FLOW_COLUMNS = `f.id, f.organization_id AS "organizationId", s.ente_code AS "enteCode",
  s.name AS "enteName", f.kind, f.route, f.status, f.records, f.ts_ms AS "tsMs",
  f.created_at AS "createdAt", f.changed_at AS "changedAt", f.sent_at AS "sentAt",
  f.outcome_code AS "outcomeCode", f.outcome_description AS "outcomeDescription",
  f.siuss_acquisition_id AS "siussAcquisitionId", f.report`;
const FLOW_FROM = 'siuss_flow f JOIN siuss_sender s ON s.organization_id = f.organization_id';

/** Characters of a stored part (about 1 MB): a million-record flow is a few hundred parts. */
export const FLOW_PART_CHARS = 1024 * 1024;

/**
 * Stores a flow's XML part by part as it is written, in the caller's transaction (the flow's row
 * follows in the same one: the foreign key is checked at commit). `write` takes the chunks in
 * order, each a run of whole records (never a split character) and lent (copied at once); its
 * promise, when it returns one, is a part being stored: wait for it before the next chunk.
 */
export function flowPartWriter(q: Queryable, flowId: string, partChars = FLOW_PART_CHARS) {
  let pending: string[] = [];
  let chars = 0;
  let seq = 0;
  const flush = async () => {
    const xml = pending.join('');
    pending = [];
    chars = 0;
    await q.query('INSERT INTO siuss_flow_part (flow_id, seq, xml) VALUES ($1, $2, $3)', [
      flowId,
      seq++,
      xml,
    ]);
  };
  return {
    write(chunk: Buffer | string): Promise<void> | undefined {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      pending.push(text);
      chars += text.length;
      return chars >= partChars ? flush() : undefined;
    },
    /** Stores what is left (at least one part, so an empty flow still reads back as ''). */
    async end() {
      if (chars > 0 || seq === 0) await flush();
    },
  };
}

/** A stored flow's XML, part after part (a few parts read at a time: memory stays bounded). */
export async function* flowXmlChunks(q: Queryable, flowId: string): AsyncGenerator<string> {
  const batch = 4;
  for (let from = 0; ; from += batch) {
    const rows = await q.query<{ xml: string }>(
      `SELECT xml FROM siuss_flow_part WHERE flow_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [flowId, from, batch],
    );
    for (const r of rows) yield r.xml;
    if (rows.length < batch) return;
  }
}

/** A stored flow's XML as one string (a WaaS flow: one record). */
export async function readFlowXml(q: Queryable, flowId: string): Promise<string> {
  let xml = '';
  for await (const c of flowXmlChunks(q, flowId)) xml += c;
  return xml;
}

/** A stored flow's UTF-8 bytes in base64 (the WaaS `flusso`), encoded part by part. */
export async function flowBase64(q: Queryable, flowId: string): Promise<string> {
  const out: string[] = [];
  let carry = Buffer.alloc(0);
  for await (const c of flowXmlChunks(q, flowId)) {
    const bytes =
      carry.length > 0 ? Buffer.concat([carry, Buffer.from(c, 'utf8')]) : Buffer.from(c);
    const whole = bytes.length - (bytes.length % 3);
    out.push(bytes.subarray(0, whole).toString('base64'));
    carry = bytes.subarray(whole);
  }
  out.push(carry.toString('base64'));
  return out.join('');
}

/** The WaaS flows offered after `since` (ts_flusso order); their XML is read with flowBase64. */
export async function selectOfferedFlows(
  q: Queryable,
  organizationIds: string[],
  since: number,
  limit: number,
) {
  return q.query<FlowRow>(
    `SELECT ${FLOW_COLUMNS} FROM ${FLOW_FROM}
      WHERE f.organization_id = ANY($1::uuid[]) AND f.route = 'WAAS'
        AND f.status IN ('VALID', 'SENT', 'ACCEPTED', 'REJECTED') AND f.ts_ms > $2
      ORDER BY f.ts_ms LIMIT $3`,
    [organizationIds, since, limit],
  );
}

export async function selectFlow(q: Queryable, id: string) {
  const [row] = await q.query<FlowRow>(`SELECT ${FLOW_COLUMNS} FROM ${FLOW_FROM} WHERE f.id = $1`, [
    id,
  ]);
  return row ?? null;
}

export async function listFlows(
  q: Queryable,
  organizationIds: string[],
  statuses: string[] | null,
  limit: number,
) {
  return q.query<FlowRow>(
    `SELECT ${FLOW_COLUMNS} FROM ${FLOW_FROM}
      WHERE f.organization_id = ANY($1::uuid[]) AND ($2::text[] IS NULL OR f.status = ANY($2))
      ORDER BY f.ts_ms DESC LIMIT $3`,
    [organizationIds, statuses, limit],
  );
}

/** Marks flows as gone to INPS, and their duties SENT; returns nothing, changes only VALID ones. */
export async function markSent(q: Queryable, flowIds: string[]) {
  if (flowIds.length === 0) return;
  const sent = await q.query<{ id: string }>(
    `UPDATE siuss_flow SET status = 'SENT', sent_at = now(), changed_at = now()
      WHERE id = ANY($1::text[]) AND status = 'VALID' RETURNING id`,
    [flowIds],
  );
  if (sent.length === 0) return;
  await q.query(
    `UPDATE siuss_duty SET state = 'SENT', updated_at = now()
      WHERE flow_id = ANY($1::text[]) AND state = 'IN_FLOW'`,
    [sent.map((r) => r.id)],
  );
  await markSinbaSent(
    q,
    sent.map((r) => r.id),
  );
}

export async function setFlowOutcome(
  q: Queryable,
  id: string,
  o: {
    code: OutcomeCode;
    description: string | null;
    acquisitionId: string | null;
    acquiredAt: string;
  },
) {
  await q.query(
    `UPDATE siuss_flow SET status = $2, outcome_code = $3, outcome_description = $4,
       siuss_acquisition_id = $5, acquired_at = $6, outcome_at = now(), changed_at = now(),
       sent_at = coalesce(sent_at, now())
     WHERE id = $1`,
    [
      id,
      o.code === 'OK' ? 'ACCEPTED' : 'REJECTED',
      o.code,
      o.description,
      o.acquisitionId,
      o.acquiredAt,
    ],
  );
}

/** The records of a flow with their duties, locked for the outcome. */
export async function selectFlowDuties(q: Queryable, flowId: string) {
  return q.query<DutyRow & { sentAs: 'I' | 'C' }>(
    `SELECT ${DUTY_COLUMNS}, r.operation AS "sentAs"
       FROM siuss_flow_record r JOIN siuss_duty d ON d.delivery_id = r.delivery_id
      WHERE r.flow_id = $1 ORDER BY r.ordinal FOR UPDATE OF d`,
    [flowId],
  );
}

export type DutyListRow = DutyRow & {
  personName: string;
  taxCode: string | null;
  serviceCode: string;
  amount: string;
  officeName: string;
  flowStatus: string | null;
};

export async function listDuties(
  q: Queryable,
  f: {
    organizationIds: string[];
    officeIds: string[] | null;
    states: DutyState[] | null;
    deadlineBefore: string | null;
    overdueOn: string | null;
    limit: number;
  },
) {
  const where = ['d.organization_id = ANY($1::uuid[])'];
  const params: unknown[] = [f.organizationIds];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.officeIds) add('d.office_id = ANY(?::uuid[])', f.officeIds);
  if (f.states) add('d.state = ANY(?::text[])', f.states);
  if (f.deadlineBefore) add('d.deadline <= ?::date', f.deadlineBefore);
  if (f.overdueOn)
    add(
      `d.deadline < ?::date AND d.operation <> 'CANCEL' AND d.state IN ('DUE', 'IN_FLOW', 'REJECTED')`,
      f.overdueOn,
    );
  params.push(f.limit);
  return q.query<DutyListRow>(
    `SELECT ${DUTY_COLUMNS}, concat_ws(' ', p.last_name, p.first_name) AS "personName",
            p.tax_code AS "taxCode", dl.service_code AS "serviceCode", dl.amount::text AS amount,
            o.name AS "officeName", fl.status AS "flowStatus"
       FROM siuss_duty d
       JOIN delivery dl ON dl.id = d.delivery_id
       JOIN person p ON p.id = d.person_id
       JOIN office o ON o.id = d.office_id
       LEFT JOIN siuss_flow fl ON fl.id = d.flow_id
      WHERE ${where.join(' AND ')}
      ORDER BY d.deadline, d.delivery_id
      LIMIT $${params.length}`,
    params,
  );
}
