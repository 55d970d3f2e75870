// The intake record (issue 4): creating records through GraphQL under 20 concurrent front-desk
// operators (records/s, p99), and searching 1,000,000 records by codice fiscale and by filters
// (p95; target under 50 ms). The store is the demo region with a generated year of intake
// records copied back year by year to 1,000,000 (lib/intake-store.ts), built once and cached
// under bench-results/cache/; each run works on a copy. Options (environment):
//   BENCH_SECONDS=10                measured seconds of the create load (after 2 s not counted)
//   BENCH_SEARCHES=200              searches timed per case (after 10 warm-up ones)
//   BENCH_DATABASE_URL=postgres://… a fresh schema on that server (built there, dropped after)
//   BENCH_EXPLAIN=1                 EXPLAIN ANALYZE of the slowest in-process search of every case
//                                   (without it: of the cases whose in-process p95 nears the target)
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Db,
  type DbConfig,
  loadOperatorActor,
  type OperatorActor,
  openDb,
  type Queryable,
  type SearchIntakeInput,
  searchIntakeRecords,
} from '@hub/casework';
import type { BenchResult, BenchRow } from './bench.types.ts';
import { type ChildServer, startChildServer } from './lib/child-server.ts';
import { postGraphQL } from './lib/graphql-post.ts';
import { writeLoad } from './lib/intake-load.ts';
import { type IntakeStoreSpec, prepareIntakeStore } from './lib/intake-store.ts';

export const name = 'intake';

const OPERATORS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 200);
const SEARCH_WARMUP = 10;
const PAGE = 50;
const TARGET_P95_MS = 50;
const DATABASE_URL = process.env.BENCH_DATABASE_URL || null;
const EXPLAIN = Boolean(process.env.BENCH_EXPLAIN);
/** The search operator: the PUA front desk of the Perugia zone (demo account). */
const SEARCHER = 'sportello.perugia';
const PASSWORD = 'demo';
const SPEC: IntakeStoreSpec = {
  records: 1_000_000,
  persons: 120_000,
  perThousand: 100,
  year: 2025,
};
const DAY_MS = 86_400_000;

const SEARCH = `query Search($filter: SearchIntakeRecordsInput, $first: Int) {
  intakeRecords(filter: $filter, first: $first) {
    items { id number occurredAt contactPointId contactPointName accessKind status outcome
            subjectTaxCode subjectName needCodes serviceCodes }
    nextCursor
  }
}`;
const CREATE = `mutation Create($input: CreateIntakeRecordInput!) {
  createIntakeRecord(input: $input) {
    id number summary status accessKind consentStatus needs { code } services { code state }
  }
}`;
const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

type Filter = Record<string, unknown> & SearchIntakeInput;
type GraphQLError = { message: string; extensions?: { code?: string } };
type Item = {
  id: string;
  occurredAt: string | Date;
  contactPointId: string;
  accessKind: string;
  status: string;
  subjectTaxCode: string | null;
  needCodes: string[];
  serviceCodes: string[];
};
type SearchCase = {
  label: string;
  /** The filters, one per search (drawn from the data). */
  filters: Filter[];
  /** What every item of a page must satisfy. */
  accepts: (f: Filter, item: Item) => boolean;
  /** Whether an empty page would mean the search is broken. */
  neverEmpty: boolean;
};

const count = (n: number) => n.toLocaleString('en-US');
const round1 = (n: number) => Math.round(n * 10) / 10;

function fail(what: string, detail: unknown): never {
  throw new Error(
    `${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail).slice(0, 800)}`,
  );
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round1(sorted[Math.max(0, i)]!);
}

// Deterministic draws (mulberry32): the same filters on every run over the same store.
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

// ---- The search cases, drawn from the data --------------------------------------------------

async function searchCases(q: Queryable, actor: OperatorActor): Promise<SearchCase[]> {
  const orgs = actor.organizationIds;
  const r = prng(20_250_404);
  const n = SEARCHES + SEARCH_WARMUP;
  const taxCodes = (
    await q.query<{ taxCode: string }>(
      `SELECT p.tax_code AS "taxCode" FROM person p
        WHERE p.tax_code IS NOT NULL AND EXISTS (
          SELECT 1 FROM intake_record r WHERE r.subject_person_id = p.id
             AND r.organization_id = ANY($1::uuid[]) AND r.deleted_at IS NULL)
        ORDER BY md5(p.id::text) LIMIT $2`,
      [orgs, n],
    )
  ).map((row) => row.taxCode);
  if (taxCodes.length < n) fail('too few subjects with records', taxCodes.length);
  const contactPoints = (
    await q.query<{ id: string }>(
      `SELECT cp.id FROM contact_point cp JOIN office o ON o.id = cp.office_id
        WHERE o.organization_id = ANY($1::uuid[]) ORDER BY cp.name`,
      [orgs],
    )
  ).map((row) => row.id);
  const [span] = await q.query<{ from: Date; to: Date }>(
    `SELECT min(occurred_at) AS "from", max(occurred_at) AS "to" FROM intake_record
      WHERE organization_id = ANY($1::uuid[]) AND deleted_at IS NULL`,
    [orgs],
  );
  const distinct = async (sql: string) => (await q.query<{ v: string }>(sql)).map((row) => row.v);
  const kinds = await distinct('SELECT DISTINCT access_kind AS v FROM intake_record ORDER BY 1');
  const statuses = await distinct('SELECT DISTINCT status AS v FROM intake_record ORDER BY 1');
  const needs = await distinct('SELECT DISTINCT need_code AS v FROM intake_need ORDER BY 1');
  const services = await distinct(
    'SELECT DISTINCT service_code AS v FROM intake_service_request ORDER BY 1',
  );
  const from0 = span!.from.getTime();
  const to0 = span!.to.getTime();
  /** A range of `days` days (or 7, 30 or 90 at random) starting on a random day of the data. */
  const range = (days?: number) => {
    const length = (days ?? r.pick([7, 30, 90])) * DAY_MS;
    const start =
      from0 + Math.floor((r.next() * Math.max(1, to0 - from0 - length)) / DAY_MS) * DAY_MS;
    return { from: new Date(start).toISOString(), to: new Date(start + length).toISOString() };
  };
  const many = (make: (i: number) => Filter) => Array.from({ length: n }, (_, i) => make(i));
  const at = (item: Item) => new Date(item.occurredAt).getTime();
  const inRange = (f: Filter, item: Item) =>
    (!f.from || at(item) >= Date.parse(String(f.from))) &&
    (!f.to || at(item) < Date.parse(String(f.to)));
  const kindOk = (f: Filter, item: Item) =>
    !f.accessKinds || f.accessKinds.includes(item.accessKind as never);
  const statusOk = (f: Filter, item: Item) =>
    !f.statuses || f.statuses.includes(item.status as never);
  const needOk = (f: Filter, item: Item) => !f.needCode || item.needCodes.includes(f.needCode);
  const serviceOk = (f: Filter, item: Item) =>
    !f.serviceCode || item.serviceCodes.includes(f.serviceCode);
  return [
    {
      label: 'subject codice fiscale',
      filters: taxCodes.map((subjectTaxCode) => ({ subjectTaxCode })),
      accepts: (f, item) => item.subjectTaxCode === f.subjectTaxCode,
      neverEmpty: true,
    },
    {
      label: 'date range (7/30/90 d) + contact point',
      filters: many(() => ({ ...range(), contactPointId: r.pick(contactPoints) })),
      accepts: (f, item) => inRange(f, item) && item.contactPointId === f.contactPointId,
      neverEmpty: false,
    },
    {
      label: `kind of access (${kinds.length} kinds)`,
      filters: many((i) => ({ accessKinds: [kinds[i % kinds.length]!] as never })),
      accepts: kindOk,
      neverEmpty: true,
    },
    {
      label: `need (${needs.length} codes)`,
      filters: many((i) => ({ needCode: needs[i % needs.length]! })),
      accepts: needOk,
      neverEmpty: true,
    },
    {
      label: `requested service (${services.length} codes)`,
      filters: many((i) => ({ serviceCode: services[i % services.length]! })),
      accepts: serviceOk,
      neverEmpty: true,
    },
    {
      label: `state (${statuses.length} states)`,
      filters: many((i) => ({ statuses: [statuses[i % statuses.length]!] as never })),
      accepts: statusOk,
      neverEmpty: true,
    },
    {
      label: 'combination: 90 d + kind + need + state',
      filters: many(() => ({
        ...range(90),
        accessKinds: [
          r.pick(['CITIZEN', 'CITIZEN', 'LEGAL_REPRESENTATIVE', 'PUBLIC_OFFICIAL']),
        ] as never,
        needCode: r.pick(needs),
        statuses: [r.pick(['CLOSED', 'CLOSED', 'PROPOSED'])] as never,
      })),
      accepts: (f, item) =>
        inRange(f, item) && kindOk(f, item) && needOk(f, item) && statusOk(f, item),
      neverEmpty: false,
    },
    {
      label: 'combination: 30 d + contact point + service',
      filters: many(() => ({
        ...range(30),
        contactPointId: r.pick(contactPoints),
        serviceCode: r.pick(services),
      })),
      accepts: (f, item) =>
        inRange(f, item) && item.contactPointId === f.contactPointId && serviceOk(f, item),
      neverEmpty: false,
    },
  ];
}

/** A page is right when every item matches its filter, newest first, and no longer than asked. */
function checkPage(c: SearchCase, f: Filter, items: Item[]): void {
  if (items.length > PAGE) fail(`${c.label}: ${items.length} items for a page of ${PAGE}`, f);
  if (c.neverEmpty && items.length === 0) fail(`${c.label}: no items`, f);
  for (let i = 0; i < items.length; i++) {
    if (!c.accepts(f, items[i]!))
      fail(`${c.label}: an item does not match the filter`, { f, item: items[i] });
    if (i > 0 && new Date(items[i]!.occurredAt) > new Date(items[i - 1]!.occurredAt))
      fail(`${c.label}: items not newest first`, f);
  }
}

type Timing = { samples: number[]; items: number; slowest: Filter | null };

async function timeSearches(
  c: SearchCase,
  search: (f: Filter) => Promise<Item[]>,
): Promise<Timing> {
  for (const f of c.filters.slice(0, SEARCH_WARMUP)) checkPage(c, f, await search(f));
  const samples: number[] = [];
  let items = 0;
  let slowest: Filter | null = null;
  let worst = -1;
  for (const f of c.filters.slice(SEARCH_WARMUP)) {
    const t0 = performance.now();
    const page = await search(f);
    const ms = performance.now() - t0;
    checkPage(c, f, page);
    samples.push(ms);
    items += page.length;
    if (ms > worst) {
      worst = ms;
      slowest = f;
    }
  }
  return { samples: samples.sort((a, b) => a - b), items, slowest };
}

/** A Db whose transactions record the SQL they run (to EXPLAIN the search statement). */
function recordingDb(db: Db, seen: { sql: string; params: unknown[] }[]): Db {
  return {
    ...db,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (sql, params) => {
            seen.push({ sql, params: params ?? [] });
            return tx.query(sql, params);
          },
          exec: (sql) => tx.exec(sql),
        }),
      ),
  };
}

async function explain(db: Db, actor: OperatorActor, f: Filter): Promise<string> {
  const seen: { sql: string; params: unknown[] }[] = [];
  await searchIntakeRecords(recordingDb(db, seen), actor, { ...f, first: PAGE });
  // The search statement (driven by the record, or by the requests of a service: migration 009).
  const statement = seen.find((s) => /\bintake_record r\b[\s\S]*\bLIMIT\b/.test(s.sql));
  if (!statement) return '(no search statement seen)';
  const plan = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
    statement.params,
  );
  return plan.map((row) => row['QUERY PLAN']).join('\n');
}

// ---- Operators -------------------------------------------------------------------------------

/** Twenty front-desk operators at the Perugia zone's desks (the demo has four such accounts). */
async function addOperators(
  db: Db,
): Promise<{ usernames: string[]; desks: number; masksHealth: boolean[] }> {
  const desks = await db.query<{ id: string; officeId: string; masksHealth: boolean }>(
    `SELECT cp.id, cp.office_id AS "officeId",
            'HEALTH' = ANY(dp.masked_groups) AS "masksHealth" FROM contact_point cp
       JOIN desk_profile dp ON dp.code = cp.desk_profile_code
       JOIN membership m ON m.contact_point_id = cp.id
       JOIN operator o ON o.id = m.operator_id
      WHERE o.username IN ('sportello.perugia', 'udc.perugia', 'sportello.immigrati', 'urp.perugia')
      ORDER BY o.username`,
  );
  if (desks.length !== 4) fail('the demo front desks of Perugia are not all there', desks);
  const usernames: string[] = [];
  const masksHealth: boolean[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < OPERATORS; i++) {
      const username = `bench.sportello${String(i + 1).padStart(2, '0')}`;
      const desk = desks[i % desks.length]!;
      // Same password as the demo accounts: the hash of sportello.perugia is reused.
      const [op] = await tx.query<{ id: string }>(
        `INSERT INTO operator (username, full_name, password_hash)
         SELECT $1, $1, password_hash FROM operator WHERE username = $2 RETURNING id`,
        [username, SEARCHER],
      );
      await tx.query(
        `INSERT INTO membership (operator_id, office_id, role, contact_point_id)
         VALUES ($1, $2, 'FRONT_DESK', $3)`,
        [op!.id, desk.officeId, desk.id],
      );
      usernames.push(username);
      masksHealth.push(desk.masksHealth);
    }
  });
  return { usernames, desks: desks.length, masksHealth };
}

type Subject = { taxCode: string; firstName: string; lastName: string };

/**
 * Adult residents of the Perugia zone not under guardianship: the subjects the operators write
 * records for (a minor or a person under guardianship consents through a representative, issue 8:
 * REPRESENTATIVE_CONSENT_REQUIRED for the subject's own GIVEN).
 */
async function perugiaResidents(q: Queryable, organizationId: string): Promise<Subject[]> {
  return q.query<Subject>(
    `SELECT p.tax_code AS "taxCode", p.first_name AS "firstName", p.last_name AS "lastName"
       FROM person p
       JOIN municipality m ON m.istat_code = p.residence_municipality
       JOIN organization o ON o.social_district_id = m.social_district_id
      WHERE o.id = $1 AND p.tax_code IS NOT NULL AND p.first_name IS NOT NULL
        AND p.last_name IS NOT NULL AND p.deleted_at IS NULL
        AND p.birth_date <= current_date - interval '18 years' AND NOT p.under_guardianship
      ORDER BY md5(p.id::text) LIMIT 5000`,
    [organizationId],
  );
}

/** Needs and a service people with that need ask for (the demo generator's table). */
const NEED_SERVICES: readonly (readonly [string, string])[] = [
  ['ELD', 'A2.07'],
  ['POV', 'A1.04'],
  ['FAM', 'A2.02'],
  ['DIS', 'A1.10'],
  ['ADD', 'A1.15'],
  ['IMMNOM', 'A2.09'],
];
/** Health needs: a desk that masks health may neither see nor record them (issue 8, defect 4). */
const HEALTH_NEEDS = new Set(['DIS', 'ADD']);
const NEED_SERVICES_NO_HEALTH = NEED_SERVICES.filter(([need]) => !HEALTH_NEEDS.has(need));

function createInput(
  subject: Subject,
  seq: number,
  key: string,
  masksHealth = false,
): Record<string, unknown> {
  const pairs = masksHealth ? NEED_SERVICES_NO_HEALTH : NEED_SERVICES;
  const [need, service] = pairs[seq % pairs.length]!;
  return {
    occurredAt: new Date(Date.now() - (5 + (seq % 240)) * 60_000).toISOString(),
    channel: seq % 4 === 3 ? 'PHONE' : 'IN_PERSON',
    accessKind: 'CITIZEN',
    accessReason: 'SPONTANEOUS',
    subject: subject,
    consent: { status: 'GIVEN' },
    summary: key,
    social: { householdSize: 1 + (seq % 4), familyNotes: 'vive con il coniuge' },
    needs: [{ code: need }],
    services: [{ code: service, workingMinutes: 20 }],
  };
}

// ---- The run ---------------------------------------------------------------------------------

type CaseFigures = { c: SearchCase; http: Timing; inProcess: Timing; plan: string | null };

function searchRow(f: CaseFigures): BenchRow {
  const p95 = percentile(f.http.samples, 95);
  return {
    case: `search: ${f.c.label}`,
    n: f.http.samples.length,
    'items/page': round1(f.http.items / f.http.samples.length),
    'p50 ms': percentile(f.http.samples, 50),
    'p95 ms': p95,
    'p99 ms': percentile(f.http.samples, 99),
    'max ms': percentile(f.http.samples, 100),
    'in-process p50': percentile(f.inProcess.samples, 50),
    'in-process p95': percentile(f.inProcess.samples, 95),
    [`p95 < ${TARGET_P95_MS}`]: p95 < TARGET_P95_MS ? 'met' : 'NOT met',
  };
}

export async function run(): Promise<BenchResult> {
  const log = (line: string) => console.log(line);
  const workDir = await mkdtemp(join(tmpdir(), 'hub-bench-intake-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const notes: string[] = [];
  const store = await prepareIntakeStore(SPEC, { workDir, databaseUrl: DATABASE_URL, schema }, log);
  let server: ChildServer | null = null;
  try {
    const { facts } = store;
    notes.push(
      `store: ${store.origin}`,
      `data: ${count(facts.records)} intake records (${count(facts.baseRecords)} of ${SPEC.year} from the ` +
        `demo generator at ${SPEC.perThousand}/1,000 residents, copied back ${facts.copies} years with ` +
        `subjects moved within their zone), ${count(facts.needs)} needs, ${count(facts.services)} ` +
        `requested services, ${count(facts.persons)} persons`,
    );

    // 1. In process, before the gateway owns the store: operators, the filters, the service call.
    const config: DbConfig = store.config;
    let cases: CaseFigures[] = [];
    let usernames: string[] = [];
    let masksHealth: boolean[] = [];
    let subjects: Subject[] = [];
    const db = await openDb(config);
    try {
      const added = await addOperators(db);
      usernames = added.usernames;
      masksHealth = added.masksHealth;
      const [op] = await db.query<{ id: string }>('SELECT id FROM operator WHERE username = $1', [
        SEARCHER,
      ]);
      const actor = await loadOperatorActor(db, op!.id, { ip: '127.0.0.1', userAgent: 'bench' });
      if (!actor) fail('no actor for', SEARCHER);
      const [scope] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM intake_record WHERE organization_id = ANY($1::uuid[])',
        [actor.organizationIds],
      );
      notes.push(
        `searches as ${SEARCHER} (PUA, Zona sociale 2 – Perugia): ${count(scope!.n)} of the records are ` +
          `of its organisations; pages of ${PAGE}, newest first; ${SEARCHES} searches per case after ` +
          `${SEARCH_WARMUP} warm-up ones, one at a time, every page checked against its filter`,
      );
      const perugia = actor.memberships[0]!.organizationId;
      subjects = await perugiaResidents(db, perugia);
      const drawn = await searchCases(db, actor);
      const inProcess = new Map<SearchCase, Timing>();
      const plans = new Map<SearchCase, string>();
      for (const c of drawn) {
        const timing = await timeSearches(c, async (f) => {
          const page = await searchIntakeRecords(db, actor, { ...f, first: PAGE });
          return page.items as Item[];
        });
        inProcess.set(c, timing);
        log(
          `  in process: ${c.label}: p50 ${percentile(timing.samples, 50)} ms, ` +
            `p95 ${percentile(timing.samples, 95)} ms`,
        );
        // HTTP adds a few ms: the plans of the cases near the target are kept too.
        if (EXPLAIN || percentile(timing.samples, 95) >= 0.6 * TARGET_P95_MS) {
          plans.set(c, await explain(db, actor, timing.slowest!));
        }
      }
      cases = drawn.map((c) => ({
        c,
        inProcess: inProcess.get(c)!,
        http: { samples: [], items: 0, slowest: null },
        plan: plans.get(c) ?? null,
      }));
    } finally {
      await db.close();
    }

    // 2. The gateway in its own process, over the same store.
    server = await startChildServer('gateway.ts', {
      env: {
        BENCH_DATA_DIR: workDir,
        ...(DATABASE_URL ? { BENCH_DATABASE_URL: DATABASE_URL, BENCH_DB_SCHEMA: schema } : {}),
        AUTH_SECRET: randomBytes(32).toString('base64url'),
      },
    });
    const url = `${server.url}/graphql`;
    const login = async (username: string) => {
      const answer = await postGraphQL(url, LOGIN, { u: username, p: PASSWORD });
      const token = (answer.body.data?.login as { token?: string } | undefined)?.token;
      if (answer.status !== 200 || !token) fail(`login as ${username} failed`, answer);
      return token;
    };
    const searcher = await login(SEARCHER);
    for (const f of cases) {
      f.http = await timeSearches(f.c, async (filter) => {
        const answer = await postGraphQL(url, SEARCH, { filter, first: PAGE }, searcher);
        const page = answer.body.data?.intakeRecords as { items: Item[] } | undefined;
        if (answer.status !== 200 || answer.body.errors || !page)
          fail(`search ${JSON.stringify(filter)} failed`, answer);
        return page.items;
      });
      log(
        `  over HTTP: ${f.c.label}: p50 ${percentile(f.http.samples, 50)} ms, ` +
          `p95 ${percentile(f.http.samples, 95)} ms`,
      );
    }

    // 3. Twenty operators create records at once.
    const tokens = await Promise.all(usernames.map(login));
    const probe = await postGraphQL(
      url,
      CREATE,
      { input: createInput(subjects[0]!, 0, 'bench-probe ok') },
      tokens[0],
    );
    const probed = probe.body.data?.createIntakeRecord as Record<string, unknown> | undefined;
    if (
      probe.body.errors ||
      probed?.status !== 'OPEN' ||
      probed.consentStatus !== 'GIVEN' ||
      (probed.services as unknown[]).length !== 1
    )
      fail('the probe record is not created as sent', probe);
    // Every pair from a desk that may record health needs.
    const healthDesk = masksHealth.indexOf(false);
    if (healthDesk < 0) fail('every bench desk masks health', masksHealth);
    for (const [need, service] of NEED_SERVICES) {
      const input = {
        ...createInput(subjects[1]!, 0, 'bench-probe code'),
        needs: [{ code: need }],
        services: [{ code: service }],
      };
      const answer = await postGraphQL(url, CREATE, { input }, tokens[healthDesk]);
      if (answer.body.errors) fail(`need ${need} with service ${service} is refused`, answer);
    }
    const refused = await postGraphQL(
      url,
      CREATE,
      {
        input: {
          ...createInput(subjects[2]!, 0, 'bench-probe refused'),
          // Someone new at the desk (no consent on file) who does not consent.
          subject: { firstName: 'Ignota', lastName: 'Senzaconsenso' },
          consent: null,
        },
      },
      tokens[2],
    );
    if (refused.body.errors?.[0]?.extensions?.code !== 'CONSENT_REQUIRED')
      fail('a citizen’s record without consent is not refused with CONSENT_REQUIRED', refused);
    notes.push(
      `create: ${OPERATORS} front-desk operators (bench.sportello01…20, added at the 4 Perugia ` +
        'desks), one per autocannon connection, each logged in with its own token; one run of ' +
        `${WARMUP_SECONDS + SECONDS} s of which the first ${WARMUP_SECONDS} s are not counted ` +
        '(latency = request written → answer read, taken per request); CITIZEN records with consent GIVEN, one need, ' +
        `one requested service (no health need from a desk that masks health: ${masksHealth.filter(Boolean).length} ` +
        `of the ${masksHealth.length} operators), the subject an adult Perugia resident not under ` +
        `guardianship, by codice fiscale; checked first: a ` +
        `probe record, the ${NEED_SERVICES.length} need/service pairs, and CONSENT_REQUIRED without consent`,
    );

    const answered = new Map<string, string>(); // key → id of the record the answer carries
    let duplicateAnswers = 0;
    /** The refusals seen under load (status, code and message), with their counts. */
    const refusals = new Map<string, number>();
    const create = await writeLoad({
      url,
      tokens,
      warmupSeconds: WARMUP_SECONDS,
      durationSeconds: SECONDS,
      body: (connection, seq) =>
        JSON.stringify({
          query: CREATE,
          variables: {
            input: createInput(
              subjects[(connection * 7919 + seq) % subjects.length]!,
              seq,
              `bench-create c${connection} n${seq}`,
              masksHealth[connection % masksHealth.length],
            ),
          },
        }),
      onAnswer: (_connection, status, body) => {
        if (status !== 200 || body.includes('"errors"')) {
          let what = body.slice(0, 200);
          try {
            const e = (JSON.parse(body) as { errors?: GraphQLError[] }).errors?.[0];
            if (e) what = `${e.extensions?.code ?? '?'}: ${e.message}`;
          } catch {}
          const key = `${status} ${what}`;
          refusals.set(key, (refusals.get(key) ?? 0) + 1);
          return;
        }
        const rec = (
          JSON.parse(body) as { data: { createIntakeRecord: { id: string; summary: string } } }
        ).data.createIntakeRecord;
        if (answered.has(rec.summary)) duplicateAnswers++;
        answered.set(rec.summary, rec.id);
      },
    });
    await new Promise((done) => setTimeout(done, 1000));
    await server.stop();
    server = null;

    // 4. Every answered record is stored once; what was stored without an answer was in flight.
    const check = await openDb(config);
    try {
      const rows = await check.query<{
        id: string;
        summary: string;
        needs: number;
        services: number;
        consent: boolean;
      }>(
        `SELECT r.id, r.summary,
                (SELECT count(*)::int FROM intake_need n WHERE n.intake_id = r.id) AS needs,
                (SELECT count(*)::int FROM intake_service_request s WHERE s.intake_id = r.id) AS services,
                (r.consent_id IS NOT NULL) AS consent
           FROM intake_record r WHERE r.summary LIKE 'bench-create %'`,
      );
      const bySummary = new Map<string, string>();
      let duplicates = 0;
      for (const row of rows) {
        if (bySummary.has(row.summary)) duplicates++;
        bySummary.set(row.summary, row.id);
        if (row.needs !== 1 || row.services !== 1 || !row.consent)
          fail('a created record lacks its need, service or consent', row);
      }
      const missing = [...answered].filter(([key, id]) => bySummary.get(key) !== id);
      const unanswered = rows.length - answered.size;
      if (duplicates > 0 || duplicateAnswers > 0)
        fail('duplicate records', { duplicates, duplicateAnswers });
      if (missing.length > 0) fail('answered records not stored', missing.slice(0, 5));
      if (rows.length > create.sent + 1 + NEED_SERVICES.length)
        fail('more rows than requests sent', { rows: rows.length, sent: create.sent });
      if (unanswered < 0 || unanswered > OPERATORS)
        fail('stored records without an answer beyond those in flight', { unanswered });
      notes.push(
        `create check: ${count(rows.length)} new rows for ${count(answered.size)} successful answers ` +
          `(whole run); every answered id stored once with its summary, need, service and ` +
          `consent; no duplicates; ${unanswered} rows written for requests still in flight when ` +
          `autocannon stopped (their answers were not read); ${count(create.sent)} requests sent; ` +
          `${create.stalls} moments of more than 250 ms without any answer (longest ${count(create.longestSilenceMs)} ms)`,
      );
      if (create.errors || create.non2xx || create.graphqlErrors)
        fail('errors under load', { ...create, refusals: Object.fromEntries(refusals) });
    } finally {
      await check.close();
    }

    const slow = cases.filter((f) => f.plan);
    for (const f of slow) {
      notes.push(
        `EXPLAIN ANALYZE of the slowest in-process search "${f.c.label}" ${JSON.stringify(f.inProcess.slowest)}:\n${f.plan}`,
      );
    }
    const missed = cases.filter((f) => percentile(f.http.samples, 95) >= TARGET_P95_MS);
    notes.unshift(
      `search p95 target < ${TARGET_P95_MS} ms: ${
        missed.length === 0
          ? 'met by every case'
          : `NOT met by ${missed.map((f) => f.c.label).join('; ')}`
      } (${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}); in-process = the searchIntakeRecords service ` +
        'call alone (transaction, SQL, audit row), no HTTP or GraphQL',
    );
    return {
      title: `Intake records: create under ${OPERATORS} operators, search over ${count(facts.records)} records`,
      rows: [
        {
          case: `create (GraphQL, ${OPERATORS} operators)`,
          n: create.answers,
          'records/s': Math.round(create.requestsPerSecond),
          'p50 ms': create.p50Ms,
          'p99 ms': create.p99Ms,
          'max ms': create.maxMs,
          'longest silence ms': create.longestSilenceMs,
        },
        ...cases.map(searchRow),
      ],
      notes,
    };
  } finally {
    await server?.stop();
    await store.dispose();
  }
}
