import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ConnectorError } from '../errors.ts';
import { parseConfig } from '../shared/config.ts';
import { type PdndConfig, type PdndConfigInput, pdndConfigSchema } from './config-schema.ts';
import { mapTokenFailure } from './errors.ts';
import { loadSigningKey, type SigningKey, sha256Hex } from './modi.ts';

export type Voucher = { token: string; expiresAt: number };

export type VoucherClient = {
  /**
   * A voucher for `purposeId`, from the cache while it is valid. With a tracking evidence
   * (AUDIT_REST_02) the voucher is bound to that JWS's SHA-256, so it is cached per evidence.
   */
  voucher(input: { purposeId: string; trackingEvidence?: string }): Promise<Voucher>;
  /** Drops a voucher the provider refused as expired, so that the next call asks anew. */
  forget(input: { purposeId: string; trackingEvidence?: string }): void;
  signingKey(): Promise<SigningKey>;
  readonly config: PdndConfig;
  /** How many token requests went to PDND (for tests and the bench). */
  readonly stats: { requests: number; cacheHits: number };
};

const MAX_CACHED = 2000;

export function createVoucherClient(
  input: PdndConfigInput,
  // `now` is the cache's clock; what we sign carries the wall clock the counterpart checks.
  deps: { fetch?: typeof fetch; now?: () => number } = {},
): VoucherClient {
  const config = parseConfig(pdndConfigSchema, input, 'pdnd');
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? Date.now;
  let key: Promise<SigningKey> | undefined;
  const signingKey = () => {
    key ??= loadSigningKey(config);
    return key;
  };
  const cache = new Map<string, Promise<Voucher>>();
  const stats = { requests: 0, cacheHits: 0 };
  const cacheKey = (i: { purposeId: string; trackingEvidence?: string }) =>
    `${i.purposeId}|${i.trackingEvidence ? sha256Hex(i.trackingEvidence) : ''}`;

  async function request(purposeId: string, trackingEvidence?: string): Promise<Voucher> {
    const k = await signingKey();
    const t = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { purposeId };
    if (trackingEvidence) claims['digest'] = { alg: 'SHA256', value: sha256Hex(trackingEvidence) };
    const assertion = await new SignJWT(claims)
      .setProtectedHeader({ alg: k.alg, kid: k.kid, typ: 'JWT' })
      .setIssuer(config.clientId)
      .setSubject(config.clientId)
      .setAudience(config.assertionAudience)
      .setJti(randomUUID())
      .setIssuedAt(t)
      .setExpirationTime(t + config.assertionTtlSeconds)
      .sign(k.key);
    const body = new URLSearchParams({
      client_id: config.clientId,
      client_assertion: assertion,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      grant_type: 'client_credentials',
    });
    stats.requests++;
    let res: Response;
    try {
      res = await doFetch(config.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(config.requestTimeoutMs),
      });
    } catch (cause) {
      const timeout = cause instanceof Error && cause.name === 'TimeoutError';
      throw new ConnectorError(
        timeout ? 'COUNTERPART_TIMEOUT' : 'COUNTERPART_UNAVAILABLE',
        `PDND token endpoint: ${timeout ? 'no answer in time' : 'unreachable'}`,
        { counterpart: 'pdnd', cause },
      );
    }
    const text = await res.text();
    if (!res.ok) throw mapTokenFailure(res.status, text);
    let parsed: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConnectorError('RESPONSE_INVALID', 'PDND token endpoint: not JSON', {
        counterpart: 'pdnd',
      });
    }
    if (
      typeof parsed.access_token !== 'string' ||
      parsed.token_type !== 'Bearer' ||
      typeof parsed.expires_in !== 'number'
    ) {
      throw new ConnectorError('RESPONSE_INVALID', 'PDND token endpoint: not a voucher', {
        counterpart: 'pdnd',
      });
    }
    return { token: parsed.access_token, expiresAt: now() + parsed.expires_in * 1000 };
  }

  return {
    config,
    stats,
    signingKey,
    async voucher(i) {
      const ck = cacheKey(i);
      const hit = cache.get(ck);
      if (hit) {
        const v = await hit.catch(() => undefined);
        if (v && v.expiresAt - config.renewBeforeSeconds * 1000 > now()) {
          stats.cacheHits++;
          return v;
        }
        if (cache.get(ck) !== hit) return this.voucher(i);
      }
      const p = request(i.purposeId, i.trackingEvidence);
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(ck, p);
      // A failed request is not cached: the next call asks again.
      p.catch(() => cache.get(ck) === p && cache.delete(ck));
      return p;
    },
    forget(i) {
      cache.delete(cacheKey(i));
    },
  };
}
