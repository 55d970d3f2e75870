import { DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_PERSON } from '@hub/casework/demo';
import { readConfig } from './config.ts';
import { startHub } from './hub.ts';
import { serveGateway } from './serve.ts';
import { ensureUiBuilt } from './ui-build.ts';

const config = readConfig();
const log = (line: string) => console.log(`[hub] ${line}`);
ensureUiBuilt(config.uiDir, log);
const hub = await startHub(config, log);
const server = serveGateway(hub.app, { port: config.port }, (info) => {
  const url = `http://localhost:${info.port}`;
  log(
    `archivio: ${hub.db.kind === 'pglite' ? `PGlite in ${config.dataDir}/pglite` : 'PostgreSQL (DATABASE_URL)'}`,
  );
  // GraphiQL exists outside production only (config.ts); the log says what is really there.
  const graphiql = config.development ? `GraphiQL: ${url}/graphql, ` : '';
  log(`pronto su ${url}  (applicazione: ${url}/, ${graphiql}stato: ${url}/health)`);
  if (config.demo) {
    log(`account demo (password "${config.demoPassword === 'demo' ? 'demo' : 'DEMO_PASSWORD'}"):`);
    for (const a of DEMO_ACCOUNTS)
      log(`  ${a.username.padEnd(20)} ${a.role.padEnd(14)} ${a.description}`);
    for (const c of DEMO_CLIENTS)
      log(`  client ${c.clientId.padEnd(13)} ambiti: ${c.scopes.join(' ')}`);
    log(
      `persona demo: ${DEMO_PERSON.firstName} ${DEMO_PERSON.lastName}, codice fiscale ${DEMO_PERSON.taxCode}`,
    );
  }
});

const shutdown = async () => {
  server.close();
  await hub.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
