// One ETL run in a process of its own, for the kill -9 test (etl-kill.test.ts): it runs the load
// named on the command line against a PostgreSQL schema and a DuckDB file and, when it reaches
// the checkpoint named in ETL_STOP_AT, says so on stdout and waits there with its transactions
// open, for the test to SIGKILL it. Without ETL_STOP_AT it runs to the end and prints the result.
import { openDb } from '@hub/casework';
import { openWarehouse } from '@hub/warehouse';
import { type EtlKind, runEtl } from '../etl.ts';

const [kind, url, schema, file, key] = process.argv.slice(2) as [
  EtlKind,
  string,
  string,
  string,
  string,
];
const stopAt = process.env.ETL_STOP_AT ?? null;

const db = await openDb({ kind: 'postgres', url, schema, max: 2 });
const warehouse = await openWarehouse(file);
const result = await runEtl(
  {
    db,
    warehouse,
    pseudonymKey: key,
    // Small pages, so that a timed kill can land in the middle of the extraction too.
    pageSize: 50,
    checkpoint: async (phase) => {
      process.stdout.write(`checkpoint ${phase}\n`);
      if (phase === stopAt) {
        process.stdout.write(`stopped ${phase}\n`);
        await new Promise(() => undefined);
      }
    },
  },
  kind,
);
process.stdout.write(`${JSON.stringify(result)}\n`);
warehouse.close();
await db.close();
