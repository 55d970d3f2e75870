import { AppError, authenticateClient, type Db } from '@hub/casework';
import { Hono } from 'hono';
import type { TokenService } from '../auth/tokens.ts';
import { httpStatusOf } from '../errors.ts';
import { originOf } from './origin.ts';

/**
 * OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for partner systems. Credentials in the
 * Basic header or the form body; the token's scopes are those asked for, within those granted.
 */
export function oauthRoutes(deps: { db: Db; tokens: TokenService; ttlSeconds: number }) {
  const app = new Hono();
  app.post('/oauth/token', async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, string>);
    const form = body as Record<string, string | undefined>;
    let clientId = form.client_id;
    let secret = form.client_secret;
    const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (basic) {
      const [id, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      secret = decodeURIComponent(rest.join(':'));
    }
    const oauthError = (status: 400 | 401, error: string, description: string) =>
      c.json({ error, error_description: description }, status, { 'Cache-Control': 'no-store' });
    if (form.grant_type !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'grant_type deve essere client_credentials');
    }
    if (!clientId || !secret)
      return oauthError(400, 'invalid_request', 'client_id e client_secret obbligatori');
    try {
      const { client, rateLimitPerMinute } = await authenticateClient(
        deps.db,
        clientId,
        secret,
        originOf(c),
      );
      const asked = (form.scope ?? '').split(' ').filter(Boolean);
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
      if (err instanceof AppError && httpStatusOf(err.code) === 401)
        return oauthError(401, 'invalid_client', err.message);
      throw err;
    }
  });
  return app;
}
