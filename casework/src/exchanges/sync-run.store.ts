import type { Db, Queryable } from '../db/db.ts';

/** One run of a synchronisation job (structurally @hub/connectors' SyncRun). */
export type SyncRunRecord = {
  job: string;
  trigger: 'schedule' | 'manual';
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'ok' | 'failed' | 'skipped';
  counts: Record<string, number>;
  error: string | null;
};

export const MAX_SYNC_RUN_PAGE = 200;

export async function insertSyncRun(q: Queryable, run: SyncRunRecord): Promise<void> {
  await q.query(
    `INSERT INTO sync_run (job, trigger, started_at, finished_at, outcome, counts, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      run.job,
      run.trigger,
      run.startedAt,
      run.finishedAt,
      run.outcome,
      JSON.stringify(run.counts),
      run.error === null ? null : run.error.slice(0, 1000),
    ],
  );
}

/** Runs newest first, of one job or of all. */
export async function selectSyncRuns(
  q: Queryable,
  job: string | undefined,
  limit = 50,
): Promise<SyncRunRecord[]> {
  const rows = await q.query<{
    job: string;
    trigger: SyncRunRecord['trigger'];
    startedAt: Date;
    finishedAt: Date | null;
    outcome: SyncRunRecord['outcome'];
    counts: Record<string, number>;
    error: string | null;
  }>(
    `SELECT job, trigger, started_at AS "startedAt", finished_at AS "finishedAt", outcome, counts, error
       FROM sync_run ${job === undefined ? '' : 'WHERE job = $2'}
      ORDER BY started_at DESC, id DESC LIMIT $1`,
    job === undefined
      ? [Math.max(1, Math.min(limit, MAX_SYNC_RUN_PAGE))]
      : [Math.max(1, Math.min(limit, MAX_SYNC_RUN_PAGE)), job],
  );
  return rows.map((r) => ({
    ...r,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }));
}

/**
 * The connectors' RunHistory kept in the store: the scheduler records each run here, and the
 * administrator's run history reads it back after any restart.
 */
export function createSyncRunHistory(db: Db) {
  return {
    record: (run: SyncRunRecord) => insertSyncRun(db, run),
    list: (job?: string, limit?: number) => selectSyncRuns(db, job, limit),
  };
}
