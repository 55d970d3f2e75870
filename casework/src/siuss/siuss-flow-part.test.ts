import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { FLOW_HEADER, psRecord } from './siuss.fixtures.ts';
import {
  flowBase64,
  flowPartWriter,
  flowXmlChunks,
  insertFlows,
  readFlowXml,
} from './siuss-duty.store.ts';
import { buildFlow } from './siuss-flow.ts';
import type { PsRecord } from './siuss-record.ts';

let db: Db;
let orgId: string;
beforeAll(async () => {
  db = await createTestDb();
  const [org] = await db.query<{ id: string }>(
    `INSERT INTO organization (name, kind) VALUES ('Comune di Perugia', 'MUNICIPALITY') RETURNING id`,
  );
  orgId = org!.id;
}, 60_000);
afterAll(() => db.close());

// Names with two-, three- and four-byte UTF-8 characters: a part boundary must split none.
function record(i: number): PsRecord {
  const r = psRecord(i);
  r.Anagrafica.Cognome = ['Nicolò', 'Ðurić', 'Zoë 😀', 'Ōtsuka'][i % 4]!;
  return r;
}
async function* records(n: number, failAt = -1): AsyncGenerator<PsRecord[]> {
  for (let at = 0; at < n; at += 100) {
    if (failAt >= at && failAt < at + 100) throw new Error('job interrotto');
    yield Array.from({ length: Math.min(100, n - at) }, (_, k) => record(at + k));
  }
}

const row = (id: string, ts: number) => ({
  id,
  organizationId: orgId,
  kind: 'PS_PSA_SINA' as const,
  route: 'FILE' as const,
  status: 'VALID' as const,
  records: [],
  recordCount: 0,
  report: [],
  tsMs: ts,
});

/** Builds a flow of n records into parts of `partChars`, as the service does; returns its text. */
async function storeFlow(tx: Queryable, id: string, n: number, partChars: number, failAt = -1) {
  let text = '';
  const parts = flowPartWriter(tx, id, partChars);
  const report = await buildFlow('PS_PSA_SINA', { ...FLOW_HEADER, Nome: id }, records(n, failAt), {
    output: (c) => {
      text += c;
    },
    outputBytes: (c) => parts.write(c),
  });
  await parts.end();
  return { text, report };
}

const counts = async (id: string) => {
  const [c] = await db.query<{ flows: number; parts: number }>(
    `SELECT (SELECT count(*)::int FROM siuss_flow WHERE id = $1) AS flows,
            (SELECT count(*)::int FROM siuss_flow_part WHERE flow_id = $1) AS parts`,
    [id],
  );
  return c!;
};

describe('a flow stored in parts', () => {
  it('should read back byte-identical, part by part and as WaaS base64', async () => {
    const id = 'G478.PS.20260115.0000101';
    const written = await db.transaction(async (tx) => {
      const w = await storeFlow(tx, id, 3000, 64 * 1024);
      await insertFlows(tx, [row(id, 1)]);
      return w;
    });
    expect(written.report.valid).toBe(true);
    const [parts] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM siuss_flow_part WHERE flow_id = $1',
      [id],
    );
    // About 2 MB in parts of 64 KB or a little more (a part ends with a whole segment).
    expect(parts!.n).toBeGreaterThan(3);
    const chunks: string[] = [];
    for await (const c of flowXmlChunks(db, id)) chunks.push(c);
    expect(chunks.length).toBe(parts!.n);
    const back = chunks.join('');
    expect(Buffer.from(back, 'utf8').equals(Buffer.from(written.text, 'utf8'))).toBe(true);
    expect(back).toContain('Zoë 😀');
    expect(await readFlowXml(db, id)).toBe(written.text);
    expect(await flowBase64(db, id)).toBe(Buffer.from(written.text, 'utf8').toString('base64'));
  });

  it('should leave no flow and no parts when the write fails half way', async () => {
    const id = 'G478.PS.20260115.0000102';
    await expect(
      db.transaction(async (tx) => {
        await storeFlow(tx, id, 3000, 16 * 1024, 2500);
        await insertFlows(tx, [row(id, 2)]);
      }),
    ).rejects.toThrow('job interrotto');
    expect(await counts(id)).toEqual({ flows: 0, parts: 0 });
    // Failing after the row is stored too: the transaction takes both back.
    await expect(
      db.transaction(async (tx) => {
        await storeFlow(tx, id, 500, 16 * 1024);
        await insertFlows(tx, [row(id, 2)]);
        throw new Error('dopo il flusso');
      }),
    ).rejects.toThrow('dopo il flusso');
    expect(await counts(id)).toEqual({ flows: 0, parts: 0 });
  });

  it('should refuse parts of a flow whose row never comes (checked at commit)', async () => {
    const id = 'G478.PS.20260115.0000103';
    await expect(
      db.transaction(async (tx) => {
        await storeFlow(tx, id, 10, 16 * 1024);
      }),
    ).rejects.toThrow(/foreign key|siuss_flow_part/);
    expect(await counts(id)).toEqual({ flows: 0, parts: 0 });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'should leave no flow and no parts when the job is killed half way',
    async () => {
      const id = 'G478.PS.20260115.0000104';
      const [s] = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./siuss-flow-part.child.ts', import.meta.url)),
          process.env.TEST_DATABASE_URL!,
          s!.schema,
          id,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          if (String(d).includes('parts written')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`child exited (${code})`)));
      });
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;
      // The server ends the killed session's transaction: its parts are gone, and the same flow
      // can be stored (its key is not held by a half transaction).
      await db.transaction(async (tx) => {
        await storeFlow(tx, id, 10, 16 * 1024);
        await insertFlows(tx, [row(id, 4)]);
      });
      const [p] = await db.query<{ n: number; min: number }>(
        'SELECT count(*)::int AS n, min(seq)::int AS min FROM siuss_flow_part WHERE flow_id = $1',
        [id],
      );
      expect(p).toEqual({ n: 1, min: 0 });
      expect(await readFlowXml(db, id)).not.toContain('<Beneficiario n="0">');
    },
    60_000,
  );

  it('should move the text of the flows stored before the parts into parts (migration 064)', async () => {
    // The store as it was before 064: the flow's XML one text on its row, no part table.
    const big = `${'<Beneficiario Cognome="Zoë 😀"/>\n'.repeat(80_000)}`;
    const olds = [
      { id: 'G478.PS.20250101.0000001', xml: '<Flusso/>' },
      { id: 'G478.PS.20250101.0000002', xml: big },
      { id: 'G478.PS.20250101.0000003', xml: '' },
    ];
    const mdb = await createTestDb();
    try {
      const [org] = await mdb.query<{ id: string }>(
        `INSERT INTO organization (name, kind) VALUES ('Comune', 'MUNICIPALITY') RETURNING id`,
      );
      await mdb.exec(
        `DROP TABLE siuss_flow_part; ALTER TABLE siuss_flow ADD COLUMN xml text NOT NULL DEFAULT ''`,
      );
      for (const [k, f] of olds.entries())
        await mdb.query(
          `INSERT INTO siuss_flow (id, organization_id, kind, route, status, records, xml, ts_ms)
           VALUES ($1, $2, 'PS_PSA_SINA', 'FILE', 'SENT', 0, $3, $4)`,
          [f.id, org!.id, f.xml, k + 1],
        );
      const sql = await readFile(
        new URL('../../migrations/064-siuss-flow-part.sql', import.meta.url),
        'utf8',
      );
      await mdb.transaction((tx) => tx.exec(sql));
      for (const f of olds) expect(await readFlowXml(mdb, f.id)).toBe(f.xml);
      const [n] = await mdb.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM siuss_flow_part WHERE flow_id = $1',
        [olds[1]!.id],
      );
      // 2.6 million characters: three parts of at most 1,048,576.
      expect(n!.n).toBe(Math.ceil(big.length / 1_048_576));
      const [col] = await mdb.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'siuss_flow' AND column_name = 'xml'`,
      );
      expect(col!.n).toBe(0);
    } finally {
      await mdb.close();
    }
  }, 60_000);
});
