import { type Actor, computeTaxCode, type Db } from '@hub/casework';
import { describe, expect, it } from 'vitest';
import type { Authenticator } from '../auth/authenticate.ts';
import { createThrottles } from '../auth/throttle.ts';
import { createTokenService } from '../auth/tokens.ts';
import { readConfig } from '../config.ts';
import { createGraphQLServer } from './yoga.ts';

// What the server log and the CORS answer see, with a store that fails on demand: no PGlite.

const TAX_CODE = computeTaxCode({
  firstName: 'Rosa',
  lastName: 'Tiberini',
  sex: 'F',
  birthDate: '1950-06-15',
  birthPlaceCode: 'G478',
});

const OPERATOR: Actor = {
  kind: 'OPERATOR',
  id: '00000000-0000-4000-8000-000000000001',
  username: 'as.pg',
  memberships: [
    {
      officeId: '00000000-0000-4000-8000-000000000002',
      organizationId: '00000000-0000-4000-8000-000000000003',
      role: 'SOCIAL_WORKER',
      contactPointId: null,
      maskedGroups: [],
    },
  ],
  organizationIds: ['00000000-0000-4000-8000-000000000003'],
  origin: { ip: null, userAgent: null },
};

function server(options: { actor: Actor | null; corsOrigins?: string }) {
  const lines: string[] = [];
  // Writes (the audit) succeed; every read fails the way a driver does, echoing its input.
  const db = {
    kind: 'pglite',
    async query(sql: string, params: unknown[] = []) {
      if (/^\s*INSERT/i.test(sql)) return [];
      throw new Error(`invalid input syntax for type uuid: "${String(params[0])}"`);
    },
    async exec() {},
    async transaction<T>(fn: (tx: unknown) => Promise<T>) {
      return fn(db);
    },
    async close() {},
  } as unknown as Db;
  const authenticator: Authenticator = {
    authenticate: async () => ({ actor: options.actor, session: null, rateKey: null }),
    charge: () => undefined,
    forget: () => undefined,
  };
  const yoga = createGraphQLServer({
    db,
    // No cube field is asked here.
    warehouse: null as never,
    cubes: null as never,
    tokens: createTokenService('x'.repeat(32), 900),
    authenticator,
    config: readConfig({ NODE_ENV: 'test', CORS_ORIGINS: options.corsOrigins ?? '' }, '/tmp'),
    throttles: createThrottles(),
    logError: (line) => lines.push(line),
  });
  const post = async (query: string, variables: Record<string, unknown>) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  };
  return { yoga, post, lines };
}

const BY_TAX_CODE = 'query($cf: String!) { personByTaxCode(taxCode: $cf) { id } }';

describe('the GraphQL server log', () => {
  it('should not log an expected refusal at all', async () => {
    const { post, lines } = server({ actor: null });
    const body = await post(BY_TAX_CODE, { cf: TAX_CODE });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await post('query($id: UUID!) { person(id: $id) { id } }', { id: TAX_CODE });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad)).not.toContain(TAX_CODE);
    expect(lines).toEqual([]);
  });

  it('should log an unexpected error once, without the query, the variables or quoted values', async () => {
    const { post, lines } = server({ actor: OPERATOR });
    const body = await post(BY_TAX_CODE, { cf: TAX_CODE });
    expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(body.errors?.[0]?.message).not.toContain(TAX_CODE);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('invalid input syntax');
    expect(lines[0]).not.toContain(TAX_CODE);
    expect(lines[0]).not.toContain('personByTaxCode(taxCode');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    new Request('http://yoga/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });

  it('should allow the configured origins only', async () => {
    const { yoga } = server({ actor: null, corsOrigins: 'https://hub.example, https://b.example' });
    const ok = await yoga.fetch(preflight('https://hub.example'));
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://hub.example');
    const evil = await yoga.fetch(preflight('https://evil.example'));
    expect(evil.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).not.toBe('*');
  });
});
