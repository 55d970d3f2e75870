// The SIUSS records as INPS's schemas define them: a PS/PSA beneficiary with its benefits
// (PS_PSA_SINA201812.xsd BeneficiarioType, PrestazioniSocialiType, with the SINA assessment of
// SINAType) and a SINBA record for a minor (SINBA.xsd SinbaType). Attribute names are the XSD's
// own; code values are typed from the lists generated out of the XSDs, so a code INPS does not
// know does not compile.
import type { SinaData, SinbaData } from '../case-file/assessment/siuss-zod.ts';
import type { FLOW_CODE_LISTS } from './siuss-flow-schema.ts';

type CodeOf<L extends keyof typeof FLOW_CODE_LISTS> = (typeof FLOW_CODE_LISTS)[L][number]['code'];

/** The two flows INPS takes (WaaS `tipo`). */
export const FLOW_KINDS = ['PS_PSA_SINA', 'SINBA'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

/**
 * What a record asks INPS to do. The schema's TipoOperazione knows only I (insertion, the
 * default) and C (cancellation): a variation of a benefit INPS already holds travels as the
 * cancellation of the record it holds followed by the insertion of the corrected one, so the
 * benefit is counted once at every moment (see siuss-duty.ts).
 */
export type TipoOperazione = CodeOf<'TipoOperazioneType'>;
export type SiussOperation = 'INSERT' | 'VARIATION' | 'CANCEL';

/** The sending body (EnteType): the municipality or ambito, and the operator who sends. */
export type Ente = {
  /** Codice Ente (INPS access code; the Belfiore code for a municipality). */
  Codice: string;
  Denominazione?: string;
  /** Belfiore code of the body's seat (4 characters). */
  Indirizzo: string;
  /** Tax code of the operator sending the flow. */
  CFOperatore: string;
};

export type Anagrafica = {
  Cognome: string;
  Nome: string;
  AnnoNascita: string;
  /** Belfiore code of the place of birth. */
  LuogoNascita: string;
  Genere: CodeOf<'GenereType'>;
  /** ISO 3166 numeric (380 Italy, 990 not available). */
  CodiceCittadinanza: string;
  CodiceSecondaCittadinanza?: string;
};

export type Indirizzo = {
  /** Required when CodiceNazione is 380 (technical specification, Tabella 7). */
  CodiceRegione?: string;
  /** ISTAT municipality code (6 digits); required when CodiceNazione is 380. */
  CodiceComune?: string;
  CodiceNazione: string;
};

/** One benefit (PrestazioniSocialiType); `key` is ours (the delivery), never written. */
export type PrestazioneSociale = {
  key: string;
  TipoOperazione?: TipoOperazione;
  PresenzaProvaMezzi: CodeOf<'PresenzaProvaMezziType'>;
  /** Optional in the XSD, required by the technical specification (Tabella 9). */
  CaratterePrestazione?: CodeOf<'CaratterePrestazioneType'>;
  NumeroProtocolloDSU?: string;
  AnnoProtocolloDSU?: string;
  DataDSU?: string;
  CodicePrestazione: string;
  DenominazionePrestazione: string;
  ProtocolloDomanda: string;
  DataEvento?: string;
  DataInizioPrestazione?: string;
  DataFinePrestazione?: string;
  DataErogazionePrestazione?: string;
  ImportoPrestazione?: number;
  PeriodoErogazione?: number;
  ImportoMensile?: number;
  ImportoQuotaEnte?: number;
  ImportoQuotaUtente?: number;
  ImportoQuotaSSN?: number;
  ImportoQuotaRichiesta?: number;
  ImportoSogliaISEE?: number;
  OreServizioMensile?: number;
  PresaCarico: CodeOf<'PresaCaricoType'>;
  AreaUtenza?: CodeOf<'AreaUtenzaType'>;
  SINA?: SinaData;
};

/** A beneficiary with its benefits (BeneficiarioType): one record of a PS_PSA_SINA flow. */
export type PsRecord = {
  /** Ours (the beneficiary or the delivery), never written: names the record in reports. */
  key: string;
  CodiceFiscale: string;
  Anagrafica: Anagrafica;
  /** 1 to 5 addresses. */
  Indirizzo: Indirizzo[];
  PrestazioniSociali: PrestazioneSociale[];
};

/** A minor's record (SinbaType): one record of a SINBA flow. */
export type SinbaRecord = SinbaData & { key: string };

export type FlowHeader = {
  /** IdentificazioneFlusso Nome, also the WaaS id_flusso: `<ente>.<PS|SINBA>.<yyyymmdd>.<nnnnnnn>`. */
  Nome: string;
  Ente: Ente;
};

export type RecordOf<K extends FlowKind> = K extends 'SINBA' ? SinbaRecord : PsRecord;

/** The WaaS flow id: `EEEE.TIPO.AAAAMMGG.NNNNNNN` (technical specification 3.2). */
export function flowName(enteCode: string, kind: FlowKind, day: string, progressive: number) {
  const tipo = kind === 'SINBA' ? 'SINBA' : 'PS';
  return `${enteCode}.${tipo}.${day.replaceAll('-', '')}.${String(progressive).padStart(7, '0')}`;
}
