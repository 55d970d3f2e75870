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

/**
 * The counterparts of `npm start`: the simulators on loopback (the default outside production),
 * the real endpoints of a JSON file (CONNECTORS_CONFIG, validated by @hub/connectors), or none.
 */
export async function startConnectors(
  config: Config['connectors'],
  log: (line: string) => void,
  db: Db,
): Promise<{ hub: HubConnectors; close(): Promise<void> } | null> {
  if (config.mode === 'off') return null;
  if (config.mode === 'file') {
    const hub = createHubConnectors(JSON.parse(await readFile(config.file!, 'utf8')));
    log(`connettori: configurazione da ${config.file}`);
    const stop = startSchedules(hub, db);
    return { hub, close: stop };
  }
  const sims = await startSimulators();
  log(
    `connettori: simulatori su loopback (PDND ${sims.urls.pdnd}, ANPR ${sims.urls.anpr}, INPS ISEE ${sims.urls.isee}, anagrafe sanitaria ${sims.urls.aura}, anagrafe comunale ${sims.urls.municipal})`,
  );
  const hub = createHubConnectors(sims.config);
  const stop = startSchedules(hub, db);
  return {
    hub,
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
