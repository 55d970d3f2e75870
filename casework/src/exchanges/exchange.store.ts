import type { Actor } from '../access/actor.ts';
import { auditActorValues } from '../audit/audit.ts';
import type { Queryable } from '../db/db.ts';

export const COUNTERPARTS = ['anpr', 'isee', 'health-registry', 'municipal-registry'] as const;
export type Counterpart = (typeof COUNTERPARTS)[number];

/** One exchange with a counterpart, as the audit keeps it: who, what, about whom, why, outcome. */
export type CounterpartExchange = {
  id: number;
  at: Date;
  counterpart: Counterpart;
  service: string;
  actorKind: 'OPERATOR' | 'CLIENT' | 'SYSTEM';
  actorId: string;
  organizationId: string | null;
  reason: string;
  subjectTaxCode: string | null;
  personId: string | null;
  caseFileId: string | null;
  remoteOperationId: string | null;
  outcome: string;
  durationMs: number;
};

export type NewExchange = {
  counterpart: Counterpart;
  service: string;
  reason: string;
  subjectTaxCode: string | null;
  personId?: string | null | undefined;
  caseFileId?: string | null | undefined;
  remoteOperationId?: string | null | undefined;
  outcome: string;
  durationMs: number;
};

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Writes one exchange; in the transaction of the audit row of the same read, when there is one. */
export async function insertExchange(q: Queryable, actor: Actor, e: NewExchange): Promise<void> {
  const [kind, actorId, organizationId] = auditActorValues(actor);
  await q.query(
    `INSERT INTO counterpart_exchange (counterpart, service, actor_kind, actor_id, organization_id,
       reason, subject_tax_code, person_id, case_file_id, remote_operation_id, outcome, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      e.counterpart,
      e.service,
      kind,
      actorId ?? actor.id,
      organizationId,
      cap(e.reason, 256),
      e.subjectTaxCode,
      e.personId ?? null,
      e.caseFileId ?? null,
      e.remoteOperationId ?? null,
      cap(e.outcome, 64),
      Math.max(0, Math.round(e.durationMs)),
    ],
  );
}

export type ExchangeFilter = {
  counterpart?: Counterpart | undefined;
  personId?: string | undefined;
  subjectTaxCode?: string | undefined;
  actorId?: string | undefined;
  /** Only failed exchanges (outcome other than OK). */
  failedOnly?: boolean | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** The id of the last exchange of the previous page: exchanges older than it. */
  before?: number | undefined;
  limit?: number | undefined;
};

export const MAX_EXCHANGE_PAGE = 500;

// The filters a caller may use, each with its column and comparison: the statement holds only
// the conditions in use.
const CONDITIONS = {
  counterpart: 'counterpart = ',
  personId: 'person_id = ',
  subjectTaxCode: 'subject_tax_code = ',
  actorId: 'actor_id = ',
  from: 'at >= ',
  to: 'at < ',
  before: 'id < ',
} as const satisfies Partial<Record<keyof ExchangeFilter, string>>;

/** Exchanges newest first, one page. */
export async function listExchanges(
  q: Queryable,
  filter: ExchangeFilter,
): Promise<CounterpartExchange[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [key, condition] of Object.entries(CONDITIONS)) {
    const value = filter[key as keyof typeof CONDITIONS];
    if (value === undefined || value === null) continue;
    params.push(value);
    where.push(`${condition}$${params.length}`);
  }
  if (filter.failedOnly) where.push(`outcome <> 'OK'`);
  params.push(Math.max(1, Math.min(filter.limit ?? 100, MAX_EXCHANGE_PAGE)));
  return q.query<CounterpartExchange>(
    `SELECT id::int AS id, at, counterpart, service, actor_kind AS "actorKind", actor_id AS "actorId",
            organization_id AS "organizationId", reason, subject_tax_code AS "subjectTaxCode",
            person_id AS "personId", case_file_id AS "caseFileId",
            remote_operation_id AS "remoteOperationId", outcome, duration_ms AS "durationMs"
       FROM counterpart_exchange
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
}
