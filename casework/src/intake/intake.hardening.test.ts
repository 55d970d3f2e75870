// Issue 8, defects 5, 6 and 9: a masked desk's update erases nothing it cannot see, rules 1 and 6
// cannot be undone, and an anonymous record acquires no identity, not even in its free text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  citizenInput,
  createIntakeWorld,
  hoursAgo,
  type IntakeWorld,
  newSubject,
  rowCounts,
} from './intake.fixtures.ts';
import {
  addIntakeDiaryEntry,
  closeIntakeRecord,
  createIntakeRecord,
  deleteIntakeRecord,
  getIntakeRecord,
  updateIntakeRecord,
} from './intake.service.ts';
import type { CreateIntakeInput } from './intake.types.ts';

let world: IntakeWorld;
beforeAll(async () => {
  world = await createIntakeWorld();
});
afterAll(() => world.db.close());

const lastAudit = async (actorId: string) =>
  (
    await world.db.query<{ outcome: string; reason: string | null }>(
      'SELECT outcome, reason FROM audit_log WHERE actor_id = $1 ORDER BY id DESC LIMIT 1',
      [actorId],
    )
  )[0];

const snapshot = async (id: string) =>
  (await world.db.query('SELECT * FROM intake_record WHERE id = $1', [id]))[0];

describe('a masked desk updates only what it sees (defect 5)', () => {
  const sensitive = {
    familyNotes: 'vive con la figlia',
    healthNotes: 'in cura presso il CSM',
    economicNotes: 'ISEE 4.200 euro',
    judicialNotes: 'decreto del tribunale',
  };
  const foreignCitizen = {
    citizenship: 'Marocco',
    permitType: 'Permesso di soggiorno per lavoro',
    permitExpiry: '2027-05-31',
  };

  it('should merge a partial update and keep the fields masked at the desk', async () => {
    const record = await createIntakeRecord(world.db, world.actors.frontDeskPg, {
      ...citizenInput(),
      social: sensitive,
      foreignCitizen,
    });
    const urp = world.actors.publicDeskPg;
    const seen = await updateIntakeRecord(world.db, urp, record.id, {
      social: { familyNotes: 'vive da solo' },
      foreignCitizen: { citizenship: 'Tunisia' },
    });
    expect(seen.social.healthNotes).toBeNull();
    expect(seen.maskedFields).toContain('social.healthNotes');
    const full = await getIntakeRecord(world.db, world.actors.frontDeskPg, record.id);
    expect(full.social).toMatchObject({ ...sensitive, familyNotes: 'vive da solo' });
    expect(full.foreignCitizen).toEqual({ ...foreignCitizen, citizenship: 'Tunisia' });
  });

  it('should keep masked fields when the desk sends back the nulls it was shown', async () => {
    const record = await createIntakeRecord(world.db, world.actors.frontDeskPg, {
      ...citizenInput(),
      social: sensitive,
    });
    const urp = world.actors.publicDeskPg;
    const shown = await getIntakeRecord(world.db, urp, record.id);
    await updateIntakeRecord(world.db, urp, record.id, {
      social: { ...shown.social, familyNotes: 'aggiornato' },
    });
    const full = await getIntakeRecord(world.db, world.actors.frontDeskPg, record.id);
    expect(full.social).toMatchObject({ ...sensitive, familyNotes: 'aggiornato' });
  });

  it('should refuse a value for a masked field, naming it, and change nothing', async () => {
    const record = await createIntakeRecord(world.db, world.actors.frontDeskPg, {
      ...citizenInput(),
      social: sensitive,
    });
    const before = await snapshot(record.id);
    await expect(
      updateIntakeRecord(world.db, world.actors.publicDeskPg, record.id, {
        social: { familyNotes: 'x', healthNotes: 'sovrascritto' },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'input.social.healthNotes' });
    expect(await snapshot(record.id)).toEqual(before);
    expect(await lastAudit('urp.pg')).toMatchObject({ outcome: 'DENIED' });
  });
});

describe('rules 1 and 6 cannot be undone (defect 6)', () => {
  const judicial = (): CreateIntakeInput => ({
    occurredAt: hoursAgo(3),
    channel: 'WRITTEN_REPORT',
    accessKind: 'JUDICIAL_AUTHORITY',
    interlocutor: { kind: 'JUDICIAL_AUTHORITY', name: 'Tribunale per i minorenni', entitled: true },
    subject: newSubject(),
  });
  const crime = (): CreateIntakeInput => ({
    occurredAt: hoursAgo(3),
    channel: 'PHONE',
    accessKind: 'CRIME_OR_RISK_REPORT',
    interlocutor: { kind: 'RELATIVE_OR_ACQUAINTANCE', name: 'Una vicina' },
    subject: newSubject(),
    summary: 'Sospetti maltrattamenti',
  });

  it.each([
    ['JUDICIAL_AUTHORITY', judicial],
    ['CRIME_OR_RISK_REPORT', crime],
  ])('should refuse deleting a %s record, audited, the record kept', async (_, input) => {
    const desk = world.actors.frontDeskPg;
    const record = await createIntakeRecord(world.db, desk, input());
    const before = await snapshot(record.id);
    await expect(
      deleteIntakeRecord(world.db, desk, record.id, { reason: 'inserita per errore' }),
    ).rejects.toMatchObject({ code: 'RECORD_KEPT_BY_LAW', field: 'id' });
    expect(await snapshot(record.id)).toEqual(before);
    expect(await lastAudit('sportello.pg')).toMatchObject({ outcome: 'DENIED' });
  });

  it('should refuse deleting a judicial proposal', async () => {
    const desk = world.actors.frontDeskPg;
    const record = await createIntakeRecord(world.db, desk, judicial());
    await closeIntakeRecord(world.db, desk, record.id, { outcome: 'PROPOSAL_TAKE_INTO_CARE' });
    await expect(
      deleteIntakeRecord(world.db, desk, record.id, { reason: 'inserita per errore' }),
    ).rejects.toMatchObject({ code: 'RECORD_KEPT_BY_LAW' });
  });

  it.each([
    ['JUDICIAL_AUTHORITY', judicial],
    ['CRIME_OR_RISK_REPORT', crime],
  ])(
    'should refuse changing the kind of access of a %s record, so no other outcome is reachable',
    async (_, input) => {
      const desk = world.actors.frontDeskPg;
      const record = await createIntakeRecord(world.db, desk, input());
      const before = await snapshot(record.id);
      await expect(
        updateIntakeRecord(world.db, desk, record.id, {
          accessKind: 'CITIZEN',
          interlocutor: { kind: 'SUBJECT', entitled: false },
          consent: { status: 'GIVEN' },
        }),
      ).rejects.toMatchObject({ code: 'ACCESS_KIND_FIXED', field: 'input.accessKind' });
      expect(await snapshot(record.id)).toEqual(before);
      await expect(
        closeIntakeRecord(world.db, desk, record.id, { outcome: 'INFORMATION_GIVEN' }),
      ).rejects.toMatchObject({ code: 'OUTCOME_NOT_ALLOWED' });
    },
  );

  it('should still let an ordinary record be deleted and its kind changed', async () => {
    const desk = world.actors.frontDeskPg;
    const record = await createIntakeRecord(world.db, desk, citizenInput());
    await deleteIntakeRecord(world.db, desk, record.id, { reason: 'inserita per errore' });
    expect((await snapshot(record.id))?.deleted_at).not.toBeNull();
  });
});

describe('anonymous records acquire no identity (defect 9)', () => {
  const anonymous = (over: Partial<CreateIntakeInput> = {}): CreateIntakeInput => ({
    occurredAt: hoursAgo(1),
    channel: 'PHONE',
    accessKind: 'ANONYMOUS',
    needs: [{ code: 'POV' }],
    summary: 'Chiede informazioni sul contributo affitto',
    ...over,
  });

  it('should refuse a codice fiscale alone as identity, audited, nothing written', async () => {
    const before = await rowCounts(world.db);
    await expect(
      createIntakeRecord(
        world.db,
        world.actors.frontDeskPg,
        anonymous({ subject: { taxCode: newSubject().taxCode } }),
      ),
    ).rejects.toMatchObject({ code: 'ANONYMOUS_WITH_IDENTITY', field: 'input.subject' });
    expect(await rowCounts(world.db)).toEqual(before);
    expect(await lastAudit('sportello.pg')).toMatchObject({ outcome: 'DENIED' });
  });

  it.each([
    ['input.summary', { summary: `Il cittadino ${newSubject().taxCode} chiede aiuto` }],
    ['input.sentBy', { sentBy: 'mario.rossi@example.it' }],
    [
      'input.interlocutor.contact',
      { interlocutor: { kind: 'OTHER' as const, name: 'Un vicino', contact: '347 123 4567' } },
    ],
    ['input.needs.0.notes', { needs: [{ code: 'POV', notes: 'richiamare al 075 5771234' }] }],
  ])('should refuse identity written into %s', async (field, over) => {
    await expect(
      createIntakeRecord(world.db, world.actors.frontDeskPg, anonymous(over)),
    ).rejects.toMatchObject({ code: 'ANONYMOUS_WITH_IDENTITY', field });
  });

  it('should accept dates and amounts in the text, and refuse identity in the diary', async () => {
    const record = await createIntakeRecord(
      world.db,
      world.actors.frontDeskPg,
      anonymous({ summary: 'Sfratto previsto il 03.12.2026, debito di 1.250 euro' }),
    );
    await expect(
      addIntakeDiaryEntry(world.db, world.actors.frontDeskPg, record.id, {
        kind: 'NOTE',
        text: 'ha lasciato la mail anna.bianchi@example.it',
      }),
    ).rejects.toMatchObject({ code: 'ANONYMOUS_WITH_IDENTITY', field: 'input.text' });
  });
});
