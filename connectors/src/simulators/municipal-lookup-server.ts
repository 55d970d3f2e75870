import type * as soap from 'soap';
import { SPEC } from '../shared/spec-files.ts';
import { createFaults, type FaultPlan } from './faults.ts';
import type { Population, SimPerson } from './population.ts';
import { hostSoap } from './soap-host.ts';

/** A municipality's registry look-up service (the hub's assumed WSDL), for one municipality. */
export const MUNICIPAL_LOOKUP_PATH = '/anagrafe/RicercaSoggetto';

const soggetto = (p: SimPerson) => ({
  codiceFiscale: p.taxCode,
  cognome: p.lastName,
  nome: p.firstName,
  sesso: p.sex,
  dataNascita: p.birthDate,
  codiceIstatComuneNascita: p.birthPlace.istat,
  codiceFamiglia: p.familyId,
  rapportoParentela: p.relation,
  codiceIstatComuneResidenza: p.residence.municipality.istat,
  indirizzo: `${p.residence.streetKind} ${p.residence.street}`,
  civico: p.residence.number,
  cap: p.residence.cap,
  dataDecorrenzaResidenza: p.residence.since,
  statoAnagrafe: p.deathDate ? 1 : 0,
  ...(p.deathDate ? { dataDecesso: p.deathDate } : {}),
});

export async function createMunicipalLookupSimulator(
  opts: { population: Population; municipalityIstat: string; faults?: FaultPlan },
  port = 0,
) {
  const faults = createFaults(opts.faults ?? null);
  const services: soap.IServices = {
    AnagrafeComunale: {
      AnagrafeComunalePort: {
        RicercaSoggetto: (args: { codiceFiscale?: string; motivoRichiesta?: string }) => {
          if (faults.pick(['soapFault']))
            throw { Fault: { faultcode: 'soap:Server', faultstring: 'anagrafe non disponibile' } };
          if (!args.motivoRichiesta)
            return {
              esito: 'RICHIESTA_NON_VALIDA',
              descrizioneEsito: 'motivoRichiesta obbligatorio',
            };
          const p = args.codiceFiscale
            ? opts.population.byTaxCode.get(args.codiceFiscale)
            : undefined;
          if (!p || p.residence.municipality.istat !== opts.municipalityIstat)
            return { esito: 'NON_TROVATO' };
          return {
            esito: 'OK',
            soggetto: soggetto(p),
            componentiFamiglia: { componente: opts.population.members(p.familyId).map(soggetto) },
          };
        },
      },
    },
  };
  const host = await hostSoap(
    [{ path: MUNICIPAL_LOOKUP_PATH, wsdlFile: SPEC.municipalLookup, services }],
    faults,
    port,
  );
  return { ...host, endpoint: `${host.url}${MUNICIPAL_LOOKUP_PATH}`, faults };
}
