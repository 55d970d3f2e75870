import type { Db, Queryable, Row } from '@hub/casework';

// A store whose writes can be undone: `sandboxed(fn)` runs every query `fn` causes inside one
// transaction that is rolled back at the end, and turns the services' own transactions into
// savepoints. The authorization sweep calls each mutation against the same seeded world this
// way, so that a granted call does not change what the next caller meets.

const ROLLBACK = Symbol('sandbox rollback');

export type SandboxDb = Db & {
  /** Runs `fn` with all its writes rolled back afterwards; `fn` may inspect them before. */
  sandboxed<T>(fn: () => Promise<T>): Promise<T>;
};

export function createSandboxDb(base: Db): SandboxDb {
  let current: Queryable | null = null;
  let savepoint = 0;
  // One connection: top-level queries and transactions of a sandboxed call take turns.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  // Inside the sandbox a failing statement must not abort the outer transaction.
  const guarded = async <T>(tx: Queryable, fn: () => Promise<T>): Promise<T> => {
    savepoint += 1;
    const name = `sweep_sp_${savepoint}`;
    await tx.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn();
      await tx.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  };
  return {
    kind: base.kind,
    query: <T extends Row = Row>(sql: string, params?: unknown[]) => {
      const tx = current;
      if (!tx) return base.query<T>(sql, params);
      return serial(() => guarded(tx, () => tx.query<T>(sql, params)));
    },
    exec: (sql) => {
      const tx = current;
      if (!tx) return base.exec(sql);
      return serial(() => guarded(tx, () => tx.exec(sql)));
    },
    transaction: (fn) => {
      const tx = current;
      if (!tx) return base.transaction(fn);
      return serial(() => guarded(tx, () => fn(tx)));
    },
    close: () => base.close(),
    sandboxed: async <T>(fn: () => Promise<T>): Promise<T> => {
      let result: T | undefined;
      await base
        .transaction(async (tx) => {
          current = tx;
          try {
            result = await fn();
          } finally {
            current = null;
          }
          throw ROLLBACK;
        })
        .catch((err: unknown) => {
          if (err !== ROLLBACK) throw err;
        });
      return result as T;
    },
  };
}
