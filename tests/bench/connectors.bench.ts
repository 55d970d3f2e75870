import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeSyntheticDownload } from '@hub/connectors/simulators';
import { startAnprWorld } from '@hub/connectors/testing';
import type { BenchResult } from './bench.types.ts';

export const name = 'connectors';

const ROWS = Number(process.env['BENCH_REGISTRY_ROWS'] ?? 3_000_000);
const LOOKUP_SECONDS = Number(process.env['BENCH_ANPR_SECONDS'] ?? 10);
const CONCURRENCY = 16;
const serversDir = join(dirname(fileURLToPath(import.meta.url)), 'servers');

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const r1 = (n: number) => Math.round(n * 10) / 10;

async function registryImport(): Promise<{ rows: BenchResult['rows']; notes: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-registry-'));
  try {
    const file = join(dir, 'roma.csv');
    const g = performance.now();
    // Roma (ISTAT 058091, cadastral H501); one row in 10 000 broken on purpose.
    await writeSyntheticDownload(file, {
      rows: ROWS,
      municipalityIstat: '058091',
      cadastral: 'H501',
      badEvery: 10_000,
    });
    const genMs = performance.now() - g;
    const { size } = await stat(file);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(serversDir, 'registry-import.ts'), file, '058091', '2'],
      { cwd: serversDir, maxBuffer: 1 << 20 },
    );
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      results: {
        ms: number;
        rows: number;
        valid: number;
        invalid: number;
        inserted: number;
        updated: number;
        unchanged: number;
        firstError: string | null;
      }[];
      maxRssMB: number;
    };
    const [first, second] = out.results;
    if (!first || !second || first.rows !== ROWS || first.invalid !== Math.floor(ROWS / 10_000)) {
      throw new Error(`unexpected import: ${stdout}`);
    }
    if (second.inserted !== 0 || second.updated !== 0 || second.unchanged !== first.valid) {
      throw new Error(`the re-import was not idempotent: ${JSON.stringify(second)}`);
    }
    return {
      rows: [
        {
          case: `registry download, ${ROWS.toLocaleString('en')} residents (first import)`,
          seconds: r1(first.ms / 1000),
          'rows/s': Math.round(first.rows / (first.ms / 1000)),
          'peak RSS MB': out.maxRssMB,
          'ops/s': null,
          'p50 ms': null,
          'p99 ms': null,
        },
        {
          case: 'same download again (all unchanged)',
          seconds: r1(second.ms / 1000),
          'rows/s': Math.round(second.rows / (second.ms / 1000)),
          'peak RSS MB': out.maxRssMB,
          'ops/s': null,
          'p50 ms': null,
          'p99 ms': null,
        },
      ],
      notes: [
        `registry file: ${Math.round(size / 1e6)} MB, generated in ${r1(genMs / 1000)} s (not timed); ${first.invalid} bad rows reported (e.g. "${first.firstError}")`,
        "import: streamed in a child process (tsx), rows checked (codice fiscale with check character, dates, municipality, status) and upserted in batches of 5 000 into a digest index sink (codice fiscale hash → row digest, typed arrays); peak RSS is that process's maxRSS over both imports",
        'targets (issue 13): < 60 s and < 300 MB for 3 000 000 residents',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function anprLookups(): Promise<{ rows: BenchResult['rows']; notes: string[] }> {
  const world = await startAnprWorld({ families: 3000 });
  try {
    const persons = world.population.persons;
    const ctxOf = (i: number) => ({
      reason: `PROT-${i}`,
      operatorId: `op.${i % 8}`,
      workstation: `ws-${i % 4}`,
    });
    // Check before measuring: the answer must be the person's.
    const first = await world.client.consult('C020', { taxCode: persons[0]!.taxCode }, ctxOf(0));
    if (
      first.listaSoggetti?.datiSoggetto?.[0]?.generalita?.codiceFiscale?.codFiscale !==
      persons[0]!.taxCode
    ) {
      throw new Error('C020 did not answer with the person asked for');
    }
    const latencies: number[] = [];
    let errors = 0;
    const until = performance.now() + LOOKUP_SECONDS * 1000;
    let n = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const i = n++;
          const t = performance.now();
          try {
            await world.client.consult(
              i % 2 === 0 ? 'C020' : 'C030',
              { taxCode: persons[i % persons.length]!.taxCode },
              ctxOf(i),
            );
            latencies.push(performance.now() - t);
          } catch {
            errors++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    if (errors > 0) throw new Error(`${errors} look-ups failed`);
    return {
      rows: [
        {
          case: `ANPR look-ups C020/C030 through PDND + ModI, ${CONCURRENCY} in flight`,
          seconds: r1(elapsed),
          'rows/s': null,
          'peak RSS MB': null,
          'ops/s': Math.round(latencies.length / elapsed),
          'p50 ms': r1(pct(latencies, 50)),
          'p99 ms': r1(pct(latencies, 99)),
        },
      ],
      notes: [
        `ANPR: ${latencies.length} look-ups, each with its Agid-JWT-Signature (RS256) signed per request, tracking evidence and voucher from their caches (PDND asked ${world.vouchers.stats.requests} times, ${world.vouchers.stats.cacheHits} cache hits), answers signed by the simulator (ES256) and verified and validated against the OpenAPI file by the client`,
        'the PDND and ANPR simulators run in the bench process (same 2 cores): the figure is the client and simulator together, a floor for the client alone',
      ],
    };
  } finally {
    await world.close();
  }
}

export async function run(): Promise<BenchResult> {
  const imp = await registryImport();
  const anpr = await anprLookups();
  return {
    title: 'Connectors: municipal registry import, ANPR look-ups',
    rows: [...imp.rows, ...anpr.rows],
    notes: [...imp.notes, ...anpr.notes],
  };
}
