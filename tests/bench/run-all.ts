// Runs every tests/bench/*.bench.ts in turn (or those whose name matches an argument), prints
// each result as a table and writes them all to bench-results/<timestamp>.json at the repo root.
//   npm run bench                 all benches
//   npm run bench -- gateway      only the benches whose file name contains "gateway"
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { arch, cpus, totalmem } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './bench.types.ts';
import { formatResult } from './lib/format-table.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '../..');

type Outcome = {
  file: string;
  name: string;
  startedAt: string;
  seconds: number;
  result: BenchResult | null;
  error: string | null;
};

function isBenchModule(m: Partial<BenchModule>): m is BenchModule {
  return typeof m.name === 'string' && typeof m.run === 'function';
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).map((f) => f.toLowerCase());
  const files = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const machine = {
    node: process.version,
    platform: `${process.platform}-${arch()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  console.log(
    `benchmarks: node ${machine.node}, ${machine.cpus} CPU (${machine.cpuModel}), ${machine.memoryGiB} GiB`,
  );

  const outcomes: Outcome[] = [];
  const failed = (file: string, name: string, error: string) =>
    outcomes.push({
      file,
      name,
      startedAt: new Date().toISOString(),
      seconds: 0,
      result: null,
      error,
    });
  for (const file of files) {
    const stem = basename(file, '.bench.ts');
    // The filter is matched against the file name, so a filtered run does not load the others.
    if (filters.length > 0 && !filters.some((f) => stem.toLowerCase().includes(f))) continue;
    let mod: Partial<BenchModule>;
    try {
      mod = (await import(pathToFileURL(join(benchDir, file)).href)) as Partial<BenchModule>;
    } catch (err) {
      console.error(`\n✖ ${file} does not load: ${String(err)}`);
      failed(file, stem, `does not load: ${String(err)}`);
      continue;
    }
    if (!isBenchModule(mod)) {
      console.error(`\n✖ ${file} does not export \`name\` and \`run()\``);
      failed(file, stem, 'does not export `name` and `run()`');
      continue;
    }
    console.log(`\n▶ ${mod.name} (${file})`);
    const startedAt = new Date();
    let result: BenchResult | null = null;
    let error: string | null = null;
    try {
      result = await mod.run();
      console.log(`\n${formatResult(result)}`);
    } catch (err) {
      error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.error(`\n✖ ${mod.name} failed: ${error}`);
    }
    const seconds = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
    outcomes.push({
      file,
      name: mod.name,
      startedAt: startedAt.toISOString(),
      seconds,
      result,
      error,
    });
  }

  if (outcomes.length === 0) {
    console.error(`no bench matches ${filters.join(' ')} (files: ${files.join(', ')})`);
    return 1;
  }
  const dir = join(repoRoot, 'bench-results');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(path, `${JSON.stringify({ machine, filters, benches: outcomes }, null, 2)}\n`);
  console.log(`\nresults written to ${relative(repoRoot, path)}`);
  return outcomes.some((o) => o.error !== null) ? 1 : 0;
}

process.exitCode = await main();
