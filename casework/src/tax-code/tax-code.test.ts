import { describe, expect, it } from 'vitest';
import {
  birthDateOf,
  checkCharacter,
  computeTaxCode,
  deOmocode,
  parseTaxCode,
  taxCodeProblem,
} from './tax-code.ts';

describe('parseTaxCode', () => {
  it('should accept a valid code and decode sex, birth date and place', () => {
    // Mario Rossi, born in Roma (H501) on 1980-01-01: RSSMRA80A01H501U
    const r = parseTaxCode('RSSMRA80A01H501U');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ sex: 'M', birthMonth: 1, birthDay: 1, birthPlaceCode: 'H501' });
    expect(birthDateOf(r.value, new Date('2026-01-01'))).toBe('1980-01-01');
  });

  it('should decode a woman from the day plus 40', () => {
    const code = computeTaxCode({
      firstName: 'Anna',
      lastName: 'Bianchi',
      sex: 'F',
      birthDate: '2001-07-15',
      birthPlaceCode: 'G478',
    });
    expect(code.slice(9, 11)).toBe('55');
    const r = parseTaxCode(code);
    expect(r.ok && r.value.sex).toBe('F');
    expect(r.ok && birthDateOf(r.value, new Date('2026-01-01'))).toBe('2001-07-15');
  });

  it.each([
    ['RSSMRA80A01H501', 'LENGTH'],
    ['RSSMRA80Z01H501U', 'FORMAT'],
    ['1SSMRA80A01H501U', 'FORMAT'],
    ['RSSMRA80A01H501A', 'CHECK_CHARACTER'],
  ])('should refuse %s with %s', (code, problem) => {
    const r = parseTaxCode(code);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe(problem);
  });

  it('should refuse day 00 once the check character is right', () => {
    const first15 = 'RSSMRA80A00H501';
    const r = parseTaxCode(first15 + checkCharacter(first15));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe('DAY');
  });

  it('should accept omocodic variants and decode them as the base code', () => {
    const input = {
      firstName: 'Giuseppe',
      lastName: 'Verdi',
      sex: 'M' as const,
      birthDate: '1955-12-31',
      birthPlaceCode: 'Z100',
    };
    const base = computeTaxCode(input);
    for (let level = 1; level <= 7; level++) {
      const omo = computeTaxCode(input, level);
      const r = parseTaxCode(omo);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.value.omocode).toBe(true);
      expect(deOmocode(omo).slice(0, 15)).toBe(base.slice(0, 15));
      expect(r.value.birthPlaceCode).toBe('Z100');
    }
  });

  it('should compute the name part from the 1st, 3rd and 4th consonant when there are four', () => {
    expect(
      computeTaxCode({
        firstName: 'Gianfranco',
        lastName: 'Fo',
        sex: 'M',
        birthDate: '1960-03-02',
        birthPlaceCode: 'A475',
      }).slice(0, 6),
    ).toBe('FOXGFR');
  });
});

describe('taxCodeProblem', () => {
  it('should give the same verdict as parseTaxCode, omocodia and day included', () => {
    const base = computeTaxCode({
      firstName: 'Anna',
      lastName: 'Bianchi',
      sex: 'F',
      birthDate: '2001-07-15',
      birthPlaceCode: 'G478',
    });
    // The day 55 as omocodia letters (5 → R), and days out of range, each with its check character.
    const withCheck = (first15: string) => first15 + checkCharacter(first15);
    const codes = [
      base,
      withCheck(`${base.slice(0, 9)}RR${base.slice(11, 15)}`),
      withCheck(`${base.slice(0, 9)}00${base.slice(11, 15)}`),
      withCheck(`${base.slice(0, 9)}72${base.slice(11, 15)}`),
      withCheck(`${base.slice(0, 9)}32${base.slice(11, 15)}`),
      'RSSMRA80A01H501U',
      'RSSMRA80A01H501',
      'RSSMRA80Z01H501U',
      'RSSMRA80A01H501A',
      ' rssmra80a01h501u ',
    ];
    const verdicts = codes.map((c) => {
      const r = parseTaxCode(c);
      return r.ok ? null : r.problem;
    });
    expect(verdicts).toEqual([
      null,
      null,
      'DAY',
      'DAY',
      'DAY',
      null,
      'LENGTH',
      'FORMAT',
      'CHECK_CHARACTER',
      null,
    ]);
    expect(codes.map(taxCodeProblem)).toEqual(verdicts);
  });
});
