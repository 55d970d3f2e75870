import autocannon from 'autocannon';

// Autocannon for the intake bench's writes: one operator (token) per connection, a fresh body per
// request, and every answer handed back so that the bench can match answers to stored rows.
// One run: the first `warmupSeconds` are not counted, so the measured window sees connections
// already open and the server warm (a separate autocannon run would open new connections, and
// their first requests queue behind a full round of the others).

export type WriteLoadOptions = {
  url: string;
  /** One bearer token per connection: connection i sends as operator i. */
  tokens: string[];
  /** The body of the `seq`-th request of connection `connection` (JSON text). */
  body: (connection: number, seq: number) => string;
  /** Called with every complete answer (status and body text), warm-up included. */
  onAnswer: (connection: number, status: number, body: string) => void;
  warmupSeconds: number;
  durationSeconds: number;
};

export type WriteLoadFigures = {
  /** Answers received in the measured window, per second. */
  requestsPerSecond: number;
  /** Latency (request written → answer complete) of the answers of the measured window. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers in the measured window, whatever they say. */
  answers: number;
  /** Requests sent in the whole run (answered or still in flight at the end). */
  sent: number;
  /** Whole run: connection errors, timeouts, non-2xx, 2xx answers carrying GraphQL `errors`. */
  errors: number;
  timeouts: number;
  non2xx: number;
  graphqlErrors: number;
  /** The longest time with no answer at all (a stall of the whole server, not one slow request). */
  longestSilenceMs: number;
  /** Moments of more than `STALL_MS` without any answer in the measured window. */
  stalls: number;
};

const STALL_MS = 250;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 10) / 10;
}

export async function writeLoad(options: WriteLoadOptions): Promise<WriteLoadFigures> {
  let nextConnection = 0;
  let sent = 0;
  const sentAt: number[] = [];
  /** [answered at (ms since start), latency ms] */
  const answers: [number, number][] = [];
  const start = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.tokens.length,
    duration: options.warmupSeconds + options.durationSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Called once per connection, before it connects: it gets its operator here.
    setupClient: (client) => {
      const connection = nextConnection++;
      const token = options.tokens[connection % options.tokens.length]!;
      let seq = 0;
      client.setRequests([
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          // Built just before it is written (the first one before the connection opens).
          setupRequest: (request) => {
            request.body = options.body(connection, seq++);
            sentAt[connection] = performance.now();
            sent++;
            return request;
          },
          // One request in flight per connection: the answer is to the last one written.
          onResponse: (status, body) => {
            const now = performance.now();
            answers.push([now - start, now - sentAt[connection]!]);
            options.onAnswer(connection, status, body);
          },
        },
      ]);
    },
    verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
  });
  const from = options.warmupSeconds * 1000;
  const measured = answers.filter(([at]) => at >= from);
  const latencies = measured.map(([, ms]) => ms).sort((a, b) => a - b);
  let longestSilenceMs = 0;
  let stalls = 0;
  let previous = from;
  for (const [at] of measured) {
    longestSilenceMs = Math.max(longestSilenceMs, at - previous);
    if (at - previous > STALL_MS) stalls++;
    previous = at;
  }
  return {
    requestsPerSecond: measured.length / options.durationSeconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: percentile(latencies, 100),
    answers: measured.length,
    sent,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    longestSilenceMs: Math.round(longestSilenceMs),
    stalls,
  };
}
