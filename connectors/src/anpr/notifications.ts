import type { AnprCallContext, AnprClient } from './client.ts';
import { type AnprNotification, notificationsOf } from './map-notification.ts';

/**
 * Where the hub keeps its side of the C001 feed. `processOnce` must record the notification id
 * and apply the change atomically (casework: one transaction), so that a notification seen
 * twice (a duplicate, a batch fetched again after a crash) is applied once.
 */
export interface NotificationStore {
  /** The last `idOperazioneClient` whose batch was wholly processed (0 at first). */
  lastOperationId(): Promise<number>;
  setLastOperationId(id: number): Promise<void>;
  /** Runs `apply` unless the id was processed before; false when it was. */
  processOnce(n: AnprNotification, apply: () => Promise<void>): Promise<boolean>;
  /** The date of the latest change applied to this subject, to tell a late one from a new one. */
  lastEventOf(subject: string): Promise<string | null>;
  setLastEventOf(subject: string, date: string): Promise<void>;
}

/**
 * What the hub does with a change: update the person and tell the operators of the person's
 * open case files. `stale` says a later change of the same subject was already applied.
 */
export type NotificationHandler = (n: AnprNotification, meta: { stale: boolean }) => Promise<void>;

export type PullReport = {
  batches: number;
  received: number;
  applied: number;
  duplicates: number;
  stale: number;
};

export function createNotificationPuller(deps: {
  client: AnprClient;
  store: NotificationStore;
  handle: NotificationHandler;
}) {
  async function pullOnce(ctx: AnprCallContext, report: PullReport): Promise<number> {
    const next = (await deps.store.lastOperationId()) + 1;
    // A batch fetched again (after a failure or restart) has the same id, so ANPR repeats it.
    const answer = await deps.client.consult('C001', null, { ...ctx, operationId: String(next) });
    const batch = notificationsOf(answer, new Date().toISOString());
    report.batches++;
    report.received += batch.length;
    for (const n of batch) {
      const subject = n.person.idAnpr?.value ?? n.person.taxCode?.value ?? n.id;
      const last = await deps.store.lastEventOf(subject);
      const stale = last !== null && last > n.eventDate;
      const applied = await deps.store.processOnce(n, async () => {
        await deps.handle(n, { stale });
        if (!stale) await deps.store.setLastEventOf(subject, n.eventDate);
      });
      if (!applied) report.duplicates++;
      else if (stale) report.stale++;
      else report.applied++;
    }
    await deps.store.setLastOperationId(next);
    return batch.length;
  }

  return {
    /** Pulls until ANPR has nothing new. */
    async pull(ctx: AnprCallContext): Promise<PullReport> {
      const report: PullReport = { batches: 0, received: 0, applied: 0, duplicates: 0, stale: 0 };
      while ((await pullOnce(ctx, report)) > 0) {
        // next batch
      }
      return report;
    },
  };
}

/** A NotificationStore in memory: for tests and for a hub without a store of its own. */
export function createMemoryNotificationStore(): NotificationStore & {
  processed: Map<string, number>;
} {
  let last = 0;
  const processed = new Map<string, number>();
  const events = new Map<string, string>();
  return {
    processed,
    lastOperationId: async () => last,
    setLastOperationId: async (id) => {
      last = id;
    },
    async processOnce(n, apply) {
      if (processed.has(n.id)) return false;
      await apply();
      processed.set(n.id, (processed.get(n.id) ?? 0) + 1);
      return true;
    },
    lastEventOf: async (s) => events.get(s) ?? null,
    setLastEventOf: async (s, d) => {
      events.set(s, d);
    },
  };
}
