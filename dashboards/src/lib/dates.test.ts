import { describe, expect, it } from 'vitest';
import { itDate, normaliseItDate, parseItDate, parseItDates, todayIt, toItDate } from './dates.ts';

describe('parseItDate', () => {
  it('should read gg/mm/aaaa with or without leading zeros and other separators', () => {
    expect(parseItDate('03/02/2026')).toEqual({ ok: true, iso: '2026-02-03' });
    expect(parseItDate(' 3/2/2026 ')).toEqual({ ok: true, iso: '2026-02-03' });
    expect(parseItDate('03-02-2026')).toEqual({ ok: true, iso: '2026-02-03' });
    expect(parseItDate('03.02.2026')).toEqual({ ok: true, iso: '2026-02-03' });
  });

  it('should take an ISO date pasted as it is, and empty as no date', () => {
    expect(parseItDate('2026-02-03')).toEqual({ ok: true, iso: '2026-02-03' });
    expect(parseItDate('  ')).toEqual({ ok: true, iso: null });
  });

  it('should refuse a day that does not exist instead of rolling it over', () => {
    expect(parseItDate('31/02/2026')).toEqual({ ok: false });
    expect(parseItDate('29/02/2025')).toEqual({ ok: false });
    expect(parseItDate('29/02/2024')).toEqual({ ok: true, iso: '2024-02-29' });
    expect(parseItDate('00/01/2026')).toEqual({ ok: false });
    expect(parseItDate('12/13/2026')).toEqual({ ok: false });
  });

  it('should refuse what is not a date, the two-digit year and the month first', () => {
    expect(parseItDate('domani')).toEqual({ ok: false });
    expect(parseItDate('3/2/26')).toEqual({ ok: false });
    expect(parseItDate('2026/02/03')).toEqual({ ok: false });
  });
});

describe('toItDate and normaliseItDate', () => {
  it('should write an ISO date as gg/mm/aaaa and nothing as empty', () => {
    expect(toItDate('2026-02-03')).toBe('03/02/2026');
    expect(toItDate('2026-02-03T10:00:00Z')).toBe('03/02/2026');
    expect(toItDate(null)).toBe('');
  });

  it('should show a missing date in a list or table as a dash', () => {
    expect(itDate('1984-10-29')).toBe('29/10/1984');
    expect(itDate(null)).toBe('—');
    expect(itDate(undefined)).toBe('—');
  });

  it('should write a typed date out in full and leave a wrong one as typed', () => {
    expect(normaliseItDate('3/2/2026')).toBe('03/02/2026');
    expect(normaliseItDate('31/02/2026')).toBe('31/02/2026');
    expect(normaliseItDate('')).toBe('');
  });

  it('should give the local day', () => {
    expect(todayIt(new Date(2026, 0, 5, 0, 30))).toBe('05/01/2026');
  });
});

describe('parseItDates', () => {
  it('should give each date as the API’s, an empty one as null', () => {
    expect(parseItDates({ from: '3/2/2026', to: '' })).toEqual({
      ok: true,
      iso: { from: '2026-02-03', to: null },
    });
  });

  it('should name the first wrong date, and a required one left empty', () => {
    expect(parseItDates({ from: '31/02/2026', to: 'ieri' })).toEqual({
      ok: false,
      field: 'from',
      empty: false,
    });
    expect(parseItDates({ on: ' ', until: '' }, ['on'])).toEqual({
      ok: false,
      field: 'on',
      empty: true,
    });
    expect(parseItDates({ on: '', until: '' }, ['until'])).toMatchObject({ field: 'until' });
  });
});
