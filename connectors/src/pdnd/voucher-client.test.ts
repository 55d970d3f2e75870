import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors.ts';
import { openApiValidator } from '../shared/openapi-validator.ts';
import { SPEC } from '../shared/spec-files.ts';
import { createPdndSimulator } from '../simulators/pdnd-token-server.ts';
import { listen, type Running } from '../simulators/serve.ts';
import { createPdndClientFixture } from '../testing/pdnd-fixture.ts';
import { digestHeader, signIntegrity, signTrackingEvidence } from './modi.ts';
import { createModiVerifier } from './verify-modi.ts';
import { createVoucherVerifier } from './verify-voucher.ts';
import { createVoucherClient } from './voucher-client.ts';

const AUD = 'https://anpr.sim/C030/v1';
let sim: Awaited<ReturnType<typeof createPdndSimulator>>;
let running: Running;
let fixture: Awaited<ReturnType<typeof createPdndClientFixture>>;
const spec = openApiValidator(SPEC.pdndToken);

// Every answer of the token endpoint is checked against pdnd-v1.yaml on the way back.
const checkedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const body = await res
    .clone()
    .json()
    .catch(() => null);
  const schema = res.ok ? 'ClientCredentialsResponse' : 'Problem';
  if (body !== null) expect(spec.validate(schema, body)).toEqual({ ok: true });
  return res;
};

beforeAll(async () => {
  fixture = await createPdndClientFixture({ 'purpose-c030': AUD });
  sim = await createPdndSimulator({
    clients: [fixture.registered],
    assertionAudience: 'sim.interop.pagopa.it/client-assertion',
  });
  running = await listen(sim.app);
});
afterAll(() => running.close());

const tokenUrl = () => `${running.url}/token.oauth2`;
const verifier = () => createVoucherVerifier({ keys: sim.jwks, issuer: sim.issuer, audience: AUD });

describe('voucher client against the PDND simulator', () => {
  it('should obtain a voucher the provider accepts, for the purpose asked', async () => {
    const client = createVoucherClient(fixture.config(tokenUrl()), { fetch: checkedFetch });
    const v = await client.voucher({ purposeId: 'purpose-c030' });
    const claims = await verifier()(`Bearer ${v.token}`);
    expect(claims).toMatchObject({
      client_id: fixture.registered.clientId,
      purposeId: 'purpose-c030',
    });
  });

  it('should keep the voucher until it nears expiry, then ask again', async () => {
    let t = Date.now();
    const client = createVoucherClient(fixture.config(tokenUrl()), { now: () => t });
    const a = await client.voucher({ purposeId: 'purpose-c030' });
    const b = await client.voucher({ purposeId: 'purpose-c030' });
    expect(b.token).toBe(a.token);
    expect(client.stats).toEqual({ requests: 1, cacheHits: 1 });
    t += 600_000 - 29_000; // within renewBeforeSeconds (30 s) of the 600 s lifetime
    const c = await client.voucher({ purposeId: 'purpose-c030' });
    expect(c.token).not.toBe(a.token);
    expect(client.stats.requests).toBe(2);
  });

  it('should bind the tracking evidence into the voucher by its SHA-256', async () => {
    const client = createVoucherClient(fixture.config(tokenUrl()));
    const key = await client.signingKey();
    const evidence = await signTrackingEvidence(key, {
      audience: AUD,
      purposeId: 'purpose-c030',
      userID: 'op-1',
      userLocation: 'sportello-1',
      LoA: 'substantial',
    });
    const v = await client.voucher({ purposeId: 'purpose-c030', trackingEvidence: evidence });
    const claims = await verifier()(`Bearer ${v.token}`);
    expect(claims.digest?.alg).toBe('SHA256');
    expect(claims.digest?.value).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['an unknown purpose', { purposeId: 'not-approved' }, {}],
    ['a key not registered on the client', { purposeId: 'purpose-c030' }, { kid: 'other-kid' }],
  ])('should be refused for %s', async (_, req, override) => {
    const client = createVoucherClient(
      { ...fixture.config(tokenUrl()), ...override },
      { fetch: checkedFetch },
    );
    await expect(client.voucher(req)).rejects.toMatchObject({ code: 'VOUCHER_REFUSED' });
  });

  it('should report a token endpoint that is down as unavailable, and not cache the failure', async () => {
    sim.faults.set({ rate: 1, kinds: ['http5xx'] });
    const client = createVoucherClient(fixture.config(tokenUrl()));
    await expect(client.voucher({ purposeId: 'purpose-c030' })).rejects.toMatchObject({
      code: 'COUNTERPART_UNAVAILABLE',
    });
    sim.faults.set(null);
    await expect(client.voucher({ purposeId: 'purpose-c030' })).resolves.toHaveProperty('token');
  });
});

describe('provider-side voucher verification', () => {
  it('should refuse an expired voucher as expired, a tampered one as invalid', async () => {
    sim.faults.set({ rate: 1, kinds: ['expiredVoucher'] });
    const client = createVoucherClient(fixture.config(tokenUrl()));
    const v = await client.voucher({ purposeId: 'purpose-c030' });
    sim.faults.set(null);
    await expect(verifier()(`Bearer ${v.token}`)).rejects.toMatchObject({
      code: 'VOUCHER_EXPIRED',
    });
    const good = await createVoucherClient(fixture.config(tokenUrl())).voucher({
      purposeId: 'purpose-c030',
    });
    const [h, p, s] = good.token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), purposeId: 'x' }),
    ).toString('base64url');
    await expect(verifier()(`Bearer ${h}.${forged}.${s}`)).rejects.toMatchObject({
      code: 'VOUCHER_INVALID',
    });
    await expect(verifier()(undefined)).rejects.toBeInstanceOf(ConnectorError);
  });

  it('should refuse a voucher for another audience', async () => {
    const v = await createVoucherClient(fixture.config(tokenUrl())).voucher({
      purposeId: 'purpose-c030',
    });
    const other = createVoucherVerifier({
      keys: sim.jwks,
      issuer: sim.issuer,
      audience: 'https://else',
    });
    await expect(other(`Bearer ${v.token}`)).rejects.toMatchObject({ code: 'VOUCHER_INVALID' });
  });
});

describe('ModI integrity, provider side', () => {
  const body = JSON.stringify({ idOperazioneClient: '1' });
  const signedRequest = async (b = body) => {
    const key = await createVoucherClient(fixture.config(tokenUrl())).signingKey();
    const digest = digestHeader(b);
    const sig = await signIntegrity(key, {
      audience: AUD,
      digest,
      contentType: 'application/json',
    });
    return new Headers({ digest, 'agid-jwt-signature': sig, 'content-type': 'application/json' });
  };
  const verifyModi = () =>
    createModiVerifier({
      audience: AUD,
      keyFor: (kid) => (kid === fixture.registered.kid ? fixture.publicKey : undefined),
    });

  it('should accept a signed request and refuse its replay', async () => {
    const v = verifyModi();
    const headers = await signedRequest();
    await expect(v({ headers, body })).resolves.toHaveProperty('integrity');
    await expect(v({ headers, body })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it.each([
    ['a tampered body', (h: Headers) => h, `${body} `, 'DIGEST_MISMATCH'],
    [
      'a Digest changed after signing',
      (h: Headers) => {
        h.set('digest', digestHeader('x'));
        return h;
      },
      body,
      'DIGEST_MISMATCH',
    ],
    [
      'no signature',
      (h: Headers) => {
        h.delete('agid-jwt-signature');
        return h;
      },
      body,
      'RESPONSE_UNSIGNED',
    ],
    [
      'another Content-Type',
      (h: Headers) => {
        h.set('content-type', 'text/plain');
        return h;
      },
      body,
      'SIGNATURE_INVALID',
    ],
  ])('should refuse %s', async (_, alter, sentBody, code) => {
    const headers = alter(await signedRequest());
    await expect(verifyModi()({ headers, body: sentBody })).rejects.toMatchObject({ code });
  });
});
