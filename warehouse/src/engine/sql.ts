// Rendering of the model's SQL snippets and of query values as parameters: the only strings
// spliced into a statement come from the model; every value a caller sends is a $n parameter.
import type { CubeDef, MeasureDef } from '../model/cube.types.ts';
import type { FilterNode, Operator } from './query.ts';

export class Params {
  readonly values: (string | number)[] = [];
  add(v: string | number): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** `{CUBE}` → the cube's alias, `{join}` → the joined cube's alias (noting the join as used). */
export function renderSql(sql: string, cube: CubeDef, joins: Set<string>): string {
  return sql.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    if (name === 'CUBE') return cube.name;
    if (!cube.joins?.[name]) throw new Error(`cube ${cube.name}: unknown reference {${name}}`);
    joins.add(name);
    return name;
  });
}

export function joinSql(
  cube: CubeDef,
  joins: Set<string>,
  tableOf: (cube: string) => string,
): string {
  return [...joins]
    .sort()
    .map((name) => {
      const on = renderSql(cube.joins![name]!.sql, cube, new Set());
      return `LEFT JOIN ${tableOf(name)} AS ${name} ON ${on}`;
    })
    .join('\n');
}

const DATE = (p: string) => `CAST(${p} AS DATE)`;

/** One filter leaf as SQL over `expr` (Cube's semantics: the negated operators keep NULLs). */
export function operatorSql(
  expr: string,
  op: Operator,
  values: (string | number)[],
  params: Params,
  time: boolean,
): string {
  const p = (v: string | number) => (time ? DATE(params.add(v)) : params.add(v));
  const any = (f: (param: string) => string) => `(${values.map((v) => f(p(v))).join(' OR ')})`;
  switch (op) {
    case 'equals':
      return `${expr} IN (${values.map(p).join(', ')})`;
    case 'notEquals':
      return `(${expr} NOT IN (${values.map(p).join(', ')}) OR ${expr} IS NULL)`;
    case 'contains':
      return any((x) => `contains(lower(${expr}), lower(${x}))`);
    case 'notContains':
      return `(NOT ${any((x) => `contains(lower(${expr}), lower(${x}))`)} OR ${expr} IS NULL)`;
    case 'startsWith':
      return any((x) => `starts_with(lower(${expr}), lower(${x}))`);
    case 'notStartsWith':
      return `(NOT ${any((x) => `starts_with(lower(${expr}), lower(${x}))`)} OR ${expr} IS NULL)`;
    case 'endsWith':
      return any((x) => `suffix(lower(${expr}), lower(${x}))`);
    case 'notEndsWith':
      return `(NOT ${any((x) => `suffix(lower(${expr}), lower(${x}))`)} OR ${expr} IS NULL)`;
    case 'gt':
      return `${expr} > ${p(values[0]!)}`;
    case 'gte':
      return `${expr} >= ${p(values[0]!)}`;
    case 'lt':
      return `${expr} < ${p(values[0]!)}`;
    case 'lte':
      return `${expr} <= ${p(values[0]!)}`;
    case 'set':
      return `${expr} IS NOT NULL`;
    case 'notSet':
      return `${expr} IS NULL`;
    case 'inDateRange':
      return `${expr} BETWEEN ${DATE(params.add(values[0]!))} AND ${DATE(params.add(values[1]!))}`;
    case 'notInDateRange':
      return `(${expr} NOT BETWEEN ${DATE(params.add(values[0]!))} AND ${DATE(params.add(values[1]!))} OR ${expr} IS NULL)`;
    case 'beforeDate':
      return `${expr} < ${DATE(params.add(values[0]!))}`;
    case 'beforeOrOnDate':
      return `${expr} <= ${DATE(params.add(values[0]!))}`;
    case 'afterDate':
      return `${expr} > ${DATE(params.add(values[0]!))}`;
    case 'afterOrOnDate':
      return `${expr} >= ${DATE(params.add(values[0]!))}`;
  }
}

/** The same operators in JavaScript, for selecting protected cells after disclosure control. */
export function operatorMatches(v: unknown, op: Operator, values: (string | number)[]): boolean {
  const s =
    v === null || v === undefined ? null : String(v).slice(0, op.includes('Date') ? 10 : undefined);
  const l = s?.toLowerCase() ?? null;
  const vs = values.map((x) => String(x));
  switch (op) {
    case 'equals':
      return s !== null && vs.includes(s);
    case 'notEquals':
      return s === null || !vs.includes(s);
    case 'contains':
      return l !== null && vs.some((x) => l.includes(x.toLowerCase()));
    case 'notContains':
      return l === null || !vs.some((x) => l.includes(x.toLowerCase()));
    case 'startsWith':
      return l !== null && vs.some((x) => l.startsWith(x.toLowerCase()));
    case 'notStartsWith':
      return l === null || !vs.some((x) => l.startsWith(x.toLowerCase()));
    case 'endsWith':
      return l !== null && vs.some((x) => l.endsWith(x.toLowerCase()));
    case 'notEndsWith':
      return l === null || !vs.some((x) => l.endsWith(x.toLowerCase()));
    case 'gt':
      return s !== null && (typeof values[0] === 'number' ? Number(v) > values[0] : s > vs[0]!);
    case 'gte':
      return s !== null && (typeof values[0] === 'number' ? Number(v) >= values[0] : s >= vs[0]!);
    case 'lt':
      return s !== null && (typeof values[0] === 'number' ? Number(v) < values[0] : s < vs[0]!);
    case 'lte':
      return s !== null && (typeof values[0] === 'number' ? Number(v) <= values[0] : s <= vs[0]!);
    case 'set':
      return s !== null;
    case 'notSet':
      return s === null;
    case 'inDateRange':
      return s !== null && s >= vs[0]! && s <= vs[1]!;
    case 'notInDateRange':
      return s === null || s < vs[0]! || s > vs[1]!;
    case 'beforeDate':
      return s !== null && s < vs[0]!;
    case 'beforeOrOnDate':
      return s !== null && s <= vs[0]!;
    case 'afterDate':
      return s !== null && s > vs[0]!;
    case 'afterOrOnDate':
      return s !== null && s >= vs[0]!;
  }
}

export function filterSql(
  node: FilterNode,
  exprOf: (node: Extract<FilterNode, { kind: 'leaf' }>) => string,
  params: Params,
): string {
  if (node.kind === 'leaf') {
    const time = !node.isMeasure && 'type' in node.ref.def && node.ref.def.type === 'time';
    return operatorSql(exprOf(node), node.operator, node.values, params, time);
  }
  const parts = node.children.map((c) => filterSql(c, exprOf, params));
  return `(${parts.join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
}

/** The component columns a measure is made of, computed over fact rows. */
export type Component = { col: string; raw: string };

export function measureComponents(
  cube: CubeDef,
  name: string,
  render: (sql: string) => string,
  seen: Set<string> = new Set(),
): Component[] {
  const def = cube.measures[name]!;
  const where = filterWhere(def, render);
  const col = `m_${name.toLowerCase()}`;
  switch (def.type) {
    case 'count':
      return [{ col, raw: `count(*)${where}` }];
    case 'count_distinct':
      return where ? [{ col: `${col}_n`, raw: `count(*)${where}` }] : [];
    case 'sum':
      return [{ col, raw: `sum(${render(def.sql!)})${where}` }];
    case 'avg':
      return [
        { col: `${col}_s`, raw: `sum(${render(def.sql!)})${where}` },
        { col: `${col}_n`, raw: `count(${render(def.sql!)})${where}` },
      ];
    case 'number': {
      if (seen.has(name)) throw new Error(`cube ${cube.name}: measure ${name} refers to itself`);
      seen.add(name);
      return referencedMeasures(def).flatMap((m) => measureComponents(cube, m, render, seen));
    }
  }
}

export function referencedMeasures(def: MeasureDef): string[] {
  return [...(def.sql ?? '').matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
}

function filterWhere(def: MeasureDef, render: (sql: string) => string): string {
  if (!def.filters?.length) return '';
  return ` FILTER (WHERE ${def.filters.map((f) => `(${render(f.sql)})`).join(' AND ')})`;
}

/**
 * A measure's final expression. `sumOf(col)` re-aggregates a component column; `person` is the
 * column of person pseudonyms at that level. With `raw`, the expression runs on fact rows.
 */
export function measureFinal(
  cube: CubeDef,
  name: string,
  ctx: {
    raw: boolean;
    render: (sql: string) => string;
    sumOf: (col: string) => string;
    person: string;
    /** False when each row already is one contributor (no DISTINCT needed). */
    distinct?: boolean;
  },
): string {
  const def = cube.measures[name]!;
  const col = `m_${name.toLowerCase()}`;
  const where = filterWhere(def, ctx.render);
  switch (def.type) {
    case 'count':
      return ctx.raw ? `count(*)${where}` : ctx.sumOf(col);
    case 'count_distinct':
      if (ctx.raw) return `count(DISTINCT ${ctx.render(def.sql!)})${where}`;
      return `count(${ctx.distinct === false ? '' : 'DISTINCT '}${ctx.person})${where ? ` FILTER (WHERE ${col}_n > 0)` : ''}`;
    case 'sum':
      return ctx.raw ? `sum(${ctx.render(def.sql!)})${where}` : ctx.sumOf(col);
    case 'avg':
      return ctx.raw
        ? `avg(${ctx.render(def.sql!)})${where}`
        : `(${ctx.sumOf(`${col}_s`)} / NULLIF(${ctx.sumOf(`${col}_n`)}, 0))`;
    case 'number':
      return `(${def.sql!.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, m: string) => `CAST(${measureFinal(cube, m, ctx)} AS DOUBLE)`)})`;
  }
}

/** True when the measure can be computed from a rollup (its distinct count is of persons). */
export function additive(cube: CubeDef, name: string): boolean {
  const def = cube.measures[name]!;
  if (def.type === 'count_distinct') return def.sql === cube.meta?.person;
  if (def.type === 'number') return referencedMeasures(def).every((m) => additive(cube, m));
  return true;
}

/** Components in first-seen order, each column once. */
export function uniqueComponents(list: Component[]): Component[] {
  const byCol = new Map<string, Component>();
  for (const c of list) if (!byCol.has(c.col)) byCol.set(c.col, c);
  return [...byCol.values()];
}
