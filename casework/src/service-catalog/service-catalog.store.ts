import type { Queryable } from '../db/db.ts';
import {
  HEALTH_SERVICE_CODES,
  type NeedCode,
  type ServiceCatalogEntry,
} from './service-catalog.types.ts';

const SERVICE_COLUMNS = `s.id, s.scheme, s.code, s.version, s.title, s.description, s.category,
  s.parent_code AS "parentCode", s.requestable, s.valid_from AS "validFrom", s.valid_to AS "validTo",
  s.source, s.source_note AS "sourceNote", s.region_code AS "regionCode",
  m.code AS "mapsToCode"`;

const SERVICE_FROM = 'service_catalog s LEFT JOIN service_catalog m ON m.id = s.maps_to_id';

// A version is valid on day d when it started on or before d and ends after d.
const VALID_ON = (alias: string, param: string) =>
  `(${alias}.valid_from IS NULL OR ${alias}.valid_from <= ${param}::date)
   AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > ${param}::date)`;

/** SQL: whether the catalog holds a version of the code `codeSql` valid on the day `daySql`. */
export const serviceValidOnSql = (codeSql: string, daySql: string) =>
  `EXISTS (SELECT 1 FROM service_catalog s WHERE s.code = ${codeSql} AND ${VALID_ON('s', daySql)})`;

export type StandardServiceRow = {
  scheme: string;
  code: string;
  title: string;
  description: string | null;
  category: string | null;
  requestable: boolean;
  source: string;
  sourceNote: string | null;
};

/** Inserts or refreshes sourced rows (no known start date: valid_from NULL). */
export async function upsertStandardServices(
  q: Queryable,
  rows: StandardServiceRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO service_catalog (scheme, code, title, description, category, requestable, source, source_note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[],
                          $7::text[], $8::text[])
     ON CONFLICT (code, valid_from) DO UPDATE SET
       scheme = EXCLUDED.scheme, title = EXCLUDED.title, description = EXCLUDED.description,
       category = EXCLUDED.category, requestable = EXCLUDED.requestable,
       source = EXCLUDED.source, source_note = EXCLUDED.source_note`,
    [
      rows.map((r) => r.scheme),
      rows.map((r) => r.code),
      rows.map((r) => r.title),
      rows.map((r) => r.description),
      rows.map((r) => r.category),
      rows.map((r) => r.requestable),
      rows.map((r) => r.source),
      rows.map((r) => r.sourceNote),
    ],
  );
}

export async function upsertStandardNeeds(
  q: Queryable,
  rows: { code: string; label: string; scheme: string; source: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO need_code (code, label, scheme, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, scheme = EXCLUDED.scheme,
       source = EXCLUDED.source`,
    [
      rows.map((r) => r.code),
      rows.map((r) => r.label),
      rows.map((r) => r.scheme),
      rows.map((r) => r.source),
    ],
  );
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const foldText = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

export async function searchServices(
  q: Queryable,
  args: {
    words: string[];
    validOn: string | null;
    scheme: string | null;
    category: string | null;
    requestableOnly: boolean;
    limit: number;
  },
): Promise<ServiceCatalogEntry[]> {
  const patterns = args.words.map((w) => `%${escapeLike(foldText(w))}%`);
  const exact = args.words.length === 1 ? args.words[0]! : null;
  return q.query<ServiceCatalogEntry>(
    `SELECT ${SERVICE_COLUMNS} FROM ${SERVICE_FROM}
      WHERE (SELECT bool_and(s.search_text LIKE p) FROM unnest($1::text[]) AS p) IS NOT FALSE
        AND ($2::date IS NULL OR (${VALID_ON('s', '$2')}))
        AND ($3::text IS NULL OR s.scheme = $3)
        AND ($4::text IS NULL OR s.category = $4)
        AND (NOT $5::boolean OR s.requestable)
      ORDER BY (lower(s.code) = lower($6::text)) DESC NULLS LAST,
               (lower(s.code) LIKE lower($6::text) || '%') DESC NULLS LAST,
               s.scheme, s.code, s.valid_from NULLS FIRST
      LIMIT $7`,
    [patterns, args.validOn, args.scheme, args.category, args.requestableOnly, exact, args.limit],
  );
}

/** The versions of these codes valid on `day`, keyed by code. */
export async function selectServicesValidOn(
  q: Queryable,
  codes: string[],
  day: string,
): Promise<Map<string, ServiceCatalogEntry>> {
  if (codes.length === 0) return new Map();
  const rows = await q.query<ServiceCatalogEntry>(
    `SELECT ${SERVICE_COLUMNS} FROM ${SERVICE_FROM}
      WHERE s.code = ANY($1::text[]) AND ${VALID_ON('s', '$2')}`,
    [codes, day],
  );
  return new Map(rows.map((r) => [r.code, r]));
}

/** Those of these codes that are health services, themselves or through the code they map to. */
export async function selectHealthServiceCodes(
  q: Queryable,
  codes: readonly string[],
): Promise<Set<string>> {
  const unknown = [...new Set(codes)].filter((c) => !HEALTH_SERVICE_CODES.includes(c));
  const found = new Set(codes.filter((c) => HEALTH_SERVICE_CODES.includes(c)));
  if (unknown.length === 0) return found;
  const rows = await q.query<{ code: string }>(
    `SELECT DISTINCT s.code FROM ${SERVICE_FROM}
      WHERE s.code = ANY($1::text[]) AND m.code = ANY($2::text[])`,
    [unknown, HEALTH_SERVICE_CODES],
  );
  for (const r of rows) found.add(r.code);
  return found;
}

export async function selectServiceVersions(
  q: Queryable,
  code: string,
): Promise<ServiceCatalogEntry[]> {
  return q.query<ServiceCatalogEntry>(
    `SELECT ${SERVICE_COLUMNS} FROM ${SERVICE_FROM} WHERE s.code = $1
      ORDER BY s.valid_from NULLS FIRST`,
    [code],
  );
}

/** Versions of `code` whose validity overlaps [from, to). */
export async function selectOverlappingVersions(
  q: Queryable,
  code: string,
  from: string | null,
  to: string | null,
): Promise<{ id: string }[]> {
  return q.query<{ id: string }>(
    `SELECT id FROM service_catalog
      WHERE code = $1
        AND ($3::date IS NULL OR valid_from IS NULL OR valid_from < $3::date)
        AND ($2::date IS NULL OR valid_to IS NULL OR valid_to > $2::date)`,
    [code, from, to],
  );
}

export async function insertCustomService(
  q: Queryable,
  row: {
    code: string;
    version: number;
    title: string;
    description: string | null;
    category: string | null;
    parentCode: string | null;
    validFrom: string | null;
    validTo: string | null;
    source: string;
    regionCode: string;
    mapsToId: string;
    createdBy: string | null;
  },
): Promise<string> {
  const [inserted] = await q.query<{ id: string }>(
    `INSERT INTO service_catalog (scheme, code, version, title, description, category, parent_code,
       valid_from, valid_to, source, region_code, maps_to_id, created_by)
     VALUES ('REGIONAL_CUSTOM', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     RETURNING id`,
    [
      row.code,
      row.version,
      row.title,
      row.description,
      row.category,
      row.parentCode,
      row.validFrom,
      row.validTo,
      row.source,
      row.regionCode,
      row.mapsToId,
      row.createdBy,
    ],
  );
  return inserted!.id;
}

export async function closeServiceVersion(
  q: Queryable,
  id: string,
  validTo: string,
): Promise<void> {
  await q.query('UPDATE service_catalog SET valid_to = $2 WHERE id = $1', [id, validTo]);
}

export async function selectServiceById(
  q: Queryable,
  id: string,
): Promise<ServiceCatalogEntry | null> {
  const rows = await q.query<ServiceCatalogEntry>(
    `SELECT ${SERVICE_COLUMNS} FROM ${SERVICE_FROM} WHERE s.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

const NEED_COLUMNS = `code, label, scheme, parent_code AS "parentCode", valid_from AS "validFrom",
  valid_to AS "validTo", source, region_code AS "regionCode"`;

export async function selectNeeds(q: Queryable, validOn: string | null): Promise<NeedCode[]> {
  return q.query<NeedCode>(
    `SELECT ${NEED_COLUMNS} FROM need_code n
      WHERE $1::date IS NULL OR (${VALID_ON('n', '$1')})
      ORDER BY scheme <> 'REGIONAL_CUSTOM' DESC, parent_code NULLS FIRST, code`,
    [validOn],
  );
}

export async function selectNeedsValidOn(
  q: Queryable,
  codes: string[],
  day: string,
): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await q.query<{ code: string }>(
    `SELECT code FROM need_code n WHERE code = ANY($1::text[]) AND ${VALID_ON('n', '$2')}`,
    [codes, day],
  );
  return new Set(rows.map((r) => r.code));
}

export async function selectNeed(q: Queryable, code: string): Promise<NeedCode | null> {
  const rows = await q.query<NeedCode>(`SELECT ${NEED_COLUMNS} FROM need_code WHERE code = $1`, [
    code,
  ]);
  return rows[0] ?? null;
}

export async function insertCustomNeed(
  q: Queryable,
  row: {
    code: string;
    label: string;
    parentCode: string;
    regionCode: string;
    validFrom: string | null;
    validTo: string | null;
    source: string;
    createdBy: string | null;
  },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO need_code (code, label, scheme, parent_code, region_code, valid_from, valid_to,
       source, created_by)
     VALUES ($1, $2, 'REGIONAL_CUSTOM', $3, $4, $5, $6, $7, $8)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    [
      row.code,
      row.label,
      row.parentCode,
      row.regionCode,
      row.validFrom,
      row.validTo,
      row.source,
      row.createdBy,
    ],
  );
  return rows.length > 0;
}

export async function regionExists(q: Queryable, code: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM region WHERE code = $1', [code]);
  return rows.length > 0;
}
