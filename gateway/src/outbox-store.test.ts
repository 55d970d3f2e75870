import { createOutboxStore, type Db } from '@hub/casework';
import { createTestDb } from '@hub/casework/testing';
import { ConnectorError, createOutboxDispatcher, type Transport } from '@hub/connectors';
import { createTransmissionReceiver, listen } from '@hub/connectors/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The connectors' outbox dispatcher over casework's outbox in the database, against the
// transmission receiver injecting 30% faults: every message processed exactly once, across a
// restart half-way (a new store and dispatcher over the same database).

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
});
