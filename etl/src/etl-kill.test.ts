// A real kill -9 of the ETL: the load runs in a child process against a PostgreSQL server (the
// CI's, or TEST_DATABASE_URL; PGlite lives inside one process) and is SIGKILLed at named points
// of a full rebuild and of an incremental load (each phase, DuckDB's commit passed but not
// PostgreSQL's) and at timed moments. Each time the warehouse must hold exactly what it held
// before the run or what a complete run gives, and the next run must converge: the same rows as
// a full rebuild of the case store, no key twice, nothing missing.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, migrate, openDb } from '@hub/casework';
import { loadDemoRegion } from '@hub/casework/demo';
import { openWarehouse, ROLLUPS, STAR_TABLE_NAMES } from '@hub/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETL_LOCK_CLASS, runEtl } from './etl.ts';

const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const KEY = 'kill-test-pseudonym-key-0123456';
const CHILD = fileURLToPath(new URL('./testing/etl-child.ts', import.meta.url));
const schema = `t_kill_${randomBytes(5).toString('hex')}`;
let db: Db;
let dir: string;
let file: string;

beforeAll(async () => {
  db = await openDb({ kind: 'postgres', url: PG_URL, schema, max: 3 }).catch((err) => {
    throw new Error(
      `the kill -9 test needs a PostgreSQL server at ${PG_URL} (set TEST_DATABASE_URL): ${String(err)}`,
    );
  });
  await migrate(db);
  await loadDemoRegion(db, {
    password: 'x',
    persons: 300,
    batchSize: 300,
    intake: { recordsPerThousandResidents: 0.4 },
    cases: {},
    deliveries: { maxInterventions: 40 },
  });
  dir = await mkdtemp(join(tmpdir(), 'wh-kill-'));
  file = join(dir, 'warehouse.duckdb');
}, 400_000);
afterAll(async () => {
  await db?.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Outcome = { stopped: string | null; code: number | null; signal: string | null };

/** Runs the ETL in a child; kills it with SIGKILL at a checkpoint or after `afterMs`. */
function child(kind: 'FULL' | 'INCREMENTAL', stop: { at?: string; afterMs?: number }) {
  return new Promise<Outcome>((resolve, reject) => {
    const p: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, kind, PG_URL, schema, file, KEY],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...(stop.at ? { ETL_STOP_AT: stop.at } : {}) },
      },
    );
    let stopped: string | null = null;
    let err = '';
    p.stderr!.on('data', (d) => {
      err += d;
    });
    p.stdout!.on('data', (d: Buffer) => {
      const m = /stopped (\S+)/.exec(String(d));
      if (m) {
        stopped = m[1]!;
        p.kill('SIGKILL');
      }
    });
    const timer =
      stop.afterMs === undefined ? null : setTimeout(() => p.kill('SIGKILL'), stop.afterMs);
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code && code !== 0) reject(new Error(`ETL child failed (${code}): ${err}`));
      else resolve({ stopped, code, signal });
    });
  });
}

/** Everything the cubes read, build name aside. */
async function snapshot(path: string) {
  const w = await openWarehouse(path);
  try {
    const state = await w.loadState();
    if (!state) return null;
    const out: Record<string, unknown> = { lastChangeSeq: state.lastChangeSeq };
    for (const t of [...STAR_TABLE_NAMES, ...ROLLUPS.map((r) => r.table)])
      out[t] = await w.read(`SELECT * FROM main.${t} ORDER BY ALL`);
    // The protected cells (each one's cells in key order: a statement's groups come in any).
    out.sdc_cells = (
      await w.read('SELECT signature, scope, cells, unresolved FROM main.sdc_cells ORDER BY ALL')
    ).map((r) => ({
      ...r,
      cells: (JSON.parse(String(r.cells)) as unknown[]).map((c) => JSON.stringify(c)).sort(),
    }));
    return out;
  } finally {
    w.close();
  }
}

/** What a complete run gives now: a full rebuild of the case store in a file of its own. */
async function expected() {
  const path = join(dir, `expected-${randomBytes(3).toString('hex')}.duckdb`);
  const w = await openWarehouse(path);
  try {
    await runEtl({ db, warehouse: w, pseudonymKey: KEY, keepChangeLog: true }, 'FULL');
  } finally {
    w.close();
  }
  return snapshot(path);
}

const facts = (s: Record<string, unknown> | null) => {
  if (!s) return null;
  const { lastChangeSeq: _, sdc_cells: __, ...rest } = s;
  return rest;
};

/** The protected cells a snapshot holds: a subset of the current ones between a run's commits. */
const cells = (s: Record<string, unknown> | null) =>
  ((s?.sdc_cells ?? []) as unknown[]).map((x) => JSON.stringify(x));

async function noDuplicates() {
  const w = await openWarehouse(file);
  try {
    const [row] = await w.read(`SELECT
      (SELECT count(*) - count(DISTINCT record_key) FROM main.fact_intake) +
      (SELECT count(*) - count(DISTINCT case_key) FROM main.fact_case) +
      (SELECT count(*) - count(DISTINCT delivery_key) FROM main.fact_delivery) +
      (SELECT count(*) - count(DISTINCT delivery_key) FROM main.fact_siuss_duty) +
      (SELECT count(*) - count(DISTINCT care_plan_key) FROM main.fact_care_plan) +
      (SELECT count(*) - count(DISTINCT (case_key, step)) FROM main.fact_case_status) AS dup`);
    return Number(row!.dup);
  } finally {
    w.close();
  }
}

/** Some changes for a run to apply: deliveries corrected, persons moving, duties answered. */
async function change(i: number) {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE delivery SET amount = amount + $1 WHERE id IN (
         SELECT id FROM delivery WHERE status IN ('RECORDED', 'ACCEPTED') ORDER BY id OFFSET $2 LIMIT 5)`,
      [i + 0.5, i * 5],
    );
    // Two persons move: their intake records, case files and deliveries change zona sociale.
    await tx.query(
      `UPDATE person SET residence_municipality = (
         SELECT istat_code FROM municipality ORDER BY istat_code OFFSET $1 LIMIT 1)
        WHERE id IN (SELECT person_id FROM delivery ORDER BY person_id OFFSET $1 LIMIT 2)`,
      [i * 3],
    );
    await tx.query(
      `UPDATE siuss_duty SET state = 'ACCEPTED', accepted_at = now() WHERE delivery_id IN (
         SELECT delivery_id FROM siuss_duty WHERE state = 'SENT' ORDER BY 1 LIMIT 2)`,
    );
  });
}

async function killAndConverge(
  kind: 'FULL' | 'INCREMENTAL',
  stop: { at?: string; afterMs?: number },
) {
  const old = await snapshot(file);
  const before = facts(old);
  const complete = await expected();
  const after = facts(complete);
  const outcome = await child(kind, stop);
  if (stop.at) expect(outcome.stopped).toBe(stop.at);
  const killed = await snapshot(file);
  const now = facts(killed);
  // Either what was there or what a complete run gives, never something in between.
  const same = JSON.stringify(now);
  expect([JSON.stringify(before), JSON.stringify(after)]).toContain(same);
  // The cells are the facts' own: with the old facts the old cells; with the new ones, cells a
  // complete run has too, some perhaps missing (killed before they were computed), none stale.
  if (same === JSON.stringify(before) && same !== JSON.stringify(after))
    expect(cells(killed)).toEqual(cells(old));
  else {
    const current = new Set(cells(complete));
    for (const x of cells(killed)) expect(current.has(x)).toBe(true);
    // Killed between the two commits: the cells the change moved are gone, to be filled.
    if (stop.at === 'facts') expect(cells(killed).length).toBeLessThan(current.size);
  }
  // The next run converges (an incremental one: the change log is still there when PostgreSQL
  // did not commit) and marks the killed run as interrupted.
  const next = await child('INCREMENTAL', {});
  expect(next.signal).toBeNull();
  // Nothing changed in the case store since `after` was computed: the run must reach it.
  const converged = await snapshot(file);
  expect(facts(converged)).toEqual(after);
  // Every declared cell is back, as a complete run computes it.
  expect(cells(converged)).toEqual(cells(complete));
  expect(await noDuplicates()).toBe(0);
  const [run] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM etl_run WHERE status = 'RUNNING'`,
  );
  expect(run!.n).toBe(0);
  return outcome;
}

describe('kill -9 of the ETL', () => {
  it('should leave the first full rebuild undone or done, whatever phase it dies in', async () => {
    await killAndConverge('FULL', { at: 'loaded:fact_delivery' });
    const [failed] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM etl_run WHERE status = 'FAILED' AND error = 'interrupted'`,
    );
    expect(failed!.n).toBe(1);
  }, 400_000);

  for (const at of ['staged:fact_siuss_duty', 'swap', 'committed'])
    it(`should survive a full rebuild killed at ${at}`, async () => {
      await change(1);
      await killAndConverge('FULL', { at });
    }, 400_000);

  // 'facts': DuckDB committed the facts, not yet their protected cells (nor PostgreSQL).
  for (const [i, at] of ['applied:fact_delivery', 'facts', 'committed'].entries())
    it(`should survive an incremental load killed at ${at}`, async () => {
      await change(i + 2);
      await killAndConverge('INCREMENTAL', { at });
    }, 400_000);

  for (const [i, ms] of [1200].entries())
    it(`should survive a full rebuild killed after ${ms} ms`, async () => {
      await change(i + 6);
      await killAndConverge('FULL', { afterMs: ms });
    }, 400_000);
});

// The lock that keeps one runner across instances is the store's (its schema's), so it is tested
// here, where the store is on a server: on PGlite a second transaction cannot hold it meanwhile.
describe('one runner per store', () => {
  it("should skip a run while another holds this store's lock, and not while one holds another store's", async () => {
    const warehouse = await openWarehouse(join(dir, 'lock.duckdb'));
    try {
      const whileHeld = (store: string) =>
        db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [
            ETL_LOCK_CLASS,
            store,
          ]);
          return runEtl({ db, warehouse, pseudonymKey: KEY }, 'FULL');
        });
      expect((await whileHeld(schema)).status).toBe('SKIPPED');
      expect(await warehouse.loadState()).toBeNull();
      expect((await whileHeld(`${schema}_other`)).status).toBe('OK');
    } finally {
      warehouse.close();
    }
  }, 400_000);
});
