// Reading the exchanges with the counterparts and the synchronisation runs: who asked ANPR, INPS
// or the health registry about whom is itself personal data, so, as the audit log, only the
// administrator reads it, and each reading is audited with its filter.
import { type Actor, hasRole } from '../access/actor.ts';
import { audited, auditedCheck, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { badInput } from '../errors.ts';
import type { Counterparts } from './counterparts.ts';
import { notConfigured } from './exchange.errors.ts';
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

/** The job "sincronizza ora" runs when none is named: ANPR's change notifications (C001). */
export const DEFAULT_SYNC_JOB = 'anpr-notifications';

/**
 * The administrator's "sincronizza ora": runs a registry synchronisation job at once, through
 * the scheduler, which never runs two of one job together (one already going makes this run
 * `skipped`) and records the run in the store's history like a scheduled one; the run is
 * returned as recorded. A job failing is a failed run, not an error: the history says why.
 * Audited with the job and the outcome; a refusal is audited before anything runs.
 */
export async function syncRegistryNow(
  db: Db,
  actor: Actor,
  counterparts: Counterparts,
  input: { job?: string | undefined },
): Promise<SyncRunRecord> {
  const entity = 'SyncRun';
  const scope = { action: 'CREATE' as const, entity, entityId: null, personId: null };
  await auditedCheck(db, actor, scope, () => {
    if (!hasRole(actor, 'ADMINISTRATOR')) {
      throw new Refusal('FORBIDDEN', 'solo gli amministratori avviano le sincronizzazioni', {
        action: 'CREATE',
        entity,
        reason: 'only administrators run the registry synchronisation',
      });
    }
  });
  const sync = counterparts.registrySync;
  if (!sync) throw notConfigured('anpr');
  const job = input.job ?? DEFAULT_SYNC_JOB;
  if (!sync.jobs.includes(job)) {
    throw badInput('job', `nessuna sincronizzazione di nome ${job}: ${sync.jobs.join(', ')}`);
  }
  const run = await sync.runNow(job);
  await db.transaction((tx) =>
    audit(tx, actor, {
      action: 'CREATE',
      entity,
      entityId: job,
      outcome: 'OK',
      details: { job, trigger: run.trigger, outcome: run.outcome, counts: run.counts },
    }),
  );
  return run;
}
