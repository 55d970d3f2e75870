// Cube's query format (https://cube.dev/docs/product/apis-integrations/rest-api/query-format),
// checked against the model: every member, operator and value is validated here, and the
// compiler only ever sees declared names.
import {
  type CubeDef,
  type DimensionDef,
  GRANULARITIES,
  type Granularity,
  type MeasureDef,
} from '../model/cube.types.ts';
import { cubeError } from '../warehouse.errors.ts';
import { resolveDateRange } from './dates.ts';

export type CubeFilter =
  | { member?: string; dimension?: string; operator: string; values?: unknown[] }
  | { and: CubeFilter[] }
  | { or: CubeFilter[] };

export type CubeQuery = {
  measures?: string[];
  dimensions?: string[];
  timeDimensions?: {
    dimension: string;
    granularity?: string;
    dateRange?: string | string[];
    compareDateRange?: (string | string[])[];
  }[];
  filters?: CubeFilter[];
  segments?: string[];
  order?: Record<string, string> | [string, string][];
  limit?: number;
  offset?: number;
  total?: boolean;
  timezone?: string;
  renewQuery?: boolean;
  ungrouped?: boolean;
};

export const OPERATORS = [
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'gt',
  'gte',
  'lt',
  'lte',
  'set',
  'notSet',
  'inDateRange',
  'notInDateRange',
  'beforeDate',
  'beforeOrOnDate',
  'afterDate',
  'afterOrOnDate',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type MeasureRef = { member: string; name: string; def: MeasureDef };
export type DimensionRef = { member: string; name: string; def: DimensionDef };
export type FilterNode =
  | {
      kind: 'leaf';
      ref: DimensionRef | MeasureRef;
      isMeasure: boolean;
      operator: Operator;
      values: (string | number)[];
    }
  | { kind: 'and' | 'or'; children: FilterNode[] };

export type TimeRef = DimensionRef & {
  granularity: Granularity | null;
  dateRange: [string, string] | null;
  compare: [string, string][] | null;
};

export type Plan = {
  cube: CubeDef;
  measures: MeasureRef[];
  dimensions: DimensionRef[];
  /** The time dimension with a granularity or a comparison, if any. */
  time: TimeRef | null;
  /** Other time dimensions given with a date range only. */
  timeRanges: { ref: DimensionRef; range: [string, string] }[];
  filters: FilterNode[];
  segments: { member: string; sql: string }[];
  order: [string, 'asc' | 'desc'][];
  limit: number;
  offset: number;
  total: boolean;
  /** The query as the answer echoes it (Cube's normalised form). */
  normalized: CubeQuery;
};

export const DEFAULT_LIMIT = 10_000;
export const MAX_LIMIT = 50_000;
const MAX_MEMBERS = 24;

export type Model = { cubes: Map<string, CubeDef> };

export function createModel(cubes: readonly CubeDef[]): Model {
  return { cubes: new Map(cubes.map((c) => [c.name, c])) };
}

function splitMember(member: unknown, field: string): [string, string] {
  if (
    typeof member !== 'string' ||
    !/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(member)
  )
    throw cubeError('CUBE_UNKNOWN_MEMBER', field, `membro non valido: ${JSON.stringify(member)}`);
  const [c, n] = member.split('.') as [string, string];
  return [c, n];
}

function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** Checks a query against the model and resolves it into a plan. `today` anchors relative ranges. */
export function planQuery(model: Model, query: unknown, today: string): Plan {
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    throw cubeError('CUBE_INVALID_QUERY', 'query', 'la query deve essere un oggetto JSON');
  const q = query as CubeQuery;
  for (const key of Object.keys(q)) {
    if (
      ![
        'measures',
        'dimensions',
        'timeDimensions',
        'filters',
        'segments',
        'order',
        'limit',
        'offset',
        'total',
        'timezone',
        'renewQuery',
        'ungrouped',
        'rowLimit',
      ].includes(key)
    )
      throw cubeError('CUBE_INVALID_QUERY', key, `campo sconosciuto nella query: ${key}`);
  }
  for (const key of ['measures', 'dimensions', 'timeDimensions', 'filters', 'segments'] as const) {
    if (q[key] !== undefined && !isList(q[key]))
      throw cubeError('CUBE_INVALID_QUERY', key, `${key} deve essere una lista`);
  }
  if (q.ungrouped)
    throw cubeError(
      'CUBE_INVALID_QUERY',
      'ungrouped',
      'query non aggregate non ammesse: il magazzino dà solo aggregati',
    );
  let cube: CubeDef | null = null;
  const cubeOf = (member: unknown, field: string): [CubeDef, string] => {
    const [c, n] = splitMember(member, field);
    const def = model.cubes.get(c);
    if (!def || def.public === false)
      throw cubeError('CUBE_UNKNOWN_MEMBER', field, `cubo sconosciuto: ${c}`);
    if (cube && cube.name !== def.name)
      throw cubeError(
        'CUBE_INVALID_QUERY',
        field,
        `membri di cubi diversi (${cube.name}, ${def.name}): una query, un cubo`,
      );
    cube = def;
    return [def, n];
  };
  const measureRef = (member: unknown, field: string): MeasureRef => {
    const [c, n] = cubeOf(member, field);
    const def = c.measures[n];
    if (!def)
      throw cubeError('CUBE_UNKNOWN_MEMBER', field, `misura sconosciuta: ${String(member)}`);
    return { member: String(member), name: n, def };
  };
  const dimensionRef = (member: unknown, field: string): DimensionRef => {
    const [c, n] = cubeOf(member, field);
    const def = c.dimensions[n];
    if (!def)
      throw cubeError('CUBE_UNKNOWN_MEMBER', field, `dimensione sconosciuta: ${String(member)}`);
    return { member: String(member), name: n, def };
  };

  const measures = (q.measures ?? []).map((m, i) => measureRef(m, `measures.${i}`));
  const dimensions = (q.dimensions ?? []).map((d, i) => {
    const ref = dimensionRef(d, `dimensions.${i}`);
    return ref;
  });
  let time: TimeRef | null = null;
  const timeRanges: Plan['timeRanges'] = [];
  (q.timeDimensions ?? []).forEach((td, i) => {
    const field = `timeDimensions.${i}`;
    if (typeof td !== 'object' || td === null)
      throw cubeError('CUBE_INVALID_QUERY', field, 'dimensione temporale non valida');
    const ref = dimensionRef(td.dimension, `${field}.dimension`);
    if (ref.def.type !== 'time')
      throw cubeError(
        'CUBE_INVALID_QUERY',
        `${field}.dimension`,
        `${ref.member} non è una dimensione temporale`,
      );
    let granularity: Granularity | null = null;
    if (td.granularity !== undefined && td.granularity !== null) {
      if (!GRANULARITIES.includes(td.granularity as Granularity))
        throw cubeError(
          'CUBE_INVALID_VALUE',
          `${field}.granularity`,
          `granularità sconosciuta: ${String(td.granularity)}`,
        );
      granularity = td.granularity as Granularity;
    }
    const dateRange =
      td.dateRange === undefined
        ? null
        : resolveDateRange(td.dateRange, `${field}.dateRange`, today);
    let compare: [string, string][] | null = null;
    if (td.compareDateRange !== undefined) {
      if (
        !isList(td.compareDateRange) ||
        td.compareDateRange.length < 2 ||
        td.compareDateRange.length > 12
      )
        throw cubeError(
          'CUBE_INVALID_DATE_RANGE',
          `${field}.compareDateRange`,
          'compareDateRange: da 2 a 12 intervalli',
        );
      if (dateRange)
        throw cubeError(
          'CUBE_INVALID_QUERY',
          `${field}.compareDateRange`,
          'dateRange e compareDateRange insieme',
        );
      compare = td.compareDateRange.map((r, k) =>
        resolveDateRange(r, `${field}.compareDateRange.${k}`, today),
      );
    }
    if (granularity || compare) {
      if (time)
        throw cubeError(
          'CUBE_INVALID_QUERY',
          field,
          'una sola dimensione temporale con granularità o confronto',
        );
      time = { ...ref, granularity, dateRange, compare };
    } else if (dateRange) {
      timeRanges.push({ ref, range: dateRange });
    }
  });
  const filters = (q.filters ?? []).map((f, i) =>
    filterNode(f, `filters.${i}`, measureRef, dimensionRef, cubeOf, today),
  );
  const segments = (q.segments ?? []).map((s, i) => {
    const [c, n] = cubeOf(s, `segments.${i}`);
    const seg = c.segments?.[n];
    if (!seg)
      throw cubeError('CUBE_UNKNOWN_MEMBER', `segments.${i}`, `segmento sconosciuto: ${String(s)}`);
    return { member: String(s), sql: seg.sql };
  });
  if (!cube)
    throw cubeError(
      'CUBE_INVALID_QUERY',
      'measures',
      'la query non chiede alcuna misura né dimensione',
    );
  const count = measures.length + dimensions.length + (time ? 1 : 0);
  if (count === 0)
    throw cubeError(
      'CUBE_INVALID_QUERY',
      'measures',
      'la query non chiede alcuna misura né dimensione',
    );
  if (count > MAX_MEMBERS || dimensions.length + (time ? 1 : 0) > 8)
    throw cubeError(
      'CUBE_QUERY_TOO_COSTLY',
      'dimensions',
      'troppe dimensioni in una query (al massimo 8)',
    );

  const limit = q.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1)
    throw cubeError('CUBE_INVALID_VALUE', 'limit', 'limit deve essere un intero positivo');
  if (limit > MAX_LIMIT)
    throw cubeError('CUBE_LIMIT_TOO_LARGE', 'limit', `limit oltre il massimo (${MAX_LIMIT})`);
  const offset = q.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw cubeError('CUBE_INVALID_VALUE', 'offset', 'offset deve essere un intero non negativo');
  if (q.total !== undefined && typeof q.total !== 'boolean')
    throw cubeError('CUBE_INVALID_VALUE', 'total', 'total deve essere true o false');

  const t = time as TimeRef | null;
  const outputs = new Set<string>([
    ...measures.map((m) => m.member),
    ...dimensions.map((d) => d.member),
    ...(t?.granularity ? [`${t.member}.${t.granularity}`, t.member] : []),
  ]);
  const rawOrder: [unknown, unknown][] = Array.isArray(q.order)
    ? (q.order as [unknown, unknown][])
    : q.order && typeof q.order === 'object'
      ? Object.entries(q.order)
      : [];
  const order: [string, 'asc' | 'desc'][] = rawOrder.map(([m, dir], i) => {
    if (typeof m !== 'string' || !outputs.has(m))
      throw cubeError(
        'CUBE_UNKNOWN_MEMBER',
        `order.${i}`,
        `ordinamento su un membro non richiesto: ${String(m)}`,
      );
    if (dir !== 'asc' && dir !== 'desc')
      throw cubeError('CUBE_INVALID_VALUE', `order.${i}`, "l'ordine è 'asc' o 'desc'");
    return [m, dir];
  });
  if (order.length === 0) {
    // Cube's default: the time dimension ascending, else the first measure descending, else the
    // first dimension ascending.
    if (t?.granularity) order.push([`${t.member}.${t.granularity}`, 'asc']);
    else if (measures[0]) order.push([measures[0].member, 'desc']);
    else if (dimensions[0]) order.push([dimensions[0].member, 'asc']);
  }
  const normalized: CubeQuery = {
    measures: measures.map((m) => m.member),
    dimensions: dimensions.map((d) => d.member),
    timeDimensions: (q.timeDimensions ?? []).map((td) => ({ ...td })),
    filters: q.filters ?? [],
    segments: segments.map((s) => s.member),
    order: order,
    limit,
    ...(offset ? { offset } : {}),
    ...(q.total ? { total: true } : {}),
    timezone: 'Europe/Rome',
  };
  return {
    cube: cube as CubeDef,
    measures,
    dimensions,
    time: t,
    timeRanges,
    filters,
    segments,
    order,
    limit,
    offset,
    total: q.total === true,
    normalized,
  };
}

function filterNode(
  f: unknown,
  field: string,
  measureRef: (m: unknown, field: string) => MeasureRef,
  dimensionRef: (m: unknown, field: string) => DimensionRef,
  cubeOf: (m: unknown, field: string) => [CubeDef, string],
  today: string,
): FilterNode {
  if (typeof f !== 'object' || f === null)
    throw cubeError('CUBE_INVALID_QUERY', field, 'filtro non valido');
  const o = f as Record<string, unknown>;
  for (const logic of ['and', 'or'] as const) {
    if (logic in o) {
      const list = o[logic];
      if (!isList(list) || list.length === 0)
        throw cubeError(
          'CUBE_INVALID_QUERY',
          `${field}.${logic}`,
          `${logic}: serve una lista di filtri`,
        );
      return {
        kind: logic,
        children: list.map((c, i) =>
          filterNode(c, `${field}.${logic}.${i}`, measureRef, dimensionRef, cubeOf, today),
        ),
      };
    }
  }
  const member = o.member ?? o.dimension;
  const [c, n] = cubeOf(member, `${field}.member`);
  const isMeasure = n in c.measures;
  const ref = isMeasure
    ? measureRef(member, `${field}.member`)
    : dimensionRef(member, `${field}.member`);
  const operator = o.operator;
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator))
    throw cubeError(
      'CUBE_UNKNOWN_OPERATOR',
      `${field}.operator`,
      `operatore sconosciuto: ${String(operator)}`,
    );
  const op = operator as Operator;
  const raw = o.values ?? [];
  if (!isList(raw))
    throw cubeError('CUBE_INVALID_VALUE', `${field}.values`, 'values deve essere una lista');
  const type = isMeasure ? 'number' : (ref.def as DimensionDef).type;
  const dateOps = [
    'inDateRange',
    'notInDateRange',
    'beforeDate',
    'beforeOrOnDate',
    'afterDate',
    'afterOrOnDate',
  ];
  if (dateOps.includes(op) && type !== 'time')
    throw cubeError(
      'CUBE_UNKNOWN_OPERATOR',
      `${field}.operator`,
      `${op} vale solo per le dimensioni temporali`,
    );
  if (
    ['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith'].includes(
      op,
    ) &&
    type !== 'string'
  )
    throw cubeError(
      'CUBE_UNKNOWN_OPERATOR',
      `${field}.operator`,
      `${op} vale solo per le dimensioni di testo`,
    );
  if (op === 'set' || op === 'notSet') {
    if (raw.length > 0)
      throw cubeError('CUBE_INVALID_VALUE', `${field}.values`, `${op} non vuole valori`);
    return { kind: 'leaf', ref, isMeasure, operator: op, values: [] };
  }
  if (raw.length === 0 || raw.length > 500)
    throw cubeError('CUBE_INVALID_VALUE', `${field}.values`, `${op}: da 1 a 500 valori`);
  if (
    [
      'gt',
      'gte',
      'lt',
      'lte',
      'beforeDate',
      'beforeOrOnDate',
      'afterDate',
      'afterOrOnDate',
    ].includes(op) &&
    raw.length !== 1
  )
    throw cubeError('CUBE_INVALID_VALUE', `${field}.values`, `${op}: un solo valore`);
  let values: (string | number)[];
  if (op === 'inDateRange' || op === 'notInDateRange') {
    values = resolveDateRange(raw.length === 1 ? raw[0] : raw, `${field}.values`, today);
  } else {
    values = raw.map((v, i) => typedValue(v, type, `${field}.values.${i}`, today));
  }
  return { kind: 'leaf', ref, isMeasure, operator: op, values };
}

function typedValue(v: unknown, type: string, field: string, today: string): string | number {
  if (type === 'number') {
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n))
      throw cubeError('CUBE_INVALID_VALUE', field, `valore numerico atteso: ${JSON.stringify(v)}`);
    return n;
  }
  if (type === 'time') return resolveDateRange([v, v], field, today)[0];
  if (type === 'boolean') {
    if (v !== 'true' && v !== 'false' && v !== true && v !== false)
      throw cubeError(
        'CUBE_INVALID_VALUE',
        field,
        `valore vero/falso atteso: ${JSON.stringify(v)}`,
      );
    return String(v);
  }
  if (typeof v !== 'string' && typeof v !== 'number')
    throw cubeError('CUBE_INVALID_VALUE', field, `valore di testo atteso: ${JSON.stringify(v)}`);
  const s = String(v);
  if (s.length > 200) throw cubeError('CUBE_INVALID_VALUE', field, 'valore troppo lungo');
  return s;
}
