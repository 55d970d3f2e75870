// Precomputed protected cells (issue 10, DESIGN.md section 5): disclosure control of the
// cruscotti's shapes computed by the ETL, per row-level-security scope, instead of on every
// request.
//
// A protected query's answer is a function of its protected statement alone: compileProtected
// makes the level canonical (date ranges select whole buckets after protection, filters on
// members not asked for become hidden keys sliced after protection), so the statement's SQL and
// parameters (the scope's included) name exactly the table protect() sees. That statement,
// hashed with the protection options, is the key of a precomputed table: a query is answered
// from `main.sdc_cells` only when its own statement is the one precomputed, and then by the same
// cells, suppressed for the same reasons, as the live path would compute; any other query, or
// another scope, finds no row and takes the live path.
//
// A reader never sees new facts with old cells: an incremental run deletes, in the DuckDB
// transaction of the change, the cells the change can move, and computes them again in a second
// transaction right after that commit (queries in between take the live path: correct, slower);
// the second half computes whatever declared cell is missing, so a run killed between the two
// leaves missing cells, never stale ones, and the next run fills them. A full rebuild computes
// them all before its swap commits.
// Readers keep the last cells they read in memory, keyed by the load they belong to.
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CUBES } from '../../model/index.ts';
import type { CubeDef, ProtectedShapeDef } from '../model/cube.types.ts';
import type { LoadState } from '../schema/star-schema.ts';
import { readRows, type Warehouse, type WarehouseRow } from '../warehouse.ts';
import { compileProtected, type ProtectedCompiled, type Scope } from './compile.ts';
import { type CubeQuery, createModel, type Plan, planQuery } from './query.ts';
import { TOUCHED_SCOPES } from './rollups.ts';
import { DEFAULT_SDC, protect, type Reason, type SdcOptions } from './sdc.ts';

/** A finest-level cell as the engine serves it: its key values, measures and reason. */
export type ProtectedCell = {
  values: (string | number | null)[];
  measures: (number | null)[];
  reason: Reason | null;
};

export type ProtectedCells = { cells: ProtectedCell[]; unresolved: number };

/** The measures the dominance rule applies to, by their index in the plan. */
export function amountMeasures(plan: Plan): number[] {
  return plan.measures.map((m, i) => (m.def.meta?.sdc === 'amount' ? i : -1)).filter((i) => i >= 0);
}

/** A scope with its lists sorted and without repeats: the same rows, the same statement. */
export function canonicalScope(scope: Scope): Scope {
  if (scope.all) return scope;
  const sorted = (xs: string[]) => [...new Set(xs)].sort();
  return {
    all: false,
    organizations: sorted(scope.organizations),
    districts: sorted(scope.districts),
    regions: sorted(scope.regions),
  };
}

/** The name of a protected computation: its statement, its key nesting and the options. */
export function protectionSignature(
  c: ProtectedCompiled,
  amounts: number[],
  sdc: SdcOptions,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        sql: c.sql,
        params: c.params,
        parents: c.keys.map((k) => k.parent),
        levels: c.levels,
        amounts,
        sdc,
      }),
    )
    .digest('hex');
}

/** The protected cells of a statement, computed now (the live path, and the ETL's). */
export async function computeProtectedCells(
  read: (sql: string, params: (string | number)[]) => Promise<WarehouseRow[]>,
  plan: Plan,
  c: ProtectedCompiled,
  sdc: SdcOptions,
): Promise<ProtectedCells> {
  const rows = await read(c.sql, c.params);
  const table = protect(rows, c.keys, c.levels, plan.measures.length, amountMeasures(plan), sdc);
  return {
    cells: table.cells.map((cell) => ({
      values: cell.values,
      measures: cell.measures,
      reason: cell.reason,
    })),
    unresolved: table.unresolved,
  };
}

/** A query of a declared shape (any period of its grain compiles to the same statement). */
export function shapeQuery(cube: CubeDef, shape: ProtectedShapeDef): CubeQuery {
  const m = (name: string) => `${cube.name}.${name}`;
  return {
    measures: shape.measures.map(m),
    dimensions: (shape.dimensions ?? []).map(m),
    filters: (shape.slices ?? []).map((s) => ({
      member: m(s),
      operator: 'equals',
      values: ['-'],
    })),
    timeDimensions: shape.time
      ? [{ dimension: m(shape.time.dimension), granularity: shape.time.grain }]
      : [],
  };
}

/**
 * Who reads the cubes, as the case store knows them: one entry per manager or planner, with the
 * organisations they reach (those of all their memberships and every organisation below them,
 * as the operator's actor has them) and those where they are managers (the ETL reads them with
 * VIEWER_ORGANIZATIONS_SQL).
 */
export type CubeReader = { organizations: string[]; managed: string[]; planner: boolean };

/**
 * The case store's managers and planners, for `refreshProtectedCells`'s `readers`. Their
 * organisations with the descendants, as loadOperatorActor gives them to the gateway (a zona's
 * manager reaches its municipalities' organisations too): the scope precomputed is then the
 * scope the gateway asks with, and the manager's cruscotto finds its cells.
 */
export const VIEWER_ORGANIZATIONS_SQL = `WITH RECURSIVE viewer AS (
    SELECT m.operator_id, o.organization_id, m.role FROM membership m JOIN office o ON o.id = m.office_id
     WHERE m.operator_id IN (SELECT operator_id FROM membership WHERE role IN ('MANAGER', 'PLANNER'))),
  tree AS (
    SELECT DISTINCT operator_id, organization_id AS id FROM viewer
    UNION SELECT t.operator_id, c.id FROM organization c JOIN tree t ON c.parent_id = t.id)
  SELECT (SELECT string_agg(t.id::text, ',') FROM tree t WHERE t.operator_id = v.operator_id) AS organizations,
    coalesce(string_agg(DISTINCT v.organization_id::text, ',') FILTER (WHERE v.role = 'MANAGER'), '') AS managed,
    bool_or(v.role = 'PLANNER') AS planner
  FROM viewer v GROUP BY v.operator_id`;

/** Readers from VIEWER_ORGANIZATIONS_SQL's rows. */
export function cubeReadersOf(
  rows: { organizations: string | null; managed: string | null; planner: boolean | null }[],
): CubeReader[] {
  const list = (s: string | null) => (s ? s.split(',').filter(Boolean) : []);
  return rows.map((r) => ({
    organizations: list(r.organizations),
    managed: list(r.managed),
    planner: r.planner === true,
  }));
}

/**
 * The scopes precomputed. With the case store's readers: each one's scope as the gateway gives it
 * (cube-viewer.ts: a manager's organisations and the zone sociali of those they manage, a
 * planner's regions). Without: each region, and each organisation with its zona sociale.
 */
async function scopesOf(c: DuckDBConnection, readers: CubeReader[] | undefined): Promise<Scope[]> {
  const rows = await readRows(
    c,
    'SELECT organization_id, district_code, region_code FROM main.dim_organization ORDER BY organization_id',
  );
  const scopes: Scope[] = [];
  if (readers) {
    const byId = new Map(rows.map((r) => [String(r.organization_id), r]));
    for (const r of readers) {
      const manager = r.managed.length > 0;
      const known = r.organizations.map((o) => byId.get(o)).filter((x) => x !== undefined);
      scopes.push({
        all: false,
        organizations: manager ? r.organizations : [],
        districts: manager
          ? known
              .filter((o) => r.managed.includes(String(o.organization_id)) && o.district_code)
              .map((o) => String(o.district_code))
          : [],
        regions: r.planner
          ? known.filter((o) => o.region_code).map((o) => String(o.region_code))
          : [],
      });
    }
  } else {
    for (const region of new Set(rows.map((r) => r.region_code).filter((r) => r !== null)))
      scopes.push({ all: false, organizations: [], districts: [], regions: [String(region)] });
    for (const r of rows)
      if (r.organization_id !== null)
        scopes.push({
          all: false,
          organizations: [String(r.organization_id)],
          districts: r.district_code === null ? [] : [String(r.district_code)],
          regions: [],
        });
  }
  // One computation per distinct scope (several managers of one zona share theirs).
  const seen = new Map<string, Scope>();
  for (const s of scopes.map(canonicalScope)) {
    if (!s.all && s.organizations.length + s.districts.length + s.regions.length === 0) continue;
    seen.set(JSON.stringify(s), s);
  }
  return [...seen.values()];
}

/** The organisations, zone sociali and regions the changed rows of each fact had or have. */
async function touchedOf(c: DuckDBConnection): Promise<Map<string, Set<string>[]> | null> {
  const [exists] = await readRows(
    c,
    'SELECT count(*) AS n FROM duckdb_tables() WHERE temporary AND table_name = $1',
    [TOUCHED_SCOPES],
  );
  if (!exists || Number(exists.n) === 0) return null;
  const touched = new Map<string, Set<string>[]>();
  for (const r of await readRows(c, `SELECT DISTINCT * FROM ${TOUCHED_SCOPES}`)) {
    const sets = touched.get(String(r.fact)) ?? [new Set(), new Set(), new Set()];
    touched.set(String(r.fact), sets);
    [r.organization, r.district, r.region].forEach((v, i) => {
      if (v !== null) sets[i]!.add(String(v));
    });
  }
  await c.run(`DROP TABLE ${TOUCHED_SCOPES}`);
  return touched;
}

export type SdcRefresh = {
  shapes: number;
  rows: number;
  ms: number;
  /** The fill stopped early because `shouldYield` said so: some declared cells are still missing. */
  yielded?: boolean;
};

type SdcOptionsIn = {
  cubes?: readonly CubeDef[];
  sdc?: Partial<SdcOptions>;
  /** The case store's managers and planners (their scopes are precomputed); see scopesOf. */
  readers?: CubeReader[];
  /**
   * Asked before each cell table is computed: true stops the fill there, with the cells computed
   * so far kept (each is current). The ETL says true when a change is waiting, so that its facts
   * go in first rather than behind the whole fill; the next run computes the rest.
   */
  shouldYield?: () => boolean | Promise<boolean>;
};

const factOf = (cube: CubeDef) => cube.sql_table.replace(/^main\./, '');

/**
 * The first half of an incremental refresh, inside the transaction that changes the facts:
 * deletes the cells the change can move (the stored scopes of the changed facts' cubes that see
 * a changed row, as it was or as it is: rollupPartitionRefresh records them; a cube's cells all
 * when nothing was recorded) and computes nothing, so the transaction commits without waiting
 * for them. A query finding no cell takes the live path: correct, only slower, until
 * `fillProtectedCells` puts them back. Cells of scopes that see no changed row count the same
 * rows as before and stand. `changed` null: every cell goes (a full rebuild).
 */
export async function invalidateProtectedCells(
  c: DuckDBConnection,
  changed: readonly string[] | null,
  options: { cubes?: readonly CubeDef[] } = {},
): Promise<{ deleted: number }> {
  const cubes = options.cubes ?? CUBES;
  const touched = await touchedOf(c);
  const count = async () =>
    Number((await readRows(c, 'SELECT count(*) AS n FROM main.sdc_cells'))[0]?.n ?? 0);
  const before = await count();
  if (changed === null) {
    await c.run('DELETE FROM main.sdc_cells');
    return { deleted: before };
  }
  for (const cube of cubes) {
    if (!cube.meta || !cube.protected_shapes || !changed.includes(factOf(cube))) continue;
    const t = touched?.get(factOf(cube));
    if (!t) {
      await c.run('DELETE FROM main.sdc_cells WHERE cube = $1', [cube.name]);
      continue;
    }
    const sees = (s: Scope) =>
      s.all ||
      s.organizations.some((o) => t[0]!.has(o)) ||
      s.districts.some((d) => t[1]!.has(d)) ||
      s.regions.some((r) => t[2]!.has(r));
    const stored = await readRows(c, 'SELECT DISTINCT scope FROM main.sdc_cells WHERE cube = $1', [
      cube.name,
    ]);
    for (const { scope } of stored)
      if (sees(JSON.parse(String(scope)) as Scope))
        await c.run('DELETE FROM main.sdc_cells WHERE cube = $1 AND scope = $2', [
          cube.name,
          String(scope),
        ]);
  }
  return { deleted: before - (await count()) };
}

/**
 * The second half: computes every declared shape's cells, for every scope precomputed, that
 * `main.sdc_cells` lacks (those the first half deleted, those of a run killed between the two
 * halves, a new reader's, a shape whose statement or options changed) and deletes the cells no
 * declared shape and scope names any more (a reader gone). It never replaces a stored cell: what
 * is stored is current, since every change deletes what it moves before it commits. Run it in a
 * transaction of its own after the facts committed, with no other writer of the facts meanwhile
 * (the ETL runs one at a time per warehouse), or inside the facts' transaction (a full rebuild).
 */
export async function fillProtectedCells(
  c: DuckDBConnection,
  options: SdcOptionsIn = {},
): Promise<SdcRefresh> {
  const started = performance.now();
  const cubes = (options.cubes ?? CUBES).filter((cube) => cube.meta && cube.protected_shapes);
  const sdc: SdcOptions = { ...DEFAULT_SDC, ...options.sdc };
  const model = createModel(options.cubes ?? CUBES);
  const scopes = cubes.length > 0 ? await scopesOf(c, options.readers) : [];
  const stored = new Map<string, string>();
  for (const r of await readRows(c, 'SELECT DISTINCT signature, cube FROM main.sdc_cells'))
    stored.set(String(r.signature), String(r.cube));
  const expected = new Set<string>();
  const read = (sql: string, params: (string | number)[]) => readRows(c, sql, params);
  let shapes = 0;
  let rows = 0;
  for (const cube of cubes)
    for (const [name, shape] of Object.entries(cube.protected_shapes ?? {})) {
      shapes++;
      const plan = planQuery(model, shapeQuery(cube, shape), '2000-01-01');
      const amounts = amountMeasures(plan);
      for (const scope of scopes) {
        const compiled = compileProtected(plan, scope);
        const signature = protectionSignature(compiled, amounts, sdc);
        expected.add(signature);
        if (stored.has(signature)) continue;
        if (options.shouldYield && (await options.shouldYield()))
          return { shapes, rows, ms: Math.round(performance.now() - started), yielded: true };
        const table = await computeProtectedCells(read, plan, compiled, sdc);
        await c.run(
          'INSERT INTO main.sdc_cells VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())',
          [
            signature,
            cube.name,
            name,
            JSON.stringify(scope),
            factOf(cube),
            compiled.rollup ? `rollup:${compiled.rollup}` : `table:${cube.sql_table}`,
            JSON.stringify(table.cells.map((x) => [x.values, x.measures, x.reason])),
            table.cells.length,
            table.unresolved,
          ],
        );
        stored.set(signature, cube.name);
        rows++;
      }
    }
  const names = new Set(cubes.map((cube) => cube.name));
  for (const [signature, cube] of stored)
    if (names.has(cube) && !expected.has(signature))
      await c.run('DELETE FROM main.sdc_cells WHERE signature = $1', [signature]);
  return { shapes, rows, ms: Math.round(performance.now() - started) };
}

/**
 * Both halves in the caller's transaction: the cells over the fact tables that changed (`changed`
 * null: all of them) recomputed, and any other missing cell computed. A full rebuild calls it
 * before its swap commits; the incremental run splits it (invalidate, commit, fill).
 */
export async function refreshProtectedCells(
  c: DuckDBConnection,
  changed: readonly string[] | null = null,
  options: SdcOptionsIn = {},
): Promise<SdcRefresh> {
  const started = performance.now();
  await invalidateProtectedCells(c, changed, options);
  const filled = await fillProtectedCells(c, options);
  return { ...filled, ms: Math.round(performance.now() - started) };
}

/**
 * The readers' side: the precomputed cells of a signature for the load a reader saw, from
 * memory when it already read them for that load, else from `main.sdc_cells` (read together with
 * the load state, so the cells and the load they belong to come from one snapshot).
 */
export function createProtectedCellsReader(warehouse: Warehouse, capacity = 512) {
  const memory = new Map<string, { version: string; cells: ProtectedCells | null }>();
  // The cells' own time is part of it: an incremental run commits its facts first (the cells it
  // moves deleted) and their cells after, in the same load, so a cell found missing in between
  // is looked up again once they are in.
  const versionOf = (s: LoadState) =>
    `${s.build}|${s.loadedAt.getTime()}|${s.lastChangeSeq}|${s.cellsAt?.getTime() ?? ''}`;

  return async function lookup(
    signature: string,
    state: LoadState,
  ): Promise<ProtectedCells | null> {
    const version = versionOf(state);
    const hit = memory.get(signature);
    if (hit && hit.version === version) return hit.cells;
    const [row] = await warehouse.read(
      `SELECT s.loaded_at, c.cells, c.unresolved
         FROM main.load_state s LEFT JOIN main.sdc_cells c ON c.signature = $1`,
      [signature],
    );
    // Another load committed since the state was read: these cells are not that load's.
    if (!row || new Date(String(row.loaded_at)).getTime() !== state.loadedAt.getTime()) return null;
    const cells: ProtectedCells | null =
      row.cells === null
        ? null
        : {
            cells: (
              JSON.parse(String(row.cells)) as [
                ProtectedCell['values'],
                ProtectedCell['measures'],
                Reason | null,
              ][]
            ).map(([values, measures, reason]) => ({ values, measures, reason })),
            unresolved: Number(row.unresolved),
          };
    memory.delete(signature);
    memory.set(signature, { version, cells });
    if (memory.size > capacity) memory.delete(memory.keys().next().value as string);
    return cells;
  };
}
