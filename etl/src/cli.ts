// npm run etl -- --full | --incremental   (from the repository root)
// Runs one ETL load against the hub's store and warehouse, as configured by the environment the
// hub reads (DATA_DIR, DATABASE_URL, WAREHOUSE_PATH, PSEUDONYM_KEY), with a progress bar. The
// warehouse file has one writer at a time: stop the hub first (it runs the same loads on its own
// schedule) or point WAREHOUSE_PATH at another file.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { openDb } from '@hub/casework';
import { openWarehouse } from '@hub/warehouse';
import cliProgress from 'cli-progress';
import { type EtlPhase, runEtl } from './etl.ts';

const args = process.argv.slice(2);
const kind = args.includes('--incremental') ? 'INCREMENTAL' : 'FULL';
const cwd = process.env.INIT_CWD ?? process.cwd();
const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
const dataDir = abs(process.env.DATA_DIR ?? './data');
const key =
  process.env.PSEUDONYM_KEY ||
  (await readFile(join(dataDir, 'pseudonym-key'), 'utf8').catch(() => '')).trim();
if (!key) {
  console.error(
    `PSEUDONYM_KEY non impostata e ${join(dataDir, 'pseudonym-key')} assente: avviare il hub una volta o impostarla`,
  );
  process.exit(2);
}
const db = await openDb(
  process.env.DATABASE_URL
    ? { kind: 'postgres', url: process.env.DATABASE_URL }
    : { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
);
const warehouse = await openWarehouse(
  process.env.WAREHOUSE_PATH ? abs(process.env.WAREHOUSE_PATH) : join(dataDir, 'warehouse.duckdb'),
).catch((err: unknown) => {
  console.error(`magazzino non apribile (il hub è in esecuzione?): ${String(err)}`);
  process.exit(2);
});
const LABELS: Record<EtlPhase, string> = {
  dimensions: 'dimensioni',
  intake: 'schede di accesso',
  cases: 'cartelle sociali',
  caseSteps: 'passaggi di stato',
  carePlans: 'progetti (PAI)',
  deliveries: 'erogazioni',
  siuss: 'obblighi SIUSS',
  load: 'caricamento DuckDB',
  rollups: 'rollup',
  protection: 'celle protette',
  swap: 'scambio',
};
const bar = new cliProgress.SingleBar(
  {
    format: '{phase} [{bar}] {value}/{total}',
    noTTYOutput: !process.stdout.isTTY,
    notTTYSchedule: 2000,
  },
  cliProgress.Presets.shades_classic,
);
let phase: EtlPhase | null = null;
const started = performance.now();
try {
  bar.start(1, 0, { phase: '' });
  const result = await runEtl(
    {
      db,
      warehouse,
      pseudonymKey: key,
      onProgress: (p) => {
        if (p.phase !== phase) {
          phase = p.phase;
          bar.setTotal(Math.max(p.total, 1));
        }
        bar.update(p.done, { phase: LABELS[p.phase].padEnd(18) });
      },
    },
    kind,
  );
  bar.stop();
  const s = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${result.kind} ${result.status}: ${result.rowsLoaded} righe, ${result.changesApplied} modifiche applicate, build ${result.build ?? '-'} in ${s} s`,
  );
} catch (err) {
  bar.stop();
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  warehouse.close();
  await db.close();
}
