import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWarehouse, FIXTURE_ORGS } from '../testing/fixture.ts';
import type { Warehouse } from '../warehouse.ts';
import { type CubeEngine, createCubeEngine } from './engine.ts';

let wh: Warehouse;
let engine: CubeEngine;
const all = { scope: { all: true as const }, protected: false };
const planner = {
  scope: { all: false as const, organizations: [], districts: [], regions: ['10'] },
  protected: true,
};

beforeAll(async () => {
  wh = await createFixtureWarehouse();
  engine = createCubeEngine(wh, { today: () => '2026-12-02' });
});
afterAll(() => wh.close());

describe('golden SQL', () => {
  it('should answer a monthly count by zona sociale from the rollup', () => {
    const c = engine.compile(
      {
        measures: ['intake.count', 'intake.persons'],
        dimensions: ['intake.district'],
        timeDimensions: [
          {
            dimension: 'intake.occurredAt',
            granularity: 'quarter',
            dateRange: ['2026-01-01', '2026-06-30'],
          },
        ],
        filters: [{ member: 'intake.accessKind', operator: 'notEquals', values: ['ANONYMOUS'] }],
      },
      all,
    );
    expect(c.rollup).toBe('monthlyTerritory');
    expect(c.sql).toMatchInlineSnapshot(`
      "SELECT intake.d_district AS d0, date_trunc('quarter', intake.t_occurredat)::DATE AS t0, sum(intake.m_count) AS m0, count(DISTINCT intake.c_person) AS m1
      FROM main.rollup_intake_monthlyterritory AS intake
      WHERE intake.t_occurredat BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE) AND (intake.d_accesskind NOT IN ($3) OR intake.d_accesskind IS NULL)
      GROUP BY intake.d_district, date_trunc('quarter', intake.t_occurredat)::DATE
      ORDER BY t0 ASC NULLS LAST, d0 ASC NULLS LAST
      LIMIT 10000"
    `);
    expect(c.params).toEqual(['2026-01-01', '2026-06-30', 'ANONYMOUS']);
  });

  it('should read the fact table with joins, segments, compare ranges and measure filters', () => {
    const c = engine.compile(
      {
        measures: ['intake.count', 'intake.anonymousShare'],
        dimensions: ['intake.districtName'],
        timeDimensions: [
          {
            dimension: 'intake.occurredAt',
            granularity: 'month',
            compareDateRange: [['2025-01-01', '2025-03-31'], 'this year'],
          },
        ],
        filters: [
          {
            or: [
              { member: 'intake.need', operator: 'equals', values: ['ELD'] },
              { member: 'intake.sex', operator: 'set' },
            ],
          },
          { member: 'intake.count', operator: 'gt', values: ['2'] },
        ],
        segments: ['intake.judicial'],
        order: { 'intake.count': 'desc' },
        limit: 100,
        offset: 10,
        total: true,
      },
      all,
    );
    expect(c.rollup).toBeNull();
    expect(c.sql).toMatchInlineSnapshot(`
      "SELECT __ranges.i AS "range", territory.district_name AS d0, date_trunc('month', intake.occurred_on)::DATE AS t0, count(*) AS m0, (CAST(count(*) FILTER (WHERE (intake.access_kind = 'ANONYMOUS')) AS DOUBLE) / NULLIF(CAST(count(*) AS DOUBLE), 0)) AS m1, count(*) OVER () AS __total
      FROM main.fact_intake AS intake
      LEFT JOIN main.dim_territory AS territory ON intake.municipality_code = territory.municipality_code
      JOIN (VALUES (0, CAST($3 AS DATE), CAST($4 AS DATE)), (1, CAST($5 AS DATE), CAST($6 AS DATE))) AS __ranges(i, lo, hi) ON intake.occurred_on BETWEEN __ranges.lo AND __ranges.hi
      WHERE (intake.access_kind = 'JUDICIAL_AUTHORITY') AND (intake.need_code IN ($1) OR intake.sex IS NOT NULL)
      GROUP BY __ranges.i, territory.district_name, date_trunc('month', intake.occurred_on)::DATE
      HAVING count(*) > $2
      ORDER BY "range" ASC, m0 DESC NULLS LAST, d0 ASC NULLS LAST, t0 ASC NULLS LAST
      LIMIT 100 OFFSET 10"
    `);
    expect(c.params).toEqual(['ELD', 2, '2025-01-01', '2025-03-31', '2026-01-01', '2026-12-31']);
  });

  it('should compile a protected query to one statement over every coarser level', () => {
    const c = engine.compile(
      {
        measures: ['intake.persons'],
        dimensions: ['intake.municipality'],
        timeDimensions: [
          { dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] },
        ],
        filters: [{ member: 'intake.channel', operator: 'equals', values: ['PHONE'] }],
      },
      planner,
    );
    expect(c.sql).toMatchInlineSnapshot(`
      "WITH __cells AS MATERIALIZED (
        SELECT date_trunc('year', intake.t_occurredat)::DATE AS k0, intake.d_region AS k1, intake.d_district AS k2, intake.d_municipality AS k3, intake.d_channel AS k4, intake.c_contributor AS __c, intake.c_person AS __p
        FROM main.rollup_intake_monthlyterritory AS intake
        WHERE (intake.r_region IN ($1))
        GROUP BY date_trunc('year', intake.t_occurredat)::DATE, intake.d_region, intake.d_district, intake.d_municipality, intake.d_channel, intake.c_contributor, intake.c_person
      )
      SELECT k0, k1, k2, k3, k4, 0 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, k1, k2, k3, k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, k1, k2, k3, k4, __c)
      GROUP BY k0, k1, k2, k3, k4
      UNION ALL
      SELECT NULL AS k0, k1, k2, k3, k4, 16 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k1, k2, k3, k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k1, k2, k3, k4, __c)
      GROUP BY k1, k2, k3, k4
      UNION ALL
      SELECT k0, k1, k2, NULL AS k3, k4, 2 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, k1, k2, k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, k1, k2, k4, __c)
      GROUP BY k0, k1, k2, k4
      UNION ALL
      SELECT NULL AS k0, k1, k2, NULL AS k3, k4, 18 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k1, k2, k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k1, k2, k4, __c)
      GROUP BY k1, k2, k4
      UNION ALL
      SELECT k0, k1, NULL AS k2, NULL AS k3, k4, 6 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, k1, k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, k1, k4, __c)
      GROUP BY k0, k1, k4
      UNION ALL
      SELECT NULL AS k0, k1, NULL AS k2, NULL AS k3, k4, 22 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k1, k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k1, k4, __c)
      GROUP BY k1, k4
      UNION ALL
      SELECT k0, NULL AS k1, NULL AS k2, NULL AS k3, k4, 14 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, k4, __c)
      GROUP BY k0, k4
      UNION ALL
      SELECT NULL AS k0, NULL AS k1, NULL AS k2, NULL AS k3, k4, 30 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k4, __c, any_value(__p) AS __p FROM __cells GROUP BY k4, __c)
      GROUP BY k4
      UNION ALL
      SELECT k0, k1, k2, k3, NULL AS k4, 1 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, k1, k2, k3, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, k1, k2, k3, __c)
      GROUP BY k0, k1, k2, k3
      UNION ALL
      SELECT NULL AS k0, k1, k2, k3, NULL AS k4, 17 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k1, k2, k3, __c, any_value(__p) AS __p FROM __cells GROUP BY k1, k2, k3, __c)
      GROUP BY k1, k2, k3
      UNION ALL
      SELECT k0, k1, k2, NULL AS k3, NULL AS k4, 3 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, k1, k2, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, k1, k2, __c)
      GROUP BY k0, k1, k2
      UNION ALL
      SELECT NULL AS k0, k1, k2, NULL AS k3, NULL AS k4, 19 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k1, k2, __c, any_value(__p) AS __p FROM __cells GROUP BY k1, k2, __c)
      GROUP BY k1, k2
      UNION ALL
      SELECT k0, k1, NULL AS k2, NULL AS k3, NULL AS k4, 7 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, k1, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, k1, __c)
      GROUP BY k0, k1
      UNION ALL
      SELECT NULL AS k0, k1, NULL AS k2, NULL AS k3, NULL AS k4, 23 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k1, __c, any_value(__p) AS __p FROM __cells GROUP BY k1, __c)
      GROUP BY k1
      UNION ALL
      SELECT k0, NULL AS k1, NULL AS k2, NULL AS k3, NULL AS k4, 15 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT k0, __c, any_value(__p) AS __p FROM __cells GROUP BY k0, __c)
      GROUP BY k0
      UNION ALL
      SELECT NULL AS k0, NULL AS k1, NULL AS k2, NULL AS k3, NULL AS k4, 31 AS __g, count(*) AS __n, count(__p) AS __np, count(__p) AS m0
      FROM (SELECT __c, any_value(__p) AS __p FROM __cells GROUP BY __c)"
    `);
    expect(c.params).toEqual(['10']);
  });
});

describe('bad queries', () => {
  it.each([
    [{ measures: ['nope.count'] }, 'CUBE_UNKNOWN_MEMBER'],
    [{ measures: ['intake.nope'] }, 'CUBE_UNKNOWN_MEMBER'],
    [{ measures: ['intake.count'], dimensions: ['cases.status'] }, 'CUBE_INVALID_QUERY'],
    [
      {
        measures: ['intake.count'],
        filters: [{ member: 'intake.count', operator: 'gt', values: ['x'] }],
      },
      'CUBE_INVALID_VALUE',
    ],
    [
      {
        measures: ['intake.count'],
        filters: [{ member: 'intake.sex', operator: 'like', values: ['F'] }],
      },
      'CUBE_UNKNOWN_OPERATOR',
    ],
    [
      {
        measures: ['intake.count'],
        timeDimensions: [
          { dimension: 'intake.occurredAt', dateRange: ['2026-03-01', '2026-01-01'] },
        ],
      },
      'CUBE_INVALID_DATE_RANGE',
    ],
    [
      {
        measures: ['intake.count'],
        timeDimensions: [
          { dimension: 'intake.occurredAt', dateRange: ['2026-02-30', '2026-03-01'] },
        ],
      },
      'CUBE_INVALID_DATE_RANGE',
    ],
    [{ measures: ['intake.count'], limit: 50_001 }, 'CUBE_LIMIT_TOO_LARGE'],
    [
      {
        measures: ['intake.count'],
        dimensions: [
          'intake.sex',
          'intake.ageBand',
          'intake.need',
          'intake.channel',
          'intake.outcome',
          'intake.status',
          'intake.district',
          'intake.municipality',
          'intake.region',
        ],
      },
      'CUBE_QUERY_TOO_COSTLY',
    ],
    [{ measures: ['intake.count; DROP TABLE fact_intake'] }, 'CUBE_UNKNOWN_MEMBER'],
  ])('should refuse %j with %s', (query, code) => {
    expect(() => engine.compile(query, all)).toThrow(expect.objectContaining({ code }));
  });

  it('should refuse to a protected caller the filters that would carve a suppressed cell out of a total', () => {
    expect(() =>
      engine.compile(
        {
          measures: ['intake.count'],
          filters: [{ member: 'intake.channel', operator: 'notEquals', values: ['PHONE'] }],
        },
        planner,
      ),
    ).toThrow(expect.objectContaining({ code: 'CUBE_NOT_PROTECTABLE' }));
    expect(() =>
      engine.compile(
        {
          measures: ['intake.count'],
          timeDimensions: [
            { dimension: 'intake.occurredAt', dateRange: ['2025-01-02', '2025-12-31'] },
          ],
        },
        planner,
      ),
    ).toThrow(expect.objectContaining({ code: 'CUBE_NOT_PROTECTABLE' }));
  });
});

describe('row-level security', () => {
  it('should count only the rows of the caller organisation or zona sociale', async () => {
    const manager = {
      scope: {
        all: false as const,
        organizations: [FIXTURE_ORGS.zone2],
        districts: [],
        regions: [],
      },
      protected: false,
    };
    const r = await engine.load(
      { measures: ['intake.count'], dimensions: ['intake.district'] },
      manager,
    );
    expect(r.results[0]!.data.map((x) => x['intake.district'])).toEqual(['10-02']);
    const none = {
      scope: { all: false as const, organizations: [], districts: [], regions: [] },
      protected: true,
    };
    const empty = await engine.load({ measures: ['intake.count'] }, none);
    expect(empty.results[0]!.data).toEqual([{ 'intake.count': 0 }]);
  });
});

describe('disclosure control under attack', () => {
  type Row = Record<string, string | number | null>;
  const YEAR = { dimension: 'intake.occurredAt', dateRange: ['2025-01-01', '2025-12-31'] };
  const table = async (dimensions: string[]) =>
    (
      await engine.load(
        { measures: ['intake.persons', 'intake.count'], dimensions, timeDimensions: [YEAR] },
        planner,
      )
    ).results[0]!;
  const truth = async (dimensions: string[]) =>
    (
      await engine.load(
        { measures: ['intake.persons', 'intake.count'], dimensions, timeDimensions: [YEAR] },
        { ...planner, protected: false },
      )
    ).results[0]!.data;
  const key = (r: Row, dims: string[]) => JSON.stringify(dims.map((d) => r[d]));

  it('should suppress every cell under k persons, exact elsewhere, and say how many and why', async () => {
    const dims = ['intake.municipality', 'intake.accessKind'];
    const protectedTable = await table(dims);
    const exact = new Map((await truth(dims)).map((r) => [key(r, dims), r]));
    const small = [...exact.values()].filter((r) => Number(r['intake.persons']) < 3);
    expect(small.length).toBeGreaterThan(0);
    for (const r of protectedTable.data) {
      const t = exact.get(key(r, dims))!;
      if (r['intake.count'] === null) continue;
      expect(r).toEqual(t);
      expect(Number(t['intake.persons'])).toBeGreaterThanOrEqual(3);
    }
    for (const s of small) {
      const r = protectedTable.data.find((x) => key(x, dims) === key(s, dims))!;
      expect(r['intake.count']).toBeNull();
    }
    const d = protectedTable.disclosure!;
    expect(d.suppressed).toBe(protectedTable.data.filter((r) => r['intake.count'] === null).length);
    expect(d.byReason.frequency).toBeGreaterThan(0);
    expect(d.byReason.complementary).toBeGreaterThan(0);
  });

  it('should leave no suppressed cell recoverable from totals, subtotals or the drill-down below', async () => {
    const dims = ['intake.municipality', 'intake.accessKind'];
    const cells = (await table(dims)).data;
    const byMunicipality = (await table(['intake.municipality'])).data;
    const byKind = (await table(['intake.accessKind'])).data;
    const byDistrictKind = (await table(['intake.district', 'intake.accessKind'])).data;
    const drill = (await table([...dims, 'intake.channel'])).data;
    const grand = (await table([])).data;
    const municipalityDistrict = new Map(
      (await truth(['intake.district', 'intake.municipality'])).map((r) => [
        r['intake.municipality'],
        r['intake.district'],
      ]),
    );
    const suppressed = cells.filter((r) => r['intake.count'] === null);
    expect(suppressed.length).toBeGreaterThan(0);
    // Every line that adds up to a published total must hide at least two cells.
    const lines: { members: Row[]; total: Row | undefined }[] = [];
    for (const m of byMunicipality)
      lines.push({
        members: cells.filter((c) => c['intake.municipality'] === m['intake.municipality']),
        total: m,
      });
    for (const k of byDistrictKind)
      lines.push({
        members: cells.filter(
          (c) =>
            c['intake.accessKind'] === k['intake.accessKind'] &&
            municipalityDistrict.get(c['intake.municipality']) === k['intake.district'],
        ),
        total: k,
      });
    for (const k of byKind)
      lines.push({
        members: byDistrictKind.filter((c) => c['intake.accessKind'] === k['intake.accessKind']),
        total: k,
      });
    lines.push({ members: byKind, total: grand[0] });
    for (const line of lines) {
      if (!line.total || line.total['intake.count'] === null) continue;
      const hidden = line.members.filter((c) => c['intake.count'] === null);
      expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
    }
    // No suppressed cell is the sum of its published children one level down.
    for (const s of suppressed) {
      const children = drill.filter(
        (c) =>
          c['intake.municipality'] === s['intake.municipality'] &&
          c['intake.accessKind'] === s['intake.accessKind'],
      );
      expect(children.some((c) => c['intake.count'] === null)).toBe(true);
    }
    // Asked again, or through a filter, the same cells come back the same.
    const again = await engine.load(
      {
        measures: ['intake.persons', 'intake.count'],
        dimensions: ['intake.municipality'],
        timeDimensions: [YEAR],
        filters: [{ member: 'intake.accessKind', operator: 'equals', values: ['PUBLIC_OFFICIAL'] }],
      },
      planner,
    );
    for (const r of again.results[0]!.data) {
      const same = cells.find(
        (c) =>
          c['intake.municipality'] === r['intake.municipality'] &&
          c['intake.accessKind'] === 'PUBLIC_OFFICIAL',
      )!;
      expect(r['intake.count']).toBe(same['intake.count']);
    }
  });
});
