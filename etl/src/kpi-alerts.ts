// KPI alerts, evaluated after each load from the warehouse (so they say what the cubes say, as
// fresh as they are) against each organisation's thresholds, and stored for GraphQL (seed 003
// §2.6; issue 10): intake records waiting for evaluation, judicial proposals not decided, SIUSS
// duties overdue, care-plan reviews overdue, and spending against a project's budget.
import type { Queryable } from '@hub/casework';
import type { Warehouse } from '@hub/warehouse';

export const KPIS = [
  'INTAKE_WAITING_EVALUATION',
  'JUDICIAL_PROPOSALS_UNDECIDED',
  'SIUSS_OVERDUE',
  'CARE_PLAN_REVIEW_OVERDUE',
  'PROJECT_BUDGET',
] as const;
export type Kpi = (typeof KPIS)[number];

/** The alerts that count persons' items: small counts are withheld (disclosure control). */
const COUNTS_PERSONS: ReadonlySet<Kpi> = new Set([
  'INTAKE_WAITING_EVALUATION',
  'JUDICIAL_PROPOSALS_UNDECIDED',
  'SIUSS_OVERDUE',
  'CARE_PLAN_REVIEW_OVERDUE',
]);

export type KpiAlert = {
  organizationId: string;
  kpi: Kpi;
  /**
   * Items late (for PROJECT_BUDGET: projects at or over the share of their budget); null when
   * fewer than 3 items of persons (disclosure control: small counts are not shown).
   */
  late: number | null;
  days: number;
  threshold: number;
  evaluatedAt: Date;
  lastChangeSeq: number;
};

type Rule = { days: number; threshold: number };
type Row = Record<string, unknown>;

const dayMs = 86_400_000;
const romeToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());

/**
 * The items each organisation has late, per KPI: one pure count per KPI over rows read from the
 * warehouse, so that a test can give it rows and a day.
 */
export function lateItems(
  input: {
    /** Proposed intake records: organization_id, occurred_on, access_kind. */
    proposed: Row[];
    /** Pending SIUSS duties past their deadline: organization_id, due_on. */
    duties: Row[];
    /** Active care plans whose next review fell due: organization_id, next_review_on. */
    plans: Row[];
    /** Projects: organization_id, budget, spent. */
    projects: Row[];
  },
  rule: (org: string, kpi: Kpi) => Rule | undefined,
  today: string,
): Map<string, number> {
  const now = Date.parse(today);
  const late = new Map<string, number>();
  const count = (org: string, kpi: Kpi) =>
    late.set(`${org}|${kpi}`, (late.get(`${org}|${kpi}`) ?? 0) + 1);
  const ageOf = (day: unknown) => (now - Date.parse(String(day))) / dayMs;
  for (const r of input.proposed) {
    const org = String(r.organization_id);
    const kpis: Kpi[] = ['INTAKE_WAITING_EVALUATION'];
    if (r.access_kind === 'JUDICIAL_AUTHORITY') kpis.push('JUDICIAL_PROPOSALS_UNDECIDED');
    for (const kpi of kpis) {
      const t = rule(org, kpi);
      if (t && ageOf(r.occurred_on) > t.days) count(org, kpi);
    }
  }
  // Past the deadline means the deadline day itself is over: more than `days` days after it.
  for (const r of input.duties) {
    const org = String(r.organization_id);
    const t = rule(org, 'SIUSS_OVERDUE');
    if (t && ageOf(r.due_on) > t.days) count(org, 'SIUSS_OVERDUE');
  }
  for (const r of input.plans) {
    const org = String(r.organization_id);
    const t = rule(org, 'CARE_PLAN_REVIEW_OVERDUE');
    if (t && ageOf(r.next_review_on) > t.days) count(org, 'CARE_PLAN_REVIEW_OVERDUE');
  }
  for (const r of input.projects) {
    const org = String(r.organization_id);
    const t = rule(org, 'PROJECT_BUDGET');
    const budget = Number(r.budget);
    if (t && budget > 0 && Number(r.spent) * 100 >= t.threshold * budget)
      count(org, 'PROJECT_BUDGET');
  }
  return late;
}

/** When an alert fires: more items late than the threshold; a budget alert, any project over. */
const fires = (kpi: Kpi, n: number, t: Rule) =>
  kpi === 'PROJECT_BUDGET' ? n > 0 : n > t.threshold;

export async function evaluateKpiAlerts(tx: Queryable, warehouse: Warehouse): Promise<number> {
  const state = await warehouse.loadState();
  if (!state) return 0;
  const thresholds = await tx.query<{
    organization_id: string | null;
    kpi: Kpi;
    days: number;
    threshold: number;
  }>('SELECT organization_id::text, kpi, days, threshold FROM kpi_threshold');
  const rule = (org: string, kpi: Kpi) =>
    thresholds.find((t) => t.organization_id === org && t.kpi === kpi) ??
    thresholds.find((t) => t.organization_id === null && t.kpi === kpi);
  const today = romeToday();
  const [proposed, duties, plans, projects] = await Promise.all([
    warehouse.read(
      `SELECT organization_id, occurred_on, access_kind FROM main.fact_intake WHERE status = 'PROPOSED'`,
    ),
    warehouse.read(
      'SELECT organization_id, due_on FROM main.fact_siuss_duty WHERE pending AND due_on < CAST($1 AS DATE)',
      [today],
    ),
    warehouse.read(
      `SELECT organization_id, next_review_on FROM main.fact_care_plan
        WHERE status = 'ACTIVE' AND next_review_on < CAST($1 AS DATE)`,
      [today],
    ),
    // Counted spending as the projects' page counts it (recorded and accepted deliveries).
    warehouse.read(
      `SELECT p.organization_id, p.budget, coalesce(sum(d.amount), 0) AS spent
         FROM main.dim_project p
         LEFT JOIN main.fact_delivery d ON d.project_id = p.project_id AND d.state IN ('RECORDED', 'ACCEPTED')
        GROUP BY p.project_id, p.organization_id, p.budget`,
    ),
  ]);
  const late = lateItems({ proposed, duties, plans, projects }, rule, today);
  const alerts = [...late.entries()]
    .map(([k, n]) => {
      const [org, kpi] = k.split('|') as [string, Kpi];
      const t = rule(org, kpi)!;
      return { org, kpi, n, days: t.days, threshold: t.threshold };
    })
    .filter((a) => fires(a.kpi, a.n, a));
  await tx.query('DELETE FROM kpi_alert');
  if (alerts.length > 0)
    await tx.query(
      `INSERT INTO kpi_alert (organization_id, kpi, late, days, threshold, last_change_seq)
       SELECT o, k, n, d, t, $6 FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[]) AS u(o, k, n, d, t)
        WHERE EXISTS (SELECT 1 FROM organization WHERE id = u.o)`,
      [
        alerts.map((a) => a.org),
        alerts.map((a) => a.kpi),
        alerts.map((a) => a.n),
        alerts.map((a) => a.days),
        alerts.map((a) => a.threshold),
        state.lastChangeSeq,
      ],
    );
  return alerts.length;
}

/** The alerts of the given organisations; counts of persons' items under 3 come back as null. */
export async function listKpiAlerts(q: Queryable, organizationIds: string[]): Promise<KpiAlert[]> {
  if (organizationIds.length === 0) return [];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT organization_id::text, kpi, late, days, threshold, evaluated_at, last_change_seq
       FROM kpi_alert WHERE organization_id = ANY($1::uuid[]) ORDER BY late DESC, kpi`,
    [organizationIds],
  );
  return rows.map((r) => {
    const kpi = r.kpi as Kpi;
    const n = Number(r.late);
    return {
      organizationId: String(r.organization_id),
      kpi,
      late: COUNTS_PERSONS.has(kpi) && n < 3 ? null : n,
      days: Number(r.days),
      threshold: Number(r.threshold),
      evaluatedAt: new Date(String(r.evaluated_at)),
      lastChangeSeq: Number(r.last_change_seq),
    };
  });
}
