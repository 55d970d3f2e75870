import type { Query } from '@cubejs-client/core';
import type { CubeAnswer, MetaCube } from '../cruscotti/cube-api.ts';
import {
  type Cell,
  type DataTable,
  measureCell,
  provenanceNotes,
} from '../cruscotti/data-table.ts';
import { type ExplorerView, type Grain, TIME } from './explorer-view.ts';

// The explorer's pivot. Totals and subtotals come from the engine, never from adding cells up
// in the browser: the engine's protected answers suppress cells, and a count of distinct
// persons does not add up anyway. So the pivot asks one query per grouping level (each prefix
// of the rows × each prefix of the columns), and the engine, whose suppression pattern is the
// same whatever the query asks, answers every total consistently with the cells under it.

export type Level = { rows: number; cols: number };
export type LevelQuery = { level: Level; query: Query };

export function dateRangeOf(view: ExplorerView, today: string): [string, string] {
  const t = view.time;
  if (t?.from && t.to) return [t.from, t.to];
  // The last complete calendar year: the engine protects whole periods only (the totals are
  // asked without a grain), so a rolling 12 months would be refused.
  const y = Number(today.slice(0, 4)) - 1;
  return [`${y}-01-01`, `${y}-12-31`];
}

function shiftYear(day: string, years: number): string {
  return `${Number(day.slice(0, 4)) + years}${day.slice(4)}`;
}

/** The queries of a view: one per level, the finest first. */
export function pivotQueries(view: ExplorerView, today: string): LevelQuery[] {
  const out: LevelQuery[] = [];
  const range = dateRangeOf(view, today);
  for (let r = view.rows.length; r >= 0; r--)
    for (let c = view.columns.length; c >= 0; c--) {
      const dims = [...view.rows.slice(0, r), ...view.columns.slice(0, c)];
      const withTime = dims.includes(TIME);
      const q: Query = {
        measures: view.measures,
        dimensions: dims.filter((d) => d !== TIME),
        filters: view.filters.map((f) => ({
          member: f.member,
          operator: 'equals' as const,
          values: f.values,
        })),
        limit: 5000,
      };
      if (view.time) {
        const td: Record<string, unknown> = { dimension: view.time.dimension };
        if (withTime) td.granularity = view.time.grain;
        if (view.compare)
          td.compareDateRange = [range, [shiftYear(range[0], -1), shiftYear(range[1], -1)]];
        else td.dateRange = range;
        q.timeDimensions = [td as never];
      }
      out.push({ level: { rows: r, cols: c }, query: q });
    }
  return out;
}

export type Line = { kind: 'leaf' | 'subtotal' | 'total'; values: string[] };
export type ValueColumn = { col: Line; measure: string; range: number };

export type Pivot = {
  rowLines: Line[];
  colLines: Line[];
  valueColumns: ValueColumn[];
  cell(row: Line, col: ValueColumn): Cell;
  answers: CubeAnswer[];
};

const key = (vals: readonly string[]) => JSON.stringify(vals);

/** The member's value of a row as the pivot keys it (time: the bucket's first day). */
function keyValue(
  row: Record<string, unknown>,
  member: string,
  view: ExplorerView,
  range: number,
): string {
  if (member === TIME && view.time) {
    const raw = String(
      row[`${view.time.dimension}.${view.time.grain}`] ?? row[view.time.dimension] ?? '',
    ).slice(0, 10);
    // The previous year's buckets line up under this year's.
    return range === 1 ? shiftYear(raw, 1) : raw;
  }
  const v = row[member];
  return v === null || v === undefined ? '' : String(v);
}

/** Lines in order, each group followed by its subtotal, the total last. */
function lines(tuples: string[][], depth: number): Line[] {
  const sorted = [...new Map(tuples.map((t) => [key(t), t])).values()].sort((a, b) => {
    for (let i = 0; i < depth; i++) {
      const c = (a[i] ?? '').localeCompare(b[i] ?? '', 'it', { numeric: true });
      if (c !== 0) return c;
    }
    return 0;
  });
  const out: Line[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i] as string[];
    out.push({ kind: 'leaf', values: t });
    // Subtotals of every enclosing group that ends here (never for the innermost level).
    for (let d = depth - 1; d >= 1; d--) {
      const next = sorted[i + 1];
      if (!next || key(next.slice(0, d)) !== key(t.slice(0, d)))
        out.push({ kind: 'subtotal', values: t.slice(0, d) });
    }
  }
  if (depth > 0) out.push({ kind: 'total', values: [] });
  else out.push({ kind: 'total', values: [] });
  return out;
}

export function assemblePivot(
  view: ExplorerView,
  results: { level: Level; answers: CubeAnswer[] }[],
): Pivot {
  const R = view.rows.length;
  const C = view.columns.length;
  const ranges = view.compare ? 2 : 1;
  const cells = new Map<string, Cell>();
  const rowTuples: string[][] = [];
  const colTuples: string[][] = [];
  for (const { level, answers } of results)
    answers.slice(0, ranges).forEach((a, range) => {
      for (const row of a.rows) {
        const rv = view.rows.slice(0, level.rows).map((m) => keyValue(row, m, view, range));
        const cv = view.columns.slice(0, level.cols).map((m) => keyValue(row, m, view, range));
        if (level.rows === R && level.cols === 0) rowTuples.push(rv);
        if (level.cols === C && level.rows === 0) colTuples.push(cv);
        if (level.rows === R && level.cols === C) {
          rowTuples.push(rv);
          colTuples.push(cv);
        }
        for (const m of view.measures)
          cells.set(`${key(rv)}|${key(cv)}|${m}|${range}`, measureCell(row[m], a.disclosure));
      }
    });
  const rowLines = R === 0 ? [{ kind: 'total' as const, values: [] }] : lines(rowTuples, R);
  const colLines = C === 0 ? [{ kind: 'total' as const, values: [] }] : lines(colTuples, C);
  const valueColumns: ValueColumn[] = [];
  for (const col of colLines)
    for (const measure of view.measures)
      for (let range = 0; range < ranges; range++) valueColumns.push({ col, measure, range });
  return {
    rowLines,
    colLines,
    valueColumns,
    cell: (row, vc) =>
      cells.get(`${key(row.values)}|${key(vc.col.values)}|${vc.measure}|${vc.range}`) ?? null,
    answers: results.flatMap((r) => r.answers),
  };
}

const grainLabel = new Intl.DateTimeFormat('it-IT', {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

export function valueLabel(member: string, value: string, grain: Grain | null): string {
  if (member !== TIME) return value === '' ? 'non indicato' : value;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return value;
  if (grain === 'year') return String(d.getUTCFullYear());
  if (grain === 'quarter') return `T${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  return grainLabel.format(d);
}

export function lineLabel(
  line: Line,
  members: string[],
  grain: Grain | null,
  total: string,
): string {
  if (line.kind === 'total') return total;
  const text = line.values.map((v, i) => valueLabel(members[i] as string, v, grain)).join(' · ');
  return line.kind === 'subtotal' ? `${total} ${text}` : text;
}

export function memberLabel(meta: readonly MetaCube[], member: string, timeLabel: string): string {
  if (member === TIME) return timeLabel;
  const c = meta.find((x) => x.name === member.split('.')[0]);
  return (
    [...(c?.measures ?? []), ...(c?.dimensions ?? [])].find((m) => m.name === member)?.title ??
    member
  );
}

/** The pivot as one flat table (row headers, then one column per value column), for exports. */
export function pivotTable(
  view: ExplorerView,
  pivot: Pivot,
  meta: readonly MetaCube[],
  title: string,
  words: { total: string; time: string; previousYear: string },
): DataTable {
  const grain = view.time?.grain ?? null;
  const rowHeaders = view.rows.length ? view.rows : ['@none'];
  return {
    title,
    columns: [
      ...rowHeaders.map((m) => ({
        label: m === '@none' ? '' : memberLabel(meta, m, words.time),
        format: 'text' as const,
      })),
      ...pivot.valueColumns.map((vc) => ({
        label: [
          vc.col.kind === 'total' && view.columns.length
            ? words.total
            : lineLabel(vc.col, view.columns, grain, words.total),
          memberLabel(meta, vc.measure, words.time),
          vc.range === 1 ? words.previousYear : '',
        ]
          .filter(Boolean)
          .join(' · '),
        format: 'number' as const,
      })),
    ],
    rows: pivot.rowLines.map((line) => [
      ...rowHeaders.map((m, i) =>
        line.kind === 'total'
          ? i === 0
            ? words.total
            : ''
          : i < line.values.length
            ? valueLabel(m, line.values[i] as string, grain)
            : i === line.values.length
              ? words.total
              : '',
      ),
      ...pivot.valueColumns.map((vc) => pivot.cell(line, vc)),
    ]),
    notes: [
      ...provenanceNotes(pivot.answers[0] ?? null),
      'Totali e subtotali calcolati dal magazzino, non sommati dalle celle.',
    ],
  };
}

/** The member one level below in the model's hierarchy (meta `parent`), names by their codes. */
export function childOf(meta: readonly MetaCube[], member: string): string | null {
  const [cube, name] = member.split('.') as [string, string];
  const c = meta.find((x) => x.name === cube);
  if (!c) return null;
  const isName = name.endsWith('Name');
  const code = isName ? `${cube}.${name.slice(0, -4)}` : member;
  const child = c.dimensions.find((d) => d.parent === code);
  if (!child) return null;
  if (!isName) return child.name;
  const childName = `${child.name}Name`;
  return c.dimensions.some((d) => d.name === childName) ? childName : child.name;
}

/** The view one level down on a cell: its coordinates as filters, the deepest row dimension replaced by its child. */
export function drillView(
  view: ExplorerView,
  meta: readonly MetaCube[],
  row: Line,
  col: Line,
): ExplorerView | null {
  const filters = [...view.filters];
  let time = view.time;
  const fix = (members: string[], values: string[]) =>
    values.forEach((v, i) => {
      const m = members[i] as string;
      if (m === TIME && time) {
        const [from, to] = bucketRange(v, time.grain);
        time = { ...time, from, to };
      } else if (m !== TIME) {
        const at = filters.findIndex((f) => f.member === m);
        if (at >= 0) filters.splice(at, 1);
        filters.push({ member: m, values: [v] });
      }
    });
  fix(view.rows, row.values);
  fix(view.columns, col.values);
  const deepest = view.rows[row.values.length - 1] ?? view.rows[0];
  if (!deepest) return null;
  let rows: string[];
  if (deepest === TIME) {
    if (!time || time.grain === 'month') return null;
    time = { ...time, grain: time.grain === 'year' ? 'quarter' : 'month' };
    rows = view.rows;
  } else {
    const child = childOf(meta, deepest);
    if (!child) return null;
    rows = view.rows.map((m) => (m === deepest ? child : m));
  }
  return { ...view, rows, filters, time };
}

function bucketRange(start: string, grain: Grain): [string, string] {
  const months = grain === 'year' ? 12 : grain === 'quarter' ? 3 : 1;
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7)) - 1 + months;
  const end = new Date(Date.UTC(y, m, 0));
  return [start, end.toISOString().slice(0, 10)];
}
