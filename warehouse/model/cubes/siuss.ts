import {
  type CubeDef,
  cube,
  type DimensionDef,
  type JoinDef,
  type MeasureDef,
} from '../../src/model/cube.types.ts';

// Obblighi SIUSS: one duty per delivery INPS requires (not superseded by a correction). `overdue`
// is past the 3-month deadline and still to be sent (or sent again after a rejection), as of the
// last load. Two cubes over the one fact: `siussDuties` (by due date, the duties' own page and the
// cruscotti) and `siuss` (by delivery date, the contract names).
const MEASURES: Record<string, MeasureDef> = {
  count: { type: 'count', title: 'Obblighi', format: 'number' },
  persons: {
    type: 'count_distinct',
    sql: '{CUBE}.person_key',
    title: 'Persone distinte',
    format: 'number',
  },
  due: {
    type: 'count',
    filters: [{ sql: "{CUBE}.state IN ('DUE', 'IN_FLOW')" }],
    title: 'Da inviare',
  },
  sent: {
    type: 'count',
    filters: [{ sql: "{CUBE}.state IN ('SENT', 'ACCEPTED', 'REJECTED')" }],
    title: 'Inviati',
  },
  accepted: { type: 'count', filters: [{ sql: "{CUBE}.state = 'ACCEPTED'" }], title: 'Accolti' },
  rejected: { type: 'count', filters: [{ sql: "{CUBE}.state = 'REJECTED'" }], title: 'Scartati' },
  overdue: { type: 'count', filters: [{ sql: '{CUBE}.overdue' }], title: 'Scaduti' },
};

const DIMENSIONS: Record<string, DimensionDef> = {
  region: { sql: '{CUBE}.region_code', type: 'string', title: 'Regione' },
  district: {
    sql: '{CUBE}.district_code',
    type: 'string',
    title: 'Zona sociale',
    meta: { parent: 'region' },
  },
  districtName: { sql: '{territory}.district_name', type: 'string', title: 'Zona sociale (nome)' },
  municipality: {
    sql: '{CUBE}.municipality_code',
    type: 'string',
    title: 'Comune',
    meta: { parent: 'district' },
  },
  organization: { sql: '{CUBE}.organization_id', type: 'string', title: 'Ente' },
  office: { sql: '{CUBE}.office_id', type: 'string', title: 'Ufficio' },
  officeName: { sql: '{offices}.office_name', type: 'string', title: 'Ufficio (nome)' },
  state: { sql: '{CUBE}.state', type: 'string', title: 'Stato' },
  operation: { sql: '{CUBE}.operation', type: 'string', title: 'Operazione' },
  service: { sql: '{CUBE}.service_code', type: 'string', title: 'Prestazione' },
  provider: { sql: '{CUBE}.provider_id', type: 'string', title: 'Ente erogatore' },
};

const JOINS: Record<string, JoinDef> = {
  territory: {
    relationship: 'many_to_one',
    sql: '{CUBE}.municipality_code = {territory}.municipality_code',
  },
  offices: { relationship: 'many_to_one', sql: '{CUBE}.office_id = {offices}.office_id' },
};

const META: CubeDef['meta'] = {
  contributor: 'coalesce({CUBE}.person_key, {CUBE}.delivery_key)',
  person: '{CUBE}.person_key',
  rls: {
    organization: '{CUBE}.organization_id',
    district: '{CUBE}.district_code',
    region: '{CUBE}.region_code',
  },
};

const ROLLUP_MEASURES = ['count', 'persons', 'due', 'sent', 'accepted', 'rejected', 'overdue'];

export const siussDuties = cube('siussDuties', {
  title: 'Obblighi SIUSS',
  description: 'Obblighi di trasmissione al SIUSS (INPS) per scadenza',
  sql_table: 'main.fact_siuss_duty',
  joins: JOINS,
  measures: MEASURES,
  dimensions: {
    dueAt: { sql: '{CUBE}.due_on', type: 'time', title: 'Scadenza' },
    deliveredAt: { sql: '{CUBE}.delivered_on', type: 'time', title: 'Data di erogazione' },
    ...DIMENSIONS,
  },
  segments: { overdue: { sql: '{CUBE}.overdue', title: 'Scaduti' } },
  pre_aggregations: {
    monthly: {
      measures: ROLLUP_MEASURES,
      dimensions: ['region', 'district', 'organization', 'office', 'state'],
      time_dimension: 'dueAt',
      granularity: 'month',
    },
  },
  // The cruscotto's KPI card and the warehouse bench's monthly duties, precomputed.
  protected_shapes: {
    kpi: { measures: ['overdue'] },
    monthlyByDistrict: {
      measures: ['count', 'overdue', 'rejected'],
      dimensions: ['district'],
      time: { dimension: 'dueAt', grain: 'month' },
    },
  },
  meta: META,
});

export const siuss = cube('siuss', {
  title: 'SIUSS',
  description: 'Obblighi di trasmissione al SIUSS (INPS) per data di erogazione',
  sql_table: 'main.fact_siuss_duty',
  joins: JOINS,
  measures: MEASURES,
  dimensions: {
    deliveredOn: { sql: '{CUBE}.delivered_on', type: 'time', title: 'Data di erogazione' },
    dueOn: { sql: '{CUBE}.due_on', type: 'time', title: 'Scadenza' },
    ...DIMENSIONS,
  },
  pre_aggregations: {
    monthly: {
      measures: ROLLUP_MEASURES,
      dimensions: ['region', 'district', 'service', 'provider', 'state'],
      time_dimension: 'deliveredOn',
      granularity: 'month',
    },
  },
  meta: META,
});
