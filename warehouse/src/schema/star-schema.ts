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
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type StarTable = keyof typeof STAR_TABLES;
export const STAR_TABLE_NAMES = Object.keys(STAR_TABLES) as StarTable[];

/** The fact tables and the key the incremental load replaces their rows by. */
export const FACT_KEYS = { fact_intake: 'record_key', fact_case: 'case_key' } as const;
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

export type LoadState = {
  build: string;
  builtAt: Date;
  loadedAt: Date;
  lastChangeSeq: number;
  lastChangeAt: Date | null;
};
