import { fileURLToPath } from 'node:url';

/** The counterparts' published interface files, copied byte for byte into connectors/specs/. */
const SPECS = fileURLToPath(new URL('../../specs/', import.meta.url));

export const specFile = (relative: string) => `${SPECS}${relative}`;

export const SPEC = {
  pdndToken: specFile('pdnd-modi/pdnd-authorization-server-token.oauth2.idpay-copy.yaml'),
  anpr: {
    C001: specFile('anpr/C001-servizioNotifica.idpay-copy.yaml'),
    C020: specFile('anpr/C020-servizioAccertamentoResidenza.2023-legacy.yaml'),
    C021: specFile('anpr/C021-servizioAccertamentoStatoFamiglia.yaml'),
    C030: specFile('anpr/C030-servizioAccertamentoIdUnicoNazionale.p4pa-copy.yaml'),
  },
  iseeWsdl: specFile('isee/ConsultazioneISEE_v2.8_PDND.wsdl'),
  iseeDir: specFile('isee/'),
  iseeEsitoIndicatore: specFile('isee/ISEE_EsitoConsultazioneIndicatore.xsd'),
  iseeEsitoAttestazione: specFile('isee/ISEE_EsitoConsultazioneAttestazione.xsd'),
  auraFind: specFile('anagrafe-sanitaria/AURA.WS.AnagrafeFind.wsdl'),
  auraSanitaria: specFile('anagrafe-sanitaria/AURA.WS.AnagrafeSanitaria.wsdl'),
  waas: specFile('siuss/WaaS-SIUSS_api-comuni.yaml'),
  siussPsPsaSina: specFile('siuss/PS_PSA_SINA201812.xsd'),
  siussSinba: specFile('siuss/SINBA.xsd'),
  /** Our own assumption, not a counterpart's file (see the WSDL's comment). */
  municipalLookup: specFile('assumed/AnagrafeComunale-RicercaSoggetto.wsdl'),
} as const;
