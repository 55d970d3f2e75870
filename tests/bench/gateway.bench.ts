// The gateway's authenticated person look-up under load, beside a bare graphql-yoga "hello"
// server measured in the same run (issue 3: target ≥ 0.5 of the bare server's throughput).
// Each server runs in its own child process; autocannon runs here. Options (environment):
//   BENCH_SECONDS=10                measured seconds per load run (after a 2 s warm-up)
//   BENCH_DATABASE_URL=postgres://… the gateway over a fresh schema on that server, not PGlite
//   BENCH_BREAKDOWN=1               also: the store call alone, and lighter queries on the gateway
//   BENCH_CPU_PROF=1                CPU profile of the gateway child in bench-results/profiles/
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DbConfig, findPersonByTaxCode, loadOperatorActor, openDb } from '@hub/casework';
import { FIXTURE_PASSWORD } from '@hub/casework/testing';
import type { BenchResult, BenchRow } from './bench.types.ts';
import { type BenchStore, prepareBenchStore } from './lib/bench-store.ts';
import { type ChildServer, startChildServer } from './lib/child-server.ts';
import { postGraphQL } from './lib/graphql-post.ts';
import { type LoadFigures, type LoadOptions, measureLoad, warmUp } from './lib/load.ts';

export const name = 'gateway';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const EXTRA_PERSONS = 10_000;
const TARGET_RATIO = 0.5;
// The embedded store by default (what `npm start` runs on); a PostgreSQL server when set.
const DATABASE_URL = process.env.BENCH_DATABASE_URL || null;
const BREAKDOWN = Boolean(process.env.BENCH_BREAKDOWN);
const PROFILE_DIR = process.env.BENCH_CPU_PROF
  ? resolve(dirname(fileURLToPath(import.meta.url)), '../../bench-results/profiles')
  : null;

const LOOKUP = `query Lookup($taxCode: String!) {
  personByTaxCode(taxCode: $taxCode) {
    id taxCode firstName lastName sex birthDate birthPlaceCode residenceMunicipality
    permitType maskedFields
  }
}`;

type AuditCounts = Record<string, number>;
const total = (c: AuditCounts) => Object.values(c).reduce((a, b) => a + b, 0);
const count = (n: number) => n.toLocaleString('en-US');

function row(server: string, f: LoadFigures, vsBare: number, auditRows: number | null): BenchRow {
  return {
    server,
    'req/s (mean)': Math.round(f.requestsPerSecond),
    'p50 ms': f.p50Ms,
    'p99 ms': f.p99Ms,
    'vs bare': Math.round(vsBare * 100) / 100,
    'server CPU µs/req': f.cpuUsPerRequest,
    answers: f.requests,
    'conn. errors': f.errors,
    non2xx: f.non2xx,
    'GraphQL errors': f.graphqlErrors,
    'audit rows': auditRows,
  };
}

function fail(what: string, detail: unknown): never {
  throw new Error(`${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
}

const load = (
  url: string,
  bodies: string[],
  headers: Record<string, string> | undefined,
  serverPid: number,
): LoadOptions => ({
  url,
  bodies,
  headers,
  serverPid,
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
});

async function benchBareYoga(): Promise<LoadFigures> {
  const server = await startChildServer('bare-yoga.ts');
  try {
    const url = `${server.url}/graphql`;
    const check = await postGraphQL(url, '{ hello }');
    if (check.status !== 200 || check.body.data?.hello !== 'world')
      fail('bare yoga does not answer { hello }', check);
    const options = load(url, [JSON.stringify({ query: '{ hello }' })], undefined, server.pid);
    await warmUp(options, WARMUP_SECONDS);
    return await measureLoad(options);
  } finally {
    await server.stop();
  }
}

/** The service call alone, one at a time in this process: the store's ceiling per process. */
async function timeStoreCall(config: DbConfig, store: BenchStore): Promise<number> {
  const db = await openDb(config);
  try {
    const [op] = await db.query<{ id: string }>('SELECT id FROM operator WHERE username = $1', [
      store.frontDeskUsername,
    ]);
    const actor = await loadOperatorActor(db, op!.id, { ip: '127.0.0.1', userAgent: 'bench' });
    if (!actor) fail('no actor for', store.frontDeskUsername);
    const codes = store.visibleTaxCodes;
    for (let i = 0; i < 300; i++) await findPersonByTaxCode(db, actor, codes[i % codes.length]!);
    const n = 2000;
    const started = performance.now();
    for (let i = 0; i < n; i++) await findPersonByTaxCode(db, actor, codes[i % codes.length]!);
    return (performance.now() - started) / n;
  } finally {
    await db.close();
  }
}

type GatewayRun = {
  lookup: LoadFigures;
  audit: number;
  /** BENCH_BREAKDOWN: lighter queries on the same gateway. */
  lighter: { label: string; figures: LoadFigures }[];
  storeCallMs: number | null;
};

async function benchGateway(notes: string[]): Promise<GatewayRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-bench-gateway-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const dbConfig: DbConfig = DATABASE_URL
    ? { kind: 'postgres', url: DATABASE_URL, schema }
    : { kind: 'pglite', dataDir: join(dataDir, 'pglite') };
  let server: ChildServer | null = null;
  try {
    const started = Date.now();
    const store = await prepareBenchStore(dbConfig, EXTRA_PERSONS);
    notes.push(
      `store: ${DATABASE_URL ? `PostgreSQL, schema ${schema}` : 'PGlite in a temp folder'}, ` +
        `${count(store.persons)} persons (fixture + ${count(EXTRA_PERSONS)} generated), ` +
        `prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    // Measured before the server opens the store (a PGlite folder has one owner at a time).
    const storeCallMs = BREAKDOWN ? await timeStoreCall(dbConfig, store) : null;

    if (PROFILE_DIR) await mkdir(PROFILE_DIR, { recursive: true });
    server = await startChildServer('gateway.ts', {
      env: {
        BENCH_DATA_DIR: dataDir,
        ...(DATABASE_URL ? { BENCH_DATABASE_URL: DATABASE_URL, BENCH_DB_SCHEMA: schema } : {}),
        AUTH_SECRET: randomBytes(32).toString('base64url'),
      },
      nodeArgs: PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
    });
    const url = `${server.url}/graphql`;

    const login = await postGraphQL(
      url,
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { u: store.frontDeskUsername, p: FIXTURE_PASSWORD },
    );
    const token = (login.body.data?.login as { token?: string } | undefined)?.token;
    if (login.status !== 200 || !token) fail(`login as ${store.frontDeskUsername} failed`, login);
    const auth = { authorization: `Bearer ${token}` };

    // Every code the load rotates through must answer 200 with the person, not an error.
    for (const taxCode of store.visibleTaxCodes) {
      const answer = await postGraphQL(url, LOOKUP, { taxCode }, token);
      const person = answer.body.data?.personByTaxCode as { taxCode?: string } | null | undefined;
      if (answer.status !== 200 || answer.body.errors || person?.taxCode !== taxCode)
        fail(`look-up of ${taxCode} does not answer the person`, answer);
    }
    // And the look-up is really guarded: a person of another organisation answers as an unknown
    // code does (null, no existence oracle), and the refusal is audited as DENIED.
    const deniedBefore = await server.ask<AuditCounts>('audit-count');
    const denied = await postGraphQL(url, LOOKUP, { taxCode: store.hiddenTaxCode }, token);
    const deniedAfter = await server.ask<AuditCounts>('audit-count');
    if (denied.status !== 200 || denied.body.errors || denied.body.data?.personByTaxCode !== null)
      fail('look-up of a person of another organisation does not answer null', denied);
    if ((deniedAfter.DENIED ?? 0) - (deniedBefore.DENIED ?? 0) !== 1)
      fail('look-up of a person of another organisation is not audited DENIED', {
        deniedBefore,
        deniedAfter,
      });
    notes.push(
      `gateway: logged in as ${store.frontDeskUsername}; ${store.visibleTaxCodes.length} codici ` +
        'fiscali checked (200 + person) and rotated through; a person of another organisation ' +
        'answers null (as an unknown code) with one DENIED audit row',
    );

    const options = load(
      url,
      store.visibleTaxCodes.map((taxCode) =>
        JSON.stringify({ query: LOOKUP, variables: { taxCode } }),
      ),
      auth,
      server.pid,
    );
    await warmUp(options, WARMUP_SECONDS);
    const before = await server.ask<AuditCounts>('audit-count');
    const lookup = await measureLoad(options);
    // Requests still in flight when autocannon stops are answered (and audited) just after.
    await new Promise((done) => setTimeout(done, 500));
    const after = await server.ask<AuditCounts>('audit-count');
    const audit = total(after) - total(before);
    notes.push(
      `audit: ${count(audit)} rows written in the measured window ` +
        `(${(after.DENIED ?? 0) - (before.DENIED ?? 0)} DENIED) for ${count(lookup.ok)} successful ` +
        `look-ups counted (up to ${CONNECTIONS} more in flight at the end); ${count(total(after))} rows in all`,
    );
    if (audit < lookup.ok)
      fail('fewer audit rows than successful look-ups', { audit, ok: lookup.ok });

    const lighter: GatewayRun['lighter'] = [];
    if (BREAKDOWN) {
      for (const [label, query, headers] of [
        ['gateway { __typename } anonymous', '{ __typename }', {}],
        ['gateway { me { name } } (token, no store)', '{ me { name } }', auth],
      ] as const) {
        const check = await postGraphQL(
          url,
          query,
          {},
          'authorization' in headers ? token : undefined,
        );
        if (check.status !== 200 || check.body.errors) fail(`${query} does not answer`, check);
        const o = load(url, [JSON.stringify({ query })], headers, server.pid);
        await warmUp(o, WARMUP_SECONDS);
        lighter.push({ label, figures: await measureLoad(o) });
      }
    }
    if (PROFILE_DIR) notes.push(`CPU profile of the gateway process written to ${PROFILE_DIR}`);
    return { lookup, audit, lighter, storeCallMs };
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (DATABASE_URL) {
      const db = await openDb({ kind: 'postgres', url: DATABASE_URL });
      await db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    }
  }
}

export async function run(): Promise<BenchResult> {
  const notes: string[] = [
    `load: autocannon in the parent, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ` +
      `${SECONDS} s measured; each server in its own child process`,
  ];
  const bare = await benchBareYoga();
  const gateway = await benchGateway(notes);
  const ratio = gateway.lookup.requestsPerSecond / bare.requestsPerSecond;
  const cpuRatio =
    bare.cpuUsPerRequest && gateway.lookup.cpuUsPerRequest
      ? bare.cpuUsPerRequest / gateway.lookup.cpuUsPerRequest
      : null;
  if (cpuRatio !== null)
    notes.unshift(
      `ratio by server CPU per request (bare ÷ gateway; steadier than throughput on a busy ` +
        `machine, but not steady): ${cpuRatio.toFixed(2)}` +
        (DATABASE_URL ? ' (the PostgreSQL server’s own CPU is not counted)' : ''),
    );
  notes.unshift(
    `ratio gateway / bare throughput: ${ratio.toFixed(2)} ` +
      `(target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
  );
  if (gateway.storeCallMs !== null)
    notes.push(
      `store alone: findPersonByTaxCode one at a time in one process takes ` +
        `${(gateway.storeCallMs * 1000).toFixed(0)} µs (ceiling ${count(Math.round(1000 / gateway.storeCallMs))}/s)`,
    );
  const store = DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  const vsBare = (f: LoadFigures) => f.requestsPerSecond / bare.requestsPerSecond;
  return {
    title: 'Gateway: authenticated personByTaxCode vs bare graphql-yoga { hello }',
    rows: [
      row('bare graphql-yoga { hello }', bare, 1, null),
      row(`gateway personByTaxCode (${store})`, gateway.lookup, ratio, gateway.audit),
      ...gateway.lighter.map((l) => row(l.label, l.figures, vsBare(l.figures), null)),
    ],
    notes,
  };
}
