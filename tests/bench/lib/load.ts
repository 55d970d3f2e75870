import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export type LoadFigures = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests answered in the measured window. */
  requests: number;
  ok: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 2xx answers whose body carried GraphQL `errors`. */
  graphqlErrors: number;
  /**
   * CPU the server process spent per answered request (user + system, all its threads), when
   * `serverPid` is given: a second view beside throughput. It moves less than throughput when
   * other work shares the cores, but it still moves (ratios from 0.4 to 1.5 were seen under a
   * load average of 10): measure on a quiet machine.
   */
  cpuUsPerRequest: number | null;
};

export type LoadOptions = {
  url: string;
  /** JSON bodies, sent in turn (rotation across all connections). */
  bodies: string[];
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** The server's process id (Linux): its CPU time is read before and after the window. */
  serverPid?: number;
};

/** utime + stime of a process in ms, from /proc (clock ticks of 10 ms on Linux). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (2nd field) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function fire(options: LoadOptions, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  const { bodies } = options;
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: bodies[0],
    requests:
      bodies.length > 1
        ? [
            {
              setupRequest: (request) => {
                request.body = bodies[next++ % bodies.length];
                return request;
              },
            },
          ]
        : undefined,
    verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
  });
}

/** A run whose figures are discarded: JIT, caches and connections warm up. */
export async function warmUp(options: LoadOptions, seconds: number): Promise<void> {
  await fire(options, seconds);
}

export async function measureLoad(options: LoadOptions): Promise<LoadFigures> {
  const cpuBefore = options.serverPid ? processCpuMs(options.serverPid) : null;
  const r = await fire(options, options.durationSeconds);
  const cpuMs =
    options.serverPid && cpuBefore !== null ? processCpuMs(options.serverPid) - cpuBefore : null;
  return {
    requestsPerSecond: r.requests.mean,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    ok: r['2xx'] - r.mismatches,
    errors: r.errors,
    non2xx: r.non2xx,
    graphqlErrors: r.mismatches,
    cpuUsPerRequest:
      cpuMs !== null && r.requests.total > 0 ? Math.round((cpuMs * 1000) / r.requests.total) : null,
  };
}
