import { type Origin, sourceOf } from '@hub/casework';

// Throttles against guessing and flooding, in memory like the rate limiter: each gateway instance
// counts on its own (a source spread over N instances gets N times the attempts, still few).

/** Keys forgotten after this long without a failure, and at most this many kept. */
const FORGET_MS = 60 * 60_000;
const MAX_KEYS = 50_000;

type Entry = { failures: number; until: number; last: number };

export type Backoff = {
  /** Seconds to wait before the next attempt is even looked at; 0 when free. */
  wait(key: string): number;
  fail(key: string): void;
  succeed(key: string): void;
};

/**
 * Exponential backoff after failures: `free` failures cost nothing, then each one doubles the
 * wait, from `baseSeconds` up to `maxSeconds`. A success forgets the key.
 */
export function createBackoff(
  options: { free: number; baseSeconds: number; maxSeconds: number },
  now: () => number = Date.now,
): Backoff {
  const entries = new Map<string, Entry>();
  const get = (key: string): Entry | undefined => {
    const e = entries.get(key);
    if (e && now() - e.last > FORGET_MS) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    wait(key) {
      const e = get(key);
      return e ? Math.max(0, Math.ceil((e.until - now()) / 1000)) : 0;
    },
    fail(key) {
      const t = now();
      const e = get(key) ?? { failures: 0, until: 0, last: t };
      e.failures++;
      e.last = t;
      const over = e.failures - options.free;
      if (over > 0)
        e.until = t + Math.min(options.baseSeconds * 2 ** (over - 1), options.maxSeconds) * 1000;
      entries.delete(key); // re-inserted last: the map's order is the eviction order
      entries.set(key, e);
      if (entries.size > MAX_KEYS) entries.delete(entries.keys().next().value!);
    },
    succeed(key) {
      entries.delete(key);
    },
  };
}

export type AuditGate = {
  /**
   * Whether an event of an unidentified caller from `source` is written. Past the allowance the
   * events are counted, not written; the next one written carries how many were left out.
   */
  admit(source: string): { write: boolean; suppressed: number };
};

export function createAuditGate(perMinute: number, now: () => number = Date.now): AuditGate {
  const buckets = new Map<string, { tokens: number; at: number; suppressed: number }>();
  return {
    admit(source) {
      const t = now();
      const b = buckets.get(source) ?? { tokens: perMinute, at: t, suppressed: 0 };
      b.tokens = Math.min(perMinute, b.tokens + ((t - b.at) / 60_000) * perMinute);
      b.at = t;
      buckets.delete(source);
      buckets.set(source, b);
      if (buckets.size > MAX_KEYS) buckets.delete(buckets.keys().next().value!);
      if (b.tokens < 1) {
        b.suppressed++;
        return { write: false, suppressed: 0 };
      }
      b.tokens -= 1;
      const suppressed = b.suppressed;
      b.suppressed = 0;
      return { write: true, suppressed };
    },
  };
}

export type Throttles = {
  /** Wrong secrets per partner client at the token endpoint. */
  oauthClient: Backoff;
  /** Wrong secrets per source at the token endpoint, whatever the client. */
  oauthSource: Backoff;
  /** Wrong passwords per source, whatever the account (password spraying). */
  loginSource: Backoff;
  /** Audit rows of callers without a valid token, per source. */
  audit: AuditGate;
};

export function createThrottles(now: () => number = Date.now): Throttles {
  return {
    oauthClient: createBackoff({ free: 5, baseSeconds: 1, maxSeconds: 900 }, now),
    oauthSource: createBackoff({ free: 10, baseSeconds: 1, maxSeconds: 900 }, now),
    loginSource: createBackoff({ free: 10, baseSeconds: 1, maxSeconds: 900 }, now),
    audit: createAuditGate(30, now),
  };
}

/** The source key of an origin: IPv4 address or IPv6 /64, the same one casework locks by. */
export const sourceKey = (origin: Origin) => sourceOf(origin);
