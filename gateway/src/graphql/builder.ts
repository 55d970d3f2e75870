import { hasRole, type Role } from '@hub/casework';
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from './context.ts';

export type AuthScopes = {
  /** Any signed-in operator or partner client. */
  authenticated: boolean;
  operator: boolean;
  /** An operator holding one of these roles. */
  role: Role[];
  /** A partner client holding this scope. */
  clientScope: string;
};

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: ctx.actor !== null,
      operator: ctx.actor?.kind === 'OPERATOR',
      role: (roles) => ctx.actor !== null && hasRole(ctx.actor, ...roles),
      clientScope: (scope) => ctx.actor?.kind === 'CLIENT' && ctx.actor.scopes.includes(scope),
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.actor === null
        ? new GraphQLError('autenticazione richiesta', { extensions: { code: 'UNAUTHENTICATED' } })
        : new GraphQLError('operazione non consentita per il ruolo o gli ambiti del chiamante', {
            extensions: { code: 'FORBIDDEN' },
          }),
  },
});

builder.queryType({});
builder.mutationType({});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v))) {
      throw new GraphQLError('data non valida: usare AAAA-MM-GG', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return v;
  },
});

builder.scalarType('DateTime', {
  description: 'An instant, ISO 8601',
  serialize: (v) => v.toISOString(),
  parseValue: (v) => {
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime())) {
      throw new GraphQLError('data e ora non valide (ISO 8601)', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return d;
  },
});

builder.scalarType('JSON', { serialize: (v) => v, parseValue: (v) => v });

/** Roles that work with persons' data day to day. */
export const CASEWORK_ROLES: Role[] = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF'];
