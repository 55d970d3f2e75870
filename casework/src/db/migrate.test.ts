import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { createTestDb } from './test-db.ts';

describe('migrate', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.close());

  it('should apply nothing the second time', async () => {
    expect(await migrate(db)).toEqual([]);
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(row!.n).toBeGreaterThan(0);
  });

  it('should roll back every write of a failed transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO region (code, name) VALUES ('99', 'Prova')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query(`SELECT * FROM region WHERE code = '99'`)).toEqual([]);
  });

  it('should return dates as ISO strings', async () => {
    const [row] = await db.query<{ d: string }>(`SELECT '2024-02-29'::date AS d`);
    expect(row!.d).toBe('2024-02-29');
  });
});
