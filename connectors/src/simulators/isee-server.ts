import type { IncomingMessage } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type * as soap from 'soap';
import { createVoucherVerifier } from '../pdnd/verify-voucher.ts';
import { SPEC } from '../shared/spec-files.ts';
import { escapeXml } from '../shared/xml-validate.ts';
import { createFaults, type FaultPlan } from './faults.ts';
import type { Population, SimFamily, SimPerson } from './population.ts';
import { hostSoap } from './soap-host.ts';

/**
 * INPS's ConsultazioneISEE (WSDL v2.8 "PDND"): ConsultazioneIndicatore and
 * ConsultazioneAttestazione by codice fiscale, answered from the population's families with
 * the base64 XML payloads of ISEE_EsitoConsultazione{Indicatore,Attestazione}.xsd. The caller
 * must bring a PDND voucher for the e-service's audience and the `Identity` SOAP header.
 */
export type IseeSimulatorOptions = {
  population: Population;
  pdnd: { jwks: JSONWebKeySet; issuer: string };
  audience: string;
  faults?: FaultPlan;
  path?: string;
};

export const ISEE_PATH = '/pdnd/soap/ConsultazioneISEE/v1';

const money = (n: number) => n.toFixed(2);
const RELATION: Record<SimPerson['relation'], string> = { '1': 'D', '2': 'C', '3': 'F' };

export function indicatoreXml(p: SimPerson, f: Required<SimFamily>['isee'], tipo: string) {
  return `<?xml version="1.0" encoding="UTF-8"?><Indicatore xmlns="http://inps.it/ISEERiforma" TipoIndicatore="${tipo}" ISE="${money(f.ise)}" ScalaEquivalenza="${money(f.scale)}" ISEE="${money(f.isee)}" ISR="${money(f.isr)}" ISP="${money(f.isp)}" ProtocolloDSU="${f.protocol}" DataPresentazione="${f.presentedOn}"><RicercaCF CodiceFiscale="${p.taxCode}"/></Indicatore>`;
}

export function attestazioneXml(
  p: SimPerson,
  members: SimPerson[],
  f: Required<SimFamily>['isee'],
) {
  const head = members.find((m) => m.relation === '1') ?? p;
  const comps = members
    .map(
      (m) =>
        `<ComponenteNucleo RapportoConDichiarante="${m === head ? 'D' : RELATION[m.relation]}" Cognome="${escapeXml(m.lastName)}" Nome="${escapeXml(m.firstName)}" CodiceFiscale="${m.taxCode}"/>`,
    )
    .join('');
  const calc = `SommaRedditiComponenti="${money(f.isr)}" RedditoFigurativoPatrimonioMobiliare="0" Detrazioni="0" ISR="${money(f.isr)}" PatrimonioMobiliare="${money(f.isp)}" DetrazionePatrimonioMobiliare="0" PatrimonioImmobiliare="0" DetrazionePatrimonioImmobiliare="0" ISP="${money(f.isp)}" ISE="${money(f.ise)}" ParametroNucleo="${money(f.scale)}" Maggiorazioni="0" ScalaEquivalenza="${money(f.scale)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?><EsitoAttestazione xmlns="http://inps.it/ISEERiforma"><Attestazione CodiceFiscaleDichiarante="${head.taxCode}" NumeroProtocolloDSU="${f.protocol}" DataPresentazione="${f.presentedOn}" DataValidita="${f.validUntil}"><Ordinario><NucleoFamiliare>${comps}</NucleoFamiliare><ISEEOrdinario DataRilascio="${f.presentedOn}"><Valori ISE="${money(f.ise)}" ScalaEquivalenza="${money(f.scale)}" ISEE="${money(f.isee)}" ISR="${money(f.isr)}" ISP="${money(f.isp)}"/><ModalitaCalcoloISEEOrdinario ${calc}/></ISEEOrdinario></Ordinario></Attestazione><Ricerca><RicercaCF CodiceFiscale="${p.taxCode}"/></Ricerca></EsitoAttestazione>`;
}

type RicercaCF = { CodiceFiscale?: string; DataValidita?: string };
type SoapHeaders = { Identity?: { UserId?: string; CodiceUfficio?: string } } | undefined;

export async function createIseeSimulator(opts: IseeSimulatorOptions, port = 0) {
  const faults = createFaults(opts.faults ?? null);
  const verify = createVoucherVerifier({
    keys: opts.pdnd.jwks,
    issuer: opts.pdnd.issuer,
    audience: opts.audience,
  });
  let idRichiesta = 1000;
  const stats = { calls: 0, refused: 0 };

  const soapFault = (code: string, text: string) => ({
    Fault: {
      faultcode: `soap:${code}`,
      faultstring: text,
      statusCode: code === 'Client' ? 400 : 500,
    },
  });

  async function guard(headers: SoapHeaders, req: IncomingMessage) {
    stats.calls++;
    try {
      await verify(req.headers['authorization'] as string | undefined);
    } catch (e) {
      stats.refused++;
      throw soapFault('Client', `Voucher PDND non valido: ${(e as Error).message}`);
    }
    if (!headers?.Identity?.UserId || !headers.Identity.CodiceUfficio) {
      stats.refused++;
      throw soapFault('Client', 'Intestazione Identity mancante (UserId, CodiceUfficio)');
    }
    const f = faults.pick(['soapFault', 'malformed']);
    if (f === 'soapFault') throw soapFault('Server', 'Servizio temporaneamente non disponibile');
    return f;
  }

  const lookup = (cf: string | undefined) => {
    const p = cf ? opts.population.byTaxCode.get(cf) : undefined;
    const fam = p ? opts.population.families.get(p.familyId) : undefined;
    return { p, isee: fam?.isee };
  };
  const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

  const services: soap.IServices = {
    SvcConsultazione: {
      BasicHttpBinding_ISvcConsultazione: {
        ConsultazioneIndicatore: async (
          args: { request?: { TipoIndicatore?: string; RicercaCF?: RicercaCF } },
          _cb: unknown,
          headers: SoapHeaders,
          req: IncomingMessage,
        ) => {
          const fault = await guard(headers, req);
          const id = idRichiesta++;
          const r = args.request;
          if (!r?.TipoIndicatore || !r.RicercaCF?.CodiceFiscale) {
            return {
              ConsultazioneIndicatoreResult: {
                IdRichiesta: id,
                Esito: 'RICHIESTA_INVALIDA',
                DescrizioneErrore: 'TipoIndicatore e RicercaCF obbligatori',
              },
            };
          }
          const { p, isee } = lookup(r.RicercaCF.CodiceFiscale);
          if (!p || !isee) {
            return {
              ConsultazioneIndicatoreResult: {
                IdRichiesta: id,
                Esito: 'DATI_NON_TROVATI',
                DescrizioneErrore: 'Nessuna DSU valida per il codice fiscale',
              },
            };
          }
          const xml =
            fault === 'malformed'
              ? '<Indicatore xmlns="http://inps.it/ISEERiforma" ISEE="molto"/>'
              : indicatoreXml(p, isee, r.TipoIndicatore);
          return {
            ConsultazioneIndicatoreResult: {
              IdRichiesta: id,
              Esito: 'OK',
              XmlEsitoIndicatore: b64(xml),
            },
          };
        },
        ConsultazioneAttestazione: async (
          args: { request?: { RicercaCF?: RicercaCF } },
          _cb: unknown,
          headers: SoapHeaders,
          req: IncomingMessage,
        ) => {
          const fault = await guard(headers, req);
          const id = idRichiesta++;
          const cf = args.request?.RicercaCF?.CodiceFiscale;
          if (!cf) {
            return {
              ConsultazioneAttestazioneResult: {
                IdRichiesta: id,
                Esito: 'RICHIESTA_INVALIDA',
                DescrizioneErrore: 'RicercaCF obbligatoria',
              },
            };
          }
          const { p, isee } = lookup(cf);
          if (!p || !isee) {
            return {
              ConsultazioneAttestazioneResult: {
                IdRichiesta: id,
                Esito: 'DATI_NON_TROVATI',
                DescrizioneErrore: 'Nessuna attestazione per il codice fiscale',
              },
            };
          }
          const xml =
            fault === 'malformed'
              ? '<EsitoAttestazione xmlns="http://inps.it/ISEERiforma"/>'
              : attestazioneXml(p, opts.population.members(p.familyId), isee);
          return {
            ConsultazioneAttestazioneResult: {
              IdRichiesta: id,
              Esito: 'OK',
              XmlEsitoAttestazione: b64(xml),
            },
          };
        },
      },
    },
  };
  const host = await hostSoap(
    [{ path: opts.path ?? ISEE_PATH, wsdlFile: SPEC.iseeWsdl, services }],
    faults,
    port,
  );
  return { ...host, endpoint: `${host.url}${opts.path ?? ISEE_PATH}`, faults, stats };
}
