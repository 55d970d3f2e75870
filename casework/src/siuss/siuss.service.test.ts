import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientActor } from '../access/actor.ts';
import { daysAgo } from '../case-file/case-file.fixtures.ts';
import {
  createDeliveriesWorld,
  type DeliveriesWorld,
  homeCare,
} from '../deliveries/deliveries.fixtures.ts';
import { cancelDelivery, correctDelivery, recordDelivery } from '../deliveries/delivery.service.ts';
import { createIntervention } from '../deliveries/intervention.service.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { refusal } from '../testing/refusal.ts';
import { SIUSS_PULL_SCOPE } from './siuss.access.ts';
import {
  buildSiussFlows,
  configureSiussSender,
  downloadSiussFlow,
  type Esito,
  listSiussDuties,
  pullSiussFlows,
  recordSiussOutcomes,
  resendSiussDuty,
} from './siuss.service.ts';
import { ensureDeliveryDuty, selectDuty } from './siuss-duty.store.ts';
import { FLOW_XSD } from './siuss-flow-validate.ts';

const readAll = async (chunks: AsyncIterable<string>) => {
  let xml = '';
  for await (const c of chunks) xml += c;
  return xml;
};

let w: DeliveriesWorld;
let inps: ClientActor;
let orgPg: string;
let interventionId: string;
beforeAll(async () => {
  w = await createDeliveriesWorld();
  orgPg = w.fx.organizations.perugia;
  inps = {
    ...w.client([SIUSS_PULL_SCOPE], w.fx.organizations.region),
    organizationIds: [w.fx.organizations.region, orgPg, w.fx.organizations.terni],
  };
  await configureSiussSender(w.db, w.staff.pg, {
    organizationId: orgPg,
    enteCode: 'G478',
    name: 'Zona sociale 2 – Perugia',
    seatCadastralCode: 'G478',
    operatorTaxCode: computeTaxCode({
      firstName: 'Anna',
      lastName: 'Amministrativa',
      sex: 'F',
      birthDate: '1975-02-03',
      birthPlaceCode: 'G478',
    }),
  });
  // In care in the area of poverty: no SINA needed.
  const i = await createIntervention(
    w.db,
    w.staff.pg,
    homeCare(w, 120, { userArea: '3', applicationProtocol: 'PG/2026/SIUSS' }),
  );
  interventionId = i.id;
}, 60_000);
afterAll(() => w.db.close());

const record = (days: number, quantity = 2) =>
  recordDelivery(w.db, w.staff.pg, { interventionId, deliveredOn: daysAgo(days), quantity });
const dutyOf = async (deliveryId: string) =>
  (await listSiussDuties(w.db, w.staff.pg, { limit: 500 })).find(
    (d) => d.deliveryId === deliveryId,
  )!;
/** Records INPS counts now among these deliveries. */
const held = async (ids: string[]) =>
  (await listSiussDuties(w.db, w.staff.pg, { limit: 500 })).filter(
    (d) => ids.includes(d.deliveryId) && d.heldByInps,
  ).length;
const esito = (id: string, codice: Esito['codice_esito'], descrizione?: string): Esito => ({
  id_flusso: id,
  tipo: 'PS_PSA_SINA',
  ts_flusso: new Date().toISOString(),
  ts_acquisizione: new Date().toISOString(),
  codice_esito: codice,
  ...(descrizione ? { descrizione_esito: descrizione } : {}),
  ...(codice === 'OK' ? { id_acquisizione_siuss: `ACQ-${id.slice(-4)}` } : {}),
});
/** INPS takes what is offered and answers for each flow. */
async function inpsRound(answer: (xml: string, id: string) => Esito['codice_esito']) {
  const entries = await pullSiussFlows(w.db, inps, 0, 100);
  const fresh = entries.filter((e) => !seen.has(e.id_flusso));
  for (const e of fresh) seen.add(e.id_flusso);
  const result = await recordSiussOutcomes(
    w.db,
    inps,
    fresh.map((e) => {
      const code = answer(Buffer.from(e.flusso, 'base64').toString('utf8'), e.id_flusso);
      return esito(e.id_flusso, code, code === 'OK' ? undefined : 'scartato dal SIUSS');
    }),
  );
  return { entries: fresh, result };
}
const seen = new Set<string>();

describe('the SIUSS duty', () => {
  it('should make every counted delivery due within 3 months, and refuse those who may not see it', async () => {
    const d = await record(10);
    const duty = await dutyOf(d.id);
    expect(duty).toMatchObject({
      state: 'DUE',
      operation: 'INSERT',
      overdue: false,
      heldByInps: false,
    });
    const [y, m, day] = d.deliveredOn.split('-').map(Number) as [number, number, number];
    expect(duty.deadline.slice(0, 7)).toBe(
      `${y + Math.floor((m + 2) / 12)}-${String(((m + 2) % 12) + 1).padStart(2, '0')}`,
    );
    expect(Number(duty.deadline.slice(8))).toBeLessThanOrEqual(day);
    expect((await refusal(listSiussDuties(w.db, w.actors.worker))).code).toBe('FORBIDDEN');
    expect((await refusal(listSiussDuties(w.db, w.staff.tr, { organizationId: orgPg }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await refusal(pullSiussFlows(w.db, w.staff.pg, 0, 10))).code).toBe('FORBIDDEN');
    expect((await refusal(pullSiussFlows(w.db, w.client(['persons:read']), 0, 10))).code).toBe(
      'FORBIDDEN',
    );
    const [denied] = await w.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1 AND outcome = 'DENIED' AND entity = 'SiussDuty'`,
      [w.actors.worker.username],
    );
    expect(denied!.n).toBe(1);
  });

  it('should list an old delivery as overdue until it is sent', async () => {
    const old = await record(100, 1);
    const overdue = await listSiussDuties(w.db, w.staff.pg, {
      view: 'OVERDUE',
      officeId: w.fx.offices.perugia,
    });
    expect(overdue.map((d) => d.deliveryId)).toContain(old.id);
    const soon = await listSiussDuties(w.db, w.staff.pg, { view: 'DUE_SOON', withinDays: 366 });
    expect(soon.map((d) => d.deliveryId)).not.toContain(old.id);
  });

  it('should offer valid WaaS flows, keep a bad record out with its reasons, and follow the outcomes', async () => {
    // In care for a disability without a SINA assessment: refused by the rules, never offered.
    const noSina = await createIntervention(
      w.db,
      w.staff.pg,
      homeCare(w, 30, { applicationProtocol: 'PG/2026/NOSINA' }),
    );
    const bad = await recordDelivery(w.db, w.staff.pg, {
      interventionId: noSina.id,
      deliveredOn: daysAgo(5),
      quantity: 1,
    });
    const built = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    expect(built.flows.map((f) => f.status).sort()).toEqual(['INVALID', 'VALID', 'VALID']);
    expect(built.refused).toEqual([
      {
        deliveryId: bad.id,
        issues: [
          expect.objectContaining({
            record: bad.id,
            field: 'PrestazioniSociali[0].SINA',
            code: 'SINA_REQUIRED',
          }),
        ],
      },
    ]);
    expect(built.flows.every((f) => /^G478\.PS\.\d{8}\.\d{7}$/.test(f.id))).toBe(true);
    expect((await dutyOf(bad.id)).issues[0]?.code).toBe('SINA_REQUIRED');

    let first = '';
    const round = await inpsRound((xml, id) => {
      expect(
        spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD.PS_PSA_SINA, '-'], { input: xml })
          .status,
      ).toBe(0);
      if (!first) first = id;
      return id === first ? 'OK' : 'RICHIESTA_INVALIDA';
    });
    expect(round.entries).toHaveLength(2);
    expect(round.entries.map((e) => e.id_flusso)).not.toContain(
      built.flows.find((f) => f.status === 'INVALID')!.id,
    );
    expect(round.result).toEqual({
      applied: round.entries.map((e) => e.id_flusso),
      unknown: [],
      alreadyRecorded: [],
    });
    const duties = await listSiussDuties(w.db, w.staff.pg, { limit: 500 });
    expect(duties.filter((d) => d.state === 'ACCEPTED')).toHaveLength(1);
    const rejected = await listSiussDuties(w.db, w.staff.pg, { view: 'REJECTED' });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      rejectionCode: 'RICHIESTA_INVALIDA',
      rejectionReason: 'scartato dal SIUSS',
    });

    // The same outcome twice, and a flow that does not exist: nothing changes, and it says so.
    const again = await recordSiussOutcomes(w.db, inps, [
      esito(first, 'OK'),
      esito('G478.PS.20000101.0000001', 'OK'),
    ]);
    expect(again).toEqual({
      applied: [],
      unknown: ['G478.PS.20000101.0000001'],
      alreadyRecorded: [first],
    });

    // Resent after the office fixed the data: a new flow, and the old flow's late news is ignored.
    const resent = await resendSiussDuty(w.db, w.staff.pg, rejected[0]!.deliveryId);
    expect(resent.state).toBe('DUE');
    const rebuilt = await buildSiussFlows(w.db, w.staff.pg, {
      organizationId: orgPg,
      route: 'WAAS',
    });
    expect(rebuilt.flows.filter((f) => f.status === 'VALID')).toHaveLength(1);
    const r2 = await inpsRound(() => 'OK');
    expect(r2.entries).toHaveLength(1);
    expect((await dutyOf(rejected[0]!.deliveryId)).state).toBe('ACCEPTED');
  });

  it('should correct and revoke what INPS holds without ever counting it twice', async () => {
    const d = await record(3, 4);
    await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    await inpsRound(() => 'OK');
    expect((await dutyOf(d.id)).state).toBe('ACCEPTED');

    const fixed = await correctDelivery(w.db, w.staff.pg, d.id, {
      quantity: 3,
      note: 'un’ora in meno',
    });
    expect(await dutyOf(d.id)).toMatchObject({
      state: 'DUE',
      operation: 'CANCEL',
      heldByInps: true,
    });
    expect(await dutyOf(fixed.id)).toMatchObject({ state: 'DUE', operation: 'VARIATION' });
    expect(await held([d.id, fixed.id])).toBe(1);

    // First the cancellation alone: the variation waits while INPS holds the old record.
    const c = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    expect(c.flows.map((f) => f.status)).toEqual(['VALID']);
    const cRound = await inpsRound((xml) => {
      expect(xml).toContain('TipoOperazione="C"');
      return 'OK';
    });
    expect(cRound.entries).toHaveLength(1);
    expect(await dutyOf(d.id)).toMatchObject({ state: 'CORRECTED', heldByInps: false });
    expect(await held([d.id, fixed.id])).toBe(0);

    const i = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    expect(i.flows.map((f) => f.status)).toEqual(['VALID']);
    await inpsRound((xml) => {
      expect(xml).toContain('TipoOperazione="I"');
      expect(xml).toContain('OreServizioMensile="3"');
      return 'OK';
    });
    expect(await dutyOf(fixed.id)).toMatchObject({ state: 'ACCEPTED', heldByInps: true });
    expect(await held([d.id, fixed.id])).toBe(1);

    // Revocation: the delivery is cancelled, INPS's record with it.
    await cancelDelivery(w.db, w.staff.pg, fixed.id, 'registrata per errore');
    await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    await inpsRound(() => 'OK');
    expect(await dutyOf(fixed.id)).toMatchObject({ state: 'CANCELLED', heldByInps: false });
    expect(await held([d.id, fixed.id])).toBe(0);
  });

  it('should end a duty without sending anything when its delivery is corrected before it leaves', async () => {
    const d = await record(2, 1);
    const built = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    const flowId = built.flows.find((f) => f.status === 'VALID')!.id;
    const fixed = await correctDelivery(w.db, w.staff.pg, d.id, { quantity: 2, note: 'x' });
    expect(await dutyOf(d.id)).toMatchObject({ state: 'CORRECTED', heldByInps: false });
    expect(await dutyOf(fixed.id)).toMatchObject({ state: 'DUE', operation: 'INSERT' });
    // The withdrawn flow is never offered.
    const entries = await pullSiussFlows(w.db, inps, 0, 100);
    expect(entries.map((e) => e.id_flusso)).not.toContain(flowId);
  });

  it('should build the file for INPS’s web application, valid, sent once downloaded', async () => {
    await record(1, 1);
    const built = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'FILE' });
    expect(built.flows).toHaveLength(1);
    const file = built.flows[0]!;
    // The due include the record without SINA: the whole file is invalid and never leaves.
    expect(file.status).toBe('INVALID');
    expect(file.report.map((i) => i.code)).toContain('SINA_REQUIRED');
    expect((await refusal(downloadSiussFlow(w.db, w.staff.pg, file.id))).code).toBe('CONFLICT');

    // Without the bad record (cancelled), the next file is valid.
    const bad = (await listSiussDuties(w.db, w.staff.pg, { limit: 500 })).find(
      (d) => d.issues.length > 0,
    )!;
    await cancelDelivery(w.db, w.staff.pg, bad.deliveryId, 'prestazione non dovuta');
    const ok = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'FILE' });
    expect(ok.flows[0]!.status).toBe('VALID');
    expect(ok.flows[0]!.records).toBeGreaterThanOrEqual(2);
    const download = await downloadSiussFlow(w.db, w.staff.pg, ok.flows[0]!.id);
    expect(
      spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD.PS_PSA_SINA, '-'], {
        input: await readAll(download.chunks),
      }).status,
    ).toBe(0);
    const sent = await listSiussDuties(w.db, w.staff.pg, { view: 'SENT', limit: 500 });
    expect(sent.filter((d) => d.flowId === ok.flows[0]!.id && d.state === 'SENT')).toHaveLength(
      ok.flows[0]!.records,
    );
    // A WaaS client never sees a file flow.
    const entries = await pullSiussFlows(w.db, inps, 0, 100);
    expect(entries.map((e) => e.id_flusso)).not.toContain(ok.flows[0]!.id);
  });
});

describe('eager duty creation', () => {
  it('should give a recorded delivery its duty at once, once, without waiting for a reconciliation', async () => {
    const d = await record(4);
    // Recording gives it its duty (delivery.service.ts); a second call adds none.
    expect(await selectDuty(w.db, d.id)).not.toBeNull();
    await ensureDeliveryDuty(w.db, d.id);
    await ensureDeliveryDuty(w.db, d.id);
    expect(await selectDuty(w.db, d.id)).toMatchObject({
      state: 'DUE',
      operation: 'INSERT',
      deliveredOn: d.deliveredOn,
    });
    const [n] = await w.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM siuss_duty WHERE delivery_id = $1',
      [d.id],
    );
    expect(n!.n).toBe(1);
  });
});
