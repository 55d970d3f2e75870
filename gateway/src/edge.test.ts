import { randomUUID } from 'node:crypto';
import { FIXTURE_PASSWORD } from '@hub/casework/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, fromPeer, type TestApp } from './testing/test-app.ts';

// The edge of issue 8 (section 3), each defect as it was reproduced: through the whole app,
// in process. Sources are told apart by X-Forwarded-For (the test app's peer is the trusted
// proxy), so the throttles of one test do not reach another.

type Gql = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

describe('the edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = async (
    query: string,
    variables: Record<string, unknown> = {},
    options: { token?: string; source?: string; peer?: string } = {},
  ) => {
    const res = await t.app.request(
      '/graphql',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          'x-forwarded-for': options.source ?? '10.0.0.7',
        },
        body: JSON.stringify({ query, variables }),
      },
      options.peer ? fromPeer(options.peer) : undefined,
    );
    const body = (await res.json()) as Gql;
    return {
      status: res.status,
      headers: res.headers,
      body,
      code: body.errors?.[0]?.extensions?.code,
    };
  };
  const tokenRequest = (form: Record<string, string>, source: string, authorization?: string) =>
    t.app.request('/oauth/token', {
      method: 'POST',
      headers: {
        'x-forwarded-for': source,
        ...(authorization ? { authorization } : {}),
      },
      body: new URLSearchParams(form),
    });
  const auditRows = (where: string, params: unknown[] = []) =>
    t.db.query<{ actorKind: string; actorId: string | null; ip: string | null; entity: string }>(
      `SELECT actor_kind AS "actorKind", actor_id AS "actorId", ip, entity FROM audit_log
        WHERE ${where} ORDER BY id`,
      params,
    );

  describe('HTTP status of GraphQL refusals', () => {
    it('should answer UNAUTHENTICATED with 401 and FORBIDDEN with 403', async () => {
      const anonymous = await post('{ me { kind } }');
      expect([anonymous.status, anonymous.code]).toEqual([401, 'UNAUTHENTICATED']);
      const { body: tok } = await t.clientToken('noscope-test');
      const forbidden = await post(
        'query($cf: String!) { personByTaxCode(taxCode: $cf) { id } }',
        { cf: t.fixture.persons.perugia.taxCode },
        { token: tok.access_token },
      );
      expect([forbidden.status, forbidden.code]).toEqual([403, 'FORBIDDEN']);
    });

    it('should charge every root field to the rate, and answer 429 with Retry-After', async () => {
      // asl-test: 60 a minute, bursts of 6. Seven aliased calls in one request are seven calls.
      const { body: tok } = await t.clientToken('asl-test');
      const seven = Array.from({ length: 7 }, (_, i) => `m${i}: me { kind }`).join(' ');
      expect((await post(`{ ${seven} }`, {}, { token: tok.access_token })).code).toBeUndefined();
      const next = await post('{ me { kind } }', {}, { token: tok.access_token });
      expect([next.status, next.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  describe('forged origin', () => {
    it('should believe X-Forwarded-For from a trusted proxy only', async () => {
      await post(LOGIN, { u: 'xff-direct', p: 'x' }, { source: '10.9.9.9', peer: '203.0.113.9' });
      await post(LOGIN, { u: 'xff-proxied', p: 'x' }, { source: '10.9.9.9' });
      const rows = await auditRows(`actor_id IN ('xff-direct', 'xff-proxied')`);
      expect(rows.map((r) => [r.actorId, r.ip])).toEqual([
        ['xff-direct', '203.0.113.9'],
        ['xff-proxied', '10.9.9.9'],
      ]);
    });
  });

  describe('bodies', () => {
    it('should refuse a token request over the REST limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await tokenRequest(
        { grant_type: 'client_credentials', client_id: 'asl-test', junk: 'x'.repeat(100_000) },
        '198.51.100.1',
      );
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('should refuse a GraphQL body over MAX_BODY_BYTES with 413', async () => {
      const res = await t.app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(16 * 1024 * 1024) }),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as Gql).errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('HTTP headers', () => {
    it('should answer HEAD on /graphql with 405 and Allow, not 500', async () => {
      const res = await t.app.request('/graphql', { method: 'HEAD' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    });

    it('should send the security headers and no-store on every answer', async () => {
      const { body: tok } = await t.clientToken('asl-test');
      const desk = await t.login('sportello.pg');
      const answers = [
        await t.app.request('/health'),
        (
          await t.app.request('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${desk}` },
            body: JSON.stringify({ query: '{ me { kind } }' }),
          })
        ).clone(),
        await t.app.request('/api/intake-records/export.csv', {
          headers: { authorization: `Bearer ${desk}` },
        }),
      ];
      expect(tok.access_token).toBeTruthy();
      for (const res of answers) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it("should give the GraphiQL page a CSP that allows its own inline scripts and nothing else's", async () => {
      const res = await t.app.request('/graphql', { headers: { accept: 'text/html' } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self' 'unsafe-inline'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/https?:/);
    });

    it('should not answer CORS to an origin that is not configured', async () => {
      const res = await t.app.request('/graphql', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('guessing', () => {
    const form = (secret: string) => ({
      grant_type: 'client_credentials',
      client_id: 'guess-test',
      client_secret: secret,
    });
    beforeAll(async () => {
      // A client of its own: its backoff must not reach the other tests' clients.
      await t.db.query(
        `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes)
         SELECT 'guess-test', name, organization_id, secret_hash, scopes
           FROM partner_client WHERE client_id = 'noscope-test'`,
      );
    });

    it('should back off a client after wrong secrets: the right one then gets 429 and Retry-After', async () => {
      for (let i = 0; i < 20; i++) await tokenRequest(form(`wrong-${i}`), '198.51.100.2');
      const res = await tokenRequest(form(FIXTURE_PASSWORD), '198.51.100.3');
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('should refuse a malformed Basic header with 401, not 500', async () => {
      for (const header of [
        `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`,
        `Basic ${Buffer.from('no-colon').toString('base64')}`,
      ]) {
        const res = await tokenRequest(
          { grant_type: 'client_credentials' },
          '198.51.100.4',
          header,
        );
        expect(res.status).toBe(401);
      }
    });

    it('should back off a source trying passwords on many accounts', async () => {
      const source = '198.51.100.5';
      for (let i = 0; i < 11; i++) await post(LOGIN, { u: `spray${i}`, p: 'x' }, { source });
      const res = await post(LOGIN, { u: 'coord.pg', p: FIXTURE_PASSWORD }, { source });
      expect([res.status, res.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const audited = await t.db.query(
        `SELECT 1 FROM audit_log WHERE ip = $1 AND reason = 'source backing off'`,
        [source],
      );
      expect(audited).toHaveLength(1);
    });

    it("should lock a source out of an account, not the account's real user elsewhere", async () => {
      const attacker = '198.51.100.6';
      const codes: unknown[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await post(LOGIN, { u: 'sportello.tr', p: 'x' }, { source: attacker })).code);
      expect(codes.at(-1)).toBe('ACCOUNT_LOCKED');
      const locked = await post(
        LOGIN,
        { u: 'sportello.tr', p: FIXTURE_PASSWORD },
        { source: attacker },
      );
      expect(locked.code).toBe('ACCOUNT_LOCKED');
      expect(locked.status).toBe(429);
      const user = await post(
        LOGIN,
        { u: 'sportello.tr', p: FIXTURE_PASSWORD },
        { source: '192.0.2.50' },
      );
      expect(user.body.errors).toBeUndefined();
      expect((user.body.data?.login as { token?: string } | undefined)?.token).toBeTruthy();
    });

    it('should slow an account down when failures come from many sources, for seconds only', async () => {
      for (let i = 0; i < 11; i++)
        await post(LOGIN, { u: 'as.pg', p: 'x' }, { source: `192.0.2.${100 + i}` });
      const slowed = await post(
        LOGIN,
        { u: 'as.pg', p: FIXTURE_PASSWORD },
        { source: '192.0.2.99' },
      );
      expect([slowed.status, slowed.code]).toEqual([429, 'ACCOUNT_LOCKED']);
      const wait = Number(slowed.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
      await new Promise((done) => setTimeout(done, wait * 1000 + 100));
      const later = await post(
        LOGIN,
        { u: 'as.pg', p: FIXTURE_PASSWORD },
        { source: '192.0.2.99' },
      );
      expect(later.body.errors).toBeUndefined();
    });

    it('should cap what a caller writes into the audit as its name', async () => {
      const long = 'u'.repeat(10_000);
      expect((await post(LOGIN, { u: long, p: 'x' }, { source: '198.51.100.7' })).code).toBe(
        'BAD_USER_INPUT',
      );
      await tokenRequest(
        { grant_type: 'client_credentials', client_id: long, client_secret: 'x' },
        '198.51.100.7',
      );
      const [row] = await t.db.query<{ n: number }>(
        'SELECT max(length(actor_id))::int AS n FROM audit_log',
      );
      expect(row!.n).toBeLessThanOrEqual(65);
    });
  });

  describe('audit gaps', () => {
    it('should audit refusals of the schema layer, anonymous and by role', async () => {
      await post('{ auditLog { id } }', {}, { source: '198.51.100.8' });
      const desk = await t.login('sportello.pg');
      expect((await post('{ auditLog { id } }', {}, { token: desk })).code).toBe('FORBIDDEN');
      // The schema layer refuses the anonymous caller; the audit service refuses the role.
      const rows = await auditRows(
        `entity IN ('Query.auditLog', 'AuditLog') AND outcome = 'DENIED'`,
      );
      expect(rows.map((r) => [r.actorKind, r.actorId])).toEqual([
        ['ANONYMOUS', null],
        ['OPERATOR', 'sportello.pg'],
      ]);
    });

    it('should audit forged tokens, at most 30 rows a minute from one source', async () => {
      const source = '198.51.100.9';
      for (let i = 0; i < 40; i++)
        expect((await post('{ me { kind } }', {}, { token: `forged.${i}.x`, source })).status).toBe(
          401,
        );
      const rows = await auditRows(`ip = $1 AND entity = 'Token'`, [source]);
      expect(rows.length).toBe(30);
      expect(rows[0]!.actorKind).toBe('ANONYMOUS');
    });

    it('should audit a probe for an id that does not exist', async () => {
      const desk = await t.login('sportello.pg');
      const id = randomUUID();
      const res = await post(
        'query($id: UUID!) { intakeRecord(id: $id) { id } }',
        { id },
        { token: desk },
      );
      expect(res.code).toBe('NOT_FOUND');
      const rows = await t.db.query<{ reason: string }>(
        `SELECT reason FROM audit_log WHERE entity_id = $1 AND outcome = 'DENIED'`,
        [id],
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
    });

    it('should page the audit log by period and cursor, with details', async () => {
      const admin = await t.login('admin');
      for (let i = 0; i < 4; i++) await t.login('admin');
      const q = `query($from: DateTime, $to: DateTime, $after: ID, $limit: Int) {
        auditLog(from: $from, to: $to, after: $after, limit: $limit) { id at action details } }`;
      const first = await post(q, { limit: 3 }, { token: admin });
      expect(first.body.errors).toBeUndefined();
      const page1 = first.body.data!.auditLog as { id: string; at: string }[];
      expect(page1).toHaveLength(3);
      const page2 = (await post(q, { limit: 3, after: page1[2]!.id }, { token: admin })).body.data!
        .auditLog as { id: string }[];
      expect(Number(page2[0]!.id)).toBeLessThan(Number(page1[2]!.id));
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expect((await post(q, { from: future }, { token: admin })).body.data!.auditLog).toEqual([]);
      const until = (await post(q, { to: page1[2]!.at, limit: 500 }, { token: admin })).body.data!
        .auditLog as { at: string }[];
      expect(until.every((e) => e.at < page1[2]!.at)).toBe(true);
    });

    it("should stop a deactivated partner client's tokens at once", async () => {
      const { body: tok } = await t.clientToken('noscope-test');
      expect((await post('{ me { kind } }', {}, { token: tok.access_token })).code).toBeUndefined();
      await t.db.query(`UPDATE partner_client SET active = false WHERE client_id = 'noscope-test'`);
      const after = await post('{ me { kind } }', {}, { token: tok.access_token });
      expect([after.status, after.code]).toEqual([401, 'INVALID_TOKEN']);
      await t.db.query(`UPDATE partner_client SET active = true WHERE client_id = 'noscope-test'`);
    });
  });
});
