import { ANPR_SERVICES, type AnprServiceCode } from '../anpr/services.ts';
import type { HubConnectorsConfigInput } from '../hub-connectors.ts';
import { createPdndClientFixture } from '../testing/pdnd-fixture.ts';
import { createAnprSimulator } from './anpr-server.ts';
import { createAuraSimulator } from './aura-server.ts';
import type { FaultPlan } from './faults.ts';
import { createIseeSimulator, ISEE_PATH } from './isee-server.ts';
import { createMunicipalLookupSimulator } from './municipal-lookup-server.ts';
import { createPdndSimulator } from './pdnd-token-server.ts';
import { generatePopulation, type Population } from './population.ts';
import { listen } from './serve.ts';

/** The purpose INPS's PDND agreement for the WaaS e-service bears, on the simulator. */
export const INPS_WAAS_PURPOSE = 'inps-waas-siuss';

/**
 * Every counterpart's simulator on loopback, over one population, and the connectors'
 * configuration that points at them: what `npm start` runs when no real endpoints are set.
 * The PDND client's key is made here, at each start, and registered on the PDND simulator.
 */
export async function startSimulators(
  opts: {
    families?: number;
    seed?: number;
    population?: Population;
    faults?: FaultPlan;
    municipalityIstat?: string;
    /**
     * The audience of the hub's WaaS e-service (its `/waas/v1` URL): INPS is then registered on
     * the PDND simulator as a client with an approved purpose for it, so that INPS's vouchers
     * for the WaaS API come from the same PDND as every other voucher.
     */
    waasAudience?: string;
  } = {},
) {
  const population =
    opts.population ??
    generatePopulation({ families: opts.families ?? 1000, seed: opts.seed ?? 42 });
  const anprAudience = 'https://modipa-val.anpr.interno.it/govway/rest/in/MinInternoPortaANPR-PDND';
  const iseeAudience = `https://api.inps.it${ISEE_PATH}`;
  const codes = Object.keys(ANPR_SERVICES) as AnprServiceCode[];
  const purposes: Record<string, string> = Object.fromEntries(
    codes.map((c) => [`anpr-${c}`, `${anprAudience}/${ANPR_SERVICES[c].path}`]),
  );
  purposes['isee'] = iseeAudience;
  const fixture = await createPdndClientFixture(purposes);
  const inps = opts.waasAudience
    ? await createPdndClientFixture({ [INPS_WAAS_PURPOSE]: opts.waasAudience })
    : null;
  const pdnd = await createPdndSimulator({
    clients: inps ? [fixture.registered, inps.registered] : [fixture.registered],
    assertionAudience: 'sim.interop.pagopa.it/client-assertion',
  });
  const pdndRun = await listen(pdnd.app);
  const anpr = await createAnprSimulator({
    population,
    pdnd: { jwks: pdnd.jwks, issuer: pdnd.issuer },
    clientKeys: (kid) => (kid === fixture.registered.kid ? fixture.publicKey : undefined),
    audienceBase: anprAudience,
    faults: opts.faults,
  });
  const anprRun = await listen(anpr.app);
  const isee = await createIseeSimulator({
    population,
    pdnd: { jwks: pdnd.jwks, issuer: pdnd.issuer },
    audience: iseeAudience,
    faults: opts.faults,
  });
  const aura = await createAuraSimulator({ population, faults: opts.faults });
  const municipalityIstat = opts.municipalityIstat ?? '054039'; // Perugia
  const municipal = await createMunicipalLookupSimulator({
    population,
    municipalityIstat,
    faults: opts.faults,
  });
  const config: HubConnectorsConfigInput = {
    pdnd: fixture.config(`${pdndRun.url}/token.oauth2`),
    anpr: {
      baseUrl: anprRun.url,
      audienceBase: anprAudience,
      purposes: Object.fromEntries(codes.map((c) => [c, `anpr-${c}`])),
      responseKeys: anpr.jwks as never,
    },
    isee: { endpoint: isee.endpoint, purposeId: 'isee', officeCode: 'SIM-0001' },
    healthRegistry: { findEndpoint: aura.findEndpoint, profileEndpoint: aura.profileEndpoint },
    municipalLookup: { endpoint: municipal.endpoint },
  };
  return {
    population,
    config,
    /** INPS as a PDND client of the WaaS e-service (with `waasAudience`): who it is, its purpose, its voucher client. */
    inpsWaas: inps
      ? {
          clientId: inps.registered.clientId,
          purposeId: INPS_WAAS_PURPOSE,
          audience: opts.waasAudience!,
          voucherClient: inps.config(`${pdndRun.url}/token.oauth2`),
        }
      : null,
    simulators: { pdnd, anpr, isee, aura, municipal },
    urls: {
      pdnd: pdndRun.url,
      anpr: anprRun.url,
      isee: isee.endpoint,
      aura: aura.url,
      municipal: municipal.endpoint,
    },
    async close() {
      await Promise.all([
        pdndRun.close(),
        anprRun.close(),
        isee.close(),
        aura.close(),
        municipal.close(),
      ]);
    },
  };
}
