// A test that plays INPS against the gateway: it gets a PDND voucher for the WaaS e-service from a
// PDND simulator (as INPS's PDND client, for the purpose of its agreement), pulls every flow since
// 0 page by page, validates each decoded flow against the XSD with xmllint, posts outcomes (some
// rejections) and checks each delivery's SIUSS state. Vouchers that are expired, for another
// audience, unsigned, forged or issued to another PDND client are refused, each audited.
import { spawnSync } from 'node:child_process';
import {
  addTariff,
  computeTaxCode,
  configureSiussSender,
  createContract,
  createIntervention,
  createProvider,
  FLOW_XSD,
  hashPassword,
  listSiussDuties,
  loadOperatorActor,
  loadServiceCatalog,
  type OperatorActor,
  recordDelivery,
} from '@hub/casework';
import { FIXTURE_PASSWORD } from '@hub/casework/testing';
import { createVoucherClient, type VoucherClient } from '@hub/connectors';
import { createPdndSimulator, listen, type Running } from '@hub/connectors/simulators';
import { createPdndClientFixture } from '@hub/connectors/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const AUDIENCE = 'https://hub.example/waas/v1';
const PURPOSE = 'waas-siuss';

let t: TestApp;
let pdndRun: Running;
let pdnd: Awaited<ReturnType<typeof createPdndSimulator>>;
/** INPS's PDND client; another PDND client with a purpose for our audience; one for another. */
let inpsVouchers: VoucherClient;
let otherVouchers: VoucherClient;
let elsewhereVouchers: VoucherClient;
let newInpsVouchers: () => VoucherClient;
let staff: OperatorActor;
let staffToken: string;
const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const DELIVERIES = 12;

type Entry = {
  codice_ente: string;
  denominazione_ente: string;
  id_flusso: string;
  tipo: string;
  ts_flusso: string;
  flusso: string;
};

beforeAll(async () => {
  const inps = await createPdndClientFixture({
    [PURPOSE]: AUDIENCE,
    elsewhere: 'https://other.example/api',
  });
  const other = await createPdndClientFixture({ [PURPOSE]: AUDIENCE });
  pdnd = await createPdndSimulator({
    clients: [inps.registered, other.registered],
    assertionAudience: 'sim.interop.pagopa.it/client-assertion',
  });
  pdndRun = await listen(pdnd.app);
  const tokenUrl = `${pdndRun.url}/token.oauth2`;
  newInpsVouchers = () => createVoucherClient(inps.config(tokenUrl));
  inpsVouchers = newInpsVouchers();
  otherVouchers = createVoucherClient(other.config(tokenUrl));
  elsewhereVouchers = newInpsVouchers();
  t = await createTestApp({
    waasVoucher: {
      keys: pdnd.jwks,
      issuer: pdnd.issuer,
      audience: AUDIENCE,
      clientIds: [inps.registered.clientId],
      purposeIds: [PURPOSE],
      hubClient: 'inps-waas-test',
    },
  });
  const { db, fixture: fx } = t;
  const hash = await hashPassword(FIXTURE_PASSWORD);
  await db.query(
    `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes, rate_limit_per_minute)
     VALUES ('inps-waas-test', 'INPS – WaaS SIUSS', $1, $2, '{siuss:pull}', 600),
            ('coop-test', 'Cooperativa', $1, $2, '{deliveries:write}', 600)`,
    [fx.organizations.region, hash],
  );
  const [op] = await db.query<{ id: string }>(
    `INSERT INTO operator (username, full_name, password_hash) VALUES ('amm.pg', 'Amministrativa', $1) RETURNING id`,
    [hash],
  );
  await db.query(
    `INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, 'ADMIN_STAFF')`,
    [op!.id, fx.offices.perugia],
  );
  staff = (await loadOperatorActor(db, op!.id, { ip: null, userAgent: null }))!;
  staffToken = await t.login('amm.pg');
  await loadServiceCatalog(db);
  await configureSiussSender(db, staff, {
    organizationId: fx.organizations.perugia,
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
  const provider = await createProvider(db, staff, {
    name: 'Servizio domiciliare comunale',
    kind: 'IN_HOUSE',
    officeId: fx.offices.perugia,
  });
  await createContract(db, staff, {
    providerId: provider.id,
    kind: 'IN_HOUSE',
    reference: 'Gestione diretta SAD',
    serviceCodes: ['A2.07'],
    startOn: day(200),
  });
  await addTariff(db, staff, {
    providerId: provider.id,
    serviceCode: 'A2.07',
    unit: 'HOUR',
    unitCost: 21.5,
    validFrom: day(200),
  });
  const intervention = await createIntervention(db, staff, {
    personId: fx.persons.perugia.id,
    serviceCode: 'A2.07',
    providerId: provider.id,
    unit: 'HOUR',
    periodicity: 'OCCASIONAL',
    startOn: day(100),
    meansTest: '4',
    takenInCare: '2',
    applicationProtocol: 'PG/2026/WAAS',
  });
  for (let i = 0; i < DELIVERIES; i++)
    await recordDelivery(db, staff, {
      interventionId: intervention.id,
      deliveredOn: day(60 - i),
      quantity: 1 + (i % 3),
    });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await pdndRun?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const voucherOf = async (client: VoucherClient, purposeId = PURPOSE) =>
  bearer((await client.voucher({ purposeId })).token);

describe('WaaS SIUSS API (INPS pulls)', () => {
  it("should answer /status without a token, and refuse a pull without INPS's PDND voucher", async () => {
    const status = await t.app.request('/waas/v1/status');
    expect(status.status).toBe(200);
    expect(status.headers.get('content-type')).toContain('application/problem+json');
    expect(await status.json()).toMatchObject({ status: 200 });

    const none = await t.app.request('/waas/v1/flussi?since=0');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    // A hub token is not a PDND voucher: an operator's, a partner's, not even INPS's own client's.
    const operator = await t.app.request('/waas/v1/flussi?since=0', {
      headers: bearer(staffToken),
    });
    expect(operator.status).toBe(401);
    const coop = await t.clientToken('coop-test');
    const other = await t.app.request('/waas/v1/flussi?since=0', {
      headers: bearer(coop.body.access_token!),
    });
    expect(other.status).toBe(401);
    const inpsHub = await t.clientToken('inps-waas-test', 'siuss:pull');
    expect(inpsHub.status).toBe(200);
    const hubToken = await t.app.request('/waas/v1/flussi?since=0', {
      headers: bearer(inpsHub.body.access_token!),
    });
    expect(hubToken.status).toBe(401);
    // INPS's voucher opens it; a bad `since` is still a bad request.
    const bad = await t.app.request('/waas/v1/flussi?limit=10', {
      headers: await voucherOf(inpsVouchers),
    });
    expect(bad.status).toBe(400);
    const ok = await t.app.request('/waas/v1/flussi?since=0&limit=0', {
      headers: await voucherOf(inpsVouchers),
    });
    expect(ok.status).toBe(200);
  });

  it("should refuse expired, wrong-audience, unsigned, forged and other clients' vouchers, each as problem+json and audited", async () => {
    const before = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity = 'PdndVoucher'`,
    );
    const pull = (headers: Record<string, string>) =>
      t.app.request('/waas/v1/flussi?since=0', { headers });
    const answers: [string, Response][] = [];

    // Expired: PDND issues a voucher that is already past its `exp`.
    pdnd.faults.set({ rate: 1, kinds: ['expiredVoucher'], limit: 1 });
    answers.push(['VOUCHER_EXPIRED', await pull(await voucherOf(newInpsVouchers()))]);
    pdnd.faults.set(null);
    // Wrong audience: INPS's voucher for another e-service.
    answers.push(['VOUCHER_INVALID', await pull(await voucherOf(elsewhereVouchers, 'elsewhere'))]);
    // Unsigned (alg none), and signed with a key that is not PDND's.
    const valid = (await inpsVouchers.voucher({ purposeId: PURPOSE })).token;
    const [, payload] = valid.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    answers.push(['VOUCHER_INVALID', await pull(bearer(none))]);
    const { privateKey } = await generateKeyPair('RS256');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'not-pdnd' })
      .sign(privateKey);
    answers.push(['VOUCHER_INVALID', await pull(bearer(forged))]);
    // A voucher PDND did issue for our audience, but to another client.
    answers.push(['VOUCHER_CLIENT', await pull(await voucherOf(otherVouchers))]);
    answers.push(['VOUCHER_MISSING', await pull({})]);

    for (const [reason, res] of answers) {
      expect(res.status, reason).toBe(reason === 'VOUCHER_CLIENT' ? 403 : 401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as Record<string, unknown>;
      // The YAML's Problem: no other property.
      expect(
        Object.keys(body).every((k) =>
          ['type', 'title', 'status', 'detail', 'instance'].includes(k),
        ),
      ).toBe(true);
      expect(body).toMatchObject({
        status: res.status,
        title: res.status === 401 ? 'Unauthorized' : 'Forbidden',
      });
      expect(body.detail).toEqual(expect.any(String));
    }
    // POST /esiti is guarded the same way, and nothing was written.
    const esiti = await t.app.request('/waas/v1/esiti', {
      method: 'POST',
      headers: { ...bearer(forged), 'content-type': 'application/json' },
      body: JSON.stringify({ elenco_esiti: [] }),
    });
    expect(esiti.status).toBe(401);
    const audited = await t.db.query<{ reason: string; outcome: string }>(
      `SELECT reason, outcome FROM audit_log WHERE entity = 'PdndVoucher' ORDER BY id OFFSET $1`,
      [before[0]!.n],
    );
    expect(audited.map((a) => a.reason)).toEqual([...answers.map(([r]) => r), 'VOUCHER_INVALID']);
    expect(audited.every((a) => a.outcome === 'DENIED')).toBe(true);
  });

  it('should still require siuss:pull of the client the voucher stands for', async () => {
    await t.db.query(
      `UPDATE partner_client SET scopes = '{deliveries:write}' WHERE client_id = 'inps-waas-test'`,
    );
    try {
      const res = await t.app.request('/waas/v1/flussi?since=0', {
        headers: await voucherOf(inpsVouchers),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await t.db.query(
        `UPDATE partner_client SET scopes = '{siuss:pull}' WHERE client_id = 'inps-waas-test'`,
      );
    }
  });

  it('should let INPS pull every flow page by page, validate it, post outcomes and see the states follow', async () => {
    // The office builds the flows (GraphQL, as the SIUSS page does).
    const built = await t.gql(
      `mutation($o: UUID!) { buildSiussFlows(organizationId: $o, route: WAAS) {
         flows { id status records } refused { deliveryId } } }`,
      { o: t.fixture.organizations.perugia },
      staffToken,
    );
    expect(built.body.errors).toBeUndefined();
    const flows = (built.body.data!.buildSiussFlows as { flows: { status: string }[] }).flows;
    expect(flows).toHaveLength(DELIVERIES);
    expect(flows.every((f) => f.status === 'VALID')).toBe(true);

    const headers = await voucherOf(inpsVouchers);
    const pulled: Entry[] = [];
    let since = 0;
    for (let page = 0; page < 10; page++) {
      const res = await t.app.request(`/waas/v1/flussi?since=${since}&limit=5`, { headers });
      expect(res.status).toBe(200);
      const { elenco_flussi } = (await res.json()) as { elenco_flussi: Entry[] };
      if (elenco_flussi.length === 0) break;
      expect(elenco_flussi.length).toBeLessThanOrEqual(5);
      pulled.push(...elenco_flussi);
      since = Date.parse(elenco_flussi.at(-1)!.ts_flusso);
    }
    expect(pulled).toHaveLength(DELIVERIES);
    expect(new Set(pulled.map((e) => e.id_flusso)).size).toBe(DELIVERIES);
    for (const e of pulled) {
      expect(e).toMatchObject({ codice_ente: 'G478', tipo: 'PS_PSA_SINA' });
      expect(e.id_flusso).toMatch(/^G478\.PS\.\d{8}\.\d{7}$/);
      const xml = Buffer.from(e.flusso, 'base64').toString('utf8');
      const check = spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD.PS_PSA_SINA, '-'], {
        input: xml,
        encoding: 'utf8',
      });
      expect(check.status, check.stderr).toBe(0);
      // One beneficiary and one benefit per flow (the WaaS rule).
      expect(xml.match(/<Beneficiario /g)).toHaveLength(1);
      expect(xml.match(/<PrestazioniSociali /g)).toHaveLength(1);
      expect(xml).toContain(`Nome="${e.id_flusso}"`);
    }

    const rejectedIds = new Set(pulled.filter((_, k) => k % 4 === 1).map((e) => e.id_flusso));
    const esiti = pulled.map((e) => ({
      id_flusso: e.id_flusso,
      tipo: e.tipo,
      ts_flusso: e.ts_flusso,
      ts_acquisizione: new Date().toISOString(),
      ...(rejectedIds.has(e.id_flusso)
        ? {
            codice_esito: 'RICHIESTA_INVALIDA',
            descrizione_esito: 'Prestazione non coerente con la DSU',
          }
        : { codice_esito: 'OK', id_acquisizione_siuss: `SIUSS-${e.id_flusso.slice(-4)}` }),
    }));
    const post = (body: unknown) =>
      t.app.request('/waas/v1/esiti', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ elenco_esiti: esiti })).status).toBe(204);

    const duties = await listSiussDuties(t.db, staff, { limit: 500 });
    expect(duties).toHaveLength(DELIVERIES);
    const byFlow = new Map(duties.map((d) => [d.flowId, d]));
    for (const e of pulled) {
      const d = byFlow.get(e.id_flusso)!;
      if (rejectedIds.has(e.id_flusso))
        expect(d).toMatchObject({
          state: 'REJECTED',
          rejectionCode: 'RICHIESTA_INVALIDA',
          rejectionReason: 'Prestazione non coerente con la DSU',
          heldByInps: false,
        });
      else expect(d).toMatchObject({ state: 'ACCEPTED', heldByInps: true });
    }

    // Twice the same outcome: nothing changes, and it says so (2xx: INPS need not retry).
    const again = await post({ elenco_esiti: esiti.slice(0, 2) });
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect((await again.json()).detail).toContain(esiti[0]!.id_flusso);
    // A flow that does not exist: nothing changes, 404 naming it.
    const unknown = await post({
      elenco_esiti: [{ ...esiti[0]!, id_flusso: 'G478.PS.20000101.0000009' }],
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).detail).toContain('G478.PS.20000101.0000009');
    const after = await listSiussDuties(t.db, staff, { limit: 500 });
    expect(after.map((d) => [d.deliveryId, d.state])).toEqual(
      duties.map((d) => [d.deliveryId, d.state]),
    );
    // A malformed outcome is refused with the field named.
    const malformed = await post({ elenco_esiti: [{ ...esiti[0]!, codice_esito: 'FORSE' }] });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).detail).toContain('codice_esito');

    // Nothing new since the last flow: an empty answer.
    const empty = await t.app.request(`/waas/v1/flussi?since=${since}`, { headers });
    expect(await empty.json()).toEqual({ elenco_flussi: [] });

    // The SIUSS page sees the rejections with INPS's reason.
    const page = await t.gql(
      `query { siussDuties(view: REJECTED) { deliveryId state rejectionReason } }`,
      {},
      staffToken,
    );
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data!.siussDuties).toHaveLength(rejectedIds.size);
  });

  it('should offer the file route to the office: a valid file, downloadable once built', async () => {
    const [dutyRow] = await t.db.query<{ delivery_id: string }>(
      `SELECT delivery_id FROM siuss_duty WHERE state = 'REJECTED' LIMIT 1`,
    );
    const resend = await t.gql(
      `mutation($d: UUID!) { resendSiussDuty(deliveryId: $d) { state } }`,
      { d: dutyRow!.delivery_id },
      staffToken,
    );
    expect(resend.body.data?.resendSiussDuty).toEqual({ state: 'DUE' });
    const built = await t.gql(
      `mutation($o: UUID!) { buildSiussFlows(organizationId: $o, route: FILE) { flows { id status records } } }`,
      { o: t.fixture.organizations.perugia },
      staffToken,
    );
    const file = (built.body.data!.buildSiussFlows as { flows: { id: string; status: string }[] })
      .flows[0]!;
    expect(file.status).toBe('VALID');
    const res = await t.app.request(`/api/siuss/flows/${file.id}/file`, {
      headers: bearer(staffToken),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`${file.id}.xml`);
    const xml = await res.text();
    expect(
      spawnSync('xmllint', ['--noout', '--schema', FLOW_XSD.PS_PSA_SINA, '-'], { input: xml })
        .status,
    ).toBe(0);
    const { body: token } = await t.clientToken('inps-waas-test', 'siuss:pull');
    expect(
      (
        await t.app.request(`/api/siuss/flows/${file.id}/file`, {
          headers: bearer(token.access_token!),
        })
      ).status,
    ).toBe(403);
  });
});
