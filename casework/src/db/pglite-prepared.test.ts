// A prepared statement answers exactly what the same statement answers unprepared: on PGlite
// (pglite-prepared.ts speaks the protocol itself) and on a server (pg's named statements).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { createTestDb } from './test-db.ts';

describe('prepared statements', () => {
  let db: Db;
  let other: Db;
  beforeAll(async () => {
    db = await createTestDb();
    other = await createTestDb();
    for (const d of [db, other])
      await d.exec(`CREATE TABLE probe (id int PRIMARY KEY, label text NOT NULL UNIQUE)`);
    await db.query(`INSERT INTO probe VALUES (1, 'here')`);
    await other.query(`INSERT INTO probe VALUES (1, 'there')`);
  });
  afterAll(async () => {
    await db.close();
    await other.close();
  });

  const TYPED = `SELECT $1::date AS d, $2::bigint AS n, $3::jsonb AS j, $4::uuid[] AS ids,
                        $5::text AS nothing, '2026-01-02T03:04:05Z'::timestamptz AS at,
                        $6::bpchar[] AS codes, 'it''s'::text AS quoted`;
  const PARAMS = [
    '2024-02-29',
    9_007_199_254_740_000,
    { a: [1, 'à'] },
    ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'],
    null,
    ['RSSMRA80A01G478X', 'BNCLCU85M10L117P'],
  ];

  it('should answer the same rows, types included, as the unprepared statement', async () => {
    const plain = await db.query(TYPED, PARAMS);
    const first = await db.query(TYPED, PARAMS, { prepared: true });
    const again = await db.query(TYPED, PARAMS, { prepared: true });
    expect(first).toEqual(plain);
    expect(again).toEqual(plain);
    expect(first[0]!.at).toBeInstanceOf(Date);
    expect(first[0]!.d).toBe('2024-02-29');
    expect(first[0]!.nothing).toBeNull();
  });

  it('should resolve the same text to each schema’s own tables', async () => {
    const sql = 'SELECT label FROM probe WHERE id = $1';
    expect(await db.query(sql, [1], { prepared: true })).toEqual([{ label: 'here' }]);
    expect(await other.query(sql, [1], { prepared: true })).toEqual([{ label: 'there' }]);
    expect(await db.query(sql, [1], { prepared: true })).toEqual([{ label: 'here' }]);
  });

  it('should throw the database error with its code, and keep the store usable', async () => {
    const insert = 'INSERT INTO probe (id, label) VALUES ($1, $2) RETURNING id';
    expect(await db.query(insert, [2, 'two'], { prepared: true })).toEqual([{ id: 2 }]);
    await expect(db.query(insert, [3, 'two'], { prepared: true })).rejects.toMatchObject({
      code: '23505',
    });
    expect(await db.query(insert, [3, 'three'], { prepared: true })).toEqual([{ id: 3 }]);
  });

  it('should write inside a transaction, and roll back with it', async () => {
    const insert = 'INSERT INTO probe (id, label) VALUES ($1, $2)';
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, [10, 'ten'], { prepared: true });
        expect(await tx.query('SELECT count(*)::int AS n FROM probe WHERE id = 10')).toEqual([
          { n: 1 },
        ]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT id FROM probe WHERE id = 10')).toEqual([]);
    await db.transaction((tx) => tx.query(insert, [11, 'eleven'], { prepared: true }));
    expect(await db.query('SELECT label FROM probe WHERE id = 11')).toEqual([{ label: 'eleven' }]);
  });
});
