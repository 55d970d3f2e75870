// Reading the audit log: who read or wrote whose data is itself personal data, so only the
// administrator reads it (a data-subject access request, the DPO's checks), and each reading is
// audited with its filter.
import { type Actor, hasRole } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import type { Db } from '../db/db.ts';
import { type AuditFilter, type AuditRow, audit, listAudit } from './audit.ts';

export async function readAuditLog(db: Db, actor: Actor, filter: AuditFilter): Promise<AuditRow[]> {
  const scope = { action: 'READ' as const, entity: 'AuditLog', entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    if (actor.kind !== 'SYSTEM' && !hasRole(actor, 'ADMINISTRATOR')) {
      throw new Refusal(
        'FORBIDDEN',
        'solo gli amministratori consultano il registro degli accessi',
        {
          action: 'READ',
          entity: 'AuditLog',
          reason: 'only administrators read the audit log',
        },
      );
    }
    const rows = await listAudit(tx, filter);
    await audit(tx, actor, {
      action: 'READ',
      entity: 'AuditLog',
      personId: filter.personId ?? null,
      outcome: 'OK',
      details: {
        filter: Object.fromEntries(
          Object.entries(filter).filter(([, v]) => v !== undefined && v !== null),
        ),
        rows: rows.length,
      },
    });
    return rows;
  });
}
