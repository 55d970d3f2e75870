import { readFile } from 'node:fs/promises';
import {
  type Counterparts,
  createRegistryNotificationStore,
  createSyncRunHistory,
  type Db,
  recordCounterpartExchange,
  SYSTEM_ACTOR,
  selectRegistryPopulation,
} from '@hub/casework';
import {
  type AnprClient,
  anprNotificationsJob,
  createHubConnectors,
  createNotificationPuller,
  createSyncScheduler,
  type HubConnectors,
  isConnectorError,
  personOf,
} from '@hub/connectors';
import { populationFromPersons, startSimulators } from '@hub/connectors/simulators';
import type { Config } from './config.ts';
import type { WaasVoucherConfig } from './rest/waas-voucher.ts';

export type StartedConnectors = {
  hub: HubConnectors;
  /** The connectors as casework's services call them. */
  counterparts: Counterparts;
  close(): Promise<void>;
};

/**
 * The counterparts of `npm start`: the simulators on loopback (the default outside production),
 * the real endpoints of a JSON file (CONNECTORS_CONFIG, validated by @hub/connectors), or none.
 * The simulators answer about the store's own persons (the demo region's), so that a look-up of
 * a demo person in ANPR, INPS or the health registry agrees with what the hub holds.
 */
export async function startConnectors(
  config: Config['connectors'],
  log: (line: string) => void,
  db: Db,
  waas?: Config['waas'],
): Promise<(StartedConnectors & { waasVoucher?: WaasVoucherConfig }) | null> {
  if (config.mode === 'off') return null;
  if (config.mode === 'file') {
    const hub = createHubConnectors(JSON.parse(await readFile(config.file!, 'utf8')));
    log(`connettori: configurazione da ${config.file}`);
    const stop = startSchedules(hub, db);
    return { hub, counterparts: counterpartsOf(hub), close: stop };
  }
  const persons = await selectRegistryPopulation(db);
  // INPS is registered on the PDND simulator for our WaaS e-service, unless a real PDND is set.
  const sims = await startSimulators({
    ...(waas && !waas.pdnd ? { waasAudience: waas.audience } : {}),
    ...(persons.length > 0 ? { population: populationFromPersons(persons) } : {}),
  });
  log(
    `connettori: simulatori su loopback (PDND ${sims.urls.pdnd}, ANPR ${sims.urls.anpr}, INPS ISEE ${sims.urls.isee}, anagrafe sanitaria ${sims.urls.aura}, anagrafe comunale ${sims.urls.municipal}), ${persons.length > 0 ? `${sims.population.persons.length} persone dell'archivio` : 'popolazione generata'}`,
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
    counterparts: counterpartsOf(hub),
    close: async () => {
      await stop();
      await sims.close();
    },
  };
}

/** The hub's connectors in the shapes casework's services take (casework/src/exchanges). */
export function counterpartsOf(hub: HubConnectors): Counterparts {
  const anpr = hub.anpr;
  const isee = hub.isee;
  return {
    anpr: anpr
      ? {
          person: async (taxCode, ctx) =>
            personOf(
              await anpr.consult('C020', { taxCode }, ctx),
              'C020',
              new Date().toISOString(),
            ),
        }
      : null,
    healthRegistry: hub.healthRegistry,
    isee: isee ? { indicator: (taxCode, type, ctx) => isee.indicator(taxCode, type, ctx) } : null,
  };
}

/** ANPR as the system's own jobs call it: every exchange audited in the store, as SYSTEM. */
function auditedAnpr(client: AnprClient, db: Db): AnprClient {
  return {
    config: client.config,
    policy: client.policy,
    async consult(service, subject, ctx) {
      const started = performance.now();
      const record = (outcome: string, remote: string | null) =>
        recordCounterpartExchange(db, SYSTEM_ACTOR, {
          counterpart: 'anpr',
          service,
          reason: ctx.reason,
          subjectTaxCode: subject && 'taxCode' in subject ? subject.taxCode : null,
          remoteOperationId: remote,
          outcome,
          durationMs: performance.now() - started,
        });
      try {
        const answer = await client.consult(service, subject, ctx);
        await record('OK', answer.idOperazioneANPR ?? null);
        return answer;
      } catch (e) {
        await record(isConnectorError(e) ? e.code : 'ERROR', null);
        throw e;
      }
    },
  };
}

/**
 * ANPR's change notifications (C001), pulled on their schedule into the store: each applied to
 * its person once, the operators of the person's open case files told; each run in the store's
 * run history, each pull in the exchange audit.
 */
function startSchedules(hub: HubConnectors, db: Db): () => Promise<void> {
  if (!hub.anpr?.config.purposes.C001) return async () => undefined;
  const puller = createNotificationPuller({
    client: auditedAnpr(hub.anpr, db),
    store: createRegistryNotificationStore(db),
    handle: async () => undefined,
  });
  const scheduler = createSyncScheduler({
    history: createSyncRunHistory(db),
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
