// Deliveries recorded by the providers themselves (issue 9): 20 third-sector providers, each
// through its own partner client (client-credentials token, deliveries:write), record deliveries
// of their own interventions through GraphQL at once; deliveries/s, p50/p99, on PostgreSQL (target
// at least 500/s) and on PGlite. The gateway runs in its own process as `npm start` serves it;
// the load (autocannon, one connection per client) runs here. After the run every answer is
// matched to its stored row. Options (environment):
//   BENCH_SECONDS=10                measured seconds (after a 2 s warm-up in the same run)
//   BENCH_DATABASE_URL=postgres://… the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test),
//                                   a fresh schema created and dropped afterwards
//   BENCH_STORES=postgres,pglite    which stores to measure, in that order
//   BENCH_CPU_PROF=1                CPU profile of each gateway child in bench-results/profiles/
//   BENCH_BREAKDOWN=1               also: recordDelivery in process (no HTTP), one at a time and 20
//                                   at once, with its statements per call
//   BENCH_BATCH=25                  each request a recordDeliveries batch of that many deliveries
//                                   (default: one recordDelivery per request)
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Db,
  type DbConfig,
  loadClientActor,
  openDb,
  type Queryable,
  recordDelivery,
  shiftDay,
  todayInRome,
} from '@hub/casework';
import type { BenchResult, BenchRow } from './bench.types.ts';
import { type ChildServer, startChildServer } from './lib/child-server.ts';
import {
  type BenchProvider,
  type DeliveryStore,
  prepareDeliveryStore,
} from './lib/delivery-store.ts';
import { postGraphQL } from './lib/graphql-post.ts';
import { type WriteLoadFigures, writeLoad } from './lib/intake-load.ts';
import { type LoadFigures, measureLoad, warmUp } from './lib/load.ts';

export const name = 'deliveries';

const CLIENTS = 20;
const INTERVENTIONS_PER_CLIENT = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const TARGET_PER_SECOND = 500;
/** The HTTP load goes back at most this many days; BENCH_BREAKDOWN's in-process calls from there. */
const IN_PROCESS_DAYS_BACK = 300;
// Far above the load (the column's default, 600 a minute, would cap 20 clients at 200/s).
const RATE_LIMIT_PER_MINUTE = 1_000_000;
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const STORES = (process.env.BENCH_STORES ?? 'postgres,pglite')
  .split(',')
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
const BREAKDOWN = Boolean(process.env.BENCH_BREAKDOWN);
/** Deliveries per request: 0 sends recordDelivery, n ≥ 1 a recordDeliveries batch of n. */
const BATCH = Math.max(0, Math.floor(Number(process.env.BENCH_BATCH ?? 0)));
const PER_REQUEST = Math.max(1, BATCH);
const PROFILE_DIR = process.env.BENCH_CPU_PROF
  ? resolve(dirname(fileURLToPath(import.meta.url)), '../../bench-results/profiles')
  : null;

const RECORD = `mutation Record($input: RecordDeliveryInput!) {
  recordDelivery(input: $input) {
    id interventionId deliveredOn quantity unit unitCost amount amountSource status
    recordedByKind recordedBy providerReference
  }
}`;

const RECORD_BATCH = `mutation Record($input: [RecordDeliveryInput!]!) {
  recordDeliveries(input: $input) {
    index
    error { code message field }
    delivery {
      id interventionId deliveredOn quantity unit unitCost amount amountSource status
      recordedByKind recordedBy providerReference
    }
  }
}`;

type Sent = { interventionId: string; deliveredOn: string; quantity: number; reference: string };
type Answered = {
  id: string;
  interventionId: string;
  deliveredOn: string;
  quantity: number;
  unitCost: number | null;
  amount: number;
  amountSource: string;
  status: string;
  recordedByKind: string;
  recordedBy: string | null;
  providerReference: string | null;
};
type GraphQLError = { message: string; extensions?: { code?: string } };

const count = (n: number) => n.toLocaleString('en-US');

function fail(what: string, detail: unknown): never {
  throw new Error(
    `${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail).slice(0, 800)}`,
  );
}

/**
 * The `seq`-th delivery of client `c`: its interventions in turn, one day further back each
 * round (days 1…299), so that no two deliveries of an intervention share a day, and the
 * provider's own reference, unique per provider.
 */
function delivery(provider: BenchProvider, c: number, seq: number, today: string): Sent {
  const k = provider.interventionIds.length;
  const back = 1 + Math.floor(seq / k);
  if (back >= IN_PROCESS_DAYS_BACK) fail('the load outran the interventions’ history', { c, seq });
  return {
    interventionId: provider.interventionIds[seq % k]!,
    deliveredOn: shiftDay(today, -back),
    quantity: 1 + (seq % 4) * 0.5,
    reference: `bench-c${c}-n${seq}`,
  };
}

const inputOf = (s: Sent) => ({
  interventionId: s.interventionId,
  deliveredOn: s.deliveredOn,
  quantity: s.quantity,
  providerReference: s.reference,
});

/** Whether an answer is the delivery sent, recorded by this provider and waiting for verification. */
function matches(a: Answered, s: Sent, p: BenchProvider): boolean {
  return (
    a.interventionId === s.interventionId &&
    a.deliveredOn === s.deliveredOn &&
    a.quantity === s.quantity &&
    a.providerReference === s.reference &&
    a.status === 'TO_VERIFY' &&
    a.recordedByKind === 'PROVIDER' &&
    a.recordedBy === p.clientId &&
    a.amountSource === 'TARIFF' &&
    a.unitCost === p.unitCost &&
    Math.abs(a.amount - s.quantity * p.unitCost) < 0.005
  );
}

async function clientToken(base: string, p: BenchProvider): Promise<string> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: p.clientId,
      client_secret: p.secret,
      scope: 'deliveries:write',
    }),
  });
  const body = (await res.json()) as { access_token?: string; scope?: string };
  if (res.status !== 200 || !body.access_token || body.scope !== 'deliveries:write')
    fail(`no token for ${p.clientId}`, { status: res.status, body });
  return body.access_token;
}

/** A Db whose statements are counted (transactions included, BEGIN/COMMIT not). */
function countingDb(db: Db, seen: string[]): Db {
  const counting = (q: Queryable): Queryable => ({
    query: async (sql, params, options) => {
      const t0 = performance.now();
      const rows = await q.query(sql, params, options);
      const ms = (performance.now() - t0).toFixed(2);
      seen.push(`${sql.replace(/\s+/g, ' ').trim().slice(0, 60)} (${ms} ms)`);
      return rows as never;
    },
    exec: (sql) => q.exec(sql),
  });
  return { ...db, ...counting(db), transaction: (fn) => db.transaction((tx) => fn(counting(tx))) };
}

type InProcess = { statements: string[]; oneAtATimeMs: number; concurrentPerSecond: number };

/** recordDelivery alone, without HTTP or GraphQL (before the gateway owns the store). */
async function inProcess(config: DbConfig, store: DeliveryStore, today: string) {
  const db = await openDb(config);
  try {
    const origin = { ip: '127.0.0.1', userAgent: 'bench' };
    const actors = await Promise.all(
      store.providers.map(async (p) => ({
        ...(await loadClientActor(db, p.clientRowId, origin)),
        scopes: ['deliveries:write'],
      })),
    );
    // Days and references the HTTP load never uses.
    const sent = (c: number, i: number): Sent => ({
      interventionId: store.providers[c]!.interventionIds[i % INTERVENTIONS_PER_CLIENT]!,
      deliveredOn: shiftDay(
        today,
        -IN_PROCESS_DAYS_BACK - Math.floor(i / INTERVENTIONS_PER_CLIENT),
      ),
      quantity: 1,
      reference: `ip-c${c}-n${i}`,
    });
    const n = 300;
    for (let i = 0; i < 20; i++) await recordDelivery(db, actors[0]!, inputOf(sent(0, i)));
    let t0 = performance.now();
    for (let i = 20; i < n; i++) await recordDelivery(db, actors[0]!, inputOf(sent(0, i)));
    const oneAtATimeMs = (performance.now() - t0) / (n - 20);
    // One call more, warm, its statements listed with their times.
    const statements: string[] = [];
    await recordDelivery(countingDb(db, statements), actors[0]!, inputOf(sent(0, n)));
    t0 = performance.now();
    await Promise.all(
      actors.map(async (actor, c) => {
        for (let i = 1; i <= 30; i++)
          await recordDelivery(db, actor, inputOf(sent(c, c === 0 ? n + i : i)));
      }),
    );
    const concurrentPerSecond = (actors.length * 30) / ((performance.now() - t0) / 1000);
    return { statements, oneAtATimeMs, concurrentPerSecond } satisfies InProcess;
  } finally {
    await db.close();
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux), or null. */
async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

type CpuSample = { gateway: number; backends: Map<number, number>; bench: number };

/**
 * Where the CPU goes: the gateway child, the PostgreSQL backends it is connected to (named by
 * PGAPPNAME), and this process (the load generator).
 */
async function sampleCpu(
  gatewayPid: number,
  admin: Db | null,
  appName: string,
): Promise<CpuSample> {
  const backends = new Map<number, number>();
  if (admin) {
    const pids = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    for (const { pid } of pids) {
      const cpu = await cpuSeconds(pid);
      if (cpu !== null) backends.set(pid, cpu);
    }
  }
  const usage = process.cpuUsage();
  return {
    gateway: (await cpuSeconds(gatewayPid)) ?? Number.NaN,
    backends,
    bench: (usage.user + usage.system) / 1e6,
  };
}

function cpuPerDelivery(from: CpuSample, to: CpuSample, deliveries: number) {
  let backends = 0;
  for (const [pid, cpu] of to.backends) backends += cpu - (from.backends.get(pid) ?? 0);
  const ms = (s: number) => (s * 1000) / deliveries;
  return {
    gateway: ms(to.gateway - from.gateway),
    postgres: ms(backends),
    load: ms(to.bench - from.bench),
    connections: to.backends.size,
  };
}

type StoreRun = { figures: WriteLoadFigures; notes: string[]; label: string };

async function benchStore(kind: 'postgres' | 'pglite'): Promise<StoreRun> {
  const workDir = await mkdtemp(join(tmpdir(), 'hub-bench-deliveries-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const config: DbConfig =
    kind === 'postgres'
      ? { kind: 'postgres', url: DATABASE_URL, schema }
      : { kind: 'pglite', dataDir: join(workDir, 'pglite') };
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const notes: string[] = [];
  let server: ChildServer | null = null;
  const appName = `hub-bench-${schema}`;
  const admin =
    kind === 'postgres' ? await openDb({ kind: 'postgres', url: DATABASE_URL, max: 1 }) : null;
  try {
    const store = await prepareDeliveryStore(config, {
      providers: CLIENTS,
      interventionsPerProvider: INTERVENTIONS_PER_CLIENT,
      rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
    });
    const today = todayInRome();
    notes.push(
      `${label} store: ${kind === 'postgres' ? `fresh schema ${schema} (dropped afterwards)` : 'a temp folder'}; ` +
        `fixture + service catalog + ${CLIENTS} providers (organisation, partner client, ` +
        `accreditation for A2.07 with a ceiling, hourly tariff) + ${count(store.interventions)} ` +
        `occasional home-care interventions (one per Perugia resident) through the services, in ` +
        `${store.seconds.toFixed(1)} s`,
    );
    const ip = BREAKDOWN ? await inProcess(config, store, today) : null;
    if (ip) {
      notes.push(
        `${label} in process (recordDelivery, no HTTP): ${ip.statements.length} statements in its ` +
          `transaction (+ BEGIN/COMMIT; the gateway adds one isClientActive look-up per request): ` +
          `${ip.statements.join(' | ')}`,
        `${label} in process: one at a time ${(ip.oneAtATimeMs * 1000).toFixed(0)} µs a delivery ` +
          `(${count(Math.round(1000 / ip.oneAtATimeMs))}/s); ${CLIENTS} at once ` +
          `${count(Math.round(ip.concurrentPerSecond))}/s`,
      );
    }

    if (PROFILE_DIR) await mkdir(PROFILE_DIR, { recursive: true });
    server = await startChildServer('gateway.ts', {
      env: {
        BENCH_DATA_DIR: workDir,
        ...(kind === 'postgres'
          ? { BENCH_DATABASE_URL: DATABASE_URL, BENCH_DB_SCHEMA: schema }
          : {}),
        AUTH_SECRET: randomBytes(32).toString('base64url'),
        PGAPPNAME: appName,
      },
      nodeArgs: PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
    });
    const url = `${server.url}/graphql`;
    const tokens = await Promise.all(store.providers.map((p) => clientToken(server!.url, p)));

    // Checked first: each client's first delivery answers the row sent; sent again with the same
    // reference it answers the same row (a retry records nothing twice); a client recording on
    // another provider's intervention is refused.
    const probes = new Map<string, { sent: Sent; id: string; c: number }>();
    for (const [c, p] of store.providers.entries()) {
      const sent: Sent = {
        interventionId: p.interventionIds[0]!,
        deliveredOn: today,
        quantity: 2,
        reference: `bench-probe-c${c}`,
      };
      const answer = await postGraphQL(url, RECORD, { input: inputOf(sent) }, tokens[c]);
      const got = answer.body.data?.recordDelivery as Answered | undefined;
      if (answer.status !== 200 || answer.body.errors || !got || !matches(got, sent, p))
        fail(`the probe delivery of ${p.clientId} is not recorded as sent`, answer);
      probes.set(sent.reference, { sent, id: got.id, c });
    }
    const retry = await postGraphQL(
      url,
      RECORD,
      { input: inputOf(probes.get('bench-probe-c0')!.sent) },
      tokens[0],
    );
    const retried = retry.body.data?.recordDelivery as Answered | undefined;
    if (retry.body.errors || retried?.id !== probes.get('bench-probe-c0')!.id)
      fail('a resubmission does not answer the stored delivery', retry);
    const foreign = await postGraphQL(
      url,
      RECORD,
      {
        input: {
          interventionId: store.providers[0]!.interventionIds[1]!,
          deliveredOn: today,
          quantity: 1,
          providerReference: 'bench-foreign',
        },
      },
      tokens[1],
    );
    const foreignCode = foreign.body.errors?.[0]?.extensions?.code;
    if (foreignCode !== 'FORBIDDEN' && foreignCode !== 'CONTRACT_NOT_APPLICABLE')
      fail('a client recording on another provider’s intervention is not refused', foreign);

    const sent = new Map<string, { s: Sent; c: number }>();
    const answered = new Map<string, string>(); // reference → id
    /** The request in flight on each connection (one at a time: an answer is to it). */
    const lastSent: string[][] = [];
    /** Sent and not answered (yet): in flight at the end, or given up by autocannon (timeout). */
    const pending = new Set<string>();
    /** Answered with an error: must have written nothing. */
    const refused = new Set<string>();
    let mismatched = 0;
    /** Items of a batch answered with an error verdict (the request itself succeeded). */
    let itemsRefused = 0;
    const refusals = new Map<string, number>();
    const gatewayPid = server.pid;
    let cpuFrom: Promise<CpuSample> | null = null;
    const warm = setTimeout(() => {
      cpuFrom = sampleCpu(gatewayPid, admin, appName);
    }, WARMUP_SECONDS * 1000);
    const figures = await writeLoad({
      url,
      tokens,
      warmupSeconds: WARMUP_SECONDS,
      durationSeconds: SECONDS,
      body: (c, seq) => {
        const items = Array.from({ length: PER_REQUEST }, (_, k) =>
          delivery(store.providers[c]!, c, seq * PER_REQUEST + k, today),
        );
        for (const s of items) {
          sent.set(s.reference, { s, c });
          pending.add(s.reference);
        }
        lastSent[c] = items.map((s) => s.reference);
        return BATCH
          ? JSON.stringify({ query: RECORD_BATCH, variables: { input: items.map(inputOf) } })
          : JSON.stringify({ query: RECORD, variables: { input: inputOf(items[0]!) } });
      },
      onAnswer: (c, status, body) => {
        const references = lastSent[c]!;
        for (const reference of references) pending.delete(reference);
        const refuse = (reference: string, key: string) => {
          refused.add(reference);
          refusals.set(key, (refusals.get(key) ?? 0) + 1);
        };
        if (BATCH && status === 200 && !body.includes('"errors"')) {
          const verdicts = (
            JSON.parse(body) as {
              data: {
                recordDeliveries: {
                  index: number;
                  error: { code: string; message: string } | null;
                  delivery: Answered | null;
                }[];
              };
            }
          ).data.recordDeliveries;
          if (verdicts.length !== references.length) mismatched++;
          for (const v of verdicts) {
            const reference = references[v.index];
            if (!reference) {
              mismatched++;
              continue;
            }
            if (v.error || !v.delivery) {
              itemsRefused++;
              refuse(reference, `verdict ${v.error?.code}: ${v.error?.message}`);
              continue;
            }
            const a = v.delivery;
            const mine = sent.get(reference)!;
            if (a.providerReference !== reference || !matches(a, mine.s, store.providers[c]!))
              mismatched++;
            if (answered.has(reference)) mismatched++;
            answered.set(reference, a.id);
          }
          return;
        }
        const reference = references[0]!;
        if (status !== 200 || body.includes('"errors"')) {
          for (const r of references) refused.add(r);
          let what = body.slice(0, 200);
          try {
            const e = (JSON.parse(body) as { errors?: GraphQLError[] }).errors?.[0];
            if (e) what = `${e.extensions?.code ?? '?'}: ${e.message}`;
          } catch {}
          const key = `${status} ${what}`;
          refusals.set(key, (refusals.get(key) ?? 0) + 1);
          return;
        }
        const a = (JSON.parse(body) as { data: { recordDelivery: Answered } }).data.recordDelivery;
        const mine = sent.get(reference)!;
        if (a.providerReference !== reference || !matches(a, mine.s, store.providers[c]!))
          mismatched++;
        if (answered.has(reference)) mismatched++;
        answered.set(reference, a.id);
      },
    });
    clearTimeout(warm);
    const cpuTo = await sampleCpu(gatewayPid, admin, appName);
    const cpu = cpuFrom
      ? cpuPerDelivery(await cpuFrom, cpuTo, figures.answers * PER_REQUEST)
      : null;
    if (cpu) {
      const total = cpu.gateway + cpu.postgres + cpu.load;
      // A process runs on one core at a time: PGlite's gateway cannot use the second one.
      const ceiling = Math.min((os.cpus().length * 1000) / total, 1000 / cpu.gateway);
      notes.push(
        `${label} CPU per delivery in the measured window: gateway ${cpu.gateway.toFixed(2)} ms` +
          (kind === 'pglite'
            ? ' (PGlite runs inside it)'
            : cpu.connections > 0
              ? `, PostgreSQL backends ${cpu.postgres.toFixed(2)} ms (${cpu.connections} connections)`
              : ', PostgreSQL backends not counted (their processes are not readable here)') +
          `, load generator ${cpu.load.toFixed(2)} ms: ${total.toFixed(2)} ms in all, so ${os.cpus().length} ` +
          `idle cores would allow about ${count(Math.round(ceiling))}/s` +
          (kind === 'pglite' ? ' (the gateway’s one thread runs every statement)' : '') +
          ' ' +
          '(WAL flushes and the machine’s other work not counted)',
      );
    }
    await new Promise((done) => setTimeout(done, 1000));
    await server.stop();
    server = null;
    if (PROFILE_DIR) notes.push(`${label}: CPU profile of the gateway written to ${PROFILE_DIR}`);

    // Every answer is a stored row with what was sent; every stored row was answered, except the
    // last request of a connection, in flight when the load stopped (its answer was not read).
    const check = await openDb(config);
    try {
      const rows = await check.query<{
        id: string;
        interventionId: string;
        deliveredOn: string;
        quantity: number;
        amount: number;
        status: string;
        recordedBy: string;
        providerReference: string;
        providerId: string;
      }>(
        `SELECT id, intervention_id AS "interventionId", delivered_on AS "deliveredOn",
                quantity::float8 AS quantity, amount::float8 AS amount, status,
                recorded_by AS "recordedBy", provider_reference AS "providerReference",
                provider_id AS "providerId"
           FROM delivery WHERE provider_reference LIKE 'bench-c%'`,
      );
      const byReference = new Map(rows.map((r) => [r.providerReference, r]));
      if (byReference.size !== rows.length) fail('two stored rows share a reference', rows.length);
      const wrong: unknown[] = [];
      for (const [reference, id] of answered) {
        const row = byReference.get(reference);
        const { s, c } = sent.get(reference)!;
        const p = store.providers[c]!;
        if (
          row?.id !== id ||
          row.interventionId !== s.interventionId ||
          row.deliveredOn !== s.deliveredOn ||
          row.quantity !== s.quantity ||
          row.status !== 'TO_VERIFY' ||
          row.recordedBy !== p.clientId ||
          row.providerId !== p.providerId ||
          Math.abs(row.amount - s.quantity * p.unitCost) >= 0.005
        )
          wrong.push({ reference, id, row });
      }
      if (wrong.length > 0) fail('answered deliveries not stored as answered', wrong.slice(0, 5));
      const unanswered = rows.filter((r) => !answered.has(r.providerReference));
      const stray = unanswered.filter((r) => !pending.has(r.providerReference));
      if (stray.length > 0)
        fail('stored deliveries that were refused or never sent', {
          stray: stray.slice(0, 5),
          refused: stray.filter((r) => refused.has(r.providerReference)).length,
        });
      const inFlight = unanswered.filter((r) =>
        lastSent.some((refs) => refs.includes(r.providerReference)),
      ).length;
      const timedOut = unanswered.length - inFlight;
      const [audit] = await check.query<{ n: number; ids: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT a.entity_id)::int AS ids FROM audit_log a
          WHERE a.entity = 'Delivery' AND a.action = 'CREATE' AND a.outcome = 'OK'
            AND a.actor_kind = 'CLIENT'
            AND a.entity_id IN (SELECT id::text FROM delivery WHERE provider_reference LIKE 'bench-c%')`,
      );
      if (audit!.n !== rows.length || audit!.ids !== rows.length)
        fail('stored deliveries and their audit rows differ', { rows: rows.length, audit });
      const [probeRows] = await check.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM delivery WHERE provider_reference = ANY($1::text[])
            OR provider_reference = 'bench-foreign'`,
        [[...probes.keys()]],
      );
      if (probeRows!.n !== probes.size)
        fail('the probes are not stored once each (or the refused one was)', probeRows);
      notes.push(
        `${label} check: ${count(rows.length)} delivery rows for ${count(answered.size)} successful ` +
          `answers (whole run, warm-up included) + ${inFlight} of the ${CLIENTS * PER_REQUEST} deliveries ` +
          'in flight when the load stopped (the last request sent on its connection, answer not read)' +
          (timedOut > 0
            ? ` + ${timedOut} of the ${figures.timeouts} requests autocannon gave up on (timeout) and the gateway still completed`
            : '') +
          ': ' +
          'every answered id stored once with the intervention, day, quantity, reference, ' +
          `provider and amount sent (quantity × tariff), status TO_VERIFY; no duplicate, no gap; ` +
          `${count(audit!.n)} CREATE audit rows, one per delivery; ${count(figures.sent)} requests ` +
          `sent; ${figures.stalls} moments of more than 250 ms without any answer (longest ` +
          `${count(figures.longestSilenceMs)} ms)`,
      );
    } finally {
      await check.close();
    }
    const errors = figures.errors + figures.timeouts + figures.non2xx + figures.graphqlErrors;
    if (errors > 0 || mismatched > 0 || itemsRefused > 0)
      fail(`${label}: errors under load`, {
        ...figures,
        mismatched,
        itemsRefused,
        refusals: Object.fromEntries(refusals),
      });
    return { figures, notes, label };
  } finally {
    await server?.stop();
    await rm(workDir, { recursive: true, force: true });
    if (admin) {
      await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.close();
    }
  }
}

/**
 * The machine's state in the same run: a bare graphql-yoga `{ hello }` under the same number of
 * connections (the gateway bench's yardstick). The deliveries' figure divided by this one moves
 * far less with what else the shared machine runs than either figure alone.
 */
async function bareYoga(): Promise<LoadFigures> {
  const server = await startChildServer('bare-yoga.ts');
  try {
    const url = `${server.url}/graphql`;
    const check = await postGraphQL(url, '{ hello }');
    if (check.status !== 200 || check.body.data?.hello !== 'world')
      fail('bare yoga does not answer { hello }', check);
    const options = {
      url,
      bodies: [JSON.stringify({ query: '{ hello }' })],
      connections: CLIENTS,
      durationSeconds: Math.min(SECONDS, 5),
    };
    await warmUp(options, WARMUP_SECONDS);
    return await measureLoad(options);
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<BenchResult> {
  const notes: string[] = [
    `load: ${CLIENTS} provider partner clients, one autocannon connection each (one request in ` +
      `flight per client), in this process; one run of ${WARMUP_SECONDS + SECONDS} s of which the ` +
      `first ${WARMUP_SECONDS} s are not counted; latency = request written → answer read; the ` +
      'gateway (createApp on @hono/node-server, as `npm start` serves it) in its own process',
    `each client records on its own ${INTERVENTIONS_PER_CLIENT} interventions in turn, one day ` +
      'further back each round (no two deliveries of an intervention on one day), with its own ' +
      `reference; rate limit of the bench clients ${count(RATE_LIMIT_PER_MINUTE)}/min (the ` +
      'default 600/min would cap 20 clients at 200/s); checked first: each client’s first ' +
      'delivery answers the row sent, a resubmission answers the same row, and a client ' +
      'recording on another provider’s intervention is refused',
  ];
  const rows: BenchRow[] = [];
  const bare = await bareYoga();
  if (bare.errors + bare.non2xx + bare.graphqlErrors > 0) fail('bare yoga errors under load', bare);
  notes.push(
    `yardstick, same run: a bare graphql-yoga { hello } (own process, ${CLIENTS} connections, ` +
      `${Math.min(SECONDS, 5)} s) answers ${count(Math.round(bare.requestsPerSecond))} req/s, p50 ` +
      `${bare.p50Ms} ms, p99 ${bare.p99Ms} ms; "vs bare" is deliveries/s over that (what the shared ` +
      'machine gives right now moves both)',
  );
  for (const kind of STORES) {
    if (kind !== 'postgres' && kind !== 'pglite') fail('unknown store in BENCH_STORES', kind);
    const r = await benchStore(kind);
    const f = r.figures;
    const perSecond = Math.round(f.requestsPerSecond * PER_REQUEST);
    rows.push({
      store: r.label,
      clients: CLIENTS,
      'deliveries/s': perSecond,
      'per request': PER_REQUEST,
      'vs bare':
        Math.round(((f.requestsPerSecond * PER_REQUEST) / bare.requestsPerSecond) * 100) / 100,
      'p50 ms': f.p50Ms,
      'p99 ms': f.p99Ms,
      'max ms': f.maxMs,
      n: f.answers * PER_REQUEST,
      errors: f.errors + f.timeouts + f.non2xx + f.graphqlErrors,
      [`deliveries ≥ ${TARGET_PER_SECOND}/s`]:
        kind === 'postgres' ? (perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met') : null,
    });
    notes.push(...r.notes);
  }
  return {
    title: `Deliveries: ${BATCH ? `recordDeliveries (batches of ${BATCH})` : 'recordDelivery'} over GraphQL by ${CLIENTS} concurrent provider clients`,
    rows,
    notes,
  };
}
