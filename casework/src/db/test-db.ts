import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Db, openDb, openPgliteHost, type PgliteHost, pgliteDb } from './db.ts';
import { migrate } from './migrate.ts';

// Booting PGlite takes seconds, a schema a quarter of a second: one instance per test process
// (kept on globalThis, so that it outlives the module graph of one test file), a schema per store.
const HOST = Symbol.for('@hub/casework/test-pglite-host');
type WithHost = typeof globalThis & { [HOST]?: Promise<PgliteHost> };

// A fresh cluster runs initdb (~3 s); one loaded from the dump of an empty cluster starts in a
// fraction of that. The first worker that finds no dump for the installed PGlite writes one.
const NODE_MODULES = new URL('../../../node_modules/', import.meta.url);
const CACHE_DIR = fileURLToPath(new URL('.cache/hub-test-pglite/', NODE_MODULES));

async function bootHost(): Promise<PgliteHost> {
  const { version } = JSON.parse(
    await readFile(new URL('@electric-sql/pglite/package.json', NODE_MODULES), 'utf8').catch(
      () => '{"version":"unknown"}',
    ),
  ) as { version: string };
  const file = `${CACHE_DIR}empty-cluster-${version}.tar`;
  const dump = await readFile(file).catch(() => null);
  if (dump) {
    const host = await openPgliteHost(undefined, new Blob([dump])).catch(() => null);
    if (host) return host;
  }
  const host = await openPgliteHost();
  // Written aside and renamed, so that a worker never reads a half-written dump; a cache that
  // cannot be written only costs the next run the same boot.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await host.pglite
    .dumpDataDir('none')
    .then(async (fresh) => {
      await mkdir(CACHE_DIR, { recursive: true });
      await writeFile(partial, Buffer.from(await fresh.arrayBuffer()));
      await rename(partial, file);
    })
    .catch(() => rm(partial, { force: true }));
  return host;
}

function sharedHost(): Promise<PgliteHost> {
  const g = globalThis as WithHost;
  g[HOST] ??= bootHost();
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
