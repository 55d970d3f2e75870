// Issue 8, section 2: what the rules ask and the intake record now models, each both ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import {
  citizenInput,
  createIntakeWorld,
  hoursAgo,
  type IntakeWorld,
  newSubject,
  rowCounts,
} from './intake.fixtures.ts';
import { FIRST_INTERVIEW_DAYS } from './intake.rules.ts';
import { closeIntakeRecord, createIntakeRecord, recordIntakeConsent } from './intake.service.ts';
import type { CreateIntakeInput } from './intake.types.ts';

let world: IntakeWorld;
let desk: OperatorActor;
beforeAll(async () => {
  world = await createIntakeWorld();
  desk = world.actors.frontDeskPg;
});
afterAll(() => world.db.close());

describe('rule 3’s exception: what a judge ordered, and only that', () => {
  const order = {
    reference: 'Decreto Trib. Minorenni Perugia n. 123/2026',
    serviceCodes: ['A2.07'],
  };
  const refusing = (over: Partial<CreateIntakeInput> = {}) =>
    citizenInput({ consent: { status: 'DENIED' }, needs: [], ...over });

  it('should record the ordered intervention for a citizen who does not consent', async () => {
    const record = await createIntakeRecord(
      world.db,
      desk,
      refusing({ judicialOrder: order, services: [{ code: 'A2.07' }] }),
    );
    expect(record).toMatchObject({
      legalBasis: 'JUDICIAL_MANDATE',
      consentStatus: 'DENIED',
      judicialOrder: order,
    });
    expect(record.services.map((s) => s.code)).toEqual(['A2.07']);
  });

  it.each([
    ['no order', refusing({ services: [{ code: 'A2.07' }] }), 'input.consent'],
    [
      'a service the order does not name',
      refusing({ judicialOrder: order, services: [{ code: 'A2.07' }, { code: 'A1.01' }] }),
      'input.services.1.code',
    ],
    [
      'social data beyond the order',
      refusing({ judicialOrder: order, social: { familyNotes: 'vive sola' } }),
      'input.social',
    ],
  ])('should refuse, with %s, and write nothing', async (_, input, field) => {
    const before = await rowCounts(world.db);
    await expect(createIntakeRecord(world.db, desk, input)).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
      field,
    });
    expect(await rowCounts(world.db)).toEqual(before);
  });
});

describe('the reporter’s title is an attested fact', () => {
  const reporter = async (titleDocument: string | null) => {
    const earlier = await createIntakeRecord(world.db, desk, citizenInput());
    return {
      occurredAt: hoursAgo(1),
      channel: 'PHONE' as const,
      accessKind: 'GENERIC_REPORTER' as const,
      interlocutor: {
        kind: 'RELATIVE_OR_ACQUAINTANCE' as const,
        name: 'Giulia Rossi',
        role: 'tutrice',
        entitled: true,
        titleDocument,
      },
      subject: { personId: earlier.subject!.personId! },
      services: [{ code: 'A2.07' }],
    };
  };

  it('should refuse services asked on a title no document attests', async () => {
    await expect(createIntakeRecord(world.db, desk, await reporter(null))).rejects.toMatchObject({
      code: 'SERVICE_WITHOUT_TITLE',
      field: 'input.interlocutor.titleDocument',
    });
  });

  it('should record the document, who attested it and when', async () => {
    const record = await createIntakeRecord(
      world.db,
      desk,
      await reporter('Decreto di nomina del tutore, Trib. Perugia n. 45/2025'),
    );
    expect(record.interlocutor).toMatchObject({
      entitled: true,
      titleDocument: 'Decreto di nomina del tutore, Trib. Perugia n. 45/2025',
      titleAttestedBy: desk.id,
    });
    expect(record.interlocutor.titleAttestedAt).toBeInstanceOf(Date);
  });
});

describe('rule 2’s first interview', () => {
  const report = (): CreateIntakeInput => ({
    occurredAt: new Date('2026-11-02T09:00:00Z'),
    channel: 'WRITTEN_REPORT',
    accessKind: 'PUBLIC_OFFICIAL',
    interlocutor: { kind: 'INSTITUTIONAL', name: 'Dirigente scolastico' },
    subject: newSubject(),
    summary: 'Assenze scolastiche ripetute',
  });

  it('should give the report a due date for the decision and refuse closing it before', async () => {
    const record = await createIntakeRecord(world.db, desk, report());
    expect(FIRST_INTERVIEW_DAYS).toBe(30);
    expect(record.consentDueOn).toBe('2026-12-02');
    await expect(
      closeIntakeRecord(world.db, desk, record.id, { outcome: 'INFORMATION_GIVEN' }),
    ).rejects.toMatchObject({ code: 'CONSENT_REQUIRED', field: 'input.outcome' });
    await recordIntakeConsent(world.db, desk, record.id, { status: 'GIVEN' });
    await expect(
      closeIntakeRecord(world.db, desk, record.id, { outcome: 'INFORMATION_GIVEN' }),
    ).resolves.toMatchObject({ status: 'CLOSED' });
  });
});

describe('rule 6: a report of crime or risk about a person whose name is not known', () => {
  const crime = (over: Partial<CreateIntakeInput> = {}): CreateIntakeInput => ({
    occurredAt: hoursAgo(2),
    channel: 'PHONE',
    accessKind: 'CRIME_OR_RISK_REPORT',
    interlocutor: { kind: 'RELATIVE_OR_ACQUAINTANCE', name: 'Una vicina' },
    summary: 'Sente piangere un bambino per ore, genitori spesso assenti',
    ...over,
  });

  it('should record it with what is known, and close it to the judicial authority', async () => {
    const record = await createIntakeRecord(
      world.db,
      desk,
      crime({ unidentifiedSubject: 'bambino di circa 8 anni, via dei Priori 12, terzo piano' }),
    );
    expect(record).toMatchObject({
      subject: null,
      unidentifiedSubject: 'bambino di circa 8 anni, via dei Priori 12, terzo piano',
      legalBasis: 'LEGAL_OBLIGATION',
    });
    await expect(
      closeIntakeRecord(world.db, desk, record.id, { outcome: 'REPORT_TO_JUDICIAL_AUTHORITY' }),
    ).resolves.toMatchObject({ status: 'CLOSED' });
  });

  it('should still ask for the subject or a description, and keep descriptions to these reports', async () => {
    await expect(createIntakeRecord(world.db, desk, crime())).rejects.toMatchObject({
      code: 'SUBJECT_REQUIRED',
    });
    await expect(
      createIntakeRecord(
        world.db,
        desk,
        citizenInput({ unidentifiedSubject: 'un signore anziano' }),
      ),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.unidentifiedSubject' });
  });
});
