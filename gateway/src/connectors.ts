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
  familyOf,
  type HubConnectors,
  isConnectorError,
  personOf,
} from '@hub/connectors';
import {
  addPersonsToPopulation,
  type Population,
  populationFromPersons,
  startSimulators,
} from '@hub/connectors/simulators';
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
    const sync = startSchedules(hub, db);
    return {
      hub,
      counterparts: { ...counterpartsOf(hub), registrySync: sync.registrySync },
      close: sync.stop,
    };
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
  const sync = startSchedules(hub, db);
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
    counterparts: {
      ...withLateRegistrations(counterpartsOf(hub), sims.population, db),
      registrySync: sync.registrySync,
    },
    close: async () => {
      await sync.stop();
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
          family: async (taxCode, ctx) => {
            const answer = await anpr.consult('C021', { taxCode }, ctx);
            return { members: familyOf(answer), operationId: answer.idOperazioneANPR ?? null };
          },
        }
      : null,
    healthRegistry: hub.healthRegistry,
    isee: isee ? { indicator: (taxCode, type, ctx) => isee.indicator(taxCode, type, ctx) } : null,
  };
}

/**
 * The simulators answer about the store's persons, read when they started: a person registered
 * since is added to their population on the first look-up of their codice fiscale, so that
 * ANPR, INPS and the health registry know them as they know the others. Simulators only.
 */
export function withLateRegistrations(c: Counterparts, pop: Population, db: Db): Counterparts {
  const ensure = async (taxCode: string) => {
    if (!pop.byTaxCode.has(taxCode))
      addPersonsToPopulation(pop, await selectRegistryPopulation(db, [taxCode]));
  };
  const { anpr, isee, healthRegistry } = c;
  return {
    ...c,
    anpr: anpr && {
      async person(taxCode, ctx) {
        await ensure(taxCode);
        return anpr.person(taxCode, ctx);
      },
      async family(taxCode, ctx) {
        await ensure(taxCode);
        return anpr.family(taxCode, ctx);
      },
    },
    isee: isee && {
      async indicator(taxCode, type, ctx) {
        await ensure(taxCode);
        return isee.indicator(taxCode, type, ctx);
      },
    },
    healthRegistry: healthRegistry && {
      registry: healthRegistry.registry,
      async findPersons(q, ctx) {
        await ensure(q.taxCode);
        return healthRegistry.findPersons(q, ctx);
      },
      healthProfile: (id, ctx) => healthRegistry.healthProfile(id, ctx),
    },
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
 * The registry synchronisation of the store (ANPR's change notifications, C001): each
 * notification applied to its person once, the operators of the person's open case files told;
 * each run in the store's run history, each pull in the exchange audit. Null when ANPR has no
 * C001 purpose configured. Not started: `startSchedules` starts it, a test runs it by hand.
 */
export function createRegistrySync(hub: HubConnectors, db: Db) {
  if (!hub.anpr?.config.purposes.C001) return null;
  const puller = createNotificationPuller({
    client: auditedAnpr(hub.anpr, db),
    store: createRegistryNotificationStore(db),
    handle: async () => undefined,
  });
  const jobs = [
    anprNotificationsJob({
      puller,
      ctx: {
        reason: 'Aggiornamento anagrafico (notifiche ANPR C001)',
        operatorId: 'hub',
        workstation: 'hub',
      },
    }),
  ];
  const scheduler = createSyncScheduler({ history: createSyncRunHistory(db), jobs });
  return {
    scheduler,
    /** The administrator's "sincronizza ora" (casework's syncRegistryNow). */
    registrySync: {
      jobs: jobs.map((j) => j.name),
      runNow: (job: string) => scheduler.runNow(job),
    } satisfies NonNullable<Counterparts['registrySync']>,
  };
}

/** The registry synchronisation on its schedules, and how to stop it. */
function startSchedules(
  hub: HubConnectors,
  db: Db,
): { registrySync: Counterparts['registrySync']; stop: () => Promise<void> } {
  const sync = createRegistrySync(hub, db);
  if (!sync) return { registrySync: null, stop: async () => undefined };
  sync.scheduler.start();
  return { registrySync: sync.registrySync, stop: () => sync.scheduler.stop() };
}
