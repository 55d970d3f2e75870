// The 10-million-delivery dataset of the warehouse bench (issue 10), generated straight into a
// DuckDB file as a loaded build (facts, dimensions, rollups, load state), without a case store:
// the cruscotti bench (#12) and the warehouse bench read it through the same engine and REST API
// as the hub's own warehouse. Region 10 (Umbria's ISTAT code, the demo planner's region), 12
// zone sociali, 92 municipalities, one organisation per zona, 24 offices, 30 providers, 40
// projects, 8 funding sources, 24 services in 3 nomenclator areas; a delivery's person is one of
// deliveries/20 beneficiaries, each served by one office; amounts skewed so that dominance bites.
import {
  createTableSql,
  openWarehouse,
  refreshProtectedCells,
  rollupRefreshSql,
  rollupViewSql,
  STAR_TABLE_NAMES,
} from '@hub/warehouse';

export type DeliveriesDataset = {
  deliveries: number;
  duties: number;
  persons: number;
  /** The protected cells precomputed (rows of main.sdc_cells) and how long that took. */
  sdcRows: number;
  sdcSeconds: number;
  seconds: number;
};

/** Organisation ids of the generated zone sociali (uuid-shaped, zona n → …0000000000nn). */
export const datasetOrganization = (district: number) =>
  `00000000-0000-4000-8000-0000000000${String(district).padStart(2, '0')}`;

export async function generateDeliveriesWarehouse(
  path: string,
  options: {
    deliveries: number;
    year?: number;
    /**
     * Organisations of a case store to add to the organisation dimension in region 10, so that
     * its planners' tokens reach the dataset (row-level security reads the region from there).
     */
    regionOrganizations?: string[];
  },
): Promise<DeliveriesDataset> {
  const started = performance.now();
  const n = Math.max(1000, Math.round(options.deliveries));
  const persons = Math.max(50, Math.round(n / 20));
  const year = options.year ?? 2025;
  const wh = await openWarehouse(path);
  const c = await wh.connect();
  const b = 'b1';
  try {
    await c.run('BEGIN TRANSACTION');
    await c.run(`CREATE SCHEMA ${b}`);
    for (const t of STAR_TABLE_NAMES) await c.run(createTableSql(b, t));
    await c.run(`INSERT INTO ${b}.dim_territory
      SELECT printf('054%03d', i + 1), 'Comune ' || (i + 1), 'PG', printf('10-%02d', 1 + i % 12),
             'Zona sociale ' || (1 + i % 12), '10', 'Umbria' FROM range(92) t(i)`);
    await c.run(`INSERT INTO ${b}.dim_organization
      SELECT printf('00000000-0000-4000-8000-0000000000%02d', d), 'Zona sociale ' || d, 'DISTRICT', NULL,
             NULL, printf('10-%02d', d), '10' FROM range(1, 13) t(d)`);
    for (const id of options.regionOrganizations ?? [])
      if (/^[0-9a-f-]{36}$/.test(id))
        await c.run(
          `INSERT INTO ${b}.dim_organization VALUES ('${id}', 'Ente', 'REGION', NULL, NULL, NULL, '10')`,
        );
    await c.run(`INSERT INTO ${b}.dim_office
      SELECT 'office-' || i, 'Ufficio ' || i, printf('00000000-0000-4000-8000-0000000000%02d', 1 + i % 12), 'SOCIAL'
        FROM range(24) t(i)`);
    await c.run(`INSERT INTO ${b}.dim_service
      SELECT printf('A%d.%02d', 1 + i % 3, 1 + i // 3), 'Prestazione ' || i, 'INPS_SIUSS', 'A' || (1 + i % 3), NULL,
             printf('A%d.%02d', 1 + i % 3, 1 + i // 3) FROM range(24) t(i)`);
    await c.run(`INSERT INTO ${b}.dim_provider
      SELECT 'provider-' || i, 'Cooperativa ' || i, CASE WHEN i < 6 THEN 'IN_HOUSE' ELSE 'THIRD_SECTOR' END,
             printf('00000000-0000-4000-8000-0000000000%02d', 1 + i % 12) FROM range(30) t(i)`);
    await c.run(`INSERT INTO ${b}.dim_project
      SELECT 'project-' || i, 'P' || i, 'Progetto ' || i, printf('00000000-0000-4000-8000-0000000000%02d', 1 + i % 12),
             ['MUNICIPAL_BUDGET', 'DISTRICT_FUND', 'REGIONAL_FUND', 'FNPS', 'FNA', 'POVERTY_FUND', 'PON_FSE_PLUS', 'PNRR'][1 + i % 8],
             1000000, DATE '${year - 1}-01-01', NULL FROM range(40) t(i)`);
    await c.run(`INSERT INTO ${b}.dim_funding_source
      SELECT code, code, 'NATIONAL' FROM (SELECT unnest(['MUNICIPAL_BUDGET', 'DISTRICT_FUND', 'REGIONAL_FUND', 'FNPS',
        'FNA', 'POVERTY_FUND', 'PON_FSE_PLUS', 'PNRR']) AS code)`);
    // A person lives in one municipality (so one zona), is served by one office of that zona,
    // gets one or two services; deliveries spread over two years, amounts mostly small.
    await c.run(`INSERT INTO ${b}.fact_delivery
      SELECT i AS delivery_key, p AS person_key,
        printf('00000000-0000-4000-8000-0000000000%02d', 1 + muni % 12),
        'office-' || ((muni % 12) + 12 * (p % 2)),
        DATE '${year - 1}-01-01' + CAST((i * 7919) % 730 AS INTEGER),
        printf('054%03d', muni + 1), printf('10-%02d', 1 + muni % 12), '10',
        printf('A%d.%02d', 1 + s % 3, 1 + s // 3), printf('A%d.%02d', 1 + s % 3, 1 + s // 3), 'A' || (1 + s % 3),
        CAST(1 + p % 3 AS VARCHAR), ['FAM', 'DIS', 'ELD', 'POV', 'ADD'][1 + p % 5],
        'provider-' || (p % 30), CASE WHEN p % 4 = 0 THEN NULL ELSE 'project-' || (p % 40) END,
        CASE WHEN p % 4 = 0 THEN 'MUNICIPAL_BUDGET' ELSE ['MUNICIPAL_BUDGET', 'DISTRICT_FUND', 'REGIONAL_FUND', 'FNPS',
          'FNA', 'POVERTY_FUND', 'PON_FSE_PLUS', 'PNRR'][1 + (p % 40) % 8] END,
        CAST(1 + i % 4 AS DECIMAL(12,2)),
        CAST(CASE WHEN p % 997 = 0 THEN 5000 + i % 1000 ELSE 10 + (i * 31) % 90 END AS DECIMAL(14,2)),
        CASE WHEN i % 50 = 0 THEN 'TO_VERIFY' WHEN i % 97 = 0 THEN 'DISPUTED' WHEN i % 3 = 0 THEN 'RECORDED' ELSE 'ACCEPTED' END,
        ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75+'][1 + p % 8],
        CASE WHEN p % 2 = 0 THEN 'F' ELSE 'M' END,
        CASE WHEN p % 3 = 0 THEN NULL ELSE ['0-5999', '6000-9999', '10000-19999', '20000-29999', '30000+'][1 + p % 5] END,
        'Zona sociale ' || (1 + muni % 12), 'Comune ' || (muni + 1), 'Ufficio ' || ((muni % 12) + 12 * (p % 2)),
        'Prestazione ' || s, 'Cooperativa ' || (p % 30),
        CASE WHEN p % 4 = 0 THEN NULL ELSE 'Progetto ' || (p % 40) END
      FROM (SELECT i, CAST((i * 2654435761) % ${persons} AS BIGINT) AS p FROM range(${n}) t(i)) x,
        LATERAL (SELECT CAST((p * 40507) % 92 AS INTEGER) AS muni, CAST((p + i % 2) % 24 AS INTEGER) AS s) y`);
    // Six in ten deliveries carry a SIUSS duty, three months after the delivery.
    await c.run(`INSERT INTO ${b}.fact_siuss_duty
      SELECT delivery_key, person_key, organization_id, office_id, delivered_on,
        CAST(delivered_on + INTERVAL 3 MONTH AS DATE), municipality_code, district_code, region_code,
        service_code, provider_id, st, 'INSERT', st IN ('DUE', 'IN_FLOW', 'REJECTED'),
        st IN ('DUE', 'IN_FLOW', 'REJECTED') AND CAST(delivered_on + INTERVAL 3 MONTH AS DATE) < current_date
      FROM (SELECT *, CASE WHEN delivered_on >= current_date - 30 THEN 'DUE' WHEN delivery_key % 17 = 0 THEN 'REJECTED'
                           WHEN delivery_key % 5 = 0 THEN 'SENT' ELSE 'ACCEPTED' END AS st
              FROM ${b}.fact_delivery WHERE delivery_key % 10 < 6)`);
    for (const sql of rollupRefreshSql(b, null)) await c.run(sql);
    for (const t of STAR_TABLE_NAMES)
      await c.run(`CREATE OR REPLACE VIEW main.${t} AS SELECT * FROM ${b}.${t}`);
    for (const sql of rollupViewSql(b)) await c.run(sql);
    // The cruscotti's protected cells, as the ETL's full rebuild computes them.
    const sdc = await refreshProtectedCells(c);
    await c.run('DELETE FROM main.load_state');
    await c.run(`INSERT INTO main.load_state VALUES ('${b}', now(), now(), 0, NULL)`);
    await c.run('COMMIT');
    const [duties] = (
      await c.runAndReadAll(`SELECT count(*)::INTEGER FROM ${b}.fact_siuss_duty`)
    ).getRowsJson() as number[][];
    return {
      deliveries: n,
      duties: Number(duties![0]),
      persons,
      sdcSeconds: Math.round(sdc.ms / 100) / 10,
      sdcRows: sdc.rows,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    c.closeSync();
    wh.close();
  }
}
