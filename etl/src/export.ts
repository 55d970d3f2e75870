// The warehouse as Parquet for engines beyond one machine (issue 10): every fact and dimension,
// facts partitioned by year and zona sociale in the hive layout (`year=2026/district_code=10-02/
// data_0.parquet`), with a manifest. DuckDB, ClickHouse, Trino and Spark read the folder as it
// is. Written aside and renamed into place, so a reader never sees half an export. Only what
// the warehouse holds leaves: pseudonyms, codes, dates and counts.
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { STAR_TABLE_NAMES, STAR_TABLES, type StarTable, type Warehouse } from '@hub/warehouse';

const DATE_OF: Partial<Record<StarTable, string>> = {
  fact_intake: 'occurred_on',
  fact_case: 'opened_on',
  fact_delivery: 'delivered_on',
  fact_siuss_duty: 'due_on',
  fact_care_plan: 'start_on',
  fact_case_status: 'changed_on',
};

export type ExportManifest = {
  format: 'parquet';
  layout: 'hive';
  build: string;
  loadedAt: string;
  lastChangeSeq: number;
  exportedAt: string;
  tables: {
    name: string;
    rows: number;
    partitionedBy: string[];
    columns: { name: string; type: string }[];
    files: string[];
  }[];
};

async function filesUnder(dir: string, root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p, root)));
    else out.push(relative(root, p));
  }
  return out.sort();
}

export async function exportWarehouse(
  warehouse: Warehouse,
  outDir: string,
): Promise<ExportManifest> {
  const state = await warehouse.loadState();
  if (!state) throw new Error('[WarehouseExport] the warehouse has not been loaded yet');
  const partial = `${outDir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const c = await warehouse.connect();
  const tables: ExportManifest['tables'] = [];
  try {
    // One snapshot for every table: the export is of one build at one change.
    await c.run('BEGIN TRANSACTION');
    for (const table of STAR_TABLE_NAMES) {
      const date = DATE_OF[table];
      const target = join(partial, table).replace(/'/g, "''");
      if (date) {
        await c.run(
          `COPY (SELECT *, CAST(year(${date}) AS INTEGER) AS year FROM main.${table})
             TO '${target}' (FORMAT PARQUET, PARTITION_BY (year, district_code), OVERWRITE_OR_IGNORE)`,
        );
      } else {
        await mkdir(join(partial, table), { recursive: true });
        await c.run(`COPY main.${table} TO '${target}/data_0.parquet' (FORMAT PARQUET)`);
      }
      const count = await c.runAndReadAll(`SELECT count(*) FROM main.${table}`);
      const exists = await stat(join(partial, table)).catch(() => null);
      tables.push({
        name: table,
        rows: Number(count.getRowsJson()[0]![0]),
        partitionedBy: date ? ['year', 'district_code'] : [],
        columns: STAR_TABLES[table].map(([name, type]) => ({ name, type })),
        files: exists ? await filesUnder(join(partial, table), partial) : [],
      });
    }
    await c.run('COMMIT');
  } finally {
    c.closeSync();
  }
  const manifest: ExportManifest = {
    format: 'parquet',
    layout: 'hive',
    build: state.build,
    loadedAt: state.loadedAt.toISOString(),
    lastChangeSeq: state.lastChangeSeq,
    exportedAt: new Date().toISOString(),
    tables,
  };
  await writeFile(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(outDir, { recursive: true, force: true });
  await rename(partial, outDir);
  return manifest;
}
