import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@hub/casework';
import { loadDemoRegion } from '@hub/casework/demo';
import { createTestDb } from '@hub/casework/testing';
import {
  CUBES,
  type CubeLoadResponse,
  createCubeEngine,
  openWarehouse,
  ROLLUPS,
  type Scope,
  shapeQuery,
  type Warehouse,
} from '@hub/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEtlRuns, runEtl } from './etl.ts';
import { listKpiAlerts } from './kpi-alerts.ts';
import { scheduleEtl } from './schedule.ts';

const KEY = 'incremental-test-pseudonym-key';
let db: Db;
let dir: string;
let wh: Warehouse;

beforeAll(async () => {
  db = await createTestDb();
  await loadDemoRegion(db, {
    password: 'x',
    persons: 300,
    batchSize: 300,
    intake: { recordsPerThousandResidents: 0.4 },
    cases: {},
  });
  dir = await mkdtemp(join(tmpdir(), 'wh-inc-'));
  wh = await openWarehouse(join(dir, 'incremental.duckdb'));
  await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'FULL');
}, 180_000);
afterAll(async () => {
  wh.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Everything the cubes read, in a stable order: facts and rollups. */
async function snapshot(w: Warehouse) {
  const out: Record<string, unknown[]> = {};
  for (const t of ['fact_intake', 'fact_case', ...ROLLUPS.map((r) => r.table)])
    out[t] = await w.read(`SELECT * FROM main.${t} ORDER BY ALL`);
  // The precomputed protected cells too: an incremental run recomputes only the scopes a change
  // can move, and must leave the same cells as a full rebuild.
  // (Cells in key order: DuckDB returns a statement's groups in any order.)
  out.sdc_cells = (
    await w.read(
      'SELECT signature, cube, shape, scope, cells, unresolved FROM main.sdc_cells ORDER BY ALL',
    )
  ).map((r) => ({
    ...r,
    cells: (JSON.parse(String(r.cells)) as unknown[][]).map((c) => JSON.stringify(c)).sort(),
  }));
  return out;
}

async function freshFull(): Promise<Record<string, unknown[]>> {
  const other = await openFull();
  try {
    return await snapshot(other);
  } finally {
    other.close();
  }
}

/** A full rebuild of the case store as it is, in a warehouse of its own (the caller closes it). */
async function openFull(): Promise<Warehouse> {
  const other = await openWarehouse(join(dir, `full-${Date.now()}.duckdb`));
  await runEtl({ db, warehouse: other, pseudonymKey: KEY, keepChangeLog: true }, 'FULL');
  return other;
}

type CellRow = { cube: string; shape: string; scope: string };

/** A stored cell's shape and scope as a query and a protected viewer. */
function shapeOf(row: CellRow) {
  const cube = CUBES.find((c) => c.name === row.cube)!;
  const query = { ...shapeQuery(cube, cube.protected_shapes![row.shape]!), filters: [] };
  return { query, viewer: { scope: JSON.parse(row.scope) as Scope, protected: true } };
}

/** What a protected answer says, without where it came from. */
const answer = (r: CubeLoadResponse) =>
  r.results.map((x) => ({ data: x.data, disclosure: x.disclosure }));

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

/** A random mix of what the case store sees: new records, edits, deletions, erasures. */
async function randomChanges(rounds: number) {
  for (let i = 0; i < rounds; i++) {
    const r = random();
    if (r < 0.25) {
      await db.query(
        `INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel,
           access_kind, legal_basis, interlocutor_kind, subject_person_id, status)
         SELECT organization_id, office_id, contact_point_id, occurred_at - interval '3 days', 'PHONE',
           access_kind, legal_basis, interlocutor_kind, subject_person_id, 'OPEN'
           FROM intake_record WHERE deleted_at IS NULL AND access_kind IN ('CITIZEN', 'ANONYMOUS')
           ORDER BY id OFFSET $1 LIMIT 3`,
        [Math.floor(random() * 50)],
      );
    } else if (r < 0.45) {
      await db.query(
        `UPDATE intake_record SET channel = 'EMAIL', occurred_at = occurred_at + interval '40 days'
          WHERE id IN (SELECT id FROM intake_record WHERE deleted_at IS NULL AND access_kind = 'CITIZEN'
                        ORDER BY id OFFSET $1 LIMIT 2)`,
        [Math.floor(random() * 80)],
      );
    } else if (r < 0.6) {
      await db.query(
        `UPDATE intake_record SET deleted_at = now()
          WHERE id IN (SELECT id FROM intake_record WHERE deleted_at IS NULL ORDER BY id OFFSET $1 LIMIT 1)`,
        [Math.floor(random() * 80)],
      );
    } else if (r < 0.7) {
      // Rule 2's erasure, as the consent service writes it: needs and social data go.
      await db.query(
        `WITH r AS (SELECT id FROM intake_record WHERE deleted_at IS NULL AND subject_person_id IS NOT NULL
                      ORDER BY id OFFSET $1 LIMIT 2)
         DELETE FROM intake_need WHERE intake_id IN (SELECT id FROM r)`,
        [Math.floor(random() * 60)],
      );
    } else if (r < 0.8) {
      await db.query(
        `UPDATE person SET residence_municipality = (SELECT istat_code FROM municipality ORDER BY istat_code OFFSET $2 LIMIT 1),
                birth_date = birth_date - interval '20 years'
          WHERE id IN (SELECT subject_person_id FROM intake_record WHERE subject_person_id IS NOT NULL ORDER BY id OFFSET $1 LIMIT 1)`,
        [Math.floor(random() * 60), Math.floor(random() * 20)],
      );
    } else if (r < 0.9) {
      await db.query(
        `UPDATE case_file SET status = 'CLOSED', closed_on = opened_on + 30, status_changed_at = now()
          WHERE id IN (SELECT id FROM case_file WHERE status <> 'CLOSED' ORDER BY id OFFSET $1 LIMIT 1)`,
        [Math.floor(random() * 10)],
      );
    } else {
      await db.query(
        `UPDATE case_file SET target_area_code = 'POV'
          WHERE id IN (SELECT id FROM case_file ORDER BY id OFFSET $1 LIMIT 2)`,
        [Math.floor(random() * 10)],
      );
    }
  }
}

describe('incremental load', () => {
  it('should equal a full rebuild after random inserts, updates, deletions and erasures', async () => {
    for (let round = 0; round < 3; round++) {
      await randomChanges(12);
      const before = await wh.loadState();
      const result = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
      expect(result.kind).toBe('INCREMENTAL');
      expect(result.changesApplied).toBeGreaterThan(0);
      expect((await wh.loadState())!.lastChangeSeq).toBeGreaterThan(before!.lastChangeSeq);
      expect(await snapshot(wh)).toEqual(await freshFull());
      // Served from the cells as the live path computes them, for a sample of shapes and scopes.
      const fast = createCubeEngine(wh);
      const live = createCubeEngine(wh, { precomputed: false });
      const rows = (await wh.read(
        'SELECT cube, shape, scope FROM main.sdc_cells ORDER BY signature LIMIT 8',
      )) as CellRow[];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const { query, viewer } = shapeOf(row);
        const a = await fast.load(query, viewer);
        expect(a.results[0]!.provenance.protectedCells).toBe('precomputed');
        expect(answer(a)).toEqual(answer(await live.load(query, viewer)));
      }
    }
    const [left] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM warehouse_change');
    expect(left!.n).toBe(0);
  });

  it('should converge after runs that die at any point, leaving the warehouse before or after', async () => {
    const phases = [
      'applied:fact_intake',
      'applied:fact_case',
      'committed',
      'staged:fact_intake',
      'loaded:fact_case',
      'rollups',
      'swap',
    ];
    for (const phase of phases) {
      await randomChanges(6);
      const before = await snapshot(wh);
      const kind = phase.startsWith('applied') || phase === 'committed' ? 'INCREMENTAL' : 'FULL';
      await expect(
        runEtl(
          {
            db,
            warehouse: wh,
            pseudonymKey: KEY,
            checkpoint: (p) => {
              if (p === phase) throw new Error(`killed at ${p}`);
            },
          },
          kind,
        ),
      ).rejects.toThrow(/killed/);
      const after = await snapshot(wh);
      const full = await freshFull();
      // Before it, or (killed once DuckDB had committed) after it: never in between.
      const { sdc_cells: cellsBefore, ...factsBefore } = before;
      const { sdc_cells: cellsFull, ...factsFull } = full;
      const { sdc_cells: cellsAfter, ...factsAfter } = after;
      expect([JSON.stringify(factsBefore), JSON.stringify(factsFull)], phase).toContain(
        JSON.stringify(factsAfter),
      );
      if (JSON.stringify(factsAfter) === JSON.stringify(factsBefore))
        expect(cellsAfter, phase).toEqual(cellsBefore);
      else {
        // After the facts' commit an incremental run's cells come in a transaction of their
        // own: some may be missing (a kill before it), none stale.
        const current = new Set(cellsFull!.map((x) => JSON.stringify(x)));
        for (const x of cellsAfter!) expect(current.has(JSON.stringify(x)), phase).toBe(true);
      }
      const recovery = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
      expect({ phase, ...(await snapshot(wh)) }, JSON.stringify(recovery)).toEqual({
        phase,
        ...full,
      });
    }
    // Seven phases of three runs each, every full rebuild with its protection phase.
  }, 900_000);
});

describe('protected cells after the facts', () => {
  it('should answer live and right between the two commits, and the next run fills what is missing', async () => {
    await randomChanges(8);
    // Killed after the facts' commit, before that of their cells.
    await expect(
      runEtl(
        {
          db,
          warehouse: wh,
          pseudonymKey: KEY,
          checkpoint: (p) => {
            if (p === 'facts') throw new Error(`killed at ${p}`);
          },
        },
        'INCREMENTAL',
      ),
    ).rejects.toThrow(/killed/);
    const full = await openFull();
    try {
      const { sdc_cells: have, ...haveFacts } = await snapshot(wh);
      const { sdc_cells: want, ...wantFacts } = await snapshot(full);
      // The new facts and rollups are in; the cells left are all current (a full rebuild's),
      // those the change moved are missing, never stale.
      expect(haveFacts).toEqual(wantFacts);
      const wanted = new Set(want!.map((x) => JSON.stringify(x)));
      const had = new Set(have!.map((x) => JSON.stringify(x)));
      for (const x of had) expect(wanted.has(x)).toBe(true);
      const missing = want!.filter((x) => !had.has(JSON.stringify(x))) as CellRow[];
      expect(missing.length).toBeGreaterThan(0);
      // Their queries meanwhile: computed live, equal to the full rebuild's precomputed answer.
      const engine = createCubeEngine(wh);
      const reference = createCubeEngine(full);
      for (const row of missing.slice(0, 6)) {
        const { query, viewer } = shapeOf(row);
        const a = await engine.load(query, viewer);
        const b = await reference.load(query, viewer);
        expect(a.results[0]!.provenance.protectedCells).toBe('live');
        expect(b.results[0]!.provenance.protectedCells).toBe('precomputed');
        expect(answer(a)).toEqual(answer(b));
      }
      // The next run applies the change again and computes every missing cell.
      await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
      expect(await snapshot(wh)).toEqual(await snapshot(full));
      const row = missing[0]!;
      const { query, viewer } = shapeOf(row);
      expect((await engine.load(query, viewer)).results[0]!.provenance.protectedCells).toBe(
        'precomputed',
      );
      // Cells missing with no change to apply (a new reader's, a lost one): an idle run fills them.
      const c = await wh.connect();
      await c.run("DELETE FROM main.sdc_cells WHERE cube = 'intake'");
      c.closeSync();
      const idle = await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
      expect(idle.changesApplied).toBe(0);
      expect(await snapshot(wh)).toEqual(await snapshot(full));
    } finally {
      full.close();
    }
  }, 300_000);
});

describe('protected cells behind a waiting change', () => {
  it('should stop filling when a change waits, apply it next, and end equal to a full rebuild', async () => {
    await randomChanges(6);
    const [log] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM warehouse_change');
    expect(log!.n).toBeGreaterThan(1);
    // One line per run: after the first, the others wait in the log, and its fill gives way.
    const deps = { db, warehouse: wh, pseudonymKey: KEY, batchSize: 1 };
    const first = await runEtl(deps, 'INCREMENTAL');
    expect(first.changesApplied).toBe(1);
    expect(first.cellsDeferred).toBe(true);
    let runs = 1;
    for (let r = first; r.cellsDeferred; runs++) r = await runEtl(deps, 'INCREMENTAL');
    // Every line applied, the last run's fill not interrupted, nothing waiting.
    expect(runs).toBeGreaterThanOrEqual(log!.n);
    const [left] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM warehouse_change');
    expect(left!.n).toBe(0);
    const full = await openFull();
    try {
      expect(await snapshot(wh)).toEqual(await snapshot(full));
    } finally {
      full.close();
    }
  }, 300_000);

  it('should not give way in a build that keeps the change log', async () => {
    await randomChanges(2);
    const other = await openWarehouse(join(dir, `keep-${Date.now()}.duckdb`));
    try {
      const deps = { db, warehouse: other, pseudonymKey: KEY, keepChangeLog: true };
      await runEtl(deps, 'FULL');
      const c = await other.connect();
      await c.run("DELETE FROM main.sdc_cells WHERE cube = 'intake'");
      c.closeSync();
      // The log is not empty (it is kept), yet the idle fill completes.
      const idle = await runEtl(deps, 'INCREMENTAL');
      expect(idle.cellsDeferred).toBeUndefined();
      const [n] = await other.read(
        "SELECT count(*)::int AS n FROM main.sdc_cells WHERE cube = 'intake'",
      );
      expect(Number(n!.n)).toBeGreaterThan(0);
    } finally {
      other.close();
    }
  }, 300_000);
});

describe('schedule', () => {
  it('should run the incremental load on its cron and record it in the run history', async () => {
    await randomChanges(3);
    const before = (await wh.loadState())!.lastChangeSeq;
    const scheduler = scheduleEtl(
      { db, warehouse: wh, pseudonymKey: KEY },
      { incrementalCron: '* * * * * *', fullCron: '0 0 3 1 1 *' },
    );
    try {
      const deadline = Date.now() + 30_000;
      while ((await wh.loadState())!.lastChangeSeq === before && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
    } finally {
      await scheduler.stop();
    }
    expect((await wh.loadState())!.lastChangeSeq).toBeGreaterThan(before);
    const runs = await listEtlRuns(db, 5);
    expect(runs[0]).toMatchObject({ kind: 'INCREMENTAL', status: 'OK' });
    expect(runs[0]!.changesApplied).toBeGreaterThan(0);
  });
});

describe('KPI alerts', () => {
  it('should list after the load the proposals waiting over 30 days, per organisation', async () => {
    const [org] = await db.query<{ id: string }>(
      `SELECT organization_id AS id FROM intake_record WHERE access_kind = 'CITIZEN' AND deleted_at IS NULL
        GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    await db.query(
      `UPDATE intake_record SET status = 'PROPOSED', outcome = 'PROPOSAL_TAKE_INTO_CARE',
              occurred_at = now() - interval '60 days'
        WHERE id IN (SELECT id FROM intake_record WHERE organization_id = $1 AND access_kind = 'CITIZEN'
                       AND deleted_at IS NULL AND status <> 'PROPOSED' ORDER BY id LIMIT 4)`,
      [org!.id],
    );
    await runEtl({ db, warehouse: wh, pseudonymKey: KEY }, 'INCREMENTAL');
    const alerts = await listKpiAlerts(db, [org!.id]);
    const waiting = alerts.find((a) => a.kpi === 'INTAKE_WAITING_EVALUATION')!;
    expect(waiting.days).toBe(30);
    expect(waiting.late).toBeGreaterThanOrEqual(4);
    expect(waiting.lastChangeSeq).toBe((await wh.loadState())!.lastChangeSeq);
  });
});
