import type { Queryable } from '../db/db.ts';

/** What the operator's own screens show of where they work: names, not only ids. */
export type OperatorPlace = {
  officeId: string;
  officeName: string;
  organizationName: string;
  contactPointId: string | null;
  contactPointName: string | null;
};

export type OperatorProfile = { fullName: string; places: OperatorPlace[] };

/** The operator's full name and the names of the offices and desks of their memberships. */
export async function loadOperatorProfile(
  q: Queryable,
  operatorId: string,
): Promise<OperatorProfile | null> {
  const ops = await q.query<{ fullName: string }>(
    'SELECT full_name AS "fullName" FROM operator WHERE id = $1 AND active',
    [operatorId],
  );
  if (!ops[0]) return null;
  const places = await q.query<OperatorPlace>(
    `SELECT m.office_id AS "officeId", o.name AS "officeName", org.name AS "organizationName",
            m.contact_point_id AS "contactPointId", cp.name AS "contactPointName"
       FROM membership m
       JOIN office o ON o.id = m.office_id
       JOIN organization org ON org.id = o.organization_id
       LEFT JOIN contact_point cp ON cp.id = m.contact_point_id
      WHERE m.operator_id = $1`,
    [operatorId],
  );
  return { fullName: ops[0].fullName, places };
}
