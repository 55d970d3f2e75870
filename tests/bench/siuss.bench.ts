// The SIUSS batch (issue 9): 1,000,000 deliveries written as one PS_PSA_SINA flow for upload to
// INPS's web application and validated against PS_PSA_SINA201812.xsd by xmllint while it is
// written (target: under 10 s and under 200 MB). The batch runs in a child process of its own so
// that the peak RSS is the batch's (Node) and xmllint's, sampled from /proc while it runs.
//   BENCH_SIUSS_RECORDS=1000000   deliveries in the batch
//   BENCH_SIUSS_PARALLEL=2        xmllint processes validating its parts
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench.types.ts';

export const name = 'siuss';

const RECORDS = Number(process.env.BENCH_SIUSS_RECORDS ?? 1_000_000);
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'lib', 'siuss-batch-child.ts');

type ChildResult = {
  seconds: number;
  maxRssMB: number;
  xmllintPeakMB: number;
  xmllintProcesses: number;
  nodeCpuSeconds: number;
  nodeBatchCpuSeconds: number;
  xmllintCpuSeconds: number;
  loadAverage: number;
  bytes: number;
  report: {
    valid: boolean;
    records: number;
    issues: { record: string; benefit: string | null; field: string; code: string }[];
  };
};

function runChild(records: number, file: string, brokenAt?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', CHILD, String(records), file];
    if (brokenAt !== undefined) args.push(String(brokenAt));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`siuss batch child exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
    });
  });
}

export async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'siuss-bench-'));
  try {
    // Check first: a broken record in a small batch is caught and named.
    const check = await runChild(2000, join(dir, 'check.xml'), 1234);
    const named = check.report.issues[0];
    if (
      check.report.valid ||
      named?.benefit !== 'D1234' ||
      named.field !== 'PrestazioniSociali[0].PeriodoErogazione'
    )
      throw new Error(`broken record not caught: ${JSON.stringify(check.report)}`);

    const r = await runChild(RECORDS, join(dir, 'batch.xml'));
    if (!r.report.valid || r.report.records !== RECORDS)
      throw new Error(`batch not valid: ${JSON.stringify(r.report)}`);
    const mb = (n: number) => Math.round(n * 10) / 10;
    return {
      title:
        'SIUSS: a batch of deliveries written and validated (PS_PSA_SINA, xmllint --sax --schema)',
      rows: [
        {
          case: `${RECORDS.toLocaleString('en')} deliveries, write + validate`,
          seconds: Math.round(r.seconds * 100) / 100,
          'records/s': Math.round(RECORDS / r.seconds),
          'CPU s node': Math.round(r.nodeCpuSeconds * 10) / 10,
          'CPU s node batch': Math.round(r.nodeBatchCpuSeconds * 10) / 10,
          'CPU s xmllint': Math.round(r.xmllintCpuSeconds * 10) / 10,
          'file MB': mb(r.bytes / 2 ** 20),
          'peak RSS node MB': mb(r.maxRssMB),
          'peak RSS xmllint MB': mb(r.xmllintPeakMB),
          'peak RSS total MB': mb(r.maxRssMB + r.xmllintPeakMB),
        },
      ],
      notes: [
        'target: under 10 s and under 200 MB (issue 9)',
        `xmllint processes: ${r.xmllintProcesses} (their peaks summed: they run at once); machine load average at the end: ${r.loadAverage.toFixed(1)} on ${availableParallelism()} CPUs (wall seconds mean little on a loaded machine: the CPU seconds do not depend on it)`,
        'CPU s node batch: the batch alone, without the start of the tsx loader (CPU s node has it)',
        'one Beneficiario with one PrestazioniSociali per delivery (a third occasional with ISEE/DSU, one in ten with a SINA assessment); the records come in pages of 1,000 as a store reads them; the file is written to disk while xmllint reads the same bytes on its stdin',
        `check before measuring: a 2,000-delivery batch with PeriodoErogazione=13 at delivery D1234 was refused and named (${named.field})`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
