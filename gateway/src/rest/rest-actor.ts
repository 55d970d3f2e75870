import type { Actor, Db, Origin } from '@hub/casework';
import { todayInRome } from '@hub/casework';
import type { Context } from 'hono';
import type { Authenticator } from '../auth/authenticate.ts';
import { GatewayError } from '../errors.ts';

// What the REST export routes need: the store, the bearer-token check, where a request came from.
export type RestDeps = { db: Db; authenticator: Authenticator; originOf: (c: Context) => Origin };

/** The caller of a REST route, from its bearer token; UNAUTHENTICATED without one. */
export async function actorOf(deps: RestDeps, c: Context): Promise<Actor> {
  const { actor } = await deps.authenticator.authenticate(
    c.req.header('authorization'),
    deps.originOf(c),
  );
  if (!actor) throw new GatewayError('UNAUTHENTICATED', 'autenticazione richiesta');
  return actor;
}

/** The day of an export, in its file name (Rome's day: an export at 00:30 is dated that day). */
export const stamp = () => todayInRome();
