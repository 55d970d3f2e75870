import { Hono } from 'hono';
import { createFaults, type FaultPlan, sleep } from './faults.ts';

/**
 * A counterpart that receives transmissions (`POST /ricezione`, the body being the flow) and
 * deduplicates them by `Idempotency-Key`, as the outbox expects of any receiver. It stands for
 * the receiving end of an outgoing flow; no counterpart of ours publishes this interface, so it
 * is the hub's assumption (README). Faults include the worst case for exactly-once: the flow
 * is processed and the answer lost (`lostResponse`), or the answer comes after the sender gave up.
 */
export function createTransmissionReceiver(opts: { faults?: FaultPlan } = {}) {
  const faults = createFaults(opts.faults ?? null);
  const processed = new Map<string, { times: number; receipt: string; body: string }>();
  let seq = 0;
  const app = new Hono();
  app.post('/ricezione', async (c) => {
    const key = c.req.header('idempotency-key');
    if (!key) return c.json({ esito: 'KO', errore: 'Idempotency-Key mancante' }, 400);
    const f = faults.pick(['http5xx', 'latency', 'timeout', 'lostResponse']);
    if (f === 'http5xx') return c.json({ esito: 'KO', errore: 'servizio non disponibile' }, 503);
    if (f === 'latency') await sleep(faults.plan?.latencyMs ?? 100);
    const body = await c.req.text();
    let entry = processed.get(key);
    if (!entry) {
      entry = { times: 1, receipt: `RIC-${String(++seq).padStart(8, '0')}`, body };
      processed.set(key, entry);
    }
    if (f === 'timeout') await sleep(faults.plan?.hangMs ?? 5000);
    if (f === 'lostResponse') return c.json({ esito: 'KO', errore: 'risposta persa' }, 502);
    return c.json({ esito: 'OK', ricevuta: entry.receipt });
  });
  return { app, faults, processed };
}
