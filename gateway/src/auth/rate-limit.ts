/**
 * A token bucket per key (partner client): `perMinute` requests a minute on average, with bursts
 * of up to a tenth of a minute's allowance. In memory: each gateway instance limits on its own.
 */
export function createRateLimiter(now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /**
     * Takes `weight` tokens (a request's root fields): returns 0 when allowed, otherwise the
     * seconds to wait. A request heavier than the burst is let through when the bucket is full
     * and leaves it in debt, so it is served once and then paid for, never refused forever.
     */
    take(key: string, perMinute: number, weight = 1): number {
      const capacity = Math.max(1, Math.ceil(perMinute / 10));
      const t = now();
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 60_000) * perMinute);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= Math.min(weight, capacity)) {
        b.tokens -= weight;
        return 0;
      }
      return Math.ceil(((Math.min(weight, capacity) - b.tokens) * 60) / perMinute);
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
