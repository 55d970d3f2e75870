import { AppError, type Db } from '@hub/casework';
import type { Warehouse } from '@hub/warehouse';
import { printSchema } from 'graphql';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createAuthenticator } from './auth/authenticate.ts';
import { createRateLimiter } from './auth/rate-limit.ts';
import type { TokenService } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { httpStatusOf } from './errors.ts';
import { schema } from './graphql/index.ts';
import { createGraphQLServer } from './graphql/yoga.ts';
import { type HealthCheck, healthRoutes } from './rest/health.ts';
import { intakeExportRoutes } from './rest/intake-export.ts';
import { oauthRoutes } from './rest/oauth.ts';
import { openapiRoutes } from './rest/openapi.ts';
import { originOf } from './rest/origin.ts';

export type AppDeps = {
  config: Config;
  db: Db;
  warehouse: Warehouse;
  tokens: TokenService;
  connectors: Record<string, HealthCheck>;
};

/** The whole HTTP surface; `main.ts` is the only place that listens. */
export function createApp(deps: AppDeps) {
  const authenticator = createAuthenticator({
    db: deps.db,
    tokens: deps.tokens,
    rateLimiter: createRateLimiter(),
  });
  const yoga = createGraphQLServer({
    db: deps.db,
    tokens: deps.tokens,
    authenticator,
    config: deps.config,
  });
  const sdl = printSchema(schema);

  const app = new Hono();
  app.route('/', healthRoutes(deps));
  app.route('/', openapiRoutes());
  app.route(
    '/',
    oauthRoutes({ db: deps.db, tokens: deps.tokens, ttlSeconds: deps.config.tokenTtlSeconds }),
  );
  app.route('/', intakeExportRoutes({ db: deps.db, authenticator }));
  app.get('/graphql/schema.graphql', (c) =>
    c.text(sdl, 200, { 'Content-Type': 'text/plain; charset=utf-8' }),
  );
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', (c) =>
    yoga.fetch(c.req.raw, { origin: originOf(c) }),
  );
  app.get('/', (c) => c.redirect('/graphql'));

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    if (err instanceof AppError) {
      const status = httpStatusOf(err.code) as 400;
      return c.json(
        { error: { code: err.code, message: err.message, field: err.field ?? null } },
        status,
      );
    }
    console.error(err);
    return c.json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'errore interno' } }, 500);
  });
  // The node server hands POST /graphql to Yoga directly (see serve.ts); in-process callers and
  // other runtimes go through the Hono route above.
  return Object.assign(app, { yoga });
}
export type GatewayApp = ReturnType<typeof createApp>;
