import type { AddressInfo } from 'node:net';
import cube, { type Query } from '@cubejs-client/core';
import { runEtl } from '@hub/etl';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGateway } from '../serve.ts';
import { createTestApp } from '../testing/test-app.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
let t: TestApp;
let server: ReturnType<typeof serveGateway>;
let base: string;
let planner: string;
let manager: string;
const YEAR = new Date().getUTCFullYear() - 1;
const QUERY: Query = {
  measures: ['intake.count', 'intake.persons'],
  dimensions: ['intake.district'],
  timeDimensions: [
    {
      dimension: 'intake.occurredAt',
      granularity: 'quarter',
      dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`],
    },
  ],
};

beforeAll(async () => {
  t = await createTestApp();
  // A manager of Zona sociale 2, and a year of anonymous and citizens' records at both zones.
  await t.db.exec(`
    INSERT INTO operator (username, full_name, password_hash)
      SELECT 'dirigente.pg', 'Dirigente', password_hash FROM operator WHERE username = 'as.pg';
    INSERT INTO membership (operator_id, office_id, role)
      SELECT o.id, m.office_id, 'MANAGER' FROM operator o, membership m JOIN operator a ON a.id = m.operator_id
       WHERE o.username = 'dirigente.pg' AND a.username = 'as.pg';
    -- An organisation below the manager's (a zona's municipality): the manager's actor reaches it.
    INSERT INTO organization (parent_id, name, kind)
      SELECT f.organization_id, 'Comune sotto la zona', 'MUNICIPALITY' FROM membership m
        JOIN office f ON f.id = m.office_id JOIN operator a ON a.id = m.operator_id
       WHERE a.username = 'as.pg' LIMIT 1;
    INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel,
        access_kind, legal_basis, interlocutor_kind, subject_person_id, status)
      SELECT f.organization_id, c.office_id, c.id,
             make_timestamptz(${YEAR}, 1 + (i % 12), 1 + (i % 27), 10, 0, 0, 'Europe/Rome'),
             CASE WHEN i % 5 = 0 THEN 'PHONE' ELSE 'IN_PERSON' END,
             CASE WHEN p.id IS NULL THEN 'ANONYMOUS' ELSE 'CITIZEN' END,
             CASE WHEN p.id IS NULL THEN 'NONE' ELSE 'CONSENT' END,
             CASE WHEN p.id IS NULL THEN 'OTHER' ELSE 'SUBJECT' END, p.id, 'OPEN'
        FROM generate_series(1, 240) i
        JOIN contact_point c ON c.name = CASE WHEN i % 3 = 0 THEN 'PUA Terni' ELSE 'PUA Perugia' END
        JOIN office f ON f.id = c.office_id
        LEFT JOIN LATERAL (SELECT id FROM person WHERE owner_organization_id = f.organization_id
                            ORDER BY id OFFSET (i % 7) LIMIT 1) p ON i % 4 <> 0;`);
  await runEtl(
    { db: t.db, warehouse: t.warehouse, pseudonymKey: 'gateway-test-pseudonym-key' },
    'FULL',
  );
  planner = await t.login('planner');
  manager = await t.login('dirigente.pg');
  server = serveGateway(t.app, { port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

describe("Cube's REST API", () => {
  it('should answer @cubejs-client/core as Cube does, token without Bearer', async () => {
    const api = cube(planner, { apiUrl: `${base}/cubejs-api/v1` });
    const resultSet = await api.load(QUERY);
    const rows = resultSet.tablePivot();
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['intake.district', 'intake.occurredAt.quarter', 'intake.count']),
    );
    const raw = resultSet.rawData();
    expect(raw.every((r) => String(r['intake.occurredAt.quarter']).startsWith(String(YEAR)))).toBe(
      true,
    );
    expect(resultSet.chartPivot().length).toBeGreaterThan(0);
    const meta = await api.meta();
    expect(meta.cubes.map((c) => c.name)).toEqual(expect.arrayContaining(['intake', 'cases']));
  });

  it('should answer GET and POST, with Bearer, with provenance and the suppressed count', async () => {
    const get = await fetch(
      `${base}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(QUERY))}`,
      {
        headers: { Authorization: `Bearer ${planner}` },
      },
    );
    const post = await fetch(`${base}/cubejs-api/v1/load`, {
      method: 'POST',
      headers: { Authorization: planner, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(get.status).toBe(200);
    const a = (await get.json()) as {
      results: {
        data: unknown[];
        provenance: { source: string; build: string };
        disclosure: { suppressed: number; k: number };
      }[];
    };
    const b = (await post.json()) as typeof a;
    expect(a.results[0]!.data).toEqual(b.results[0]!.data);
    expect(a.results[0]!.provenance.source).toMatch(/^rollup:|^table:/);
    expect(a.results[0]!.disclosure.k).toBe(3);
  });

  it.each([
    [{ measures: ['intake.nope'] }, 'CUBE_UNKNOWN_MEMBER'],
    [{ measures: ['intake.count'], limit: 100_000 }, 'CUBE_LIMIT_TOO_LARGE'],
    [
      {
        measures: ['intake.count'],
        filters: [{ member: 'intake.sex', operator: 'regex', values: ['F'] }],
      },
      'CUBE_UNKNOWN_OPERATOR',
    ],
  ])('should refuse %j with 400 and Cube’s {error}', async (query, code) => {
    const res = await fetch(`${base}/cubejs-api/v1/load`, {
      method: 'POST',
      headers: { Authorization: planner, 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.any(String), code });
  });
});

describe('row-level security and the other paths', () => {
  it('should refuse operators who are neither managers nor planners, and anonymous callers', async () => {
    const desk = await t.login('sportello.pg');
    const refused = await fetch(`${base}/cubejs-api/v1/meta`, { headers: { Authorization: desk } });
    expect(refused.status).toBe(403);
    const anonymous = await fetch(`${base}/cubejs-api/v1/meta`);
    expect(anonymous.status).toBe(401);
  });

  it('should give a manager their zona sociale only, and a planner the region', async () => {
    const q = { measures: ['intake.count'], dimensions: ['intake.district'] };
    const m = await cube(manager, { apiUrl: `${base}/cubejs-api/v1` }).load(q);
    const p = await cube(planner, { apiUrl: `${base}/cubejs-api/v1` }).load(q);
    expect(m.rawData().map((r) => r['intake.district'])).toEqual(['10-02']);
    expect(
      p
        .rawData()
        .map((r) => r['intake.district'])
        .sort(),
    ).toEqual(['10-02', '10-10']);
  });

  it("should answer a cruscotto's shape from the cells the ETL precomputed for each reader", async () => {
    // The ETL precomputes the scopes of the case store's managers and planners: the gateway's
    // scopes for them are the same (the manager's with the organisation below hers), so their
    // cruscotti are answered from those cells, each within its own rows.
    const q = {
      measures: ['intake.count', 'intake.persons'],
      dimensions: ['intake.district'],
      timeDimensions: [
        { dimension: 'intake.occurredAt', dateRange: [`${YEAR}-01-01`, `${YEAR}-12-31`] },
      ],
    };
    for (const [token, districts] of [
      [manager, ['10-02']],
      [planner, ['10-02', '10-10']],
    ] as const) {
      const res = await fetch(`${base}/cubejs-api/v1/load`, {
        method: 'POST',
        headers: { Authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ query: q }),
      });
      const body = (await res.json()) as {
        results: { data: Record<string, unknown>[]; provenance: { protectedCells?: string } }[];
      };
      expect(res.status).toBe(200);
      expect(body.results[0]!.provenance.protectedCells).toBe('precomputed');
      expect(body.results[0]!.data.map((r) => r['intake.district']).sort()).toEqual(districts);
    }
  });

  it('should answer the same in GraphQL and as Arrow IPC', async () => {
    const rest = (await (
      await fetch(`${base}/cubejs-api/v1/load`, {
        method: 'POST',
        headers: { Authorization: planner, 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY }),
      })
    ).json()) as { results: { data: Record<string, unknown>[] }[] };
    const gql = await t.gql('query($q: JSON!) { cube(query: $q) }', { q: QUERY }, planner);
    const viaGraphQL = gql.body.data?.cube as { results: { data: unknown[] }[] };
    expect(viaGraphQL.results[0]!.data).toEqual(rest.results[0]!.data);
    const arrow = await fetch(`${base}/api/cubes/arrow`, {
      method: 'POST',
      headers: { Authorization: planner, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(arrow.headers.get('content-type')).toContain('arrow');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(rest.results[0]!.data.length);
    const counts = table.getChild('intake.count')!.toArray() as Float64Array;
    rest.results[0]!.data.forEach((r, i) => {
      const c = r['intake.count'];
      if (c === null) expect(table.getChild('intake.count')!.get(i)).toBeNull();
      else expect(counts[i]).toBe(c);
    });
    const desk = await t.login('sportello.pg');
    const refused = await t.gql('query($q: JSON!) { cube(query: $q) }', { q: QUERY }, desk);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
