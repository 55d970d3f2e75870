import { type AnprClient, type AnprExchange, createAnprClient } from '../anpr/client.ts';
import type { AnprConfigInput } from '../anpr/config-schema.ts';
import { ANPR_SERVICES, type AnprServiceCode } from '../anpr/services.ts';
import { createVoucherClient, type VoucherClient } from '../pdnd/voucher-client.ts';
import type { PolicyOptions } from '../resilience/policy.ts';
import { createPolicy } from '../resilience/policy.ts';
import { createAnprSimulator } from '../simulators/anpr-server.ts';
import type { FaultPlan } from '../simulators/faults.ts';
import { createPdndSimulator } from '../simulators/pdnd-token-server.ts';
import { generatePopulation, type Population } from '../simulators/population.ts';
import { listen } from '../simulators/serve.ts';
import { createPdndClientFixture } from './pdnd-fixture.ts';

export const ANPR_AUDIENCE_BASE =
  'https://modipa-val.anpr.interno.it/govway/rest/in/MinInternoPortaANPR-PDND';
const CODES = Object.keys(ANPR_SERVICES) as AnprServiceCode[];
export const purposeOf = (c: AnprServiceCode) => `purpose-${c.toLowerCase()}`;

/**
 * PDND and ANPR simulators on loopback, a PDND client registered on the first, and an ANPR
 * client configured for both: what the contract, fault and bench runs share.
 */
export async function startAnprWorld(
  opts: {
    families?: number;
    population?: Population;
    anprFaults?: FaultPlan;
    pdndFaults?: FaultPlan;
    policy?: PolicyOptions;
    fetch?: typeof fetch;
    onExchange?: (e: AnprExchange) => void;
    config?: Partial<AnprConfigInput>;
    batchSize?: number;
  } = {},
) {
  const population = opts.population ?? generatePopulation({ families: opts.families ?? 100 });
  const fixture = await createPdndClientFixture(
    Object.fromEntries(
      CODES.map((c) => [purposeOf(c), `${ANPR_AUDIENCE_BASE}/${ANPR_SERVICES[c].path}`]),
    ),
  );
  const pdnd = await createPdndSimulator({
    clients: [fixture.registered],
    assertionAudience: 'sim.interop.pagopa.it/client-assertion',
    faults: opts.pdndFaults,
  });
  const pdndRun = await listen(pdnd.app);
  const anpr = await createAnprSimulator({
    population,
    pdnd: { jwks: pdnd.jwks, issuer: pdnd.issuer },
    clientKeys: (kid) => (kid === fixture.registered.kid ? fixture.publicKey : undefined),
    audienceBase: ANPR_AUDIENCE_BASE,
    faults: opts.anprFaults,
    batchSize: opts.batchSize,
  });
  const anprRun = await listen(anpr.app);
  const vouchers: VoucherClient = createVoucherClient(
    fixture.config(`${pdndRun.url}/token.oauth2`),
  );
  const client: AnprClient = createAnprClient(
    {
      baseUrl: anprRun.url,
      audienceBase: ANPR_AUDIENCE_BASE,
      purposes: Object.fromEntries(CODES.map((c) => [c, purposeOf(c)])),
      responseKeys: anpr.jwks as AnprConfigInput['responseKeys'],
      ...opts.config,
    },
    {
      vouchers,
      fetch: opts.fetch,
      onExchange: opts.onExchange,
      policy: opts.policy ? createPolicy('anpr', opts.policy) : undefined,
    },
  );
  return {
    population,
    fixture,
    pdnd,
    anpr,
    vouchers,
    client,
    urls: { pdnd: pdndRun.url, anpr: anprRun.url },
    async close() {
      await Promise.all([pdndRun.close(), anprRun.close()]);
    },
  };
}
