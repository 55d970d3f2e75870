// Issue 8, defects 7 and 8 and section 2 (who consents): consent is a record of its own,
// recordable at any time; a denial erases at once what rule 2 asks, closed reports included;
// a minor or a person under guardianship consents through the named representative.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import {
  citizenInput,
  createIntakeWorld,
  hoursAgo,
  type IntakeWorld,
  newSubject,
} from '../intake/intake.fixtures.ts';
import {
  closeIntakeRecord,
  createIntakeRecord,
  getIntakeRecord,
  recordIntakeConsent,
} from '../intake/intake.service.ts';
import type { CreateIntakeInput } from '../intake/intake.types.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { checkConsentGiver, isMinorOn } from './consent.rules.ts';
import { listConsentHistory, recordConsent } from './consent.service.ts';

let world: IntakeWorld;
let desk: OperatorActor;
beforeAll(async () => {
  world = await createIntakeWorld();
  desk = world.actors.frontDeskPg;
});
afterAll(() => world.db.close());

const report = (over: Partial<CreateIntakeInput> = {}): CreateIntakeInput => ({
  occurredAt: hoursAgo(5),
  channel: 'WRITTEN_REPORT',
  accessKind: 'PUBLIC_OFFICIAL',
  interlocutor: {
    kind: 'INSTITUTIONAL',
    name: 'Dirigente scolastico',
    organization: 'IC Perugia 3',
  },
  subject: newSubject(),
  summary: 'Assenze scolastiche ripetute',
  needs: [{ code: 'FAM' }],
  social: { familyNotes: 'madre sola con tre figli', healthNotes: 'asma' },
  foreignCitizen: {
    citizenship: 'Albania',
    permitType: 'Permesso di soggiorno per motivi familiari',
    permitExpiry: '2027-02-28',
  },
  ...over,
});

const erasureAudit = async (recordId: string) =>
  (
    await world.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_log WHERE entity = 'IntakeRecord' AND entity_id = $1
          AND details->>'erasure' = 'RULE_2'`,
      [recordId],
    )
  )[0]?.details;

describe('rule 2: a denial leaves the public official’s report alone, at once (defect 7)', () => {
  it('should erase a closed report when the subject denies, and audit what went', async () => {
    const created = await createIntakeRecord(world.db, desk, report());
    // The first interview: the person consents, the report is closed; later they change their mind.
    await recordIntakeConsent(world.db, desk, created.id, { status: 'GIVEN' });
    await closeIntakeRecord(world.db, desk, created.id, { outcome: 'INFORMATION_GIVEN' });
    const after = await recordIntakeConsent(world.db, desk, created.id, { status: 'DENIED' });
    expect(after).toMatchObject({ status: 'CLOSED', consentStatus: 'DENIED', needs: [] });
    expect(after.social).toMatchObject({ familyNotes: null, healthNotes: null });
    expect(after.foreignCitizen).toEqual({
      citizenship: null,
      permitType: null,
      permitExpiry: null,
    });
    expect(after.summary).toBe('Assenze scolastiche ripetute');
    // The permit copied into the person the desk registered goes too.
    const [person] = await world.db.query<{ permit_type: string | null }>(
      'SELECT permit_type FROM person WHERE id = $1',
      [created.subject!.personId],
    );
    expect(person!.permit_type).toBeNull();
    expect(await erasureAudit(created.id)).toMatchObject({
      erasure: 'RULE_2',
      consent: 'DENIED',
      removed: { needs: 1 },
    });
  });

  it('should erase every report of the person when the denial is recorded elsewhere', async () => {
    const subject = newSubject();
    const first = await createIntakeRecord(world.db, desk, report({ subject }));
    // The person comes to the desk later and denies there, on the person's consent record.
    await recordConsent(world.db, desk, { personId: first.subject!.personId!, status: 'DENIED' });
    const reread = await getIntakeRecord(world.db, desk, first.id);
    expect(reread).toMatchObject({ consentStatus: 'DENIED', needs: [] });
    expect(reread.social.familyNotes).toBeNull();
    expect(await erasureAudit(first.id)).toBeDefined();
  });
});

describe('consent as a record of its own (defect 8)', () => {
  it('should record a withdrawal with no open record, so a generic reporter can no longer proceed', async () => {
    const earlier = await createIntakeRecord(world.db, desk, citizenInput());
    await closeIntakeRecord(world.db, desk, earlier.id, { outcome: 'INFORMATION_GIVEN' });
    const personId = earlier.subject!.personId!;
    const neighbour = {
      kind: 'RELATIVE_OR_ACQUAINTANCE' as const,
      name: 'Anna Verdi',
      role: 'vicina di casa',
    };
    const generic = (): CreateIntakeInput => ({
      occurredAt: hoursAgo(1),
      channel: 'PHONE',
      accessKind: 'GENERIC_REPORTER',
      interlocutor: neighbour,
      subject: { personId },
    });
    await createIntakeRecord(world.db, desk, generic());
    const withdrawn = await recordConsent(world.db, desk, { personId, status: 'WITHDRAWN' });
    expect(withdrawn).toMatchObject({
      status: 'WITHDRAWN',
      givenBy: 'SUBJECT',
      recordedBy: 'sportello.pg',
    });
    await expect(createIntakeRecord(world.db, desk, generic())).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
    });
    const history = await listConsentHistory(world.db, desk, personId);
    expect(history.map((c) => c.status)).toEqual(['WITHDRAWN', 'GIVEN']);
  });

  it('should refuse a person the desk cannot see as an unknown one, audited', async () => {
    await expect(
      recordConsent(world.db, world.actors.frontDeskTr, {
        personId: world.fx.persons.perugia.id,
        status: 'GIVEN',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'input.personId' });
    const [row] = await world.db.query<{ outcome: string }>(
      `SELECT outcome FROM audit_log WHERE actor_id = 'sportello.tr' ORDER BY id DESC LIMIT 1`,
    );
    expect(row!.outcome).toBe('DENIED');
  });
});

describe('who consents: minors and persons under guardianship (section 2, rule 4)', () => {
  const minor = () => {
    const birthDate = `${new Date().getUTCFullYear() - 12}-05-10`;
    return {
      taxCode: computeTaxCode({
        firstName: 'Luca',
        lastName: 'Piccoli',
        sex: 'M',
        birthDate,
        birthPlaceCode: 'G478',
      }),
      firstName: 'Luca',
      lastName: 'Piccoli',
    };
  };

  it('should refuse a minor’s own consent, and take the representative’s, named', async () => {
    await expect(
      createIntakeRecord(world.db, desk, citizenInput({ subject: minor() })),
    ).rejects.toMatchObject({ code: 'REPRESENTATIVE_CONSENT_REQUIRED', field: 'input.givenBy' });
    const record = await createIntakeRecord(
      world.db,
      desk,
      citizenInput({
        subject: minor(),
        consent: {
          status: 'GIVEN',
          givenBy: 'LEGAL_REPRESENTATIVE',
          representativeName: 'Maria Piccoli (madre)',
        },
      }),
    );
    const history = await listConsentHistory(world.db, desk, record.subject!.personId!);
    expect(history[0]).toMatchObject({
      givenBy: 'LEGAL_REPRESENTATIVE',
      representativeName: 'Maria Piccoli (madre)',
    });
  });

  it('should require the representative for a person under guardianship', async () => {
    const record = await createIntakeRecord(world.db, desk, citizenInput());
    const personId = record.subject!.personId!;
    await world.db.query('UPDATE person SET under_guardianship = true WHERE id = $1', [personId]);
    await expect(
      recordConsent(world.db, desk, { personId, status: 'GIVEN' }),
    ).rejects.toMatchObject({ code: 'REPRESENTATIVE_CONSENT_REQUIRED' });
    // A denial by the person is taken: no one is processed against their will.
    await expect(
      recordConsent(world.db, desk, { personId, status: 'DENIED' }),
    ).resolves.toMatchObject({ status: 'DENIED' });
  });

  it.each([
    ['2008-12-02', '2026-12-01', true],
    ['2008-12-01', '2026-12-01', false],
    ['2008-02-29', '2026-02-28', true],
    ['2008-02-29', '2026-03-01', false],
  ])('should tell a person born %s is a minor on %s: %s', (birth, day, minorOn) => {
    expect(isMinorOn(birth, day)).toBe(minorOn);
  });

  it('should ask the representative’s name', () => {
    expect(() =>
      checkConsentGiver({
        status: 'GIVEN',
        givenBy: 'LEGAL_REPRESENTATIVE',
        representativeName: ' ',
        birthDate: null,
        underGuardianship: false,
        decidedOn: '2026-12-01',
      }),
    ).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.representativeName' }),
    );
  });
});
