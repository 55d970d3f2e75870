import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printSchemaFile, REGENERATE_SCHEMA, SCHEMA_FILE } from './schema-file.ts';

describe('gateway/schema.graphql', () => {
  it('should match the schema the code builds', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    expect(
      committed,
      `gateway/schema.graphql differs from the schema the code builds: run \`${REGENERATE_SCHEMA}\` and commit the file`,
    ).toBe(printSchemaFile());
  });
});
