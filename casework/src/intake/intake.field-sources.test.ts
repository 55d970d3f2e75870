import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  citizenInput,
  createIntakeWorld,
  type IntakeWorld,
  newSubject,
} from './intake.fixtures.ts';
import { createIntakeRecord } from './intake.service.ts';

// The subject registered from an intake record keeps each field's source: what the form filled
// from ANPR stays ANPR, what the desk typed is TYPED.

let w: IntakeWorld;
beforeAll(async () => {
  w = await createIntakeWorld();
});
afterAll(() => w.db.close());

describe('the sources of a subject registered at the desk', () => {
  it('should keep ANPR for the fields the form filled from it and TYPED for the others', async () => {
    const s = newSubject();
    const record = await createIntakeRecord(
      w.db,
      w.actors.frontDeskPg,
      citizenInput({
        subject: {
          ...s,
          residenceAddress: 'VIA MAZZINI 12',
          phone: '075 555 0101',
          fieldSources: [
            { field: 'lastName', source: 'ANPR' },
            { field: 'firstName', source: 'ANPR' },
            { field: 'residenceAddress', source: 'ANPR' },
          ],
        },
      }),
    );
    const [p] = await w.db.query<{ fieldSources: Record<string, string> }>(
      `SELECT field_sources AS "fieldSources" FROM person WHERE id = $1`,
      [record.subject!.personId],
    );
    expect(p!.fieldSources).toMatchObject({
      lastName: 'ANPR',
      firstName: 'ANPR',
      residenceAddress: 'ANPR',
      taxCode: 'TYPED',
      phone: 'TYPED',
    });
    expect(p!.fieldSources).not.toHaveProperty('fieldSources');
  });

  it('should refuse a source that is not one of the hub’s', async () => {
    await expect(
      createIntakeRecord(
        w.db,
        w.actors.frontDeskPg,
        citizenInput({
          subject: {
            ...newSubject(),
            fieldSources: [{ field: 'lastName', source: 'GOSSIP' as never }],
          },
        }),
      ),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
