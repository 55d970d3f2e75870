/** One run of a synchronisation job, as the operators' run history shows it. */
export type SyncRun = {
  job: string;
  trigger: 'schedule' | 'manual';
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'ok' | 'failed' | 'skipped';
  /** What the job counted: notifications applied, rows imported, rows refused… */
  counts: Record<string, number>;
  /** The error code and message of a failed run (never a secret: ConnectorError messages). */
  error: string | null;
};

/** Where runs are kept: casework keeps them in its store; a ring in memory otherwise. */
export interface RunHistory {
  record(run: SyncRun): Promise<void>;
  list(job?: string, limit?: number): Promise<SyncRun[]>;
}

export function createMemoryRunHistory(capacity = 500): RunHistory {
  const runs: SyncRun[] = [];
  return {
    async record(run) {
      runs.push(run);
      if (runs.length > capacity) runs.shift();
    },
    async list(job, limit = 50) {
      return runs
        .filter((r) => job === undefined || r.job === job)
        .slice(-limit)
        .reverse();
    },
  };
}
