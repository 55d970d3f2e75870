import { createOutboxStore, type Db } from '@hub/casework';
import { createTestDb } from '@hub/casework/testing';
import { ConnectorError, createOutboxDispatcher, type Transport } from '@hub/connectors';
import { createTransmissionReceiver, listen } from '@hub/connectors/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The connectors' outbox dispatcher over casework's outbox in the database, against the
// transmission receiver injecting 30% faults: every message processed exactly once, across a
// restart half-way (a new store and dispatcher over the same database); and two instances
// dispatching one outbox, each message claimed by one of them under a lease.

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.close());

const transport =
  (url: string): Transport =>
  async (m) => {
    let res: Response;
    try {
      res = await fetch(`${url}/ricezione`, {
        method: 'POST',
        headers: { 'idempotency-key': m.id, 'content-type': 'application/xml' },
        body: m.payload,
        signal: AbortSignal.timeout(150),
      });
    } catch (cause) {
      throw new ConnectorError('COUNTERPART_TIMEOUT', 'no answer', { cause });
    }
    const j = (await res.json().catch(() => ({}))) as { esito?: string; ricevuta?: string };
    if (res.status >= 500)
      throw new ConnectorError('COUNTERPART_UNAVAILABLE', `HTTP ${res.status}`);
    if (j.esito !== 'OK' || !j.ricevuta) throw new ConnectorError('REQUEST_INVALID', 'refused');
    return j.ricevuta;
  };

describe('the outbox in the store', () => {
  it('should deliver every transmission exactly once through 30% faults and a restart', async () => {
    const receiver = createTransmissionReceiver({
      faults: { rate: 0.3, seed: 21, kinds: ['http5xx', 'timeout', 'lostResponse'], hangMs: 300 },
    });
    const running = await listen(receiver.app);
    const ids = Array.from(
      { length: 60 },
      (_, i) => `G478.PS.20261202.${String(i).padStart(7, '0')}`,
    );
    const opts = {
      transport: transport(running.url),
      baseDelayMs: 1,
      maxDelayMs: 2,
      maxAttempts: 50,
    };
    let store = createOutboxStore(db);
    for (const id of ids.slice(0, 40))
      await store.add({ id, destination: 'inps', payload: `<Flusso id="${id}"/>` });
    await createOutboxDispatcher({ store, ...opts }).dispatch(20);
    // The process restarts: what it knew is in the database, the rest is added again.
    store = createOutboxStore(db);
    for (const id of ids)
      await store.add({ id, destination: 'inps', payload: `<Flusso id="${id}"/>` });
    const dispatcher = createOutboxDispatcher({ store, ...opts });
    const pending = async () =>
      (await db.query(`SELECT 1 FROM outbox_message WHERE status = 'pending'`)).length;
    for (let pass = 0; pass < 80 && (await pending()) > 0; pass++) {
      await dispatcher.dispatch();
      await new Promise((r) => setTimeout(r, 5));
    }
    await running.close();
    const rows = await db.query<{ id: string; status: string; receipt: string }>(
      `SELECT id, status, receipt FROM outbox_message ORDER BY id`,
    );
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(receiver.processed.size).toBe(60);
    expect([...receiver.processed.values()].every((e) => e.times === 1)).toBe(true);
    for (const r of rows) expect(r.receipt).toBe(receiver.processed.get(r.id)!.receipt);
    expect(receiver.faults.injected.lostResponse ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('should have two dispatchers over one outbox send each message once between them', async () => {
    const ids = Array.from({ length: 80 }, (_, i) => `TWO.${String(i).padStart(4, '0')}`);
    const a = createOutboxStore(db, { owner: 'hub-a' });
    const b = createOutboxStore(db, { owner: 'hub-b' });
    for (const id of ids) await a.add({ id, destination: 'inps', payload: `<Flusso id="${id}"/>` });
    const sends = new Map<string, string[]>();
    // A send takes a moment, so that the two passes overlap.
    const sender =
      (who: string): Transport =>
      async (m) => {
        sends.set(m.id, [...(sends.get(m.id) ?? []), who]);
        await new Promise((r) => setTimeout(r, 1 + (m.id.charCodeAt(m.id.length - 1) % 3)));
        return `R-${m.id}`;
      };
    const pending = async () =>
      (await db.query(`SELECT 1 FROM outbox_message WHERE status = 'pending' AND id LIKE 'TWO.%'`))
        .length;
    const run = async (store: typeof a, who: string) => {
      const d = createOutboxDispatcher({ store, transport: sender(who), leaseMs: 60_000 });
      for (let pass = 0; pass < 100 && (await pending()) > 0; pass++) await d.dispatch(4);
    };
    await Promise.all([run(a, 'hub-a'), run(b, 'hub-b')]);
    expect([...sends.keys()].sort()).toEqual(ids);
    expect([...sends.entries()].filter(([, who]) => who.length !== 1)).toEqual([]);
    const by = (who: string) => [...sends.values()].filter((w) => w[0] === who).length;
    expect(by('hub-a')).toBeGreaterThan(0);
    expect(by('hub-b')).toBeGreaterThan(0);
    const rows = await db.query<{ status: string; claimed_by: string | null; receipt: string }>(
      `SELECT status, claimed_by, receipt FROM outbox_message WHERE id LIKE 'TWO.%'`,
    );
    expect(rows.every((r) => r.status === 'sent' && r.claimed_by === null)).toBe(true);
  }, 120_000);

  it('should skip a message another dispatcher holds, and take it over once its lease ran out', async () => {
    const t0 = Date.now();
    const a = createOutboxStore(db, { owner: 'hub-a' });
    const b = createOutboxStore(db, { owner: 'hub-b' });
    await a.add({ id: 'LEASE.1', destination: 'inps', payload: '<Flusso/>' });
    // hub-a claims it and stops (a crash before sending).
    expect((await a.claim(t0, 10, 1000)).map((m) => m.id)).toEqual(['LEASE.1']);
    const sent: string[] = [];
    const transport: Transport = async (m) => {
      sent.push(m.id);
      return `R-${m.id}`;
    };
    const at = (ms: number) =>
      createOutboxDispatcher({ store: b, transport, leaseMs: 1000, now: () => t0 + ms });
    expect(await at(500).dispatch()).toEqual({ sent: 0, failed: 0 });
    expect(sent).toEqual([]);
    expect(await at(1500).dispatch()).toEqual({ sent: 1, failed: 0 });
    expect(sent).toEqual(['LEASE.1']);
    // hub-a comes back and reports a failure of its old claim: it no longer holds the message.
    await a.markFailed('LEASE.1', 'HTTP 503', t0 + 60_000, false);
    expect(await a.get('LEASE.1')).toMatchObject({
      status: 'sent',
      receipt: 'R-LEASE.1',
      attempts: 0,
    });
  });
});
