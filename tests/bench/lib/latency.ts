// The browser benches' timing columns, one way: nearest-rank quantiles, milliseconds to a tenth,
// and the p95 held against the target.

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
};

export const ms = (x: number) => Math.round(x * 10) / 10;

/** Rounds, p50, p95, max and the target of one timed series, in the benches' column names. */
export const latencyColumns = (xs: number[], target: number) => ({
  rounds: xs.length,
  'p50 ms': ms(quantile(xs, 0.5)),
  'p95 ms': ms(quantile(xs, 0.95)),
  'max ms': ms(Math.max(...xs)),
  'target ms': target,
  'within target (p95)': quantile(xs, 0.95) < target,
});
