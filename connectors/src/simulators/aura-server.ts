import type { IncomingMessage } from 'node:http';
import type * as soap from 'soap';
import { SPEC } from '../shared/spec-files.ts';
import { createFaults, type FaultPlan } from './faults.ts';
import type { Population, SimPerson } from './population.ts';
import { hostSoap } from './soap-host.ts';

/**
 * Piemonte's AURA health registry (AnagrafeFind and AnagrafeSanitaria, from their WSDLs),
 * answering from the population. Elements are written in the order the WSDL's sequences give.
 */
export const AURA_FIND_PATH = '/sanitxens/AURA.WS.AnagrafeFind.cls';
export const AURA_PROFILE_PATH = '/sanitxens/AURA.WS.AnagrafeSanitaria.cls';

const dt = (d: string | undefined) => (d ? `${d}T00:00:00` : undefined);
const ok = { codiceRitorno: '0' };

function datiAnagrafici(p: SimPerson) {
  return {
    idProfiloAnagrafico: p.health.auraId,
    codiceFiscale: p.taxCode,
    cognome: p.lastName,
    nome: p.firstName,
    sesso: p.sex,
    dataNascita: dt(p.birthDate),
    comuneNascita: p.birthPlace.name.toUpperCase(),
    codiceComuneNascita: p.birthPlace.istat,
    provinciaNascita: p.birthPlace.province,
    ...(p.deathDate ? { dataDecesso: dt(p.deathDate) } : {}),
  };
}

function soggettoAura(p: SimPerson) {
  const d = p.health.doctor;
  return {
    idAura: p.health.auraId,
    infoAnag: {
      datiPrimari: {
        codiceFiscale: p.taxCode,
        cognome: p.lastName,
        ...(p.deathDate ? { dataDecesso: dt(p.deathDate) } : {}),
        dataNascita: dt(p.birthDate),
        nome: p.firstName,
        sesso: p.sex,
      },
      residenza: {
        cap: p.residence.cap,
        codComune: p.residence.municipality.istat,
        descComune: p.residence.municipality.name.toUpperCase(),
        indirizzo: `${p.residence.streetKind} ${p.residence.street}`,
        numCivico: p.residence.number,
        dataInizio: dt(p.residence.since),
      },
    },
    infoSan: {
      aslAssistenza: p.health.asl,
      codiceFiscaleMedico: d.taxCode,
      codRegionaleMedico: d.regionalCode,
      cognomeMedico: d.lastName,
      dataInizioASL: dt(p.residence.since),
      dataInizioAssMedico: dt(d.since),
      nomeMedico: d.firstName,
    },
    infoEsenzioni: {
      infoesenzione: p.health.exemptions.map((e, i) => ({
        codEsenzione: e.code,
        descEsenzione: e.description,
        ...(e.to ? { fineValEsenzione: e.to } : {}),
        idEsenzione: p.health.auraId * 10 + i,
        inizioValEsenzione: e.from,
      })),
    },
  };
}

export async function createAuraSimulator(
  opts: {
    population: Population;
    faults?: FaultPlan;
    basicAuth?: { username: string; password: string };
  },
  port = 0,
) {
  const faults = createFaults(opts.faults ?? null);
  const pop = opts.population;
  const stats = { calls: 0, refused: 0 };
  const guard = (req: IncomingMessage) => {
    stats.calls++;
    if (opts.basicAuth) {
      const want = `Basic ${Buffer.from(`${opts.basicAuth.username}:${opts.basicAuth.password}`).toString('base64')}`;
      if (req.headers.authorization !== want) {
        stats.refused++;
        throw {
          Fault: {
            faultcode: 'soap:Client',
            faultstring: 'Credenziali non valide',
            statusCode: 401,
          },
        };
      }
    }
    if (faults.pick(['soapFault']))
      throw {
        Fault: { faultcode: 'soap:Server', faultstring: 'ERRORE #5002: servizio non disponibile' },
      };
  };

  const find: soap.IServices = {
    AnagrafeFind: {
      AnagrafeFindSoap: {
        FindProfiliAnagrafici: (
          args: {
            profiliRequest?: {
              codiceFiscale?: string;
              cognome?: string;
              nome?: string;
              dataNascita?: string;
            };
          },
          _cb: unknown,
          _h: unknown,
          req: IncomingMessage,
        ) => {
          guard(req);
          const r = args.profiliRequest ?? {};
          const matches = r.codiceFiscale
            ? [pop.byTaxCode.get(r.codiceFiscale.toUpperCase())].filter(
                (p): p is SimPerson => p !== undefined,
              )
            : pop.persons.filter(
                (p) =>
                  p.lastName === r.cognome?.toUpperCase() &&
                  p.firstName === r.nome?.toUpperCase() &&
                  (!r.dataNascita || p.birthDate === r.dataNascita.slice(0, 10)),
              );
          return {
            FindProfiliAnagraficiResult: {
              header: ok,
              body: { elencoProfili: { datianagrafici: matches.slice(0, 50).map(datiAnagrafici) } },
            },
          };
        },
      },
    },
  };
  const profile: soap.IServices = {
    AnagrafeSanitaria: {
      AnagrafeSanitariaSoap: {
        GetProfiloSanitario: (
          args: { AURAid?: string },
          _cb: unknown,
          _h: unknown,
          req: IncomingMessage,
        ) => {
          guard(req);
          const p = pop.byAuraId.get(Number(args.AURAid));
          // An unknown id: an answer without a body (what AURA does is not documented).
          return {
            GetProfiloSanitarioResult: p ? { header: ok, body: soggettoAura(p) } : { header: ok },
          };
        },
      },
    },
  };
  const host = await hostSoap(
    [
      { path: AURA_FIND_PATH, wsdlFile: SPEC.auraFind, services: find },
      { path: AURA_PROFILE_PATH, wsdlFile: SPEC.auraSanitaria, services: profile },
    ],
    faults,
    port,
  );
  return {
    ...host,
    findEndpoint: `${host.url}${AURA_FIND_PATH}`,
    profileEndpoint: `${host.url}${AURA_PROFILE_PATH}`,
    faults,
    stats,
  };
}
