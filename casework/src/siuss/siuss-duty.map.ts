// From a delivery to its SIUSS record: what a delivery INPS requires provides (the beneficiary's
// tax code and personal data, the service code, dates, amounts, the SIUSS character of its
// intervention, the ISEE's DSU, the SINA assessment of a person in care), mapped to the fields of
// PS_PSA_SINA201812.xsd. Each delivery is one benefit: a periodic one with its day as start and
// end and its amount as the monthly amount, an occasional one with its day and amount.
import type { SinaData } from '../case-file/assessment/siuss-zod.ts';
import type { DutyOperation } from './siuss-duty.ts';
import { wireOperation } from './siuss-duty.ts';
import type { PrestazioneSociale, PsRecord } from './siuss-record.ts';

export type SiussDeliveryFacts = {
  deliveryId: string;
  deliveredOn: string;
  quantity: number;
  unit: string;
  amount: number;
  beneficiaryShare: number;
  person: {
    taxCode: string | null;
    firstName: string | null;
    lastName: string | null;
    sex: 'M' | 'F' | null;
    birthDate: string | null;
    birthPlaceCode: string | null;
    /** ISO 3166 alpha-3 as the person registry keeps it. */
    citizenship: string | null;
    /** ISTAT municipality code and its region's ISTAT code. */
    residenceMunicipality: string | null;
    residenceRegion: string | null;
  };
  intervention: {
    standardServiceCode: string;
    serviceTitle: string;
    applicationProtocol: string;
    meansTest: '1' | '2' | '3' | '4';
    benefitCharacter: '1' | '2';
    periodMonths: number | null;
    takenInCare: '1' | '2';
    userArea: '1' | '2' | '3' | null;
    dsuProtocol: string | null;
    dsuOn: string | null;
  };
  sina: SinaData | null;
};

const ITALY = '380';
/** ISO 3166 "non disponibile" (technical specification, Tabella 6). */
const NOT_AVAILABLE = '990';

// The registry keeps ISO alpha-3; SIUSS wants ISO numeric. Only Italy is mapped: no sourced
// alpha-3 → numeric table is in the repository yet, and INPS's own code for "not available" is
// truer than a guessed number.
const citizenshipCode = (c: string | null) => (c?.toUpperCase() === 'ITA' ? ITALY : NOT_AVAILABLE);

const round2 = (n: number) => Math.round(n * 100) / 100;

export function benefitOf(f: SiussDeliveryFacts, operation: DutyOperation): PrestazioneSociale {
  const i = f.intervention;
  const share = round2(Math.min(Math.max(f.beneficiaryShare, 0), f.amount));
  const p: PrestazioneSociale = {
    key: f.deliveryId,
    TipoOperazione: wireOperation(operation),
    PresenzaProvaMezzi: i.meansTest,
    CaratterePrestazione: i.benefitCharacter,
    CodicePrestazione: i.standardServiceCode,
    DenominazionePrestazione: i.serviceTitle,
    ProtocolloDomanda: i.applicationProtocol,
    PresaCarico: i.takenInCare,
  };
  if (i.dsuProtocol && i.dsuOn) {
    p.NumeroProtocolloDSU = i.dsuProtocol;
    p.AnnoProtocolloDSU = i.dsuOn.slice(0, 4);
    p.DataDSU = i.dsuOn;
  }
  if (i.benefitCharacter === '1') {
    p.DataInizioPrestazione = f.deliveredOn;
    p.DataFinePrestazione = f.deliveredOn;
    p.ImportoMensile = f.amount;
    if (i.periodMonths) p.PeriodoErogazione = i.periodMonths;
    if (f.unit === 'HOUR') p.OreServizioMensile = f.quantity;
  } else {
    p.DataErogazionePrestazione = f.deliveredOn;
    p.ImportoPrestazione = f.amount;
  }
  if (round2(f.amount - share) > 0) p.ImportoQuotaEnte = round2(f.amount - share);
  if (share > 0) p.ImportoQuotaUtente = share;
  if (i.userArea) p.AreaUtenza = i.userArea;
  if (f.sina) p.SINA = f.sina;
  return p;
}

/** The record of one delivery: its beneficiary with the one benefit (the WaaS rule). */
export function recordOf(f: SiussDeliveryFacts, operation: DutyOperation): PsRecord {
  const p = f.person;
  return {
    key: f.deliveryId,
    CodiceFiscale: p.taxCode ?? '',
    Anagrafica: {
      Cognome: p.lastName ?? '',
      Nome: p.firstName ?? '',
      AnnoNascita: p.birthDate?.slice(0, 4) ?? '',
      LuogoNascita: p.birthPlaceCode ?? '',
      Genere: p.sex === 'M' ? '1' : p.sex === 'F' ? '2' : ('' as '1'),
      CodiceCittadinanza: citizenshipCode(p.citizenship),
    },
    Indirizzo: [
      {
        ...(p.residenceRegion ? { CodiceRegione: p.residenceRegion } : {}),
        ...(p.residenceMunicipality ? { CodiceComune: p.residenceMunicipality } : {}),
        CodiceNazione: ITALY,
      },
    ],
    PrestazioniSociali: [benefitOf(f, operation)],
  };
}
