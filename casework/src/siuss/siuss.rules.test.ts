import { describe, expect, it } from 'vitest';
import {
  inCareWithSina,
  occasionalBenefit,
  periodicBenefit,
  psRecord,
  sinbaRecord,
} from './siuss.fixtures.ts';
import { checkPsRecord, checkSinbaRecord } from './siuss.rules.ts';
import type { PrestazioneSociale } from './siuss-record.ts';

const codesOf = (p: Partial<PrestazioneSociale>, base = periodicBenefit) =>
  checkPsRecord(psRecord(1, [base('B1', p)])).map((i) => [i.code, i.field]);

describe('SIUSS pre-validation rules', () => {
  it('should pass the valid records', () => {
    expect(checkPsRecord(psRecord(1))).toEqual([]);
    expect(checkPsRecord(psRecord(2, [occasionalBenefit('B2'), inCareWithSina('B3')]))).toEqual([]);
    expect(checkSinbaRecord(sinbaRecord(1))).toEqual([]);
  });

  it.each<[string, Partial<PrestazioneSociale>, string, string]>([
    [
      'a periodic benefit without start',
      { DataInizioPrestazione: undefined },
      'REQUIRED_FOR_PERIODIC',
      'DataInizioPrestazione',
    ],
    [
      'a periodic benefit without monthly amount',
      { ImportoMensile: undefined, ImportoQuotaEnte: undefined, ImportoQuotaUtente: undefined },
      'REQUIRED_FOR_PERIODIC',
      'ImportoMensile',
    ],
    [
      'no character',
      { CaratterePrestazione: undefined },
      'CHARACTER_REQUIRED',
      'CaratterePrestazione',
    ],
    [
      'an end before the start',
      { DataFinePrestazione: '2025-12-31' },
      'END_BEFORE_START',
      'DataFinePrestazione',
    ],
    [
      'an end in the next year',
      { DataFinePrestazione: '2027-01-31' },
      'END_IN_ANOTHER_YEAR',
      'DataFinePrestazione',
    ],
    [
      'shares that do not add up',
      { ImportoQuotaUtente: 25 },
      'SHARES_MISMATCH',
      'ImportoQuotaEnte',
    ],
    [
      'a zero amount',
      { ImportoMensile: 0, ImportoQuotaEnte: 0, ImportoQuotaUtente: 0 },
      'AMOUNT_NOT_POSITIVE',
      'ImportoMensile',
    ],
    ['in care without user area', { PresaCarico: '1' }, 'USER_AREA_REQUIRED', 'AreaUtenza'],
    [
      'in care for disability without SINA',
      { PresaCarico: '1', AreaUtenza: '2' },
      'SINA_REQUIRED',
      'SINA',
    ],
    ['half a DSU', { NumeroProtocolloDSU: 'X1' }, 'DSU_INCOMPLETE', 'DataDSU'],
    [
      'an ISEE benefit without DSU',
      { PresenzaProvaMezzi: '1' },
      'DSU_REQUIRED',
      'NumeroProtocolloDSU',
    ],
    [
      'a control character',
      { DenominazionePrestazione: 'Assistenza\u0007 domiciliare' },
      'INVALID_CHARACTER',
      'DenominazionePrestazione',
    ],
  ])('should refuse %s, naming the field', (_, patch, code, field) => {
    expect(codesOf(patch)).toContainEqual([code, `PrestazioniSociali[0].${field}`]);
  });

  it('should refuse an occasional benefit without date or amount', () => {
    expect(
      codesOf(
        { DataErogazionePrestazione: undefined, ImportoPrestazione: undefined },
        occasionalBenefit,
      ),
    ).toEqual([
      ['REQUIRED_FOR_OCCASIONAL', 'PrestazioniSociali[0].DataErogazionePrestazione'],
      ['REQUIRED_FOR_OCCASIONAL', 'PrestazioniSociali[0].ImportoPrestazione'],
    ]);
  });

  it('should check only the identity of a cancellation', () => {
    expect(codesOf({ TipoOperazione: 'C', DataInizioPrestazione: undefined })).toEqual([]);
  });

  it('should name the record, the benefit and the address', () => {
    const r = psRecord(7, [periodicBenefit('D-42', { PresaCarico: '1' })]);
    r.Indirizzo = [{ CodiceNazione: '380' }];
    r.CodiceFiscale = `${r.CodiceFiscale.slice(0, 15)}${r.CodiceFiscale[15] === 'A' ? 'B' : 'A'}`;
    expect(checkPsRecord(r)).toMatchObject([
      { record: 'R7', benefit: null, field: 'CodiceFiscale', code: 'INVALID_TAX_CODE' },
      {
        record: 'R7',
        benefit: null,
        field: 'Indirizzo[0].CodiceRegione',
        code: 'ADDRESS_INCOMPLETE',
      },
      { record: 'R7', benefit: 'D-42', field: 'PrestazioniSociali[0].AreaUtenza' },
    ]);
  });

  it('should refuse a SINBA record the schema refuses', () => {
    expect(checkSinbaRecord({ ...sinbaRecord(3), LuogoVita: '9' })).toMatchObject([
      { record: 'M3', field: 'LuogoVita', code: 'SCHEMA' },
    ]);
  });
});
