import { cube } from '../../src/model/cube.types.ts';

// Accessi: the intake records of the front desks (seed 002 A4, seed 003 1.2).
export const intake = cube('intake', {
  title: 'Accessi',
  description: 'Schede di accesso del segretariato sociale',
  sql_table: 'main.fact_intake',
  joins: {
    territory: {
      relationship: 'many_to_one',
      sql: '{CUBE}.municipality_code = {territory}.municipality_code',
    },
    contact_points: {
      relationship: 'many_to_one',
      sql: '{CUBE}.contact_point_id = {contact_points}.contact_point_id',
    },
  },
  measures: {
    count: { type: 'count', title: 'Accessi', format: 'number' },
    persons: {
      type: 'count_distinct',
      sql: '{CUBE}.person_key',
      title: 'Persone distinte',
      format: 'number',
    },
    anonymous: {
      type: 'count',
      filters: [{ sql: "{CUBE}.access_kind = 'ANONYMOUS'" }],
      title: 'Accessi anonimi',
    },
    anonymousShare: {
      type: 'number',
      sql: '{anonymous} / NULLIF({count}, 0)',
      title: 'Quota di accessi anonimi',
      format: 'percent',
    },
  },
  dimensions: {
    occurredAt: { sql: '{CUBE}.occurred_on', type: 'time', title: 'Data di accesso' },
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
    accessKind: { sql: '{CUBE}.access_kind', type: 'string', title: 'Tipo di accesso' },
    channel: { sql: '{CUBE}.channel', type: 'string', title: 'Modalità di accesso' },
    outcome: { sql: '{CUBE}.outcome', type: 'string', title: 'Esito' },
    status: { sql: '{CUBE}.status', type: 'string', title: 'Stato della scheda' },
    need: { sql: '{CUBE}.need_code', type: 'string', title: 'Bisogno espresso (principale)' },
    contactPoint: { sql: '{CUBE}.contact_point_id', type: 'string', title: 'Punto di contatto' },
    contactPointName: {
      sql: '{contact_points}.contact_point_name',
      type: 'string',
      title: 'Punto di contatto (nome)',
    },
    ageBand: { sql: '{CUBE}.age_band', type: 'string', title: 'Classe di età' },
    sex: { sql: '{CUBE}.sex', type: 'string', title: 'Sesso' },
    citizenship: { sql: '{CUBE}.citizenship', type: 'string', title: 'Cittadinanza' },
  },
  segments: {
    judicial: { sql: "{CUBE}.access_kind = 'JUDICIAL_AUTHORITY'", title: 'Su mandato giudiziario' },
    closed: { sql: "{CUBE}.status IN ('CLOSED', 'TAKEN_INTO_CARE', 'REJECTED')", title: 'Chiuse' },
  },
  pre_aggregations: {
    monthlyTerritory: {
      measures: ['count', 'persons', 'anonymous'],
      dimensions: ['region', 'district', 'municipality', 'accessKind', 'channel', 'outcome'],
      time_dimension: 'occurredAt',
      granularity: 'month',
    },
    monthlyProfile: {
      measures: ['count', 'persons', 'anonymous'],
      dimensions: ['region', 'district', 'ageBand', 'sex', 'citizenship', 'need'],
      time_dimension: 'occurredAt',
      granularity: 'month',
    },
  },
  // The cruscotti's shapes (dashboards/src/lib/features/cruscotti), at the default period (the
  // year): KPI cards, geographic chart, accesses report, trend, breakdown and map; and the
  // warehouse bench's queries. Their protected cells are precomputed by the ETL.
  protected_shapes: {
    kpi: { measures: ['count', 'persons'], time: { dimension: 'occurredAt', grain: 'year' } },
    byDistrict: {
      measures: ['count', 'persons'],
      dimensions: ['district'],
      time: { dimension: 'occurredAt', grain: 'year' },
    },
    report: {
      measures: ['count', 'persons', 'anonymousShare'],
      dimensions: ['district'],
      time: { dimension: 'occurredAt', grain: 'year' },
    },
    trend: { measures: ['count'], time: { dimension: 'occurredAt', grain: 'month' } },
    channel: {
      measures: ['count'],
      dimensions: ['channel'],
      time: { dimension: 'occurredAt', grain: 'year' },
    },
    map: {
      measures: ['count'],
      dimensions: ['municipality'],
      time: { dimension: 'occurredAt', grain: 'year' },
    },
    monthlyByDistrict: {
      measures: ['count'],
      dimensions: ['district'],
      time: { dimension: 'occurredAt', grain: 'month' },
    },
    municipalities: {
      measures: ['persons', 'count'],
      dimensions: ['district', 'municipality'],
      time: { dimension: 'occurredAt', grain: 'year' },
    },
    // The names the charts show for their codes (one query per code and name, over all time).
    districtNames: { measures: [], dimensions: ['district', 'districtName'] },
    municipalityNames: { measures: [], dimensions: ['municipality', 'municipalityName'] },
    contactPointNames: { measures: [], dimensions: ['contactPoint', 'contactPointName'] },
  },
  meta: {
    contributor: 'coalesce({CUBE}.person_key, {CUBE}.record_key)',
    person: '{CUBE}.person_key',
    rls: {
      organization: '{CUBE}.organization_id',
      district: '{CUBE}.district_code',
      region: '{CUBE}.region_code',
    },
  },
});

export const contactPoints = cube('contact_points', {
  sql_table: 'main.dim_contact_point',
  public: false,
  measures: {},
  dimensions: {
    id: { sql: '{CUBE}.contact_point_id', type: 'string', primary_key: true },
    name: { sql: '{CUBE}.contact_point_name', type: 'string' },
  },
});
