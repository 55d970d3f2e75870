import { describe, expect, it } from 'vitest';
import { CaseworkError } from '../errors.ts';
import {
  amountOf,
  checkCeiling,
  checkQuantity,
  checkWithinPeriod,
  expectedDays,
  overlapOf,
  planTariffVersion,
  shareOf,
  tariffInForce,
} from './deliveries.rules.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CaseworkError) return `${e.code} ${e.field ?? ''}`.trim();
    throw e;
  }
  return 'OK';
};

const V1 = { id: 'v1', unitCost: 20, validFrom: '2026-01-01', validTo: '2026-07-01' };
const V2 = { id: 'v2', unitCost: 22.5, validFrom: '2026-07-01', validTo: null };

describe('tariffInForce', () => {
  it.each([
    ['2025-12-31', null],
    ['2026-01-01', 'v1'],
    ['2026-06-30', 'v1'],
    ['2026-07-01', 'v2'],
    ['2030-01-01', 'v2'],
  ])('should pick on %s the version %s (the end is exclusive)', (day, id) => {
    expect(tariffInForce([V1, V2], day)?.id ?? null).toBe(id);
  });
});

describe('planTariffVersion', () => {
  it('should close the open version where the new one starts', () => {
    expect(planTariffVersion([V1, V2], { validFrom: '2027-01-01', validTo: null })).toEqual({
      close: { id: 'v2', validTo: '2027-01-01' },
    });
  });
  it.each([
    [
      'starts on the open version’s start',
      [V1, V2],
      '2026-07-01',
      null,
      'TARIFF_OVERLAP input.validFrom',
    ],
    [
      'starts before the latest version',
      [V1, V2],
      '2026-03-01',
      null,
      'TARIFF_OVERLAP input.validFrom',
    ],
    ['leaves days after a closed version', [V1], '2026-07-05', null, 'TARIFF_GAP input.validFrom'],
    ['starts inside a closed version', [V1], '2026-06-01', null, 'TARIFF_OVERLAP input.validFrom'],
    ['meets a closed version exactly', [V1], '2026-07-01', null, 'OK'],
    ['ends before it starts', [], '2026-07-01', '2026-07-01', 'BAD_USER_INPUT input.validTo'],
    ['is the first of its key', [], '2026-07-01', null, 'OK'],
  ])('should answer a version that %s', (_, versions, validFrom, validTo, expected) => {
    expect(codeOf(() => planTariffVersion(versions, { validFrom, validTo }))).toBe(expected);
  });
});

describe('money', () => {
  it.each([
    [3, 20, 60],
    [1.5, 22.5, 33.75],
    [0.1, 0.2, 0.02],
    [7.25, 19.99, 144.93],
    [10_000, 999_999.99, 9_999_999_900],
  ])('should price %d × %d at %d exactly', (q, c, amount) => {
    expect(amountOf(q, c)).toBe(amount);
  });
  it('should take the beneficiary share to the cent', () => {
    expect(shareOf(144.93, 10)).toBe(14.49);
    expect(shareOf(100, 0)).toBe(0);
  });
});

describe('checks', () => {
  it.each([
    [0, 'INVALID_QUANTITY q'],
    [-1, 'INVALID_QUANTITY q'],
    [1.234, 'INVALID_QUANTITY q'],
    [Number.NaN, 'INVALID_QUANTITY q'],
    [0.01, 'OK'],
  ])('should check the quantity %d', (q, expected) => {
    expect(codeOf(() => checkQuantity(q, 'q'))).toBe(expected);
  });
  it.each([
    ['2026-01-31', 'DELIVERY_OUTSIDE_PERIOD d'],
    ['2026-02-01', 'OK'],
    ['2026-02-28', 'OK'],
    ['2026-03-01', 'DELIVERY_OUTSIDE_PERIOD d'],
  ])('should keep a delivery of %s within the period', (day, expected) => {
    expect(
      codeOf(() => checkWithinPeriod(day, { startOn: '2026-02-01', endOn: '2026-02-28' }, 'd')),
    ).toBe(expected);
  });
  it.each([
    [900, 100, 'OK'],
    [900, 100.01, 'CONTRACT_CEILING_EXCEEDED q'],
  ])('should hold the ceiling of 1000 with %d spent and %d more', (spent, amount, expected) => {
    expect(
      codeOf(() => checkCeiling({ ceilingAmount: 1000, reference: 'C1' }, spent, amount, 'q')),
    ).toBe(expected);
  });
});

describe('expectedDays', () => {
  it('should expect a weekly delivery every 7 days, never past the end', () => {
    expect(
      expectedDays(
        { startOn: '2026-03-02', endOn: '2026-03-23', periodUnit: 'WEEK' },
        '2026-12-31',
      ),
    ).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']);
  });
  it('should expect a monthly delivery on the same day, the 31st on the month’s last', () => {
    expect(
      expectedDays({ startOn: '2026-01-31', endOn: null, periodUnit: 'MONTH' }, '2026-05-01'),
    ).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
  });
  it('should expect nothing before the start', () => {
    expect(
      expectedDays({ startOn: '2026-05-01', endOn: null, periodUnit: 'WEEK' }, '2026-04-30'),
    ).toEqual([]);
  });
});

describe('overlapOf', () => {
  it.each([
    [
      { startOn: '2026-01-01', endOn: '2026-03-31' },
      { startOn: '2026-03-01', endOn: null },
      { startOn: '2026-03-01', endOn: '2026-03-31' },
    ],
    [
      { startOn: '2026-01-01', endOn: null },
      { startOn: '2026-02-01', endOn: null },
      { startOn: '2026-02-01', endOn: null },
    ],
    [{ startOn: '2026-01-01', endOn: '2026-01-31' }, { startOn: '2026-02-01', endOn: null }, null],
  ])('should find the shared days of two periods', (a, b, expected) => {
    expect(overlapOf(a, b)).toEqual(expected);
    expect(overlapOf(b, a)).toEqual(expected);
  });
});
