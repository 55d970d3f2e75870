import { describe, expect, it } from 'vitest';
import { changeOf, monthsRange, periodsOf } from './periods.ts';

describe('periodsOf', () => {
  it('should take whole months ending with the last complete one', () => {
    expect(periodsOf('month', '2026-12-02')).toEqual({
      current: ['2026-11-01', '2026-11-30'],
      previous: ['2026-10-01', '2026-10-31'],
      lastYear: ['2025-11-01', '2025-11-30'],
    });
  });

  it('should cross the year for a quarter and compare with the same quarter a year before', () => {
    expect(periodsOf('quarter', '2026-02-15')).toEqual({
      current: ['2025-11-01', '2026-01-31'],
      previous: ['2025-08-01', '2025-10-31'],
      lastYear: ['2024-11-01', '2025-01-31'],
    });
  });

  it('should end February on its last day, leap years included', () => {
    expect(monthsRange('2028-03-10', 1)).toEqual(['2028-02-01', '2028-02-29']);
    expect(periodsOf('year', '2027-01-01').current).toEqual(['2026-01-01', '2026-12-31']);
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
