// What the ETL reads from the case store: one query per warehouse table, written for
// PostgreSQL and PGlite alike and run through `COPY … TO` (copy.ts). A fact comes back as one
// pre-joined CSV record: its id and its person's reference first (which the ETL replaces with
// pseudonyms before anything is written: no codice fiscale leaves here), then codes, ids, dates
// and numbers. Free text and identifiers are not even selected.

// The EU member states other than Italy (ISO 3166-1 alpha-3), for the citizenship group.
const EU = [
  'AUT',
  'BEL',
  'BGR',
  'CYP',
  'CZE',
  'DEU',
  'DNK',
  'ESP',
  'EST',
  'FIN',
  'FRA',
  'GRC',
  'HRV',
  'HUN',
  'IRL',
  'LTU',
  'LUX',
  'LVA',
  'MLT',
  'NLD',
  'POL',
  'PRT',
  'ROU',
  'SVK',
  'SVN',
  'SWE',
];

const citizenshipGroup = (col: string) => `CASE
  WHEN ${col} IS NULL THEN NULL WHEN ${col} = 'ITA' THEN 'ITALIAN'
  WHEN ${col} IN (${EU.map((c) => `'${c}'`).join(', ')}) THEN 'EU' ELSE 'NON_EU' END`;

/** Age bands of the ISTAT tables on social services; the age on the day of the fact. */
export const ageBand = (day: string, birth: string) => `CASE
  WHEN ${birth} IS NULL THEN NULL
  ELSE (SELECT CASE WHEN a < 18 THEN '0-17' WHEN a < 25 THEN '18-24' WHEN a < 35 THEN '25-34'
                    WHEN a < 45 THEN '35-44' WHEN a < 55 THEN '45-54' WHEN a < 65 THEN '55-64'
                    WHEN a < 75 THEN '65-74' ELSE '75+' END
          FROM (SELECT extract(year FROM age(${day}, ${birth}))::int AS a) x) END`;

// The territory of a fact: where the person lives, else where the organisation is; its zona
// sociale from the municipality, else the organisation's own.
export const TERRITORY_JOINS = (personMunicipality: string) => `
  LEFT JOIN municipality m ON m.istat_code = coalesce(${personMunicipality}, o.municipality_code)
  LEFT JOIN social_district d ON d.id = coalesce(m.social_district_id, o.social_district_id)`;
export const DISTRICT_CODE = `d.region_code || '-' || lpad(d.number::text, 2, '0')`;

// The columns of a CSV record, as text (as the warehouse has always read them: a boolean as
// `true`, not COPY's `t`); COPY quotes what needs quoting and writes NULL as an empty field.
export const line = (cols: string[]) => cols.map((c) => `(${c})::text`).join(', ');
const quotedLine = line;

/** The live intake records, by id page or by a list of ids. */
export function intakeFactSql(where: string): string {
  return `SELECT r.id::text AS id, coalesce(p.tax_code, p.id::text) AS person_ref,
    ${line([
      'r.organization_id',
      'r.office_id',
      'r.contact_point_id',
      'fo.occurred_on',
      'm.istat_code',
      DISTRICT_CODE,
      'coalesce(d.region_code, m_region.region_code)',
      'r.access_kind',
      'r.channel',
      'r.status',
      'r.outcome',
      '(SELECT min(n.need_code) FROM intake_need n WHERE n.intake_id = r.id)',
      ageBand('fo.occurred_on', 'p.birth_date'),
      'p.sex',
      citizenshipGroup('coalesce(p.citizenship, r.citizenship)'),
    ])}
    FROM intake_record r
    CROSS JOIN LATERAL (SELECT (r.occurred_at AT TIME ZONE 'Europe/Rome')::date AS occurred_on) fo
    JOIN organization o ON o.id = r.organization_id
    LEFT JOIN person p ON p.id = r.subject_person_id AND p.deleted_at IS NULL
    ${TERRITORY_JOINS('p.residence_municipality')}
    LEFT JOIN social_district m_region ON m_region.id = o.social_district_id
    WHERE r.deleted_at IS NULL AND ${where}
    ORDER BY r.id`;
}

export function caseFactSql(where: string): string {
  return `SELECT f.id::text AS id, coalesce(p.tax_code, p.id::text) AS person_ref,
    ${line([
      'f.organization_id',
      'f.office_id',
      'f.sector',
      'f.target_area_code',
      'f.status',
      'f.opened_on',
      'f.closed_on',
      'f.closed_on - f.opened_on',
      'm.istat_code',
      DISTRICT_CODE,
      'coalesce(d.region_code, m_region.region_code)',
      ageBand('f.opened_on', 'p.birth_date'),
      'p.sex',
    ])}
    FROM case_file f
    JOIN organization o ON o.id = f.organization_id
    LEFT JOIN person p ON p.id = f.person_id AND p.deleted_at IS NULL
    ${TERRITORY_JOINS('p.residence_municipality')}
    LEFT JOIN social_district m_region ON m_region.id = o.social_district_id
    WHERE ${where}
    ORDER BY f.id`;
}

/** The dimensions: small, read whole at every load. Names are public reference data. */
export const DIMENSION_SQL: Record<string, string> = {
  dim_territory: `SELECT ${quotedLine([
    'm.istat_code',
    'm.name',
    'm.province',
    DISTRICT_CODE,
    'd.name',
    'r.code',
    'r.name',
  ])}
    FROM municipality m LEFT JOIN social_district d ON d.id = m.social_district_id
    LEFT JOIN region r ON r.code = d.region_code ORDER BY m.istat_code`,
  // An organisation's zona sociale is its own, else its municipality's; its region that of the
  // zona, else (a region's own body) the region of the zones below it.
  dim_organization: `SELECT ${quotedLine([
    'o.id',
    'o.name',
    'o.kind',
    'o.parent_id',
    'o.municipality_code',
    DISTRICT_CODE,
    `coalesce(d.region_code, (SELECT min(cd.region_code) FROM organization c
       JOIN social_district cd ON cd.id = c.social_district_id WHERE c.parent_id = o.id))`,
  ])}
    FROM organization o
    LEFT JOIN municipality m ON m.istat_code = o.municipality_code
    LEFT JOIN social_district d ON d.id = coalesce(o.social_district_id, m.social_district_id)
    ORDER BY o.id`,
  dim_office: `SELECT ${quotedLine(['id', 'name', 'organization_id', 'sector'])} FROM office ORDER BY id`,
  dim_contact_point: `SELECT ${quotedLine(['id', 'name', 'kind', 'office_id'])}
    FROM contact_point ORDER BY id`,
  dim_need: `SELECT ${quotedLine(['code', 'label', 'parent_code'])} FROM need_code ORDER BY code`,
  dim_target_area: `SELECT ${quotedLine(['code', 'label'])} FROM target_area ORDER BY code`,
  // The latest version of each code (a code's versions keep its place in the hierarchy).
  dim_service: `SELECT ${quotedLine(['s.code', 's.title', 's.scheme', 's.category', 's.parent_code', 'coalesce(m.code, s.code)'])}
    FROM (SELECT DISTINCT ON (code) * FROM service_catalog ORDER BY code, valid_from DESC NULLS LAST) s
    LEFT JOIN service_catalog m ON m.id = s.maps_to_id ORDER BY s.code`,
  dim_provider: `SELECT ${quotedLine(['id', 'name', 'kind', 'registered_by_organization_id'])}
    FROM provider ORDER BY id`,
  dim_project: `SELECT ${quotedLine(['id', 'code', 'title', 'organization_id', 'funding_source_code', 'budget', 'start_on', 'end_on'])}
    FROM project ORDER BY id`,
  dim_funding_source: `SELECT ${quotedLine(['code', 'label', 'level'])} FROM funding_source ORDER BY code`,
};

/**
 * The extraction of a fact table, as COPY's SELECT. In slices of the id space (uuids are
 * uniform) on PGlite, whose COPY output comes back whole in memory; in one statement on a server,
 * which streams it and plans the joins once (slices there meant an index range scan each).
 */
export function factSelects(
  sqlOf: (where: string) => string,
  slices: number,
  /** The uuid column the slices cut (the fact's own id, or its case file's). */
  id: string,
): string[] {
  const bound = (i: number) =>
    `'${Math.floor((i * 0x100000000) / slices)
      .toString(16)
      .padStart(8, '0')}-0000-0000-0000-000000000000'::uuid`;
  const out: string[] = [];
  for (let i = 0; i < slices; i++) {
    const where =
      slices === 1
        ? 'true'
        : i === slices - 1
          ? `${id} >= ${bound(i)}`
          : `${id} >= ${bound(i)} AND ${id} < ${bound(i + 1)}`;
    out.push(withoutOrder(sqlOf(where)));
  }
  return out;
}

/** The statement without its final ORDER BY (the warehouse does not need the order). */
export const withoutOrder = (sql: string) => sql.replace(/\n\s*ORDER BY [^\n]*$/, '');
