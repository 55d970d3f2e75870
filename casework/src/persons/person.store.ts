import { AUDIT_ACTOR_COLUMNS } from '../audit/audit.ts';
import type { Queryable } from '../db/db.ts';
import type { Person } from './person.types.ts';

const COLUMNS = `id, tax_code AS "taxCode", anonymous, alias, first_name AS "firstName",
  last_name AS "lastName", sex, birth_date AS "birthDate", birth_place_code AS "birthPlaceCode",
  citizenship, residence_municipality AS "residenceMunicipality",
  residence_address AS "residenceAddress", domicile_municipality AS "domicileMunicipality",
  domicile_address AS "domicileAddress", phone, email, permit_type AS "permitType",
  permit_expiry AS "permitExpiry", field_sources AS "fieldSources",
  owner_organization_id AS "ownerOrganizationId", created_at AS "createdAt", updated_at AS "updatedAt"`;

type PersonRow = Omit<Person, 'maskedFields'>;

export async function selectPersonByTaxCode(
  q: Queryable,
  taxCode: string,
): Promise<PersonRow | null> {
  const rows = await q.query<PersonRow>(
    `SELECT ${COLUMNS} FROM person WHERE tax_code = $1 AND deleted_at IS NULL`,
    [taxCode],
  );
  return rows[0] ?? null;
}

export type PersonWithOrganizations = PersonRow & { organizationIds: string[] };

/** Persons by codice fiscale with the organisations that hold each (owner, consents). */
export async function selectPersonsByTaxCodes(
  q: Queryable,
  taxCodes: string[],
): Promise<PersonWithOrganizations[]> {
  return q.query<PersonWithOrganizations>(
    `SELECT ${COLUMNS},
            ARRAY(SELECT c.organization_id FROM consent c WHERE c.person_id = person.id)
              || owner_organization_id AS "organizationIds"
       FROM person WHERE tax_code = ANY($1::text[]) AND deleted_at IS NULL`,
    [taxCodes],
  );
}

export type ReadAuditRow = {
  actor: readonly unknown[];
  personId: string | null;
  outcome: 'OK' | 'DENIED';
  reason: string | null;
};

/** Many READ audit rows in one statement. */
export async function insertReadAudits(
  q: Queryable,
  entity: string,
  rows: ReadAuditRow[],
): Promise<void> {
  const col = (i: number) => rows.map((r) => r.actor[i] ?? null);
  await q.query(
    `INSERT INTO audit_log (${AUDIT_ACTOR_COLUMNS}, action, entity, entity_id, person_id, outcome, reason)
     SELECT k, a, o, i, u, 'READ', $6, p::text, p, r, why
       FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $7::uuid[], $8::text[],
                   $9::text[]) AS t(k, a, o, i, u, p, r, why)`,
    [
      col(0),
      col(1),
      col(2),
      col(3),
      col(4),
      entity,
      rows.map((r) => r.personId),
      rows.map((r) => r.outcome),
      rows.map((r) => r.reason),
    ],
  );
}

export async function selectPersonById(q: Queryable, id: string): Promise<PersonRow | null> {
  const rows = await q.query<PersonRow>(
    `SELECT ${COLUMNS} FROM person WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  return rows[0] ?? null;
}

/** Organisations that hold the person: the owner, and any that recorded a consent for them. */
export async function selectPersonOrganizations(q: Queryable, personId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT owner_organization_id AS id FROM person WHERE id = $1 AND owner_organization_id IS NOT NULL
     UNION SELECT organization_id FROM consent WHERE person_id = $1`,
    [personId],
  );
  return rows.map((r) => r.id);
}

export async function searchPersonsByName(
  q: Queryable,
  organizationIds: string[] | null,
  lastName: string,
  firstName: string | null,
  limit: number,
): Promise<PersonRow[]> {
  return q.query<PersonRow>(
    `SELECT ${COLUMNS} FROM person
      WHERE deleted_at IS NULL
        AND lower(last_name) LIKE lower($1) || '%'
        AND ($2::text IS NULL OR lower(first_name) LIKE lower($2) || '%')
        AND ($3::uuid[] IS NULL OR owner_organization_id = ANY($3)
             OR id IN (SELECT person_id FROM consent WHERE organization_id = ANY($3)))
      ORDER BY lower(last_name), lower(first_name), birth_date LIMIT $4`,
    [lastName, firstName, organizationIds, limit],
  );
}

export type InsertPerson = Omit<PersonRow, 'id' | 'createdAt' | 'updatedAt'> & {
  createdBy: string | null;
};

/** Returns null when another person already holds the tax code. */
export async function insertPerson(q: Queryable, p: InsertPerson): Promise<PersonRow | null> {
  const rows = await q.query<PersonRow>(
    `INSERT INTO person (tax_code, anonymous, alias, first_name, last_name, sex, birth_date,
       birth_place_code, citizenship, residence_municipality, residence_address,
       domicile_municipality, domicile_address, phone, email, permit_type, permit_expiry,
       field_sources, owner_organization_id, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
     ON CONFLICT (tax_code) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      p.taxCode,
      p.anonymous,
      p.alias,
      p.firstName,
      p.lastName,
      p.sex,
      p.birthDate,
      p.birthPlaceCode,
      p.citizenship,
      p.residenceMunicipality,
      p.residenceAddress,
      p.domicileMunicipality,
      p.domicileAddress,
      p.phone,
      p.email,
      p.permitType,
      p.permitExpiry,
      JSON.stringify(p.fieldSources),
      p.ownerOrganizationId,
      p.createdBy,
    ],
  );
  return rows[0] ?? null;
}

export async function existingMunicipalities(q: Queryable, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await q.query<{ c: string }>(
    'SELECT istat_code AS c FROM municipality WHERE istat_code = ANY($1)',
    [codes],
  );
  return new Set(rows.map((r) => r.c));
}
