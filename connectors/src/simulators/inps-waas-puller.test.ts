import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createVoucherVerifier } from '../pdnd/verify-voucher.ts';
import { createVoucherClient } from '../pdnd/voucher-client.ts';
import { SPEC } from '../shared/spec-files.ts';
import { createPdndClientFixture } from '../testing/pdnd-fixture.ts';
import { createInpsWaasPuller, type WaasFlow, type WaasOutcome } from './inps-waas-puller.ts';
import { createPdndSimulator } from './pdnd-token-server.ts';
import { listen, type Running } from './serve.ts';

// The municipality's side here is a minimal stand-in (the gateway's WaaS API is the deliveries
// issue's); what is under test is INPS's behaviour and its checks.
const AUD = 'https://hub.example/waas/v1';
const example = (
  parse(readFileSync(SPEC.waas, 'utf8')) as {
    components: { schemas: { Flusso: { properties: { flusso: { example: string } } } } };
  }
).components.schemas.Flusso.properties.flusso.example;
const template = Buffer.from(example, 'base64').toString('utf8');
const flow = (
  n: number,
  xml = template.replace('RSSMRK66C14H501U', `RSSMRK66C14H501${'ABCDEFGHIJ'[n % 10]}`),
): WaasFlow => ({
  codice_ente: 'H501',
  id_flusso: `H501.PS.20261201.${String(n).padStart(7, '0')}`,
  tipo: 'PS_PSA_SINA',
  ts_flusso: new Date(Date.UTC(2026, 11, 1, 10, 0, n)).toISOString(),
  flusso: Buffer.from(xml).toString('base64'),
});

let pdndRun: Running;
let hubRun: Running;
let vouchers: ReturnType<typeof createVoucherClient>;
const flows: WaasFlow[] = [];
const received: WaasOutcome[][] = [];
let failEsiti = 0;
let sawUnauthorized = 0;

beforeAll(async () => {
  const inps = await createPdndClientFixture({ waas: AUD });
  const pdnd = await createPdndSimulator({
    clients: [inps.registered],
    assertionAudience: 'sim.interop.pagopa.it/client-assertion',
  });
  pdndRun = await listen(pdnd.app);
  vouchers = createVoucherClient(inps.config(`${pdndRun.url}/token.oauth2`));
  const verify = createVoucherVerifier({ keys: pdnd.jwks, issuer: pdnd.issuer, audience: AUD });
  const app = new Hono();
  app.use('*', async (c, next) => {
    try {
      await verify(c.req.header('authorization'));
    } catch {
      sawUnauthorized++;
      return c.json({ status: 401, title: 'Unauthorized' }, 401);
    }
    return next();
  });
  app.get('/waas/v1/flussi', (c) => {
    const since = Number(c.req.query('since'));
    const limit = Number(c.req.query('limit') ?? 10);
    return c.json({
      elenco_flussi: flows.filter((f) => Date.parse(f.ts_flusso) > since).slice(0, limit),
    });
  });
  app.post('/waas/v1/esiti', async (c) => {
    if (failEsiti > 0) {
      failEsiti--;
      return c.json({ status: 503, title: 'Service Unavailable' }, 503);
    }
    received.push(((await c.req.json()) as { elenco_esiti: WaasOutcome[] }).elenco_esiti);
    return c.body(null, 204);
  });
  hubRun = await listen(app);
});
afterAll(async () => {
  await hubRun.close();
  await pdndRun.close();
});

describe('INPS pulling the WaaS API', () => {
  it('should pull flows since its cursor, check them against the XSD, and notify one outcome each', async () => {
    flows.push(flow(1), flow(2), flow(3, template.replace('<Beneficiario', '<Beneficiaro')));
    const inps = createInpsWaasPuller({
      baseUrl: `${hubRun.url}/waas/v1`,
      vouchers,
      purposeId: 'waas',
      limit: 2,
    });
    await inps.round();
    await inps.round();
    expect((await inps.round()).received).toBe(0);
    const outcomes = received.flat();
    expect(outcomes.map((o) => [o.id_flusso.slice(-1), o.codice_esito])).toEqual([
      ['1', 'OK'],
      ['2', 'OK'],
      ['3', 'RICHIESTA_INVALIDA'],
    ]);
    expect(outcomes[0]!.id_acquisizione_siuss).toBeTruthy();
    expect(sawUnauthorized).toBe(0);
  });

  it('should refuse a flow with two benefits, and notify again an outcome not acknowledged', async () => {
    const two = template.replace(
      '</Beneficiario>',
      `${/<PrestazioniSociali[\s\S]*<\/PrestazioniSociali>/.exec(template)![0]}</Beneficiario>`,
    );
    flows.push(flow(4, two));
    received.length = 0;
    failEsiti = 1;
    const inps = createInpsWaasPuller({
      baseUrl: `${hubRun.url}/waas/v1`,
      vouchers,
      purposeId: 'waas',
    });
    expect((await inps.round()).acknowledged).toBe(false);
    expect(inps.pendingOutcomes()).toBe(4);
    expect((await inps.round()).acknowledged).toBe(true);
    expect(inps.pendingOutcomes()).toBe(0);
    expect(received.flat().find((o) => o.id_flusso.endsWith('4'))).toMatchObject({
      codice_esito: 'RICHIESTA_INVALIDA',
      descrizione_esito:
        'In cooperazione è possibile inviare solo un beneficiario e una prestazione sociale',
    });
  });
});
