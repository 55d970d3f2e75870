import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';
import { LOAD_STATE_DDL, type LoadState, SDC_CELLS_DDL } from './schema/star-schema.ts';

export type WarehouseRow = Record<string, string | number | boolean | null>;

export type Warehouse = {
  readonly path: string;
  /** Answers when DuckDB answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Runs one read statement with positional parameters ($1, $2…) and returns plain rows: numbers
   * as numbers (BIGINT and HUGEINT counts included), dates as 'YYYY-MM-DD', timestamps as ISO text.
   */
  read(sql: string, params?: DuckDBValue[]): Promise<WarehouseRow[]>;
  /** A connection of its own (the ETL writes through one; DuckDB keeps readers on their snapshot). */
  connect(): Promise<DuckDBConnection>;
  /** The current build and its freshness; null before the first load. */
  loadState(): Promise<LoadState | null>;
  close(): void;
};

// Reads share a few connections: one DuckDB connection runs one statement at a time, and the
// gateway answers several cube queries at once.
const READERS = 3;

/** Opens (or creates) the DuckDB warehouse file; ':memory:' for an in-memory one. */
export async function openWarehouse(path: string): Promise<Warehouse> {
  if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path);
  const setup = await instance.connect();
  await setup.run(LOAD_STATE_DDL);
  await setup.run(SDC_CELLS_DDL);
  const readers: DuckDBConnection[] = [setup];
  for (let i = 1; i < READERS; i++) readers.push(await instance.connect());
  const queues: Promise<unknown>[] = readers.map(() => Promise.resolve());
  let next = 0;
  const others: DuckDBConnection[] = [];

  async function read(sql: string, params: DuckDBValue[] = []): Promise<WarehouseRow[]> {
    const i = next++ % READERS;
    const connection = readers[i]!;
    const run = queues[i]!.then(() => readRows(connection, sql, params));
    queues[i] = run.catch(() => undefined);
    return run;
  }

  return {
    path,
    ping: async () => {
      await read('SELECT 1');
    },
    read,
    connect: async () => {
      const c = await instance.connect();
      others.push(c);
      return c;
    },
    loadState: async () => {
      const [row] = await read(
        `SELECT build, built_at, loaded_at, last_change_seq, last_change_at,
           (SELECT max(computed_at) FROM main.sdc_cells) AS cells_at FROM main.load_state`,
      );
      if (!row) return null;
      return {
        build: String(row.build),
        builtAt: new Date(String(row.built_at)),
        loadedAt: new Date(String(row.loaded_at)),
        lastChangeSeq: Number(row.last_change_seq),
        lastChangeAt: row.last_change_at === null ? null : new Date(String(row.last_change_at)),
        cellsAt: row.cells_at === null ? null : new Date(String(row.cells_at)),
      };
    },
    close: () => {
      for (const c of [...others, ...readers]) c.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * One read statement on a given connection, as `Warehouse.read` gives it (the ETL reads inside
 * its own transaction with it, so what it computes there is what a reader computes after).
 */
export async function readRows(
  connection: DuckDBConnection,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<WarehouseRow[]> {
  const reader = await connection.runAndReadAll(sql, params);
  const numeric = reader.columnTypes().map((t) => NUMERIC_TEXT.has(t.typeId));
  return plainRows(reader.columnNames(), numeric, reader.getRowsJson());
}

// The types DuckDB's JSON form gives as text, to keep precision: counts and sums are far below
// 2^53 here, so they come back as numbers.
const NUMERIC_TEXT = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

function plainRows(names: string[], numeric: boolean[], rows: unknown[][]): WarehouseRow[] {
  return rows.map((r) => {
    const out: WarehouseRow = {};
    names.forEach((name, i) => {
      const v = r[i] as string | number | boolean | null;
      out[name] = numeric[i] && v !== null ? Number(v) : v;
    });
    return out;
  });
}
