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
import type { TokenService } from './tokens.ts';

export type Authenticated = {
  actor: Actor | null;
  session: { jti: string; expiresAt: Date } | null;
};

// A verified token's actor is kept this long, so a request costs no store round trip for auth;
// logout on this instance drops it at once.
const CACHE_MS = 30_000;

export function createAuthenticator(deps: {
  db: Db;
  tokens: TokenService;
  rateLimiter: RateLimiter;
}) {
  const cache = new Map<string, { actor: Actor; until: number }>();

  async function authenticate(
    authorization: string | undefined,
    origin: Origin,
  ): Promise<Authenticated> {
    if (!authorization) return { actor: null, session: null };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match)
      throw new GatewayError(
        'INVALID_TOKEN',
        "intestazione Authorization non valida: usare 'Bearer <token>'",
      );
    const verified = await deps.tokens.verify(match[1]!);
    if (!verified.ok) {
      throw new GatewayError(
        verified.problem,
        verified.problem === 'TOKEN_EXPIRED'
          ? 'token scaduto: eseguire di nuovo il login'
          : 'token non valido',
      );
    }
    const { claims } = verified;
    if (claims.typ === 'client') {
      const wait = deps.rateLimiter.take(claims.sub, claims.rl);
      if (wait > 0) {
        throw new GatewayError(
          'RATE_LIMITED',
          `troppe richieste: riprovare tra ${wait} s`,
          undefined,
          { retryAfterSeconds: wait },
        );
      }
    }
    const session = { jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
    const hit = cache.get(claims.jti);
    if (hit && hit.until > Date.now()) return { actor: { ...hit.actor, origin } as Actor, session };

    if (await isTokenRevoked(deps.db, claims.jti))
      throw new GatewayError('INVALID_TOKEN', 'token revocato (logout)');
    const actor =
      claims.typ === 'operator'
        ? await loadOperatorActor(deps.db, claims.sub, origin)
        : {
            ...(await loadClientActor(deps.db, claims.sub, origin)),
            scopes: claims.scope.split(' ').filter(Boolean),
          };
    if (!actor) throw new GatewayError('INVALID_TOKEN', 'operatore disattivato o inesistente');
    if (cache.size > 10_000) cache.clear();
    cache.set(claims.jti, {
      actor,
      until: Math.min(Date.now() + CACHE_MS, session.expiresAt.getTime()),
    });
    return { actor, session };
  }

  return { authenticate, forget: (jti: string) => cache.delete(jti) };
}
export type Authenticator = ReturnType<typeof createAuthenticator>;
