import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import {
  citizenInput,
  createIntakeWorld,
  hoursAgo,
  type IntakeWorld,
  newSubject,
  rowCounts,
} from './intake.fixtures.ts';
import {
  closeIntakeRecord,
  createIntakeRecord,
  proposeIntakeForCare,
  recordIntakeConsent,
} from './intake.service.ts';
import type { CreateIntakeInput } from './intake.types.ts';

// One test per consent rule of seed 003, section 1.2, for the allowed and the refused path.
// Every refusal must leave the store exactly as it was.

let world: IntakeWorld;
let db: Db;
let desk: OperatorActor;

beforeAll(async () => {
  world = await createIntakeWorld();
  db = world.db;
  desk = world.actors.frontDeskPg;
});
afterAll(() => db.close());

async function expectRefused(input: CreateIntakeInput, code: string, field: string) {
  const before = await rowCounts(db);
  await expect(createIntakeRecord(db, desk, input)).rejects.toMatchObject({ code, field });
  expect(await rowCounts(db)).toEqual(before);
}

const judge = {
  kind: 'JUDICIAL_AUTHORITY' as const,
  organization: 'Tribunale per i minorenni di Perugia',
};
const official = {
  kind: 'INSTITUTIONAL' as const,
  name: 'Dirigente scolastico',
  organization: 'IC Perugia 3',
};

describe('judicial authority', () => {
  it('should register the subject without consent, on the judge’s mandate', async () => {
    const before = await rowCounts(db);
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(3),
      channel: 'WRITTEN_REPORT',
      accessKind: 'JUDICIAL_AUTHORITY',
      accessReason: 'DECREE',
      interlocutor: judge,
      subject: newSubject(),
      needs: [{ code: 'FAM' }],
    });
    expect(record).toMatchObject({
      legalBasis: 'JUDICIAL_MANDATE',
      consentStatus: null,
      status: 'OPEN',
    });
    expect(record.subject?.taxCode).toMatch(/^[A-Z0-9]{16}$/);
    const after = await rowCounts(db);
    expect([
      after.intake - before.intake,
      after.person - before.person,
      after.consent - before.consent,
    ]).toEqual([1, 1, 0]);
  });

  it('should keep the record even when the subject denies consent', async () => {
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(3),
      channel: 'WRITTEN_REPORT',
      accessKind: 'JUDICIAL_AUTHORITY',
      interlocutor: judge,
      subject: newSubject(),
      consent: { status: 'DENIED' },
    });
    expect(record).toMatchObject({ legalBasis: 'JUDICIAL_MANDATE', consentStatus: 'DENIED' });
  });

  it('should always lead to a case: closing is only a proposal of taking into care', async () => {
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(3),
      channel: 'WRITTEN_REPORT',
      accessKind: 'JUDICIAL_AUTHORITY',
      interlocutor: judge,
      subject: newSubject(),
    });
    await expect(
      closeIntakeRecord(db, desk, record.id, { outcome: 'INFORMATION_GIVEN' }),
    ).rejects.toMatchObject({
      code: 'OUTCOME_NOT_ALLOWED',
      field: 'input.outcome',
    });
    const proposed = await proposeIntakeForCare(db, desk, record.id);
    expect(proposed).toMatchObject({ status: 'PROPOSED', outcome: 'PROPOSAL_TAKE_INTO_CARE' });
  });

  it('should refuse a judicial record closed at creation with another outcome, saving nothing', async () => {
    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'WRITTEN_REPORT',
        accessKind: 'JUDICIAL_AUTHORITY',
        interlocutor: judge,
        subject: newSubject(),
        close: { outcome: 'REFERRAL' },
      },
      'OUTCOME_NOT_ALLOWED',
      'input.outcome',
    );
  });

  it('should refuse a judicial record whose interlocutor is not the judicial authority', async () => {
    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'WRITTEN_REPORT',
        accessKind: 'JUDICIAL_AUTHORITY',
        interlocutor: { kind: 'RELATIVE_OR_ACQUAINTANCE', name: 'Un vicino' },
        subject: newSubject(),
      },
      'INTERLOCUTOR_NOT_ALLOWED',
      'input.interlocutor.kind',
    );
  });
});

describe('public official', () => {
  it('should accept a written report, with need data, before consent is asked', async () => {
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(5),
      channel: 'WRITTEN_REPORT',
      accessKind: 'PUBLIC_OFFICIAL',
      interlocutor: official,
      subject: newSubject(),
      summary: 'Assenze scolastiche ripetute e segni di trascuratezza',
      needs: [{ code: 'FAM' }],
      social: { familyNotes: 'madre sola con tre figli' },
    });
    expect(record).toMatchObject({ legalBasis: 'LEGAL_OBLIGATION', consentStatus: null });
    expect(record.needs.map((n) => n.code)).toEqual(['FAM']);
  });

  it.each(['PHONE', 'EMAIL', 'IN_PERSON'] as const)(
    'should refuse a report that did not come in writing (%s)',
    async (channel) => {
      await expectRefused(
        {
          occurredAt: hoursAgo(1),
          channel,
          accessKind: 'PUBLIC_OFFICIAL',
          interlocutor: official,
          subject: newSubject(),
        },
        'CHANNEL_NOT_ALLOWED',
        'input.channel',
      );
    },
  );

  it('should refuse need data when the subject denied consent: only the report stays', async () => {
    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'WRITTEN_REPORT',
        accessKind: 'PUBLIC_OFFICIAL',
        interlocutor: official,
        subject: newSubject(),
        consent: { status: 'DENIED' },
        needs: [{ code: 'FAM' }],
      },
      'CONSENT_REQUIRED',
      'input.needs',
    );
    const reportOnly = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'WRITTEN_REPORT',
      accessKind: 'PUBLIC_OFFICIAL',
      interlocutor: official,
      subject: newSubject(),
      consent: { status: 'DENIED' },
      summary: 'Segnalazione della scuola',
    });
    expect(reportOnly).toMatchObject({
      consentStatus: 'DENIED',
      summary: 'Segnalazione della scuola',
      needs: [],
    });
  });

  it('should drop the need data of the report when the subject later denies consent', async () => {
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(5),
      channel: 'WRITTEN_REPORT',
      accessKind: 'PUBLIC_OFFICIAL',
      interlocutor: official,
      subject: newSubject(),
      summary: 'Segnalazione dei servizi sanitari',
      needs: [{ code: 'DIS' }],
      services: [{ code: 'A2.07', workingMinutes: 30 }],
      social: { healthNotes: 'diabete non curato', housingNotes: 'casa insalubre' },
      foreignCitizen: { permitType: 'Permesso per lavoro subordinato' },
      referencePersons: [{ relationship: 'RELATIVE', fullName: 'Paolo Neri' }],
    });
    const denied = await recordIntakeConsent(db, desk, record.id, { status: 'DENIED' });
    expect(denied).toMatchObject({
      consentStatus: 'DENIED',
      summary: 'Segnalazione dei servizi sanitari',
      interlocutor: { kind: 'INSTITUTIONAL' },
      needs: [],
      services: [],
      referencePersons: [],
      social: { healthNotes: null, housingNotes: null },
      foreignCitizen: { permitType: null },
    });
    expect(denied.subject?.personId).toBe(record.subject?.personId);
    // Nor can the need data come back.
    await expect(proposeIntakeForCare(db, desk, record.id)).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
    });
  });
});

describe('citizen in need', () => {
  it('should record the subject and the consent given at the desk', async () => {
    const before = await rowCounts(db);
    const record = await createIntakeRecord(db, desk, citizenInput());
    expect(record).toMatchObject({
      legalBasis: 'CONSENT',
      consentStatus: 'GIVEN',
      consentGivenBy: 'SUBJECT',
    });
    const after = await rowCounts(db);
    expect([
      after.intake - before.intake,
      after.person - before.person,
      after.consent - before.consent,
    ]).toEqual([1, 1, 1]);
    const [consent] = await db.query<{ status: string; organization_id: string }>(
      'SELECT status, organization_id FROM consent WHERE person_id = $1',
      [record.subject!.personId],
    );
    expect(consent).toEqual({ status: 'GIVEN', organization_id: world.fx.organizations.perugia });
  });

  it('should accept a later contact without asking again when consent is on file', async () => {
    const first = await createIntakeRecord(db, desk, citizenInput());
    const again = await createIntakeRecord(
      db,
      desk,
      citizenInput({ subject: { personId: first.subject!.personId }, consent: null }),
    );
    expect(again.consentStatus).toBe('GIVEN');
  });

  it.each([
    ['no consent', null],
    ['a denied consent', { status: 'DENIED' as const }],
  ])('should record no personal data with %s', async (_case, consent) => {
    await expectRefused(citizenInput({ consent }), 'CONSENT_REQUIRED', 'input.consent');
  });
});

describe('legal representative', () => {
  const representative = {
    kind: 'LEGAL_REPRESENTATIVE' as const,
    name: 'Avv. Carla Gialli',
    role: 'amministratore di sostegno',
  };

  it('should complete the record when the representative consents', async () => {
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'IN_PERSON',
      accessKind: 'LEGAL_REPRESENTATIVE',
      interlocutor: representative,
      subject: newSubject(),
      consent: { status: 'GIVEN', givenBy: 'LEGAL_REPRESENTATIVE' },
      needs: [{ code: 'ELD' }],
    });
    expect(record).toMatchObject({
      consentStatus: 'GIVEN',
      consentGivenBy: 'LEGAL_REPRESENTATIVE',
    });
  });

  it.each([
    ['without consent', null],
    [
      'when the representative denies it',
      { status: 'DENIED' as const, givenBy: 'LEGAL_REPRESENTATIVE' as const },
    ],
  ])('should not let the record be completed %s', async (_case, consent) => {
    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'IN_PERSON',
        accessKind: 'LEGAL_REPRESENTATIVE',
        interlocutor: representative,
        subject: newSubject(),
        consent,
      },
      'CONSENT_REQUIRED',
      'input.consent',
    );
  });
});

describe('generic reporter', () => {
  const neighbour = {
    kind: 'RELATIVE_OR_ACQUAINTANCE' as const,
    name: 'Anna Verdi',
    role: 'vicina di casa',
  };

  it('should refuse a reported person who never consented', async () => {
    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'PHONE',
        accessKind: 'GENERIC_REPORTER',
        interlocutor: neighbour,
        subject: newSubject(),
      },
      'CONSENT_REQUIRED',
      'input.subject',
    );
    // The registry person of the fixture has no consent with Perugia either.
    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'PHONE',
        accessKind: 'GENERIC_REPORTER',
        interlocutor: neighbour,
        subject: { personId: world.fx.persons.perugia.id },
      },
      'CONSENT_REQUIRED',
      'input.subject',
    );
  });

  it('should proceed when the person consented before, but record no service requested without title', async () => {
    const earlier = await createIntakeRecord(db, desk, citizenInput());
    const subject = { personId: earlier.subject!.personId };
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'PHONE',
      accessKind: 'GENERIC_REPORTER',
      interlocutor: neighbour,
      subject,
      needs: [{ code: 'ELD' }],
    });
    expect(record).toMatchObject({ legalBasis: 'CONSENT', consentStatus: 'GIVEN' });

    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'PHONE',
        accessKind: 'GENERIC_REPORTER',
        interlocutor: neighbour,
        subject,
        services: [{ code: 'A2.07' }],
      },
      'SERVICE_WITHOUT_TITLE',
      'input.services',
    );
    const entitled = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'PHONE',
      accessKind: 'GENERIC_REPORTER',
      interlocutor: {
        ...neighbour,
        role: 'delegata dall’utente',
        entitled: true,
        titleDocument: 'Delega scritta dell’utente del 2 novembre 2026, con documento',
      },
      subject,
      services: [{ code: 'A2.07' }],
    });
    expect(entitled.services.map((s) => s.code)).toEqual(['A2.07']);
  });

  it('should count a consent given to a comune the union (zona sociale) holds', async () => {
    const [comune] = await db.query<{ id: string }>(
      `INSERT INTO organization (name, kind, parent_id) VALUES ('Comune di Corciano', 'MUNICIPALITY', $1) RETURNING id`,
      [world.fx.organizations.perugia],
    );
    const person = world.fx.persons.perugiaForeign.id;
    await db.query(
      `INSERT INTO consent (person_id, organization_id, status, legal_basis, decided_on) VALUES ($1, $2, 'GIVEN', 'CONSENT', '2024-05-01')`,
      [person, comune!.id],
    );
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'PHONE',
      accessKind: 'GENERIC_REPORTER',
      interlocutor: neighbour,
      subject: { personId: person },
    });
    expect(record.consentStatus).toBe('GIVEN');
    // Terni's desk is outside that line: it cannot see Perugia's person, so the code names a
    // person of its own, who has consented to nothing there.
    await expect(
      createIntakeRecord(db, world.actors.frontDeskTr, {
        occurredAt: hoursAgo(1),
        channel: 'PHONE',
        accessKind: 'GENERIC_REPORTER',
        interlocutor: neighbour,
        subject: {
          taxCode: world.fx.persons.perugiaForeign.taxCode,
          firstName: 'Nome',
          lastName: 'Digitato',
        },
      }),
    ).rejects.toMatchObject({ code: 'CONSENT_REQUIRED', field: 'input.subject' });
  });

  it('should not take the consent from the reporter, nor rely on a consent since withdrawn', async () => {
    const earlier = await createIntakeRecord(db, desk, citizenInput());
    const base: CreateIntakeInput = {
      occurredAt: hoursAgo(1),
      channel: 'PHONE',
      accessKind: 'GENERIC_REPORTER',
      interlocutor: neighbour,
      subject: { personId: earlier.subject!.personId },
    };
    await expectRefused(
      { ...base, consent: { status: 'GIVEN' } },
      'CONSENT_REQUIRED',
      'input.consent',
    );
    await recordIntakeConsent(db, desk, earlier.id, { status: 'WITHDRAWN' });
    await expectRefused(base, 'CONSENT_REQUIRED', 'input.subject');
  });
});

describe('report of crime or risk', () => {
  const police = { kind: 'INSTITUTIONAL' as const, organization: 'Questura di Perugia' };

  it('should always register the record with the subject, and close it as a report to the judicial authority', async () => {
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'PHONE',
      accessKind: 'CRIME_OR_RISK_REPORT',
      interlocutor: { kind: 'RELATIVE_OR_ACQUAINTANCE', name: 'Un parente' },
      subject: newSubject(),
      summary: 'Sospetti maltrattamenti',
    });
    expect(record).toMatchObject({ legalBasis: 'LEGAL_OBLIGATION', consentStatus: null });
    const closed = await closeIntakeRecord(db, desk, record.id, {
      outcome: 'REPORT_TO_JUDICIAL_AUTHORITY',
    });
    expect(closed).toMatchObject({ status: 'CLOSED', outcome: 'REPORT_TO_JUDICIAL_AUTHORITY' });
  });

  it.each(['INFORMATION_GIVEN', 'PROPOSAL_TAKE_INTO_CARE'] as const)(
    'should refuse closing it as %s',
    async (outcome) => {
      const record = await createIntakeRecord(db, desk, {
        occurredAt: hoursAgo(1),
        channel: 'WRITTEN_REPORT',
        accessKind: 'CRIME_OR_RISK_REPORT',
        interlocutor: police,
        subject: newSubject(),
      });
      await expect(closeIntakeRecord(db, desk, record.id, { outcome })).rejects.toMatchObject({
        code: 'OUTCOME_NOT_ALLOWED',
      });
      const [row] = await db.query<{ status: string }>(
        'SELECT status FROM intake_record WHERE id = $1',
        [record.id],
      );
      expect(row!.status).toBe('OPEN');
    },
  );

  it('should refuse a report of risk with nobody to report', async () => {
    await expectRefused(
      {
        occurredAt: hoursAgo(1),
        channel: 'PHONE',
        accessKind: 'CRIME_OR_RISK_REPORT',
        interlocutor: police,
      },
      'SUBJECT_REQUIRED',
      'input.subject',
    );
  });
});

describe('anonymous contact', () => {
  it('should record the contact without any identity', async () => {
    const before = await rowCounts(db);
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'PHONE',
      accessKind: 'ANONYMOUS',
      needs: [{ code: 'POV' }],
      summary: 'Chiede informazioni sul contributo affitto',
      close: { outcome: 'INFORMATION_GIVEN' },
    });
    expect(record).toMatchObject({ subject: null, legalBasis: 'NONE', status: 'CLOSED' });
    const after = await rowCounts(db);
    expect([
      after.intake - before.intake,
      after.person - before.person,
      after.consent - before.consent,
    ]).toEqual([1, 0, 0]);
  });

  it.each<[string, Partial<CreateIntakeInput>, string]>([
    ['a subject', { subject: newSubject() }, 'input.subject'],
    ['an alias', { subject: { alias: 'Il signore della stazione' } }, 'input.subject'],
    [
      'a reference person',
      { referencePersons: [{ relationship: 'RELATIVE', fullName: 'Mario Rossi' }] },
      'input.referencePersons',
    ],
    [
      'the caller’s name',
      { interlocutor: { kind: 'SUBJECT', name: 'Mario Rossi' } },
      'input.interlocutor',
    ],
  ])('should refuse an anonymous contact with %s', async (_case, identity, field) => {
    await expectRefused(
      { occurredAt: hoursAgo(1), channel: 'PHONE', accessKind: 'ANONYMOUS', ...identity },
      'ANONYMOUS_WITH_IDENTITY',
      field,
    );
  });

  it('should refuse a proposal of taking into care for someone without identity', async () => {
    const record = await createIntakeRecord(db, desk, {
      occurredAt: hoursAgo(1),
      channel: 'IN_PERSON',
      accessKind: 'ANONYMOUS',
    });
    await expect(proposeIntakeForCare(db, desk, record.id)).rejects.toMatchObject({
      code: 'OUTCOME_NOT_ALLOWED',
    });
  });
});

describe('denials', () => {
  it('should audit a refused rule as DENIED, naming the rule', async () => {
    await expect(
      createIntakeRecord(db, desk, citizenInput({ consent: null })),
    ).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
    });
    const [row] = await db.query<{ outcome: string; reason: string; action: string }>(
      `SELECT outcome, reason, action FROM audit_log WHERE actor_id = 'sportello.pg' AND entity = 'IntakeRecord'
        ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toMatchObject({ outcome: 'DENIED', action: 'CREATE' });
    expect(row!.reason).toMatch(/^CONSENT_REQUIRED: accesso di utente in stato di necessità/);
  });
});
