import { ConnectorError, isConnectorError } from '../errors.ts';
import {
  type BreakerOptions,
  type CircuitBreaker,
  createCircuitBreaker,
} from './circuit-breaker.ts';

/**
 * How every call to a counterpart goes out: through its circuit breaker, with a timeout, and —
 * for idempotent calls only — retried on transient failures with exponential backoff and full
 * jitter. A call that changes something at the counterpart is never retried here; the outbox
 * (outbox.ts) makes those safe to repeat.
 */
export type PolicyOptions = {
  timeoutMs?: number;
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  breaker?: BreakerOptions;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

export type CounterpartPolicy = {
  readonly counterpart: string;
  readonly breaker: CircuitBreaker;
  run<T>(call: (signal: AbortSignal) => Promise<T>, opts: { idempotent: boolean }): Promise<T>;
};

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function backoffDelay(attempt: number, base: number, max: number, random: () => number) {
  // "Full jitter": uniform in [0, min(max, base·2^attempt)].
  return Math.floor(random() * Math.min(max, base * 2 ** attempt));
}

export function createPolicy(counterpart: string, opts: PolicyOptions = {}): CounterpartPolicy {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const retries = opts.retries ?? 2;
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 2000;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  const breaker = createCircuitBreaker(counterpart, opts.breaker);

  async function once<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (!breaker.tryAcquire()) {
      throw new ConnectorError('CIRCUIT_OPEN', `${counterpart}: circuit open, not calling`, {
        counterpart,
        userMessage: 'Il servizio esterno non risponde: riprovare più tardi.',
      });
    }
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const r = await call(signal);
      breaker.success();
      return r;
    } catch (e) {
      const err =
        signal.aborted && !(isConnectorError(e) && e.code !== 'COUNTERPART_UNAVAILABLE')
          ? new ConnectorError(
              'COUNTERPART_TIMEOUT',
              `${counterpart}: no answer within ${timeoutMs} ms`,
              {
                counterpart,
                cause: e,
              },
            )
          : e;
      if (isConnectorError(err) && isCounterpartFault(err))
        breaker.failure(`${err.code}: ${err.message}`);
      else if (!isConnectorError(err)) breaker.failure(String(err));
      else breaker.neutral();
      throw err;
    }
  }

  return {
    counterpart,
    breaker,
    async run(call, { idempotent }) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(call);
        } catch (e) {
          const retryable = idempotent && isConnectorError(e) && e.transient && attempt < retries;
          if (!retryable) throw e;
          await sleep(backoffDelay(attempt, base, max, random));
        }
      }
    },
  };
}

/** Failures that say the counterpart is unwell (they count towards opening the breaker). */
function isCounterpartFault(e: ConnectorError): boolean {
  return (
    e.transient ||
    e.code === 'RESPONSE_INVALID' ||
    e.code === 'RESPONSE_UNSIGNED' ||
    e.code === 'DIGEST_MISMATCH' ||
    e.code === 'SOAP_FAULT'
  );
}
