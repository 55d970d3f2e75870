// Issue 8, defects 1, 2 and 11: a person is seen only on the organisation's own legal basis,
// linking never reveals one, and nothing tells a person held elsewhere from an unknown one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import {
  citizenInput,
  createIntakeWorld,
  type IntakeWorld,
  rowCounts,
} from '../intake/intake.fixtures.ts';
import {
  createIntakeRecord,
  findIntakeSubjects,
  updateIntakeRecord,
} from '../intake/intake.service.ts';
import { findPersonByTaxCode, getPerson, searchPersons } from './person.service.ts';

let world: IntakeWorld;
let terni: OperatorActor;
let perugiaPerson: { id: string; taxCode: string };

const lastAudit = async (actorId: string) =>
  (
    await world.db.query<{ outcome: string; person_id: string | null; reason: string | null }>(
      `SELECT outcome, person_id, reason FROM audit_log WHERE actor_id = $1 ORDER BY id DESC LIMIT 1`,
      [actorId],
    )
  )[0];

const consent = (personId: string, orgId: string, status: string, on: string, basis = 'CONSENT') =>
  world.db.query(
    `INSERT INTO consent (person_id, organization_id, status, legal_basis, decided_on)
     VALUES ($1, $2, $3, $4, $5)`,
    [personId, orgId, status, basis, on],
  );

beforeAll(async () => {
  world = await createIntakeWorld();
  terni = world.actors.frontDeskTr;
  perugiaPerson = world.fx.persons.perugia;
});
afterAll(() => world.db.close());

describe('linking a person by codice fiscale (defect 1)', () => {
  it.each([
    ['CITIZEN with consent GIVEN', { accessKind: 'CITIZEN', consent: { status: 'GIVEN' } }],
    ['JUDICIAL_AUTHORITY without consent', { accessKind: 'JUDICIAL_AUTHORITY', consent: null }],
  ] as const)(
    'should register Terni its own person, never showing Perugia’s, for %s',
    async (_, kind) => {
      const record = await createIntakeRecord(world.db, terni, {
        ...citizenInput(),
        ...(kind.accessKind === 'JUDICIAL_AUTHORITY'
          ? {
              accessKind: 'JUDICIAL_AUTHORITY',
              channel: 'WRITTEN_REPORT',
              interlocutor: {
                kind: 'JUDICIAL_AUTHORITY',
                name: 'Tribunale per i minorenni',
                entitled: true,
              },
              consent: null,
            }
          : { consent: { status: 'GIVEN' } }),
        subject: {
          taxCode: perugiaPerson.taxCode,
          firstName: 'Digitato',
          lastName: 'Allosportello',
        },
      });
      // What the desk typed, and nothing of what Perugia registered.
      expect(record.subject?.personId).not.toBe(perugiaPerson.id);
      expect(record.subject).toMatchObject({ firstName: 'Digitato', lastName: 'Allosportello' });
      expect(JSON.stringify(record)).not.toContain('Bianchi');
      // The consent Terni recorded opens Terni's own person, not Perugia's.
      await expect(getPerson(world.db, terni, perugiaPerson.id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const found = await findPersonByTaxCode(world.db, terni, perugiaPerson.taxCode);
      expect(found?.id).toBe(record.subject?.personId);
      expect(found?.residenceAddress ?? null).toBeNull();
      const byName = await searchPersons(world.db, terni, { lastName: 'Bianchi' });
      expect(byName.map((p) => p.id)).not.toContain(perugiaPerson.id);
      // Perugia still finds its own person, untouched.
      const own = await findPersonByTaxCode(
        world.db,
        world.actors.frontDeskPg,
        perugiaPerson.taxCode,
      );
      expect(own).toMatchObject({ id: perugiaPerson.id, lastName: 'Bianchi' });
    },
  );

  it.each([
    ['subject.personId', (id: string) => ({ subject: { personId: id } }), 'input.subject.personId'],
    [
      'interlocutor.personId',
      (id: string) => ({
        accessKind: 'LEGAL_REPRESENTATIVE' as const,
        consent: { status: 'GIVEN' as const, givenBy: 'LEGAL_REPRESENTATIVE' as const },
        interlocutor: {
          kind: 'LEGAL_REPRESENTATIVE' as const,
          personId: id,
          name: 'Tutore',
          entitled: true,
        },
      }),
      'input.interlocutor.personId',
    ],
    [
      'referencePersons[].personId',
      (id: string) => ({
        referencePersons: [
          { relationship: 'RELATIVE' as const, personId: id, fullName: 'Una figlia' },
        ],
      }),
      'input.referencePersons.0.personId',
    ],
  ])(
    'should refuse linking by %s a person Terni cannot see as an unknown id, audited, nothing written',
    async (_, link, field) => {
      const before = await rowCounts(world.db);
      const hidden = await createIntakeRecord(world.db, terni, {
        ...citizenInput(),
        ...link(perugiaPerson.id),
      }).catch((e) => e);
      const unknown = await createIntakeRecord(world.db, terni, {
        ...citizenInput(),
        ...link('00000000-0000-4000-8000-000000000bad'),
      }).catch((e) => e);
      expect(hidden).toMatchObject({ code: 'NOT_FOUND', field, message: unknown.message });
      expect(unknown).toMatchObject({ code: 'NOT_FOUND', field });
      expect(await rowCounts(world.db)).toEqual(before);
      const rows = await world.db.query<{ outcome: string; person_id: string | null }>(
        `SELECT outcome, person_id FROM audit_log WHERE actor_id = 'sportello.tr' ORDER BY id DESC LIMIT 2`,
      );
      expect(rows).toEqual([
        { outcome: 'DENIED', person_id: null },
        { outcome: 'DENIED', person_id: perugiaPerson.id },
      ]);
    },
  );

  it('should refuse the same link on update', async () => {
    const record = await createIntakeRecord(world.db, terni, citizenInput());
    await expect(
      updateIntakeRecord(world.db, terni, record.id, { subject: { personId: perugiaPerson.id } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'input.subject.personId' });
    await expect(
      updateIntakeRecord(world.db, terni, record.id, {
        accessKind: 'LEGAL_REPRESENTATIVE',
        consent: { status: 'GIVEN', givenBy: 'LEGAL_REPRESENTATIVE' },
        interlocutor: {
          kind: 'LEGAL_REPRESENTATIVE',
          personId: perugiaPerson.id,
          name: 'Tutore',
          entitled: true,
        },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'input.interlocutor.personId' });
  });
});

describe('the legal bases that make a person visible', () => {
  it('should grant nothing for a DENIED consent, nor for a GIVEN one later WITHDRAWN', async () => {
    const p = world.fx.persons.perugiaForeign;
    const terniOrg = world.fx.organizations.terni;
    await consent(p.id, terniOrg, 'DENIED', '2025-01-10');
    await expect(getPerson(world.db, terni, p.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await consent(p.id, terniOrg, 'GIVEN', '2025-02-10');
    await expect(getPerson(world.db, terni, p.id)).resolves.toMatchObject({ id: p.id });
    await consent(p.id, terniOrg, 'WITHDRAWN', '2025-03-10');
    await expect(getPerson(world.db, terni, p.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await lastAudit('sportello.tr')).toMatchObject({
      outcome: 'DENIED',
      person_id: p.id,
      reason: 'person outside the actor organisations',
    });
  });

  it('should grant a judicial mandate addressed to the organisation', async () => {
    const p = world.fx.persons.perugiaForeign;
    await consent(p.id, world.fx.organizations.terni, 'DENIED', '2025-04-10', 'JUDICIAL_MANDATE');
    await expect(getPerson(world.db, terni, p.id)).resolves.toMatchObject({ id: p.id });
  });
});

describe('existence oracles (defect 11)', () => {
  it('should answer person(id) of a person held elsewhere exactly as an unknown id', async () => {
    const held = await getPerson(world.db, terni, world.fx.persons.perugia.id).catch((e) => e);
    const unknown = await getPerson(world.db, terni, '00000000-0000-4000-8000-000000000bad').catch(
      (e) => e,
    );
    expect({ code: held.code, message: held.message, field: held.field }).toEqual({
      code: unknown.code,
      message: unknown.message,
      field: unknown.field,
    });
    expect(held.code).toBe('NOT_FOUND');
  });

  it.each(['%%', '__', '%', 'B%', '_a'])('should refuse the wildcard name %s', async (name) => {
    await expect(searchPersons(world.db, terni, { lastName: name })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'lastName',
    });
  });
});

describe('who works with persons (defect 2)', () => {
  const asManager = (): OperatorActor => ({
    ...world.actors.frontDeskPg,
    username: 'dirigente.pg',
    memberships: world.actors.frontDeskPg.memberships.map((m) => ({
      ...m,
      role: 'MANAGER' as const,
      contactPointId: null,
      maskedGroups: [],
    })),
  });

  it.each([
    ['MANAGER', () => asManager()],
    ['PLANNER', () => world.actors.plannerRegion],
    ['ADMINISTRATOR', () => world.actors.admin],
  ])('should refuse intakeSubjects to a %s, audited', async (_, actorOf) => {
    const actor = actorOf();
    for (const query of [{ taxCode: perugiaPerson.taxCode }, { lastName: 'Bianchi' }]) {
      await expect(findIntakeSubjects(world.db, actor, query)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await lastAudit(actor.username)).toMatchObject({ outcome: 'DENIED' });
    }
  });

  it('should refuse personByTaxCode to a MANAGER, audited, the check made without a transaction', async () => {
    const actor = asManager();
    await expect(findPersonByTaxCode(world.db, actor, perugiaPerson.taxCode)).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
    expect(await lastAudit(actor.username)).toMatchObject({
      outcome: 'DENIED',
      reason: 'role without access to persons',
    });
    // The front desk's look-up opens no transaction of its own: one batched statement answers
    // and audits it (the role check reads nothing).
    let transactions = 0;
    const counting = {
      ...world.db,
      transaction: <T>(fn: Parameters<typeof world.db.transaction<T>>[0]) => {
        transactions++;
        return world.db.transaction(fn);
      },
    };
    const own = await findPersonByTaxCode(
      counting,
      world.actors.frontDeskPg,
      perugiaPerson.taxCode,
    );
    expect(own?.id).toBe(perugiaPerson.id);
    expect(transactions).toBe(0);
  });

  it('should still let the front desk find its own persons', async () => {
    const found = await findIntakeSubjects(world.db, world.actors.frontDeskPg, {
      lastName: 'Bianchi',
    });
    expect(found.map((p) => p.id)).toContain(perugiaPerson.id);
  });
});
