import type { z } from 'zod';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { todayInRome } from '../time/today.ts';

/** Today's date in Rome, YYYY-MM-DD. */
export function today(): string {
  return todayInRome();
}

/** The earlier of two ISO dates. */
export const earlierDate = (a: string, b: string): string => (a < b ? a : b);

/** Validates an input with its zod schema; the first problem is refused naming its field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  prefix = 'input',
): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput([prefix, ...issue.path.map(String)].join('.'), issue.message);
  }
  return parsed.data;
}

/**
 * Runs `fn` in one transaction. A denial is audited and *returned* (so that the audit row is
 * committed) and thrown once the transaction is over; any other error is thrown inside and rolls
 * everything back.
 */
export async function inTransaction<T>(
  db: Db,
  fn: (tx: Queryable) => Promise<T | CaseworkError>,
): Promise<T> {
  const result = await db.transaction(fn);
  if (result instanceof CaseworkError) throw result;
  return result;
}

export const notFound = (what: string, field = 'id') =>
  new CaseworkError('NOT_FOUND', `${what} non trovato`, field);
