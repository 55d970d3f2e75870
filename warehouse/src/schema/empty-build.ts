import { rollupRefreshSql, rollupViewSql } from '../engine/rollups.ts';
import type { Warehouse } from '../warehouse.ts';
import { createTableSql, STAR_TABLE_NAMES } from './star-schema.ts';

/**
 * A loaded warehouse with no rows (build `b0`): what a hub with an empty case store answers
 * from, and what the gateway's tests start with.
 */
export async function createEmptyBuild(warehouse: Warehouse): Promise<void> {
  const c = await warehouse.connect();
  try {
    await c.run('BEGIN TRANSACTION');
    await c.run('CREATE SCHEMA IF NOT EXISTS b0');
    for (const t of STAR_TABLE_NAMES)
      await c.run(createTableSql('b0', t).replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS'));
    for (const sql of rollupRefreshSql('b0', null)) await c.run(sql);
    for (const t of STAR_TABLE_NAMES)
      await c.run(`CREATE OR REPLACE VIEW main.${t} AS SELECT * FROM b0.${t}`);
    for (const sql of rollupViewSql('b0')) await c.run(sql);
    await c.run('DELETE FROM main.load_state');
    await c.run("INSERT INTO main.load_state VALUES ('b0', now(), now(), 0, NULL)");
    await c.run('COMMIT');
  } finally {
    c.closeSync();
  }
}
