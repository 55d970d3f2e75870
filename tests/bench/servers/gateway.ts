// The gateway as `npm start` serves it (createApp + serveGateway), over a store the bench
// prepared (migrated and seeded, no demo load): the PGlite folder <BENCH_DATA_DIR>/pglite, or the
// schema BENCH_DB_SCHEMA on the PostgreSQL server BENCH_DATABASE_URL.
// Prints {"port": n} once it listens; answers IPC questions ({ id, ask: 'audit-count' });
// SIGTERM closes the server and the store (so a --cpu-prof profile gets written).
import { join } from 'node:path';
import { openDb } from '@hub/casework';
import { createApp, createTokenService, readConfig, serveGateway } from '@hub/gateway';
import { openWarehouse } from '@hub/warehouse';

const { BENCH_DATA_DIR: dataDir, BENCH_DATABASE_URL: url, BENCH_DB_SCHEMA: schema } = process.env;
const authSecret = process.env.AUTH_SECRET;
if (!dataDir || !authSecret) throw new Error('BENCH_DATA_DIR and AUTH_SECRET are required');

const config = {
  ...readConfig({ ...process.env, DATA_DIR: dataDir, DEMO: '0', NODE_ENV: 'production' }),
  // Logged GraphQL errors would only slow a run down; the bench checks the answers itself.
  logErrors: false,
};
const db = await openDb(
  url ? { kind: 'postgres', url, schema } : { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
);
const warehouse = await openWarehouse(':memory:');
const tokens = createTokenService(authSecret, config.tokenTtlSeconds);
const app = createApp({ config, db, warehouse, tokens, connectors: {} });

const server = serveGateway(app, { port: 0, hostname: '127.0.0.1' }, (info) =>
  console.log(JSON.stringify({ port: info.port })),
);

process.on('message', async (message: { id: number; ask: string }) => {
  try {
    if (message.ask !== 'audit-count') throw new Error(`unknown question ${message.ask}`);
    const rows = await db.query<{ outcome: string; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM audit_log GROUP BY outcome`,
    );
    process.send?.({
      id: message.id,
      ok: true,
      value: Object.fromEntries(rows.map((r) => [r.outcome, r.n])),
    });
  } catch (err) {
    process.send?.({ id: message.id, ok: false, error: String(err) });
  }
});

process.on('SIGTERM', () => {
  if ('closeAllConnections' in server) server.closeAllConnections();
  server.close(async () => {
    warehouse.close();
    await db.close();
    process.exit(0);
  });
});
