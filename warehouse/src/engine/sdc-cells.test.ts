import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUBES } from '../../model/index.ts';
import { createFixtureWarehouse, FIXTURE_ORGS } from '../testing/fixture.ts';
import type { Warehouse } from '../warehouse.ts';
import type { Scope } from './compile.ts';
import { type CubeEngine, type CubeLoadResponse, createCubeEngine } from './engine.ts';
import { rollupPartitionRefresh, rollupRefreshSql } from './rollups.ts';
import {
  fillProtectedCells,
  invalidateProtectedCells,
  refreshProtectedCells,
  type SdcRefresh,
  shapeQuery,
} from './sdc-cells.ts';

// Precomputed protected cells against the live path on the fixture (two zone sociali of region
// 10, small cells to protect): the same cells, suppressed for the same reasons, for every
// declared shape and every scope the ETL precomputes; a change in an incremental run replaces
// them in its own transaction; any other query or scope is computed live; a manager's cells are
// never another's.

let wh: Warehouse;
let fast: CubeEngine;
let live: CubeEngine;
const TODAY = () => '2026-12-02';

const region: Scope = { all: false, organizations: [], districts: [], regions: ['10'] };
const zone1: Scope = {
  all: false,
  organizations: [FIXTURE_ORGS.zone1],
  districts: ['10-01'],
  regions: [],
};
const zone2: Scope = {
  all: false,
  organizations: [FIXTURE_ORGS.zone2],
  districts: ['10-02'],
  regions: [],
};
const SCOPES = { region, zone1, zone2 };
const viewer = (scope: Scope) => ({ scope, protected: true });
let last: SdcRefresh | null = null;

/** The answer without what says how it was computed (the only part allowed to differ). */
function comparable(r: CubeLoadResponse) {
  return r.results.map(({ provenance, ...rest }) => {
    const { protectedCells: _, ...p } = provenance;
    return { ...rest, provenance: p };
  });
}

/** An incremental run as the ETL makes it: the changed rows, their rollup partitions, the cells. */
async function commitChange(changedRows: string, sql: string[]) {
  const c = await wh.connect();
  await c.run('BEGIN TRANSACTION');
  const refresh = rollupPartitionRefresh('b1', 'fact_intake', changedRows);
  for (const s of refresh.before) await c.run(s);
  for (const s of sql) await c.run(s);
  for (const s of refresh.after) await c.run(s);
  last = await refreshProtectedCells(c, ['fact_intake']);
  await c.run(
    'UPDATE main.load_state SET loaded_at = now(), last_change_seq = last_change_seq + 1',
  );
  await c.run('COMMIT');
}

beforeAll(async () => {
  wh = await createFixtureWarehouse();
  const c = await wh.connect();
  // The organisations the precomputed scopes come from (the fixture's facts name them).
  await c.run(`INSERT INTO b1.dim_organization VALUES
    ('${FIXTURE_ORGS.zone1}', 'Zona 1', 'SOCIAL_DISTRICT', NULL, '054001', '10-01', '10'),
    ('${FIXTURE_ORGS.zone2}', 'Zona 2', 'SOCIAL_DISTRICT', NULL, '055001', '10-02', '10')`);
  // Deliveries too (the fixture has only intake): services, providers and projects, a rare
  // service and a dominant amount, so that their shapes have cells to suppress.
  await c.run(`INSERT INTO b1.fact_delivery
    SELECT i, 2000000 + i % 700, CASE WHEN i % 5 < 3 THEN '${FIXTURE_ORGS.zone1}' ELSE '${FIXTURE_ORGS.zone2}' END,
      'o' || CASE WHEN i % 5 < 3 THEN 1 ELSE 2 END, DATE '2025-01-01' + CAST((i * 7919) % 730 AS INTEGER),
      CASE WHEN i % 5 < 3 THEN '054001' ELSE '055001' END, CASE WHEN i % 5 < 3 THEN '10-01' ELSE '10-02' END, '10',
      s, s, 'A1', '1', 'FAM', 'p' || (i % 3), CASE WHEN i % 4 = 0 THEN NULL ELSE 'j' || (i % 2) END, 'FNPS',
      1, CASE WHEN i % 700 = 0 THEN 9000 ELSE 10 + i % 50 END, 'ACCEPTED', '25-34', 'F', NULL,
      CASE WHEN i % 5 < 3 THEN 'Zona 1' ELSE 'Zona 2' END, CASE WHEN i % 5 < 3 THEN 'Alfa' ELSE 'Delta' END,
      'Ufficio ' || CASE WHEN i % 5 < 3 THEN 1 ELSE 2 END, 'Prestazione ' || s, 'Erogatore ' || (i % 3),
      CASE WHEN i % 4 = 0 THEN NULL ELSE 'Progetto ' || (i % 2) END
    FROM (SELECT i, CASE WHEN i % 700 = 1 THEN 'A1.09' ELSE 'A1.0' || (1 + i % 4) END AS s FROM range(3000) t(i))`);
  for (const sql of rollupRefreshSql('b1', ['fact_delivery'])) await c.run(sql);
  await c.run('BEGIN TRANSACTION');
  const refreshed = await refreshProtectedCells(c);
  await c.run('COMMIT');
  const shapes = CUBES.reduce((n, cube) => n + Object.keys(cube.protected_shapes ?? {}).length, 0);
  expect(refreshed.rows).toBe(shapes * 3);
  fast = createCubeEngine(wh, { today: TODAY });
  live = createCubeEngine(wh, { today: TODAY, precomputed: false });
}, 120_000);
afterAll(() => wh.close());

describe('precomputed protected cells', () => {
  it('should answer every declared shape, for every scope, as the live path does', async () => {
    let suppressed = 0;
    let compared = 0;
    for (const cube of CUBES)
      for (const [name, shape] of Object.entries(cube.protected_shapes ?? {})) {
        const base = shapeQuery(cube, shape);
        // The shape with its grain as a granularity, and as the periods the cruscotti ask for.
        const t = base.timeDimensions?.[0];
        const queries = t
          ? [
              { ...base, filters: [], timeDimensions: [t] },
              ...['2025', '2026'].map((y) => ({
                ...base,
                filters: [],
                timeDimensions: [
                  {
                    dimension: t.dimension,
                    ...(t.granularity === 'year' ? {} : { granularity: t.granularity }),
                    dateRange: [`${y}-01-01`, `${y}-12-31`],
                  },
                ],
              })),
            ]
          : [{ ...base, filters: [] }];
        for (const [scopeName, scope] of Object.entries(SCOPES))
          for (const q of queries) {
            const a = await fast.load(q, viewer(scope));
            const b = await live.load(q, viewer(scope));
            expect(
              a.results[0]!.provenance.protectedCells,
              `${cube.name}.${name} ${scopeName}`,
            ).toBe('precomputed');
            expect(b.results[0]!.provenance.protectedCells).toBe('live');
            expect(comparable(a), `${cube.name}.${name} ${scopeName}`).toEqual(comparable(b));
            suppressed += a.results[0]!.disclosure!.suppressed;
            compared++;
          }
      }
    expect(compared).toBeGreaterThan(50);
    // The fixture's rare channels and access kinds: the comparison covered suppressed cells.
    expect(suppressed).toBeGreaterThan(0);
  }, 120_000);

  it("should answer the cruscotti's filtered and compared queries from the same cells", async () => {
    const queries = [
      {
        measures: ['intake.count', 'intake.persons'],
        timeDimensions: [
          {
            dimension: 'intake.occurredAt',
            compareDateRange: [
              ['2026-01-01', '2026-12-31'],
              ['2025-01-01', '2025-12-31'],
            ],
          },
        ],
      },
      {
        measures: ['intake.count'],
        dimensions: ['intake.channel'],
        timeDimensions: [
          { dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] },
        ],
        order: { 'intake.count': 'desc' },
        limit: 2,
      },
      {
        measures: ['intake.count'],
        dimensions: ['intake.municipality'],
        timeDimensions: [
          { dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] },
        ],
        filters: [{ member: 'intake.district', operator: 'equals', values: ['10-01'] }],
      },
    ];
    for (const q of queries) {
      const a = await fast.load(q, viewer(region));
      expect(a.results[0]!.provenance.protectedCells).toBe('precomputed');
      expect(comparable(a)).toEqual(comparable(await live.load(q, viewer(region))));
    }
  });

  it("should answer the charts' names and the explorer's pivot levels as the page asks for them", async () => {
    // The names of a chart's codes (cube-api.ts labels) and the four levels of the explorer's
    // pivot of the deliveries by service × month of a year (pivot.ts pivotQueries).
    const names = [
      ['intake.district', 'intake.districtName'],
      ['intake.municipality', 'intake.municipalityName'],
      ['cases.office', 'cases.officeName'],
      ['deliveries.serviceCode', 'deliveries.serviceName'],
      ['deliveries.provider', 'deliveries.providerName'],
      ['deliveries.project', 'deliveries.projectName'],
    ].map((dimensions) => ({ dimensions, limit: 5000 }));
    const pivot = [true, false].flatMap((byService) =>
      [true, false].map((byMonth) => ({
        measures: ['deliveries.count'],
        dimensions: byService ? ['deliveries.serviceName'] : [],
        filters: [],
        limit: 5000,
        timeDimensions: [
          {
            dimension: 'deliveries.deliveredAt',
            ...(byMonth ? { granularity: 'month' } : {}),
            dateRange: ['2025-01-01', '2025-12-31'],
          },
        ],
      })),
    );
    let suppressed = 0;
    for (const q of [...names, ...pivot])
      for (const scope of Object.values(SCOPES)) {
        const a = await fast.load(q, viewer(scope));
        expect(a.results[0]!.provenance.protectedCells, JSON.stringify(q)).toBe('precomputed');
        expect(comparable(a)).toEqual(comparable(await live.load(q, viewer(scope))));
        suppressed += a.results[0]!.disclosure!.suppressed;
      }
    const cells = await fast.load(pivot[0]!, viewer(region));
    expect(cells.results[0]!.data.length).toBeGreaterThan(40);
    // The rare service: its cells are suppressed, in the precomputed answer as in the live one.
    expect(suppressed).toBeGreaterThan(0);
  });

  it('should compute any other query live, with the same protection', async () => {
    const others = [
      // Another measure order, another dimension, a slice not declared.
      {
        measures: ['intake.persons', 'intake.count'],
        timeDimensions: [
          { dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] },
        ],
      },
      {
        measures: ['intake.count'],
        dimensions: ['intake.accessKind'],
        timeDimensions: [
          { dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] },
        ],
      },
      {
        measures: ['intake.count'],
        dimensions: ['intake.channel'],
        filters: [{ member: 'intake.accessKind', operator: 'equals', values: ['CITIZEN'] }],
      },
    ];
    for (const q of others) {
      const a = await fast.load(q, viewer(region));
      expect(a.results[0]!.provenance.protectedCells).toBe('live');
      expect(comparable(a)).toEqual(comparable(await live.load(q, viewer(region))));
    }
  });

  it("should never give a manager another zona's cells, nor a scope it did not precompute", async () => {
    const q = {
      measures: ['intake.count'],
      dimensions: ['intake.municipality'],
      timeDimensions: [{ dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] }],
    };
    const two = await fast.load(q, viewer(zone2));
    expect(two.results[0]!.provenance.protectedCells).toBe('precomputed');
    const municipalities = two.results[0]!.data.map((r) => r['intake.municipality']);
    expect(municipalities.length).toBeGreaterThan(0);
    for (const m of municipalities) expect(String(m)).toMatch(/^055/);
    const one = await fast.load(q, viewer(zone1));
    for (const r of one.results[0]!.data) expect(String(r['intake.municipality'])).toMatch(/^054/);
    // A zona's manager asking with the other's district in a filter gets nothing of it.
    const probe = await fast.load(
      { ...q, filters: [{ member: 'intake.district', operator: 'equals', values: ['10-01'] }] },
      viewer(zone2),
    );
    expect(probe.results[0]!.data).toEqual([]);
    // A scope not precomputed (a district alone) is computed live, within that district only.
    const alone: Scope = { all: false, organizations: [], districts: ['10-02'], regions: [] };
    const a = await fast.load(q, viewer(alone));
    expect(a.results[0]!.provenance.protectedCells).toBe('live');
    for (const r of a.results[0]!.data) expect(String(r['intake.municipality'])).toMatch(/^055/);
    // The same scope, its lists in another order or repeated: the same precomputed cells.
    const shuffled: Scope = {
      all: false,
      organizations: [FIXTURE_ORGS.zone2, FIXTURE_ORGS.zone2],
      districts: ['10-02'],
      regions: [],
    };
    const s = await fast.load(q, viewer(shuffled));
    expect(s.results[0]!.provenance.protectedCells).toBe('precomputed');
    expect(comparable(s)).toEqual(comparable(two));
  });

  it('should replace the cells in the transaction of an incremental change, memory included', async () => {
    const q = {
      measures: ['intake.count'],
      dimensions: ['intake.channel'],
      timeDimensions: [{ dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] }],
    };
    const before = await fast.load(q, viewer(region));
    expect(before.results[0]!.provenance.protectedCells).toBe('precomputed');
    const cellOf = (r: CubeLoadResponse, channel: string) =>
      r.results[0]!.data.find((x) => x['intake.channel'] === channel);
    // A new channel with 3 distinct persons: a cell that was not there, published (k = 3).
    await commitChange('{CUBE}.record_key >= 9000000', [
      `INSERT INTO b1.fact_intake SELECT 9000000 + i, 9000000 + i, '${FIXTURE_ORGS.zone1}', 'o1', 'cp1',
         DATE '2025-05-05', '054001', '10-01', '10', 'CITIZEN', 'EMAIL', 'OPEN', NULL, 'ELD', '25-34', 'F', 'ITALIAN'
       FROM range(3) t(i)`,
    ]);
    const after = await fast.load(q, viewer(region));
    expect(cellOf(before, 'EMAIL')).toBeUndefined();
    expect(cellOf(after, 'EMAIL')?.['intake.count']).toBe(3);
    expect(after.results[0]!.provenance.protectedCells).toBe('precomputed');
    expect(after.results[0]!.provenance.loadedAt).not.toBe(before.results[0]!.provenance.loadedAt);
    expect(comparable(after)).toEqual(comparable(await live.load(q, viewer(region))));
    // One of them erased: the cell falls under k and is suppressed, and complemented.
    await commitChange('{CUBE}.record_key = 9000000', [
      'DELETE FROM b1.fact_intake WHERE record_key = 9000000',
    ]);
    const erased = await fast.load(q, viewer(region));
    expect(cellOf(erased, 'EMAIL')?.['intake.count']).toBeNull();
    expect(erased.results[0]!.disclosure!.byReason.frequency).toBeGreaterThan(0);
    expect(comparable(erased)).toEqual(comparable(await live.load(q, viewer(region))));
    // Zona 1's change: the region and zona 1 recomputed; zona 2 counts the same rows, its cells
    // stand, and are still the live ones.
    const intakeShapes = Object.keys(CUBES.find((c) => c.name === 'intake')!.protected_shapes!);
    expect(last?.rows).toBe(intakeShapes.length * 2);
    const two = await fast.load(q, viewer(zone2));
    expect(two.results[0]!.provenance.protectedCells).toBe('precomputed');
    expect(comparable(two)).toEqual(comparable(await live.load(q, viewer(zone2))));
  }, 120_000);

  it('should answer live, and right, between the commit of the facts and that of their cells', async () => {
    const q = {
      measures: ['intake.count'],
      dimensions: ['intake.channel'],
      timeDimensions: [{ dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] }],
    };
    const intakeShapes = Object.keys(CUBES.find((x) => x.name === 'intake')!.protected_shapes!);
    const cellOf = (r: CubeLoadResponse, channel: string) =>
      r.results[0]!.data.find((x) => x['intake.channel'] === channel);
    const warm = await fast.load(q, viewer(region));
    expect(warm.results[0]!.provenance.protectedCells).toBe('precomputed');
    expect(cellOf(warm, 'POST')).toBeUndefined();
    // The first half of an incremental run: the facts, and the cells they move deleted.
    const c = await wh.connect();
    await c.run('BEGIN TRANSACTION');
    const refresh = rollupPartitionRefresh('b1', 'fact_intake', '{CUBE}.record_key >= 9100000');
    for (const s of refresh.before) await c.run(s);
    await c.run(`INSERT INTO b1.fact_intake SELECT 9100000 + i, 9100000 + i, '${FIXTURE_ORGS.zone1}', 'o1', 'cp1',
         DATE '2025-06-06', '054001', '10-01', '10', 'CITIZEN', 'POST', 'OPEN', NULL, 'ELD', '25-34', 'M', 'ITALIAN'
       FROM range(4) t(i)`);
    for (const s of refresh.after) await c.run(s);
    const { deleted } = await invalidateProtectedCells(c, ['fact_intake']);
    await c.run(
      'UPDATE main.load_state SET loaded_at = now(), last_change_seq = last_change_seq + 1',
    );
    await c.run('COMMIT');
    // The region's and zona 1's cells went (they see the new rows); zona 2's stand.
    expect(deleted).toBe(intakeShapes.length * 2);
    const between = await fast.load(q, viewer(region));
    expect(between.results[0]!.provenance.protectedCells).toBe('live');
    // The new channel's cell is there (its value published or complemented, as live decides).
    expect(cellOf(between, 'POST')).toBeDefined();
    expect(comparable(between)).toEqual(comparable(await live.load(q, viewer(region))));
    const two = await fast.load(q, viewer(zone2));
    expect(two.results[0]!.provenance.protectedCells).toBe('precomputed');
    expect(comparable(two)).toEqual(comparable(await live.load(q, viewer(zone2))));
    // The second half computes what is missing, and only that; the reader that found the cell
    // missing (its memory included) reads it once it is in.
    await c.run('BEGIN TRANSACTION');
    const filled = await fillProtectedCells(c);
    await c.run('COMMIT');
    expect(filled.rows).toBe(intakeShapes.length * 2);
    const after = await fast.load(q, viewer(region));
    expect(after.results[0]!.provenance.protectedCells).toBe('precomputed');
    expect(comparable(after)).toEqual(comparable(between));
    await c.run('BEGIN TRANSACTION');
    expect((await fillProtectedCells(c)).rows).toBe(0);
    // A cell lost otherwise (a run killed between the halves): found missing and computed.
    await c.run("DELETE FROM main.sdc_cells WHERE cube = 'intake' AND shape = $1", [
      intakeShapes[0]!,
    ]);
    expect((await fillProtectedCells(c)).rows).toBe(3);
    // A fill that gives way (a change waiting) keeps what it computed; the next one does the rest.
    await c.run("DELETE FROM main.sdc_cells WHERE cube = 'intake' AND shape = $1", [
      intakeShapes[0]!,
    ]);
    let asked = 0;
    const yielded = await fillProtectedCells(c, { shouldYield: () => ++asked > 1 });
    expect(yielded).toMatchObject({ rows: 1, yielded: true });
    expect(await fillProtectedCells(c)).toMatchObject({ rows: 2 });
    expect((await fillProtectedCells(c)).yielded).toBeUndefined();
    await c.run('COMMIT');
    c.closeSync();
  }, 120_000);
});
