import type { Queryable } from '../../db/db.ts';
import type {
  CarePlan,
  CarePlanGoal,
  CarePlanIntervention,
  CarePlanReview,
  DueReview,
  FosterCarePlan,
  PlacementService,
  ResidentialPlacement,
} from './care-plan.types.ts';

type PlanRow = Omit<CarePlan, 'goals' | 'interventions' | 'reviews' | 'fosterCare'>;

const PLAN_COLUMNS = `id, case_file_id AS "caseFileId", title, start_on AS "startOn", end_on AS "endOn",
  responsible_operator_id AS "responsibleOperatorId", status, closed_on AS "closedOn",
  closure_reason AS "closureReason", agreed_by AS "agreedBy", agreed_on AS "agreedOn",
  representative_name AS "representativeName", created_at AS "createdAt"`;

export async function insertPlan(
  q: Queryable,
  p: {
    caseFileId: string;
    title: string;
    startOn: string;
    endOn: string | null;
    responsibleOperatorId: string;
    agreedBy: string | null;
    agreedOn: string | null;
    representativeName: string | null;
    createdBy: string | null;
  },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO care_plan (case_file_id, title, start_on, end_on, responsible_operator_id, agreed_by, agreed_on,
       representative_name, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      p.caseFileId,
      p.title,
      p.startOn,
      p.endOn,
      p.responsibleOperatorId,
      p.agreedBy,
      p.agreedOn,
      p.representativeName,
      p.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function insertGoals(
  q: Queryable,
  planId: string,
  goals: { term: string; description: string }[],
  offset = 0,
): Promise<void> {
  if (goals.length === 0) return;
  await q.query(
    `INSERT INTO care_plan_goal (care_plan_id, term, description, position)
     SELECT $1, t, d, o FROM unnest($2::text[], $3::text[], $4::smallint[]) AS x(t, d, o)`,
    [
      planId,
      goals.map((g) => g.term),
      goals.map((g) => g.description),
      goals.map((_, i) => offset + i),
    ],
  );
}

export async function insertInterventions(
  q: Queryable,
  planId: string,
  items: {
    description: string;
    serviceCode: string | null;
    frequency: string | null;
    provider: string | null;
    responsibleOperatorId: string | null;
    startOn: string | null;
    endOn: string | null;
  }[],
): Promise<void> {
  for (const [i, it] of items.entries()) {
    await q.query(
      `INSERT INTO care_plan_intervention (care_plan_id, description, service_code, frequency, provider,
         responsible_operator_id, start_on, end_on, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        planId,
        it.description,
        it.serviceCode,
        it.frequency,
        it.provider,
        it.responsibleOperatorId,
        it.startOn,
        it.endOn,
        i,
      ],
    );
  }
}

export async function insertReview(
  q: Queryable,
  planId: string,
  r: { dueOn: string; purpose: string },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO care_plan_review (care_plan_id, due_on, purpose) VALUES ($1, $2, $3) RETURNING id`,
    [planId, r.dueOn, r.purpose],
  );
  return rows[0]!.id;
}

export async function selectPlanHeader(
  q: Queryable,
  planId: string,
  lock = false,
): Promise<PlanRow | null> {
  const rows = await q.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM care_plan WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [planId],
  );
  return rows[0] ?? null;
}

const GOAL_COLUMNS = `id, term, description, achieved, outcome_note AS "outcomeNote", position`;
const INTERVENTION_COLUMNS = `id, description, service_code AS "serviceCode", frequency, provider,
  responsible_operator_id AS "responsibleOperatorId", start_on AS "startOn", end_on AS "endOn", position`;
const REVIEW_COLUMNS = `id, care_plan_id AS "carePlanId", due_on AS "dueOn", purpose, done_on AS "doneOn", outcome,
  outcome_note AS "outcomeNote", reviewer_id AS "reviewerId"`;
const FOSTER_COLUMNS = `care_plan_id AS "carePlanId", status, form, kind, duration, character,
  foster_family AS "fosterFamily", started_on AS "startedOn", ended_on AS "endedOn", outcome`;

/** The case file's plans with their goals, interventions, reviews and foster-care part. */
export async function selectPlans(
  q: Queryable,
  caseFileId: string,
  planId: string | null = null,
): Promise<CarePlan[]> {
  const plans = await q.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM care_plan WHERE case_file_id = $1 AND ($2::uuid IS NULL OR id = $2)
      ORDER BY start_on DESC, created_at DESC`,
    [caseFileId, planId],
  );
  if (plans.length === 0) return [];
  const ids = plans.map((p) => p.id);
  const goals = await q.query<CarePlanGoal & { carePlanId: string }>(
    `SELECT care_plan_id AS "carePlanId", ${GOAL_COLUMNS} FROM care_plan_goal
      WHERE care_plan_id = ANY($1::uuid[]) ORDER BY position`,
    [ids],
  );
  const interventions = await q.query<CarePlanIntervention & { carePlanId: string }>(
    `SELECT care_plan_id AS "carePlanId", ${INTERVENTION_COLUMNS} FROM care_plan_intervention
      WHERE care_plan_id = ANY($1::uuid[]) ORDER BY position`,
    [ids],
  );
  const reviews = await q.query<CarePlanReview>(
    `SELECT ${REVIEW_COLUMNS} FROM care_plan_review WHERE care_plan_id = ANY($1::uuid[]) ORDER BY due_on`,
    [ids],
  );
  const foster = await q.query<FosterCarePlan & { carePlanId: string }>(
    `SELECT ${FOSTER_COLUMNS} FROM foster_care_plan WHERE care_plan_id = ANY($1::uuid[])`,
    [ids],
  );
  const strip = <T extends { carePlanId: string }>({ carePlanId: _, ...rest }: T) => rest;
  return plans.map((p) => {
    const f = foster.find((x) => x.carePlanId === p.id);
    return {
      ...p,
      goals: goals.filter((g) => g.carePlanId === p.id).map(strip),
      interventions: interventions.filter((i) => i.carePlanId === p.id).map(strip),
      reviews: reviews.filter((r) => r.carePlanId === p.id),
      fosterCare: f ? strip(f) : null,
    };
  });
}

export async function selectReview(q: Queryable, reviewId: string): Promise<CarePlanReview | null> {
  const rows = await q.query<CarePlanReview>(
    `SELECT ${REVIEW_COLUMNS} FROM care_plan_review WHERE id = $1 FOR UPDATE`,
    [reviewId],
  );
  return rows[0] ?? null;
}

export async function completeReview(
  q: Queryable,
  reviewId: string,
  r: { doneOn: string; outcome: string; note: string | null; reviewerId: string | null },
): Promise<void> {
  await q.query(
    `UPDATE care_plan_review SET done_on = $2, outcome = $3, outcome_note = $4, reviewer_id = $5 WHERE id = $1`,
    [reviewId, r.doneOn, r.outcome, r.note, r.reviewerId],
  );
}

export async function updateGoalOutcome(
  q: Queryable,
  planId: string,
  goalId: string,
  achieved: boolean,
  note: string | null,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE care_plan_goal SET achieved = $3, outcome_note = $4 WHERE id = $2 AND care_plan_id = $1 RETURNING id`,
    [planId, goalId, achieved, note],
  );
  return rows.length > 0;
}

export async function updatePlan(
  q: Queryable,
  planId: string,
  set: Partial<
    Record<
      'agreed_by' | 'agreed_on' | 'representative_name' | 'status' | 'closed_on' | 'closure_reason',
      unknown
    >
  >,
): Promise<void> {
  const entries = Object.entries(set);
  await q.query(
    `UPDATE care_plan SET ${entries.map(([k], i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [planId, ...entries.map(([, v]) => v)],
  );
}

export async function upsertFosterCare(
  q: Queryable,
  planId: string,
  f: {
    status: number;
    form: string | null;
    kind: string | null;
    duration: string | null;
    character: string | null;
    fosterFamily: string | null;
    startedOn: string | null;
    endedOn: string | null;
    outcome: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO foster_care_plan (care_plan_id, status, form, kind, duration, character, foster_family,
       started_on, ended_on, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (care_plan_id) DO UPDATE SET status = EXCLUDED.status, form = EXCLUDED.form,
       kind = EXCLUDED.kind, duration = EXCLUDED.duration, character = EXCLUDED.character,
       foster_family = EXCLUDED.foster_family, started_on = EXCLUDED.started_on, ended_on = EXCLUDED.ended_on,
       outcome = EXCLUDED.outcome, updated_at = now()`,
    [
      planId,
      f.status,
      f.form,
      f.kind,
      f.duration,
      f.character,
      f.fosterFamily,
      f.startedOn,
      f.endedOn,
      f.outcome,
    ],
  );
}

const PLACEMENT_COLUMNS = `id, case_file_id AS "caseFileId", care_plan_id AS "carePlanId",
  facility_name AS "facilityName", facility_character AS "facilityCharacter", form, with_parent AS "withParent",
  phase, admission_on AS "admissionOn", expected_discharge_on AS "expectedDischargeOn",
  discharge_on AS "dischargeOn", discharge_outcome AS "dischargeOutcome", notes`;

export async function insertPlacement(
  q: Queryable,
  p: {
    caseFileId: string;
    carePlanId: string | null;
    facilityName: string;
    facilityCharacter: string | null;
    form: string | null;
    withParent: string | null;
    phase: number;
    admissionOn: string;
    expectedDischargeOn: string | null;
    notes: string | null;
    createdBy: string | null;
  },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO residential_placement (case_file_id, care_plan_id, facility_name, facility_character, form,
       with_parent, phase, admission_on, expected_discharge_on, notes, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      p.caseFileId,
      p.carePlanId,
      p.facilityName,
      p.facilityCharacter,
      p.form,
      p.withParent,
      p.phase,
      p.admissionOn,
      p.expectedDischargeOn,
      p.notes,
      p.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function selectPlacementHeader(
  q: Queryable,
  id: string,
): Promise<Omit<ResidentialPlacement, 'services'> | null> {
  const rows = await q.query<Omit<ResidentialPlacement, 'services'>>(
    `SELECT ${PLACEMENT_COLUMNS} FROM residential_placement WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

export async function dischargePlacement(
  q: Queryable,
  id: string,
  d: { dischargeOn: string; outcome: string; notes: string | null },
): Promise<void> {
  await q.query(
    `UPDATE residential_placement SET discharge_on = $2, discharge_outcome = $3, phase = 6,
       notes = coalesce($4, notes) WHERE id = $1`,
    [id, d.dischargeOn, d.outcome, d.notes],
  );
}

export async function insertPlacementService(
  q: Queryable,
  placementId: string,
  s: { description: string; frequency: string | null; startOn: string; endOn: string | null },
): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO placement_service (placement_id, description, frequency, start_on, end_on)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [placementId, s.description, s.frequency, s.startOn, s.endOn],
  );
  return rows[0]!.id;
}

export async function selectPlacements(
  q: Queryable,
  caseFileId: string,
): Promise<ResidentialPlacement[]> {
  const placements = await q.query<Omit<ResidentialPlacement, 'services'>>(
    `SELECT ${PLACEMENT_COLUMNS} FROM residential_placement WHERE case_file_id = $1 ORDER BY admission_on DESC`,
    [caseFileId],
  );
  if (placements.length === 0) return [];
  const services = await q.query<PlacementService & { placementId: string }>(
    `SELECT placement_id AS "placementId", id, description, frequency, start_on AS "startOn", end_on AS "endOn"
       FROM placement_service WHERE placement_id = ANY($1::uuid[]) ORDER BY start_on`,
    [placements.map((p) => p.id)],
  );
  return placements.map((p) => ({
    ...p,
    services: services.filter((s) => s.placementId === p.id).map(({ placementId: _, ...s }) => s),
  }));
}

/**
 * Open reviews due on or before `until` of active plans on case files the operator is enabled
 * on, oldest first (the alert list: only cases the operator may see).
 */
export async function selectDueReviews(
  q: Queryable,
  operatorId: string,
  asOf: string,
  until: string,
): Promise<DueReview[]> {
  return q.query<DueReview>(
    `SELECT r.id AS "reviewId", p.id AS "carePlanId", p.title AS "carePlanTitle", c.id AS "caseFileId",
            c.person_id AS "personId", r.due_on AS "dueOn", r.purpose,
            r.due_on < $2::date AS overdue, greatest($2::date - r.due_on, 0) AS "daysLate"
       FROM care_plan_review r
       JOIN care_plan p ON p.id = r.care_plan_id AND p.status = 'ACTIVE'
       JOIN case_file c ON c.id = p.case_file_id AND c.status <> 'CLOSED'
      WHERE r.done_on IS NULL AND r.due_on <= $3::date
        AND EXISTS (SELECT 1 FROM case_operator co WHERE co.case_file_id = c.id AND co.operator_id = $1
                      AND co.disabled_at IS NULL)
      ORDER BY r.due_on, p.title`,
    [operatorId, asOf, until],
  );
}
