import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isConnectorError } from '../errors.ts';
import { backoffDelay } from './policy.ts';

/**
 * Outgoing transmissions go through an outbox: a message is recorded first (with the id that
 * names it at the counterpart), then sent, and marked sent only once the counterpart has
 * acknowledged it. A crash between sending and marking means it is sent again, with the same
 * id, which the counterpart recognises: nothing lost, nothing processed twice.
 */
export type OutboxMessage = {
  /** Stable id, sent as `Idempotency-Key`: the counterpart dedupes on it. */
  id: string;
  destination: string;
  payload: string;
  attempts: number;
  nextAttemptAt: number;
  status: 'pending' | 'sent' | 'dead';
  lastError: string | null;
  receipt: string | null;
};

export interface OutboxStore {
  /** Records a message once: adding an id already there changes nothing. */
  add(m: { id: string; destination: string; payload: string }): Promise<boolean>;
  due(now: number, limit: number): Promise<OutboxMessage[]>;
  /**
   * Takes the messages due for this dispatcher alone, for `leaseMs`: another dispatcher over the
   * same store skips them until the lease runs out (a store shared by several instances, e.g.
   * casework's with FOR UPDATE SKIP LOCKED). A store without it is one process's own.
   */
  claim?(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  markSent(id: string, receipt: string): Promise<void>;
  markFailed(id: string, error: string, nextAttemptAt: number, dead: boolean): Promise<void>;
  get(id: string): Promise<OutboxMessage | undefined>;
}

export function createMemoryOutboxStore(): OutboxStore & { all(): OutboxMessage[] } {
  const byId = new Map<string, OutboxMessage>();
  return {
    all: () => [...byId.values()],
    async add(m) {
      if (byId.has(m.id)) return false;
      byId.set(m.id, {
        ...m,
        attempts: 0,
        nextAttemptAt: 0,
        status: 'pending',
        lastError: null,
        receipt: null,
      });
      return true;
    },
    async due(now, limit) {
      return [...byId.values()]
        .filter((m) => m.status === 'pending' && m.nextAttemptAt <= now)
        .slice(0, limit);
    },
    async markSent(id, receipt) {
      const m = byId.get(id);
      if (m) Object.assign(m, { status: 'sent', receipt, lastError: null });
    },
    async markFailed(id, error, nextAttemptAt, dead) {
      const m = byId.get(id);
      if (m)
        Object.assign(m, {
          attempts: m.attempts + 1,
          lastError: error,
          nextAttemptAt,
          status: dead ? 'dead' : 'pending',
        });
    },
    get: async (id) => byId.get(id),
  };
}

type JournalLine =
  | { op: 'add'; id: string; destination: string; payload: string }
  | { op: 'sent'; id: string; receipt: string }
  | { op: 'failed'; id: string; error: string; nextAttemptAt: number; dead: boolean };

/**
 * An outbox in a journal file (one JSON line per change, replayed on open): it survives a
 * restart of the process. For a hub without a database outbox; casework may keep its own.
 */
export async function openFileOutboxStore(
  path: string,
): Promise<OutboxStore & { all(): OutboxMessage[] }> {
  await mkdir(dirname(path), { recursive: true });
  const mem = createMemoryOutboxStore();
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let j: JournalLine;
    try {
      j = JSON.parse(line) as JournalLine;
    } catch {
      continue; // a line cut short by a crash: the change it began was not acknowledged
    }
    if (j.op === 'add') await mem.add(j);
    else if (j.op === 'sent') await mem.markSent(j.id, j.receipt);
    else await mem.markFailed(j.id, j.error, j.nextAttemptAt, j.dead);
  }
  const write = (j: JournalLine) => appendFile(path, `${JSON.stringify(j)}\n`);
  return {
    all: mem.all,
    get: mem.get,
    due: mem.due,
    async add(m) {
      if (!(await mem.add(m))) return false;
      await write({ op: 'add', ...m });
      return true;
    },
    async markSent(id, receipt) {
      await write({ op: 'sent', id, receipt });
      await mem.markSent(id, receipt);
    },
    async markFailed(id, error, nextAttemptAt, dead) {
      await write({ op: 'failed', id, error, nextAttemptAt, dead });
      await mem.markFailed(id, error, nextAttemptAt, dead);
    },
  };
}

/** Sends one message; resolves with the counterpart's receipt once it acknowledged it. */
export type Transport = (m: OutboxMessage) => Promise<string>;

export function createOutboxDispatcher(deps: {
  store: OutboxStore;
  transport: Transport;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  random?: () => number;
  /**
   * How long a claimed message stays this dispatcher's (stores with `claim`): longer than a
   * pass takes to send its messages (each within its transport's timeout), or another
   * instance takes over a message still being sent.
   */
  leaseMs?: number;
}) {
  const maxAttempts = deps.maxAttempts ?? 10;
  const now = deps.now ?? Date.now;
  const leaseMs = deps.leaseMs ?? 300_000;
  const take = (limit: number) =>
    deps.store.claim ? deps.store.claim(now(), limit, leaseMs) : deps.store.due(now(), limit);
  return {
    /** One pass over the messages due: each sent at most once per pass. */
    async dispatch(limit = 100): Promise<{ sent: number; failed: number }> {
      let sent = 0;
      let failed = 0;
      for (const m of await take(limit)) {
        try {
          const receipt = await deps.transport(m);
          await deps.store.markSent(m.id, receipt);
          sent++;
        } catch (e) {
          failed++;
          const retryable = !isConnectorError(e) || e.transient;
          const attempt = m.attempts + 1;
          const delay = backoffDelay(
            attempt,
            deps.baseDelayMs ?? 500,
            deps.maxDelayMs ?? 60_000,
            deps.random ?? Math.random,
          );
          await deps.store.markFailed(
            m.id,
            e instanceof Error ? e.message : String(e),
            now() + delay,
            !retryable || attempt >= maxAttempts,
          );
        }
      }
      return { sent, failed };
    },
  };
}
