// Rewrites authorization-known-leaks.ts from the failures the sweep wrote to SWEEP_FAILURES_FILE:
//   SWEEP_FAILURES_FILE=/tmp/f.json npx vitest run src/graphql/authorization-sweep.test.ts
//   npx tsx src/testing/write-known-leaks.ts /tmp/f.json && npx biome format --write src/graphql
import { readFileSync, writeFileSync } from 'node:fs';

const failures = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as string[];
const file = new URL('../graphql/authorization-known-leaks.ts', import.meta.url);
const source = readFileSync(file, 'utf8');
const head = source.slice(0, source.indexOf('export const KNOWN_LEAKS'));
const rows = failures
  .map((f) => f.split(' '))
  .map(
    ([field, caller, context, observed]) =>
      `  { field: '${field}', caller: '${caller}', context: '${context}', observed: '${observed}' },`,
  );
writeFileSync(file, `${head}export const KNOWN_LEAKS: KnownLeak[] = [\n${rows.join('\n')}\n];\n`);
console.log(`${rows.length} known leaks written`);
