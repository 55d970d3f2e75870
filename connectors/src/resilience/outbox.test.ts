import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../errors.ts';
import { listen } from '../simulators/serve.ts';
import { createTransmissionReceiver } from '../simulators/transmission-receiver.ts';
import {
  createMemoryOutboxStore,
  createOutboxDispatcher,
  openFileOutboxStore,
  type Transport,
} from './outbox.ts';
import { createPolicy } from './policy.ts';

const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const httpTransport =
  (url: string, timeoutMs = 100): Transport =>
  async (m) => {
    let res: Response;
    try {
      res = await fetch(`${url}/ricezione`, {
        method: 'POST',
        headers: { 'idempotency-key': m.id, 'content-type': 'application/xml' },
        body: m.payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new ConnectorError('COUNTERPART_TIMEOUT', 'no answer', { cause });
    }
    const j = (await res.json().catch(() => ({}))) as { esito?: string; ricevuta?: string };
    if (res.status >= 500)
      throw new ConnectorError('COUNTERPART_UNAVAILABLE', `HTTP ${res.status}`);
    if (j.esito !== 'OK' || !j.ricevuta)
      throw new ConnectorError('REQUEST_INVALID', `refused: ${res.status}`);
    return j.ricevuta;
  };

describe('outbox', () => {
  it('should record a message once, whatever the number of adds', async () => {
    const store = createMemoryOutboxStore();
    expect(await store.add({ id: 'F1', destination: 'inps', payload: '<x/>' })).toBe(true);
    expect(await store.add({ id: 'F1', destination: 'inps', payload: '<x/>' })).toBe(false);
    expect(store.all()).toHaveLength(1);
  });

  it('should give up on a refusal that cannot pass (not transient) at once', async () => {
    const store = createMemoryOutboxStore();
    await store.add({ id: 'F2', destination: 'inps', payload: '<x/>' });
    const d = createOutboxDispatcher({
      store,
      transport: async () => Promise.reject(new ConnectorError('REQUEST_INVALID', 'no')),
    });
    await d.dispatch();
    expect((await store.get('F2'))?.status).toBe('dead');
  });

  it('should deliver every transmission exactly once with 30% faults and a restart half-way', async () => {
    const receiver = createTransmissionReceiver({
      faults: {
        rate: 0.3,
        seed: 13,
        kinds: ['http5xx', 'timeout', 'lostResponse', 'latency'],
        hangMs: 250,
        latencyMs: 5,
      },
    });
    const running = await listen(receiver.app);
    const file = join(dir, 'outbox.jsonl');
    const ids = Array.from(
      { length: 150 },
      (_, i) => `H501.PS.20261201.${String(i).padStart(7, '0')}`,
    );
    let store = await openFileOutboxStore(file);
    for (const id of ids.slice(0, 100))
      await store.add({ id, destination: 'inps', payload: `<Flusso id="${id}"/>` });
    const opts = {
      transport: httpTransport(running.url),
      baseDelayMs: 1,
      maxDelayMs: 2,
      maxAttempts: 50,
    };
    await createOutboxDispatcher({ store, ...opts }).dispatch(40);
    // A restart: the journal is read again, and the messages added meanwhile join the rest.
    store = await openFileOutboxStore(file);
    for (const id of ids)
      await store.add({ id, destination: 'inps', payload: `<Flusso id="${id}"/>` });
    const dispatcher = createOutboxDispatcher({ store, ...opts });
    for (let pass = 0; pass < 60 && store.all().some((m) => m.status === 'pending'); pass++) {
      await dispatcher.dispatch();
      await new Promise((r) => setTimeout(r, 3));
    }
    await running.close();
    expect(store.all().every((m) => m.status === 'sent')).toBe(true);
    expect(receiver.processed.size).toBe(150);
    expect([...receiver.processed.values()].every((e) => e.times === 1)).toBe(true);
    // Each message's receipt is the one the receiver gave when it first processed it.
    for (const m of store.all()) expect(m.receipt).toBe(receiver.processed.get(m.id)!.receipt);
    expect(receiver.faults.injected.lostResponse ?? 0).toBeGreaterThan(0);
    expect(receiver.faults.injected.timeout ?? 0).toBeGreaterThan(0);
  });
});

describe('policy: retries and the circuit breaker', () => {
  const transient = () => new ConnectorError('COUNTERPART_UNAVAILABLE', 'down');

  it('should retry an idempotent call on a transient failure, and never one that is not idempotent', async () => {
    const p = createPolicy('x', {
      retries: 3,
      sleep: async () => {},
      breaker: { failureThreshold: 100 },
    });
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls < 3) throw transient();
      return 'ok';
    };
    await expect(p.run(flaky, { idempotent: true })).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(p.run(flaky, { idempotent: false })).rejects.toMatchObject({
      code: 'COUNTERPART_UNAVAILABLE',
    });
    expect(calls).toBe(1);
  });

  it('should not retry what is not transient (not found, bad request)', async () => {
    const p = createPolicy('x', { retries: 3, sleep: async () => {} });
    let calls = 0;
    await expect(
      p.run(
        async () => {
          calls++;
          throw new ConnectorError('SUBJECT_NOT_FOUND', 'no');
        },
        { idempotent: true },
      ),
    ).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    expect(calls).toBe(1);
  });

  it('should wait with exponential backoff and full jitter, capped', async () => {
    const waits: number[] = [];
    const p = createPolicy('x', {
      retries: 4,
      baseDelayMs: 100,
      maxDelayMs: 500,
      random: () => 0.999,
      sleep: async (ms) => void waits.push(ms),
      breaker: { failureThreshold: 100 },
    });
    await expect(
      p.run(async () => Promise.reject(transient()), { idempotent: true }),
    ).rejects.toBeInstanceOf(ConnectorError);
    expect(waits).toEqual([99, 199, 399, 499]);
  });

  it('should time a call out', async () => {
    const p = createPolicy('x', { retries: 0, timeoutMs: 50 });
    await expect(
      p.run(
        (signal) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        { idempotent: true },
      ),
    ).rejects.toMatchObject({ code: 'COUNTERPART_TIMEOUT' });
  });

  it('should open after repeated failures, refuse at once, then close after a good trial', async () => {
    let t = 0;
    const p = createPolicy('anpr', {
      retries: 0,
      breaker: { failureThreshold: 3, openMs: 1000, now: () => t },
    });
    for (let i = 0; i < 3; i++)
      await expect(
        p.run(async () => Promise.reject(transient()), { idempotent: true }),
      ).rejects.toBeInstanceOf(ConnectorError);
    expect(p.breaker.snapshot()).toMatchObject({
      counterpart: 'anpr',
      state: 'open',
      consecutiveFailures: 3,
    });
    let called = false;
    await expect(
      p.run(
        async () => {
          called = true;
        },
        { idempotent: true },
      ),
    ).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(called).toBe(false);
    t = 1000;
    expect(p.breaker.snapshot().state).toBe('half-open');
    await p.run(async () => 'ok', { idempotent: true });
    expect(p.breaker.snapshot().state).toBe('closed');
  });
});

describe('counterpart registry for /health', () => {
  it('should fail the check of a counterpart whose breaker is open, and show every breaker', async () => {
    const { createCounterpartRegistry } = await import('./health.ts');
    const reg = createCounterpartRegistry();
    const anpr = reg.register(
      createPolicy('anpr', { retries: 0, breaker: { failureThreshold: 1 } }),
    );
    reg.register(createPolicy('isee', { retries: 0 }));
    const checks = reg.checks();
    await expect(checks['anpr']!()).resolves.toBeUndefined();
    await expect(
      anpr.run(async () => Promise.reject(new ConnectorError('COUNTERPART_UNAVAILABLE', 'down')), {
        idempotent: true,
      }),
    ).rejects.toBeInstanceOf(ConnectorError);
    await expect(checks['anpr']!()).rejects.toThrow(/circuit open/);
    await expect(checks['isee']!()).resolves.toBeUndefined();
    expect(reg.snapshot().map((s) => [s.counterpart, s.state])).toEqual([
      ['anpr', 'open'],
      ['isee', 'closed'],
    ]);
  });
});
