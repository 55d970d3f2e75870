import type { Queryable } from '../db/db.ts';
import type { ForeignCountry, Municipality } from './territory.types.ts';

const MUNICIPALITY_COLUMNS = `
  m.istat_code AS "istatCode", m.name, m.province, m.cadastral_code AS "cadastralCode",
  m.social_district_id AS "socialDistrictId", d.number AS "socialDistrictNumber", m.population`;
const MUNICIPALITY_FROM =
  'municipality m LEFT JOIN social_district d ON d.id = m.social_district_id';

export async function upsertRegion(q: Queryable, code: string, name: string): Promise<void> {
  await q.query(
    `INSERT INTO region (code, name) VALUES ($1, $2)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE region.name <> excluded.name`,
    [code, name],
  );
}

/** Upserts the districts of a region and returns their ids by number. */
export async function upsertSocialDistricts(
  q: Queryable,
  regionCode: string,
  districts: { number: number; name: string; leadMunicipality: string }[],
): Promise<Map<number, number>> {
  await q.query(
    `INSERT INTO social_district (region_code, number, name, lead_municipality)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])
     ON CONFLICT (region_code, number) DO UPDATE
       SET name = excluded.name, lead_municipality = excluded.lead_municipality
       WHERE (social_district.name, social_district.lead_municipality)
         IS DISTINCT FROM (excluded.name, excluded.lead_municipality)`,
    [
      regionCode,
      districts.map((d) => d.number),
      districts.map((d) => d.name),
      districts.map((d) => d.leadMunicipality),
    ],
  );
  const rows = await q.query<{ id: number; number: number }>(
    'SELECT id, number FROM social_district WHERE region_code = $1',
    [regionCode],
  );
  return new Map(rows.map((r) => [r.number, r.id]));
}

export async function upsertMunicipalities(
  q: Queryable,
  rows: Omit<Municipality, 'socialDistrictNumber'>[],
): Promise<void> {
  await q.query(
    `INSERT INTO municipality (istat_code, name, province, cadastral_code, social_district_id, population)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])
     ON CONFLICT (istat_code) DO UPDATE
       SET name = excluded.name, province = excluded.province,
           cadastral_code = excluded.cadastral_code,
           social_district_id = excluded.social_district_id, population = excluded.population
       WHERE (municipality.name, municipality.province, municipality.cadastral_code,
              municipality.social_district_id, municipality.population)
         IS DISTINCT FROM (excluded.name, excluded.province, excluded.cadastral_code,
              excluded.social_district_id, excluded.population)`,
    [
      rows.map((r) => r.istatCode),
      rows.map((r) => r.name),
      rows.map((r) => r.province),
      rows.map((r) => r.cadastralCode),
      rows.map((r) => r.socialDistrictId),
      rows.map((r) => r.population),
    ],
  );
}

export async function upsertForeignCountries(q: Queryable, rows: ForeignCountry[]): Promise<void> {
  await q.query(
    `INSERT INTO foreign_country (belfiore_code, name, iso3, istat_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (belfiore_code) DO UPDATE
       SET name = excluded.name, iso3 = excluded.iso3, istat_code = excluded.istat_code
       WHERE (foreign_country.name, foreign_country.iso3, foreign_country.istat_code)
         IS DISTINCT FROM (excluded.name, excluded.iso3, excluded.istat_code)`,
    [
      rows.map((r) => r.belfioreCode),
      rows.map((r) => r.name),
      rows.map((r) => r.iso3),
      rows.map((r) => r.istatCode),
    ],
  );
}

export async function findMunicipality(
  q: Queryable,
  istatCode: string,
): Promise<Municipality | null> {
  const rows = await q.query<Municipality>(
    `SELECT ${MUNICIPALITY_COLUMNS} FROM ${MUNICIPALITY_FROM} WHERE m.istat_code = $1`,
    [istatCode],
  );
  return rows[0] ?? null;
}

/** The municipality with this cadastral (Belfiore) code, e.g. G478 → Perugia. */
export async function municipalityByCadastral(
  q: Queryable,
  code: string,
): Promise<Municipality | null> {
  const rows = await q.query<Municipality>(
    `SELECT ${MUNICIPALITY_COLUMNS} FROM ${MUNICIPALITY_FROM} WHERE m.cadastral_code = $1`,
    [code.trim().toUpperCase()],
  );
  return rows[0] ?? null;
}

export async function listMunicipalities(q: Queryable): Promise<Municipality[]> {
  return q.query<Municipality>(
    `SELECT ${MUNICIPALITY_COLUMNS} FROM ${MUNICIPALITY_FROM} ORDER BY m.istat_code`,
  );
}

export async function listForeignCountries(q: Queryable): Promise<ForeignCountry[]> {
  return q.query<ForeignCountry>(
    `SELECT belfiore_code AS "belfioreCode", name, iso3, istat_code AS "istatCode"
     FROM foreign_country ORDER BY belfiore_code`,
  );
}
