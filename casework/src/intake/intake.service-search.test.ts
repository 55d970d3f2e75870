// Migration 009: a search by requested service is driven by the service requests, which carry a
// copy of their record's time and organisation. The copies follow every write (triggers), and the
// search answers as the record itself would: organisation, time, paging, a service asked twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { citizenInput, createIntakeWorld, type IntakeWorld } from './intake.fixtures.ts';
import { createIntakeRecord, searchIntakeRecords, updateIntakeRecord } from './intake.service.ts';
import { updateIntakeRow } from './intake.store.ts';

let world: IntakeWorld;
let db: Db;
let desk: OperatorActor;

beforeAll(async () => {
  world = await createIntakeWorld();
  db = world.db;
  desk = world.actors.frontDeskPg;
});
afterAll(() => db.close());

/** Service requests whose copies differ from their record's values (none, ever). */
const driftedCopies = async () =>
  db.query(
    `SELECT s.id FROM intake_service_request s JOIN intake_record r ON r.id = s.intake_id
      WHERE s.organization_id IS DISTINCT FROM r.organization_id
         OR s.occurred_at IS DISTINCT FROM r.occurred_at`,
  );

const byService = async (actor: OperatorActor, serviceCode: string, first?: number) =>
  searchIntakeRecords(db, actor, { serviceCode, ...(first ? { first } : {}) });

describe('search by requested service (copies on the service requests)', () => {
  it('should copy the record’s time and organisation onto each request, and follow their changes', async () => {
    const record = await createIntakeRecord(
      db,
      desk,
      citizenInput({
        occurredAt: new Date('2025-06-10T09:00:00Z'),
        services: [{ code: 'A2.07' }, { code: 'A1.05' }],
      }),
    );
    expect(await driftedCopies()).toEqual([]);

    await updateIntakeRecord(db, desk, record.id, {
      occurredAt: new Date('2025-06-11T10:00:00Z'),
      services: [{ code: 'A2.07' }, { code: 'A1.06' }],
    });
    expect(await driftedCopies()).toEqual([]);
    const [hit] = (await byService(desk, 'A1.06')).items;
    expect(hit).toMatchObject({ id: record.id, serviceCodes: ['A1.06', 'A2.07'] });
    expect(new Date(hit!.occurredAt).toISOString()).toBe('2025-06-11T10:00:00.000Z');

    // The record moves to another organisation (what sendIntakeToDesk writes): its requests move
    // with it, so the search finds it there and no longer here.
    await updateIntakeRow(db, record.id, { organizationId: world.fx.organizations.terni }, null);
    expect(await driftedCopies()).toEqual([]);
    expect((await byService(desk, 'A1.06')).items).toEqual([]);
    expect((await byService(world.actors.frontDeskTr, 'A1.06')).items.map((i) => i.id)).toEqual([
      record.id,
    ]);
  });

  it('should list a record that requests a service twice once, and page without overlaps or gaps', async () => {
    const made: string[] = [];
    for (const [i, services] of [
      [{ code: 'A3.01' }],
      [{ code: 'A3.01' }, { code: 'A3.01' }],
      [{ code: 'A3.01' }],
      [{ code: 'A1.05' }],
      [{ code: 'A3.01' }, { code: 'A1.05' }, { code: 'A3.01' }],
    ].entries()) {
      const r = await createIntakeRecord(
        db,
        desk,
        citizenInput({ occurredAt: new Date(Date.UTC(2025, 7, 1 + i, 9)), services }),
      );
      made.push(r.id);
    }
    const expected = [made[4], made[2], made[1], made[0]];
    expect((await byService(desk, 'A3.01')).items.map((i) => i.id)).toEqual(expected);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await searchIntakeRecords(db, desk, {
        serviceCode: 'A3.01',
        first: 1,
        ...(after ? { after } : {}),
      });
      seen.push(...res.items.map((i) => i.id));
      after = res.nextCursor;
      if (!after) break;
    }
    expect(seen).toEqual(expected);
    // The other filters still apply, on the record.
    expect(
      (
        await searchIntakeRecords(db, desk, {
          serviceCode: 'A3.01',
          from: '2025-08-02T00:00:00Z',
          to: '2025-08-04T00:00:00Z',
        })
      ).items.map((i) => i.id),
    ).toEqual([made[2], made[1]]);
    // Another organisation's desk sees none of them.
    expect((await byService(world.actors.frontDeskTr, 'A3.01')).items).toEqual([]);
  });
});
