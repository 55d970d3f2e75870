import { describe, expect, it } from 'vitest';
import { changeOf, monthsRange, periodLabel, periodStarts, periodsOf } from './periods.ts';

describe('the periods of a cruscotto', () => {
  it('should offer the last complete calendar periods, the most recent first', () => {
    expect(periodStarts('month', '2026-12-02', 2)).toEqual(['2026-11-01', '2026-10-01']);
    expect(periodStarts('quarter', '2026-12-02', 2)).toEqual(['2026-07-01', '2026-04-01']);
    expect(periodStarts('quarter', '2026-01-15', 1)).toEqual(['2025-10-01']);
    expect(periodStarts('year', '2026-12-02', 2)).toEqual(['2025-01-01', '2024-01-01']);
  });

  it('should compare a quarter with the one before and the same quarter a year before', () => {
    expect(periodsOf('quarter', '2026-01-01')).toEqual({
      current: ['2026-01-01', '2026-03-31'],
      previous: ['2025-10-01', '2025-12-31'],
      lastYear: ['2025-01-01', '2025-03-31'],
    });
  });

  it('should end February on its last day, leap years included', () => {
    expect(periodsOf('month', '2028-02-01').current).toEqual(['2028-02-01', '2028-02-29']);
    expect(monthsRange('2027-03-10', 1)).toEqual(['2027-02-01', '2027-02-28']);
    expect(periodsOf('year', '2025-01-01').previous).toEqual(['2024-01-01', '2024-12-31']);
  });

  it('should name the periods in Italian', () => {
    expect(periodLabel('month', '2026-11-01')).toBe('novembre 2026');
    expect(periodLabel('quarter', '2026-07-01')).toBe('3° trimestre 2026');
    expect(periodLabel('year', '2025-01-01')).toBe('2025');
  });
});

describe('changeOf', () => {
  it('should give the difference and the percentage', () => {
    expect(changeOf(120, 100)).toEqual({ delta: 20, percent: 20 });
  });

  it('should give no percentage against zero, and nothing against a suppressed value', () => {
    expect(changeOf(5, 0)).toEqual({ delta: 5, percent: null });
    expect(changeOf(null, 4)).toBeNull();
    expect(changeOf(4, null)).toBeNull();
  });
});
