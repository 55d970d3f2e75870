// The two loads (issue 10): a full rebuild into a fresh DuckDB schema, swapped in atomically, and
// an incremental load driven by the change log (migration 020). Both run inside one PostgreSQL
// transaction at REPEATABLE READ, which gives them one consistent snapshot of the case store and
// holds the advisory lock that keeps a single runner across instances; the change-log lines a
// run applied are deleted in that same transaction after DuckDB committed. A run killed at any
// point therefore leaves DuckDB before or after (its commit is atomic) and the lines still there
// when PostgreSQL did not commit: the next run applies them again, which is harmless, since
// applying a line means deriving the entity's rows again from the current state. The protected
// cells an incremental run moved are computed after both commits, outside the lock (see
// fillCells): a run killed there leaves cells missing, never stale, and the next run fills them.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db, Queryable } from '@hub/casework';
import {
  type CubeReader,
  createTableSql,
  cubeReadersOf,
  FACT_KEYS,
  type FactTable,
  fillProtectedCells,
  ident,
  invalidateProtectedCells,
  ROLLUPS,
  refreshProtectedCells,
  rollupPartitionRefresh,
  rollupRefreshSql,
  rollupViewSql,
  STAR_TABLE_NAMES,
  STAR_TABLES,
  type StarTable,
  VIEWER_ORGANIZATIONS_SQL,
  type Warehouse,
} from '@hub/warehouse';
import { uuidArrayLiteral } from './copy.ts';
import { caseFactSql, DIMENSION_SQL, factSelects, intakeFactSql, withoutOrder } from './extract.ts';
import {
  carePlanFactSql,
  caseStatusFactSql,
  deliveryFactSql,
  siussDutyFactSql,
} from './extract-deliveries.ts';
import { evaluateKpiAlerts } from './kpi-alerts.ts';
import {
  createPseudonymizer,
  createPseudonymText,
  type Pseudonymizer,
  type PseudonymText,
} from './pseudonym.ts';
import { copyInto, createStage, factRewriter, type Stage, type StagedFile } from './stage.ts';

/**
 * The hub's ETL lock: one runner across every instance sharing a store. The store is a schema,
 * so the lock is the pair (this class, the schema's hash): two stores in one database (the test
 * suites', or a region's and a district's) do not stop each other's runs.
 */
export const ETL_LOCK_CLASS = 0x68756265; // "hube"

export type EtlKind = 'FULL' | 'INCREMENTAL';
export type EtlPhase =
  | 'dimensions'
  | 'intake'
  | 'cases'
  | 'caseSteps'
  | 'carePlans'
  | 'deliveries'
  | 'siuss'
  | 'load'
  | 'rollups'
  | 'protection'
  | 'swap';
export type EtlProgress = { phase: EtlPhase; done: number; total: number };

export type EtlDeps = {
  db: Db;
  warehouse: Warehouse;
  pseudonymKey: string;
  /** Rows per COPY slice on PGlite (a server streams each table in one COPY). */
  pageSize?: number | undefined;
  /** Change-log lines applied per incremental run at most. */
  batchSize?: number | undefined;
  onProgress?: ((p: EtlProgress) => void) | undefined;
  /**
   * Build a copy without consuming the change log (a second warehouse, a comparison): the log
   * belongs to the hub's warehouse, which still has to apply it.
   */
  keepChangeLog?: boolean | undefined;
  /** Test hook: called between phases (a test throws or exits there to simulate a crash). */
  checkpoint?: ((phase: string) => void | Promise<void>) | undefined;
};

export type EtlResult = {
  kind: EtlKind;
  status: 'OK' | 'SKIPPED';
  rowsLoaded: number;
  changesApplied: number;
  lastChangeSeq: number | null;
  build: string | null;
  /**
   * The protected cells' fill stopped early for a change waiting in the log: the scheduler runs
   * again at once, and the next run applies the change and computes the rest.
   */
  cellsDeferred?: boolean;
};

/** An incremental load's result, with the readers whose cells it leaves to fill after commit. */
type Loaded = EtlResult & { fill?: CubeReader[] };

type Change = { seq: number; at: Date | string; entity: string; entity_id: string | null };

/**
 * The entities whose facts a batch of change-log lines touches. A person's change (age, sex,
 * residence, erasure) reaches every fact about them; an intervention's, its deliveries and their
 * duties; a case file's, its care plans and the deliveries of its interventions (target area).
 */
async function affectedEntities(tx: Queryable, changes: Change[]) {
  const ids: Record<Entity, Set<string>> = {
    intake: new Set(),
    case: new Set(),
    care_plan: new Set(),
    delivery: new Set(),
  };
  const persons: string[] = [];
  const interventions: string[] = [];
  for (const ch of changes) {
    if (!ch.entity_id) continue;
    if (ch.entity === 'person') persons.push(ch.entity_id);
    else if (ch.entity === 'intervention') interventions.push(ch.entity_id);
    else if (ch.entity in ids) ids[ch.entity as Entity].add(ch.entity_id);
  }
  const add = async (entity: Entity, sql: string, list: string[]) => {
    if (list.length === 0) return;
    for (const r of await tx.query<{ id: string }>(sql, [list])) ids[entity].add(r.id);
  };
  await add(
    'intake',
    'SELECT id::text FROM intake_record WHERE subject_person_id = ANY($1::uuid[])',
    persons,
  );
  await add('case', 'SELECT id::text FROM case_file WHERE person_id = ANY($1::uuid[])', persons);
  await add('delivery', 'SELECT id::text FROM delivery WHERE person_id = ANY($1::uuid[])', persons);
  await add(
    'delivery',
    'SELECT id::text FROM delivery WHERE intervention_id = ANY($1::uuid[])',
    interventions,
  );
  await add(
    'delivery',
    `SELECT dl.id::text FROM delivery dl JOIN intervention i ON i.id = dl.intervention_id
      WHERE i.case_file_id = ANY($1::uuid[])`,
    [...ids.case],
  );
  await add('care_plan', 'SELECT id::text FROM care_plan WHERE case_file_id = ANY($1::uuid[])', [
    ...ids.case,
  ]);
  return ids;
}

/** The entities of the change log whose facts the ETL derives (persons fan out to them). */
type Entity = 'intake' | 'case' | 'care_plan' | 'delivery';

type FactSpec = {
  table: FactTable;
  /** The entity whose id keys the rows (and whose pseudonym is the key column). */
  entity: Entity;
  /** The uuid column of that id in the extraction query. */
  id: string;
  sqlOf: (where: string) => string;
  count: string;
  phase: EtlPhase;
};

const FACTS: FactSpec[] = [
  {
    table: 'fact_intake',
    entity: 'intake',
    id: 'r.id',
    sqlOf: intakeFactSql,
    count: 'SELECT count(*)::int AS n FROM intake_record WHERE deleted_at IS NULL',
    phase: 'intake',
  },
  {
    table: 'fact_case',
    entity: 'case',
    id: 'f.id',
    sqlOf: caseFactSql,
    count: 'SELECT count(*)::int AS n FROM case_file',
    phase: 'cases',
  },
  {
    table: 'fact_case_status',
    entity: 'case',
    id: 'h.case_file_id',
    sqlOf: caseStatusFactSql,
    count: 'SELECT count(*)::int AS n FROM case_status_history',
    phase: 'caseSteps',
  },
  {
    table: 'fact_care_plan',
    entity: 'care_plan',
    id: 'cp.id',
    sqlOf: carePlanFactSql,
    count: 'SELECT count(*)::int AS n FROM care_plan',
    phase: 'carePlans',
  },
  {
    table: 'fact_delivery',
    entity: 'delivery',
    id: 'dl.id',
    sqlOf: deliveryFactSql,
    count: 'SELECT count(*)::int AS n FROM delivery',
    phase: 'deliveries',
  },
  {
    table: 'fact_siuss_duty',
    entity: 'delivery',
    id: 'sd.delivery_id',
    sqlOf: siussDutyFactSql,
    count: 'SELECT count(*)::int AS n FROM siuss_duty',
    phase: 'siuss',
  },
];

function readCsvSql(path: string, table: StarTable): string {
  const columns = STAR_TABLES[table].map(([n, t]) => `'${n}': '${t}'`).join(', ');
  // The path is ours (a temporary folder), quoted for SQL all the same.
  return `SELECT * FROM read_csv('${path.replace(/'/g, "''")}', header = false, delim = ',',
    quote = '"', escape = '"', nullstr = '', auto_detect = false, columns = {${columns}})`;
}

async function stageDimensions(q: Queryable, stage: Stage) {
  const files = new Map<StarTable, StagedFile>();
  for (const [table, sql] of Object.entries(DIMENSION_SQL) as [StarTable, string][]) {
    const file = stage.file(table);
    await copyInto(q, file, [withoutOrder(sql)], null);
    await file.close();
    files.set(table, file);
  }
  return files;
}

/** A fact's records with their pseudonyms (a case file's steps repeat its key). */
function factRewrite(fact: FactSpec, pseudonyms: PseudonymText) {
  const key =
    fact.table === 'fact_case_status'
      ? pseudonyms.repeats(fact.entity)
      : (id: string) => pseudonyms.record(fact.entity, id);
  return factRewriter(key, pseudonyms.person);
}

/** Starts a REPEATABLE READ transaction holding the ETL lock; null when another runner holds it. */
async function locked<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T | null> {
  return db.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [row] = await tx.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1::int, hashtext(current_schema())) AS ok',
      [ETL_LOCK_CLASS],
    );
    if (!row?.ok) return null;
    return fn(tx);
  });
}

async function transaction<T>(c: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await c.run('BEGIN TRANSACTION');
  try {
    const result = await fn();
    await c.run('COMMIT');
    return result;
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function dropStaleBuilds(c: DuckDBConnection, keep: string | null) {
  const schemas = await c.runAndReadAll(
    "SELECT schema_name FROM duckdb_schemas() WHERE schema_name LIKE 'b%' AND NOT internal",
  );
  for (const [name] of schemas.getRowsJson() as [string][]) {
    if (name !== keep && /^b\d+$/.test(name)) await c.run(`DROP SCHEMA ${ident(name)} CASCADE`);
  }
}

async function fullLoad(
  deps: EtlDeps,
  tx: Queryable,
  _pseudonym: Pseudonymizer,
): Promise<EtlResult> {
  const progress = deps.onProgress ?? (() => undefined);
  const checkpoint = deps.checkpoint ?? (() => undefined);
  const pageSize = deps.pageSize ?? 100_000;
  const pseudonyms = createPseudonymText(deps.pseudonymKey);
  const [log] = await tx.query<{ seq: number | null; at: string | null }>(
    'SELECT max(seq)::bigint AS seq, max(at)::text AS at FROM warehouse_change',
  );
  const stage = await createStage();
  try {
    progress({ phase: 'dimensions', done: 0, total: 1 });
    const files = await stageDimensions(tx, stage);
    progress({ phase: 'dimensions', done: 1, total: 1 });
    for (const fact of FACTS) {
      const [count] = await tx.query<{ n: number }>(fact.count);
      const total = count?.n ?? 0;
      const file = stage.file(fact.table);
      const slices =
        tx.driver?.kind === 'postgres'
          ? 1
          : Math.min(1024, Math.max(1, Math.ceil(total / pageSize)));
      await copyInto(
        tx,
        file,
        factSelects(fact.sqlOf, slices, fact.id),
        factRewrite(fact, pseudonyms),
        (done) => progress({ phase: fact.phase, done, total }),
      );
      await file.close();
      files.set(fact.table, file);
      await checkpoint(`staged:${fact.table}`);
    }
    const build = `b${Date.now()}`;
    const c = await deps.warehouse.connect();
    let rows = 0;
    try {
      await transaction(c, async () => {
        await c.run(`CREATE SCHEMA ${build}`);
        let done = 0;
        for (const table of STAR_TABLE_NAMES) {
          await c.run(createTableSql(build, table));
          const file = files.get(table);
          if (file) await c.run(`INSERT INTO ${build}.${table} ${readCsvSql(file.path, table)}`);
          rows += file?.rows ?? 0;
          progress({ phase: 'load', done: ++done, total: STAR_TABLE_NAMES.length });
          await checkpoint(`loaded:${table}`);
        }
        progress({ phase: 'rollups', done: 0, total: 1 });
        for (const sql of rollupRefreshSql(build, null)) await c.run(sql);
        progress({ phase: 'rollups', done: 1, total: 1 });
        await checkpoint('rollups');
        for (const table of STAR_TABLE_NAMES)
          await c.run(`CREATE OR REPLACE VIEW main.${table} AS SELECT * FROM ${build}.${table}`);
        for (const sql of rollupViewSql(build)) await c.run(sql);
        // Disclosure control of the cruscotti's shapes, in the transaction that swaps the build.
        progress({ phase: 'protection', done: 0, total: 1 });
        const readers = cubeReadersOf(await tx.query(VIEWER_ORGANIZATIONS_SQL));
        await refreshProtectedCells(c, null, { readers });
        await c.run('DELETE FROM main.load_state');
        await c.run(`INSERT INTO main.load_state VALUES ($1, now(), now(), $2, $3::TIMESTAMPTZ)`, [
          build,
          log?.seq ?? 0,
          log?.at ?? null,
        ]);
        await checkpoint('swap');
      });
      progress({ phase: 'swap', done: 1, total: 1 });
      await dropStaleBuilds(c, build);
    } finally {
      c.closeSync();
    }
    await checkpoint('committed');
    // Every line visible in this snapshot is reflected in the build; later ones stay.
    const deleted = deps.keepChangeLog
      ? [{ n: 0 }]
      : await tx.query<{ n: number }>(
          'WITH d AS (DELETE FROM warehouse_change RETURNING 1) SELECT count(*)::int AS n FROM d',
        );
    return {
      kind: 'FULL',
      status: 'OK',
      rowsLoaded: rows,
      changesApplied: deleted[0]?.n ?? 0,
      lastChangeSeq: log?.seq ?? null,
      build,
    };
  } finally {
    await stage.remove();
  }
}

async function incrementalLoad(
  deps: EtlDeps,
  tx: Queryable,
  pseudonym: Pseudonymizer,
  build: string,
  loadedAt: Date,
): Promise<Loaded | 'FULL'> {
  const checkpoint = deps.checkpoint ?? (() => undefined);
  const changes = await tx.query<Change>(
    'SELECT seq::bigint AS seq, at, entity, entity_id::text FROM warehouse_change ORDER BY seq LIMIT $1',
    [deps.batchSize ?? 20_000],
  );
  // Duties fall overdue by the calendar alone: the first run of a new day flips them.
  const today = romeDay(new Date());
  if (changes.length === 0 && romeDay(loadedAt) === today) {
    // Nothing changed, but a run killed after its facts' commit, a deferred fill or a new reader
    // may have left declared cells missing: runEtl computes them after this transaction.
    return {
      fill: cubeReadersOf(await tx.query(VIEWER_ORGANIZATIONS_SQL)),
      kind: 'INCREMENTAL',
      status: 'OK',
      rowsLoaded: 0,
      changesApplied: 0,
      lastChangeSeq: null,
      build,
    };
  }
  if (changes.some((ch) => ch.entity === 'dimension')) return 'FULL';
  // A build from before a table or rollup existed (an upgrade) is rebuilt whole.
  const tables = await deps.warehouse.read(
    'SELECT table_name FROM duckdb_tables() WHERE schema_name = $1',
    [build],
  );
  const have = new Set(tables.map((t) => String(t.table_name)));
  if (![...STAR_TABLE_NAMES, ...ROLLUPS.map((r) => r.table)].every((t) => have.has(t)))
    return 'FULL';
  const ids = await affectedEntities(tx, changes);
  const pseudonyms = createPseudonymText(deps.pseudonymKey);
  const stage = await createStage();
  try {
    const staged: { table: FactTable; keys: StagedFile; rows: StagedFile }[] = [];
    for (const fact of FACTS) {
      const list = [...ids[fact.entity]];
      if (list.length === 0) continue;
      const keys = stage.file(`${fact.table}-keys`);
      await keys.write(list.map((id) => String(pseudonym(fact.entity, id))));
      await keys.close();
      const rows = stage.file(fact.table);
      const select = withoutOrder(fact.sqlOf(`${fact.id} = ANY(${uuidArrayLiteral(list)})`));
      await copyInto(tx, rows, [select], factRewrite(fact, pseudonyms));
      await rows.close();
      staged.push({ table: fact.table, keys, rows });
    }
    const last = changes[changes.length - 1];
    const c = await deps.warehouse.connect();
    let loaded = 0;
    try {
      await transaction(c, async () => {
        for (const s of staged) {
          const key = FACT_KEYS[s.table];
          const keys = `(SELECT k FROM read_csv('${s.keys.path}', header = false, auto_detect = false, columns = {'k': 'BIGINT'}))`;
          const refresh = rollupPartitionRefresh(build, s.table, `{CUBE}.${key} IN ${keys}`);
          for (const sql of refresh.before) await c.run(sql);
          await c.run(`DELETE FROM ${build}.${s.table} WHERE ${key} IN ${keys}`);
          await c.run(`INSERT INTO ${build}.${s.table} ${readCsvSql(s.rows.path, s.table)}`);
          for (const sql of refresh.after) await c.run(sql);
          loaded += s.rows.rows;
          await checkpoint(`applied:${s.table}`);
        }
        const flipped = await flipOverdue(c, build, today);
        loaded += flipped;
        // The protected cells the change moves go in the same transaction as the facts (never
        // new facts with old cells); they are computed again after the commit, below.
        const changed = staged.map((s) => s.table);
        await invalidateProtectedCells(c, flipped > 0 ? [...changed, 'fact_siuss_duty'] : changed);
        if (last)
          await c.run(
            'UPDATE main.load_state SET loaded_at = now(), last_change_seq = greatest(last_change_seq, $1), last_change_at = $2::TIMESTAMPTZ',
            [Number(last.seq), new Date(last.at).toISOString()],
          );
        else await c.run('UPDATE main.load_state SET loaded_at = now()');
      });
      await checkpoint('facts');
    } finally {
      c.closeSync();
    }
    await checkpoint('committed');
    await tx.query('DELETE FROM warehouse_change WHERE seq = ANY($1::bigint[])', [
      changes.map((ch) => ch.seq),
    ]);
    return {
      // The cells deleted above, and any other missing (a run killed here left some), are
      // computed after this transaction commits: neither the case store's writers (on PGlite
      // they queue behind it) nor the next change wait for them.
      fill: cubeReadersOf(await tx.query(VIEWER_ORGANIZATIONS_SQL)),
      kind: 'INCREMENTAL',
      status: 'OK',
      rowsLoaded: loaded,
      changesApplied: changes.length,
      lastChangeSeq: last ? Number(last.seq) : null,
      build,
    };
  } finally {
    await stage.remove();
  }
}

/**
 * The declared protected cells `main.sdc_cells` lacks, computed in a DuckDB transaction of their
 * own after the run's PostgreSQL transaction committed. The fill stops (keeping what it computed)
 * as soon as a change newer than `afterSeq` waits in the log, so that a burst of changes is not
 * held behind it; a run that keeps the log (a comparison build) never sees it empty, so it never
 * stops early. No other run writes this warehouse's facts meanwhile: runEtl runs one at a time
 * per warehouse (and DuckDB lets one process at a time open the file).
 */
async function fillCells(deps: EtlDeps, readers: CubeReader[], afterSeq: number | null) {
  let askedAt = 0;
  let waiting = false;
  const shouldYield = async () => {
    if (deps.keepChangeLog || waiting) return waiting;
    // At most one look at the log every 100 ms: a cell table takes a few ms to a few hundred.
    if (performance.now() - askedAt < 100) return false;
    askedAt = performance.now();
    const [row] = await deps.db.query<{ waiting: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM warehouse_change WHERE seq > $1) AS waiting',
      [afterSeq ?? 0],
    );
    waiting = row?.waiting === true;
    return waiting;
  };
  const c = await deps.warehouse.connect();
  try {
    return await transaction(c, () => fillProtectedCells(c, { readers, shouldYield }));
  } finally {
    c.closeSync();
  }
}

const romeDay = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(d);

/** Marks the pending duties whose deadline passed since the last load overdue, rollups included. */
async function flipOverdue(c: DuckDBConnection, build: string, today: string): Promise<number> {
  const due = `pending AND NOT overdue AND due_on < DATE '${today.replace(/[^0-9-]/g, '')}'`;
  const [row] = (
    await c.runAndReadAll(`SELECT count(*)::INTEGER FROM ${build}.fact_siuss_duty WHERE ${due}`)
  ).getRowsJson() as [number][];
  const n = Number(row?.[0] ?? 0);
  if (n === 0) return 0;
  const refresh = rollupPartitionRefresh(
    build,
    'fact_siuss_duty',
    due.replace(/(pending|overdue|due_on)/g, '{CUBE}.$1'),
  );
  for (const sql of refresh.before) await c.run(sql);
  await c.run(`UPDATE ${build}.fact_siuss_duty SET overdue = true WHERE ${due}`);
  for (const sql of refresh.after) await c.run(sql);
  return n;
}

const runs = new WeakMap<Warehouse, Promise<unknown>>();

/**
 * One ETL run, recorded in `etl_run`. INCREMENTAL becomes FULL when the warehouse has no build
 * yet or a dimension changed. SKIPPED when another runner (another instance) holds the lock.
 * Runs on one warehouse in this process go one after the other, each waiting outside any
 * transaction: the protected cells' fill, after the lock's transaction, must not overlap the next
 * run's facts, and on PGlite a run waiting inside its transaction would hold up the fill's look at
 * the change log.
 */
export function runEtl(deps: EtlDeps, kind: EtlKind): Promise<EtlResult> {
  const previous = runs.get(deps.warehouse) ?? Promise.resolve();
  const run = previous.then(() => runOnce(deps, kind));
  runs.set(
    deps.warehouse,
    run.catch(() => undefined),
  );
  return run;
}

async function runOnce(deps: EtlDeps, kind: EtlKind): Promise<EtlResult> {
  const pseudonym = createPseudonymizer(deps.pseudonymKey);
  const state = await deps.warehouse.loadState();
  let actual: EtlKind = kind === 'INCREMENTAL' && !state ? 'FULL' : kind;
  const [run] = await deps.db.query<{ id: number }>(
    'INSERT INTO etl_run (kind) VALUES ($1) RETURNING id',
    [actual],
  );
  const runId = run!.id;
  try {
    let result = await locked(deps.db, async (tx): Promise<Loaded> => {
      // A run still RUNNING while this one holds the lock was killed: say so.
      await tx.query(
        "UPDATE etl_run SET status = 'FAILED', ended_at = now(), error = 'interrupted' WHERE status = 'RUNNING' AND id <> $1",
        [runId],
      );
      let r: Loaded | 'FULL' = 'FULL';
      if (actual === 'INCREMENTAL')
        r = await incrementalLoad(deps, tx, pseudonym, state!.build, state!.loadedAt);
      if (r === 'FULL') {
        actual = 'FULL';
        r = await fullLoad(deps, tx, pseudonym);
      }
      // The alerts follow every load that changed something, in the same transaction.
      if (r.changesApplied > 0 || r.rowsLoaded > 0 || r.kind === 'FULL')
        await evaluateKpiAlerts(tx, deps.warehouse);
      return r;
    });
    if (!result) {
      await deps.db.query('DELETE FROM etl_run WHERE id = $1', [runId]);
      return {
        kind: actual,
        status: 'SKIPPED',
        rowsLoaded: 0,
        changesApplied: 0,
        lastChangeSeq: null,
        build: null,
      };
    }
    let cellsError: string | null = null;
    if (result.fill) {
      const { fill, ...rest } = result;
      // The facts and the log are committed: a fill that fails (an overlapping writer's
      // conflict) leaves cells missing, which queries answer live and the next run computes.
      const filled = await fillCells(deps, fill, result.lastChangeSeq).catch((err: unknown) => {
        cellsError = `protected cells deferred: ${err instanceof Error ? err.message : String(err)}`;
        return { yielded: true };
      });
      result = filled.yielded ? { ...rest, cellsDeferred: true } : rest;
    }
    if (result.kind === 'INCREMENTAL' && result.changesApplied === 0) {
      // Nothing to do every few seconds is not worth a line of history.
      await deps.db.query('DELETE FROM etl_run WHERE id = $1', [runId]);
    } else {
      await deps.db.query(
        `UPDATE etl_run SET kind = $2, status = 'OK', ended_at = now(), rows_loaded = $3,
           changes_applied = $4, last_change_seq = $5, error = $6 WHERE id = $1`,
        [
          runId,
          result.kind,
          result.rowsLoaded,
          result.changesApplied,
          result.lastChangeSeq,
          cellsError,
        ],
      );
    }
    return result;
  } catch (err) {
    const message = `[${actual === 'FULL' ? 'FullRebuild' : 'IncrementalLoad'}] ${err instanceof Error ? err.message : String(err)}`;
    await deps.db
      .query("UPDATE etl_run SET status = 'FAILED', ended_at = now(), error = $2 WHERE id = $1", [
        runId,
        message.slice(0, 2000),
      ])
      .catch(() => undefined);
    throw new Error(message, { cause: err });
  }
}

export type EtlRun = {
  id: number;
  kind: EtlKind;
  status: 'RUNNING' | 'OK' | 'FAILED' | 'SKIPPED';
  startedAt: Date;
  endedAt: Date | null;
  rowsLoaded: number;
  changesApplied: number;
  lastChangeSeq: number | null;
  error: string | null;
};

/** The latest runs, newest first. */
export async function listEtlRuns(q: Queryable, limit = 50): Promise<EtlRun[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT id, kind, status, started_at, ended_at, rows_loaded, changes_applied, last_change_seq, error
       FROM etl_run ORDER BY started_at DESC, id DESC LIMIT $1`,
    [Math.min(Math.max(limit, 1), 500)],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind as EtlKind,
    status: r.status as EtlRun['status'],
    startedAt: new Date(r.started_at as string),
    endedAt: r.ended_at ? new Date(r.ended_at as string) : null,
    rowsLoaded: Number(r.rows_loaded),
    changesApplied: Number(r.changes_applied),
    lastChangeSeq: r.last_change_seq === null ? null : Number(r.last_change_seq),
    error: (r.error as string | null) ?? null,
  }));
}
