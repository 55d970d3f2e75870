import { type Actor, hasRole, type Role } from '@hub/casework';
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { codedGraphQLError } from '../errors.ts';
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
  // A field behind `t.withAuth(signedIn)` has its caller: resolvers read `ctx.actor` as an Actor.
  AuthContexts: { authenticated: GraphQLContext & { actor: Actor } };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    UUID: { Input: string; Output: string };
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
    unauthorizedError: (_parent, ctx, info) => {
      const error =
        ctx.actor === null
          ? codedGraphQLError('UNAUTHENTICATED', 'autenticazione richiesta')
          : codedGraphQLError(
              'FORBIDDEN',
              'operazione non consentita per il ruolo o gli ambiti del chiamante',
            );
      // The schema layer refused it before any service ran, so no service audited it: the
      // audit plugin writes the DENIED row for errors marked here.
      ctx.schemaRefusals.push({ field: `${info.parentType.name}.${info.fieldName}`, error });
      return error;
    },
  },
});

/** The scope of every field that needs a caller (operator or partner client). */
export const signedIn = { authenticated: true } as const;

builder.queryType({});
builder.mutationType({});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date: `Date.parse('2026-02-31')` is 3 March, so the parts are compared back. */
export function isCalendarDate(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD',
  serialize: (v) => v,
  parseValue: (v) => {
    if (!isCalendarDate(v)) {
      throw new GraphQLError('data non valida: usare AAAA-MM-GG', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return v;
  },
});

// An instant with its offset: `new Date('1')` is 2001 and `new Date('2026-02-31T10:00Z')` is
// 3 March, so the shape and the calendar date are checked before Date reads it.
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

builder.scalarType('DateTime', {
  description: 'An instant, ISO 8601 with offset (2026-03-01T09:30:00Z)',
  serialize: (v) => v.toISOString(),
  parseValue: (v) => {
    const match = typeof v === 'string' ? ISO_INSTANT.exec(v) : null;
    const d = match && isCalendarDate(match[1]) ? new Date(v as string) : null;
    if (!d || Number.isNaN(d.getTime())) {
      throw new GraphQLError(
        'data e ora non valide (ISO 8601 con fuso, es. 2026-03-01T09:30:00Z)',
        {
          extensions: { code: 'BAD_USER_INPUT' },
        },
      );
    }
    return d;
  },
});

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Ids of the store are UUIDs: refused here, a malformed one reached PostgreSQL and came back as
// an internal error with a stack trace.
builder.scalarType('UUID', {
  description: 'An identifier, UUID (8-4-4-4-12 hexadecimal digits)',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== 'string' || !UUID_PATTERN.test(v)) {
      throw new GraphQLError('identificativo non valido: atteso un UUID', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return v.toLowerCase();
  },
});

builder.scalarType('JSON', { serialize: (v) => v, parseValue: (v) => v });

/** Roles that work with persons' data day to day. */
export const CASEWORK_ROLES: Role[] = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF'];
