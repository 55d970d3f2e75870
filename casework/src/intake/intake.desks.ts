// The desks a record may be sent to (sendIntakeToDesk): the contact points of the organisations
// the operator works for, as resolveContactPoint accepts them. Sending to another body needs a
// data-sharing agreement this system does not model yet, so those desks are not offered at all.
import type { Actor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { requireWrite, run } from './intake.access.ts';

export type IntakeDesk = {
  id: string;
  name: string;
  kind: string;
  officeId: string;
  officeName: string;
  organizationName: string;
};

/** Refused (audited) to whoever may not write intake records, as sending itself is. */
export async function listIntakeSendTargets(db: Db, actor: Actor): Promise<IntakeDesk[]> {
  const scope = { action: 'READ' as const, entity: 'ContactPoint', entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireWrite(actor);
    const organizations = actor.kind === 'SYSTEM' ? null : actor.organizationIds;
    return tx.query<IntakeDesk>(
      `SELECT cp.id, cp.name, cp.kind, f.id AS "officeId", f.name AS "officeName",
              org.name AS "organizationName"
         FROM contact_point cp
         JOIN office f ON f.id = cp.office_id
         JOIN organization org ON org.id = f.organization_id
        WHERE $1::uuid[] IS NULL OR f.organization_id = ANY($1::uuid[])
        ORDER BY org.name, f.name, cp.name`,
      [organizations],
    );
  });
}
