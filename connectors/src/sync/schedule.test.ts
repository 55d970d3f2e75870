import { afterEach, describe, expect, it } from 'vitest';
import type { AnprCallContext } from '../anpr/client.ts';
import { createMemoryNotificationStore, createNotificationPuller } from '../anpr/notifications.ts';
import { ConnectorError } from '../errors.ts';
import { startAnprWorld } from '../testing/anpr-world.ts';
import { anprNotificationsJob } from './jobs.ts';
import { createSyncScheduler } from './schedule.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('registry synchronisation schedule', () => {
  it('should run the C001 job and keep its run in the history, with its counts', async () => {
    const world = await startAnprWorld({ families: 30 });
    close = world.close;
    const p = world.population.persons[0]!;
    world.anpr.changes.recordDeath(p.taxCode, '2026-11-20');
    world.anpr.changes.moveResidence(
      world.population.persons[1]!.taxCode,
      { street: 'NUOVA' },
      '2026-11-21',
    );
    const ctx: AnprCallContext = { reason: 'SYNC-C001', operatorId: 'system', workstation: 'hub' };
    const store = createMemoryNotificationStore();
    const puller = createNotificationPuller({
      client: world.client,
      store,
      handle: async () => undefined,
    });
    const scheduler = createSyncScheduler({ jobs: [anprNotificationsJob({ puller, ctx })] });
    const run = await scheduler.runNow('anpr-notifications');
    expect(run).toMatchObject({
      job: 'anpr-notifications',
      trigger: 'manual',
      outcome: 'ok',
      counts: { received: 2, applied: 2 },
    });
    const again = await scheduler.runNow('anpr-notifications');
    expect(again.counts).toMatchObject({ received: 0, applied: 0 });
    expect(
      (await scheduler.history.list('anpr-notifications')).map((r) => r.counts['applied']),
    ).toEqual([0, 2]);
  });

  it('should record a failed run with its code, and skip a run due while one is going', async () => {
    let release: () => void = () => undefined;
    const scheduler = createSyncScheduler({
      jobs: [
        {
          name: 'down',
          cron: '0 0 3 * * *',
          run: async () =>
            Promise.reject(new ConnectorError('COUNTERPART_UNAVAILABLE', 'ANPR C001: HTTP 503')),
        },
        {
          name: 'slow',
          cron: '0 0 4 * * *',
          run: () =>
            new Promise((r) => {
              release = () => r({ rows: 1 });
            }),
        },
      ],
    });
    expect(await scheduler.runNow('down')).toMatchObject({
      outcome: 'failed',
      error: 'COUNTERPART_UNAVAILABLE: ANPR C001: HTTP 503',
    });
    const first = scheduler.runNow('slow');
    expect(await scheduler.runNow('slow')).toMatchObject({ outcome: 'skipped' });
    release();
    expect(await first).toMatchObject({ outcome: 'ok', counts: { rows: 1 } });
  });

  it('should refuse an invalid pattern, and schedule valid ones', async () => {
    expect(() =>
      createSyncScheduler({ jobs: [{ name: 'x', cron: 'every day', run: async () => ({}) }] }),
    ).toThrow(/invalid cron pattern/);
    const s = createSyncScheduler({
      jobs: [{ name: 'nightly', cron: '0 30 2 * * *', run: async () => ({}) }],
    });
    s.start();
    const next = s.nextRuns()['nightly'];
    await s.stop();
    expect(next).toMatch(/T\d{2}:30:00/);
  });
});
