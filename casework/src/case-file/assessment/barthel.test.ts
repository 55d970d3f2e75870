import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaseworkError } from '../../errors.ts';
import { BARTHEL_ITEMS, BARTHEL_WHEELCHAIR, barthelBand, computeBarthel } from './barthel.ts';

const best = Object.fromEntries(BARTHEL_ITEMS.map((i) => [i.key, i.scores[0]]));
const worst = Object.fromEntries(BARTHEL_ITEMS.map((i) => [i.key, 0]));

function refusal(fn: () => unknown): CaseworkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CaseworkError);
    return e as CaseworkError;
  }
  throw new Error('expected a refusal');
}

describe('Barthel index', () => {
  it('should have ten items and a maximum of 100', () => {
    expect(BARTHEL_ITEMS).toHaveLength(10);
    expect(computeBarthel(best)).toMatchObject({ score: 100, band: 'AUTONOMOUS' });
    expect(computeBarthel(worst)).toMatchObject({ score: 0, band: 'TOTAL' });
  });

  it('should sum the items', () => {
    const items = { ...best, feeding: 5, bathing: 1, stairs: 2, ambulation: 8 };
    // 100 - (10-5) - (5-1) - (10-2) - (15-8) = 76
    expect(computeBarthel(items)).toMatchObject({ score: 76, band: 'MILD' });
  });

  it('should score wheelchair use instead of ambulation for a person who cannot walk', () => {
    const items = { ...best, ambulation: 0, wheelchair: 4 };
    expect(computeBarthel(items).score).toBe(89);
  });

  it('should refuse the wheelchair item when the person walks', () => {
    expect(refusal(() => computeBarthel({ ...best, wheelchair: 5 })).code).toBe(
      'BARTHEL_OUT_OF_RANGE',
    );
  });

  it.each([
    ['feeding', 7],
    ['feeding', 11],
    ['bathing', 2],
    ['transfers', 10],
    ['ambulation', -1],
    ['stairs', 10.5],
    ['grooming', '5'],
  ])('should refuse %s = %s with BARTHEL_OUT_OF_RANGE naming the item', (key, value) => {
    const err = refusal(() => computeBarthel({ ...best, [key]: value }, 'input.items'));
    expect([err.code, err.field]).toEqual(['BARTHEL_OUT_OF_RANGE', `input.items.${key}`]);
  });

  it('should refuse a missing or unknown item', () => {
    const { stairs: _, ...missing } = best;
    expect(refusal(() => computeBarthel(missing)).field).toBe('input.items.stairs');
    expect(refusal(() => computeBarthel({ ...best, extra: 1 })).field).toBe('input.items.extra');
  });

  it.each([
    [100, 'AUTONOMOUS'],
    [99, 'MINIMAL'],
    [91, 'MINIMAL'],
    [90, 'MILD'],
    [75, 'MILD'],
    [74, 'MODERATE'],
    [50, 'MODERATE'],
    [49, 'SEVERE'],
    [25, 'SEVERE'],
    [24, 'TOTAL'],
    [0, 'TOTAL'],
  ] as const)('should band %i as %s', (score, band) => {
    expect(barthelBand(score)).toBe(band);
  });

  const csv = fileURLToPath(
    new URL('../../../data/reference/siso-code-tables/barthel_items.csv', import.meta.url),
  );
  it("should allow exactly the scores of SISO's barthel_items.csv", () => {
    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
    const bySection = new Map<string, number[]>();
    for (const row of rows) {
      const [section, , score] = row.split(',');
      bySection.set(section!, [...(bySection.get(section!) ?? []), Number(score)]);
    }
    for (const item of [...BARTHEL_ITEMS, BARTHEL_WHEELCHAIR]) {
      expect(bySection.get(item.section), item.key).toEqual([...item.scores]);
    }
    expect(bySection.size).toBe(11);
  });
});
