import {
  type Actor,
  auditAnonymous,
  type Db,
  isClientActive,
  isTokenRevoked,
  loadClientActor,
  loadOperatorActor,
  type Origin,
} from '@hub/casework';
import { GatewayError } from '../errors.ts';
import type { RateLimiter } from './rate-limit.ts';
import { sourceKey, type Throttles } from './throttle.ts';
import type { TokenClaims, TokenService } from './tokens.ts';

export type Session = { jti: string; expiresAt: Date };
/** The bucket a request is charged to: a partner client's, at its own allowance. */
export type RateKey = { key: string; perMinute: number };
export type Authenticated = {
  actor: Actor | null;
  session: Session | null;
  rateKey: RateKey | null;
};

type Verified = { actor: Actor; session: Session; claims: TokenClaims; until: number };

// A verified token's actor is kept this long, so a request costs neither a signature check nor a
// store round trip; logout on this instance drops it at once. The key is the whole token, its
// signature included, so a forged token can never hit the cache.
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

export function createAuthenticator(deps: {
  db: Db;
  tokens: TokenService;
  rateLimiter: RateLimiter;
  throttles: Throttles;
}) {
  const cache = new Map<string, Verified>();

  // A forged, expired or revoked token is audited, at most so many rows a minute per source so
  // that a flood of junk tokens cannot flood the audit log.
  async function refuse(origin: Origin, error: GatewayError): Promise<never> {
    const gate = deps.throttles.audit.admit(sourceKey(origin));
    if (gate.write)
      await auditAnonymous(deps.db, origin, {
        action: 'TOKEN',
        entity: 'Token',
        outcome: 'DENIED',
        reason: error.code,
        details: gate.suppressed > 0 ? { suppressedBefore: gate.suppressed } : null,
      });
    throw error;
  }

  async function verify(token: string, origin: Origin): Promise<Verified> {
    const verified = await deps.tokens.verify(token);
    if (!verified.ok) {
      return refuse(
        origin,
        new GatewayError(
          verified.problem,
          verified.problem === 'TOKEN_EXPIRED'
            ? 'token scaduto: eseguire di nuovo il login'
            : 'token non valido',
        ),
      );
    }
    const { claims } = verified;
    if (await isTokenRevoked(deps.db, claims.jti)) {
      return refuse(origin, new GatewayError('INVALID_TOKEN', 'token revocato (logout)'));
    }
    const actor =
      claims.typ === 'operator'
        ? await loadOperatorActor(deps.db, claims.sub, origin)
        : {
            ...(await loadClientActor(deps.db, claims.sub, origin)),
            scopes: claims.scope.split(' ').filter(Boolean),
          };
    if (!actor)
      return refuse(
        origin,
        new GatewayError('INVALID_TOKEN', 'operatore disattivato o inesistente'),
      );
    const session = { jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
    return { actor, session, claims, until: Math.min(Date.now() + CACHE_MS, claims.exp * 1000) };
  }

  /**
   * The caller of a request. `weight` is charged to a client's rate at once (REST: one call);
   * GraphQL passes 0 and charges its root fields with `charge` once the document is known.
   */
  async function authenticate(
    authorization: string | undefined,
    origin: Origin,
    weight = 1,
  ): Promise<Authenticated> {
    if (!authorization) return { actor: null, session: null, rateKey: null };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) {
      return refuse(
        origin,
        new GatewayError(
          'INVALID_TOKEN',
          "intestazione Authorization non valida: usare 'Bearer <token>'",
        ),
      );
    }
    const token = match[1]!;
    let entry = cache.get(token);
    if (!entry || entry.until <= Date.now()) {
      entry = await verify(token, origin);
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(token, entry);
    }
    let rateKey: RateKey | null = null;
    if (entry.claims.typ === 'client') {
      // Deactivating a partner must stop its tokens at once, not when the cache entry expires:
      // one primary-key look-up per client request (clients are rate-limited anyway).
      if (!(await isClientActive(deps.db, entry.claims.sub))) {
        cache.delete(token);
        return refuse(origin, new GatewayError('INVALID_TOKEN', 'client disattivato'));
      }
      rateKey = { key: entry.claims.sub, perMinute: entry.claims.rl };
      charge(rateKey, weight);
    }
    return { actor: { ...entry.actor, origin }, session: entry.session, rateKey };
  }

  /** Charges `weight` calls to the bucket; throws RATE_LIMITED (with Retry-After) when over. */
  function charge(rateKey: RateKey | null, weight: number): void {
    if (!rateKey || weight <= 0) return;
    const wait = deps.rateLimiter.take(rateKey.key, rateKey.perMinute, weight);
    if (wait > 0) {
      throw new GatewayError(
        'RATE_LIMITED',
        `troppe richieste: riprovare tra ${wait} s`,
        undefined,
        {
          retryAfterSeconds: wait,
        },
      );
    }
  }

  function forget(jti: string): void {
    for (const [token, entry] of cache) if (entry.session.jti === jti) cache.delete(token);
  }

  return { authenticate, charge, forget };
}
export type Authenticator = ReturnType<typeof createAuthenticator>;
