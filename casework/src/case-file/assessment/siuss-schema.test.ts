import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VALID_SINBA } from '../case-file.fixtures.ts';
import { buildSiussDescriptors } from './siuss-schema.generate.ts';
import {
  SINA_ATTRIBUTES,
  SINA_CODE_LISTS,
  SINBA_ATTRIBUTES,
  SINBA_CODE_LISTS,
} from './siuss-schema.ts';
import { sinaSchema, sinbaAgeBand, sinbaSchema } from './siuss-zod.ts';
import { readXsd } from './xsd-reader.ts';

// INPS's schemas, copied into the repository with their source (casework/data/reference).
const DIR = fileURLToPath(new URL('../../../data/reference/siuss/', import.meta.url));

describe('SIUSS assessment schemas', () => {
  it("should match INPS's XSDs attribute by attribute and code by code", () => {
    const fresh = buildSiussDescriptors(
      readFileSync(`${DIR}SINBA.xsd`, 'utf8'),
      readFileSync(`${DIR}PS_PSA_SINA201812.xsd`, 'utf8'),
    );
    expect(SINBA_ATTRIBUTES).toEqual(fresh.sinbaAttributes);
    expect(SINBA_CODE_LISTS).toEqual(fresh.sinbaCodeLists);
    expect(SINA_ATTRIBUTES).toEqual(fresh.sinaAttributes);
    expect(SINA_CODE_LISTS).toEqual(fresh.sinaCodeLists);
  });

  it('should have the elements of the XSDs', () => {
    const sinba = readXsd(readFileSync(`${DIR}SINBA.xsd`, 'utf8')).complexTypes.get('SinbaType')!;
    expect(sinba.elements.map((e) => [e.name, e.minOccurs])).toEqual([
      ['Prestazioni', 1],
      ['Famiglia', 1],
    ]);
    const sina = readXsd(readFileSync(`${DIR}PS_PSA_SINA201812.xsd`, 'utf8')).complexTypes.get(
      'SINAType',
    )!;
    expect(sina.elements.map((e) => [e.name, e.minOccurs])).toEqual([
      ['NecessitaInterventiSociali', 0],
      ['InvaliditaCivile', 0],
    ]);
    expect(sina.elements[1]!.complexType!.elements[0]).toMatchObject({
      name: 'InvCiv',
      type: 'InvCivType',
    });
  });

  it('should accept a complete SINBA record and refuse what the XSD refuses', () => {
    expect(sinbaSchema.safeParse(VALID_SINBA).success).toBe(true);
    const bad = (patch: Record<string, unknown>) =>
      sinbaSchema.safeParse({ ...VALID_SINBA, ...patch });
    expect(bad({ LuogoVita: '9' }).success).toBe(false);
    expect(bad({ DataPrimaSegnalazione: '2025-03' }).success).toBe(false);
    expect(bad({ DataPrimaSegnalazione: '13/2025' }).success).toBe(false);
    expect(bad({ AnnoNascita: '15' }).success).toBe(false);
    expect(bad({ NumeroComponentiISEE: 10 }).success).toBe(false);
    expect(bad({ NumeroComponentiISEE: 4 }).success).toBe(true);
    expect(bad({ Prestazioni: { CodicePrestazione: ['A2'] } }).success).toBe(false);
    expect(bad({ Famiglia: { ComposizioneFamiglia: [] } }).success).toBe(false);
    expect(bad({ Inventato: '1' }).success).toBe(false);
    const { FonteSegnalazione: _, ...missing } = VALID_SINBA;
    expect(sinbaSchema.safeParse(missing).success).toBe(false);
  });

  it('should accept a SINA record without the optional parts and refuse unknown codes', () => {
    const sina = {
      Mobilita: '1',
      AttivitaVitaQuotidiana: '1',
      DisturbiComportamentali: '1',
      AreaReddituale: '1',
      AreaSupporto: '1',
      FonteDerivazioneValutazione: '2',
      StrumentoValutazione: '1',
    };
    expect(sinaSchema.safeParse(sina).success).toBe(true);
    expect(sinaSchema.safeParse({ ...sina, Mobilita: '4' }).success).toBe(false);
    expect(sinaSchema.safeParse({ ...sina, InvaliditaCivile: { InvCiv: ['9'] } }).success).toBe(
      false,
    );
    expect(sinaSchema.safeParse({ ...sina, InvaliditaCivile: { InvCiv: ['8'] } }).success).toBe(
      true,
    );
  });

  it.each([
    [0, '1'],
    [2, '1'],
    [3, '2'],
    [11, '4'],
    [15, '6'],
    [17, '6'],
    [18, null],
  ])('should put a %i-year-old in SINBA age band %s', (age, band) => {
    expect(sinbaAgeBand(age)).toBe(band);
  });
});
