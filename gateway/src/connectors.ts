import { readFile } from 'node:fs/promises';
import { createHubConnectors, type HubConnectors } from '@hub/connectors';
import { startSimulators } from '@hub/connectors/simulators';
import type { Config } from './config.ts';

/**
 * The counterparts of `npm start`: the simulators on loopback (the default outside production),
 * the real endpoints of a JSON file (CONNECTORS_CONFIG, validated by @hub/connectors), or none.
 */
export async function startConnectors(
  config: Config['connectors'],
  log: (line: string) => void,
): Promise<{ hub: HubConnectors; close(): Promise<void> } | null> {
  if (config.mode === 'off') return null;
  if (config.mode === 'file') {
    const hub = createHubConnectors(JSON.parse(await readFile(config.file!, 'utf8')));
    log(`connettori: configurazione da ${config.file}`);
    return { hub, close: async () => undefined };
  }
  const sims = await startSimulators();
  log(
    `connettori: simulatori su loopback (PDND ${sims.urls.pdnd}, ANPR ${sims.urls.anpr}, INPS ISEE ${sims.urls.isee}, anagrafe sanitaria ${sims.urls.aura}, anagrafe comunale ${sims.urls.municipal})`,
  );
  return { hub: createHubConnectors(sims.config), close: () => sims.close() };
}
