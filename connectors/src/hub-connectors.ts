import { z } from 'zod';
import { type AnprClient, createAnprClient } from './anpr/client.ts';
import { anprConfigSchema } from './anpr/config-schema.ts';
import { ANPR_SERVICES } from './anpr/services.ts';
import { createAuraHealthRegistry } from './health-registry/aura-client.ts';
import { auraConfigSchema } from './health-registry/config-schema.ts';
import type { HealthRegistry } from './health-registry/types.ts';
import { createIseeClient, type IseeClient } from './isee/client.ts';
import { iseeConfigSchema } from './isee/config-schema.ts';
import {
  createMunicipalLookupClient,
  municipalLookupConfigSchema,
} from './municipal-registry/lookup-client.ts';
import { pdndConfigSchema } from './pdnd/config-schema.ts';
import { createVoucherClient } from './pdnd/voucher-client.ts';
import { type CounterpartRegistry, createCounterpartRegistry } from './resilience/health.ts';
import { createPolicy } from './resilience/policy.ts';
import { parseConfig } from './shared/config.ts';

/**
 * Every connector of a hub from one configuration (a JSON file in production, the simulators'
 * addresses on loopback in development), sharing one PDND client and one registry of circuit
 * breakers, which the gateway's `/health` reports.
 */
export const hubConnectorsConfigSchema = z.object({
  pdnd: pdndConfigSchema,
  anpr: anprConfigSchema.optional(),
  isee: iseeConfigSchema.optional(),
  healthRegistry: auraConfigSchema.optional(),
  municipalLookup: municipalLookupConfigSchema.optional(),
});

export type HubConnectorsConfigInput = z.input<typeof hubConnectorsConfigSchema>;

export type HubConnectors = {
  anpr: AnprClient | null;
  isee: IseeClient | null;
  healthRegistry: (HealthRegistry & { policy: unknown }) | null;
  municipalLookup: ReturnType<typeof createMunicipalLookupClient> | null;
  counterparts: CounterpartRegistry;
  /** One check per counterpart, as `createApp({ connectors })` takes them. */
  healthChecks(): Record<string, () => Promise<void>>;
};

export function createHubConnectors(
  input: HubConnectorsConfigInput,
  deps: { fetch?: typeof fetch } = {},
): HubConnectors {
  const config = parseConfig(hubConnectorsConfigSchema, input, 'connectors');
  const doFetch = deps.fetch ?? fetch;
  const counterparts = createCounterpartRegistry();
  const vouchers = createVoucherClient(config.pdnd, { fetch: doFetch });
  const pdnd = counterparts.register(
    createPolicy('pdnd', { timeoutMs: config.pdnd.requestTimeoutMs }),
  );
  const anpr = config.anpr
    ? createAnprClient(config.anpr, {
        vouchers,
        fetch: doFetch,
        policy: counterparts.register(
          createPolicy('anpr', { timeoutMs: config.anpr.timeoutMs, retries: config.anpr.retries }),
        ),
      })
    : null;
  const isee = config.isee
    ? createIseeClient(config.isee, {
        vouchers,
        policy: counterparts.register(
          createPolicy('isee', { timeoutMs: config.isee.timeoutMs, retries: config.isee.retries }),
        ),
      })
    : null;
  const healthRegistry = config.healthRegistry
    ? createAuraHealthRegistry(config.healthRegistry, {
        policy: counterparts.register(
          createPolicy('health-registry', {
            timeoutMs: config.healthRegistry.timeoutMs,
            retries: config.healthRegistry.retries,
          }),
        ),
      })
    : null;
  const municipalLookup = config.municipalLookup
    ? createMunicipalLookupClient(config.municipalLookup, {
        policy: counterparts.register(
          createPolicy('municipal-registry', {
            timeoutMs: config.municipalLookup.timeoutMs,
            retries: config.municipalLookup.retries,
          }),
        ),
      })
    : null;

  const status = (url: string) => async () => {
    const res = await doFetch(url, { signal: AbortSignal.timeout(1500) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  };
  return {
    anpr,
    isee,
    healthRegistry,
    municipalLookup,
    counterparts,
    healthChecks() {
      // Beside the breaker's state, the REST counterparts' published `GET /status` is asked.
      const probes: Record<string, () => Promise<void>> = {
        pdnd: (() => {
          const check = status(new URL('/status', config.pdnd.tokenUrl).href);
          return () => pdnd.run(() => check(), { idempotent: true });
        })(),
      };
      if (config.anpr) {
        probes['anpr'] = status(
          `${config.anpr.baseUrl.replace(/\/$/, '')}/${ANPR_SERVICES.C030.path}/status`,
        );
      }
      return counterparts.checks(probes);
    },
  };
}
