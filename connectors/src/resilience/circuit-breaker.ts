/**
 * One breaker per counterpart: after `failureThreshold` transient failures in a row it opens and
 * refuses calls at once for `openMs`, then lets one trial call through (half-open); a success
 * closes it. Its state is what the gateway's `/health` shows for the counterpart.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export type BreakerSnapshot = {
  counterpart: string;
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: string | null;
  lastFailure: string | null;
  calls: number;
  failures: number;
};

export type BreakerOptions = { failureThreshold?: number; openMs?: number; now?: () => number };

export function createCircuitBreaker(counterpart: string, opts: BreakerOptions = {}) {
  const threshold = opts.failureThreshold ?? 5;
  const openMs = opts.openMs ?? 30_000;
  const now = opts.now ?? Date.now;
  let state: BreakerState = 'closed';
  let consecutive = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;
  let lastFailure: string | null = null;
  let calls = 0;
  let failures = 0;

  return {
    /** Whether a call may go out now; in half-open only one trial at a time. */
    tryAcquire(): boolean {
      if (state === 'open' && openedAt !== null && now() - openedAt >= openMs) {
        state = 'half-open';
        trialInFlight = false;
      }
      if (state === 'open') return false;
      if (state === 'half-open') {
        if (trialInFlight) return false;
        trialInFlight = true;
      }
      calls++;
      return true;
    },
    success() {
      consecutive = 0;
      trialInFlight = false;
      state = 'closed';
      openedAt = null;
    },
    failure(message: string) {
      failures++;
      consecutive++;
      lastFailure = message;
      trialInFlight = false;
      if (state === 'half-open' || consecutive >= threshold) {
        state = 'open';
        openedAt = now();
      }
    },
    /** A call that ended in an answer that is not the counterpart's fault (404, bad input). */
    neutral() {
      trialInFlight = false;
      if (state === 'half-open') state = 'closed';
      consecutive = 0;
    },
    snapshot(): BreakerSnapshot {
      if (state === 'open' && openedAt !== null && now() - openedAt >= openMs) state = 'half-open';
      return {
        counterpart,
        state,
        consecutiveFailures: consecutive,
        openedAt: openedAt === null ? null : new Date(openedAt).toISOString(),
        lastFailure,
        calls,
        failures,
      };
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
