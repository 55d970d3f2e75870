// The SIUSS duty as services: authorization here (siuss.access.ts), one audited transaction per
// call (access/audited.ts), the decisions in siuss-duty.ts, the SQL in siuss-duty.store.ts.
import { z } from 'zod';
import { type Actor, type ClientActor, maskedGroupsOf, type Origin } from '../access/actor.ts';
import { audited } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { SINBA_ECONOMIC, SINBA_HEALTH, SINBA_JUDICIAL } from '../case-file/assessment/siuss-zod.ts';
import { parseInput } from '../case-file/case-file.util.ts';
import type { Db, Queryable } from '../db/db.ts';
import { maskDeliveries } from '../deliveries/deliveries.masking.ts';
import { CaseworkError } from '../errors.ts';
import { loadClientActor } from '../operators/operator-auth.service.ts';
import { todayInRome } from '../time/today.ts';
import { SIUSS_PULL_SCOPE, siussOrganizationsOf, waasOrganizationsOf } from './siuss.access.ts';
import { type SiussIssue, sameIssues } from './siuss.rules.ts';
import { recordOf } from './siuss-duty.map.ts';
import {
  type DutyListRow,
  type FlowRow,
  flowBase64,
  flowPartWriter,
  flowXmlChunks,
  insertFlows,
  insertMissingDuties,
  listDuties,
  listFlows,
  lockSender,
  markSent,
  type NewFlow,
  type Sender,
  selectDuty,
  selectFacts,
  selectFlow,
  selectFlowDuties,
  selectOfferedFlows,
  selectSendable,
  selectSupersededDuties,
  setFlowOutcome,
  updateDuty,
  upsertSender,
  withdrawFlow,
} from './siuss-duty.store.ts';
import {
  type DutyState,
  type DutyStatus,
  isOverdue,
  maySend,
  OUTCOME_CODES,
  type OutcomeCode,
  onFlowBuilt,
  onOutcome,
  onResend,
  onSuperseded,
} from './siuss-duty.ts';
import { buildFlow, numberFlows } from './siuss-flow.ts';
import { flowToString } from './siuss-flow-writer.ts';
import type { PsRecord } from './siuss-record.ts';
import {
  insertMissingSinbaDuties,
  listSinbaDuties,
  type SinbaDutyListRow,
  type SinbaDutyState,
} from './siuss-sinba.store.ts';
import { applySinbaOutcome, buildSinbaFlows } from './siuss-sinba.ts';

const forbidden = (message: string) => new CaseworkError('FORBIDDEN', message);

function requireDutyOrganization(
  actor: Actor,
  organizationId: string | null | undefined,
): string[] {
  const mine = siussOrganizationsOf(actor);
  if (mine.length === 0)
    throw forbidden(
      'il debito informativo SIUSS è del personale amministrativo e dei coordinatori',
    );
  if (organizationId == null) return mine;
  if (!mine.includes(organizationId))
    throw forbidden('organizzazione non tra quelle di cui si cura il debito informativo SIUSS');
  return [organizationId];
}

const scope = (
  action: 'READ' | 'SEARCH' | 'CREATE' | 'UPDATE' | 'EXPORT',
  entity: string,
  entityId: string | null = null,
) => ({ action, entity, entityId, personId: null });

/** Brings the duties up to date with the deliveries: new ones due, corrected and cancelled ones followed. */
async function reconcile(q: Queryable, organizationIds: string[]) {
  await insertMissingDuties(q, organizationIds);
  for (const d of await selectSupersededDuties(q, organizationIds)) {
    const { status, withdraw } = onSuperseded(d, d.deliveryStatus);
    if (withdraw && d.flowId) await withdrawFlow(q, d.flowId);
    await updateDuty(q, d.deliveryId, status);
  }
}

// ---- the sender -------------------------------------------------------------------------------

const senderInput = z
  .object({
    organizationId: z.uuid(),
    enteCode: z.string().regex(/^[A-Z][0-9]{3}$/, 'codice ente: codice Belfiore (es. G478)'),
    name: z.string().trim().min(1).max(100),
    seatCadastralCode: z.string().regex(/^[A-Z][0-9]{3}$/, 'codice Belfiore della sede legale'),
    operatorTaxCode: z
      .string()
      .regex(
        /^([A-Z]{6}\d{2}[A-Z]\d{2}[A-Z][A-Z0-9]{3}[A-Z]|\d{11})$/,
        'codice fiscale non valido',
      ),
  })
  .strict();
export type SiussSenderInput = z.input<typeof senderInput>;

/** Sets who sends the organisation's flows (IdentificazioneFlusso/Ente). */
export async function configureSiussSender(db: Db, actor: Actor, raw: SiussSenderInput) {
  return audited(db, actor, scope('UPDATE', 'SiussSender'), async (tx, s) => {
    const input = parseInput(senderInput, raw);
    s.entityId = input.organizationId;
    requireDutyOrganization(actor, input.organizationId);
    await upsertSender(tx, input);
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'SiussSender',
      entityId: input.organizationId,
      outcome: 'OK',
    });
    return input;
  });
}

// ---- the duty lists ---------------------------------------------------------------------------

export const SIUSS_DUTY_VIEWS = ['ALL', 'DUE_SOON', 'OVERDUE', 'REJECTED', 'SENT'] as const;
export type SiussDutyView = (typeof SIUSS_DUTY_VIEWS)[number];

const listInput = z
  .object({
    organizationId: z.uuid().nullish(),
    officeId: z.uuid().nullish(),
    view: z.enum(SIUSS_DUTY_VIEWS).default('ALL'),
    /** DUE_SOON: deadlines within this many days. */
    withinDays: z.number().int().min(0).max(366).default(30),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ListSiussDutiesInput = z.input<typeof listInput>;

export type SiussDuty = {
  deliveryId: string;
  organizationId: string;
  officeId: string;
  officeName: string;
  personId: string;
  personName: string;
  taxCode: string | null;
  /** Null where the desk masks health and this is a health service (deliveries.masking.ts). */
  serviceCode: string | null;
  amount: number;
  deliveredOn: string;
  deadline: string;
  state: DutyState;
  /** Past its deadline and not yet with INPS. */
  overdue: boolean;
  operation: DutyStatus['operation'];
  heldByInps: boolean;
  rejectionCode: string | null;
  rejectionReason: string | null;
  /** Why its record was kept out of the last flow (rules or schema). */
  issues: SiussIssue[];
  flowId: string | null;
  flowStatus: string | null;
};

const dutyOf = (r: DutyListRow, today: string): SiussDuty => ({
  deliveryId: r.deliveryId,
  organizationId: r.organizationId,
  officeId: r.officeId,
  officeName: r.officeName,
  personId: r.personId,
  personName: r.personName,
  taxCode: r.taxCode?.trim() ?? null,
  serviceCode: r.serviceCode,
  amount: Number(r.amount),
  deliveredOn: r.deliveredOn,
  deadline: r.deadline,
  state: r.state,
  overdue: isOverdue(r, today),
  operation: r.operation,
  heldByInps: r.heldByInps,
  rejectionCode: r.rejectionCode,
  rejectionReason: r.rejectionReason,
  issues: r.issues ?? [],
  flowId: r.flowId,
  flowStatus: r.flowStatus,
});

function addDays(day: string, n: number) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The SIUSS page's lists, per office: due soon, overdue, rejected with INPS's reason, sent. */
export async function listSiussDuties(
  db: Db,
  actor: Actor,
  raw: ListSiussDutiesInput = {},
): Promise<SiussDuty[]> {
  return audited(db, actor, scope('SEARCH', 'SiussDuty'), async (tx) => {
    const input = parseInput(listInput, raw);
    const organizationIds = requireDutyOrganization(actor, input.organizationId);
    const today = todayInRome();
    await reconcile(tx, organizationIds);
    const states: Record<SiussDutyView, DutyState[] | null> = {
      ALL: null,
      DUE_SOON: ['DUE', 'IN_FLOW', 'REJECTED'],
      OVERDUE: null,
      REJECTED: ['REJECTED'],
      SENT: ['SENT', 'ACCEPTED'],
    };
    const rows = await listDuties(tx, {
      organizationIds,
      officeIds: input.officeId ? [input.officeId] : null,
      states: states[input.view],
      deadlineBefore: input.view === 'DUE_SOON' ? addDays(today, input.withinDays) : null,
      overdueOn: input.view === 'OVERDUE' ? today : null,
      limit: input.limit,
    });
    const duties = rows.map((r) => dutyOf(r, today));
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'SiussDuty',
      outcome: 'OK',
      details: {
        view: input.view,
        officeId: input.officeId ?? null,
        persons: [...new Set(duties.map((d) => d.personId))].length,
      },
    });
    const listed = input.view === 'DUE_SOON' ? duties.filter((d) => !d.overdue) : duties;
    return maskDeliveries(tx, actor, listed);
  });
}

/** After the office fixed what INPS rejected (the person's or the intervention's data): send again. */
export async function resendSiussDuty(db: Db, actor: Actor, deliveryId: string) {
  return audited(db, actor, scope('UPDATE', 'SiussDuty', deliveryId), async (tx, s) => {
    const duty = await selectDuty(tx, deliveryId);
    if (!duty || !siussOrganizationsOf(actor).includes(duty.organizationId))
      throw new CaseworkError('NOT_FOUND', 'debito SIUSS non trovato', 'deliveryId');
    s.personId = duty.personId;
    const next = onResend(duty);
    if (!next)
      throw new CaseworkError(
        'INVALID_STATUS_TRANSITION',
        `si rinvia solo un record scartato da INPS (stato ${duty.state})`,
        'deliveryId',
      );
    await updateDuty(tx, deliveryId, { ...next, issues: null });
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'SiussDuty',
      entityId: deliveryId,
      personId: duty.personId,
      outcome: 'OK',
      details: { resend: duty.operation },
    });
    return { deliveryId, state: next.state };
  });
}

// ---- the SINBA duties (minors' SInBA assessments) ---------------------------------------------

export const SINBA_DUTY_STATES = ['DUE', 'IN_FLOW', 'SENT', 'ACCEPTED', 'REJECTED'] as const;

const sinbaListInput = z
  .object({
    organizationId: z.uuid().nullish(),
    officeId: z.uuid().nullish(),
    states: z.array(z.enum(SINBA_DUTY_STATES)).max(SINBA_DUTY_STATES.length).nullish(),
    /** The due period: deadlines from and to these days (inclusive). */
    dueFrom: z.iso.date().nullish(),
    dueTo: z.iso.date().nullish(),
    /** Only those past their deadline and not yet with INPS. */
    overdue: z.boolean().nullish(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict()
  .refine((v) => !v.dueFrom || !v.dueTo || v.dueFrom <= v.dueTo, {
    message: 'periodo di scadenza: la data iniziale segue quella finale',
    path: ['dueTo'],
  });
export type ListSiussSinbaDutiesInput = z.input<typeof sinbaListInput>;

export type SiussSinbaDuty = {
  /** The SInBA assessment the record is made of (one record per assessment). */
  assessmentId: string;
  organizationId: string;
  officeId: string;
  officeName: string;
  personId: string;
  personName: string;
  taxCode: string | null;
  caseFileId: string;
  assessedOn: string;
  deadline: string;
  state: SinbaDutyState;
  overdue: boolean;
  rejectionCode: string | null;
  /** INPS's free text may quote any attribute of the record: null at a desk that masks any. */
  rejectionReason: string | null;
  /** Why its record was kept out of the last flow, without those on a masked attribute. */
  issues: SiussIssue[];
  flowId: string | null;
  flowStatus: string | null;
  maskedFields: string[];
};

/** The SINBA attributes of each sensitive group (as the assessments mask them). */
const SINBA_GROUP_ATTRIBUTES = [
  ['HEALTH', SINBA_HEALTH],
  ['JUDICIAL', SINBA_JUDICIAL],
  ['ECONOMIC', SINBA_ECONOMIC],
] as const;

/**
 * A SINBA duty as the caller may see it. The record is the minor's condition, family and court
 * measures: where the desk masks one of those groups, INPS's reason (free text that may quote
 * the record) is null and the issues on that group's attributes are left out. As for the SIUSS
 * duties, a masked value is null and the names are in maskedFields whether or not this row held
 * such a value, so that the list tells nothing.
 */
function sinbaDutyOf(actor: Actor, r: SinbaDutyListRow, today: string): SiussSinbaDuty {
  const masked = maskedGroupsOf(actor);
  const hidden = new Set<string>(
    SINBA_GROUP_ATTRIBUTES.filter(([g]) => masked.has(g)).flatMap(([, fields]) => fields),
  );
  const masks = hidden.size > 0;
  return {
    assessmentId: r.assessmentId,
    organizationId: r.organizationId,
    officeId: r.officeId,
    officeName: r.officeName,
    personId: r.personId,
    personName: r.personName,
    taxCode: r.taxCode?.trim() ?? null,
    caseFileId: r.caseFileId,
    assessedOn: r.assessedOn,
    deadline: r.deadline,
    state: r.state,
    overdue: r.deadline < today && ['DUE', 'IN_FLOW', 'REJECTED'].includes(r.state),
    rejectionCode: r.rejectionCode,
    rejectionReason: masks ? null : r.rejectionReason,
    issues: (r.issues ?? []).filter((i) => !hidden.has(i.field)),
    flowId: r.flowId,
    flowStatus: r.flowStatus,
    maskedFields: masks ? ['rejectionReason', 'issues'] : [],
  };
}

/**
 * The SINBA side of the SIUSS page: the minors' records, due, in a flow, sent, accepted or
 * rejected with INPS's reason, a page at a time. Its audit row names every minor listed.
 */
export async function listSiussSinbaDuties(
  db: Db,
  actor: Actor,
  raw: ListSiussSinbaDutiesInput = {},
): Promise<{ items: SiussSinbaDuty[]; total: number }> {
  return audited(db, actor, scope('SEARCH', 'SiussSinbaDuty'), async (tx) => {
    const input = parseInput(sinbaListInput, raw, 'filter');
    const organizationIds = requireDutyOrganization(actor, input.organizationId);
    const today = todayInRome();
    await insertMissingSinbaDuties(tx, organizationIds);
    const page = await listSinbaDuties(
      tx,
      {
        organizationIds,
        officeIds: input.officeId ? [input.officeId] : null,
        states: input.states ?? null,
        dueFrom: input.dueFrom ?? null,
        dueTo: input.dueTo ?? null,
        overdueOn: input.overdue ? today : null,
      },
      { limit: input.limit, offset: input.offset },
    );
    const items = page.items.map((r) => sinbaDutyOf(actor, r, today));
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'SiussSinbaDuty',
      outcome: 'OK',
      details: {
        organizationIds,
        officeId: input.officeId ?? null,
        states: input.states ?? null,
        dueFrom: input.dueFrom ?? null,
        dueTo: input.dueTo ?? null,
        overdue: input.overdue ?? false,
        offset: input.offset,
        // Every minor on the page, by id: a list of minors is a read of each.
        personIds: [...new Set(items.map((d) => d.personId))],
      },
    });
    return { items, total: page.total };
  });
}

// ---- building flows ---------------------------------------------------------------------------

const buildInput = z
  .object({
    organizationId: z.uuid(),
    /** WAAS: one flow per record, pulled by INPS; FILE: one file for INPS's web application. */
    route: z.enum(['WAAS', 'FILE']),
    limit: z.number().int().min(1).max(100_000).default(10_000),
  })
  .strict();
export type BuildSiussFlowsInput = z.input<typeof buildInput>;

export type SiussFlow = Omit<FlowRow, 'tsMs'> & { tsFlusso: Date };

const flowOf = ({ tsMs, ...f }: FlowRow): SiussFlow => ({ ...f, tsFlusso: new Date(tsMs) });

export type BuildSiussFlowsResult = {
  flows: SiussFlow[];
  /** Records kept out (their flow is INVALID and never offered), each with every reason. */
  refused: { deliveryId: string; issues: SiussIssue[] }[];
};

/**
 * Puts what is due into flows. Every record is checked by the rules and, in one pass of xmllint,
 * by the XSD; a WaaS flow carries one beneficiary and one benefit, a file all of them. A flow with
 * a bad record is stored INVALID with its report and never offered.
 */
export async function buildSiussFlows(
  db: Db,
  actor: Actor,
  raw: BuildSiussFlowsInput,
): Promise<BuildSiussFlowsResult> {
  return audited(db, actor, scope('CREATE', 'SiussFlow'), async (tx) => {
    const input = parseInput(buildInput, raw);
    requireDutyOrganization(actor, input.organizationId);
    const sender = await lockSender(tx, input.organizationId);
    if (!sender)
      throw new CaseworkError(
        'SIUSS_SENDER_MISSING',
        "impostare il mittente SIUSS dell'organizzazione (codice ente, sede, codice fiscale dell'operatore)",
        'organizationId',
      );
    await reconcile(tx, [input.organizationId]);
    await insertMissingSinbaDuties(tx, [input.organizationId]);
    const ps = await buildPsFlows(tx, actor, input, sender);
    const sinba = await buildSinbaFlows(tx, actor, input, sender);
    const ids = new Set([...ps.flowIds, ...sinba.flowIds]);
    if (ids.size === 0) return { flows: [], refused: ps.refused };
    const stored = await listFlows(tx, [input.organizationId], null, ids.size);
    return { flows: stored.filter((f) => ids.has(f.id)).map(flowOf), refused: ps.refused };
  });
}

/** The PS_PSA_SINA flows of what is due: the records of the deliveries. */
async function buildPsFlows(
  tx: Queryable,
  actor: Actor,
  input: z.infer<typeof buildInput>,
  sender: Sender,
): Promise<{ flowIds: string[]; refused: BuildSiussFlowsResult['refused'] }> {
  const due = (await selectSendable(tx, input.organizationId, input.limit)).filter((d) =>
    maySend(d, d.predecessorHeld),
  );
  if (due.length === 0) return { flowIds: [], refused: [] };
  const facts = await selectFacts(
    tx,
    due.map((d) => d.deliveryId),
  );
  const records = due.map((d) => recordOf(facts.get(d.deliveryId)!, d.operation));

  const numbers = await numberFlows(tx, sender, 'PS_PSA_SINA');
  const { header } = numbers;
  // One pass of the rules and of xmllint over every record (the XSD constrains each alone).
  // A file flow is stored part by part while it is written and validated (its row follows).
  const parts = input.route === 'FILE' ? flowPartWriter(tx, header(0).Nome) : null;
  const report = await buildFlow('PS_PSA_SINA', header(0), records, {
    ...(parts ? { outputBytes: (c: Buffer) => parts.write(c) } : {}),
  });
  await parts?.end();
  const issuesOf = new Map<string, SiussIssue[]>();
  for (const i of report.issues) issuesOf.set(i.record, [...(issuesOf.get(i.record) ?? []), i]);
  if (report.droppedIssues > 0)
    throw new Error(`troppi errori nel flusso (${report.droppedIssues} non riportati)`);

  const flows: NewFlow[] = [];
  const assign = new Map<string, { flowId: string; valid: boolean }>();
  const entry = (d: (typeof due)[number], r: PsRecord, ordinal: number) => ({
    ordinal,
    deliveryId: d.deliveryId,
    operation: r.PrestazioniSociali[0]!.TipoOperazione ?? 'I',
  });
  if (input.route === 'FILE') {
    const id = header(0).Nome;
    flows.push({
      id,
      organizationId: input.organizationId,
      kind: 'PS_PSA_SINA',
      route: 'FILE',
      status: report.valid ? 'VALID' : 'INVALID',
      records: due.map((d, k) => entry(d, records[k]!, k)),
      report: report.issues,
      tsMs: numbers.ts,
    });
    for (const d of due) assign.set(d.deliveryId, { flowId: id, valid: report.valid });
  } else {
    let n = 0;
    for (const [k, d] of due.entries()) {
      const issues = issuesOf.get(d.deliveryId) ?? [];
      // A record refused again for the same reasons gets no new invalid flow each time.
      if (issues.length > 0 && sameIssues(issues, d.issues)) continue;
      const h = header(n);
      flows.push({
        id: h.Nome,
        organizationId: input.organizationId,
        kind: 'PS_PSA_SINA',
        route: 'WAAS',
        status: issues.length === 0 ? 'VALID' : 'INVALID',
        records: [entry(d, records[k]!, 0)],
        xml: await flowToString('PS_PSA_SINA', h, [records[k]!]),
        report: issues,
        tsMs: numbers.ts + n++,
      });
      assign.set(d.deliveryId, { flowId: h.Nome, valid: issues.length === 0 });
    }
  }
  await insertFlows(tx, flows);
  for (const d of due) {
    const a = assign.get(d.deliveryId);
    if (!a) continue;
    const issues = issuesOf.get(d.deliveryId) ?? [];
    await updateDuty(tx, d.deliveryId, {
      ...(a.valid ? onFlowBuilt(d) : d),
      flowId: a.flowId,
      issues: issues.length > 0 ? issues : null,
    });
  }
  if (flows.length === 0)
    return {
      flowIds: [],
      refused: [...issuesOf].map(([deliveryId, issues]) => ({ deliveryId, issues })),
    };
  await audit(tx, actor, {
    action: 'CREATE',
    entity: 'SiussFlow',
    entityId: flows[0]!.id,
    outcome: 'OK',
    details: {
      route: input.route,
      flows: flows.length,
      invalid: flows.filter((f) => f.status === 'INVALID').length,
      records: due.length,
    },
  });
  return {
    flowIds: flows.map((f) => f.id),
    refused: [...issuesOf].map(([deliveryId, issues]) => ({ deliveryId, issues })),
  };
}

const flowsInput = z
  .object({
    organizationId: z.uuid().nullish(),
    statuses: z
      .array(z.enum(['INVALID', 'VALID', 'WITHDRAWN', 'SENT', 'ACCEPTED', 'REJECTED']))
      .nullish(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type ListSiussFlowsInput = z.input<typeof flowsInput>;

/** The flows of the organisation, newest first (no XML: the file route downloads it). */
export async function listSiussFlows(db: Db, actor: Actor, raw: ListSiussFlowsInput = {}) {
  return audited(db, actor, scope('SEARCH', 'SiussFlow'), async (tx) => {
    const input = parseInput(flowsInput, raw);
    const organizationIds = requireDutyOrganization(actor, input.organizationId);
    return (await listFlows(tx, organizationIds, input.statuses ?? null, input.limit)).map(flowOf);
  });
}

/**
 * The file of a FILE flow, for upload to INPS's web application: downloading it sends it (the
 * duties become SENT). An INVALID or withdrawn flow never leaves. The XML comes as `chunks`, its
 * stored parts in order.
 */
export async function downloadSiussFlow(db: Db, actor: Actor, flowId: string) {
  return audited(db, actor, scope('EXPORT', 'SiussFlow', flowId), async (tx) => {
    const flow = await selectFlow(tx, flowId);
    if (!flow || !siussOrganizationsOf(actor).includes(flow.organizationId)) {
      if (siussOrganizationsOf(actor).length === 0)
        throw forbidden(
          'il debito informativo SIUSS è del personale amministrativo e dei coordinatori',
        );
      throw new CaseworkError('NOT_FOUND', 'flusso non trovato', 'id');
    }
    if (flow.route !== 'FILE')
      throw new CaseworkError('CONFLICT', 'un flusso WaaS lo preleva INPS: non si scarica', 'id');
    if (flow.status === 'INVALID' || flow.status === 'WITHDRAWN')
      throw new CaseworkError(
        'CONFLICT',
        'flusso non valido o ritirato: non lascia il sistema (vedere il rapporto)',
        'id',
      );
    await markSent(tx, [flow.id]);
    await audit(tx, actor, {
      action: 'EXPORT',
      entity: 'SiussFlow',
      entityId: flow.id,
      outcome: 'OK',
      details: { records: flow.records, route: 'FILE' },
    });
    // Read part by part as the caller sends it, after this transaction: a stored flow's parts
    // never change, and a file of hundreds of MB never sits in memory whole.
    return { id: flow.id, filename: `${flow.id}.xml`, chunks: flowXmlChunks(db, flow.id) };
  });
}

// ---- the WaaS API (INPS pulls) ----------------------------------------------------------------

/**
 * The partner client an INPS PDND voucher stands for once the gateway has verified it (PDND's
 * signature, issuer, our audience, expiry, INPS's client and purpose): its organisations and its
 * scopes, so `siuss:pull` is still what lets it pull. Null when the client is unknown or off.
 */
export async function loadWaasClient(
  q: Queryable,
  clientId: string,
  origin: Origin,
): Promise<ClientActor | null> {
  const [row] = await q.query<{ id: string }>(
    'SELECT id FROM partner_client WHERE client_id = $1 AND active',
    [clientId],
  );
  return row ? loadClientActor(q, row.id, origin) : null;
}

function requireWaas(actor: Actor): string[] {
  const orgs = waasOrganizationsOf(actor);
  if (!orgs) throw forbidden(`riservato al client di INPS con l'ambito ${SIUSS_PULL_SCOPE}`);
  return orgs;
}

/** One WaaS entry (WaaS-SIUSS_api-comuni.yaml, schema Flusso). */
export type WaasFlowEntry = {
  codice_ente: string;
  denominazione_ente: string;
  id_flusso: string;
  tipo: 'PS_PSA_SINA' | 'SINBA';
  ts_flusso: string;
  flusso: string;
};

/** GET /flussi: the flows offered after `since` (ms), oldest first; taking them sends them. */
export async function pullSiussFlows(
  db: Db,
  actor: Actor,
  since: number,
  limit: number,
): Promise<WaasFlowEntry[]> {
  return audited(db, actor, scope('EXPORT', 'SiussFlow'), async (tx) => {
    const organizationIds = requireWaas(actor);
    const rows = await selectOfferedFlows(tx, organizationIds, since, limit);
    await markSent(
      tx,
      rows.filter((r) => r.status === 'VALID').map((r) => r.id),
    );
    if (rows.length > 0)
      await audit(tx, actor, {
        action: 'EXPORT',
        entity: 'SiussFlow',
        outcome: 'OK',
        details: { since, flows: rows.map((r) => r.id) },
      });
    const entries: WaasFlowEntry[] = [];
    for (const r of rows)
      entries.push({
        codice_ente: r.enteCode,
        denominazione_ente: r.enteName,
        id_flusso: r.id,
        tipo: r.kind,
        ts_flusso: new Date(r.tsMs).toISOString(),
        flusso: await flowBase64(tx, r.id),
      });
    return entries;
  });
}

export const esitoSchema = z.object({
  id_flusso: z.string().min(1).max(64),
  tipo: z.enum(['PS_PSA_SINA', 'SINBA']),
  ts_flusso: z.iso.datetime({ offset: true }),
  ts_acquisizione: z.iso.datetime({ offset: true }),
  codice_esito: z.enum(OUTCOME_CODES as [OutcomeCode, ...OutcomeCode[]]),
  descrizione_esito: z.string().max(4096).nullish(),
  id_acquisizione_siuss: z.string().max(64).nullish(),
});
export type Esito = z.infer<typeof esitoSchema>;

export type EsitiResult = {
  applied: string[];
  /** Flows INPS cannot have taken from us: unknown, never offered, or of another kind. */
  unknown: string[];
  /** The same outcome again, or a flow whose acceptance is already recorded. */
  alreadyRecorded: string[];
};

/** POST /esiti: INPS's outcomes. An unknown flow or an outcome already recorded changes nothing. */
export async function recordSiussOutcomes(
  db: Db,
  actor: Actor,
  esiti: Esito[],
): Promise<EsitiResult> {
  return audited(db, actor, scope('UPDATE', 'SiussFlow'), async (tx) => {
    const organizationIds = requireWaas(actor);
    const result: EsitiResult = { applied: [], unknown: [], alreadyRecorded: [] };
    for (const e of esiti) {
      const flow = await selectFlow(tx, e.id_flusso);
      if (
        !flow ||
        !organizationIds.includes(flow.organizationId) ||
        flow.route !== 'WAAS' ||
        flow.kind !== e.tipo ||
        !['SENT', 'ACCEPTED', 'REJECTED'].includes(flow.status)
      ) {
        result.unknown.push(e.id_flusso);
        continue;
      }
      if (flow.status === 'ACCEPTED' || flow.outcomeCode === e.codice_esito) {
        result.alreadyRecorded.push(e.id_flusso);
        continue;
      }
      const reason = e.descrizione_esito ?? null;
      await setFlowOutcome(tx, flow.id, {
        code: e.codice_esito,
        description: reason,
        acquisitionId: e.codice_esito === 'OK' ? (e.id_acquisizione_siuss ?? null) : null,
        acquiredAt: e.ts_acquisizione,
      });
      if (flow.kind === 'SINBA') await applySinbaOutcome(tx, flow.id, e.codice_esito, reason);
      for (const d of await selectFlowDuties(tx, flow.id)) {
        // A duty resent in a newer flow follows that flow's outcome, not this late one.
        if (d.flowId !== flow.id) continue;
        await updateDuty(tx, d.deliveryId, onOutcome(d, d.sentAs, e.codice_esito, reason));
      }
      result.applied.push(e.id_flusso);
    }
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'SiussFlow',
      outcome: 'OK',
      details: result,
    });
    return result;
  });
}
