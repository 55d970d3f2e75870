import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import {
  type CryptoKey,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  jwtVerify,
  type KeyObject,
  SignJWT,
} from 'jose';
import { openApiValidator } from '../shared/openapi-validator.ts';
import { SPEC } from '../shared/spec-files.ts';
import { createFaults, type FaultPlan, sleep } from './faults.ts';

/**
 * A PDND authorization server (`POST /token.oauth2`, pdnd-v1.yaml): it checks each client
 * assertion against the public key registered for its client (RFC 7523 and Allegato 3) and
 * issues a voucher signed with its own key, published at `/.well-known/jwks.json`.
 */
export type RegisteredClient = {
  clientId: string;
  kid: string;
  publicKey: CryptoKey | KeyObject;
  /** purposeId → the audience of the e-service the purpose was approved for. */
  purposes: Record<string, string>;
};

export type PdndSimulatorOptions = {
  clients: RegisteredClient[];
  /** The audience client assertions must carry. */
  assertionAudience: string;
  issuer?: string;
  voucherTtlSeconds?: number;
  faults?: FaultPlan;
};

const problem = (status: number, title: string, detail: string) => ({
  type: 'about:blank',
  status,
  title,
  detail,
  errors: [{ code: status === 400 ? '015-0008' : '015-0001', detail }],
});

export async function createPdndSimulator(opts: PdndSimulatorOptions) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const serverKid = `pdnd-sim-${randomUUID().slice(0, 8)}`;
  const jwks: JSONWebKeySet = {
    keys: [{ ...(await exportJWK(publicKey)), kid: serverKid, alg: 'RS256', use: 'sig' }],
  };
  const issuer = opts.issuer ?? 'sim.interop.pagopa.it';
  const ttl = opts.voucherTtlSeconds ?? 600;
  const faults = createFaults(opts.faults ?? null);
  const spec = openApiValidator(SPEC.pdndToken);
  const seenJti = new Set<string>();
  const stats = { issued: 0, refused: 0 };
  const app = new Hono();

  app.get('/status', (c) =>
    c.json({ type: 'about:blank', status: 200, title: 'OK', errors: [] }, 200, {
      'content-type': 'application/problem+json',
    }),
  );
  app.get('/.well-known/jwks.json', (c) => c.json(jwks));

  app.post('/token.oauth2', async (c) => {
    const fault = faults.pick(['latency', 'timeout', 'http5xx', 'malformed', 'expiredVoucher']);
    if (fault === 'latency') await sleep(faults.plan?.latencyMs ?? 200);
    if (fault === 'timeout') await sleep(faults.plan?.hangMs ?? 10_000);
    if (fault === 'http5xx') return c.json(problem(503, 'Service Unavailable', 'injected'), 503);
    if (fault === 'malformed') return c.text('<html>gateway error</html>', 200);

    const refuse = (status: 400 | 401, detail: string) => {
      stats.refused++;
      return c.json(
        problem(status, status === 400 ? 'Bad Request' : 'Unauthorized', detail),
        status,
      );
    };
    const form = Object.fromEntries(
      [...new URLSearchParams(await c.req.text()).entries()].map(([k, v]) => [k, v]),
    );
    const shape = spec.validate('AccessTokenRequest', form);
    if (!shape.ok) return refuse(400, shape.errors.join('; '));
    if (
      form['client_assertion_type'] !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    ) {
      return refuse(400, 'unsupported client_assertion_type');
    }
    const client = opts.clients.find((k) => k.clientId === form['client_id']);
    if (!client) return refuse(401, 'unknown client');
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(form['client_assertion']!).kid;
    } catch {
      return refuse(400, 'client_assertion is not a JWS');
    }
    if (kid !== client.kid) return refuse(401, 'kid not registered on this client');
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(form['client_assertion']!, client.publicKey, {
        audience: opts.assertionAudience,
        issuer: client.clientId,
        subject: client.clientId,
        requiredClaims: ['jti', 'iat', 'exp', 'purposeId'],
        maxTokenAge: '10m',
      }));
    } catch (e) {
      return refuse(401, `client assertion refused: ${(e as Error).message}`);
    }
    const jti = String(claims['jti']);
    if (seenJti.has(jti)) return refuse(401, 'client assertion replayed');
    seenJti.add(jti);
    const purposeId = String(claims['purposeId']);
    const audience = client.purposes[purposeId];
    if (!audience) return refuse(400, 'purpose not approved for this client');
    const digest = claims['digest'] as { alg?: unknown; value?: unknown } | undefined;
    if (
      digest !== undefined &&
      (digest.alg !== 'SHA256' ||
        typeof digest.value !== 'string' ||
        !/^[0-9a-f]{64}$/.test(digest.value))
    ) {
      return refuse(400, 'digest claim must be {alg: SHA256, value: <hex sha256>}');
    }
    const now = Math.floor(Date.now() / 1000);
    // An expired-voucher fault issues a voucher that expires at once while announcing the usual
    // lifetime: the provider refuses it and the client must ask again.
    const exp = fault === 'expiredVoucher' ? now - 120 : now + ttl;
    const voucher = await new SignJWT({
      client_id: client.clientId,
      purposeId,
      ...(digest ? { digest } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: serverKid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setSubject(client.clientId)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .sign(privateKey);
    stats.issued++;
    return c.json({ access_token: voucher, token_type: 'Bearer', expires_in: ttl }, 200, {
      'cache-control': 'no-cache, no-store',
    });
  });

  return { app, jwks, issuer, faults, stats };
}
