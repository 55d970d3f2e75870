/**
 * Fault injection shared by the simulators. Each simulator asks `pick(kinds)` with the faults
 * that make sense for the request at hand and acts out the one drawn (or none). Draws come from
 * a seeded generator, so a failing fault test can be replayed with its seed.
 */
export type FaultKind =
  | 'latency'
  | 'timeout'
  | 'http5xx'
  | 'soapFault'
  | 'malformed'
  | 'unsigned'
  | 'wrongDigest'
  | 'expiredVoucher'
  | 'duplicate'
  | 'outOfOrder'
  // The counterpart did the work but the answer was lost (for exactly-once tests).
  | 'lostResponse';

export type FaultPlan = {
  /** Probability that a request meets a fault, 0..1. */
  rate: number;
  /** The faults to draw from; a simulator only draws among those that apply to it. */
  kinds: FaultKind[];
  latencyMs?: number;
  /** How long a `timeout` fault holds the answer (longer than the client's timeout). */
  hangMs?: number;
  seed?: number;
  /** Stop injecting after this many faults. */
  limit?: number;
};

export type Faults = {
  pick(applicable: readonly FaultKind[]): FaultKind | null;
  set(plan: FaultPlan | null): void;
  readonly plan: FaultPlan | null;
  readonly injected: Partial<Record<FaultKind, number>>;
};

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createFaults(initial: FaultPlan | null = null): Faults {
  let plan = initial;
  let rnd = mulberry32(initial?.seed ?? 1);
  const injected: Partial<Record<FaultKind, number>> = {};
  let base = 0;
  return {
    get plan() {
      return plan;
    },
    injected,
    set(p) {
      plan = p;
      base = Object.values(injected).reduce((a, b) => a + b, 0);
      rnd = mulberry32(p?.seed ?? 1);
    },
    pick(applicable) {
      if (!plan || plan.rate <= 0) return null;
      const total = Object.values(injected).reduce((a, b) => a + b, 0);
      if (plan.limit !== undefined && total - base >= plan.limit) return null;
      const kinds = plan.kinds.filter((k) => applicable.includes(k));
      if (kinds.length === 0 || rnd() >= plan.rate) return null;
      const k = kinds[Math.floor(rnd() * kinds.length)]!;
      injected[k] = (injected[k] ?? 0) + 1;
      return k;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
