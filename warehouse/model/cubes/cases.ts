import { cube } from '../../src/model/cube.types.ts';

// Casi: the case files (cartelle sociali), their status and duration.
export const cases = cube('cases', {
  title: 'Casi',
  description: 'Cartelle sociali: aperte, nuove, chiuse, durata',
  sql_table: 'main.fact_case',
  joins: {
    territory: {
      relationship: 'many_to_one',
      sql: '{CUBE}.municipality_code = {territory}.municipality_code',
    },
    offices: { relationship: 'many_to_one', sql: '{CUBE}.office_id = {offices}.office_id' },
  },
  measures: {
    count: { type: 'count', title: 'Cartelle' },
    persons: { type: 'count_distinct', sql: '{CUBE}.person_key', title: 'Persone distinte' },
    open: { type: 'count', filters: [{ sql: "{CUBE}.status <> 'CLOSED'" }], title: 'Aperte' },
    opened: { type: 'count', title: 'Nuove (aperte nel periodo)' },
    closed: { type: 'count', filters: [{ sql: "{CUBE}.status = 'CLOSED'" }], title: 'Chiuse' },
    avgDurationDays: {
      type: 'avg',
      sql: '{CUBE}.duration_days',
      title: 'Durata media (giorni, cartelle chiuse)',
      format: 'number',
    },
  },
  dimensions: {
    openedOn: { sql: '{CUBE}.opened_on', type: 'time', title: 'Data di apertura' },
    closedOn: { sql: '{CUBE}.closed_on', type: 'time', title: 'Data di chiusura' },
    district: {
      sql: '{CUBE}.district_code',
      type: 'string',
      title: 'Zona sociale',
      meta: { parent: 'region' },
    },
    districtName: {
      sql: '{territory}.district_name',
      type: 'string',
      title: 'Zona sociale (nome)',
    },
    municipality: {
      sql: '{CUBE}.municipality_code',
      type: 'string',
      title: 'Comune',
      meta: { parent: 'district' },
    },
    municipalityName: {
      sql: '{territory}.municipality_name',
      type: 'string',
      title: 'Comune (nome)',
    },
    region: { sql: '{CUBE}.region_code', type: 'string', title: 'Regione' },
    organization: { sql: '{CUBE}.organization_id', type: 'string', title: 'Ente' },
    office: { sql: '{CUBE}.office_id', type: 'string', title: 'Ufficio' },
    officeName: { sql: '{offices}.office_name', type: 'string', title: 'Ufficio (nome)' },
    sector: { sql: '{CUBE}.sector', type: 'string', title: 'Settore' },
    targetArea: { sql: '{CUBE}.target_area_code', type: 'string', title: 'Area di utenza' },
    status: { sql: '{CUBE}.status', type: 'string', title: 'Stato' },
    ageBand: { sql: '{CUBE}.age_band', type: 'string', title: 'Classe di età' },
    sex: { sql: '{CUBE}.sex', type: 'string', title: 'Sesso' },
  },
  segments: {
    open: { sql: "{CUBE}.status <> 'CLOSED'", title: 'Aperte' },
  },
  pre_aggregations: {
    monthly: {
      measures: ['count', 'persons', 'open', 'opened', 'closed', 'avgDurationDays'],
      dimensions: [
        'region',
        'district',
        'municipality',
        'office',
        'targetArea',
        'status',
        'ageBand',
        'sex',
      ],
      time_dimension: 'openedOn',
      granularity: 'month',
    },
  },
  // The cruscotti's shapes (KPI cards, breakdowns) and the warehouse bench's, precomputed.
  protected_shapes: {
    kpiNew: { measures: ['opened'], time: { dimension: 'openedOn', grain: 'year' } },
    kpiOpen: { measures: ['open'] },
    targetArea: {
      measures: ['count'],
      dimensions: ['targetArea'],
      time: { dimension: 'openedOn', grain: 'year' },
    },
    office: {
      measures: ['count'],
      dimensions: ['office'],
      time: { dimension: 'openedOn', grain: 'year' },
    },
    outcomes: {
      measures: ['open', 'closed', 'avgDurationDays', 'persons'],
      dimensions: ['targetArea'],
      time: { dimension: 'openedOn', grain: 'year' },
    },
    // The names the charts show for their codes (one query per code and name, over all time).
    officeNames: { measures: [], dimensions: ['office', 'officeName'] },
  },
  meta: {
    contributor: 'coalesce({CUBE}.person_key, {CUBE}.case_key)',
    person: '{CUBE}.person_key',
    rls: {
      organization: '{CUBE}.organization_id',
      district: '{CUBE}.district_code',
      region: '{CUBE}.region_code',
    },
  },
});

export const offices = cube('offices', {
  sql_table: 'main.dim_office',
  public: false,
  measures: {},
  dimensions: {
    id: { sql: '{CUBE}.office_id', type: 'string', primary_key: true },
    name: { sql: '{CUBE}.office_name', type: 'string' },
  },
});
