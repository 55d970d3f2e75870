// Child process of siuss-flow-part.test.ts (PostgreSQL only): starts storing a flow part by part
// in a transaction, says so on stdout, and waits there to be killed, as a job killed half way.
import { openDb } from '../db/db.ts';
import { flowPartWriter } from './siuss-duty.store.ts';

const [url, schema, flowId] = process.argv.slice(2) as [string, string, string];
const db = await openDb({ kind: 'postgres', url, schema, max: 1 });
await db.transaction(async (tx) => {
  const parts = flowPartWriter(tx, flowId, 1000);
  for (let i = 0; i < 20; i++) await parts.write(`<Beneficiario n="${i}">${'x'.repeat(990)}\n`);
  console.log('parts written');
  await new Promise(() => {});
});
