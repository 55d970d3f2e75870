import { createRegistryNotificationStore } from '@hub/casework';
import { createTestDb, seedFixture } from '@hub/casework/testing';
import { createNotificationPuller } from '@hub/connectors';
import { startAnprWorld } from '@hub/connectors/testing';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 13: a notified change of residence or a death updates the person in the hub's store,
// exactly once, with the ANPR simulator injecting 30% faults.
describe('ANPR C001 notifications into the casework store', () => {
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => close?.());

  it('should apply every notified change to the persons of the hub once, through 30% faults', async () => {
    const db = await createTestDb();
    const fx = await db.transaction((tx) => seedFixture(tx));
    const world = await startAnprWorld({
      families: 60,
      batchSize: 4,
      anprFaults: {
        rate: 0.3,
        seed: 21,
        kinds: ['duplicate', 'outOfOrder', 'lostResponse', 'http5xx', 'unsigned', 'timeout'],
        hangMs: 500,
      },
      policy: {
        timeoutMs: 250,
        retries: 8,
        baseDelayMs: 1,
        maxDelayMs: 5,
        breaker: { failureThreshold: 1000 },
      },
    });
    close = async () => {
      await world.close();
      await db.close();
    };
    // Forty persons of the simulated population are in the hub too (Perugia's zone owns them).
    const persons = world.population.persons.slice(0, 40);
    for (const p of persons) {
      await db.query(
        `INSERT INTO person (tax_code, first_name, last_name, sex, birth_date, residence_municipality, owner_organization_id)
         VALUES ($1, $2, $3, $4, $5, '054039', $6)`,
        [p.taxCode, p.firstName, p.lastName, p.sex, p.birthDate, fx.organizations.perugia],
      );
    }
    persons.forEach((p, i) => {
      if (i % 4 === 0) world.anpr.changes.recordDeath(p.taxCode, '2026-11-28');
      else
        world.anpr.changes.moveResidence(
          p.taxCode,
          { street: `NUOVA ${i}`, number: '1' },
          '2026-11-27',
        );
    });
    const store = createRegistryNotificationStore(db);
    const puller = createNotificationPuller({
      client: world.client,
      store,
      handle: async () => undefined,
    });
    for (let round = 0; round < 20; round++) {
      try {
        await puller.pull({ reason: 'SYNC-C001', operatorId: 'hub', workstation: 'hub' });
        break;
      } catch {
        // retries spent on a bad stretch: the schedule runs again
      }
    }
    const [counts] = await db.query<{ n: number; applied: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE applied)::int AS applied FROM registry_notification`,
    );
    expect(counts).toEqual({ n: 40, applied: 40 });
    const rows = await db.query<{
      tax_code: string;
      death_date: string | null;
      residence_address: string | null;
    }>(
      `SELECT tax_code, death_date::text, residence_address FROM person WHERE tax_code = ANY($1::text[])`,
      [persons.map((p) => p.taxCode)],
    );
    for (const [i, p] of persons.entries()) {
      const r = rows.find((x) => x.tax_code === p.taxCode)!;
      if (i % 4 === 0) expect(r.death_date).toBe('2026-11-28');
      else expect(r.residence_address).toBe(`VIA NUOVA ${i} 1 ${p.residence.cap}`);
    }
    // (connectors/src/anpr/notifications.test.ts pins each kind of fault; here they are mixed.)
    const injected = Object.values(world.anpr.faults.injected).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(3);
  });
});
