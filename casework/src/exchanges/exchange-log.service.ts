// Reading the exchanges with the counterparts and the synchronisation runs: who asked ANPR, INPS
// or the health registry about whom is itself personal data, so, as the audit log, only the
// administrator reads it, and each reading is audited with its filter.
import { type Actor, hasRole } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { type CounterpartExchange, type ExchangeFilter, listExchanges } from './exchange.store.ts';
import { type SyncRunRecord, selectSyncRuns } from './sync-run.store.ts';

function onlyAdministrators(actor: Actor, entity: string, what: string) {
  if (actor.kind !== 'SYSTEM' && !hasRole(actor, 'ADMINISTRATOR')) {
    throw new Refusal('FORBIDDEN', `solo gli amministratori consultano ${what}`, {
      action: 'READ',
      entity,
      reason: `only administrators read ${entity}`,
    });
  }
}

export async function readCounterpartExchanges(
  db: Db,
  actor: Actor,
  filter: ExchangeFilter,
): Promise<CounterpartExchange[]> {
  const entity = 'CounterpartExchange';
  const scope = { action: 'READ' as const, entity, entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    onlyAdministrators(actor, entity, 'gli scambi con gli enti esterni');
    const rows = await listExchanges(tx, filter);
    await audit(tx, actor, {
      action: 'READ',
      entity,
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

export async function readSyncRuns(
  db: Db,
  actor: Actor,
  filter: { job?: string | undefined; limit?: number | undefined },
): Promise<SyncRunRecord[]> {
  const entity = 'SyncRun';
  const scope = { action: 'READ' as const, entity, entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    onlyAdministrators(actor, entity, 'lo storico delle sincronizzazioni');
    return selectSyncRuns(tx, filter.job, filter.limit);
  });
}
