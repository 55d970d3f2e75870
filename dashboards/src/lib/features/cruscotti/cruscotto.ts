import type { Query } from '@cubejs-client/core';
import { it } from '../../i18n/it.ts';
import { type CubeAnswer, hasMembers, type MetaCube } from './cube-api.ts';
import {
  type Cell,
  type ColumnFormat,
  type DataTable,
  formatCell,
  isSuppressed,
  measureCell,
  provenanceNotes,
} from './data-table.ts';
import { monthsRange, type Periods, type Range } from './periods.ts';

// What a cruscotto asks the cubes, as data: the KPI cards, the charts, the drill-down path and
// the cross-filters, turned into Cube queries against the members `/meta` lists. A member the
// meta does not have (a cube still to come) makes its card "dato non ancora disponibile"
// instead of a failed query.

export type Measure = { member: string; label: string; format: ColumnFormat };

export type KpiDef = {
  key: string;
  measure: Measure;
  /** The time dimension the period applies to; null for a state "as of now" (no comparison). */
  time: string | null;
  /** The chart the card opens in the trend (a measure with a time dimension). */
};

const m = (member: string, label: string, format: ColumnFormat = 'number'): Measure => ({
  member,
  label,
  format,
});
const k = it.cruscotti.kpis;

export const KPIS: KpiDef[] = [
  { key: 'accesses', measure: m('intake.count', k.accesses as string), time: 'intake.occurredAt' },
  { key: 'persons', measure: m('intake.persons', k.persons as string), time: 'intake.occurredAt' },
  { key: 'newCases', measure: m('cases.opened', k.newCases as string), time: 'cases.openedOn' },
  { key: 'openCases', measure: m('cases.open', k.openCases as string), time: null },
  {
    key: 'deliveries',
    measure: m('deliveries.count', k.deliveries as string),
    time: 'deliveries.deliveredAt',
  },
  {
    key: 'beneficiaries',
    measure: m('deliveries.beneficiaries', k.beneficiaries as string),
    time: 'deliveries.deliveredAt',
  },
  {
    key: 'spending',
    measure: m('deliveries.spending', k.spending as string, 'euro'),
    time: 'deliveries.deliveredAt',
  },
  { key: 'siussOverdue', measure: m('siussDuties.overdue', k.siussOverdue as string), time: null },
];

/** One step of the drill-down: a member's code and the name shown for it. */
export type GeoStep = { code: string; label: string };
export type GeoPath = { district?: GeoStep; municipality?: GeoStep; office?: GeoStep };
export type GeoLevel = 'district' | 'municipality' | 'office';

/** The code and name members of a level in a cube (offices: the intake's contact points). */
export function levelMembers(cube: string, level: GeoLevel): { code: string; name: string } {
  if (level === 'office')
    return cube === 'intake'
      ? { code: 'intake.contactPoint', name: 'intake.contactPointName' }
      : { code: `${cube}.office`, name: `${cube}.officeName` };
  return { code: `${cube}.${level}`, name: `${cube}.${level}Name` };
}

/** The level the geographic chart shows below the path chosen so far. */
export function nextLevel(path: GeoPath): GeoLevel {
  if (path.municipality) return 'office';
  if (path.district) return 'municipality';
  return 'district';
}

export type CrossFilter = { member: string; value: string; label: string; title: string };

export type Ctx = {
  meta: MetaCube[];
  periods: Periods;
  today: string;
  geo: GeoPath;
  filters: CrossFilter[];
  /** The cube whose offices the path's office step is (contact points of intake). */
  geoCube: string;
};

type Filter = { member: string; operator: 'equals'; values: string[] };

/** The filters of the path and the cross-filters that apply to a cube, and those that do not. */
export function filtersFor(cube: string, ctx: Ctx): { filters: Filter[]; ignored: string[] } {
  const filters: Filter[] = [];
  const ignored: string[] = [];
  const add = (member: string, value: string, label: string) => {
    if (hasMembers(ctx.meta, [member]))
      filters.push({ member, operator: 'equals', values: [value] });
    else ignored.push(label);
  };
  if (ctx.geo.district) add(`${cube}.district`, ctx.geo.district.code, ctx.geo.district.label);
  if (ctx.geo.municipality)
    add(`${cube}.municipality`, ctx.geo.municipality.code, ctx.geo.municipality.label);
  if (ctx.geo.office) {
    if (cube === ctx.geoCube)
      filters.push({
        member: levelMembers(cube, 'office').code,
        operator: 'equals',
        values: [ctx.geo.office.code],
      });
    else ignored.push(ctx.geo.office.label);
  }
  for (const f of ctx.filters) {
    const short = f.member.split('.')[1];
    add(`${cube}.${short}`, f.value, f.label);
  }
  return { filters, ignored };
}

/** The KPI query of one cube: its measures over the three periods, in one comparison query. */
export function kpiQuery(defs: KpiDef[], ctx: Ctx): Query | null {
  const first = defs[0];
  if (!first) return null;
  const cube = first.measure.member.split('.')[0] as string;
  const { filters } = filtersFor(cube, ctx);
  const q: Query = { measures: defs.map((d) => d.measure.member), filters };
  if (first.time)
    q.timeDimensions = [
      {
        dimension: first.time,
        compareDateRange: [ctx.periods.current, ctx.periods.previous, ctx.periods.lastYear],
      },
    ];
  return q;
}

/** The KPIs whose members the meta has, grouped into one query each (by cube and time). */
export function kpiGroups(ctx: Ctx): { defs: KpiDef[]; missing: boolean }[] {
  const groups = new Map<string, KpiDef[]>();
  const out: { defs: KpiDef[]; missing: boolean }[] = [];
  for (const d of KPIS) {
    const members = [d.measure.member, ...(d.time ? [d.time] : [])];
    if (!hasMembers(ctx.meta, members)) {
      out.push({ defs: [d], missing: true });
      continue;
    }
    const key = `${d.measure.member.split('.')[0]}|${d.time}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  for (const defs of groups.values()) out.push({ defs, missing: false });
  return out;
}

export type ChartKind = 'bar' | 'line' | 'map';

export type ChartDef = {
  id: string;
  title: string;
  kind: ChartKind;
  cube: string;
  measures: Measure[];
  /** The member each bar is (a code); `name` its label when there is one. */
  dimension: { code: string; name: string | null; label: string };
  /** What a click does: go down the path, or filter the other charts. */
  click: 'drill' | 'filter' | null;
  /** The time dimension the period applies to (trend: the last 24 months by month). */
  time: string;
  trend?: boolean;
  /** Bars are ordered by the measure, at most this many. */
  top?: number;
};

export function chartMembers(def: ChartDef): string[] {
  return [
    ...def.measures.map((x) => x.member),
    def.dimension.code,
    ...(def.dimension.name ? [def.dimension.name] : []),
    def.time,
  ];
}

export function chartQuery(def: ChartDef, ctx: Ctx): Query {
  const { filters } = filtersFor(def.cube, ctx);
  if (def.trend)
    return {
      measures: def.measures.map((x) => x.member),
      timeDimensions: [
        { dimension: def.time, granularity: 'month', dateRange: monthsRange(ctx.today, 24, 0) },
      ],
      filters,
    };
  const range: Range = ctx.periods.current;
  return {
    measures: def.measures.map((x) => x.member),
    dimensions: [def.dimension.code],
    timeDimensions: [{ dimension: def.time, dateRange: range }],
    filters,
    order: { [def.measures[0]?.member as string]: 'desc' },
    limit: def.top ?? 500,
  };
}

export type ChartModel = {
  def: ChartDef;
  keys: string[];
  categories: string[];
  series: { name: string; format: ColumnFormat; values: Cell[] }[];
  table: DataTable;
  summary: string;
  answer: CubeAnswer;
  ignored: string[];
};

const monthLabel = new Intl.DateTimeFormat('it-IT', {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

export function monthName(iso: string): string {
  return monthLabel.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

/** The chart's model from its answer: categories, one series per measure, the table, a summary. */
export function chartModel(
  def: ChartDef,
  answer: CubeAnswer,
  ignored: string[],
  labels: (code: string) => string | null = () => null,
): ChartModel {
  const rows = answer.rows;
  const keyOf = (r: (typeof rows)[number]) =>
    def.trend
      ? String(r[`${def.time}.month`] ?? r[def.time] ?? '')
      : String(r[def.dimension.code] ?? '');
  const keys = rows.map(keyOf);
  const categories = rows.map((_, i) => {
    const key = keys[i] as string;
    if (def.trend) return monthName(key);
    return key ? (labels(key) ?? key) : 'non indicato';
  });
  const series = def.measures.map((x) => ({
    name: x.label,
    format: x.format,
    values: rows.map((r) => measureCell(r[x.member], answer.disclosure)),
  }));
  const table: DataTable = {
    title: def.title,
    columns: [
      { label: def.trend ? 'Mese' : def.dimension.label, format: 'text' },
      ...def.measures.map((x) => ({ label: x.label, format: x.format })),
    ],
    rows: rows.map((_, i) => [categories[i] as string, ...series.map((s) => s.values[i] as Cell)]),
    notes: [
      ...provenanceNotes(answer),
      ...(ignored.length ? [`Filtri non applicabili a questo grafico: ${ignored.join(', ')}`] : []),
    ],
  };
  return {
    def,
    keys,
    categories,
    series,
    table,
    summary: summaryOf(def, categories, series),
    answer,
    ignored,
  };
}

function summaryOf(def: ChartDef, categories: string[], series: ChartModel['series']): string {
  const s = series[0];
  const c = it.cruscotti;
  if (!s || categories.length === 0) return c.summaryEmpty(def.title);
  const suppressed = s.values.filter(isSuppressed).length;
  let best = -1;
  s.values.forEach((v, i) => {
    if (typeof v === 'number' && (best < 0 || v > (s.values[best] as number))) best = i;
  });
  if (def.trend) {
    const first = s.values[0] ?? null;
    const last = s.values[s.values.length - 1] ?? null;
    return (
      c.summaryTrend(
        `${def.title} (${s.name})`,
        `${formatCell(first, s.format)} a ${categories[0]}`,
        `${formatCell(last, s.format)} a ${categories[categories.length - 1]}`,
        best >= 0 ? formatCell(s.values[best] ?? null, s.format) : '–',
        best >= 0 ? (categories[best] as string) : '–',
      ) + (suppressed ? ` ${it.cubes.suppressedCells(suppressed)}.` : '')
    );
  }
  return c.summaryBars(
    def.title,
    categories.length,
    best >= 0 ? (categories[best] as string) : '–',
    best >= 0 ? formatCell(s.values[best] ?? null, s.format) : '–',
    suppressed,
  );
}
