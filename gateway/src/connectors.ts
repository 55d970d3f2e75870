import { readFile } from 'node:fs/promises';
import { createRegistryNotificationStore, type Db } from '@hub/casework';
import {
  anprNotificationsJob,
  createHubConnectors,
  createNotificationPuller,
  createSyncScheduler,
  type HubConnectors,
} from '@hub/connectors';
import { startSimulators } from '@hub/connectors/simulators';
import type { Config } from './config.ts';
import type { WaasVoucherConfig } from './rest/waas-voucher.ts';

/**
 * The counterparts of `npm start`: the simulators on loopback (the default outside production),
 * the real endpoints of a JSON file (CONNECTORS_CONFIG, validated by @hub/connectors), or none.
 */
export async function startConnectors(
  config: Config['connectors'],
  log: (line: string) => void,
  db: Db,
  waas?: Config['waas'],
): Promise<{
  hub: HubConnectors;
  /** With the simulators: INPS as a client of the PDND simulator, for the WaaS voucher check. */
  waasVoucher?: WaasVoucherConfig;
  close(): Promise<void>;
} | null> {
  if (config.mode === 'off') return null;
  if (config.mode === 'file') {
    const hub = createHubConnectors(JSON.parse(await readFile(config.file!, 'utf8')));
    log(`connettori: configurazione da ${config.file}`);
    const stop = startSchedules(hub, db);
    return { hub, close: stop };
  }
  // INPS is registered on the PDND simulator for our WaaS e-service, unless a real PDND is set.
  const sims = await startSimulators(waas && !waas.pdnd ? { waasAudience: waas.audience } : {});
  log(
    `connettori: simulatori su loopback (PDND ${sims.urls.pdnd}, ANPR ${sims.urls.anpr}, INPS ISEE ${sims.urls.isee}, anagrafe sanitaria ${sims.urls.aura}, anagrafe comunale ${sims.urls.municipal})`,
  );
  const hub = createHubConnectors(sims.config);
  const stop = startSchedules(hub, db);
  const inps = sims.inpsWaas;
  if (inps && waas)
    log(
      `WaaS SIUSS: voucher PDND verificati sul simulatore PDND (INPS client ${inps.clientId}, finalità ${inps.purposeId}, audience ${inps.audience})`,
    );
  return {
    hub,
    ...(inps && waas
      ? {
          waasVoucher: {
            keys: sims.simulators.pdnd.jwks,
            issuer: sims.simulators.pdnd.issuer,
            audience: inps.audience,
            clientIds: [inps.clientId],
            purposeIds: [inps.purposeId],
            hubClient: waas.hubClient,
          },
        }
      : {}),
    close: async () => {
      await stop();
      await sims.close();
    },
  };
}

/**
 * ANPR's change notifications (C001), pulled on their schedule into the store: each applied to
 * its person once, the operators of the person's open case files told.
 */
function startSchedules(hub: HubConnectors, db: Db): () => Promise<void> {
  if (!hub.anpr?.config.purposes.C001) return async () => undefined;
  const puller = createNotificationPuller({
    client: hub.anpr,
    store: createRegistryNotificationStore(db),
    handle: async () => undefined,
  });
  const scheduler = createSyncScheduler({
    jobs: [
      anprNotificationsJob({
        puller,
        ctx: {
          reason: 'Aggiornamento anagrafico (notifiche ANPR C001)',
          operatorId: 'hub',
          workstation: 'hub',
        },
      }),
    ],
  });
  scheduler.start();
  return () => scheduler.stop();
}
