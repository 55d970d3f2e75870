// Statistical disclosure control of a protected query (DESIGN.md section 5; anchor-users.md §5).
//
// Primary suppression: a cell counting fewer than k distinct persons (k = 3), or whose
// amount is dominated by its n largest contributors (n = 2, over 85% of the cell: sdcTable's
// defaults). Secondary (complementary) suppression, level by level from the coarsest, so that a
// level's pattern never depends on a finer one and every query asking for the same cells sees
// the same pattern. For every line of a level (the cells that add up to one cell of the level
// above, along one key):
//   - when the cell above is published, 0 or at least 2 of the line's cells are suppressed, so
//     no suppressed cell is the difference between the total and the others;
//   - when the cell above is suppressed, at least 1 is, so the suppressed total cannot be rebuilt
//     by adding up the finer cells (the drill-down attack).
// A complement is the line's published cell with the fewest contributors (least information
// lost, as tau-Argus's modular method prefers), never one whose value is public anyway (the only
// cell of another line under a published total).
import type { Key } from './compile.ts';

export type SdcOptions = {
  k: number;
  dominance: { n: number; k: number };
};

export const DEFAULT_SDC: SdcOptions = { k: 3, dominance: { n: 2, k: 0.85 } };

export type Reason = 'frequency' | 'dominance' | 'complementary';

export type Cell = {
  values: (string | number | null)[];
  /** Distinct contributors (persons, and anonymous records one each) and distinct persons. */
  n: number;
  persons: number;
  measures: (number | null)[];
  tops: (number[] | null)[];
  reason: Reason | null;
};

export type ProtectedTable = {
  /** The finest level's cells (the query's own), keyed by their values. */
  cells: Cell[];
  /** Cells suppressed at any level, by reason (the finest level's are also in `cells`). */
  counts: Record<Reason, number>;
  /** Lines where no complement could be found (every candidate's value was public). */
  unresolved: number;
};

type Level = { keys: number[]; cells: Map<string, Cell> };

const cellId = (values: readonly unknown[], keys: readonly number[]) =>
  JSON.stringify(keys.map((k) => values[k] ?? null));

/**
 * Protects the rows of a protected statement: `rows` carry the key columns, `__g` (GROUPING's
 * bit mask), `__n` (distinct contributors), the measures `m0…` and, for amounts, `top0…`.
 */
export function protect(
  rows: Record<string, unknown>[],
  keys: Key[],
  levels: number[][],
  measureCount: number,
  amountMeasures: number[],
  options: SdcOptions = DEFAULT_SDC,
): ProtectedTable {
  const n = keys.length;
  const byMask = new Map<number, Level>();
  for (const l of levels) {
    let g = 0;
    for (let i = 0; i < n; i++) if (!l.includes(i)) g |= 1 << (n - 1 - i);
    byMask.set(g, { keys: l, cells: new Map() });
  }
  // Cells in key order, not in the order DuckDB returns groups (which a parallel aggregation
  // does not fix): lines are visited in cell order and a complement chosen on one line counts on
  // the next, so the pattern must not depend on it (the ETL's precomputed cells and a live answer
  // are the same cells).
  const sortedRows = rows
    .map((r) => ({
      r,
      id: `${Number(r.__g ?? 0)}|${cellId(
        keys.map((k) => r[k.col] ?? null),
        keys.map((_, i) => i),
      )}`,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const { r } of sortedRows) {
    const level = byMask.get(Number(r.__g ?? 0));
    if (!level) continue;
    const values = keys.map((k) => (r[k.col] ?? null) as string | number | null);
    const cell: Cell = {
      values,
      n: Number(r.__n),
      persons: Number(r.__np ?? r.__n),
      measures: Array.from({ length: measureCount }, (_, i) =>
        r[`m${i}`] === null || r[`m${i}`] === undefined ? null : Number(r[`m${i}`]),
      ),
      tops: Array.from({ length: measureCount }, (_, i) => {
        const t = r[`top${i}`];
        return Array.isArray(t)
          ? t.map(Number)
          : typeof t === 'string'
            ? (JSON.parse(t) as number[])
            : null;
      }),
      reason: null,
    };
    level.cells.set(cellId(values, level.keys), cell);
  }
  const counts: Record<Reason, number> = { frequency: 0, dominance: 0, complementary: 0 };
  let unresolved = 0;
  const ordered = [...byMask.values()].sort((a, b) => a.keys.length - b.keys.length);
  const levelOf = (ks: number[]) =>
    ordered.find((l) => l.keys.length === ks.length && l.keys.every((k) => ks.includes(k)));

  for (const level of ordered) {
    // Primary suppression.
    for (const cell of level.cells.values()) {
      if (cell.n > 0 && cell.persons < options.k) cell.reason = 'frequency';
      else
        for (const i of amountMeasures) {
          const total = cell.measures[i] ?? 0;
          const top = (cell.tops[i] ?? []).slice(0, options.dominance.n).reduce((a, b) => a + b, 0);
          if (total > 0 && top > options.dominance.k * total) cell.reason = 'dominance';
        }
    }
    // The lines of this level: along each key whose removal leaves a level (no child key left).
    const lines: { cells: Cell[]; margin: Cell | undefined }[] = [];
    const linesOf = new Map<Cell, { cells: Cell[]; margin: Cell | undefined }[]>();
    for (const d of level.keys) {
      if (level.keys.some((k) => keys[k]!.parent === d)) continue;
      const rest = level.keys.filter((k) => k !== d);
      const above = levelOf(rest);
      const groups = new Map<string, Cell[]>();
      for (const cell of level.cells.values()) {
        const id = cellId(cell.values, rest);
        const g = groups.get(id);
        if (g) g.push(cell);
        else groups.set(id, [cell]);
      }
      for (const [id, cells] of groups) {
        const line = { cells, margin: above?.cells.get(id) };
        lines.push(line);
        for (const c of cells) {
          const l = linesOf.get(c);
          if (l) l.push(line);
          else linesOf.set(c, [line]);
        }
      }
    }
    const publicValue = (c: Cell) =>
      (linesOf.get(c) ?? []).some(
        (l) => l.cells.length === 1 && l.margin && l.margin.reason === null,
      );
    const order = (a: Cell, b: Cell) =>
      a.n - b.n || JSON.stringify(a.values).localeCompare(JSON.stringify(b.values));
    let changed = true;
    const hopeless = new Set<object>();
    while (changed) {
      changed = false;
      for (const line of lines) {
        const suppressed = line.cells.filter((c) => c.reason !== null).length;
        const marginSuppressed = line.margin ? line.margin.reason !== null : false;
        const need = marginSuppressed ? (suppressed === 0 ? 1 : 0) : suppressed === 1 ? 1 : 0;
        if (need === 0 || hopeless.has(line)) continue;
        const candidate = line.cells
          .filter((c) => c.reason === null && !publicValue(c))
          .sort(order)[0];
        if (!candidate) {
          hopeless.add(line);
          continue;
        }
        candidate.reason = 'complementary';
        changed = true;
      }
    }
    unresolved += hopeless.size;
    for (const cell of level.cells.values()) if (cell.reason) counts[cell.reason]++;
  }
  const finest = ordered[ordered.length - 1]!;
  return { cells: [...finest.cells.values()], counts, unresolved };
}
