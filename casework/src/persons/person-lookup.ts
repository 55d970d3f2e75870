import { type Actor, canSeeOrganization } from '../access/actor.ts';
import { auditActorValues } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import {
  insertReadAudits,
  type PersonWithOrganizations,
  type ReadAuditRow,
  selectPersonsByTaxCodes,
} from './person.store.ts';

export type LookupOutcome =
  | { kind: 'found'; person: PersonWithOrganizations }
  | { kind: 'not-found' }
  | { kind: 'denied'; personId: string };

type Pending = {
  actor: Actor;
  taxCode: string;
  resolve: (outcome: LookupOutcome) => void;
  reject: (err: unknown) => void;
};

/**
 * Look-ups by codice fiscale with group commit: the requests that arrive while the store is busy
 * are answered together by one SELECT and one multi-row audit INSERT, in one transaction. Every
 * caller still gets its data only after its audit row is committed; under load the cost of the
 * statements is shared instead of queued request by request.
 */
export function createPersonLookup(db: Db) {
  let queue: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const outcomes = await db.transaction(async (tx) => {
          const rows = await selectPersonsByTaxCodes(tx, [...new Set(batch.map((p) => p.taxCode))]);
          const byCode = new Map(rows.map((r) => [r.taxCode, r]));
          const results: LookupOutcome[] = [];
          const audits: ReadAuditRow[] = [];
          for (const { actor, taxCode } of batch) {
            const person = byCode.get(taxCode);
            const visible = person?.organizationIds.some((o) => canSeeOrganization(actor, o));
            const outcome: LookupOutcome = !person
              ? { kind: 'not-found' }
              : visible
                ? { kind: 'found', person }
                : { kind: 'denied', personId: person.id };
            results.push(outcome);
            audits.push({
              actor: auditActorValues(actor),
              personId: person?.id ?? null,
              outcome: outcome.kind === 'denied' ? 'DENIED' : 'OK',
              reason:
                outcome.kind === 'denied'
                  ? 'person outside the actor organisations'
                  : outcome.kind === 'not-found'
                    ? 'not found'
                    : null,
            });
          }
          await insertReadAudits(tx, 'Person', audits);
          return results;
        });
        batch.forEach((p, i) => p.resolve(outcomes[i]!));
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
