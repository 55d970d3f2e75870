// The cube engine: a Cube query in, Cube's answer out (the shape `@cubejs-client/core` 1.7
// reads), with row-level security and disclosure control applied here, in the engine, on every
// path that calls it (REST, GraphQL, Arrow, exports).
import { CUBES } from '../../model/index.ts';
import type { CubeDef, Granularity } from '../model/cube.types.ts';
import { cubeError, WarehouseError } from '../warehouse.errors.ts';
import type { Warehouse } from '../warehouse.ts';
import { type Compiled, compilePlain, compileProtected, type Scope } from './compile.ts';
import {
  type CubeQuery,
  createModel,
  type FilterNode,
  type Model,
  type Plan,
  planQuery,
} from './query.ts';
import { DEFAULT_SDC, type Reason, type SdcOptions } from './sdc.ts';
import {
  amountMeasures,
  canonicalScope,
  computeProtectedCells,
  createProtectedCellsReader,
  type ProtectedCells,
  protectionSignature,
} from './sdc-cells.ts';
import { operatorMatches } from './sql.ts';

/** Who asks: which rows they may count, and whether their numbers pass disclosure control. */
export type Viewer = { scope: Scope; protected: boolean };

export type Disclosure = {
  k: number;
  dominance: { n: number; k: number };
  /** Suppressed cells among those returned, in all and by reason. */
  suppressed: number;
  byReason: Record<Reason, number>;
  unresolved: number;
};

export type Provenance = {
  /** `rollup:<name>` or `table:<fact table>`. */
  source: string;
  build: string;
  loadedAt: string;
  lastChangeSeq: number;
  lastChangeAt: string | null;
  /** Protected answers: whether their cells were precomputed by the ETL or computed now. */
  protectedCells?: 'precomputed' | 'live';
};

export type CubeResult = {
  query: CubeQuery;
  data: Record<string, string | number | null>[];
  lastRefreshTime: string;
  annotation: {
    measures: Record<string, MemberAnnotation>;
    dimensions: Record<string, MemberAnnotation>;
    segments: Record<string, MemberAnnotation>;
    timeDimensions: Record<string, MemberAnnotation>;
  };
  dataSource: 'default';
  dbType: 'duckdb';
  external: false;
  slowQuery: false;
  total?: number;
  provenance: Provenance;
  disclosure: Disclosure | null;
};

export type CubeLoadResponse = {
  queryType: 'regularQuery' | 'compareDateRangeQuery';
  results: CubeResult[];
  pivotQuery: CubeQuery & { queryType: string };
  slowQuery: false;
};

type MemberAnnotation = {
  title: string;
  shortTitle: string;
  type: string;
  format?: string;
  granularity?: { name: string; title: string; interval: string };
  drillMembers?: string[];
  drillMembersGrouped?: { measures: string[]; dimensions: string[] };
};

export type EngineOptions = {
  cubes?: readonly CubeDef[];
  sdc?: Partial<SdcOptions>;
  /** The hub's day (Europe/Rome), for relative date ranges. */
  today?: () => string;
  /** Serve rollups when they give the same answer (on by default; off for comparisons). */
  rollups?: boolean;
  /** Answer protected queries from the ETL's precomputed cells when they match (on by default). */
  precomputed?: boolean;
};

const romeToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());

export function createCubeEngine(warehouse: Warehouse, options: EngineOptions = {}) {
  const model: Model = createModel(options.cubes ?? CUBES);
  const sdc: SdcOptions = { ...DEFAULT_SDC, ...options.sdc };
  const today = options.today ?? romeToday;
  const precomputedCells = createProtectedCellsReader(warehouse);

  function plan(query: unknown): Plan {
    return planQuery(model, query, today());
  }

  /** The statement a query compiles to, for a viewer (the hub's `/sql` and the golden tests). */
  function compile(query: unknown, viewer: Viewer): Compiled {
    const p = plan(query);
    return viewer.protected
      ? compileProtected(p, canonicalScope(viewer.scope), { rollups: options.rollups })
      : compilePlain(p, viewer.scope, { rollups: options.rollups });
  }

  async function load(query: unknown, viewer: Viewer): Promise<CubeLoadResponse> {
    const p = plan(query);
    const state = await warehouse.loadState();
    if (!state)
      throw new WarehouseError(
        'WAREHOUSE_NOT_LOADED',
        'il magazzino non è ancora stato caricato: attendere il primo caricamento',
      );
    const ranges = p.time?.compare ?? [null];
    let rowsPerRange: Record<string, string | number | null>[][];
    let compiled: Compiled;
    let disclosure: Disclosure | null = null;
    let protectedCells: Provenance['protectedCells'];
    if (viewer.protected) {
      const c = compileProtected(p, canonicalScope(viewer.scope), { rollups: options.rollups });
      compiled = c;
      // The ETL's cells when it precomputed this very statement for this load; else computed now.
      let table: ProtectedCells | null =
        options.precomputed === false
          ? null
          : await precomputedCells(protectionSignature(c, amountMeasures(p), sdc), state);
      protectedCells = table ? 'precomputed' : 'live';
      table ??= await computeProtectedCells(warehouse.read, p, c, sdc);
      const byReason: Record<Reason, number> = { frequency: 0, dominance: 0, complementary: 0 };
      const colIndex = new Map(c.keys.map((k, i) => [k.col, i]));
      const keyValue = (cell: { values: unknown[] }, name: string) =>
        cell.values[colIndex.get(c.keyCols[name]!)!];
      const selected = table.cells.filter(
        (cell) =>
          c.keys.every((k, i) => k.slice === null || String(cell.values[i]) === String(k.slice)) &&
          c.selections.every((s) => matches(s.node, (name) => keyValue(cell, name))),
      );
      rowsPerRange = ranges.map((range) => {
        const inRange = selected.filter((cell) => {
          if (!c.timeSelection) return true;
          const v = String(cell.values[c.timeSelection.key]).slice(0, 10);
          const rs = range ? [range] : c.timeSelection.ranges;
          return rs.some((r) => v >= r[0] && v <= r[1]);
        });
        for (const cell of inRange) if (cell.reason) byReason[cell.reason]++;
        return inRange.map((cell) => {
          const row: Record<string, string | number | null> = {};
          c.keys.forEach((k, i) => {
            if (k.member) row[k.member] = formatValue(cell.values[i] ?? null, k.kind);
          });
          p.measures.forEach((m, i) => {
            row[m.member] = cell.reason ? null : roundMeasure(cell.measures[i] ?? null);
          });
          return row;
        });
      });
      rowsPerRange = rowsPerRange.map((rows) => orderRows(rows, p));
      disclosure = {
        k: sdc.k,
        dominance: sdc.dominance,
        suppressed: byReason.frequency + byReason.dominance + byReason.complementary,
        byReason,
        unresolved: table.unresolved,
      };
    } else {
      const c = compilePlain(p, viewer.scope, { rollups: options.rollups });
      compiled = c;
      const rows = await warehouse.read(c.sql, c.params);
      rowsPerRange = ranges.map((_, i) =>
        rows
          .filter((r) => !p.time?.compare || Number(r.range) === i)
          .map((r) => {
            const row: Record<string, string | number | null> = {};
            for (const col of c.columns)
              row[col.member] =
                col.kind === 'measure'
                  ? roundMeasure(r[col.col] as number | null)
                  : formatValue(r[col.col] ?? null, col.kind);
            if (p.total) row.__total = Number(r.__total);
            return row;
          }),
      );
    }
    const provenance: Provenance = {
      source: compiled.rollup ? `rollup:${compiled.rollup}` : `table:${p.cube.sql_table}`,
      build: state.build,
      loadedAt: state.loadedAt.toISOString(),
      lastChangeSeq: state.lastChangeSeq,
      lastChangeAt: state.lastChangeAt?.toISOString() ?? null,
      ...(protectedCells ? { protectedCells } : {}),
    };
    const annotation = annotate(p);
    const results: CubeResult[] = rowsPerRange.map((rows, i) => {
      const range = ranges[i];
      let total: number | undefined;
      let data = rows;
      if (viewer.protected) {
        total = rows.length;
        data = rows.slice(p.offset, p.offset + p.limit);
      } else if (p.total) {
        total = Number(rows[0]?.__total ?? 0);
        for (const r of rows) delete r.__total;
      }
      const q: CubeQuery = range
        ? {
            ...p.normalized,
            timeDimensions: p.normalized.timeDimensions?.map((td) =>
              td.compareDateRange
                ? {
                    dimension: td.dimension,
                    ...(td.granularity ? { granularity: td.granularity } : {}),
                    dateRange: range,
                  }
                : td,
            ),
          }
        : p.normalized;
      if (p.time?.granularity)
        for (const r of data)
          r[p.time.member] = r[`${p.time.member}.${p.time.granularity}`] ?? null;
      return {
        query: q,
        data,
        lastRefreshTime: state.loadedAt.toISOString(),
        annotation,
        dataSource: 'default',
        dbType: 'duckdb',
        external: false,
        slowQuery: false,
        ...(p.total || viewer.protected ? { total } : {}),
        provenance,
        disclosure,
      };
    });
    const queryType = p.time?.compare ? 'compareDateRangeQuery' : 'regularQuery';
    return {
      queryType,
      results,
      pivotQuery: { ...p.normalized, queryType },
      slowQuery: false,
    };
  }

  function meta() {
    return {
      cubes: [...model.cubes.values()]
        .filter((c) => c.public !== false)
        .map((c) => ({
          name: c.name,
          title: c.title ?? c.name,
          description: c.description,
          type: 'cube',
          public: true,
          connectedComponent: 1,
          measures: Object.entries(c.measures).map(([n, m]) => ({
            name: `${c.name}.${n}`,
            title: m.title ?? n,
            shortTitle: m.title ?? n,
            description: m.description,
            type:
              m.type === 'count' ||
              m.type === 'count_distinct' ||
              m.type === 'sum' ||
              m.type === 'avg' ||
              m.type === 'number'
                ? 'number'
                : 'number',
            aggType: m.type === 'count_distinct' ? 'countDistinct' : m.type,
            format: m.format,
            cumulative: false,
            drillMembers: [],
            drillMembersGrouped: { measures: [], dimensions: [] },
            isVisible: true,
            public: true,
          })),
          dimensions: Object.entries(c.dimensions).map(([n, d]) => ({
            name: `${c.name}.${n}`,
            title: d.title ?? n,
            shortTitle: d.title ?? n,
            description: d.description,
            type: d.type,
            suggestFilterValues: true,
            isVisible: true,
            public: true,
            primaryKey: d.primary_key ?? false,
            ...(d.meta?.parent ? { meta: { parent: `${c.name}.${d.meta.parent}` } } : {}),
          })),
          segments: Object.entries(c.segments ?? {}).map(([n, s]) => ({
            name: `${c.name}.${n}`,
            title: s.title ?? n,
            shortTitle: s.title ?? n,
            isVisible: true,
            public: true,
          })),
          hierarchies: [],
          folders: [],
          nestedFolders: [],
        })),
    };
  }

  return { load, meta, compile, plan, model, sdc };
}
export type CubeEngine = ReturnType<typeof createCubeEngine>;

function matches(node: FilterNode, valueOfKey: (name: string) => unknown): boolean {
  if (node.kind === 'leaf')
    return operatorMatches(valueOfKey(node.ref.name), node.operator, node.values);
  return node.kind === 'and'
    ? node.children.every((c) => matches(c, valueOfKey))
    : node.children.some((c) => matches(c, valueOfKey));
}

function formatValue(v: unknown, kind: 'dimension' | 'time' | 'measure'): string | number | null {
  if (v === null || v === undefined) return null;
  if (kind === 'time') return `${String(v).slice(0, 10)}T00:00:00.000`;
  return v as string | number;
}

function roundMeasure(v: number | null): number | null {
  if (v === null || v === undefined) return null;
  return Number.isInteger(v) ? v : Math.round(v * 1e6) / 1e6;
}

/** Sorting after protection: suppressed values last, so their place says nothing of them. */
function orderRows(rows: Record<string, string | number | null>[], p: Plan) {
  const order = p.order.map(
    ([m, dir]) =>
      [m === p.time?.member && p.time.granularity ? `${m}.${p.time.granularity}` : m, dir] as const,
  );
  const tie = [
    ...p.dimensions.map((d) => d.member),
    ...(p.time?.granularity ? [`${p.time.member}.${p.time.granularity}`] : []),
  ];
  for (const m of tie) if (!order.some(([o]) => o === m)) order.push([m, 'asc'] as const);
  return rows.sort((a, b) => {
    for (const [m, dir] of order) {
      const x = a[m] ?? null;
      const y = b[m] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const c =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

const GRAIN_TITLES: Record<Granularity, string> = {
  day: 'giorno',
  week: 'settimana',
  month: 'mese',
  quarter: 'trimestre',
  year: 'anno',
};

function annotate(p: Plan): CubeResult['annotation'] {
  const measures: Record<string, MemberAnnotation> = {};
  for (const m of p.measures)
    measures[m.member] = {
      title: `${p.cube.title ?? p.cube.name} ${m.def.title ?? m.name}`,
      shortTitle: m.def.title ?? m.name,
      type: 'number',
      ...(m.def.format ? { format: m.def.format } : {}),
      drillMembers: [],
      drillMembersGrouped: { measures: [], dimensions: [] },
    };
  const dimensions: Record<string, MemberAnnotation> = {};
  for (const d of p.dimensions)
    dimensions[d.member] = {
      title: `${p.cube.title ?? p.cube.name} ${d.def.title ?? d.name}`,
      shortTitle: d.def.title ?? d.name,
      type: d.def.type,
    };
  const segments: Record<string, MemberAnnotation> = {};
  for (const s of p.segments)
    segments[s.member] = { title: s.member, shortTitle: s.member, type: 'boolean' };
  const timeDimensions: Record<string, MemberAnnotation> = {};
  if (p.time?.granularity) {
    const g = p.time.granularity;
    const a = {
      title: `${p.cube.title ?? p.cube.name} ${p.time.def.title ?? p.time.name}`,
      shortTitle: p.time.def.title ?? p.time.name,
      type: 'time',
      granularity: { name: g, title: GRAIN_TITLES[g], interval: `1 ${g}` },
    };
    timeDimensions[`${p.time.member}.${g}`] = a;
    timeDimensions[p.time.member] = a;
  }
  return { measures, dimensions, segments, timeDimensions };
}

export { cubeError };
