// KPI alerts, evaluated after each load from the warehouse (so they say what the cubes say, as
// fresh as they are) against each organisation's thresholds, and stored for GraphQL. The SIUSS,
// care-plan review and budget alerts join when their facts reach the warehouse.
import type { Queryable } from '@hub/casework';
import type { Warehouse } from '@hub/warehouse';

export const KPIS = ['INTAKE_WAITING_EVALUATION', 'JUDICIAL_PROPOSALS_UNDECIDED'] as const;
export type Kpi = (typeof KPIS)[number];

export type KpiAlert = {
  organizationId: string;
  kpi: Kpi;
  /** Items late; null when fewer than 3 (disclosure control: small counts are not shown). */
  late: number | null;
  days: number;
  threshold: number;
  evaluatedAt: Date;
  lastChangeSeq: number;
};

const dayMs = 86_400_000;

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
  const proposed = await warehouse.read(
    `SELECT organization_id, occurred_on, access_kind FROM main.fact_intake WHERE status = 'PROPOSED'`,
  );
  const today = Date.parse(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()),
  );
  const late = new Map<string, number>();
  for (const r of proposed) {
    const org = String(r.organization_id);
    const age = (today - Date.parse(String(r.occurred_on))) / dayMs;
    const kpis: Kpi[] = ['INTAKE_WAITING_EVALUATION'];
    if (r.access_kind === 'JUDICIAL_AUTHORITY') kpis.push('JUDICIAL_PROPOSALS_UNDECIDED');
    for (const kpi of kpis) {
      const t = rule(org, kpi);
      if (t && age > t.days) late.set(`${org}|${kpi}`, (late.get(`${org}|${kpi}`) ?? 0) + 1);
    }
  }
  const alerts = [...late.entries()]
    .map(([k, n]) => {
      const [org, kpi] = k.split('|') as [string, Kpi];
      const t = rule(org, kpi)!;
      return { org, kpi, n, days: t.days, threshold: t.threshold };
    })
    .filter((a) => a.n > a.threshold);
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

/** The alerts of the given organisations; counts under 3 come back as null. */
export async function listKpiAlerts(q: Queryable, organizationIds: string[]): Promise<KpiAlert[]> {
  if (organizationIds.length === 0) return [];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT organization_id::text, kpi, late, days, threshold, evaluated_at, last_change_seq
       FROM kpi_alert WHERE organization_id = ANY($1::uuid[]) ORDER BY late DESC, kpi`,
    [organizationIds],
  );
  return rows.map((r) => ({
    organizationId: String(r.organization_id),
    kpi: r.kpi as Kpi,
    late: Number(r.late) < 3 ? null : Number(r.late),
    days: Number(r.days),
    threshold: Number(r.threshold),
    evaluatedAt: new Date(String(r.evaluated_at)),
    lastChangeSeq: Number(r.last_change_seq),
  }));
}
