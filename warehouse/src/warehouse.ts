import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export type Warehouse = {
  readonly path: string;
  /** Answers when DuckDB answers a trivial query. */
  ping(): Promise<void>;
  close(): void;
};

/** Opens (or creates) the DuckDB warehouse file; ':memory:' for an in-memory one. */
export async function openWarehouse(path: string): Promise<Warehouse> {
  if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  return {
    path,
    ping: async () => {
      await connection.run('SELECT 1');
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
