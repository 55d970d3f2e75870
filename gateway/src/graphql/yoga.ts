import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Counterparts, Db, Origin } from '@hub/casework';
import { AppError, NO_COUNTERPARTS } from '@hub/casework';
import type { CubeEngine, Warehouse } from '@hub/warehouse';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Throttles } from '../auth/throttle.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { codedGraphQLError, isErrorCode, loggable, toGraphQLError } from '../errors.ts';
import { applySecurityHeaders } from '../rest/security-headers.ts';
import { useRefusalAudit } from './audit-refusals.ts';
import type { GraphQLContext } from './context.ts';
import { schema } from './index.ts';
import { useInputHygiene } from './input-hygiene.ts';
import { useQueryLimits } from './limits.ts';

export type YogaDeps = {
  db: Db;
  tokens: TokenService;
  warehouse: Warehouse;
  cubes: CubeEngine;
  /** Default: none configured. */
  counterparts?: Counterparts | undefined;
  authenticator: Authenticator;
  config: Config;
  throttles: Throttles;
  /** Where unexpected errors go (the console outside tests). */
  logError?: ((line: string) => void) | undefined;
};
type ServerContext = { origin: Origin };

// Yoga logs every error its mask changes, with the error's source: the query text, and so the
// codici fiscali written in it. Expected refusals are not worth a line; unexpected ones are
// logged by the mask below, without the query, the variables or quoted values.
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

function useSecurityHeaders(): Plugin {
  return {
    onResponse({ response }) {
      applySecurityHeaders(response.headers);
    },
  };
}

// graphql-js reports a variable or argument it cannot coerce with the value itself in the
// message ('Variable "$cf" got invalid value "RSSMRA…"'): the caller's input, not our fault.
const COERCION = /^(Variable "\$(\w+)" got invalid value|Argument "(\w+)" has invalid value)/;

export function createGraphQLServer(
  deps: YogaDeps,
): YogaServerInstance<ServerContext, GraphQLContext> {
  const logError =
    deps.logError ??
    (deps.config.logErrors ? (line: string) => console.error(`[graphql] ${line}`) : () => {});
  const { corsOrigins } = deps.config;
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.config.development ? { title: 'SISO hub – GraphQL' } : false,
    // GraphiQL's scripts and styles served from the package itself: the default page fetches them
    // from a CDN, which a municipality's closed network (and our CI) cannot reach.
    renderGraphiQL,
    landingPage: false,
    logging: SILENT,
    // The body limit is enforced before Yoga on both ways in (serve.ts: a declared length within
    // MAX_BODY_BYTES, which Node holds the body to; Hono's bodyLimit otherwise). Yoga's own check
    // piped every body through a TransformStream whose pipeline builds and aborts a signal (with
    // a DOMException) per request: 6 to 9% of the gateway's CPU in the look-up benchmark.
    maxRequestBodySize: false,
    // Yoga's default answers every origin; a browser app is allowed only from CORS_ORIGINS.
    cors: corsOrigins.length > 0 ? { origin: corsOrigins, credentials: false } : false,
    plugins: [
      useSecurityHeaders(),
      useRefusalAudit(),
      useInputHygiene(),
      useQueryLimits({
        limits: deps.config.graphql,
        production: deps.config.production,
        charge: (ctx, weight) => {
          try {
            deps.authenticator.charge(ctx.rateKey, weight);
            return undefined;
          } catch (err) {
            if (err instanceof AppError) return toGraphQLError(err);
            throw err;
          }
        },
      }),
    ],
    context: async ({ request, origin: given }) => {
      const origin = given ?? { ip: null, userAgent: request.headers.get('user-agent') };
      try {
        const { actor, session, rateKey } = await deps.authenticator.authenticate(
          request.headers.get('authorization') ?? undefined,
          origin,
          0,
        );
        return {
          db: deps.db,
          warehouse: deps.warehouse,
          cubes: deps.cubes,
          counterparts: deps.counterparts ?? NO_COUNTERPARTS,
          actor,
          session,
          rateKey,
          origin,
          schemaRefusals: [],
          tokens: deps.tokens,
          throttles: deps.throttles,
          forgetSession: deps.authenticator.forget,
        } satisfies GraphQLContext;
      } catch (err) {
        if (err instanceof AppError) throw toGraphQLError(err);
        throw err;
      }
    },
    maskedErrors: {
      // The single mapping of errors to what clients see; anything unknown is masked and logged.
      maskError(error, message) {
        const located = error as GraphQLError;
        const original = located.originalError;
        if (original instanceof AppError) return toGraphQLError(original, located.path);
        // Before anything else: a coercion error echoes the value (even when a scalar of ours
        // gave it a code), so it is rebuilt without it.
        const coercion = COERCION.exec(located.message ?? '');
        if (coercion) {
          const name = coercion[2] ?? coercion[3];
          const why = located.message
            .split('; ')
            .slice(1)
            .join('; ')
            .replace(/"[^"]*"/g, '…')
            .replace(/: (-?[\d.e+]+|\{.*\}|\[.*\]|true|false|null)(?=;|$)/g, '');
          return codedGraphQLError(
            'BAD_USER_INPUT',
            `valore non valido per ${name}${why ? `: ${why}` : ''}`,
            { field: name, path: located.path },
          );
        }
        // Coded already: ours (limits, scope-auth) or Yoga's own (request and validation errors).
        if (typeof located.extensions?.code === 'string') return error as Error;
        const originalCode = (original as GraphQLError | undefined)?.extensions?.code;
        if (original instanceof GraphQLError && isErrorCode(originalCode))
          return codedGraphQLError(originalCode, original.message, {
            field: original.extensions.field as string | undefined,
            details: original.extensions.details as Record<string, unknown> | undefined,
            path: located.path,
          });
        logError(
          `${located.path ? `${located.path.join('.')}: ` : ''}${loggable(original ?? error)}`,
        );
        return codedGraphQLError('INTERNAL_SERVER_ERROR', message, { path: located.path });
      },
    },
  });
}
