// A planned query → ONE parameterised DuckDB statement. Two shapes:
// - plain: GROUP BY the query's members (callers with micro-data rights, and the golden tests);
// - protected: the cells of the query's canonical level and of every coarser level of it, each
//   with its count of distinct contributors (GROUPING SETS over a per-contributor aggregation),
//   for disclosure control (sdc.ts) to suppress before anything leaves the engine.
// Both read the fact table or a rollup that gives the same answer (rollups.ts).
import type { CubeDef, Granularity } from '../model/cube.types.ts';
import { cubeError } from '../warehouse.errors.ts';
import { bucketEnd, bucketStart } from './dates.ts';
import type { DimensionRef, FilterNode, Plan } from './query.ts';
import { chooseRollup, dimCol, type Rollup, timeCol } from './rollups.ts';
import {
  filterSql,
  joinSql,
  measureComponents,
  measureFinal,
  Params,
  renderSql,
  uniqueComponents,
} from './sql.ts';

/** Which rows a caller may count: a row is visible when any of the lists names it. */
export type Scope =
  | { all: true }
  | { all: false; organizations: string[]; districts: string[]; regions: string[] };

export type Compiled = {
  sql: string;
  params: (string | number)[];
  /** The rollup that answers, or null for the fact table. */
  rollup: string | null;
  /** Output column → member, in order. */
  columns: { col: string; member: string; kind: 'dimension' | 'time' | 'measure' }[];
};

const TABLES: Record<string, string> = {
  territory: 'main.dim_territory',
  contact_points: 'main.dim_contact_point',
  offices: 'main.dim_office',
  services: 'main.dim_service',
  providers: 'main.dim_provider',
  projects: 'main.dim_project',
};

type Source = {
  from: string;
  rollup: Rollup | null;
  joins: Set<string>;
  render(sql: string): string;
  dim(ref: DimensionRef): string;
  /** The day (raw) or bucket (rollup) of a time dimension. */
  day(ref: DimensionRef): string;
};

function sourceOf(plan: Plan, rollup: Rollup | null): Source {
  const cube = plan.cube;
  const joins = new Set<string>();
  const render = (sql: string) => renderSql(sql, cube, joins);
  if (!rollup)
    return {
      from: `${cube.sql_table} AS ${cube.name}`,
      rollup: null,
      joins,
      render,
      dim: (ref) => render(ref.def.sql),
      day: (ref) => render(ref.def.sql),
    };
  return {
    from: `main.${rollup.table} AS ${cube.name}`,
    rollup,
    joins,
    render,
    dim: (ref) => `${cube.name}.${dimCol(ref.name)}`,
    day: (ref) => `${cube.name}.${timeCol(ref.name)}`,
  };
}

const bucket = (day: string, g: Granularity) => `date_trunc('${g}', ${day})::DATE`;

function scopeSql(cube: CubeDef, scope: Scope, src: Source, params: Params): string | null {
  if (scope.all) return null;
  const rls = cube.meta?.rls;
  if (!rls) return 'FALSE';
  const col = (which: 'organization' | 'district' | 'region') =>
    src.rollup ? `${cube.name}.r_${which}` : src.render(rls[which]);
  const parts: string[] = [];
  const list = (expr: string, values: string[]) => {
    if (values.length > 0)
      parts.push(`${expr} IN (${values.map((v) => params.add(v)).join(', ')})`);
  };
  list(col('organization'), scope.organizations);
  list(col('district'), scope.districts);
  list(col('region'), scope.regions);
  return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
}

function leafExpr(src: Source, finalOf: (name: string) => string) {
  return (n: Extract<FilterNode, { kind: 'leaf' }>) =>
    n.isMeasure
      ? finalOf(n.ref.name)
      : n.ref.def.type === 'time'
        ? src.day(n.ref as DimensionRef)
        : src.dim(n.ref as DimensionRef);
}

/** The plain statement: GROUP BY the query's members. */
export function compilePlain(
  plan: Plan,
  scope: Scope,
  options: { rollups?: boolean } = {},
): Compiled {
  const rollup = options.rollups === false ? null : chooseRollup(plan);
  const src = sourceOf(plan, rollup);
  const cube = plan.cube;
  const params = new Params();
  const finalOf = (name: string) =>
    measureFinal(cube, name, {
      raw: !rollup,
      render: src.render,
      sumOf: (col) => `sum(${cube.name}.${col})`,
      person: `${cube.name}.c_person`,
    });
  const columns: Compiled['columns'] = [];
  const select: string[] = [];
  const groups: string[] = [];
  const t = plan.time;
  if (t?.compare) {
    select.push('__ranges.i AS "range"');
    groups.push('__ranges.i');
  }
  plan.dimensions.forEach((d, i) => {
    const expr = src.dim(d);
    select.push(`${expr} AS d${i}`);
    groups.push(expr);
    columns.push({ col: `d${i}`, member: d.member, kind: 'dimension' });
  });
  if (t?.granularity) {
    const expr = bucket(src.day(t), t.granularity);
    select.push(`${expr} AS t0`);
    groups.push(expr);
    columns.push({ col: 't0', member: `${t.member}.${t.granularity}`, kind: 'time' });
  }
  plan.measures.forEach((m, i) => {
    select.push(`${finalOf(m.name)} AS m${i}`);
    columns.push({ col: `m${i}`, member: m.member, kind: 'measure' });
  });
  if (plan.total) select.push('count(*) OVER () AS __total');

  const where: string[] = [];
  const scoped = scopeSql(cube, scope, src, params);
  if (scoped) where.push(scoped);
  if (t?.dateRange)
    where.push(
      `${src.day(t)} BETWEEN CAST(${params.add(t.dateRange[0])} AS DATE) AND CAST(${params.add(t.dateRange[1])} AS DATE)`,
    );
  for (const r of plan.timeRanges)
    where.push(
      `${src.day(r.ref)} BETWEEN CAST(${params.add(r.range[0])} AS DATE) AND CAST(${params.add(r.range[1])} AS DATE)`,
    );
  for (const s of plan.segments) where.push(`(${src.render(s.sql)})`);
  const having: string[] = [];
  const expr = leafExpr(src, finalOf);
  for (const f of plan.filters) {
    const sql = filterSql(f, expr, params);
    (containsMeasure(f) ? having : where).push(sql);
  }
  let ranges = '';
  if (t?.compare) {
    ranges = `JOIN (VALUES ${t.compare
      .map((r, i) => `(${i}, CAST(${params.add(r[0])} AS DATE), CAST(${params.add(r[1])} AS DATE))`)
      .join(', ')}) AS __ranges(i, lo, hi) ON ${src.day(t)} BETWEEN __ranges.lo AND __ranges.hi`;
  }
  const order = plan.order
    .map(([member, dir]) => {
      const c = columns.find(
        (x) => x.member === member || (x.kind === 'time' && member === t?.member),
      );
      return c ? `${c.col} ${dir.toUpperCase()} NULLS LAST` : null;
    })
    .filter(Boolean);
  // Ties broken by the dimensions, so that equal counts come back in a stable order.
  for (const c of columns)
    if (c.kind !== 'measure' && !order.some((o) => o?.startsWith(`${c.col} `)))
      order.push(`${c.col} ASC NULLS LAST`);
  if (t?.compare) order.unshift('"range" ASC');
  // Joins are known once every member was rendered.
  const joins = joinSql(cube, src.joins, (name) => TABLES[name] ?? `main.${name}`);
  const sql = [
    `SELECT ${select.join(', ')}`,
    `FROM ${src.from}`,
    ...(joins ? [joins] : []),
    ...(ranges ? [ranges] : []),
    ...(where.length ? [`WHERE ${where.join(' AND ')}`] : []),
    ...(groups.length ? [`GROUP BY ${groups.join(', ')}`] : []),
    ...(having.length ? [`HAVING ${having.join(' AND ')}`] : []),
    ...(order.length ? [`ORDER BY ${order.join(', ')}`] : []),
    `LIMIT ${plan.limit}${plan.offset ? ` OFFSET ${plan.offset}` : ''}`,
  ].join('\n');
  return { sql, params: params.values, rollup: rollup?.name ?? null, columns };
}

function containsMeasure(f: FilterNode): boolean {
  return f.kind === 'leaf' ? f.isMeasure : f.children.some(containsMeasure);
}

// ---------------------------------------------------------------------------------------------
// Protected queries
// ---------------------------------------------------------------------------------------------

/** A key of the canonical level: its expression, the key it nests in, what it shows or slices. */
export type Key = {
  col: string;
  expr: string;
  parent: number | null;
  /** The member this key answers as (null: hidden). */
  member: string | null;
  kind: 'dimension' | 'time';
  /** Only cells with this value are returned (an equality filter on a member not asked for). */
  slice: string | number | null;
};

export type ProtectedCompiled = Compiled & {
  keys: Key[];
  /** Each grouping set as indexes into `keys`, finest first. */
  levels: number[][];
  /** Selections applied to the finest level's cells after protection. */
  selections: { key: number; node: FilterNode }[];
  /** Dimension name → key column, for evaluating selections. */
  keyCols: Record<string, string>;
  timeSelection: { key: number; ranges: [string, string][] } | null;
};

const TIME_CHAIN: Granularity[] = ['year', 'quarter', 'month', 'day'];
const MAX_LEVELS = 128;

/**
 * The protected statement. The query's level is made canonical so that every query asking for
 * the same cells sees them protected the same way: a member comes with the levels above it
 * (municipality with its district and region, a month with its quarter and year), filters on
 * members not asked for become hidden keys sliced after protection, date ranges select whole
 * buckets instead of cutting the data, and segments are keys too.
 */
export function compileProtected(
  plan: Plan,
  scope: Scope,
  options: { rollups?: boolean } = {},
): ProtectedCompiled {
  const cube = plan.cube;
  if (!cube.meta)
    throw cubeError(
      'CUBE_NOT_PROTECTABLE',
      'measures',
      `il cubo ${cube.name} non dichiara i contributori`,
    );
  const keys: Key[] = [];
  const keyOf = new Map<string, number>();
  const selections: ProtectedCompiled['selections'] = [];
  let timeSelection: ProtectedCompiled['timeSelection'] = null;

  const t = plan.time;
  let finest: Granularity | null = null;
  // Time: the chain year > quarter > month > day down to the grain asked for.
  const timeKeys = (
    ref: DimensionRef,
    grain: Granularity,
    member: string | null,
    day: (r: DimensionRef) => string,
  ) => {
    if (grain === 'week')
      throw cubeError(
        'CUBE_NOT_PROTECTABLE',
        'timeDimensions',
        'la settimana non è annidata nel mese: con il controllo della divulgazione usare giorno, mese, trimestre o anno',
      );
    if (finest === null || TIME_CHAIN.indexOf(grain) > TIME_CHAIN.indexOf(finest)) finest = grain;
    let parent: number | null = null;
    for (const g of TIME_CHAIN.slice(0, TIME_CHAIN.indexOf(grain) + 1)) {
      const id = `${ref.name}.${g}`;
      let k = keyOf.get(id);
      if (k === undefined) {
        k = keys.length;
        keys.push({
          col: `k${k}`,
          expr: bucket(day(ref), g),
          parent,
          member: null,
          kind: 'time',
          slice: null,
        });
        keyOf.set(id, k);
      }
      parent = k;
    }
    if (member) keys[parent!]!.member = member;
    return parent!;
  };
  const singleBucket = (range: [string, string], field: string): Granularity => {
    for (const g of TIME_CHAIN)
      if (bucketStart(range[0], g) === range[0] && bucketEnd(range[0], g) === range[1]) return g;
    throw cubeError(
      'CUBE_NOT_PROTECTABLE',
      field,
      `intervallo ${range.join(' – ')} non protetto: con il controllo della divulgazione si chiede un anno, un trimestre, un mese o un giorno interi, o una granularità`,
    );
  };
  const aligned = (range: [string, string], g: Granularity, field: string) => {
    if (bucketStart(range[0], g) !== range[0] || bucketEnd(range[1], g) !== range[1])
      throw cubeError(
        'CUBE_NOT_PROTECTABLE',
        field,
        `l'intervallo ${range.join(' – ')} deve essere fatto di periodi interi (${g})`,
      );
  };

  // Dimensions with the levels above them (meta.parent), ancestors first.
  const dimKey = (ref: DimensionRef, member: string | null): number => {
    let k = keyOf.get(ref.name);
    if (k !== undefined) {
      if (member) keys[k]!.member = member;
      return k;
    }
    const parentName = ref.def.meta?.parent;
    const parent = parentName
      ? dimKey(
          {
            member: `${cube.name}.${parentName}`,
            name: parentName,
            def: cube.dimensions[parentName]!,
          },
          null,
        )
      : null;
    k = keys.length;
    keys.push({ col: `k${k}`, expr: '', parent, member, kind: 'dimension', slice: null });
    keyOf.set(ref.name, k);
    (keys[k] as Key & { ref?: DimensionRef }).ref = ref;
    return k;
  };

  let src: Source | null = null;
  const dayOf = (r: DimensionRef) => (src ? src.day(r) : r.name);
  if (t) {
    if (t.granularity) {
      const k = timeKeys(t, t.granularity, `${t.member}.${t.granularity}`, dayOf);
      const ranges = t.compare ?? (t.dateRange ? [t.dateRange] : []);
      for (const r of ranges) aligned(r, t.granularity, 'timeDimensions.0.dateRange');
      if (ranges.length > 0) timeSelection = { key: k, ranges };
    } else if (t.compare) {
      const grains = t.compare.map((r) => singleBucket(r, 'timeDimensions.0.compareDateRange'));
      const g = grains.sort((a, b) => TIME_CHAIN.indexOf(b) - TIME_CHAIN.indexOf(a))[0]!;
      const k = timeKeys(t, g, null, dayOf);
      for (const r of t.compare) aligned(r, g, 'timeDimensions.0.compareDateRange');
      timeSelection = { key: k, ranges: t.compare };
    }
  }
  for (const r of plan.timeRanges) {
    const g = singleBucket(r.range, 'timeDimensions');
    const k = timeKeys(r.ref, g, null, dayOf);
    keys[k]!.slice = r.range[0];
  }
  for (const d of plan.dimensions) dimKey(d, d.member);
  const outputKeys = new Set(keys.map((_, i) => i));
  const walkFilters = (n: FilterNode, top: boolean) => {
    if (n.kind !== 'leaf') {
      for (const c of n.children) walkFilters(c, false);
      return;
    }
    if (n.isMeasure)
      throw cubeError(
        'CUBE_NOT_PROTECTABLE',
        'filters',
        'filtri sulle misure non ammessi con il controllo della divulgazione: rivelerebbero i valori oscurati',
      );
    const ref = n.ref as DimensionRef;
    if (ref.def.type === 'time')
      throw cubeError(
        'CUBE_NOT_PROTECTABLE',
        'filters',
        'filtri di data: usare timeDimensions con dateRange',
      );
    const existing = keyOf.get(ref.name);
    if (existing !== undefined && outputKeys.has(existing)) return;
    if (!top || n.operator !== 'equals' || n.values.length !== 1)
      throw cubeError(
        'CUBE_NOT_PROTECTABLE',
        'filters',
        `filtro su ${ref.member}: con il controllo della divulgazione, su un membro non richiesto si ammette solo "equals" con un valore (aggiungerlo alle dimensioni per gli altri operatori)`,
      );
    const k = dimKey(ref, null);
    keys[k]!.slice = n.values[0]!;
  };
  for (const f of plan.filters) walkFilters(f, true);
  // Filters on members asked for select cells after protection; the others became slices.
  for (const f of plan.filters) {
    const k = f.kind === 'leaf' ? keyOf.get(f.ref.name) : undefined;
    if (k !== undefined && !outputKeys.has(k)) continue;
    selections.push({ key: k ?? -1, node: f });
  }
  // Segments: a 0/1 key sliced at 1 (the cells outside the segment are computed, never returned).
  const segmentKeys = plan.segments.map((s) => {
    const k = keys.length;
    keys.push({
      col: `k${k}`,
      expr: `__segment:${s.sql}`,
      parent: null,
      member: null,
      kind: 'dimension',
      slice: 1,
    });
    return k;
  });
  if (keys.length > 12)
    throw cubeError(
      'CUBE_QUERY_TOO_COSTLY',
      'dimensions',
      'troppe chiavi per il controllo della divulgazione',
    );

  const hiddenDims = keys
    .map((k) => (k as Key & { ref?: DimensionRef }).ref?.name)
    .filter((n): n is string => !!n);
  const rollup =
    options.rollups === false || segmentKeys.length > 0
      ? null
      : chooseProtectedRollup(plan, hiddenDims, finest);
  src = sourceOf(plan, rollup);
  const s = src;
  for (const k of keys) {
    const ref = (k as Key & { ref?: DimensionRef }).ref;
    if (ref) k.expr = s.dim(ref);
    else if (k.expr.startsWith('__segment:'))
      k.expr = `CASE WHEN (${s.render(k.expr.slice(10))}) THEN 1 ELSE 0 END`;
  }
  // Time keys were built with placeholder days (src unknown then): rebuild their expressions.
  if (t) rebuildTime(keys, keyOf, t, s);
  for (const r of plan.timeRanges) rebuildTime(keys, keyOf, r.ref, s);

  const levels = enumerateLevels(keys);
  if (levels.length > MAX_LEVELS)
    throw cubeError(
      'CUBE_QUERY_TOO_COSTLY',
      'dimensions',
      'query troppo costosa per il controllo della divulgazione',
    );

  const params = new Params();
  const meta = cube.meta;
  const contributor = rollup ? `${cube.name}.c_contributor` : s.render(meta.contributor);
  const person = rollup ? `${cube.name}.c_person` : s.render(meta.person);
  const components = uniqueComponents(
    plan.measures.flatMap((m) => measureComponents(cube, m.name, s.render)),
  );
  const inner = [
    ...keys.map((k) => `${k.expr} AS ${k.col}`),
    `${contributor} AS __c`,
    `${person} AS __p`,
    ...components.map((c) => `${rollup ? `sum(${cube.name}.${c.col})` : c.raw} AS ${c.col}`),
  ];
  const amounts = plan.measures.filter((m) => m.def.meta?.sdc === 'amount');
  const finals = plan.measures.map(
    (m, i) =>
      `${m.def.type === 'count' ? 'coalesce(' : ''}${measureFinal(cube, m.name, { raw: false, render: s.render, sumOf: (col) => `sum(${col})`, person: '__p', distinct: false })}${m.def.type === 'count' ? ', 0)' : ''} AS m${i}`,
  );
  const where: string[] = [];
  const scoped = scopeSql(cube, scope, s, params);
  if (scoped) where.push(scoped);
  const joins = joinSql(cube, s.joins, (name) => TABLES[name] ?? `main.${name}`);
  // Dominance: the largest contributions of each cell, at every level (amount measures only).
  const dominance = amounts.map((m) => {
    const i = plan.measures.indexOf(m);
    const col = `m_${m.name.toLowerCase()}`;
    return `list_sort(list(${col}), 'DESC')[1:3] AS top${i}`;
  });
  // Per level, two plain aggregations: the contributors of each cell, then the cells (each row
  // of the first is one contributor, so no DISTINCT is needed: DuckDB's distinct counts cost
  // milliseconds each, and a protected query has many levels). Glued with UNION ALL.
  const n = keys.length;
  const componentCols = components.map((c) => c.col);
  const branches = levels.map((level) => {
    let g = 0;
    for (let i = 0; i < n; i++) if (!level.includes(i)) g |= 1 << (n - 1 - i);
    const group = level.map((i) => keys[i]!.col);
    const perContributor = [
      ...group,
      '__c',
      'any_value(__p) AS __p',
      ...componentCols.map((col) => `sum(${col}) AS ${col}`),
    ];
    const selectKeys = keys.map((k, i) => (level.includes(i) ? k.col : `NULL AS ${k.col}`));
    return [
      `SELECT ${[...selectKeys, `${g} AS __g`, 'count(*) AS __n', 'count(__p) AS __np', ...finals, ...dominance].join(', ')}`,
      `FROM (SELECT ${perContributor.join(', ')} FROM __cells GROUP BY ${[...group, '__c'].join(', ')})`,
      ...(group.length ? [`GROUP BY ${group.join(', ')}`] : []),
    ].join('\n');
  });
  const sql = [
    'WITH __cells AS MATERIALIZED (',
    `  SELECT ${inner.join(', ')}`,
    `  FROM ${s.from}`,
    ...(joins ? [`  ${joins}`] : []),
    ...(where.length ? [`  WHERE ${where.join(' AND ')}`] : []),
    `  GROUP BY ${[...keys.map((k) => k.expr), contributor, person].join(', ')}`,
    ')',
    branches.join('\nUNION ALL\n'),
  ].join('\n');
  const columns: Compiled['columns'] = [
    ...keys.flatMap((k) => (k.member ? [{ col: k.col, member: k.member, kind: k.kind }] : [])),
    ...plan.measures.map((m, i) => ({ col: `m${i}`, member: m.member, kind: 'measure' as const })),
  ];
  const keyCols: Record<string, string> = {};
  for (const [name, k] of keyOf) if (!name.includes('.')) keyCols[name] = keys[k]!.col;
  return {
    sql,
    params: params.values,
    rollup: rollup?.name ?? null,
    columns,
    keys,
    levels,
    selections,
    keyCols,
    timeSelection,
  };
}

function rebuildTime(keys: Key[], keyOf: Map<string, number>, ref: DimensionRef, s: Source) {
  for (const g of TIME_CHAIN) {
    const k = keyOf.get(`${ref.name}.${g}`);
    if (k !== undefined) keys[k]!.expr = bucket(s.day(ref), g);
  }
}

function chooseProtectedRollup(
  plan: Plan,
  hidden: string[],
  finest: Granularity | null,
): Rollup | null {
  // A protected query reads every bucket (ranges select cells afterwards): what matters is that
  // the rollup's grain is at or below the finest time key.
  const timeDims = new Set([
    ...(plan.time ? [plan.time.name] : []),
    ...plan.timeRanges.map((r) => r.ref.name),
  ]);
  if (timeDims.size > 1) return null;
  const ref = plan.time ?? plan.timeRanges[0]?.ref ?? null;
  const time =
    ref && finest ? { ...ref, granularity: finest, dateRange: null, compare: null } : null;
  return chooseRollup({ ...plan, filters: [], time, timeRanges: [] }, hidden);
}

/** Every subset of the keys closed under nesting (a key's parent is in whenever it is). */
export function enumerateLevels(keys: Key[]): number[][] {
  const out: number[][] = [];
  const n = keys.length;
  for (let mask = (1 << n) - 1; mask >= 0; mask--) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const p = keys[i]!.parent;
      if (mask & (1 << i) && p !== null && !(mask & (1 << p))) ok = false;
    }
    if (!ok) continue;
    out.push(keys.map((_, i) => i).filter((i) => mask & (1 << i)));
    if (out.length > MAX_LEVELS) break;
  }
  return out;
}
