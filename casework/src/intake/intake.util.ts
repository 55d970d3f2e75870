import type { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { dayInRome } from '../time/today.ts';

/** A clock skew tolerated between the desk's PC and the server. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export const operatorIdOf = (actor: Actor) => (actor.kind === 'OPERATOR' ? actor.id : null);
export const authorOf = (actor: Actor) =>
  actor.kind === 'OPERATOR' ? actor.username : actor.kind === 'CLIENT' ? actor.clientId : actor.id;

/** The calendar day of an instant at the Italian desks (codes are valid by day). */
export const dayOf = (d: Date) => dayInRome(d);

export function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(['input', ...issue.path].join('.'), issue.message);
  }
  return parsed.data;
}

export function assertNotFuture(d: Date | string, field: string): void {
  const t = typeof d === 'string' ? Date.parse(`${d}T00:00:00Z`) : d.getTime();
  const limit =
    typeof d === 'string'
      ? Date.parse(`${dayOf(new Date())}T00:00:00Z`)
      : Date.now() + FUTURE_TOLERANCE_MS;
  if (t > limit) throw new CaseworkError('FUTURE_DATE', 'la data non può essere nel futuro', field);
}
