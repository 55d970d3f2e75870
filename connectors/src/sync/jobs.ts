import type { AnprCallContext } from '../anpr/client.ts';
import type { createNotificationPuller } from '../anpr/notifications.ts';
import type { RegistryDownloadConfigInput } from '../municipal-registry/config-schema.ts';
import { importRegistryFile } from '../municipal-registry/import.ts';
import type { ResidentSink } from '../municipal-registry/sink.ts';

/** A registry synchronisation job: a name, when it runs, and what it does (returning counts). */
export type SyncJob = { name: string; cron: string; run(): Promise<Record<string, number>> };

/** Every 5 minutes, second 0. */
export const ANPR_NOTIFICATIONS_CRON_PATTERN = '0 */5 * * * *';
/** Every night at 02:30. */
export const REGISTRY_DOWNLOAD_CRON_PATTERN = '0 30 2 * * *';

/** Pulls ANPR's C001 change notifications until there is nothing new. */
export function anprNotificationsJob(deps: {
  puller: ReturnType<typeof createNotificationPuller>;
  ctx: AnprCallContext;
  cron?: string;
}): SyncJob {
  return {
    name: 'anpr-notifications',
    cron: deps.cron ?? ANPR_NOTIFICATIONS_CRON_PATTERN,
    async run() {
      const r = await deps.puller.pull(deps.ctx);
      return {
        batches: r.batches,
        received: r.received,
        applied: r.applied,
        duplicates: r.duplicates,
        stale: r.stale,
      };
    },
  };
}

/** Imports the municipal registry's download from where the vendor drops it. */
export function registryDownloadJob(deps: {
  path: string;
  config: RegistryDownloadConfigInput;
  sink: ResidentSink;
  cron?: string;
}): SyncJob {
  return {
    name: 'municipal-registry-download',
    cron: deps.cron ?? REGISTRY_DOWNLOAD_CRON_PATTERN,
    async run() {
      const r = await importRegistryFile(deps.path, deps.config, { sink: deps.sink });
      return {
        rows: r.rows,
        invalid: r.invalid,
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
      };
    },
  };
}
