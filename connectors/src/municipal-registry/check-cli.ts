// Checks a municipal registry download before it is imported: every row through the same
// checks as the import, a progress bar over the file's bytes, the report at the end.
//   npm run registry:check --workspace @hub/connectors -- <file> <ISTAT code>[,<ISTAT code>…] [--json report.json]
import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { importRegistryFile } from './import.ts';
import { createDigestIndexSink } from './sink.ts';

const [file, codes, flag, out] = process.argv.slice(2);
if (!file || !codes) {
  console.error(
    'uso: registry:check <file> <codici ISTAT separati da virgola> [--json report.json]',
  );
  process.exit(2);
}
const bar = new cliProgress.SingleBar(
  {
    format: 'Righe {bar} {percentage}% | {rows} righe, {invalid} scartate | ETA {eta_formatted}',
    noTTYOutput: true,
    notTTYSchedule: 5000,
  },
  cliProgress.Presets.shades_classic,
);
let started = false;
const report = await importRegistryFile(
  file,
  { municipalities: codes.split(',') },
  {
    sink: createDigestIndexSink(),
    onProgress: (p) => {
      const total = p.totalBytes ?? p.bytes;
      if (!started) {
        started = true;
        bar.start(total, 0, { rows: 0, invalid: 0 });
      }
      bar.update(p.bytes, { rows: p.rows, invalid: p.invalid });
    },
  },
);
bar.stop();
console.log(
  `${report.rows} righe: ${report.valid} valide, ${report.invalid} scartate, in ${(report.ms / 1000).toFixed(1)} s`,
);
for (const e of report.errors.slice(0, 20)) console.log(`  ${e.message}`);
if (report.errors.length > 20 || report.errorsNotListed > 0) {
  console.log(`  … e altre ${report.invalid - 20} (con --json il rapporto completo)`);
}
if (flag === '--json' && out) await writeFile(out, JSON.stringify(report, null, 2));
process.exit(report.invalid > 0 ? 1 : 0);
