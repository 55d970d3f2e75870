import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRET, type TestApp } from '../testing/test-app.ts';

const ME = '{ me { kind name memberships { role } } }';
const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

describe('sessions, tokens and limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ maxDepth: 4, maxCost: 200 });
  });
  afterAll(() => t.close());

  it('should log an operator in and answer me with their roles', async () => {
    const token = await t.login('coord.pg');
    const { body } = await t.gql(ME, {}, token);
    expect(body.data?.me).toEqual({
      kind: 'OPERATOR',
      name: 'coord.pg',
      memberships: [{ role: 'COORDINATOR' }],
    });
  });

  it('should name the office and the desk the operator works at, for their own screens', async () => {
    const token = await t.login('sportello.pg');
    const { body } = await t.gql(
      '{ me { fullName memberships { officeName organizationName contactPointId contactPointName } } }',
      {},
      token,
    );
    const me = body.data?.me as {
      fullName: string | null;
      memberships: Record<string, string | null>[];
    };
    const m = me.memberships[0] as Record<string, string | null>;
    expect(me.fullName).toBeTruthy();
    expect(m.officeName).toBeTruthy();
    expect(m.organizationName).toBeTruthy();
    expect(m.contactPointId).toBeTruthy();
    expect(m.contactPointName).toBeTruthy();
  });

  it('should refuse a wrong password with INVALID_CREDENTIALS, and an unknown user the same way', async () => {
    for (const u of ['as.pg', 'nessuno']) {
      const { body } = await t.gql(LOGIN, { u, p: 'sbagliata' });
      expect(body.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('should lock the account after 5 wrong passwords, even for the right one', async () => {
    const codes: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (await t.gql(LOGIN, { u: 'as2.pg', p: 'sbagliata' })).body.errors?.[0]?.extensions?.code,
      );
    }
    expect(codes).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'ACCOUNT_LOCKED',
    ]);
    await expect(t.login('as2.pg')).rejects.toThrow(/ACCOUNT_LOCKED/);
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'LOGIN' AND actor_id = 'as2.pg' AND outcome = 'DENIED'`,
    );
    expect(audit[0]!.n).toBe(6);
  });

  it('should refuse an expired token with TOKEN_EXPIRED', async () => {
    const [op] = await t.db.query<{ id: string }>(
      `SELECT id FROM operator WHERE username = 'as.pg'`,
    );
    const expired = await new SignJWT({ typ: 'operator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(op!.id)
      .setIssuer('siso-hub')
      .setJti('x1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_SECRET));
    const { body } = await t.gql(ME, {}, expired);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOKEN_EXPIRED');
  });

  it('should refuse a forged token (other secret) with INVALID_TOKEN', async () => {
    const [op] = await t.db.query<{ id: string }>(
      `SELECT id FROM operator WHERE username = 'admin'`,
    );
    const forged = await new SignJWT({ typ: 'operator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(op!.id)
      .setIssuer('siso-hub')
      .setJti('x2')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('not-the-server-secret-at-all-0000000'));
    const { body } = await t.gql(ME, {}, forged);
    expect(body.errors?.[0]?.extensions?.code).toBe('INVALID_TOKEN');
  });

  it('should refuse a token after logout', async () => {
    const token = await t.login('as.pg');
    expect((await t.gql('mutation { logout }', {}, token)).body.data?.logout).toBe(true);
    const { body } = await t.gql(ME, {}, token);
    expect(body.errors?.[0]?.extensions?.code).toBe('INVALID_TOKEN');
  });

  describe('partner clients', () => {
    it('should issue a client-credentials token with its scopes', async () => {
      const { status, body } = await t.clientToken('asl-test');
      expect(status).toBe(200);
      expect(body).toMatchObject({ token_type: 'Bearer', scope: 'persons:read' });
      const me = await t.gql('{ me { kind scopes } }', {}, body.access_token);
      expect(me.body.data?.me).toEqual({ kind: 'CLIENT', scopes: ['persons:read'] });
    });

    it('should refuse a scope the client was not granted (invalid_scope)', async () => {
      const { status, body } = await t.clientToken('asl-test', 'persons:read cases:write');
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_scope');
    });

    it('should refuse a wrong secret (invalid_client)', async () => {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'asl-test',
        client_secret: 'no',
      });
      const res = await t.app.request('/oauth/token', { method: 'POST', body: form });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
    });

    it('should refuse a field whose scope the client lacks with FORBIDDEN', async () => {
      const { body: tok } = await t.clientToken('noscope-test');
      const { body } = await t.gql(
        'query($cf: String!) { personByTaxCode(taxCode: $cf) { id } }',
        { cf: t.fixture.persons.perugia.taxCode },
        tok.access_token,
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('should rate-limit a client beyond its allowance with RATE_LIMITED', async () => {
      // 60 a minute: bursts of 6, then refused.
      const { body: tok } = await t.clientToken('asl-test');
      const codes: unknown[] = [];
      for (let i = 0; i < 8; i++)
        codes.push(
          (await t.gql('{ me { kind } }', {}, tok.access_token)).body.errors?.[0]?.extensions?.code,
        );
      expect(codes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(codes.at(-1)).toBe('RATE_LIMITED');
    });
  });

  describe('query limits', () => {
    it('should refuse a query deeper than the limit with QUERY_TOO_DEEP', async () => {
      const token = await t.login('coord.pg');
      const deep = '{ me { memberships { role } } __typename a: me { memberships { role } } }';
      expect((await t.gql(deep, {}, token)).body.errors).toBeUndefined();
      const { body } = await t.gql(
        'query Deep { me { ...M } } fragment M on Me { memberships { ... on Membership { role officeId } } kind }',
        {},
        token,
      );
      expect(body.errors).toBeUndefined();
      const tooDeep = await createTestApp({ maxDepth: 2 });
      const tok = await tooDeep.login('coord.pg');
      const res = await tooDeep.gql('{ me { memberships { role } } }', {}, tok);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
      await tooDeep.close();
    });

    it('should refuse a query costlier than the limit with QUERY_TOO_COSTLY', async () => {
      const token = await t.login('sportello.pg');
      const { body } = await t.gql(
        '{ searchPersons(lastName: "Bi", limit: 100) { id fieldSources { field source } } }',
        {},
        token,
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    });
  });

  it('should serve GraphiQL with its own scripts, none from a CDN (closed networks)', async () => {
    const res = await t.app.request('/graphql', { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/);
  });

  it('should serve the SDL', async () => {
    const res = await t.app.request('/graphql/schema.graphql');
    expect(await res.text()).toContain('personByTaxCode(taxCode: String!): Person');
  });

  it('should describe the REST surface in /openapi.json, every route of the app included', async () => {
    const res = await t.app.request('/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    for (const route of t.app.routes.filter(
      (r) => r.path.startsWith('/api/') || r.path.startsWith('/oauth'),
    )) {
      expect(Object.keys(doc.paths), route.path).toContain(route.path.replace(/:(\w+)/g, '{$1}'));
    }
  });

  it('should report health with the store and the warehouse', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      store: { status: 'ok' },
      warehouse: { status: 'ok' },
    });
  });
});
