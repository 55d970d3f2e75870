import type { Counterparts } from '@hub/casework';
import { createTestDb, FIXTURE_PASSWORD, type Fixture, seedFixture } from '@hub/casework/testing';
import { openWarehouse } from '@hub/warehouse';
import { createApp } from '../app.ts';
import { createTokenService, type TokenService } from '../auth/tokens.ts';
import { readConfig } from '../config.ts';
import type { WaasVoucherConfig } from '../rest/waas-voucher.ts';

export const TEST_SECRET = 'test-secret-for-tokens-only-0123456789';

/** The proxy in-process requests come from: its X-Forwarded-For is believed, as in production. */
export const TEST_PROXY = '127.0.0.1';

/** What the Node adapter passes to Hono, for a request from `peer`. */
export const fromPeer = (peer: string) => ({ incoming: { socket: { remoteAddress: peer } } });

/** The gateway in process over a fresh store seeded with the test fixture. */
export async function createTestApp(
  overrides: {
    ttlSeconds?: number;
    maxDepth?: number;
    maxCost?: number;
    env?: Record<string, string>;
    /** Log unexpected errors (off in tests, like the environment's NODE_ENV=test). */
    logErrors?: boolean;
    /** INPS's PDND voucher check for /waas/v1 (default: none, the pull answers 503). */
    waasVoucher?: WaasVoucherConfig | null;
    /** ANPR, INPS, the health registry (e.g. the simulators'); default none configured. */
    counterparts?: Counterparts;
  } = {},
) {
  const db = await createTestDb();
  const fixture: Fixture = await db.transaction((tx) => seedFixture(tx));
  const warehouse = await openWarehouse(':memory:');
  const base = readConfig(
    { NODE_ENV: 'test', TRUSTED_PROXIES: TEST_PROXY, ...overrides.env },
    '/tmp',
  );
  const config = {
    ...base,
    tokenTtlSeconds: overrides.ttlSeconds ?? 900,
    logErrors: overrides.logErrors ?? base.logErrors,
    graphql: {
      ...base.graphql,
      maxDepth: overrides.maxDepth ?? base.graphql.maxDepth,
      maxCost: overrides.maxCost ?? base.graphql.maxCost,
    },
  };
  const tokens: TokenService = createTokenService(TEST_SECRET, config.tokenTtlSeconds);
  const app = createApp({
    config,
    db,
    warehouse,
    tokens,
    connectors: {},
    waasVoucher: overrides.waasVoucher ?? null,
    counterparts: overrides.counterparts,
  });
  // In-process requests have no socket; unless a test says otherwise they come from the proxy,
  // so the X-Forwarded-For the tests write is what the audit records.
  const request = app.request;
  app.request = ((input, init, env, ctx) =>
    request(input, init, env ?? fromPeer(TEST_PROXY), ctx)) as typeof app.request;

  type GqlResult = {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  };
  const gql = async (
    query: string,
    variables: Record<string, unknown> = {},
    token?: string | null,
  ) => {
    const res = await app.request('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'x-forwarded-for': '10.0.0.7',
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GqlResult };
  };
  const login = async (username: string, password = FIXTURE_PASSWORD) => {
    const { body } = await gql(
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { u: username, p: password },
    );
    const token = (body.data?.login as { token?: string } | undefined)?.token;
    if (!token) throw new Error(`login failed for ${username}: ${JSON.stringify(body.errors)}`);
    return token;
  };
  const clientToken = async (clientId: string, scope?: string) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: FIXTURE_PASSWORD,
    });
    if (scope) form.set('scope', scope);
    const res = await app.request('/oauth/token', { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  return {
    app,
    db,
    warehouse,
    fixture,
    tokens,
    gql,
    login,
    clientToken,
    close: async () => {
      warehouse.close();
      await db.close();
    },
  };
}
export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
