import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientActor, OperatorActor } from '../access/actor.ts';
import { recordAssessment } from '../case-file/assessment/assessment.service.ts';
import { daysAgo, newPerson, openedCase, VALID_SINBA } from '../case-file/case-file.fixtures.ts';
import { createDeliveriesWorld, type DeliveriesWorld } from '../deliveries/deliveries.fixtures.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { refusal } from '../testing/refusal.ts';
import { SIUSS_PULL_SCOPE } from './siuss.access.ts';
import {
  buildSiussFlows,
  configureSiussSender,
  downloadSiussFlow,
  type Esito,
  listSiussSinbaDuties,
  pullSiussFlows,
  recordSiussOutcomes,
} from './siuss.service.ts';
import { FLOW_XSD } from './siuss-flow-validate.ts';
import { ensureSinbaDuty, selectSinbaDuty } from './siuss-sinba.store.ts';
import { resendSiussSinbaDuty } from './siuss-sinba.ts';

const readAll = async (chunks: AsyncIterable<string>) => {
  let xml = '';
  for await (const c of chunks) xml += c;
  return xml;
};

// SINBA records are fed from the SInBA assessments of minors' case files: each assessment is one
// record due within 3 months, put in flows by the same build as the deliveries' PS records,
// pulled by INPS as tipo SINBA and followed to INPS's outcome.
let w: DeliveriesWorld;
let inps: ClientActor;
let orgPg: string;
const {
  IDBeneficiario: _a,
  AnnoNascita: _b,
  FasciaEtaBeneficiario: _c,
  ...sinbaInput
} = VALID_SINBA;

async function minorWithAssessment(daysBack: number, patch: Record<string, unknown> = {}) {
  const birth = `${new Date().getUTCFullYear() - 9}-03-04`;
  const personId = await newPerson(w.db, w, { birthDate: birth, taxCode: null });
  const { caseFileId } = await openedCase(w, { personId });
  const a = await recordAssessment(w.db, w.actors.worker, caseFileId, {
    kind: 'SINBA',
    assessedOn: daysAgo(daysBack),
    data: { ...sinbaInput, ...patch },
  });
  return a.id;
}
const esito = (e: { id_flusso: string; tipo: Esito['tipo'] }, code: Esito['codice_esito']) => ({
  id_flusso: e.id_flusso,
  tipo: e.tipo,
  ts_flusso: new Date().toISOString(),
  ts_acquisizione: new Date().toISOString(),
  codice_esito: code,
  ...(code === 'OK'
    ? { id_acquisizione_siuss: 'ACQ-1' }
    : { descrizione_esito: 'Valutazione del minore incoerente' }),
});

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
}, 120_000);
afterAll(() => w.db.close());

describe('the SINBA side of the SIUSS duty', () => {
  it('should make a minor’s SInBA assessment due, send it as one SINBA flow INPS validates, and follow its outcome', async () => {
    const first = await minorWithAssessment(20);
    const second = await minorWithAssessment(5);
    // Eager creation (what the assessment service may call) is idempotent.
    await ensureSinbaDuty(w.db, first);
    await ensureSinbaDuty(w.db, first);
    expect(await selectSinbaDuty(w.db, first)).toMatchObject({ state: 'DUE', flowId: null });

    const built = await buildSiussFlows(w.db, w.staff.pg, {
      organizationId: orgPg,
      route: 'WAAS',
    });
    const sinbaFlows = built.flows.filter((f) => f.kind === 'SINBA');
    expect(sinbaFlows).toHaveLength(2);
    expect(sinbaFlows.every((f) => f.status === 'VALID' && f.records === 1)).toBe(true);
    expect(sinbaFlows.map((f) => f.id).every((id) => /^G478\.SINBA\.\d{8}\.\d{7}$/.test(id))).toBe(
      true,
    );
    const duty = await selectSinbaDuty(w.db, first);
    expect(duty).toMatchObject({ state: 'IN_FLOW' });
    const deadline = new Date(`${duty!.assessedOn}T00:00:00Z`);
    deadline.setUTCMonth(deadline.getUTCMonth() + 3);
    expect(duty!.deadline.slice(0, 7)).toBe(deadline.toISOString().slice(0, 7));

    const entries = (await pullSiussFlows(w.db, inps, 0, 100)).filter((e) => e.tipo === 'SINBA');
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      const xml = Buffer.from(e.flusso, 'base64').toString('utf8');
      const check = spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD.SINBA, '-'], {
        input: xml,
        encoding: 'utf8',
      });
      expect(check.status, check.stderr).toBe(0);
      expect(xml.match(/<SINBA /g)).toHaveLength(1);
      // The assessment's own data, the attributes derived from the person included.
      expect(xml).toContain(`AnnoNascita="${new Date().getUTCFullYear() - 9}"`);
      expect(xml).toContain('<CodicePrestazione>A2.01</CodicePrestazione>');
    }
    expect(await selectSinbaDuty(w.db, first)).toMatchObject({ state: 'SENT' });

    const [ok, ko] = [
      entries.find((e) => e.id_flusso === duty!.flowId)!,
      entries.find((e) => e.id_flusso !== duty!.flowId)!,
    ];
    const result = await recordSiussOutcomes(w.db, inps, [
      esito(ok, 'OK'),
      esito(ko, 'RICHIESTA_INVALIDA'),
    ]);
    expect(result.applied).toHaveLength(2);
    expect(await selectSinbaDuty(w.db, first)).toMatchObject({ state: 'ACCEPTED' });
    expect(await selectSinbaDuty(w.db, second)).toMatchObject({
      state: 'REJECTED',
      rejectionCode: 'RICHIESTA_INVALIDA',
      rejectionReason: 'Valutazione del minore incoerente',
    });
    // Nothing new to send: an accepted or rejected record is not sent again by itself.
    const again = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    expect(again.flows.filter((f) => f.kind === 'SINBA')).toHaveLength(0);

    // The rejected one is resent once put right; an accepted one may not be.
    const refused = await refusal(resendSiussSinbaDuty(w.db, w.staff.pg, first));
    expect(refused.code).toBe('INVALID_STATUS_TRANSITION');
    expect((await resendSiussSinbaDuty(w.db, w.staff.pg, second)).state).toBe('DUE');
    const file = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'FILE' });
    const sinbaFile = file.flows.find((f) => f.kind === 'SINBA')!;
    expect(sinbaFile).toMatchObject({ status: 'VALID', records: 1, route: 'FILE' });
    const download = await downloadSiussFlow(w.db, w.staff.pg, sinbaFile.id);
    expect(
      spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD.SINBA, '-'], {
        input: await readAll(download.chunks),
      }).status,
    ).toBe(0);
    expect(await selectSinbaDuty(w.db, second)).toMatchObject({ state: 'SENT' });
  });

  it('should keep a record the schema refuses out of every flow, naming the field', async () => {
    const bad = await minorWithAssessment(3);
    // An assessment changed behind the service's back: the rules and xmllint still catch it.
    await w.db.query(
      `UPDATE assessment SET data = jsonb_set(data, '{LuogoVita}', '"9"') WHERE id = $1`,
      [bad],
    );
    const built = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    const flow = built.flows.find((f) => f.kind === 'SINBA')!;
    expect(flow.status).toBe('INVALID');
    expect(flow.report.map((i) => [i.record, i.field])).toContainEqual([bad, 'LuogoVita']);
    expect(await selectSinbaDuty(w.db, bad)).toMatchObject({ state: 'DUE' });
    const pulled = await pullSiussFlows(w.db, inps, 0, 100);
    expect(pulled.map((e) => e.id_flusso)).not.toContain(flow.id);
    // Refused again for the same reason: no new invalid flow.
    const again = await buildSiussFlows(w.db, w.staff.pg, { organizationId: orgPg, route: 'WAAS' });
    expect(again.flows.filter((f) => f.kind === 'SINBA')).toHaveLength(0);
  });
});

describe('the SINBA duties on the SIUSS page', () => {
  let rejected: string;
  let overdue: string;
  let masked: OperatorActor;
  const auditRows = (actorId: string, outcome: 'OK' | 'DENIED') =>
    w.db.query<{ action: string; entity_id: string | null; details: Record<string, unknown> }>(
      `SELECT action, entity_id, details FROM audit_log
        WHERE actor_id = $1 AND outcome = $2 AND entity = 'SiussSinbaDuty' ORDER BY id`,
      [actorId, outcome],
    );
  const stateOf = async (id: string) => (await selectSinbaDuty(w.db, id))!;

  beforeAll(async () => {
    rejected = await minorWithAssessment(8);
    overdue = await minorWithAssessment(120);
    await ensureSinbaDuty(w.db, rejected);
    // INPS refused it quoting the minor's disability; xmllint had flagged a health attribute.
    await w.db.query(
      `UPDATE siuss_sinba_duty SET state = 'REJECTED', rejection_code = 'RICHIESTA_INVALIDA',
              rejection_reason = 'Disabilita incoerente con TipoDisabilita',
              issues = '[{"record":"r","benefit":null,"field":"TipoDisabilita","code":"XSD","message":"valore 9"},{"record":"r","benefit":null,"field":"LuogoVita","code":"XSD","message":"valore 9"}]'::jsonb
        WHERE assessment_id = $1`,
      [rejected],
    );
    // Administrative staff working at the immigrant desk, which masks health and judicial data.
    const [op] = await w.db.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ('amm.sinba', 'amm.sinba', 'x') RETURNING id`,
    );
    await w.db.query(
      `INSERT INTO membership (operator_id, office_id, role, contact_point_id) VALUES ($1, $2, 'ADMIN_STAFF', $3)`,
      [op!.id, w.fx.offices.perugia, w.fx.contactPoints.immigrantPg],
    );
    masked = (await loadOperatorActor(w.db, op!.id, { ip: null, userAgent: null }))!;
  });

  it('should list the minors’ records a page at a time, by state and due period, naming every minor in the audit row', async () => {
    const all = await listSiussSinbaDuties(w.db, w.staff.pg, { limit: 500 });
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((d) => d.assessmentId)).toEqual(
      expect.arrayContaining([rejected, overdue]),
    );
    const deadlines = all.items.map((d) => d.deadline);
    expect(deadlines).toEqual([...deadlines].sort());
    const one = all.items.find((d) => d.assessmentId === rejected)!;
    expect(one).toMatchObject({
      state: 'REJECTED',
      rejectionCode: 'RICHIESTA_INVALIDA',
      rejectionReason: 'Disabilita incoerente con TipoDisabilita',
      officeId: w.fx.offices.perugia,
      overdue: false,
      maskedFields: [],
    });
    expect(one.issues.map((i) => i.field)).toEqual(['TipoDisabilita', 'LuogoVita']);
    expect(all.items.find((d) => d.assessmentId === overdue)).toMatchObject({
      state: 'DUE',
      overdue: true,
    });

    // Pages: two at a time, the same rows in the same order, the total on each.
    const first = await listSiussSinbaDuties(w.db, w.staff.pg, { limit: 2 });
    const second = await listSiussSinbaDuties(w.db, w.staff.pg, { limit: 2, offset: 2 });
    expect(first.total).toBe(all.total);
    expect(second.total).toBe(all.total);
    expect([...first.items, ...second.items].map((d) => d.assessmentId)).toEqual(
      all.items.slice(0, 4).map((d) => d.assessmentId),
    );
    const past = await listSiussSinbaDuties(w.db, w.staff.pg, { offset: 1000 });
    expect(past).toEqual({ items: [], total: all.total });

    const byState = await listSiussSinbaDuties(w.db, w.staff.pg, { states: ['REJECTED'] });
    expect(byState.items.map((d) => d.assessmentId)).toEqual([rejected]);
    const late = await listSiussSinbaDuties(w.db, w.staff.pg, { overdue: true });
    expect(late.items.map((d) => d.assessmentId)).toEqual([overdue]);
    const d = one.deadline;
    const inPeriod = await listSiussSinbaDuties(w.db, w.staff.pg, { dueFrom: d, dueTo: d });
    expect(inPeriod.items.length).toBeGreaterThan(0);
    expect(inPeriod.items.every((x) => x.deadline === d)).toBe(true);
    expect(
      (await refusal(listSiussSinbaDuties(w.db, w.staff.pg, { dueFrom: d, dueTo: '2000-01-01' })))
        .code,
    ).toBe('BAD_USER_INPUT');

    const rows = await auditRows(w.staff.pg.username, 'OK');
    const read = rows.find((r) => r.action === 'SEARCH' && r.details.offset === 0)!;
    expect(new Set(read.details.personIds as string[])).toEqual(
      new Set(all.items.map((x) => x.personId)),
    );
    expect((read.details.personIds as string[]).length).toBeGreaterThanOrEqual(4);
  });

  it('should refuse the list and the resend to whoever does not keep the duty, audited, nothing changed', async () => {
    const before = await stateOf(rejected);
    expect((await refusal(listSiussSinbaDuties(w.db, w.actors.worker))).code).toBe('FORBIDDEN');
    expect(
      (await refusal(listSiussSinbaDuties(w.db, w.staff.tr, { organizationId: orgPg }))).code,
    ).toBe('FORBIDDEN');
    expect((await refusal(resendSiussSinbaDuty(w.db, w.actors.worker, rejected))).code).toBe(
      'FORBIDDEN',
    );
    // Another organisation's staff: as an unknown record (the gateway audits NOT_FOUND).
    expect((await refusal(resendSiussSinbaDuty(w.db, w.staff.tr, rejected))).code).toBe(
      'NOT_FOUND',
    );
    expect(await stateOf(rejected)).toEqual(before);

    const denied = await auditRows(w.actors.worker.username, 'DENIED');
    expect(denied.map((r) => [r.action, r.entity_id])).toEqual([
      ['SEARCH', null],
      ['UPDATE', rejected],
    ]);
    const deniedTr = await auditRows(w.staff.tr.username, 'DENIED');
    expect(deniedTr.map((r) => r.action)).toEqual(['SEARCH']);
    expect(
      (await auditRows(w.actors.worker.username, 'OK')).concat(
        await auditRows(w.staff.tr.username, 'OK'),
      ),
    ).toEqual([]);
  });

  it('should keep INPS’s reason and the issues on masked attributes from a desk that masks them', async () => {
    const seen = (await listSiussSinbaDuties(w.db, masked, { states: ['REJECTED'] })).items;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      assessmentId: rejected,
      state: 'REJECTED',
      rejectionCode: 'RICHIESTA_INVALIDA',
      rejectionReason: null,
      maskedFields: ['rejectionReason', 'issues'],
    });
    expect(seen[0]!.issues.map((i) => i.field)).toEqual(['LuogoVita']);
    // A row with nothing to hide says the same.
    const other = (await listSiussSinbaDuties(w.db, masked, { states: ['DUE'] })).items;
    expect(other.length).toBeGreaterThan(0);
    expect(other.every((x) => x.maskedFields.join() === 'rejectionReason,issues')).toBe(true);
    expect(JSON.stringify(seen)).not.toContain('Disabilita');
  });

  it('should resend a rejected record as its organisation’s staff, audited', async () => {
    expect(await resendSiussSinbaDuty(w.db, w.staff.pg, rejected)).toEqual({
      assessmentId: rejected,
      state: 'DUE',
    });
    expect(await stateOf(rejected)).toMatchObject({ state: 'DUE', issues: null });
    const rows = await auditRows(w.staff.pg.username, 'OK');
    expect(rows.filter((r) => r.action === 'UPDATE').map((r) => r.entity_id)).toContain(rejected);
  });
});
