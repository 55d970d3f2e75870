import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Db, loadServiceCatalog, loadTerritory, migrate, openDb } from '@hub/casework';
import { isStoreEmpty, loadDemoRegion } from '@hub/casework/demo';
import { type EtlScheduler, scheduleEtl } from '@hub/etl';
import { openWarehouse, type Warehouse } from '@hub/warehouse';
import { createApp } from './app.ts';
import { createTokenService } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { startConnectors } from './connectors.ts';
import type { WaasVoucherConfig } from './rest/waas-voucher.ts';

export type Hub = {
  app: ReturnType<typeof createApp>;
  db: Db;
  warehouse: Warehouse;
  demoLoaded: boolean;
  close(): Promise<void>;
};

/** Opens the store and the warehouse, migrates, loads the demo region when asked, builds the app. */
export async function startHub(
  config: Config,
  log: (line: string) => void = () => undefined,
): Promise<Hub> {
  await mkdir(config.dataDir, { recursive: true });
  const db = await openDb(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
  );
  const applied = await migrate(db);
  if (applied.length > 0) log(`migrazioni applicate: ${applied.join(', ')}`);
  const empty = await isStoreEmpty(db);
  // Reference data (territory, nomenclator) is loaded at every start: idempotent, and an updated
  // release brings its new rows with it.
  await loadTerritory(db);
  await loadServiceCatalog(db);
  let demoLoaded = false;
  if (config.demo && empty) {
    log('archivio vuoto: carico la regione demo (Umbria), circa due minuti la prima volta…');
    const started = performance.now();
    const result = await loadDemoRegion(db, {
      password: config.demoPassword,
      persons: config.demoPersons,
      intake: { recordsPerThousandResidents: config.demoIntakePerThousand },
      cases: {},
      deliveries: {},
      log,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(
      `regione demo caricata in ${seconds} s: ${result.personsTotal} persone, ` +
        `${result.intakeRecords ?? 0} schede di accesso, ${result.caseFiles ?? 0} cartelle sociali`,
    );
    // PGlite runs no autovacuum: without fresh statistics the planner misjudges the new tables.
    await db.exec('VACUUM (ANALYZE)');
    demoLoaded = true;
  }
  const warehouse = await openWarehouse(config.warehousePath);
  const authSecret = config.authSecret ?? (await secretFile(config.dataDir, 'auth-secret'));
  // Generated now so that the ETL finds it; it never enters the warehouse itself.
  const pseudonymKey = config.pseudonymKey ?? (await secretFile(config.dataDir, 'pseudonym-key'));
  // The ETL runs in the hub, the only writer of the warehouse file: an empty warehouse is built
  // on the first tick, then kept fresh from the change log.
  let etl: EtlScheduler | null = null;
  if (config.etl.enabled) {
    etl = scheduleEtl(
      { db, warehouse, pseudonymKey },
      {
        incrementalCron: config.etl.incrementalCron ?? undefined,
        fullCron: config.etl.fullCron ?? undefined,
        log,
      },
    );
    void etl.runNow();
  }
  const tokens = createTokenService(authSecret, config.tokenTtlSeconds);
  const connectors = await startConnectors(config.connectors, log, db, config.waas);
  const app = createApp({
    config,
    db,
    warehouse,
    tokens,
    connectors: connectors?.hub.healthChecks() ?? {},
    waasVoucher: waasVoucherOf(config.waas, connectors?.waasVoucher),
    counterparts: connectors?.counterparts,
  });
  return {
    app,
    db,
    warehouse,
    demoLoaded,
    close: async () => {
      await connectors?.close();
      await etl?.stop();
      warehouse.close();
      await db.close();
    },
  };
}

async function secretFile(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(path, 'utf8')).trim();
  }
}

/** INPS's voucher check: a configured PDND, else the simulators' PDND, else none. */
function waasVoucherOf(
  waas: Config['waas'],
  simulated: WaasVoucherConfig | undefined,
): WaasVoucherConfig | null {
  if (waas.pdnd)
    return {
      keys: new URL(waas.pdnd.jwksUrl),
      issuer: waas.pdnd.issuer,
      audience: waas.audience,
      clientIds: waas.pdnd.clientIds,
      purposeIds: waas.pdnd.purposeIds,
      hubClient: waas.hubClient,
    };
  return simulated ?? null;
}
