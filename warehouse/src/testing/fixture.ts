// A warehouse with generated facts for the engine's tests (no case store needed): two zone
// sociali of region 10, five municipalities, persons with one to four intake records each and a
// few rare combinations, so that disclosure control has small cells to protect.
import { rollupRefreshSql, rollupViewSql } from '../engine/rollups.ts';
import { createTableSql, STAR_TABLE_NAMES } from '../schema/star-schema.ts';
import { openWarehouse, type Warehouse } from '../warehouse.ts';

export const FIXTURE_ORGS = {
  zone1: '00000000-0000-0000-0000-0000000000a1',
  zone2: '00000000-0000-0000-0000-0000000000a2',
};

export async function createFixtureWarehouse(records = 4000): Promise<Warehouse> {
  const wh = await openWarehouse(':memory:');
  const c = await wh.connect();
  const b = 'b1';
  await c.run(`CREATE SCHEMA ${b}`);
  for (const t of STAR_TABLE_NAMES) await c.run(createTableSql(b, t));
  await c.run(`INSERT INTO ${b}.dim_territory VALUES
    ('054001', 'Alfa', 'PG', '10-01', 'Zona 1', '10', 'Umbria'),
    ('054002', 'Beta', 'PG', '10-01', 'Zona 1', '10', 'Umbria'),
    ('054003', 'Gamma', 'PG', '10-01', 'Zona 1', '10', 'Umbria'),
    ('055001', 'Delta', 'TR', '10-02', 'Zona 2', '10', 'Umbria'),
    ('055002', 'Epsilon', 'TR', '10-02', 'Zona 2', '10', 'Umbria')`);
  await c.run(`INSERT INTO ${b}.dim_contact_point VALUES
    ('cp1', 'PUA Zona 1', 'PUA', 'o1'), ('cp2', 'PUA Zona 2', 'PUA', 'o2')`);
  // Persons 0..n/2: each lives in one municipality; records spread over 2025–2026. A person's
  // access kind and channel are mostly CITIZEN/IN_PERSON; a few are rare (small cells).
  await c.run(`INSERT INTO ${b}.fact_intake
    SELECT i AS record_key,
      CASE WHEN i % 11 = 0 THEN NULL ELSE 1000000 + (i % ${Math.floor(records / 2)}) END AS person_key,
      CASE WHEN muni < 3 THEN '${FIXTURE_ORGS.zone1}' ELSE '${FIXTURE_ORGS.zone2}' END,
      'o' || CASE WHEN muni < 3 THEN 1 ELSE 2 END,
      'cp' || CASE WHEN muni < 3 THEN 1 ELSE 2 END,
      DATE '2025-01-01' + CAST((i * 7919) % 730 AS INTEGER),
      ['054001', '054002', '054003', '055001', '055002'][muni + 1],
      CASE WHEN muni < 3 THEN '10-01' ELSE '10-02' END, '10',
      CASE WHEN i % 11 = 0 THEN 'ANONYMOUS' WHEN (i % ${Math.floor(records / 2)}) % 97 = 0 THEN 'JUDICIAL_AUTHORITY'
           WHEN (i % ${Math.floor(records / 2)}) % 13 = 0 THEN 'PUBLIC_OFFICIAL' ELSE 'CITIZEN' END,
      CASE WHEN (i % ${Math.floor(records / 2)}) % 7 = 0 THEN 'PHONE' WHEN (i % ${Math.floor(records / 2)}) % 89 = 0 THEN 'HOME_VISIT' ELSE 'IN_PERSON' END,
      'OPEN', NULL, ['ELD', 'FAM', 'POV'][1 + (i % 3)],
      ['18-24', '25-34', '65-74'][1 + ((i % ${Math.floor(records / 2)}) % 3)],
      CASE WHEN (i % ${Math.floor(records / 2)}) % 2 = 0 THEN 'F' ELSE 'M' END, 'ITALIAN'
    FROM (SELECT i, CAST(((i % ${Math.floor(records / 2)}) * 2654435761) % 1000 AS INTEGER) AS h FROM range(${records}) t(i)) x,
      LATERAL (SELECT CASE WHEN h < 400 THEN 0 WHEN h < 700 THEN 1 WHEN h < 703 THEN 2 WHEN h < 900 THEN 3 ELSE 4 END AS muni) m`);
  for (const sql of rollupRefreshSql(b, null)) await c.run(sql);
  for (const t of STAR_TABLE_NAMES)
    await c.run(`CREATE OR REPLACE VIEW main.${t} AS SELECT * FROM ${b}.${t}`);
  for (const sql of rollupViewSql(b)) await c.run(sql);
  await c.run(
    `INSERT INTO main.load_state VALUES ('${b}', TIMESTAMPTZ '2026-11-30 02:00:00+00', TIMESTAMPTZ '2026-11-30 02:00:00+00', 42, TIMESTAMPTZ '2026-11-30 01:59:00+00')`,
  );
  return wh;
}
