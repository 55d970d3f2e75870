import { describe, expect, it } from 'vitest';
import { dayInRome, shiftDay, todayInRome } from './today.ts';

describe('todayInRome', () => {
  it.each([
    // Winter (CET, UTC+1): the day turns at 23:00 UTC.
    ['2026-01-15T22:59:59Z', '2026-01-15'],
    ['2026-01-15T23:00:00Z', '2026-01-16'],
    // 29 March 2026, 01:00 UTC: clocks go forward (CEST, UTC+2).
    ['2026-03-28T22:59:59Z', '2026-03-28'],
    ['2026-03-28T23:30:00Z', '2026-03-29'],
    ['2026-03-29T00:59:59Z', '2026-03-29'],
    ['2026-03-29T22:00:00Z', '2026-03-30'],
    // Summer (CEST): the day turns at 22:00 UTC.
    ['2026-07-01T21:59:59Z', '2026-07-01'],
    ['2026-07-01T22:00:00Z', '2026-07-02'],
    // 25 October 2026, 01:00 UTC: clocks go back (CET).
    ['2026-10-24T22:00:00Z', '2026-10-25'],
    ['2026-10-25T22:59:59Z', '2026-10-25'],
    ['2026-10-25T23:00:00Z', '2026-10-26'],
    // New year and a leap day.
    ['2026-12-31T23:00:00Z', '2027-01-01'],
    ['2028-02-28T23:30:00Z', '2028-02-29'],
  ])('should date %s as %s in Rome', (instant, day) => {
    expect(todayInRome(new Date(instant))).toBe(day);
    expect(dayInRome(new Date(instant))).toBe(day);
  });

  it('should give the same day as UTC in the afternoon', () => {
    expect(todayInRome(new Date('2026-05-10T14:00:00Z'))).toBe('2026-05-10');
  });

  it('should default to now', () => {
    const before = todayInRome(new Date());
    const now = todayInRome();
    expect([before, todayInRome(new Date())]).toContain(now);
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('shiftDay', () => {
  it.each([
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-25', -1, '2026-10-24'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
  ])('should move %s by %i day(s) to %s, whatever the clock change', (day, n, expected) => {
    expect(shiftDay(day, n)).toBe(expected);
  });
});
