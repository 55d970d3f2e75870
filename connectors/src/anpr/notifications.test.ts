import { afterEach, describe, expect, it } from 'vitest';
import type { FaultPlan } from '../simulators/faults.ts';
import { startAnprWorld } from '../testing/anpr-world.ts';
import type { AnprCallContext } from './client.ts';
import type { AnprNotification } from './map-notification.ts';
import { createMemoryNotificationStore, createNotificationPuller } from './notifications.ts';

const ctx: AnprCallContext = { reason: 'SYNC-C001', operatorId: 'system.c001', workstation: 'hub' };
let world: Awaited<ReturnType<typeof startAnprWorld>> | undefined;
afterEach(() => world?.close());

async function scenario(faults: FaultPlan | undefined, changes: number) {
  world = await startAnprWorld({
    families: 80,
    anprFaults: faults,
    batchSize: 5,
    policy: {
      timeoutMs: 300,
      retries: 8,
      baseDelayMs: 1,
      maxDelayMs: 5,
      breaker: { failureThreshold: 1000 },
    },
  });
  const w = world;
  const persons = w.population.persons.slice(0, changes);
  persons.forEach((p, i) => {
    if (i % 3 === 0)
      w.anpr.changes.recordDeath(p.taxCode, `2026-11-${String((i % 28) + 1).padStart(2, '0')}`);
    else
      w.anpr.changes.moveResidence(
        p.taxCode,
        { street: `NUOVA ${i}`, number: String(i) },
        `2026-10-${String((i % 28) + 1).padStart(2, '0')}`,
      );
  });
  const store = createMemoryNotificationStore();
  const handled: AnprNotification[] = [];
  const puller = createNotificationPuller({
    client: w.client,
    store,
    handle: async (n) => void handled.push(n),
  });
  return { w, store, handled, puller, persons };
}

describe('C001 change notifications', () => {
  it('should apply each notified change once and then find nothing new', async () => {
    const { w, handled, puller } = await scenario(undefined, 45);
    const report = await puller.pull(ctx);
    expect(report).toMatchObject({ received: 45, applied: 45, duplicates: 0 });
    expect(new Set(handled.map((n) => n.id)).size).toBe(w.anpr.feedLength());
    const moved = handled.find((n) => n.kind === 'CAMBIO_RESIDENZA')!;
    expect(moved.person.residence?.value.address).toMatch(/^VIA NUOVA \d+ \d+$/);
    expect(moved.person.residence?.source.service).toBe('C001');
    expect((await puller.pull(ctx)).received).toBe(0);
  });

  it('should process every notification exactly once with 30% faults (duplicates, reordering, lost answers, 5xx, timeouts, bad signatures)', async () => {
    const { w, store, handled, puller } = await scenario(
      {
        rate: 0.3,
        seed: 7,
        kinds: [
          'duplicate',
          'outOfOrder',
          'lostResponse',
          'http5xx',
          'timeout',
          'unsigned',
          'wrongDigest',
          'malformed',
          'latency',
        ],
        hangMs: 600,
        latencyMs: 20,
      },
      120,
    );
    let report = { applied: 0, duplicates: 0, received: 0 };
    // A pull that gives up (retries spent) is simply run again, as the schedule would.
    for (let round = 0; round < 20; round++) {
      try {
        const r = await puller.pull(ctx);
        report = {
          applied: report.applied + r.applied,
          duplicates: report.duplicates + r.duplicates,
          received: report.received + r.received,
        };
        break;
      } catch {
        // next round
      }
    }
    const ids = handled.map((n) => n.id);
    expect(ids.length).toBe(120);
    expect(new Set(ids).size).toBe(120);
    expect([...store.processed.values()].every((n) => n === 1)).toBe(true);
    expect(w.anpr.faults.injected.duplicate ?? 0).toBeGreaterThan(0);
    expect(w.anpr.faults.injected.lostResponse ?? 0).toBeGreaterThan(0);
  });
});
