import { cube } from '../../src/model/cube.types.ts';

// Progetti personalizzati (PAI): active and closed plans, and the reviews that are late. A
// review is late when the earliest one not yet done fell due before today: measured on the fact
// table (no rollup), so that "today" is the day of the query.
export const carePlans = cube('carePlans', {
  title: 'Progetti personalizzati',
  description: 'Progetti personalizzati (PAI) e loro verifiche',
  sql_table: 'main.fact_care_plan',
  joins: {
    territory: {
      relationship: 'many_to_one',
      sql: '{CUBE}.municipality_code = {territory}.municipality_code',
    },
  },
  measures: {
    count: { type: 'count', title: 'Progetti', format: 'number' },
    persons: { type: 'count_distinct', sql: '{CUBE}.person_key', title: 'Persone distinte' },
    active: { type: 'count', filters: [{ sql: "{CUBE}.status = 'ACTIVE'" }], title: 'Attivi' },
    reviewOverdue: {
      type: 'count',
      filters: [{ sql: "{CUBE}.status = 'ACTIVE' AND {CUBE}.next_review_on < current_date" }],
      title: 'Con verifica scaduta',
    },
  },
  dimensions: {
    startedAt: { sql: '{CUBE}.start_on', type: 'time', title: 'Data di avvio' },
    nextReviewAt: { sql: '{CUBE}.next_review_on', type: 'time', title: 'Prossima verifica' },
    region: { sql: '{CUBE}.region_code', type: 'string', title: 'Regione' },
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
    organization: { sql: '{CUBE}.organization_id', type: 'string', title: 'Ente' },
    office: { sql: '{CUBE}.office_id', type: 'string', title: 'Ufficio' },
    targetArea: { sql: '{CUBE}.target_area_code', type: 'string', title: 'Area di utenza' },
    status: { sql: '{CUBE}.status', type: 'string', title: 'Stato' },
  },
  meta: {
    contributor: 'coalesce({CUBE}.person_key, {CUBE}.care_plan_key)',
    person: '{CUBE}.person_key',
    rls: {
      organization: '{CUBE}.organization_id',
      district: '{CUBE}.district_code',
      region: '{CUBE}.region_code',
    },
  },
});
