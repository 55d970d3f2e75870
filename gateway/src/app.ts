import { AppError, type Counterparts, type Db } from '@hub/casework';
import { createCubeEngine, type Warehouse } from '@hub/warehouse';
import { printSchema } from 'graphql';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { createAuthenticator } from './auth/authenticate.ts';
import { createRateLimiter } from './auth/rate-limit.ts';
import { createThrottles } from './auth/throttle.ts';
import type { TokenService } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { type ErrorCode, httpStatusOf, isErrorCode, loggable } from './errors.ts';
import { schema } from './graphql/index.ts';
import { createGraphQLServer } from './graphql/yoga.ts';
import { cubeRoutes } from './rest/cubes.ts';
import { deliveryExportRoutes } from './rest/delivery-export.ts';
import { type HealthCheck, healthRoutes } from './rest/health.ts';
import { intakeExportRoutes } from './rest/intake-export.ts';
import { oauthRoutes } from './rest/oauth.ts';
import { openapiRoutes } from './rest/openapi.ts';
import { createOriginResolver } from './rest/origin.ts';
import { applySecurityHeaders } from './rest/security-headers.ts';
import { uiRoutes } from './rest/ui.ts';
import { waasRoutes } from './rest/waas.ts';
import { createWaasVoucherCheck, type WaasVoucherConfig } from './rest/waas-voucher.ts';

export type AppDeps = {
  config: Config;
  db: Db;
  warehouse: Warehouse;
  tokens: TokenService;
  connectors: Record<string, HealthCheck>;
  /** INPS's PDND voucher check for /waas/v1 (null: not configured, the pull answers 503). */
  waasVoucher?: WaasVoucherConfig | null;
  /** The connectors for casework's services; without them every counterpart is not configured. */
  counterparts?: Counterparts | undefined;
};

// The token form and the exports' query strings are small: a REST body over this is an attack
// (the token endpoint read a 40 MB form). GraphQL has its own, larger, limit (documents).
const MAX_REST_BODY_BYTES = 64 * 1024;

/** The JSON error of the REST routes: a stable code, and the field at fault. */
function errorBody(code: ErrorCode, message: string, field: string | null = null) {
  return { error: { code, message, field } };
}

/** The whole HTTP surface; `main.ts` is the only place that listens. */
export function createApp(deps: AppDeps) {
  const origins = createOriginResolver(deps.config.trustedProxies);
  const throttles = createThrottles();
  const authenticator = createAuthenticator({
    db: deps.db,
    tokens: deps.tokens,
    rateLimiter: createRateLimiter(),
    throttles,
  });
  // The cube engine: row-level security and disclosure control for REST, GraphQL and Arrow alike.
  const cubes = createCubeEngine(deps.warehouse);
  const yoga = createGraphQLServer({
    db: deps.db,
    warehouse: deps.warehouse,
    cubes,
    counterparts: deps.counterparts,
    tokens: deps.tokens,
    authenticator,
    config: deps.config,
    throttles,
  });
  const sdl = printSchema(schema);

  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    applySecurityHeaders(c.res.headers);
  });
  // Yoga answers CORS for /graphql itself (yoga.ts); the REST routes get the same origins.
  const restCors =
    deps.config.corsOrigins.length > 0
      ? cors({ origin: deps.config.corsOrigins, credentials: false })
      : null;
  app.use('*', (c, next) => (restCors && c.req.path !== '/graphql' ? restCors(c, next) : next()));
  const tooLarge = (max: number, graphql: boolean) =>
    bodyLimit({
      maxSize: max,
      onError: (c) => {
        const code = 'PAYLOAD_TOO_LARGE';
        const message = `richiesta troppo grande: massimo ${max} byte`;
        // Each surface answers in its own shape: a GraphQL client reads `errors`.
        return c.json(
          graphql ? { errors: [{ message, extensions: { code } }] } : errorBody(code, message),
          httpStatusOf(code),
        );
      },
    });
  const graphqlLimit = tooLarge(deps.config.maxBodyBytes, true);
  const restLimit = tooLarge(MAX_REST_BODY_BYTES, false);
  // One middleware for every route (not one per prefix): the OpenAPI test lists the app's routes.
  app.use('*', (c, next) => (c.req.path === '/graphql' ? graphqlLimit : restLimit)(c, next));

  app.route('/', healthRoutes(deps));
  app.route('/', openapiRoutes());
  app.route(
    '/',
    oauthRoutes({
      db: deps.db,
      tokens: deps.tokens,
      ttlSeconds: deps.config.tokenTtlSeconds,
      originOf: origins.ofHono,
      throttles,
    }),
  );
  app.route('/', intakeExportRoutes({ db: deps.db, authenticator, originOf: origins.ofHono }));
  app.route(
    '/',
    cubeRoutes({
      db: deps.db,
      warehouse: deps.warehouse,
      engine: cubes,
      authenticator,
      originOf: origins.ofHono,
    }),
  );
  app.route('/', deliveryExportRoutes({ db: deps.db, authenticator, originOf: origins.ofHono }));
  app.route(
    '/',
    waasRoutes({
      db: deps.db,
      authenticator,
      originOf: origins.ofHono,
      voucher: deps.waasVoucher
        ? createWaasVoucherCheck({ db: deps.db, config: deps.waasVoucher, throttles })
        : null,
    }),
  );
  app.get('/graphql/schema.graphql', (c) =>
    c.text(sdl, 200, { 'Content-Type': 'text/plain; charset=utf-8' }),
  );
  // Hono answers HEAD through the GET route; Yoga's own 405 for it broke the Node adapter's
  // header writing (a 500 on the socket), so HEAD is answered here.
  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', (c) =>
    c.req.raw.method === 'HEAD'
      ? c.body(null, 405, { Allow: 'GET, POST, OPTIONS' })
      : yoga.fetch(c.req.raw, { origin: origins.ofHono(c) }),
  );
  // The web application at `/` (dashboards/dist); without a build, `/` still leads to GraphiQL.
  app.route('/', uiRoutes({ uiDir: deps.config.uiDir }));
  app.get('/', (c) => c.redirect('/graphql'));

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    if (err instanceof AppError && isErrorCode(err.code)) {
      const retry = err.details?.retryAfterSeconds;
      return c.json(
        errorBody(err.code, err.message, err.field ?? null),
        httpStatusOf(err.code),
        typeof retry === 'number' ? { 'Retry-After': String(retry) } : {},
      );
    }
    // The path, never the query string (filters carry codici fiscali) nor quoted values.
    if (deps.config.logErrors)
      console.error(`[rest] ${c.req.method} ${c.req.path} ${loggable(err)}`);
    return c.json(errorBody('INTERNAL_SERVER_ERROR', 'errore interno'), 500);
  });
  // The node server hands POST /graphql to Yoga directly (see serve.ts); in-process callers and
  // other runtimes go through the Hono route above.
  return Object.assign(app, { yoga, origins, maxBodyBytes: deps.config.maxBodyBytes });
}
export type GatewayApp = ReturnType<typeof createApp>;
