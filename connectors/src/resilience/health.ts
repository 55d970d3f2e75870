import type { BreakerSnapshot } from './circuit-breaker.ts';
import type { CounterpartPolicy } from './policy.ts';

/**
 * The counterparts' breakers, for the gateway's `/health`: `checks()` gives one check per
 * counterpart in the shape `createApp({ connectors })` takes (it fails while the breaker is
 * open), `snapshot()` the breakers' states.
 */
export function createCounterpartRegistry() {
  const policies = new Map<string, CounterpartPolicy>();
  return {
    register(p: CounterpartPolicy) {
      policies.set(p.counterpart, p);
      return p;
    },
    snapshot(): BreakerSnapshot[] {
      return [...policies.values()].map((p) => p.breaker.snapshot());
    },
    checks(probes: Record<string, () => Promise<void>> = {}): Record<string, () => Promise<void>> {
      return Object.fromEntries(
        [...policies.values()].map((p) => [
          p.counterpart,
          async () => {
            const s = p.breaker.snapshot();
            if (s.state === 'open')
              throw new Error(`circuit open since ${s.openedAt}: ${s.lastFailure}`);
            await probes[p.counterpart]?.();
          },
        ]),
      );
    },
  };
}

export type CounterpartRegistry = ReturnType<typeof createCounterpartRegistry>;
