// The shape of Cube's data model (https://cube.dev/docs/product/data-modeling/reference/cube),
// written in TypeScript instead of YAML so that the compiler checks every cube: the same keys,
// the same member types, `{CUBE}` for the cube's own table and `{other}` for a joined cube's.

export type MeasureType = 'count' | 'count_distinct' | 'sum' | 'avg' | 'number';
export type DimensionType = 'string' | 'number' | 'time' | 'boolean';
export type Granularity = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month', 'quarter', 'year'];

export type MeasureDef = {
  type: MeasureType;
  /** Column expression (count_distinct, sum, avg) or, for `number`, an expression of other measures as `{name}`. */
  sql?: string;
  filters?: { sql: string }[];
  title?: string;
  description?: string;
  format?: 'percent' | 'currency' | 'number';
  /** Disclosure control: an amount is also protected by the (n,k) dominance rule. */
  meta?: { sdc?: 'amount' };
};

export type DimensionDef = {
  type: DimensionType;
  sql: string;
  title?: string;
  description?: string;
  primary_key?: boolean;
  /** The next level up, for drill-down and for disclosure control (municipality → district). */
  meta?: { parent?: string };
};

export type JoinDef = {
  relationship: 'many_to_one' | 'one_to_one';
  sql: string;
};

export type PreAggregationDef = {
  type?: 'rollup';
  measures: string[];
  dimensions: string[];
  time_dimension?: string;
  granularity?: Granularity;
};

/**
 * A hub extension: a shape of protected query the cruscotti ask for, whose protected cells the
 * ETL precomputes per row-level-security scope (engine/sdc-cells.ts). Members by their short
 * names; `slices` are the members filtered on with `equals` without being asked for (the
 * drill-down path, cross-filters); `time` the grain of the periods asked for (a dateRange of one
 * whole period, a compareDateRange of such periods, or that granularity).
 */
export type ProtectedShapeDef = {
  measures: string[];
  dimensions?: string[];
  slices?: string[];
  time?: { dimension: string; grain: Exclude<Granularity, 'week'> };
};

export type CubeDef = {
  name: string;
  title?: string;
  description?: string;
  sql_table: string;
  public?: boolean;
  measures: Record<string, MeasureDef>;
  dimensions: Record<string, DimensionDef>;
  joins?: Record<string, JoinDef>;
  segments?: Record<string, { sql: string; title?: string }>;
  pre_aggregations?: Record<string, PreAggregationDef>;
  /** Hub extension: the protected shapes precomputed for the cruscotti, by name. */
  protected_shapes?: Record<string, ProtectedShapeDef>;
  /**
   * Hub extensions, outside Cube's keys: who contributed a row (disclosure control counts
   * distinct contributors: the person, or the record itself when anonymous) and which columns
   * row-level security filters on.
   */
  meta?: {
    contributor: string;
    person: string;
    rls: { organization: string; district: string; region: string };
  };
};

/** Declares a cube, as Cube's `cube(name, {...})` does. */
export function cube(name: string, def: Omit<CubeDef, 'name'>): CubeDef {
  return { name, ...def };
}
