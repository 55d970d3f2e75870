import type { Queryable } from '../db/db.ts';

/**
 * The store's persons as the simulators' population takes them (@hub/connectors'
 * RegistrySeedPerson): only those with a codice fiscale, a household as the persons at one
 * address of one municipality, and the latest ISEE a case file holds for the person. For the
 * simulators of a demo hub only: a real ANPR is the source of these data, not their copy.
 */
export async function selectRegistryPopulation(
  q: Queryable,
  /** Only these codes (a person registered after the simulators started); all when absent. */
  taxCodes?: string[],
) {
  return q
    .query<{
      taxCode: string;
      lastName: string;
      firstName: string;
      sex: 'M' | 'F';
      birthDate: string;
      birthPlaceCode: string | null;
      residenceMunicipality: string | null;
      residenceAddress: string | null;
      deathDate: string | null;
      householdKey: string | null;
      isee: {
        value: number;
        ise: number | null;
        dsuProtocol: string | null;
        presentedOn: string | null;
      } | null;
    }>(
      `SELECT p.tax_code AS "taxCode", p.last_name AS "lastName", p.first_name AS "firstName", p.sex,
            p.birth_date AS "birthDate", p.birth_place_code AS "birthPlaceCode",
            p.residence_municipality AS "residenceMunicipality", p.residence_address AS "residenceAddress",
            p.death_date AS "deathDate",
            CASE WHEN p.residence_address IS NULL THEN NULL
                 ELSE p.residence_municipality || '|' || lower(trim(p.residence_address)) END AS "householdKey",
            (SELECT json_build_object('value', i.isee_value::float8, 'ise', i.ise_value::float8,
                      'dsuProtocol', i.dsu_protocol, 'presentedOn', i.dsu_on)
               FROM case_isee i JOIN case_file cf ON cf.id = i.case_file_id
              WHERE cf.person_id = p.id ORDER BY i.valid_to DESC, i.created_at DESC LIMIT 1) AS isee
       FROM person p
      WHERE p.tax_code IS NOT NULL AND NOT p.anonymous AND p.deleted_at IS NULL
        AND p.first_name IS NOT NULL AND p.last_name IS NOT NULL AND p.sex IS NOT NULL
        AND p.birth_date IS NOT NULL
        AND ($1::text[] IS NULL OR p.tax_code = ANY($1::text[]))
      -- One row per code: a person registered by two organisations is one person to ANPR.
      ORDER BY p.tax_code, p.created_at`,
      [taxCodes ?? null],
    )
    .then((rows) => rows.filter((r, i) => i === 0 || rows[i - 1]!.taxCode !== r.taxCode));
}
