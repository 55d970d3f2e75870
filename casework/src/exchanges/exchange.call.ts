import type { Actor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import { counterpartError, failureCodeOf } from './exchange.errors.ts';
import { insertExchange, type NewExchange } from './exchange.store.ts';

/** The reason ANPR demands (motivoRichiesta) and every exchange is audited with. */
export function requireReason(raw: string | null | undefined, field = 'reason'): string {
  const reason = (raw ?? '').trim();
  if (reason.length < 3) {
    throw new CaseworkError(
      'REASON_REQUIRED',
      'indicare il motivo della richiesta (numero di pratica o di protocollo, almeno 3 caratteri)',
      field,
    );
  }
  if (reason.length > 200) {
    throw new CaseworkError(
      'BAD_USER_INPUT',
      'il motivo della richiesta supera i 200 caratteri',
      field,
    );
  }
  return reason;
}

/** The operator and seat the ModI tracking evidence names: the operator's id, its office. */
export function callerOf(actor: Actor): { operatorId: string; workstation: string } {
  if (actor.kind === 'OPERATOR') {
    const m = actor.memberships[0];
    return { operatorId: actor.username, workstation: m?.contactPointId ?? m?.officeId ?? 'hub' };
  }
  return { operatorId: actor.kind === 'CLIENT' ? actor.clientId : actor.id, workstation: 'hub' };
}

type Exchange = Omit<NewExchange, 'outcome' | 'durationMs' | 'remoteOperationId'>;

/**
 * One call to a counterpart, timed and audited: a failure is recorded with the connector's code
 * (in a statement of its own, so that it stays whatever the caller does next) and thrown as the
 * operator's error; a success is handed back with what its audit row needs, for the caller to
 * write it in the transaction of the read's own audit.
 */
export async function callCounterpart<T>(
  db: Db,
  actor: Actor,
  exchange: Exchange,
  call: () => Promise<T>,
  remoteIdOf: (answer: T) => string | null,
): Promise<{ answer: T; record: NewExchange }> {
  const started = performance.now();
  try {
    const answer = await call();
    return {
      answer,
      record: {
        ...exchange,
        outcome: 'OK',
        durationMs: performance.now() - started,
        remoteOperationId: remoteIdOf(answer),
      },
    };
  } catch (e) {
    const code = failureCodeOf(e);
    await insertExchange(db, actor, {
      ...exchange,
      outcome: code ?? 'ERROR',
      durationMs: performance.now() - started,
    });
    if (code === null) throw e;
    throw counterpartError(exchange.counterpart, code);
  }
}
