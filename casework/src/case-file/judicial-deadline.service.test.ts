import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkError } from '../errors.ts';
import { todayInRome } from '../time/today.ts';
import {
  type CaseWorld,
  createCaseWorld,
  daysAgo,
  interview,
  proposedIntake,
} from './case-file.fixtures.ts';
import {
  JUDICIAL_DUE_SOON_DAYS,
  listOverdueJudicialProposals,
} from './judicial-deadline.service.ts';
import {
  attachIntakeRecord,
  listProposedIntakeRecords,
  openCaseFile,
} from './take-into-care.service.ts';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('the deadline for deciding a judicial proposal', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await createCaseWorld();
  });
  afterAll(() => w.db.close());

  const dueOf = async (id: string) =>
    (
      await w.db.query<{ due: string | null }>(
        'SELECT decision_due_on AS due FROM intake_record WHERE id = $1',
        [id],
      )
    )[0]!.due;
  const alerts = (asOf?: string, withinDays?: number) =>
    listOverdueJudicialProposals(w.db, w.actors.worker, w.fx.offices.perugia, {
      asOf,
      withinDays,
    });
  const deniedRows = async (username: string) =>
    w.db.query<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE actor_id = $1 AND outcome = 'DENIED'
          AND entity = 'IntakeRecord' AND action = 'SEARCH' AND details->>'alert' = 'JUDICIAL_DEADLINE'`,
      [username],
    );

  it('should store the due date at proposal time: 30 days from the proposal by default', async () => {
    const judicial = await proposedIntake(w, {
      accessKind: 'JUDICIAL_AUTHORITY',
      proposedDaysAgo: 40,
    });
    const citizen = await proposedIntake(w, { proposedDaysAgo: 40 });
    expect(await dueOf(judicial)).toBe(
      addDays(todayInRome(new Date(Date.now() - 40 * 86_400_000)), 30),
    );
    expect(await dueOf(citizen)).toBeNull();
    const listed = await listProposedIntakeRecords(w.db, w.actors.worker, w.fx.offices.perugia);
    expect(listed.find((r) => r.intakeRecordId === judicial)!.decisionDueOn).toBe(
      await dueOf(judicial),
    );
  });

  it('should set the due date when an open record becomes PROPOSED, and keep it afterwards', async () => {
    const id = await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY', proposedDaysAgo: 2 });
    const due = await dueOf(id);
    // As the intake service proposes: the record was open, then its status became PROPOSED.
    await w.db.query(
      `UPDATE intake_record SET status = 'OPEN', outcome = NULL, closed_at = NULL, decision_due_on = NULL WHERE id = $1`,
      [id],
    );
    await w.db.query(
      `UPDATE intake_record SET status = 'PROPOSED', outcome = 'PROPOSAL_TAKE_INTO_CARE', closed_at = now() - interval '2 days' WHERE id = $1`,
      [id],
    );
    expect(await dueOf(id)).toBe(due);
    await w.db.query(
      `UPDATE intake_record SET summary = 'Aggiornata', status = status WHERE id = $1`,
      [id],
    );
    expect(await dueOf(id)).toBe(due);
  });

  it('should follow an organisation’s own setting for new proposals only', async () => {
    const before = await proposedIntake(w, {
      accessKind: 'JUDICIAL_AUTHORITY',
      proposedDaysAgo: 0,
    });
    await w.db.query(
      'INSERT INTO judicial_proposal_deadline (organization_id, days) VALUES ($1, 15)',
      [w.fx.organizations.perugia],
    );
    try {
      const after = await proposedIntake(w, {
        accessKind: 'JUDICIAL_AUTHORITY',
        proposedDaysAgo: 0,
      });
      expect(await dueOf(after)).toBe(addDays(todayInRome(), 15));
      expect(await dueOf(before)).toBe(addDays(todayInRome(), 30));
    } finally {
      await w.db.query('DELETE FROM judicial_proposal_deadline WHERE organization_id = $1', [
        w.fx.organizations.perugia,
      ]);
    }
  });

  it('should alert on a proposal once its deadline has passed, and not before it is due soon', async () => {
    const late = await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY', proposedDaysAgo: 31 });
    const soon = await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY', proposedDaysAgo: 25 });
    const fresh = await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY', proposedDaysAgo: 1 });
    const citizenLate = await proposedIntake(w, { proposedDaysAgo: 60 });

    const list = await alerts();
    const byId = new Map(list.map((a) => [a.intakeRecordId, a]));
    expect(byId.get(late)).toMatchObject({ overdue: true, daysLeft: -1 });
    expect(byId.get(soon)).toMatchObject({ overdue: false, daysLeft: 5 });
    expect(byId.has(fresh)).toBe(false);
    expect(byId.has(citizenLate)).toBe(false);
    // The most urgent first.
    expect(list.map((a) => a.decisionDueOn)).toEqual([...list.map((a) => a.decisionDueOn)].sort());

    // Before the deadline the late one was only due soon; a month on, the fresh one is late too.
    const lateDue = (await dueOf(late))!;
    expect(
      (await alerts(addDays(lateDue, -JUDICIAL_DUE_SOON_DAYS))).find(
        (a) => a.intakeRecordId === late,
      ),
    ).toMatchObject({ overdue: false, daysLeft: JUDICIAL_DUE_SOON_DAYS });
    expect(
      (await alerts(addDays(lateDue, -JUDICIAL_DUE_SOON_DAYS - 1))).map((a) => a.intakeRecordId),
    ).not.toContain(late);
    expect(
      (await alerts(addDays(todayInRome(), 30))).find((a) => a.intakeRecordId === fresh),
    ).toMatchObject({
      overdue: true,
    });
    expect((await alerts(undefined, 30)).map((a) => a.intakeRecordId)).toContain(fresh);
  });

  it('should drop a proposal from the alert once it is decided (case opened or attached)', async () => {
    const late = await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY', proposedDaysAgo: 45 });
    expect((await alerts()).map((a) => a.intakeRecordId)).toContain(late);
    const { caseFileId } = await openCaseFile(w.db, w.actors.worker, late, {
      targetAreaCode: 'FAM',
      openedOn: daysAgo(0),
      firstInterview: interview({ on: daysAgo(0) }),
    });
    const personId = (
      await w.db.query<{ p: string }>(
        'SELECT subject_person_id AS p FROM intake_record WHERE id = $1',
        [late],
      )
    )[0]!.p;
    const again = await proposedIntake(w, {
      accessKind: 'JUDICIAL_AUTHORITY',
      personId,
      proposedDaysAgo: 40,
    });
    const listed = (await alerts()).find((a) => a.intakeRecordId === again);
    expect(listed).toMatchObject({ overdue: true, openCaseFileId: caseFileId });
    await attachIntakeRecord(w.db, w.actors.worker, again);
    const ids = (await alerts()).map((a) => a.intakeRecordId);
    expect(ids).not.toContain(late);
    expect(ids).not.toContain(again);
  });

  it('should let the coordinator of the office see the alert, audited', async () => {
    const late = await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY', proposedDaysAgo: 35 });
    const list = await listOverdueJudicialProposals(
      w.db,
      w.actors.coordinator,
      w.fx.offices.perugia,
    );
    expect(list.map((a) => a.intakeRecordId)).toContain(late);
    const [row] = await w.db.query<{ details: { overdue: number } }>(
      `SELECT details FROM audit_log WHERE actor_id = $1 AND outcome = 'OK' AND details->>'alert' = 'JUDICIAL_DEADLINE'
        ORDER BY id DESC LIMIT 1`,
      [w.actors.coordinator.username],
    );
    expect(row!.details.overdue).toBeGreaterThan(0);
  });

  it.each([
    ['a front-desk operator of the office', 'frontDesk'],
    ['a social worker of another organisation', 'otherOrgWorker'],
    ['a social worker of another office', 'fosterWorker'],
  ] as const)('should refuse %s, audited', async (_label, who) => {
    await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY', proposedDaysAgo: 50 });
    const actor = w.actors[who];
    const before = (await deniedRows(actor.username)).length;
    const err = await listOverdueJudicialProposals(w.db, actor, w.fx.offices.perugia).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CaseworkError);
    expect((err as CaseworkError).code).toBe('FORBIDDEN');
    expect((await deniedRows(actor.username)).length).toBe(before + 1);
  });
});
