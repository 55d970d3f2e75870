import type { z } from 'zod';
import { ConnectorError } from '../errors.ts';

/** Parses a connector's configuration once, at start-up, with messages that name the field. */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  counterpart: string,
): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${counterpart}.${i.path.join('.')}: ${i.message}`);
  throw new ConnectorError(
    'CONNECTOR_CONFIG_INVALID',
    `invalid configuration:\n  ${lines.join('\n  ')}`,
    { counterpart, field: r.error.issues[0]?.path.join('.') },
  );
}
