// The 10-million-delivery dataset of the warehouse bench (issue 10), generated straight into
// DuckDB, without a case store: the warehouse bench and the cruscotti bench (#12) read it through
// the same engine and REST API as the hub's own warehouse. Two ways:
// - generateDeliveriesWarehouse: a DuckDB file of its own, as a loaded build (facts, dimensions,
//   rollups, load state, protected cells). Region 10 (Umbria's ISTAT code, the demo planner's
//   region), 12 zone sociali, 92 municipalities, one organisation per zona, 24 offices, 30
//   providers, 40 projects, 8 funding sources, 24 services in 3 nomenclator areas.
// - replaceDeliveries: the deliveries and SIUSS duties of a warehouse's current build (the hub's,
//   built by the ETL from the demo region) replaced by generated ones over that build's own
//   dimensions (the demo's territory, zone, offices, nomenclator, providers, projects), its
//   rollups and protected cells computed again; the other facts stay as the ETL loaded them.
// Either way a delivery's person is one of deliveries/20 beneficiaries, living in one
// municipality and served by one office of its zona; amounts skewed so that dominance bites.
import {
  type CubeReader,
  createTableSql,
  openWarehouse,
  refreshProtectedCells,
  rollupRefreshSql,
  rollupViewSql,
  STAR_TABLE_NAMES,
  type Warehouse,
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
    await insertDeliveryFacts(c, b, { deliveries: n, persons, year });
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

type DuckDBConnection = Awaited<ReturnType<Warehouse['connect']>>;

const count = async (c: DuckDBConnection, sql: string) =>
  Number(((await c.runAndReadAll(sql)).getRowsJson() as number[][])[0]![0]);

/**
 * Generated deliveries (and six in ten of them with a SIUSS duty) over the dimensions of build
 * `b`: the i-th municipality of its territory, the organisation of that municipality's zona
 * sociale (a DISTRICT or UNION one first) and one of its offices, the nomenclator's services,
 * the providers and projects (a project's funding source; a quarter of the persons on the
 * municipal budget, without a project).
 */
export async function insertDeliveryFacts(
  c: DuckDBConnection,
  b: string,
  o: { deliveries: number; persons: number; year: number },
): Promise<void> {
  await c.run(`CREATE OR REPLACE TEMP TABLE gen_muni AS
    SELECT row_number() OVER (ORDER BY municipality_code) - 1 AS k, *
      FROM ${b}.dim_territory WHERE district_code IS NOT NULL`);
  await c.run(`CREATE OR REPLACE TEMP TABLE gen_zone AS
    SELECT district_code,
           first(organization_id ORDER BY kind NOT IN ('DISTRICT', 'UNION'), organization_id) AS organization_id
      FROM ${b}.dim_organization WHERE district_code IS NOT NULL AND municipality_code IS NULL
     GROUP BY district_code`);
  await c.run(`CREATE OR REPLACE TEMP TABLE gen_office AS
    SELECT z.district_code, f.office_id, f.office_name,
           row_number() OVER (PARTITION BY z.district_code ORDER BY f.office_id) - 1 AS k,
           count(*) OVER (PARTITION BY z.district_code) AS n
      FROM gen_zone z JOIN ${b}.dim_office f ON f.organization_id = z.organization_id`);
  await c.run(`CREATE OR REPLACE TEMP TABLE gen_service AS
    SELECT row_number() OVER (ORDER BY service_code) - 1 AS k, * FROM ${b}.dim_service`);
  await c.run(`CREATE OR REPLACE TEMP TABLE gen_provider AS
    SELECT row_number() OVER (ORDER BY provider_id) - 1 AS k, * FROM ${b}.dim_provider`);
  await c.run(`CREATE OR REPLACE TEMP TABLE gen_project AS
    SELECT row_number() OVER (ORDER BY project_id) - 1 AS k, * FROM ${b}.dim_project`);
  const nm = await count(c, 'SELECT count(*) FROM gen_muni');
  const ns = await count(c, 'SELECT count(*) FROM gen_service');
  if (nm === 0 || ns === 0) throw new Error(`build ${b}: no territory or no services to deliver`);
  const np = Math.max(1, await count(c, 'SELECT count(*) FROM gen_provider'));
  const nj = Math.max(1, await count(c, 'SELECT count(*) FROM gen_project'));
  const { deliveries: n, persons, year } = o;
  await c.run(`INSERT INTO ${b}.fact_delivery
    SELECT x.i, x.p, z.organization_id, f.office_id,
      DATE '${year - 1}-01-01' + CAST((x.i * 7919) % 730 AS INTEGER),
      m.municipality_code, m.district_code, m.region_code,
      s.service_code, s.standard_code, s.category,
      CAST(1 + x.p % 3 AS VARCHAR), ['FAM', 'DIS', 'ELD', 'POV', 'ADD'][1 + x.p % 5],
      pr.provider_id, pj.project_id,
      CASE WHEN pj.project_id IS NULL THEN 'MUNICIPAL_BUDGET' ELSE coalesce(pj.funding_source_code, 'MUNICIPAL_BUDGET') END,
      CAST(1 + x.i % 4 AS DECIMAL(12,2)),
      CAST(CASE WHEN x.p % 997 = 0 THEN 5000 + x.i % 1000 ELSE 10 + (x.i * 31) % 90 END AS DECIMAL(14,2)),
      CASE WHEN x.i % 50 = 0 THEN 'TO_VERIFY' WHEN x.i % 97 = 0 THEN 'DISPUTED' WHEN x.i % 3 = 0 THEN 'RECORDED' ELSE 'ACCEPTED' END,
      ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75+'][1 + x.p % 8],
      CASE WHEN x.p % 2 = 0 THEN 'F' ELSE 'M' END,
      CASE WHEN x.p % 3 = 0 THEN NULL ELSE ['0-5999', '6000-9999', '10000-19999', '20000-29999', '30000+'][1 + x.p % 5] END,
      m.district_name, m.municipality_name, f.office_name, s.service_title, pr.provider_name, pj.project_title
    FROM (SELECT i, CAST((i * 2654435761) % ${persons} AS BIGINT) AS p FROM range(${n}) t(i)) x
      JOIN gen_muni m ON m.k = CAST((x.p * 40507) % ${nm} AS INTEGER)
      JOIN gen_service s ON s.k = CAST((x.p + x.i % 2) % ${ns} AS INTEGER)
      LEFT JOIN gen_zone z ON z.district_code = m.district_code
      LEFT JOIN gen_office f ON f.district_code = m.district_code AND f.k = x.p % f.n
      LEFT JOIN gen_provider pr ON pr.k = x.p % ${np}
      LEFT JOIN gen_project pj ON x.p % 4 <> 0 AND pj.k = x.p % ${nj}`);
  // Six in ten deliveries carry a SIUSS duty, three months after the delivery.
  await c.run(`INSERT INTO ${b}.fact_siuss_duty
    SELECT delivery_key, person_key, organization_id, office_id, delivered_on,
      CAST(delivered_on + INTERVAL 3 MONTH AS DATE), municipality_code, district_code, region_code,
      service_code, provider_id, st, 'INSERT', st IN ('DUE', 'IN_FLOW', 'REJECTED'),
      st IN ('DUE', 'IN_FLOW', 'REJECTED') AND CAST(delivered_on + INTERVAL 3 MONTH AS DATE) < current_date
    FROM (SELECT *, CASE WHEN delivered_on >= current_date - 30 THEN 'DUE' WHEN delivery_key % 17 = 0 THEN 'REJECTED'
                         WHEN delivery_key % 5 = 0 THEN 'SENT' ELSE 'ACCEPTED' END AS st
            FROM ${b}.fact_delivery WHERE delivery_key % 10 < 6)`);
  for (const t of [
    'gen_muni',
    'gen_zone',
    'gen_office',
    'gen_service',
    'gen_provider',
    'gen_project',
  ])
    await c.run(`DROP TABLE ${t}`);
}

const DELIVERY_FACTS = ['fact_delivery', 'fact_siuss_duty'];

/**
 * Replaces the deliveries and SIUSS duties of a warehouse's current build with generated ones
 * over its own dimensions, in one DuckDB transaction: facts, their rollups, the protected cells
 * of their cubes (for `readers`, the case store's managers and planners, as the ETL computes
 * them) and the load time, so that readers drop what they kept of the old load. The ETL must not
 * run meanwhile: a full rebuild would bring the case store's deliveries back.
 */
export async function replaceDeliveries(
  warehouse: Warehouse,
  options: { deliveries: number; year?: number; readers?: CubeReader[] },
): Promise<DeliveriesDataset> {
  const started = performance.now();
  const state = await warehouse.loadState();
  if (!state) throw new Error('replaceDeliveries: the warehouse has no build yet');
  const b = state.build;
  const n = Math.max(1000, Math.round(options.deliveries));
  const persons = Math.max(50, Math.round(n / 20));
  const c = await warehouse.connect();
  try {
    await c.run('BEGIN TRANSACTION');
    try {
      for (const t of DELIVERY_FACTS) await c.run(`DELETE FROM ${b}.${t}`);
      await insertDeliveryFacts(c, b, { deliveries: n, persons, year: options.year ?? 2025 });
      for (const sql of rollupRefreshSql(b, DELIVERY_FACTS)) await c.run(sql);
      const sdc = await refreshProtectedCells(
        c,
        DELIVERY_FACTS,
        options.readers ? { readers: options.readers } : {},
      );
      await c.run('UPDATE main.load_state SET loaded_at = now()');
      await c.run('COMMIT');
      return {
        deliveries: n,
        duties: await count(c, `SELECT count(*) FROM ${b}.fact_siuss_duty`),
        persons,
        sdcSeconds: Math.round(sdc.ms / 100) / 10,
        sdcRows: sdc.rows,
        seconds: Math.round((performance.now() - started) / 100) / 10,
      };
    } catch (err) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    c.closeSync();
  }
}
