import {
  AppError,
  auditAnonymous,
  authenticateClient,
  type Db,
  MAX_AUDIT_ACTOR_ID,
  type Origin,
} from '@hub/casework';
import { type Context, Hono } from 'hono';
import { sourceKey, type Throttles } from '../auth/throttle.ts';
import type { TokenService } from '../auth/tokens.ts';
import { isErrorCode } from '../errors.ts';

type Credentials = { clientId: string | undefined; secret: string | undefined };

/**
 * The client credentials of a Basic header (RFC 6749 §2.3.1: form-urlencoded, then base64), or
 * null when the header is not a well-formed one: that is the caller's error (401), not ours.
 */
export function basicCredentials(header: string | undefined): Credentials | null | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null; // a stray '%' (URIError): malformed
  }
}

/**
 * OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for partner systems. Credentials in the
 * Basic header or the form body; the token's scopes are those asked for, within those granted.
 * Wrong secrets back off per client and per source (429 with Retry-After): while a key waits,
 * its attempts are refused without looking at the secret, so they cannot guess.
 */
export function oauthRoutes(deps: {
  db: Db;
  tokens: TokenService;
  ttlSeconds: number;
  originOf: (c: Context) => Origin;
  throttles: Throttles;
}) {
  const app = new Hono();
  app.post('/oauth/token', async (c) => {
    const oauthError = (
      status: 400 | 401 | 429,
      error: string,
      description: string,
      headers: Record<string, string> = {},
    ) =>
      c.json({ error, error_description: description }, status, {
        'Cache-Control': 'no-store',
        ...headers,
      });
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, string>);
    const form = body as Record<string, string | File | undefined>;
    const field = (name: string) => (typeof form[name] === 'string' ? form[name] : undefined);
    let clientId = field('client_id');
    let secret = field('client_secret');
    const basic = basicCredentials(c.req.header('authorization'));
    if (basic === null)
      return oauthError(401, 'invalid_client', 'intestazione Authorization Basic non valida', {
        'WWW-Authenticate': 'Basic realm="siso-hub"',
      });
    if (basic) ({ clientId, secret } = basic);
    if (field('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'grant_type deve essere client_credentials');
    }
    if (!clientId || !secret)
      return oauthError(400, 'invalid_request', 'client_id e client_secret obbligatori');
    if (clientId.length > MAX_AUDIT_ACTOR_ID)
      return oauthError(401, 'invalid_client', 'credenziali del client non valide');

    const origin = deps.originOf(c);
    const source = sourceKey(origin);
    const { oauthClient, oauthSource } = deps.throttles;
    const wait = Math.max(oauthClient.wait(clientId), oauthSource.wait(source));
    if (wait > 0) {
      const gate = deps.throttles.audit.admit(source);
      if (gate.write)
        await auditAnonymous(
          deps.db,
          origin,
          {
            action: 'TOKEN',
            entity: 'PartnerClient',
            outcome: 'DENIED',
            reason: 'throttled',
            details: gate.suppressed > 0 ? { suppressedBefore: gate.suppressed } : null,
          },
          clientId,
        );
      return oauthError(429, 'slow_down', `troppi tentativi falliti: riprovare tra ${wait} s`, {
        'Retry-After': String(wait),
      });
    }
    try {
      const { client, rateLimitPerMinute } = await authenticateClient(
        deps.db,
        clientId,
        secret,
        origin,
      );
      oauthClient.succeed(clientId);
      const asked = (field('scope') ?? '').split(' ').filter(Boolean);
      const notGranted = asked.filter((s) => !client.scopes.includes(s));
      if (notGranted.length > 0)
        return oauthError(400, 'invalid_scope', `ambiti non concessi: ${notGranted.join(' ')}`);
      const scope = (asked.length > 0 ? asked : client.scopes).join(' ');
      const { token } = await deps.tokens.sign({
        typ: 'client',
        sub: client.id,
        scope,
        rl: rateLimitPerMinute,
      });
      return c.json(
        { access_token: token, token_type: 'Bearer', expires_in: deps.ttlSeconds, scope },
        200,
        { 'Cache-Control': 'no-store' },
      );
    } catch (err) {
      if (err instanceof AppError && isErrorCode(err.code) && err.code === 'INVALID_CREDENTIALS') {
        oauthClient.fail(clientId);
        oauthSource.fail(source);
        return oauthError(401, 'invalid_client', err.message);
      }
      throw err;
    }
  });
  return app;
}
