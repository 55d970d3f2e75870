// The star schema (DESIGN.md section 5). Every build lives in a schema of its own (`b<number>`);
// `main` holds one view per table pointing at the current build, and `main.load_state` says which
// build that is and how fresh it is. A full rebuild fills a new schema and then, in one DuckDB
// transaction, repoints the views and the state: a run killed at any point leaves the old build
// or the new one, never half of one (DuckDB's commit is atomic across a crash, WAL included).
//
// No column holds a direct identifier: persons and records appear only as keyed pseudonyms
// (BIGINT, the first 8 bytes of an HMAC computed by the ETL with a key that never enters this
// file), and no free text is copied.

/** The columns of each table, in load order (the ETL stages CSV in this order). */
export const STAR_TABLES = {
  dim_territory: [
    ['municipality_code', 'VARCHAR'],
    ['municipality_name', 'VARCHAR'],
    ['province', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['district_name', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
    ['region_name', 'VARCHAR'],
  ],
  dim_organization: [
    ['organization_id', 'VARCHAR'],
    ['organization_name', 'VARCHAR'],
    ['kind', 'VARCHAR'],
    ['parent_id', 'VARCHAR'],
    ['municipality_code', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
  ],
  dim_office: [
    ['office_id', 'VARCHAR'],
    ['office_name', 'VARCHAR'],
    ['organization_id', 'VARCHAR'],
    ['sector', 'VARCHAR'],
  ],
  dim_contact_point: [
    ['contact_point_id', 'VARCHAR'],
    ['contact_point_name', 'VARCHAR'],
    ['kind', 'VARCHAR'],
    ['office_id', 'VARCHAR'],
  ],
  dim_need: [
    ['need_code', 'VARCHAR'],
    ['need_label', 'VARCHAR'],
    ['parent_code', 'VARCHAR'],
  ],
  dim_target_area: [
    ['target_area_code', 'VARCHAR'],
    ['target_area_label', 'VARCHAR'],
  ],
  // The nomenclator (service catalog), one row per code: its latest version's title, its group
  // in the source's hierarchy (the A1/A2/A3 prefix of INPS's list) and the standard code it is.
  dim_service: [
    ['service_code', 'VARCHAR'],
    ['service_title', 'VARCHAR'],
    ['scheme', 'VARCHAR'],
    ['category', 'VARCHAR'],
    ['parent_code', 'VARCHAR'],
    ['standard_code', 'VARCHAR'],
  ],
  dim_provider: [
    ['provider_id', 'VARCHAR'],
    ['provider_name', 'VARCHAR'],
    ['kind', 'VARCHAR'],
    ['registered_by_organization_id', 'VARCHAR'],
  ],
  dim_project: [
    ['project_id', 'VARCHAR'],
    ['project_code', 'VARCHAR'],
    ['project_title', 'VARCHAR'],
    ['organization_id', 'VARCHAR'],
    ['funding_source_code', 'VARCHAR'],
    ['budget', 'DECIMAL(14,2)'],
    ['start_on', 'DATE'],
    ['end_on', 'DATE'],
  ],
  dim_funding_source: [
    ['funding_source_code', 'VARCHAR'],
    ['funding_source_label', 'VARCHAR'],
    ['level', 'VARCHAR'],
  ],
  fact_intake: [
    ['record_key', 'BIGINT'],
    ['person_key', 'BIGINT'],
    ['organization_id', 'VARCHAR'],
    ['office_id', 'VARCHAR'],
    ['contact_point_id', 'VARCHAR'],
    ['occurred_on', 'DATE'],
    ['municipality_code', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
    ['access_kind', 'VARCHAR'],
    ['channel', 'VARCHAR'],
    ['status', 'VARCHAR'],
    ['outcome', 'VARCHAR'],
    ['need_code', 'VARCHAR'],
    ['age_band', 'VARCHAR'],
    ['sex', 'VARCHAR'],
    ['citizenship', 'VARCHAR'],
  ],
  fact_case: [
    ['case_key', 'BIGINT'],
    ['person_key', 'BIGINT'],
    ['organization_id', 'VARCHAR'],
    ['office_id', 'VARCHAR'],
    ['sector', 'VARCHAR'],
    ['target_area_code', 'VARCHAR'],
    ['status', 'VARCHAR'],
    ['opened_on', 'DATE'],
    ['closed_on', 'DATE'],
    ['duration_days', 'INTEGER'],
    ['municipality_code', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
    ['age_band', 'VARCHAR'],
    ['sex', 'VARCHAR'],
  ],
  // One row per delivery that counts: not superseded by a correction (CORRECTED), not cancelled.
  // Its territory is the person's residence (else the organisation's), as for the other facts.
  fact_delivery: [
    ['delivery_key', 'BIGINT'],
    ['person_key', 'BIGINT'],
    ['organization_id', 'VARCHAR'],
    ['office_id', 'VARCHAR'],
    ['delivered_on', 'DATE'],
    ['municipality_code', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
    ['service_code', 'VARCHAR'],
    ['standard_service_code', 'VARCHAR'],
    ['service_category', 'VARCHAR'],
    ['user_area', 'VARCHAR'],
    ['target_area_code', 'VARCHAR'],
    ['provider_id', 'VARCHAR'],
    ['project_id', 'VARCHAR'],
    ['funding_source_code', 'VARCHAR'],
    ['quantity', 'DECIMAL(12,2)'],
    ['amount', 'DECIMAL(14,2)'],
    ['state', 'VARCHAR'],
    ['age_band', 'VARCHAR'],
    ['sex', 'VARCHAR'],
    ['isee_band', 'VARCHAR'],
    // The names the cruscotti show, copied in (public reference data, changed only with their
    // dimension, which reloads everything): the rollups can then answer by name too.
    ['district_name', 'VARCHAR'],
    ['municipality_name', 'VARCHAR'],
    ['office_name', 'VARCHAR'],
    ['service_title', 'VARCHAR'],
    ['provider_name', 'VARCHAR'],
    ['project_title', 'VARCHAR'],
  ],
  // One row per SIUSS duty not superseded (keyed by its delivery). `overdue`: past the 3-month
  // deadline and not yet sent (or rejected) as of the load; the incremental load flips the
  // duties whose deadline passed since, so the flag is as fresh as the load.
  fact_siuss_duty: [
    ['delivery_key', 'BIGINT'],
    ['person_key', 'BIGINT'],
    ['organization_id', 'VARCHAR'],
    ['office_id', 'VARCHAR'],
    ['delivered_on', 'DATE'],
    ['due_on', 'DATE'],
    ['municipality_code', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
    ['service_code', 'VARCHAR'],
    ['provider_id', 'VARCHAR'],
    ['state', 'VARCHAR'],
    ['operation', 'VARCHAR'],
    ['pending', 'BOOLEAN'],
    ['overdue', 'BOOLEAN'],
  ],
  // One row per care plan (PAI): its period, status and the earliest review not yet done.
  fact_care_plan: [
    ['care_plan_key', 'BIGINT'],
    ['person_key', 'BIGINT'],
    ['organization_id', 'VARCHAR'],
    ['office_id', 'VARCHAR'],
    ['target_area_code', 'VARCHAR'],
    ['status', 'VARCHAR'],
    ['start_on', 'DATE'],
    ['end_on', 'DATE'],
    ['closed_on', 'DATE'],
    ['reviews', 'INTEGER'],
    ['reviews_done', 'INTEGER'],
    ['next_review_on', 'DATE'],
    ['municipality_code', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
  ],
  // The status, sector and office history of each case file (SISO CS_IT_STEP), one row a step.
  fact_case_status: [
    ['case_key', 'BIGINT'],
    ['person_key', 'BIGINT'],
    ['step', 'BIGINT'],
    ['organization_id', 'VARCHAR'],
    ['kind', 'VARCHAR'],
    ['from_status', 'VARCHAR'],
    ['to_status', 'VARCHAR'],
    ['from_office_id', 'VARCHAR'],
    ['to_office_id', 'VARCHAR'],
    ['from_sector', 'VARCHAR'],
    ['to_sector', 'VARCHAR'],
    ['changed_on', 'DATE'],
    ['municipality_code', 'VARCHAR'],
    ['district_code', 'VARCHAR'],
    ['region_code', 'VARCHAR'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type StarTable = keyof typeof STAR_TABLES;
export const STAR_TABLE_NAMES = Object.keys(STAR_TABLES) as StarTable[];

/** The fact tables and the key the incremental load replaces their rows by. */
export const FACT_KEYS = {
  fact_intake: 'record_key',
  fact_case: 'case_key',
  fact_delivery: 'delivery_key',
  fact_siuss_duty: 'delivery_key',
  fact_care_plan: 'care_plan_key',
  fact_case_status: 'case_key',
} as const;
export type FactTable = keyof typeof FACT_KEYS;

/** Identifiers are ours (never a caller's): still checked, since they are spliced into SQL. */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a warehouse identifier: ${name}`);
  return name;
}

export function createTableSql(schema: string, table: StarTable): string {
  const columns = STAR_TABLES[table].map(([name, type]) => `${name} ${type}`).join(', ');
  return `CREATE TABLE ${ident(schema)}.${table} (${columns})`;
}

/** The one-row state of the current build, in `main`. */
export const LOAD_STATE_DDL = `CREATE TABLE IF NOT EXISTS main.load_state (
  build VARCHAR NOT NULL,
  built_at TIMESTAMPTZ NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL,
  last_change_seq BIGINT NOT NULL,
  last_change_at TIMESTAMPTZ
)`;

/**
 * The protected cells of the cruscotti's shapes (engine/sdc-cells.ts), in `main` beside the load
 * state: one row per shape and row-level-security scope, written in the same DuckDB transaction
 * as the facts they protect. `signature` names the protected statement (its SQL and parameters,
 * the scope's included) and the protection options; `cells` are the finest level's cells as
 * JSON ([key values, measures, reason] each).
 */
export const SDC_CELLS_DDL = `CREATE TABLE IF NOT EXISTS main.sdc_cells (
  signature VARCHAR NOT NULL,
  cube VARCHAR NOT NULL,
  shape VARCHAR NOT NULL,
  scope VARCHAR NOT NULL,
  fact_table VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  cells VARCHAR NOT NULL,
  cell_count INTEGER NOT NULL,
  unresolved INTEGER NOT NULL,
  computed_at TIMESTAMPTZ NOT NULL
)`;

export type LoadState = {
  build: string;
  builtAt: Date;
  loadedAt: Date;
  lastChangeSeq: number;
  lastChangeAt: Date | null;
  /**
   * When the latest protected cells were computed: the ETL computes them after the facts'
   * commit, within the same load, so a reader's memory of a missing cell lasts until they come.
   */
  cellsAt: Date | null;
};
