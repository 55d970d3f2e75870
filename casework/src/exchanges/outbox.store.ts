import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/db.ts';

/** A transmission waiting in the outbox (structurally @hub/connectors' OutboxMessage). */
export type OutboxRecord = {
  id: string;
  destination: string;
  payload: string;
  attempts: number;
  /** Epoch milliseconds, as the connectors' dispatcher counts time. */
  nextAttemptAt: number;
  status: 'pending' | 'sent' | 'dead';
  lastError: string | null;
  receipt: string | null;
};

const COLUMNS = `id, destination, payload, attempts,
  (extract(epoch FROM next_attempt_at) * 1000)::float8 AS "nextAttemptAt",
  status, last_error AS "lastError", receipt`;

const toRecord = (r: OutboxRecord): OutboxRecord => ({
  ...r,
  nextAttemptAt: Math.round(Number(r.nextAttemptAt)),
});

/**
 * The connectors' OutboxStore in the store: a message recorded once (its id is the primary key),
 * each change one statement, so that a message acknowledged is never sent again after a restart
 * and one not acknowledged is sent again with the same id. Several instances share it through
 * `claim`: each takes the messages due with FOR UPDATE SKIP LOCKED under a lease in its own
 * name (`owner`, one per store), so two never send the same message while the lease holds.
 */
export function createOutboxStore(db: Db, opts: { owner?: string | undefined } = {}) {
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return {
    owner,
    async add(m: { id: string; destination: string; payload: string }): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO outbox_message (id, destination, payload) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [m.id, m.destination, m.payload],
      );
      return rows.length === 1;
    },
    async due(now: number, limit: number): Promise<OutboxRecord[]> {
      const rows = await db.query<OutboxRecord>(
        `SELECT ${COLUMNS} FROM outbox_message
          WHERE status = 'pending' AND next_attempt_at <= to_timestamp($1::float8 / 1000)
            AND (lease_until IS NULL OR lease_until <= to_timestamp($1::float8 / 1000))
          ORDER BY next_attempt_at, created_at LIMIT $2`,
        [now, limit],
      );
      return rows.map(toRecord);
    },
    /**
     * The messages due that no other dispatcher holds, now this one's until `now + leaseMs`:
     * rows another transaction is claiming are skipped (SKIP LOCKED), not waited for, and a
     * lease run out (its dispatcher gone) is taken over.
     */
    async claim(now: number, limit: number, leaseMs: number): Promise<OutboxRecord[]> {
      const rows = await db.query<OutboxRecord>(
        `WITH due AS (
           SELECT id AS due_id FROM outbox_message
            WHERE status = 'pending' AND next_attempt_at <= to_timestamp($1::float8 / 1000)
              AND (lease_until IS NULL OR lease_until <= to_timestamp($1::float8 / 1000))
            ORDER BY next_attempt_at, created_at LIMIT $2
            FOR UPDATE SKIP LOCKED)
         UPDATE outbox_message o SET claimed_by = $3, lease_until = to_timestamp(($1::float8 + $4) / 1000)
           FROM due WHERE o.id = due.due_id
         RETURNING ${COLUMNS}`,
        [now, limit, owner, leaseMs],
      );
      return rows.map(toRecord).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    },
    async markSent(id: string, receipt: string): Promise<void> {
      await db.query(
        `UPDATE outbox_message SET status = 'sent', receipt = $2, last_error = NULL, sent_at = now(),
                claimed_by = NULL, lease_until = NULL
          WHERE id = $1`,
        [id, receipt],
      );
    },
    async markFailed(id: string, error: string, nextAttemptAt: number, dead: boolean) {
      await db.query(
        `UPDATE outbox_message SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = to_timestamp($3::float8 / 1000), status = $4,
                claimed_by = NULL, lease_until = NULL
          WHERE id = $1 AND status = 'pending' AND (claimed_by IS NULL OR claimed_by = $5)`,
        [id, error.slice(0, 1000), nextAttemptAt, dead ? 'dead' : 'pending', owner],
      );
    },
    async get(id: string): Promise<OutboxRecord | undefined> {
      const [row] = await db.query<OutboxRecord>(
        `SELECT ${COLUMNS} FROM outbox_message WHERE id = $1`,
        [id],
      );
      return row ? toRecord(row) : undefined;
    },
  };
}
