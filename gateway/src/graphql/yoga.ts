import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Db, Origin } from '@hub/casework';
import { AppError } from '@hub/casework';
import { createGraphQLError, createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Authenticator } from '../auth/authenticate.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { toGraphQLError } from '../errors.ts';
import type { GraphQLContext } from './context.ts';
import { schema } from './index.ts';
import { useQueryLimits } from './limits.ts';

export type YogaDeps = {
  db: Db;
  tokens: TokenService;
  authenticator: Authenticator;
  config: Config;
};
type ServerContext = { origin: Origin };

export function createGraphQLServer(
  deps: YogaDeps,
): YogaServerInstance<ServerContext, GraphQLContext> {
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.config.development ? { title: 'SISO hub – GraphQL' } : false,
    // GraphiQL's scripts and styles served from the package itself: the default page fetches them
    // from a CDN, which a municipality's closed network (and our CI) cannot reach.
    renderGraphiQL,
    landingPage: false,
    logging: deps.config.logErrors ? 'info' : false,
    plugins: [useQueryLimits(deps.config.graphql.maxDepth, deps.config.graphql.maxCost)],
    context: async ({ request, origin }) => {
      try {
        const { actor, session } = await deps.authenticator.authenticate(
          request.headers.get('authorization') ?? undefined,
          origin ?? { ip: null, userAgent: request.headers.get('user-agent') },
        );
        return {
          db: deps.db,
          actor,
          session,
          origin,
          tokens: deps.tokens,
          forgetSession: deps.authenticator.forget,
        } satisfies GraphQLContext;
      } catch (err) {
        if (err instanceof AppError) throw toGraphQLError(err);
        throw err;
      }
    },
    maskedErrors: {
      // The single mapping of domain errors to GraphQL errors; anything unknown is masked.
      maskError(error, message, isDev) {
        const original = (error as { originalError?: unknown }).originalError;
        if (original instanceof AppError) {
          return toGraphQLError(original, (error as { path?: readonly (string | number)[] }).path);
        }
        if ((error as { extensions?: { code?: unknown } }).extensions?.code && !original)
          return error as Error;
        if (original && (original as { extensions?: { code?: unknown } }).extensions?.code)
          return original as Error;
        if (isDev) console.error(original ?? error);
        return createGraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
  });
}
