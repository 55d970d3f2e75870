import { randomBytes } from 'node:crypto';
import { type Db, openDb, openPgliteHost, type PgliteHost, pgliteDb } from './db.ts';
import { migrate } from './migrate.ts';

// Booting PGlite takes seconds, a schema a quarter of a second: one instance per test process
// (kept on globalThis, so that it outlives the module graph of one test file), a schema per store.
const HOST = Symbol.for('@hub/casework/test-pglite-host');
type WithHost = typeof globalThis & { [HOST]?: Promise<PgliteHost> };

function sharedHost(): Promise<PgliteHost> {
  const g = globalThis as WithHost;
  g[HOST] ??= openPgliteHost();
  return g[HOST];
}

/**
 * A migrated, empty store for one test file, in a schema of its own that `close` drops: on the
 * PGlite instance shared by the test process by default, or on the server named by
 * TEST_DATABASE_URL (CI runs the suites once more that way).
 */
export async function createTestDb(): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let db: Db;
  if (url) {
    db = await openDb({ kind: 'postgres', url, schema, max: 4 });
  } else {
    db = pgliteDb(await sharedHost(), schema);
    await db.exec(`CREATE SCHEMA "${schema}"`);
  }
  await migrate(db);
  return {
    ...db,
    close: async () => {
      await db.exec(`DROP SCHEMA "${schema}" CASCADE`);
      await db.close();
    },
  };
}
