// Writes gateway/schema.graphql from the code-first schema: `npm run print-schema`.
import { writeFile } from 'node:fs/promises';
import { printSchemaFile, SCHEMA_FILE } from './schema-file.ts';

await writeFile(SCHEMA_FILE, printSchemaFile());
console.log(`wrote ${SCHEMA_FILE}`);
