// Consent to processing (consenso al trattamento) as a record of its own: the person's decision
// towards an organisation (given, denied, withdrawn), who decided (the person or the legal
// representative, named), when, on which legal basis; recordable at any time, with or without an
// open intake record. A denial or a withdrawal takes effect at once (rule 2's erasure, rule 5:
// a stale GIVEN no longer lets a generic reporter record new data).
import { z } from 'zod';
import { type Actor, canSeeOrganization, hasRole } from '../access/actor.ts';
import { type AuditScope, audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { insertConsent } from '../intake/intake.store.ts';
import { requireVisiblePerson } from '../persons/person-visibility.ts';
import { todayInRome } from '../time/today.ts';
import { checkConsentGiver } from './consent.rules.ts';
import { eraseAfterDenial } from './rule-2-erasure.ts';

const ENTITY = 'Consent';
/** The front desk and the social workers receive people and record their decisions. */
const RECORDING_ROLES = ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR'] as const;

export type ConsentRecord = {
  id: string;
  personId: string;
  organizationId: string;
  organizationName: string;
  officeId: string | null;
  status: 'GIVEN' | 'DENIED' | 'WITHDRAWN';
  legalBasis: 'CONSENT' | 'JUDICIAL_MANDATE' | 'LEGAL_OBLIGATION' | 'VITAL_INTEREST';
  givenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE' | null;
  representativeName: string | null;
  decidedOn: string;
  recordedBy: string | null;
  recordedAt: Date;
  notes: string | null;
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'data AAAA-MM-GG');
export const recordPersonConsentInput = z
  .object({
    personId: z.string(),
    status: z.enum(['GIVEN', 'DENIED', 'WITHDRAWN']),
    givenBy: z.enum(['SUBJECT', 'LEGAL_REPRESENTATIVE']).default('SUBJECT'),
    representativeName: z.string().trim().max(200).nullish(),
    /** The office that receives the decision; default the caller's own. */
    officeId: z.string().uuid().nullish(),
    /** Default: today (Europe/Rome). */
    decidedOn: isoDate.nullish(),
    notes: z.string().trim().max(2000).nullish(),
  })
  .strict();
export type RecordPersonConsentInput = z.input<typeof recordPersonConsentInput>;

const SELECT = `SELECT c.id, c.person_id AS "personId", c.organization_id AS "organizationId",
    o.name AS "organizationName", c.office_id AS "officeId", c.status, c.legal_basis AS "legalBasis",
    c.given_by AS "givenBy", c.representative_name AS "representativeName",
    c.decided_on AS "decidedOn", op.username AS "recordedBy", c.recorded_at AS "recordedAt", c.notes
  FROM consent c JOIN organization o ON o.id = c.organization_id
  LEFT JOIN operator op ON op.id = c.recorded_by`;

export type RecordedConsent = ConsentRecord & { erasedReports: string[]; permitErased: boolean };

/**
 * Records a decision in an open transaction, for the organisation and office given: checks who
 * may decide (consent.rules.ts), writes it, applies a denial at once. Used by recordConsent and
 * by the intake record.
 */
export async function recordConsentInTx(
  tx: Queryable,
  actor: Actor,
  c: {
    personId: string;
    organizationId: string;
    officeId: string | null;
    status: 'GIVEN' | 'DENIED' | 'WITHDRAWN';
    givenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE';
    representativeName: string | null;
    decidedOn: string;
    notes: string | null;
    legalBasis?: 'CONSENT' | 'JUDICIAL_MANDATE';
  },
): Promise<RecordedConsent> {
  const [facts] = await tx.query<{ birthDate: string | null; underGuardianship: boolean }>(
    'SELECT birth_date AS "birthDate", under_guardianship AS "underGuardianship" FROM person WHERE id = $1',
    [c.personId],
  );
  checkConsentGiver({
    status: c.status,
    givenBy: c.givenBy,
    representativeName: c.representativeName,
    birthDate: facts?.birthDate ?? null,
    underGuardianship: facts?.underGuardianship ?? false,
    decidedOn: c.decidedOn,
  });
  const id = await insertConsent(tx, {
    personId: c.personId,
    organizationId: c.organizationId,
    officeId: c.officeId,
    status: c.status,
    legalBasis: c.legalBasis ?? 'CONSENT',
    decidedOn: c.decidedOn,
    operatorId: actor.kind === 'OPERATOR' ? actor.id : null,
    givenBy: c.givenBy,
    representativeName: c.representativeName,
    notes: c.notes,
  });
  await audit(tx, actor, {
    action: 'CREATE',
    entity: ENTITY,
    entityId: id,
    personId: c.personId,
    outcome: 'OK',
    details: { status: c.status, givenBy: c.givenBy, organizationId: c.organizationId },
  });
  const erased =
    c.status === 'GIVEN'
      ? { reports: [], permitErased: false }
      : await eraseAfterDenial(tx, actor, {
          personId: c.personId,
          organizationId: c.organizationId,
          consentId: id,
          status: c.status,
        });
  const [row] = await tx.query<ConsentRecord>(`${SELECT} WHERE c.id = $1`, [id]);
  return { ...row!, erasedReports: erased.reports, permitErased: erased.permitErased };
}

/**
 * Records the person's decision towards the caller's organisation (or the office given) at any
 * time. Front desk, social workers and coordinators; the person must be one the caller may see.
 */
export async function recordConsent(
  db: Db,
  actor: Actor,
  raw: RecordPersonConsentInput,
): Promise<RecordedConsent> {
  const scope: AuditScope = { action: 'CREATE', entity: ENTITY, entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    if (actor.kind !== 'OPERATOR' || !hasRole(actor, ...RECORDING_ROLES)) {
      throw new Refusal('FORBIDDEN', 'il ruolo non consente di registrare il consenso', {
        action: 'CREATE',
        entity: ENTITY,
        reason: 'role may not record consent',
      });
    }
    const parsed = recordPersonConsentInput.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badInput(['input', ...issue.path.map(String)].join('.'), issue.message);
    }
    const input = parsed.data;
    await requireVisiblePerson(tx, actor, input.personId, {
      action: 'CREATE',
      entity: ENTITY,
      field: 'input.personId',
    });
    const membership = input.officeId
      ? actor.memberships.find((m) => m.officeId === input.officeId)
      : actor.memberships.find((m) => (RECORDING_ROLES as readonly string[]).includes(m.role));
    if (!membership || !canSeeOrganization(actor, membership.organizationId)) {
      throw new CaseworkError(
        'FORBIDDEN',
        'l’ufficio indicato non è tra quelli dell’operatore',
        'input.officeId',
      );
    }
    const decidedOn = input.decidedOn ?? todayInRome();
    if (decidedOn > todayInRome())
      throw new CaseworkError(
        'FUTURE_DATE',
        'la data non può essere nel futuro',
        'input.decidedOn',
      );
    scope.personId = input.personId;
    return recordConsentInTx(tx, actor, {
      personId: input.personId,
      organizationId: membership.organizationId,
      officeId: membership.officeId,
      status: input.status,
      givenBy: input.givenBy,
      representativeName: input.representativeName ?? null,
      decidedOn,
      notes: input.notes ?? null,
    });
  });
}

/** The person's decisions towards the caller's organisations, newest first. Audited as a read. */
export async function listConsentHistory(
  db: Db,
  actor: Actor,
  personId: string,
): Promise<ConsentRecord[]> {
  const scope = { action: 'READ' as const, entity: ENTITY, entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    if (
      actor.kind !== 'OPERATOR' ||
      !hasRole(actor, 'FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF')
    ) {
      throw new Refusal('FORBIDDEN', 'il ruolo non consente di consultare i consensi', {
        action: 'READ',
        entity: ENTITY,
        reason: 'role may not read consent',
      });
    }
    await requireVisiblePerson(tx, actor, personId, {
      action: 'READ',
      entity: ENTITY,
      field: 'input.personId',
    });
    const rows = await tx.query<ConsentRecord>(
      `${SELECT} WHERE c.person_id = $1 AND c.organization_id = ANY($2::uuid[])
        ORDER BY c.decided_on DESC, c.recorded_at DESC`,
      [personId, actor.organizationIds],
    );
    await audit(tx, actor, {
      action: 'READ',
      entity: ENTITY,
      personId,
      outcome: 'OK',
      details: { rows: rows.length },
    });
    return rows;
  });
}
