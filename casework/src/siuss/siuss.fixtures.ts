// Valid SIUSS records for tests and benches: periodic home care, an occasional cash contribution
// with ISEE, a person in care with a SINA assessment, a minor's SINBA record.
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { SINBA_ASSESSMENT_DATA } from '../testing/sinba.ts';
import type { FlowHeader, PrestazioneSociale, PsRecord, SinbaRecord } from './siuss-record.ts';

export const FLOW_HEADER: FlowHeader = {
  Nome: 'G478.PS.20260115.0000001',
  Ente: {
    Codice: 'G478',
    Denominazione: 'Comune di Perugia',
    Indirizzo: 'G478',
    CFOperatore: computeTaxCode({
      firstName: 'Anna',
      lastName: 'Operatrice',
      sex: 'F',
      birthDate: '1980-04-12',
      birthPlaceCode: 'G478',
    }),
  },
};

const FIRST = ['Mario', 'Giulia', 'Luca', 'Chiara', 'Paolo', 'Sara', 'Franco', 'Elena'];
const LAST = ['Rossi', 'Bianchi', 'Verdi', 'Ferri', 'Conti', 'Galli', 'Marini', 'Sarti'];

/** A tax code per person number (a few hundred distinct ones, cycled). */
const CODES = Array.from({ length: 512 }, (_, i) =>
  computeTaxCode({
    firstName: FIRST[i % 8]!,
    lastName: LAST[(i >> 3) % 8]!,
    sex: i % 2 === 0 ? 'M' : 'F',
    birthDate: `19${40 + (i % 50)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    birthPlaceCode: 'G478',
  }),
);

export function periodicBenefit(key: string, over: Partial<PrestazioneSociale> = {}) {
  return {
    key,
    TipoOperazione: 'I',
    PresenzaProvaMezzi: '4',
    CaratterePrestazione: '1',
    CodicePrestazione: 'A2.07',
    DenominazionePrestazione: 'Assistenza domiciliare socio-assistenziale',
    ProtocolloDomanda: `PG-${key}`,
    DataInizioPrestazione: '2026-01-01',
    DataFinePrestazione: '2026-01-31',
    PeriodoErogazione: 1,
    ImportoMensile: 420.5,
    ImportoQuotaEnte: 400.5,
    ImportoQuotaUtente: 20,
    OreServizioMensile: 20,
    PresaCarico: '2',
    ...over,
  } satisfies PrestazioneSociale as PrestazioneSociale;
}

export function occasionalBenefit(key: string, over: Partial<PrestazioneSociale> = {}) {
  return {
    key,
    PresenzaProvaMezzi: '1',
    CaratterePrestazione: '2',
    NumeroProtocolloDSU: 'INPS-ISEE-2026-00001234A-00',
    AnnoProtocolloDSU: '2026',
    DataDSU: '2026-01-10',
    CodicePrestazione: 'A1.04',
    DenominazionePrestazione: 'Contributi economici a integrazione del reddito Familiare',
    ProtocolloDomanda: `PG-${key}`,
    DataErogazionePrestazione: '2026-01-20',
    ImportoPrestazione: 300,
    ImportoSogliaISEE: 9360,
    PresaCarico: '1',
    AreaUtenza: '3',
    ...over,
  } satisfies PrestazioneSociale as PrestazioneSociale;
}

export function inCareWithSina(key: string): PrestazioneSociale {
  return periodicBenefit(key, {
    CodicePrestazione: 'A2.08',
    DenominazionePrestazione: 'A.D.I.- Assistenza domiciliare integrata con servizi Sanitari',
    PresaCarico: '1',
    AreaUtenza: '2',
    ImportoQuotaSSN: 100,
    ImportoQuotaEnte: 300.5,
    SINA: {
      Mobilita: '2',
      AttivitaVitaQuotidiana: '2',
      DisturbiComportamentali: '1',
      AreaReddituale: '2',
      AreaSupporto: '2',
      FonteDerivazioneValutazione: '1',
      StrumentoValutazione: '1',
      NecessitaInterventiSociali: { CodicePrestazione: ['A2.07', 'A1.11'] },
      InvaliditaCivile: { InvCiv: ['2'] },
    },
  });
}

/** A beneficiary living in Perugia with the given benefits (default: one periodic). */
export function psRecord(i: number, benefits?: PrestazioneSociale[]): PsRecord {
  return {
    key: `R${i}`,
    CodiceFiscale: CODES[i % CODES.length]!,
    Anagrafica: {
      Cognome: LAST[(i >> 3) % 8]!,
      Nome: FIRST[i % 8]!,
      AnnoNascita: String(1940 + (i % 50)),
      LuogoNascita: 'G478',
      Genere: i % 2 === 0 ? '1' : '2',
      CodiceCittadinanza: '380',
    },
    Indirizzo: [{ CodiceRegione: '10', CodiceComune: '054039', CodiceNazione: '380' }],
    PrestazioniSociali: benefits ?? [periodicBenefit(`B${i}`)],
  };
}

export function sinbaRecord(i: number): SinbaRecord {
  return {
    key: `M${i}`,
    IDBeneficiario: `MIN${String(i).padStart(8, '0')}`,
    ...SINBA_ASSESSMENT_DATA,
    FasciaEtaBeneficiario: '4',
    AnnoNascita: '2015',
    CodiceNazioneResidenza: '380',
    Prestazioni: { CodicePrestazione: ['A2.02'] },
  };
}
