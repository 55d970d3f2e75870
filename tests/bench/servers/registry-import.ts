// Imports one registry download in a process of its own and prints one JSON line with the
// figures, so that the bench reads this import's peak RSS and nothing else's.
import { createDigestIndexSink, importRegistryFile } from '@hub/connectors';

const [file, municipality, rounds] = process.argv.slice(2);
const sink = createDigestIndexSink(22);
const results = [];
for (let i = 0; i < Number(rounds ?? 1); i++) {
  const r = await importRegistryFile(
    file!,
    { municipalities: [municipality!], batchSize: 5000 },
    { sink },
  );
  results.push({
    ms: r.ms,
    rows: r.rows,
    valid: r.valid,
    invalid: r.invalid,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    firstError: r.errors[0]?.message ?? null,
  });
}
console.log(
  JSON.stringify({ results, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
