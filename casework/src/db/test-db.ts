import { randomBytes } from 'node:crypto';
import { type Db, openDb } from './db.ts';
import { migrate } from './migrate.ts';

/**
 * A migrated, empty store for one test file: in-memory PGlite by default, or a fresh schema on
 * the server named by TEST_DATABASE_URL (CI runs the suites once more that way).
 */
export async function createTestDb(): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const db = await openDb({ kind: 'pglite' });
    await migrate(db);
    return db;
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openDb({ kind: 'postgres', url, schema, max: 4 });
  await migrate(db);
  return {
    ...db,
    close: async () => {
      await db.exec(`DROP SCHEMA "${schema}" CASCADE`);
      await db.close();
    },
  };
}
