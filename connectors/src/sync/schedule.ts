import cron, { type ScheduledTask } from 'node-cron';
import { ConnectorError, isConnectorError } from '../errors.ts';
import type { SyncJob } from './jobs.ts';
import { createMemoryRunHistory, type RunHistory, type SyncRun } from './run-history.ts';

/**
 * The only file that imports node-cron. Runs each job on its pattern (6 fields, seconds first,
 * Europe/Rome), never two runs of one job at once (a run due while one is going is recorded as
 * skipped), and records every run in the history.
 */
export function createSyncScheduler(deps: {
  jobs: SyncJob[];
  history?: RunHistory;
  timezone?: string;
}) {
  const history = deps.history ?? createMemoryRunHistory();
  for (const j of deps.jobs) {
    if (!cron.validate(j.cron)) {
      throw new ConnectorError(
        'CONNECTOR_CONFIG_INVALID',
        `sync job ${j.name}: invalid cron pattern "${j.cron}"`,
        {
          field: `${j.name}.cron`,
        },
      );
    }
  }
  const running = new Set<string>();
  const tasks: ScheduledTask[] = [];

  async function runJob(job: SyncJob, trigger: SyncRun['trigger']): Promise<SyncRun> {
    const startedAt = new Date().toISOString();
    if (running.has(job.name)) {
      const skipped: SyncRun = {
        job: job.name,
        trigger,
        startedAt,
        finishedAt: startedAt,
        outcome: 'skipped',
        counts: {},
        error: 'a run is still going',
      };
      await history.record(skipped);
      return skipped;
    }
    running.add(job.name);
    try {
      const counts = await job.run();
      const run: SyncRun = {
        job: job.name,
        trigger,
        startedAt,
        finishedAt: new Date().toISOString(),
        outcome: 'ok',
        counts,
        error: null,
      };
      await history.record(run);
      return run;
    } catch (e) {
      const error = isConnectorError(e)
        ? `${e.code}: ${e.message}`
        : e instanceof Error
          ? e.message
          : String(e);
      const run: SyncRun = {
        job: job.name,
        trigger,
        startedAt,
        finishedAt: new Date().toISOString(),
        outcome: 'failed',
        counts: {},
        error,
      };
      await history.record(run);
      return run;
    } finally {
      running.delete(job.name);
    }
  }

  return {
    history,
    start() {
      for (const job of deps.jobs) {
        tasks.push(
          cron.schedule(job.cron, () => runJob(job, 'schedule'), {
            name: job.name,
            timezone: deps.timezone ?? 'Europe/Rome',
          }),
        );
      }
    },
    async stop() {
      for (const t of tasks.splice(0)) await t.destroy();
    },
    /** Runs a job now (an operator's "sincronizza ora"), recorded like a scheduled run. */
    runNow(name: string): Promise<SyncRun> {
      const job = deps.jobs.find((j) => j.name === name);
      if (!job)
        throw new ConnectorError('REQUEST_INVALID', `no sync job ${name}`, { field: 'job' });
      return runJob(job, 'manual');
    },
    nextRuns(): Record<string, string | null> {
      return Object.fromEntries(
        tasks.map((t) => [t.name ?? t.id, t.getNextRun()?.toISOString() ?? null]),
      );
    },
  };
}
