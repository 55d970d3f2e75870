import cron, { type ScheduledTask } from 'node-cron';
import type { EtlDeps, EtlResult } from './etl.ts';
import * as full from './jobs/full-rebuild.job.ts';
import * as incremental from './jobs/incremental.job.ts';

export type EtlSchedule = {
  incrementalCron?: string | undefined;
  fullCron?: string | undefined;
  timezone?: string | undefined;
  /** Where failures go (the job name first). */
  log?: ((line: string) => void) | undefined;
};

/**
 * The ETL's clock: the incremental load every few seconds, the full rebuild every night. One run
 * at a time in this process (a tick that finds one running is skipped); across instances the
 * PostgreSQL advisory lock of runEtl decides. The first tick of an empty warehouse builds it.
 */
export function scheduleEtl(deps: EtlDeps, schedule: EtlSchedule = {}) {
  const log = schedule.log ?? ((line: string) => console.error(line));
  let running: Promise<EtlResult | null> | null = null;
  const once = (name: string, job: (d: EtlDeps) => Promise<EtlResult>) => {
    if (running) return running;
    // A run whose cells' fill gave way to a waiting change is followed at once by the run that
    // applies it, not at the next tick.
    running = job(deps)
      .then((r) => (r.cellsDeferred ? job(deps) : r))
      .catch((err: unknown) => {
        log(`[${name}] ${err instanceof Error ? err.message : String(err)}`);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const options = { timezone: schedule.timezone ?? 'Europe/Rome', noOverlap: true };
  const tasks: ScheduledTask[] = [
    cron.schedule(
      schedule.incrementalCron ?? incremental.INCREMENTAL_CRON_PATTERN,
      () => void once('IncrementalLoad', incremental.run),
      options,
    ),
    cron.schedule(
      schedule.fullCron ?? full.FULL_REBUILD_CRON_PATTERN,
      () => void once('FullRebuild', full.run),
      options,
    ),
  ];
  return {
    /** Runs the incremental load now (or waits for the run in progress). */
    runNow: () => once('IncrementalLoad', incremental.run),
    async stop() {
      for (const t of tasks) await t.stop();
      await running;
    },
  };
}
export type EtlScheduler = ReturnType<typeof scheduleEtl>;
