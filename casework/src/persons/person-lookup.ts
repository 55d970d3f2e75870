import type { Actor } from '../access/actor.ts';
import { auditActorValues } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { type LookupRow, lookUpPersonsAudited } from './person.store.ts';
import type { Person } from './person.types.ts';

export type LookupOutcome =
  | { kind: 'found'; person: Omit<Person, 'maskedFields'> }
  | { kind: 'not-found' }
  | { kind: 'denied'; personId: string };

type Pending = {
  actor: Actor;
  taxCode: string;
  resolve: (outcome: LookupOutcome) => void;
  reject: (err: unknown) => void;
};

function outcomeOf(row: LookupRow): LookupOutcome {
  if (row.personId === null) return { kind: 'not-found' };
  if (!row.visible || !row.person) return { kind: 'denied', personId: row.personId };
  return { kind: 'found', person: row.person };
}

/**
 * Look-ups by codice fiscale with group commit: the requests that arrive while the store is busy
 * are answered together by one statement that reads and writes their audit rows. Every caller
 * still gets its data only after its audit row is committed; under load the cost of a statement
 * is shared instead of queued request by request.
 */
export function createPersonLookup(db: Db) {
  let queue: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const rows = await lookUpPersonsAudited(
          db,
          batch.map(({ actor, taxCode }) => ({
            taxCode,
            actor: auditActorValues(actor),
            organizationIds: actor.kind === 'SYSTEM' ? null : actor.organizationIds,
          })),
        );
        for (const [i, p] of batch.entries()) p.resolve(outcomeOf(rows[i]!));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    running = false;
  }

  return (actor: Actor, taxCode: string): Promise<LookupOutcome> =>
    new Promise((resolve, reject) => {
      queue.push({ actor, taxCode, resolve, reject });
      // Wait one turn of the event loop so that requests parsed together share the batch.
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    });
}
export type PersonLookup = ReturnType<typeof createPersonLookup>;

const lookups = new WeakMap<Db, PersonLookup>();

/** The store's one look-up batcher. */
export function personLookupFor(db: Db): PersonLookup {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = createPersonLookup(db);
    lookups.set(db, lookup);
  }
  return lookup;
}
