import { describe, expect, it } from 'vitest';
import type { CubeAnswer, MetaCube } from '../cruscotti/cube-api.ts';
import { SUPPRESSED } from '../cruscotti/data-table.ts';
import { decodeView, type ExplorerView, encodeView, TIME } from './explorer-view.ts';
import { assemblePivot, childOf, drillView, pivotQueries } from './pivot.ts';

const view: ExplorerView = {
  cube: 'intake',
  measures: ['intake.persons'],
  rows: ['intake.districtName'],
  columns: [TIME],
  filters: [],
  time: { dimension: 'intake.occurredAt', grain: 'month', from: '2026-01-01', to: '2026-02-28' },
  compare: false,
};

const answer = (rows: Record<string, string | number | null>[]): CubeAnswer[] => [
  {
    rows,
    lastRefreshTime: '2026-12-01T10:00:00.000Z',
    provenance: null,
    disclosure: {
      k: 3,
      dominance: { n: 2, k: 0.85 },
      suppressed: 1,
      byReason: { frequency: 1, dominance: 0, complementary: 0 },
      unresolved: 0,
    },
  },
];
const M = 'intake.occurredAt.month';

describe('the pivot', () => {
  it('should ask the engine once per grouping level, the finest first', () => {
    const qs = pivotQueries(view, '2026-12-02');
    expect(qs.map((q) => q.level)).toEqual([
      { rows: 1, cols: 1 },
      { rows: 1, cols: 0 },
      { rows: 0, cols: 1 },
      { rows: 0, cols: 0 },
    ]);
    expect(qs[0]?.query.timeDimensions?.[0]).toMatchObject({ granularity: 'month' });
    expect(qs[1]?.query.dimensions).toEqual(['intake.districtName']);
    expect(qs[1]?.query.timeDimensions?.[0]).not.toHaveProperty('granularity');
    expect(qs[3]?.query.dimensions).toEqual([]);
  });

  it('should take totals from the engine, not add the cells (distinct persons do not add up)', () => {
    const p = assemblePivot(view, [
      {
        level: { rows: 1, cols: 1 },
        answers: answer([
          { 'intake.districtName': 'Zona 2', [M]: '2026-01-01T00:00:00.000', 'intake.persons': 10 },
          {
            'intake.districtName': 'Zona 2',
            [M]: '2026-02-01T00:00:00.000',
            'intake.persons': null,
          },
          { 'intake.districtName': 'Zona 10', [M]: '2026-01-01T00:00:00.000', 'intake.persons': 4 },
        ]),
      },
      {
        level: { rows: 1, cols: 0 },
        answers: answer([
          { 'intake.districtName': 'Zona 2', 'intake.persons': 11 },
          { 'intake.districtName': 'Zona 10', 'intake.persons': 4 },
        ]),
      },
      {
        level: { rows: 0, cols: 1 },
        answers: answer([
          { [M]: '2026-01-01T00:00:00.000', 'intake.persons': 13 },
          { [M]: '2026-02-01T00:00:00.000', 'intake.persons': 5 },
        ]),
      },
      { level: { rows: 0, cols: 0 }, answers: answer([{ 'intake.persons': 15 }]) },
    ]);
    expect(p.rowLines.map((l) => l.values.join())).toEqual(['Zona 2', 'Zona 10', '']);
    const jan = p.valueColumns[0]!;
    const feb = p.valueColumns[1]!;
    const total = p.valueColumns[2]!;
    const [z2, z10, all] = p.rowLines as [never, never, never];
    expect(p.cell(z2, jan)).toBe(10);
    expect(p.cell(z2, feb)).toEqual(SUPPRESSED);
    expect(p.cell(z10, feb)).toBeNull();
    expect(p.cell(z2, total)).toBe(11);
    expect(p.cell(all, jan)).toBe(13);
    expect(p.cell(all, total)).toBe(15);
  });

  it('should put each group subtotal after its lines with two row dimensions', () => {
    const v = { ...view, rows: ['intake.districtName', 'intake.channel'], columns: [] };
    const p = assemblePivot(v, [
      {
        level: { rows: 2, cols: 0 },
        answers: answer([
          { 'intake.districtName': 'A', 'intake.channel': 'x', 'intake.persons': 3 },
          { 'intake.districtName': 'A', 'intake.channel': 'y', 'intake.persons': 3 },
          { 'intake.districtName': 'B', 'intake.channel': 'x', 'intake.persons': 3 },
        ]),
      },
    ]);
    expect(p.rowLines.map((l) => `${l.kind}:${l.values.join('/')}`)).toEqual([
      'leaf:A/x',
      'leaf:A/y',
      'subtotal:A',
      'leaf:B/x',
      'subtotal:B',
      'total:',
    ]);
  });

  it('should drill a cell into the level below, with the cell as filters', () => {
    const meta: MetaCube[] = [
      {
        name: 'intake',
        title: 'Accessi',
        measures: [],
        dimensions: [
          { name: 'intake.district', title: 'Zona', type: 'string', parent: 'intake.region' },
          { name: 'intake.districtName', title: 'Zona (nome)', type: 'string' },
          {
            name: 'intake.municipality',
            title: 'Comune',
            type: 'string',
            parent: 'intake.district',
          },
          { name: 'intake.municipalityName', title: 'Comune (nome)', type: 'string' },
        ],
      },
    ];
    expect(childOf(meta, 'intake.districtName')).toBe('intake.municipalityName');
    const d = drillView(
      view,
      meta,
      { kind: 'leaf', values: ['Zona 2'] },
      { kind: 'leaf', values: ['2026-02-01'] },
    );
    expect(d).toMatchObject({
      rows: ['intake.municipalityName'],
      filters: [{ member: 'intake.districtName', values: ['Zona 2'] }],
      time: { from: '2026-02-01', to: '2026-02-28' },
    });
  });
});

describe('the view in the URL', () => {
  it('should come back the same, and drop what does not fit the shape', () => {
    expect(decodeView(encodeView(view))).toEqual(view);
    const bad = btoa(
      JSON.stringify({ ...view, measures: ['x; DROP', 'intake.count'], rows: ['@time', 'a'] }),
    );
    expect(decodeView(bad)).toMatchObject({ measures: ['intake.count'], rows: ['@time'] });
    expect(decodeView('%%%')).toBeNull();
  });
});
