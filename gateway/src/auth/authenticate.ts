import {
  type Actor,
  type Db,
  isTokenRevoked,
  loadClientActor,
  loadOperatorActor,
  type Origin,
} from '@hub/casework';
import { GatewayError } from '../errors.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { TokenClaims, TokenService } from './tokens.ts';

export type Session = { jti: string; expiresAt: Date };
export type Authenticated = { actor: Actor | null; session: Session | null };

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
}) {
  const cache = new Map<string, Verified>();

  async function verify(token: string, origin: Origin): Promise<Verified> {
    const verified = await deps.tokens.verify(token);
    if (!verified.ok) {
      throw new GatewayError(
        verified.problem,
        verified.problem === 'TOKEN_EXPIRED'
          ? 'token scaduto: eseguire di nuovo il login'
          : 'token non valido',
      );
    }
    const { claims } = verified;
    if (await isTokenRevoked(deps.db, claims.jti)) {
      throw new GatewayError('INVALID_TOKEN', 'token revocato (logout)');
    }
    const actor =
      claims.typ === 'operator'
        ? await loadOperatorActor(deps.db, claims.sub, origin)
        : {
            ...(await loadClientActor(deps.db, claims.sub, origin)),
            scopes: claims.scope.split(' ').filter(Boolean),
          };
    if (!actor) throw new GatewayError('INVALID_TOKEN', 'operatore disattivato o inesistente');
    const session = { jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
    return { actor, session, claims, until: Math.min(Date.now() + CACHE_MS, claims.exp * 1000) };
  }

  async function authenticate(
    authorization: string | undefined,
    origin: Origin,
  ): Promise<Authenticated> {
    if (!authorization) return { actor: null, session: null };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) {
      throw new GatewayError(
        'INVALID_TOKEN',
        "intestazione Authorization non valida: usare 'Bearer <token>'",
      );
    }
    const token = match[1]!;
    let entry = cache.get(token);
    if (!entry || entry.until <= Date.now()) {
      entry = await verify(token, origin);
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(token, entry);
    }
    if (entry.claims.typ === 'client') {
      const wait = deps.rateLimiter.take(entry.claims.sub, entry.claims.rl);
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
    return { actor: { ...entry.actor, origin }, session: entry.session };
  }

  function forget(jti: string): void {
    for (const [token, entry] of cache) if (entry.session.jti === jti) cache.delete(token);
  }

  return { authenticate, forget };
}
export type Authenticator = ReturnType<typeof createAuthenticator>;
