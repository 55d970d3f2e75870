// What the ETL reads for the deliveries, SIUSS and care facts (issue 10), in the shape of
// extract.ts: one pre-joined CSV record of codes, ids, dates and numbers per row, after the
// references the ETL turns into pseudonyms. No name, codice fiscale, note, reason or free text is
// selected (a dispute's reason, a care plan's title and goals, a status change's reason stay).
import { ageBand, DISTRICT_CODE, line, TERRITORY_JOINS } from './extract.ts';

/** Names and titles (they may hold commas, quotes and line breaks: COPY quotes them). */
const quoted = line;

const REGION = 'coalesce(d.region_code, m_region.region_code)';
const ORG_REGION = 'LEFT JOIN social_district m_region ON m_region.id = o.social_district_id';
const PERSON_REF = 'coalesce(p.tax_code, p.id::text) AS person_ref';

/** ISEE bands (euro), the thresholds regional rules most often use for benefits. */
const iseeBand = (v: string) => `CASE WHEN ${v} IS NULL THEN NULL
  WHEN ${v} < 6000 THEN '0-5999' WHEN ${v} < 10000 THEN '6000-9999'
  WHEN ${v} < 20000 THEN '10000-19999' WHEN ${v} < 30000 THEN '20000-29999' ELSE '30000+' END`;

/** The statuses of a delivery that is not counted: superseded by its correction, or cancelled. */
export const UNCOUNTED_DELIVERY = `('CORRECTED', 'CANCELLED')`;

export function deliveryFactSql(where: string): string {
  return `SELECT dl.id::text AS id, ${PERSON_REF},
    ${line([
      'dl.organization_id',
      'dl.office_id',
      'dl.delivered_on',
      'm.istat_code',
      DISTRICT_CODE,
      REGION,
      'dl.service_code',
      'i.standard_service_code',
      'sc.category',
      'i.user_area',
      'cf.target_area_code',
      'dl.provider_id',
      'i.project_id',
      'pr.funding_source_code',
      'dl.quantity',
      'dl.amount',
      'dl.status',
      ageBand('dl.delivered_on', 'p.birth_date'),
      'p.sex',
      iseeBand('i.isee_value'),
    ])}, ${quoted(['d.name', 'm.name', 'of.name', 'sc.title', 'pv.name', 'pr.title'])}
    FROM delivery dl
    JOIN intervention i ON i.id = dl.intervention_id
    JOIN organization o ON o.id = dl.organization_id
    LEFT JOIN person p ON p.id = dl.person_id AND p.deleted_at IS NULL
    LEFT JOIN case_file cf ON cf.id = i.case_file_id
    LEFT JOIN project pr ON pr.id = i.project_id
    JOIN office of ON of.id = dl.office_id
    JOIN provider pv ON pv.id = dl.provider_id
    LEFT JOIN LATERAL (SELECT s.category, s.title FROM service_catalog s WHERE s.code = dl.service_code
                        ORDER BY s.valid_from DESC NULLS LAST LIMIT 1) sc ON true
    ${TERRITORY_JOINS('p.residence_municipality')}
    ${ORG_REGION}
    WHERE dl.status NOT IN ${UNCOUNTED_DELIVERY} AND ${where}
    ORDER BY dl.id`;
}

/** A duty still to be sent (or sent again): what becomes overdue after its deadline. */
const PENDING = `(sd.operation <> 'CANCEL' AND sd.state IN ('DUE', 'IN_FLOW', 'REJECTED'))`;
const ROME_TODAY = `(now() AT TIME ZONE 'Europe/Rome')::date`;

export function siussDutyFactSql(where: string): string {
  return `SELECT sd.delivery_id::text AS id, ${PERSON_REF},
    ${line([
      'sd.organization_id',
      'sd.office_id',
      'sd.delivered_on',
      'sd.deadline',
      'm.istat_code',
      DISTRICT_CODE,
      REGION,
      'dl.service_code',
      'dl.provider_id',
      'sd.state',
      'sd.operation',
      PENDING,
      `${PENDING} AND sd.deadline < ${ROME_TODAY}`,
    ])}
    FROM siuss_duty sd
    JOIN delivery dl ON dl.id = sd.delivery_id
    JOIN organization o ON o.id = sd.organization_id
    LEFT JOIN person p ON p.id = sd.person_id AND p.deleted_at IS NULL
    ${TERRITORY_JOINS('p.residence_municipality')}
    ${ORG_REGION}
    WHERE NOT sd.superseded AND ${where}
    ORDER BY sd.delivery_id`;
}

export function carePlanFactSql(where: string): string {
  return `SELECT cp.id::text AS id, ${PERSON_REF},
    ${line([
      'f.organization_id',
      'f.office_id',
      'f.target_area_code',
      'cp.status',
      'cp.start_on',
      'cp.end_on',
      'cp.closed_on',
      'rv.reviews',
      'rv.done',
      'rv.next_on',
      'm.istat_code',
      DISTRICT_CODE,
      REGION,
    ])}
    FROM care_plan cp
    JOIN case_file f ON f.id = cp.case_file_id
    JOIN organization o ON o.id = f.organization_id
    LEFT JOIN person p ON p.id = f.person_id AND p.deleted_at IS NULL
    LEFT JOIN LATERAL (SELECT count(*)::int AS reviews, count(r.done_on)::int AS done,
                              min(r.due_on) FILTER (WHERE r.done_on IS NULL) AS next_on
                         FROM care_plan_review r WHERE r.care_plan_id = cp.id) rv ON true
    ${TERRITORY_JOINS('p.residence_municipality')}
    ${ORG_REGION}
    WHERE ${where}
    ORDER BY cp.id`;
}

/** A case file's steps, keyed by the case file (they are replaced whole when it changes). */
export function caseStatusFactSql(where: string): string {
  return `SELECT h.case_file_id::text AS id, ${PERSON_REF},
    ${line([
      'h.id',
      'f.organization_id',
      'h.kind',
      'h.from_status',
      'h.to_status',
      'h.from_office_id',
      'h.to_office_id',
      'h.from_sector',
      'h.to_sector',
      'h.changed_on',
      'm.istat_code',
      DISTRICT_CODE,
      REGION,
    ])}
    FROM case_status_history h
    JOIN case_file f ON f.id = h.case_file_id
    JOIN organization o ON o.id = f.organization_id
    LEFT JOIN person p ON p.id = f.person_id AND p.deleted_at IS NULL
    ${TERRITORY_JOINS('p.residence_municipality')}
    ${ORG_REGION}
    WHERE ${where}
    ORDER BY h.case_file_id, h.id`;
}
