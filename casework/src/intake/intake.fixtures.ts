import type { Actor, ClientActor, OperatorActor } from '../access/actor.ts';
import type { Db, Queryable } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { loadServiceCatalog } from '../service-catalog/service-catalog.service.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { type Fixture, seedFixture } from '../testing/fixture.ts';
import type { CreateIntakeInput } from './intake.types.ts';

// Test helpers for the intake suites (not exported from the package).

const origin = { ip: '127.0.0.1', userAgent: 'vitest' };

export type IntakeWorld = {
  db: Db;
  fx: Fixture;
  actors: {
    frontDeskPg: OperatorActor;
    immigrantDeskPg: OperatorActor;
    publicDeskPg: OperatorActor;
    socialWorkerPg: OperatorActor;
    coordinatorPg: OperatorActor;
    frontDeskTr: OperatorActor;
    plannerRegion: OperatorActor;
    admin: OperatorActor;
  };
  client: (scopes: string[]) => ClientActor;
};

export async function createIntakeWorld(): Promise<IntakeWorld> {
  const db = await createTestDb();
  const fx = await db.transaction((tx) => seedFixture(tx));
  await loadServiceCatalog(db);
  const load = async (id: string) => (await loadOperatorActor(db, id, origin))!;
  const o = fx.operators;
  return {
    db,
    fx,
    actors: {
      frontDeskPg: await load(o.frontDeskPg),
      immigrantDeskPg: await load(o.immigrantDeskPg),
      publicDeskPg: await load(o.publicDeskPg),
      socialWorkerPg: await load(o.socialWorkerPg),
      coordinatorPg: await load(o.coordinatorPg),
      frontDeskTr: await load(o.frontDeskTr),
      plannerRegion: await load(o.plannerRegion),
      admin: await load(o.admin),
    },
    client: (scopes) => ({
      kind: 'CLIENT',
      id: '00000000-0000-4000-8000-00000000c11e',
      clientId: 'partner-test',
      organizationId: fx.organizations.perugia,
      organizationIds: [fx.organizations.perugia],
      scopes,
      origin,
    }),
  };
}

/** Row counts of everything an intake write touches. */
export async function rowCounts(q: Queryable): Promise<Record<string, number>> {
  const [row] = await q.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM intake_record) AS intake,
            (SELECT count(*)::int FROM person) AS person,
            (SELECT count(*)::int FROM consent) AS consent,
            (SELECT count(*)::int FROM intake_need) AS need,
            (SELECT count(*)::int FROM intake_service_request) AS service,
            (SELECT count(*)::int FROM intake_service_attachment) AS attachment,
            (SELECT count(*)::int FROM intake_reference_person) AS reference,
            (SELECT count(*)::int FROM intake_diary_entry) AS diary`,
  );
  return row!;
}

let sequence = 0;

/** A new person's identity with a valid codice fiscale (a different one at each call). */
export function newSubject(overrides: { firstName?: string; lastName?: string } = {}) {
  sequence += 1;
  const firstName = overrides.firstName ?? 'Giulia';
  const lastName =
    overrides.lastName ??
    `Rossi${String.fromCharCode(65 + (sequence % 26))}${String.fromCharCode(65 + Math.floor(sequence / 26))}`;
  const birthDate = `19${60 + (sequence % 40)}-0${1 + (sequence % 9)}-1${sequence % 10}`;
  const sex = sequence % 2 ? ('F' as const) : ('M' as const);
  return {
    taxCode: computeTaxCode({ firstName, lastName, sex, birthDate, birthPlaceCode: 'G478' }),
    firstName,
    lastName,
  };
}

export const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/** A citizen's own access with consent: the commonest record. */
export function citizenInput(overrides: Partial<CreateIntakeInput> = {}): CreateIntakeInput {
  return {
    occurredAt: hoursAgo(2),
    channel: 'IN_PERSON',
    accessKind: 'CITIZEN',
    subject: newSubject(),
    consent: { status: 'GIVEN' },
    needs: [{ code: 'POV' }],
    ...overrides,
  };
}

export type { Actor };
