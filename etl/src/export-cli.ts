// npm run warehouse:export -- [folder]   (default $DATA_DIR/export; the hub must be stopped, or
// WAREHOUSE_PATH point at a copy: DuckDB has one writer per file.)
import { isAbsolute, join, resolve } from 'node:path';
import { openWarehouse } from '@hub/warehouse';
import { exportWarehouse } from './export.ts';

const cwd = process.env.INIT_CWD ?? process.cwd();
const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
const dataDir = abs(process.env.DATA_DIR ?? './data');
const out = abs(process.argv[2] ?? join(dataDir, 'export'));
const warehouse = await openWarehouse(
  process.env.WAREHOUSE_PATH ? abs(process.env.WAREHOUSE_PATH) : join(dataDir, 'warehouse.duckdb'),
);
try {
  const m = await exportWarehouse(warehouse, out);
  for (const t of m.tables)
    console.log(
      `${t.name.padEnd(20)} ${String(t.rows).padStart(10)} righe, ${t.files.length} file`,
    );
  console.log(`esportato in ${out} (build ${m.build}, modifica ${m.lastChangeSeq})`);
} finally {
  warehouse.close();
}
