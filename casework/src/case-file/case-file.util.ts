import type { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { type AuditScope, audited } from '../access/audited.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { todayInRome } from '../time/today.ts';
import { SOCIAL_DATA_CODES } from './case-file.types.ts';

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
 * Runs `fn` in one audited transaction (access/audited.ts): services throw a Refusal where they
 * decide, everything rolls back and the DENIED row is written in a transaction of its own. An
 * error `fn` returns is thrown too (a not-found needs no audit row).
 */
export async function inTransaction<T>(
  db: Db,
  actor: Actor,
  fn: (tx: Queryable) => Promise<T | CaseworkError>,
): Promise<T> {
  return audited(db, actor, CASE_SCOPE, async (tx) => {
    const result = await fn(tx);
    if (result instanceof CaseworkError) throw result;
    return result;
  });
}

// What a refusal not thrown as a Refusal is about (every case-file denial names its own).
const CASE_SCOPE: AuditScope = {
  action: 'UPDATE',
  entity: 'CaseFile',
  entityId: null,
  personId: null,
};

export const notFound = (what: string, field = 'id') =>
  new CaseworkError('NOT_FOUND', `${what} non trovato`, field);

/** The label of a social-data code (SOCIAL_DATA_CODES), null for a code the domain does not list. */
export const labelOf = (domain: keyof typeof SOCIAL_DATA_CODES, code: string) =>
  (SOCIAL_DATA_CODES[domain] as readonly { code: string; label: string }[]).find(
    (c) => c.code === code,
  )?.label ?? null;
