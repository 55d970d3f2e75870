import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.ts';
import {
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  daysFromNow,
  openedCase,
} from '../case-file.fixtures.ts';
import { changeCaseStatus, enableCaseOperator, getCaseFile } from '../case-file.service.ts';
import {
  addPlacementService,
  addReview,
  closeCarePlan,
  completeReview,
  createCarePlan,
  createPlacement,
  dischargeFromPlacement,
  listCarePlans,
  listDueReviews,
  recordAgreement,
  setFosterCare,
} from './care-plan.service.ts';
import type { CreateCarePlanInput } from './care-plan.types.ts';

const plan = (overrides: Partial<CreateCarePlanInput> = {}): CreateCarePlanInput => ({
  title: 'PAI domiciliare',
  startOn: daysAgo(30),
  endOn: daysFromNow(335),
  goals: [
    { term: 'SHORT', description: 'Igiene personale quotidiana garantita' },
    { term: 'LONG', description: 'Permanenza al domicilio in sicurezza' },
  ],
  interventions: [
    {
      description: 'Assistenza domiciliare',
      serviceCode: 'A2.01',
      frequency: '3 volte a settimana',
    },
  ],
  reviews: [
    { dueOn: daysAgo(2) },
    { dueOn: daysFromNow(5), purpose: 'RIVAL' },
    { dueOn: daysFromNow(60) },
  ],
  agreement: {
    agreedBy: 'REPRESENTATIVE',
    agreedOn: daysAgo(30),
    representativeName: 'Amministratore di sostegno',
  },
  ...overrides,
});

describe('care plans', () => {
  let w: CaseWorld;
  let caseFileId: string;
  beforeAll(async () => {
    w = await createCaseWorld();
    ({ caseFileId } = await openedCase(w));
  });
  afterAll(() => w.db.close());

  it('should create a plan with goals, interventions, reviews and the agreement', async () => {
    const p = await createCarePlan(w.db, w.actors.worker, caseFileId, plan());
    expect(p).toMatchObject({
      status: 'ACTIVE',
      responsibleOperatorId: w.actors.worker.id,
      agreedBy: 'REPRESENTATIVE',
      representativeName: 'Amministratore di sostegno',
    });
    expect(p.goals.map((g) => [g.term, g.achieved])).toEqual([
      ['SHORT', null],
      ['LONG', null],
    ]);
    expect(p.interventions).toMatchObject([{ serviceCode: 'A2.01', position: 0 }]);
    expect(p.reviews.map((r) => r.dueOn)).toEqual([daysAgo(2), daysFromNow(5), daysFromNow(60)]);
    expect((await listCarePlans(w.db, w.actors.worker, caseFileId)).map((x) => x.id)).toContain(
      p.id,
    );
  });

  it('should refuse a review dated before the plan starts (REVIEW_BEFORE_START) and save nothing', async () => {
    const before = await caseCounts(w.db);
    const err = await refusal(
      createCarePlan(
        w.db,
        w.actors.worker,
        caseFileId,
        plan({ reviews: [{ dueOn: daysAgo(10) }, { dueOn: daysAgo(31) }] }),
      ),
    );
    expect([err.code, err.field]).toEqual(['REVIEW_BEFORE_START', 'input.reviews.1.dueOn']);
    expect(await caseCounts(w.db)).toEqual(before);
    const p = await createCarePlan(w.db, w.actors.worker, caseFileId, plan({ reviews: [] }));
    const err2 = await refusal(addReview(w.db, w.actors.worker, p.id, { dueOn: daysAgo(40) }));
    expect([err2.code, err2.field]).toEqual(['REVIEW_BEFORE_START', 'input.dueOn']);
    expect(await caseCounts(w.db)).toEqual({
      ...before,
      care_plan: before.care_plan! + 1,
      care_plan_goal: before.care_plan_goal! + 2,
      care_plan_intervention: before.care_plan_intervention! + 1,
      diary_entry: before.diary_entry! + 1,
    });
  });

  it.each([
    ['no goal', { goals: [] }, 'BAD_USER_INPUT', 'input.goals'],
    ['an end before the start', { endOn: daysAgo(40) }, 'BAD_USER_INPUT', 'input.endOn'],
    [
      'a representative without a name',
      { agreement: { agreedBy: 'REPRESENTATIVE', agreedOn: daysAgo(1) } },
      'BAD_USER_INPUT',
      'input.agreement.representativeName',
    ],
    [
      'a responsible operator not enabled on the case',
      { responsibleOperatorId: '00000000-0000-4000-8000-000000000001' },
      'BAD_USER_INPUT',
      'input.responsibleOperatorId',
    ],
  ] as const)(
    'should refuse a plan with %s, saving nothing',
    async (_label, patch, code, field) => {
      const before = await caseCounts(w.db);
      const err = await refusal(
        createCarePlan(
          w.db,
          w.actors.worker,
          caseFileId,
          plan(patch as Partial<CreateCarePlanInput>),
        ),
      );
      expect([err.code, err.field]).toEqual([code, field]);
      expect(await caseCounts(w.db)).toEqual(before);
    },
  );

  it('should list the reviews due and overdue for the operators enabled on the case', async () => {
    const { caseFileId: id } = await openedCase(w);
    const p = await createCarePlan(w.db, w.actors.worker, id, plan({ title: 'PAI scadenze' }));
    const due = (await listDueReviews(w.db, w.actors.worker, { withinDays: 14 })).filter(
      (r) => r.carePlanId === p.id,
    );
    expect(due.map((r) => [r.dueOn, r.overdue, r.daysLate, r.purpose])).toEqual([
      [daysAgo(2), true, 2, 'VERI'],
      [daysFromNow(5), false, 0, 'RIVAL'],
    ]);
    expect(
      (await listDueReviews(w.db, w.actors.worker, { withinDays: 0 })).filter(
        (r) => r.carePlanId === p.id,
      ),
    ).toHaveLength(1);
    // Not enabled: no alerts (and no hint the case exists).
    expect(
      (await listDueReviews(w.db, w.actors.colleague)).filter((r) => r.carePlanId === p.id),
    ).toEqual([]);
    await enableCaseOperator(w.db, w.actors.coordinator, id, {
      operatorId: w.actors.colleague.id,
      operatorType: 'EDUCATOR',
    });
    expect(
      (await listDueReviews(w.db, w.actors.colleague)).filter((r) => r.carePlanId === p.id),
    ).toHaveLength(2);

    // A review done leaves the list; its outcome and the goals it assessed are kept.
    const overdue = due[0]!;
    const after = await completeReview(w.db, w.actors.worker, overdue.reviewId, {
      doneOn: daysAgo(0),
      outcome: 'PARTIALLY_ACHIEVED',
      note: 'Igiene garantita, serve più supporto serale',
      goals: [{ goalId: p.goals[0]!.id, achieved: true }],
      nextReview: { dueOn: daysFromNow(30) },
    });
    expect(after.goals[0]).toMatchObject({ achieved: true });
    expect(after.reviews.find((r) => r.id === overdue.reviewId)).toMatchObject({
      outcome: 'PARTIALLY_ACHIEVED',
      reviewerId: w.actors.worker.id,
    });
    expect(after.reviews).toHaveLength(4);
    const again = (await listDueReviews(w.db, w.actors.worker)).filter(
      (r) => r.carePlanId === p.id,
    );
    expect(again.map((r) => r.dueOn)).toEqual([daysFromNow(5)]);
    expect(
      (
        await refusal(
          completeReview(w.db, w.actors.worker, overdue.reviewId, {
            doneOn: daysAgo(0),
            outcome: 'ON_TRACK',
          }),
        )
      ).code,
    ).toBe('CONFLICT');

    // A closed case file raises no alerts.
    await changeCaseStatus(w.db, w.actors.worker, id, { to: 'CLOSED', reason: 'trasferita' });
    expect(
      (await listDueReviews(w.db, w.actors.worker)).filter((r) => r.carePlanId === p.id),
    ).toEqual([]);
  });

  it('should refuse a review outcome for an unknown goal, saving nothing', async () => {
    const p = await createCarePlan(w.db, w.actors.worker, caseFileId, plan());
    const before = await caseCounts(w.db);
    const err = await refusal(
      completeReview(w.db, w.actors.worker, p.reviews[0]!.id, {
        doneOn: daysAgo(0),
        outcome: 'ON_TRACK',
        goals: [{ goalId: '00000000-0000-4000-8000-000000000002', achieved: true }],
      }),
    );
    expect([err.code, err.field]).toEqual(['NOT_FOUND', 'input.goals.0.goalId']);
    expect(await caseCounts(w.db)).toEqual(before);
    // The review's own update was rolled back too.
    expect(
      (await listCarePlans(w.db, w.actors.worker, caseFileId)).find((x) => x.id === p.id)!
        .reviews[0]!.doneOn,
    ).toBeNull();
  });

  it('should record the agreement later and close the plan', async () => {
    const p = await createCarePlan(w.db, w.actors.worker, caseFileId, plan({ agreement: null }));
    expect(p.agreedBy).toBeNull();
    const agreed = await recordAgreement(w.db, w.actors.worker, p.id, {
      agreedBy: 'PERSON',
      agreedOn: daysAgo(1),
    });
    expect(agreed).toMatchObject({ agreedBy: 'PERSON', agreedOn: daysAgo(1) });
    const closed = await closeCarePlan(w.db, w.actors.worker, p.id, {
      closedOn: daysAgo(0),
      reason: 'Obiettivi raggiunti',
    });
    expect(closed).toMatchObject({ status: 'CLOSED', closureReason: 'Obiettivi raggiunti' });
    expect(
      (await refusal(addReview(w.db, w.actors.worker, p.id, { dueOn: daysFromNow(3) }))).code,
    ).toBe('CONFLICT');
  });

  it('should keep a foster-care plan with the SINBA codes', async () => {
    const p = await createCarePlan(
      w.db,
      w.actors.worker,
      caseFileId,
      plan({ title: 'Progetto affido' }),
    );
    const f = await setFosterCare(w.db, w.actors.worker, p.id, {
      status: 50,
      form: '2',
      kind: '2',
      duration: '1',
      character: '1',
      fosterFamily: 'Famiglia affidataria R.',
      startedOn: daysAgo(20),
    });
    expect(f.fosterCare).toMatchObject({
      status: 50,
      form: '2',
      kind: '2',
      fosterFamily: 'Famiglia affidataria R.',
    });
    const ended = await setFosterCare(w.db, w.actors.worker, p.id, {
      status: 60,
      startedOn: daysAgo(20),
      endedOn: daysAgo(1),
      outcome: '1',
    });
    expect(ended.fosterCare).toMatchObject({ status: 60, outcome: '1', form: null });
    expect((await refusal(setFosterCare(w.db, w.actors.worker, p.id, { status: 55 }))).field).toBe(
      'input.status',
    );
    expect(
      (await refusal(setFosterCare(w.db, w.actors.worker, p.id, { status: 50, form: '3' }))).field,
    ).toBe('input.form');
    expect(
      (await refusal(setFosterCare(w.db, w.actors.worker, p.id, { status: 60, outcome: '1' })))
        .field,
    ).toBe('input.endedOn');
  });

  it('should follow a residential placement from admission to discharge, with added services', async () => {
    const p = await createCarePlan(
      w.db,
      w.actors.worker,
      caseFileId,
      plan({ title: 'Inserimento RSA' }),
    );
    const placement = await createPlacement(w.db, w.actors.worker, caseFileId, {
      carePlanId: p.id,
      facilityName: 'RSA Santa Maria',
      admissionOn: daysAgo(60),
      expectedDischargeOn: daysFromNow(120),
      phase: 2,
    });
    expect(placement).toMatchObject({
      facilityName: 'RSA Santa Maria',
      phase: 2,
      dischargeOn: null,
      services: [],
    });
    const withService = await addPlacementService(w.db, w.actors.worker, placement.id, {
      description: 'Sostegno psicologico',
      frequency: 'settimanale',
      startOn: daysAgo(30),
    });
    expect(withService.services).toMatchObject([{ description: 'Sostegno psicologico' }]);
    expect(
      (
        await refusal(
          addPlacementService(w.db, w.actors.worker, placement.id, {
            description: 'x',
            startOn: daysAgo(90),
          }),
        )
      ).field,
    ).toBe('input.startOn');
    expect(
      (
        await refusal(
          dischargeFromPlacement(w.db, w.actors.worker, placement.id, {
            dischargeOn: daysAgo(61),
            outcome: '1',
          }),
        )
      ).field,
    ).toBe('input.dischargeOn');
    const discharged = await dischargeFromPlacement(w.db, w.actors.worker, placement.id, {
      dischargeOn: daysAgo(1),
      outcome: '1',
    });
    expect(discharged).toMatchObject({ dischargeOn: daysAgo(1), dischargeOutcome: '1', phase: 6 });
    expect(
      (
        await refusal(
          dischargeFromPlacement(w.db, w.actors.worker, placement.id, {
            dischargeOn: daysAgo(0),
            outcome: '1',
          }),
        )
      ).code,
    ).toBe('CONFLICT');
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(c.placements.find((x) => x.id === placement.id)!.services).toHaveLength(1);
  });

  it('should refuse plans to operators not enabled on the case, and audit the attempt', async () => {
    const { caseFileId: id, personId } = await openedCase(w);
    const err = await refusal(createCarePlan(w.db, w.actors.colleague, id, plan()));
    expect(err.code).toBe('FORBIDDEN');
    const [row] = await w.db.query<{ entity: string }>(
      `SELECT entity FROM audit_log WHERE person_id = $1 AND outcome = 'DENIED' ORDER BY id DESC LIMIT 1`,
      [personId],
    );
    expect(row!.entity).toBe('CarePlan');
  });
});
