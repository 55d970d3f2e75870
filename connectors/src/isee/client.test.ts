import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVoucherClient } from '../pdnd/voucher-client.ts';
import { SPEC, specFile } from '../shared/spec-files.ts';
import { validateXml } from '../shared/xml-validate.ts';
import { createIseeSimulator } from '../simulators/isee-server.ts';
import { createPdndSimulator } from '../simulators/pdnd-token-server.ts';
import { generatePopulation, type SimPerson } from '../simulators/population.ts';
import { listen, type Running } from '../simulators/serve.ts';
import { createPdndClientFixture } from '../testing/pdnd-fixture.ts';
import { soapBodyElement } from '../testing/soap-body.ts';
import { createIseeClient, type IseeCallContext } from './client.ts';

const AUD = 'https://api.inps.it/pdnd/soap/ConsultazioneISEE/v1';
const population = generatePopulation({ families: 40, seed: 3 });
const ctx: IseeCallContext = { operatorId: 'op.bianchi', reason: 'PRATICA-77' };
let pdndRun: Running;
let pdndSim: Awaited<ReturnType<typeof createPdndSimulator>>;
let fixtureRef: Awaited<ReturnType<typeof createPdndClientFixture>>;
let isee: Awaited<ReturnType<typeof createIseeSimulator>>;
let client: ReturnType<typeof createIseeClient>;
const envelopes: { direction: string; xml: string }[] = [];
let withIsee: SimPerson;
let withoutIsee: SimPerson;

beforeAll(async () => {
  const fixture = await createPdndClientFixture({ 'purpose-isee': AUD });
  const pdnd = await createPdndSimulator({
    clients: [fixture.registered],
    assertionAudience: 'sim.interop.pagopa.it/client-assertion',
  });
  pdndRun = await listen(pdnd.app);
  pdndSim = pdnd;
  fixtureRef = fixture;
  isee = await createIseeSimulator({
    population,
    pdnd: { jwks: pdnd.jwks, issuer: pdnd.issuer },
    audience: AUD,
  });
  client = createIseeClient(
    {
      endpoint: isee.endpoint,
      purposeId: 'purpose-isee',
      officeCode: 'UFF-054039',
      retries: 0,
      timeoutMs: 3000,
    },
    {
      vouchers: createVoucherClient(fixture.config(`${pdndRun.url}/token.oauth2`)),
      onXml: (direction, xml) => envelopes.push({ direction, xml }),
    },
  );
  withIsee = population.persons.find((p) => population.families.get(p.familyId)?.isee)!;
  withoutIsee = population.persons.find((p) => !population.families.get(p.familyId)?.isee)!;
});
afterAll(async () => {
  await isee.close();
  await pdndRun.close();
});
beforeEach(() => isee.faults.set(null));

describe('INPS ConsultazioneISEE over SOAP, against the simulator', () => {
  it('ConsultazioneIndicatore should give the family ISEE, with its source', async () => {
    const r = await client.indicator(withIsee.taxCode, 'Ordinario', ctx);
    const expected = population.families.get(withIsee.familyId)!.isee!;
    expect(r).toMatchObject({
      taxCode: withIsee.taxCode,
      type: 'Ordinario',
      isee: expected.isee,
      dsuProtocol: expected.protocol,
      presentedOn: expected.presentedOn,
    });
    expect(r.source).toMatchObject({ counterpart: 'INPS', service: 'ConsultazioneIndicatore' });
    expect(r.source.requestId).toBeGreaterThan(0);
  });

  it('ConsultazioneAttestazione should give the declaration with the household', async () => {
    const r = await client.attestation(withIsee.taxCode, ctx);
    expect(r.members.map((m) => m.taxCode).sort()).toEqual(
      population
        .members(withIsee.familyId)
        .map((m) => m.taxCode)
        .sort(),
    );
    expect(r.ordinary?.isee).toBe(population.families.get(withIsee.familyId)!.isee!.isee);
  });

  it('should send requests valid against the WSDL schema, with the Identity header', async () => {
    const sent = envelopes.filter((e) => e.direction === 'request');
    expect(sent.length).toBeGreaterThan(0);
    for (const e of sent) {
      expect(
        await validateXml(soapBodyElement(e.xml), `${SPEC.iseeDir}ConsultazioneISEE_v2.8_PDND.xsd`),
      ).toEqual({ ok: true });
      expect(e.xml).toMatch(
        /<inps:Identity[^>]*>\s*<inps:UserId>op\.bianchi<\/inps:UserId>\s*<inps:CodiceUfficio>UFF-054039</,
      );
    }
    const answered = envelopes.filter((e) => e.direction === 'response');
    for (const e of answered) {
      expect(
        await validateXml(soapBodyElement(e.xml), specFile('isee/ConsultazioneISEE_v2.8_PDND.xsd')),
      ).toEqual({ ok: true });
    }
  });

  it('should report a person without a valid DSU as not found (Esito DATI_NON_TROVATI)', async () => {
    await expect(client.indicator(withoutIsee.taxCode, 'Ordinario', ctx)).rejects.toMatchObject({
      code: 'SUBJECT_NOT_FOUND',
      details: { remoteCode: 'DATI_NON_TROVATI' },
    });
  });

  it.each([
    ['soapFault', 'SOAP_FAULT'],
    ['malformed', 'RESPONSE_INVALID'],
    ['http5xx', 'COUNTERPART_UNAVAILABLE'],
  ] as const)('should turn a %s into %s', async (kind, code) => {
    isee.faults.set({ rate: 1, kinds: [kind] });
    await expect(client.indicator(withIsee.taxCode, 'Ordinario', ctx)).rejects.toMatchObject({
      code,
    });
  });

  it('should be refused without a voucher for this e-service', async () => {
    const fixture = await createPdndClientFixture({ 'purpose-isee': 'https://else' });
    const pdnd = await createPdndSimulator({
      clients: [fixture.registered],
      assertionAudience: 'sim.interop.pagopa.it/client-assertion',
    });
    const run = await listen(pdnd.app);
    const stranger = createIseeClient(
      { endpoint: isee.endpoint, purposeId: 'purpose-isee', officeCode: 'X', retries: 0 },
      { vouchers: createVoucherClient(fixture.config(`${run.url}/token.oauth2`)) },
    );
    await expect(stranger.indicator(withIsee.taxCode, 'Ordinario', ctx)).rejects.toMatchObject({
      code: 'SOAP_FAULT',
      details: { remoteCode: 'soap:Client' },
    });
    await run.close();
  });

  it('should ask for a new voucher when INPS refuses one as expired', async () => {
    pdndSim.faults.set({ rate: 1, kinds: ['expiredVoucher'], limit: 1 });
    const renewing = createIseeClient(
      {
        endpoint: isee.endpoint,
        purposeId: 'purpose-isee',
        officeCode: 'UFF-054039',
        retries: 1,
        timeoutMs: 3000,
      },
      { vouchers: createVoucherClient(fixtureRef.config(`${pdndRun.url}/token.oauth2`)) },
    );
    await expect(renewing.indicator(withIsee.taxCode, 'Ordinario', ctx)).resolves.toHaveProperty(
      'isee',
    );
    expect(pdndSim.faults.injected.expiredVoucher).toBe(1);
    pdndSim.faults.set(null);
  });
});
