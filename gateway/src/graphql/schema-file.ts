import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from './index.ts';

/** The committed SDL, `gateway/schema.graphql`: what clients and reviewers read. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export const REGENERATE_SCHEMA = 'npm run print-schema --workspace @hub/gateway';

/** The SDL of the schema the code builds, as `schema.graphql` holds it. */
export const printSchemaFile = (): string => `${printSchema(schema)}\n`;
