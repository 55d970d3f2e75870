import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { type Fixture, seedFixture } from '../testing/fixture.ts';
import { findPersonByTaxCode } from './person.service.ts';

describe('findPersonByTaxCode under concurrency (group commit)', () => {
  let db: Db;
  let f: Fixture;
  let perugia: OperatorActor;
  let terni: OperatorActor;
  beforeAll(async () => {
    db = await createTestDb();
    f = await db.transaction((tx) => seedFixture(tx));
    const origin = { ip: '10.1.1.1', userAgent: 'test' };
    perugia = (await loadOperatorActor(db, f.operators.frontDeskPg, origin))!;
    terni = (await loadOperatorActor(db, f.operators.frontDeskTr, origin))!;
  });
  afterAll(() => db.close());

  it('should answer each concurrent request for its own actor and audit every one', async () => {
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!
      .n;
    const cf = f.persons.perugia.taxCode;
    const requests = Array.from({ length: 30 }, (_, i) => {
      const actor = i % 3 === 0 ? terni : perugia;
      const code = i % 5 === 0 ? 'RSSMRA80A01H501U' : cf;
      return findPersonByTaxCode(db, actor, code).then(
        (p) => (p ? `found:${p.lastName}` : 'none'),
        (e: { code?: string }) => `error:${e.code}`,
      );
    });
    const results = await Promise.all(requests);
    results.forEach((r, i) => {
      // A person held by another organisation answers as an unknown code does (no oracle).
      const expected = i % 5 === 0 || i % 3 === 0 ? 'none' : 'found:Bianchi';
      expect(r, `request ${i}`).toBe(expected);
    });
    const rows = await db.query<{ actor_id: string; outcome: string; n: number }>(
      `SELECT actor_id, outcome, count(*)::int AS n FROM audit_log WHERE id > $1
        GROUP BY actor_id, outcome ORDER BY actor_id, outcome`,
      [before],
    );
    // 30 requests: 6 not found (OK, no person), 8 refused to Terni (DENIED in the audit, null to
    // the caller), 16 granted to Perugia.
    expect(rows).toEqual([
      { actor_id: 'sportello.pg', outcome: 'OK', n: 20 },
      { actor_id: 'sportello.tr', outcome: 'DENIED', n: 8 },
      { actor_id: 'sportello.tr', outcome: 'OK', n: 2 },
    ]);
  });
});
