// Rollups (Cube's pre_aggregations): materialised by the ETL in the same DuckDB transaction as
// the facts they summarise, so a rollup is never staler than its facts and is served without a
// freshness check. Each rollup row is one contributor (a person, or an anonymous record) in one
// cell: distinct persons and disclosure control come out of it exactly, not by sketches.
import { CUBES } from '../../model/index.ts';
import type { CubeDef, Granularity, PreAggregationDef } from '../model/cube.types.ts';
import { ident } from '../schema/star-schema.ts';
import { alignedTo } from './dates.ts';
import type { Plan } from './query.ts';
import {
  additive,
  type Component,
  measureComponents,
  referencedMeasures,
  renderSql,
  uniqueComponents,
} from './sql.ts';

export type Rollup = {
  cube: CubeDef;
  name: string;
  table: string;
  def: PreAggregationDef;
  measures: Set<string>;
  components: Component[];
};

export const dimCol = (name: string) => `d_${name.toLowerCase()}`;
export const timeCol = (name: string) => `t_${name.toLowerCase()}`;

function rollupsOf(cube: CubeDef): Rollup[] {
  return Object.entries(cube.pre_aggregations ?? {}).map(([name, def]) => {
    const measures = new Set<string>();
    const add = (m: string) => {
      measures.add(m);
      const d = cube.measures[m];
      if (d?.type === 'number') for (const r of referencedMeasures(d)) add(r);
    };
    for (const m of def.measures) add(m);
    const render = (sql: string) => renderSql(sql, cube, new Set());
    const components = uniqueComponents(
      [...measures]
        .filter((m) => cube.measures[m]!.type !== 'number')
        .flatMap((m) => measureComponents(cube, m, render)),
    );
    return {
      cube,
      name,
      table: ident(`rollup_${cube.name}_${name}`.toLowerCase()),
      def,
      measures,
      components,
    };
  });
}

export const ROLLUPS: readonly Rollup[] = CUBES.flatMap(rollupsOf);

/** The fact table a cube reads (`main.fact_intake` → `fact_intake`). */
const factOf = (cube: CubeDef) => cube.sql_table.replace(/^main\./, '');

function selectSql(schema: string, r: Rollup, where: string | null): string {
  const cube = r.cube;
  const joins = new Set<string>();
  const render = (sql: string) => renderSql(sql, cube, joins);
  const meta = cube.meta!;
  const cols = [
    ...(r.def.time_dimension
      ? [
          `date_trunc('${r.def.granularity ?? 'day'}', ${render(cube.dimensions[r.def.time_dimension]!.sql)})::DATE AS ${timeCol(r.def.time_dimension)}`,
        ]
      : []),
    ...r.def.dimensions.map((d) => `${render(cube.dimensions[d]!.sql)} AS ${dimCol(d)}`),
    `${render(meta.rls.organization)} AS r_organization`,
    `${render(meta.rls.district)} AS r_district`,
    `${render(meta.rls.region)} AS r_region`,
    `${render(meta.contributor)} AS c_contributor`,
    `${render(meta.person)} AS c_person`,
  ];
  if (joins.size > 0)
    throw new Error(`rollup ${r.name}: dimensions of joined cubes cannot be rolled up`);
  return `SELECT ${[...cols, ...r.components.map((c) => `${c.raw} AS ${c.col}`)].join(',\n  ')}
FROM ${ident(schema)}.${factOf(cube)} AS ${cube.name}${where ? `\nWHERE ${where}` : ''}
GROUP BY ALL`;
}

function buildSql(schema: string, r: Rollup): string {
  return `CREATE OR REPLACE TABLE ${ident(schema)}.${r.table} AS\n${selectSql(schema, r, null)}`;
}

/** The partition of a fact row in a rollup: its time bucket and its zona sociale. */
function partitionExprs(r: Rollup): { t: string; d: string } | null {
  if (!r.def.time_dimension) return null;
  const render = (sql: string) => renderSql(sql, r.cube, new Set());
  return {
    t: `date_trunc('${r.def.granularity ?? 'day'}', ${render(r.cube.dimensions[r.def.time_dimension]!.sql)})::DATE`,
    d: render(r.cube.meta!.rls.district),
  };
}

/** The connection's temp table of the row-level-security values the changed rows had or have. */
export const TOUCHED_SCOPES = '__sdc_touched';

/**
 * Records, before and after a change, the organisations, zone sociali and regions of the changed
 * rows: the scopes whose protected cells the change can move (sdc-cells.ts recomputes those).
 */
function touchedScopesSql(schema: string, fact: string, changedRows: string): string[] {
  const cube = CUBES.find((c) => factOf(c) === fact && c.meta);
  if (!cube?.meta) return [];
  const render = (sql: string) => renderSql(sql, cube, new Set());
  const { rls } = cube.meta;
  return [
    `CREATE TEMP TABLE IF NOT EXISTS ${TOUCHED_SCOPES} (fact VARCHAR, organization VARCHAR, district VARCHAR, region VARCHAR)`,
    `INSERT INTO ${TOUCHED_SCOPES} SELECT DISTINCT '${ident(fact)}', ${render(rls.organization)}, ${render(rls.district)}, ${render(rls.region)}
       FROM ${ident(schema)}.${ident(fact)} AS ${cube.name} WHERE ${changedRows.replaceAll('{CUBE}', cube.name)}`,
  ];
}

/**
 * The incremental refresh of the rollups over one fact table: `before` runs before the changed
 * facts are deleted, `after` once their new rows are in. Only the partitions (time bucket ×
 * zona sociale) the old or new rows fall in are recomputed: a contributor's rows of a partition
 * are all in it, so the partition's rollup rows are exact again.
 */
export function rollupPartitionRefresh(
  schema: string,
  fact: string,
  changedRows: string,
): { before: string[]; after: string[] } {
  const touched = touchedScopesSql(schema, fact, changedRows);
  const before: string[] = [...touched];
  const after: string[] = [...touched];
  ROLLUPS.filter((r) => factOf(r.cube) === fact).forEach((r, i) => {
    const p = partitionExprs(r);
    if (!p) {
      after.push(buildSql(schema, r));
      return;
    }
    const affected = `__affected_${fact}_${i}`;
    const from = `FROM ${ident(schema)}.${fact} AS ${r.cube.name} WHERE ${changedRows.replaceAll('{CUBE}', r.cube.name)}`;
    before.push(
      `CREATE OR REPLACE TEMP TABLE ${affected} AS SELECT DISTINCT ${p.t} AS t, ${p.d} AS d ${from}`,
    );
    after.push(
      `INSERT INTO ${affected} SELECT DISTINCT ${p.t} AS t, ${p.d} AS d ${from}`,
      `DELETE FROM ${ident(schema)}.${r.table} AS x WHERE EXISTS (SELECT 1 FROM ${affected} a
         WHERE a.t IS NOT DISTINCT FROM x.${timeCol(r.def.time_dimension!)} AND a.d IS NOT DISTINCT FROM x.r_district)`,
      `INSERT INTO ${ident(schema)}.${r.table} ${selectSql(
        schema,
        r,
        `EXISTS (SELECT 1 FROM ${affected} a WHERE a.t IS NOT DISTINCT FROM ${p.t} AND a.d IS NOT DISTINCT FROM ${p.d})`,
      )}`,
      `DROP TABLE ${affected}`,
    );
  });
  return { before, after };
}

/**
 * The statements that rebuild the rollups of a build: all of them (`changed` null) or those over
 * the fact tables that changed. A rebuild is one GROUP BY over the fact table.
 */
export function rollupRefreshSql(schema: string, changed: readonly string[] | null): string[] {
  return ROLLUPS.filter((r) => changed === null || changed.includes(factOf(r.cube))).map((r) =>
    buildSql(schema, r),
  );
}

/** The views in `main` over a build's rollups. */
export function rollupViewSql(schema: string): string[] {
  return ROLLUPS.map(
    (r) => `CREATE OR REPLACE VIEW main.${r.table} AS SELECT * FROM ${ident(schema)}.${r.table}`,
  );
}

const FINER: Record<Granularity, Granularity[]> = {
  day: ['day'],
  week: ['day', 'week'],
  month: ['day', 'month'],
  quarter: ['day', 'month', 'quarter'],
  year: ['day', 'month', 'quarter', 'year'],
};

/** Dimensions a plan groups or filters by (filters of every depth). */
export function planDimensions(plan: Plan): Set<string> {
  const names = new Set(plan.dimensions.map((d) => d.name));
  const walk = (n: Plan['filters'][number]) => {
    if (n.kind === 'leaf') {
      if (!n.isMeasure) names.add(n.ref.name);
    } else n.children.forEach(walk);
  };
  plan.filters.forEach(walk);
  return names;
}

/**
 * The smallest rollup that gives the same answer as the fact table: every dimension, filter and
 * measure in it, the time grain derivable from its own, and date ranges on its bucket edges.
 * `extraDimensions` are the hidden keys of disclosure control.
 */
export function chooseRollup(plan: Plan, extraDimensions: readonly string[] = []): Rollup | null {
  if (plan.segments.length > 0) return null;
  const dims = planDimensions(plan);
  for (const d of extraDimensions) dims.add(d);
  const timeDims = new Set([
    ...(plan.time ? [plan.time.name] : []),
    ...plan.timeRanges.map((t) => t.ref.name),
  ]);
  for (const t of timeDims) dims.delete(t);
  const candidates = ROLLUPS.filter((r) => {
    if (r.cube !== plan.cube) return false;
    if (![...dims].every((d) => r.def.dimensions.includes(d))) return false;
    if (!plan.measures.every((m) => r.measures.has(m.name) && additive(r.cube, m.name)))
      return false;
    const filterMeasuresOk = (n: Plan['filters'][number]): boolean =>
      n.kind === 'leaf'
        ? !n.isMeasure || (r.measures.has(n.ref.name) && additive(r.cube, n.ref.name))
        : n.children.every(filterMeasuresOk);
    if (!plan.filters.every(filterMeasuresOk)) return false;
    if (timeDims.size > 1) return false;
    if (timeDims.size === 1) {
      const [t] = timeDims;
      if (r.def.time_dimension !== t) return false;
      const grain = r.def.granularity ?? 'day';
      if (plan.time?.granularity && !FINER[plan.time.granularity].includes(grain)) return false;
      const ranges = [
        ...(plan.time?.dateRange ? [plan.time.dateRange] : []),
        ...(plan.time?.compare ?? []),
        ...plan.timeRanges.map((x) => x.range),
      ];
      if (!ranges.every((range) => alignedTo(range, grain))) return false;
    }
    return true;
  });
  candidates.sort((a, b) => a.def.dimensions.length - b.def.dimensions.length);
  return candidates[0] ?? null;
}
