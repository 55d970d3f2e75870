import type { Db } from '@hub/casework';
import { createTestDb } from '@hub/casework/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyOut, createRecordSplitter, uuidArrayLiteral } from './copy.ts';
import { factRewriter } from './stage.ts';

/** Every record of `chunks`, fed to a splitter as they are. */
function split(chunks: Buffer[]): string[] {
  const s = createRecordSplitter();
  const out: string[] = [];
  for (const c of [...chunks, null]) s.push(c, (t, a, b) => out.push(t.slice(a, b)));
  return out;
}

describe('COPY records', () => {
  const csv = 'a,1,"x, ""y"""\nb,,"two\nlines"\nc,3,città\n';

  it('should split records whatever the chunk boundaries, line breaks inside quotes included', () => {
    const bytes = Buffer.from(csv);
    const want = ['a,1,"x, ""y"""', 'b,,"two\nlines"', 'c,3,città'];
    for (let cut = 0; cut <= bytes.length; cut++)
      expect(split([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(want);
    // One byte at a time: a multi-byte character cut in two still decodes.
    expect(split([...bytes].map((b) => Buffer.from([b])))).toEqual(want);
    // A last record without its line break is a record.
    expect(split([Buffer.from('a,1\nb,2')])).toEqual(['a,1', 'b,2']);
  });

  it('should put the pseudonyms in place of the id and the reference, NULL as no person', () => {
    const rewrite = factRewriter(
      (id) => `K(${id})`,
      (ref) => `P(${ref})`,
    );
    const line = (s: string) => rewrite(s, 0, s.length);
    expect(line('id1,RSSMRA80A01H501U,2025-01-01,"a, b"')).toBe(
      'K(id1),P(RSSMRA80A01H501U),2025-01-01,"a, b"',
    );
    expect(line('id2,,x')).toBe('K(id2),,x');
    expect(line('id3,"",x')).toBe('K(id3),P(),x');
    expect(line('id4,ref')).toBe('K(id4),P(ref)');
  });

  it('should refuse anything but uuids in a literal list', () => {
    expect(uuidArrayLiteral(['0b6f1c4e-8a39-4d2c-9f6e-2b1a3c4d5e6f'])).toBe(
      "'{0b6f1c4e-8a39-4d2c-9f6e-2b1a3c4d5e6f}'::uuid[]",
    );
    expect(() => uuidArrayLiteral(["x'}'::uuid[]; DROP TABLE person; --"])).toThrow(/not a uuid/);
  });
});

describe('COPY … TO on the case store', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
  }, 120_000);
  afterAll(() => db.close());

  it('should stream the CSV of a query in the transaction snapshot, quoted as CSV wants', async () => {
    const text = await db.transaction(async (tx) => {
      await tx.exec(`CREATE TEMP TABLE copy_probe (n int, name text, ok boolean, day date)`);
      await tx.query(
        `INSERT INTO copy_probe VALUES (1, 'Città "di" Castello, PG', true, '2025-03-01'),
           (2, NULL, false, NULL), (3, E'a\\nb', NULL, '2025-12-31'), (4, '', true, NULL)`,
      );
      const chunks: Buffer[] = [];
      for await (const c of copyOut(
        tx,
        'SELECT n::text, name::text, ok::text, day::text FROM copy_probe ORDER BY n',
      ))
        chunks.push(c);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(text).toBe(
      '1,"Città ""di"" Castello, PG",true,2025-03-01\n2,,false,\n3,"a\nb",,2025-12-31\n4,"",true,\n',
    );
    expect(split([Buffer.from(text)])).toHaveLength(4);
  });

  it('should fail the transaction on an error in the COPY and leave the store usable', async () => {
    await expect(
      db.transaction(async (tx) => {
        for await (const _ of copyOut(tx, 'SELECT 1 / (n - n) FROM generate_series(1, 3) n'));
      }),
    ).rejects.toThrow(/division by zero/);
    const [row] = await db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'));
    expect(row!.one).toBe(1);
  });

  it('should refuse to COPY outside a transaction', async () => {
    await expect(async () => {
      for await (const _ of copyOut(db, 'SELECT 1'));
    }).rejects.toThrow(/transaction/);
  });
});
