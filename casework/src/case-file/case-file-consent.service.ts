// Consent on the case file itself for later accesses (seed 003 rule 1; issue 8, section 2).
// A case file stands on one of two legal bases:
// - JUDICIAL_MANDATE: it was opened from (or later received) an intake record of the judicial
//   authority. The subject's data were registered without consent; at later accesses the social
//   worker asks for consent, but "il suo diniego non comporta" the end of the case: a denial is
//   recorded, shown, and the case goes on, open and readable by its operators, new care plans
//   included, since the judge ordered it (what exactly the judge ordered is rule 3's concern).
// - CONSENT: everything else. A denial or a withdrawal is recorded and takes effect at once as a
//   social worker expects: the case file flags "consenso revocato"; what is recorded stays (the
//   record is the service's own, kept by law, and it documents why the work stopped), the
//   operators still read it, write notes, interviews and the diary (the interview where consent
//   is asked again included), close plans, discharge and close the case; but no new intervention
//   starts: a new care plan, foster-care plan, residential placement, placement service or
//   individual project is refused with CONSENT_REQUIRED, audited, until consent is given again.
//   Referrals are not blocked: reporting a risk to another body never needs consent.
// No decision recorded yet (cases opened before consent was a record of its own) blocks nothing.
// The decision is the person's latest one towards the case's organisation (the consent table),
// the same one persons/person.access.ts reads; it is recorded with recordConsentInTx, so rule 2's
// erasure and the representative's rule (minors, guardianship) apply here too.
import { z } from 'zod';
import { type Actor, maskedGroupsOf } from '../access/actor.ts';
import { type AuditScope, audited, Refusal } from '../access/audited.ts';
import { recordConsentInTx } from '../consent/consent.service.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { CaseworkError } from '../errors.ts';
import { todayInRome } from '../time/today.ts';
import {
  auditCaseWrite,
  authorizeCase,
  type CaseHeader,
  operatorIdOf,
} from './case-file.access.ts';
import type { CaseFileConsent } from './case-file.types.ts';
import { notFound, parseInput } from './case-file.util.ts';
import { insertDiaryEntry } from './dossier/dossier.store.ts';
import { DIARY_TYPE } from './dossier/dossier.types.ts';

type Facts = {
  judicial: boolean;
  consentId: string | null;
  status: 'GIVEN' | 'DENIED' | 'WITHDRAWN' | null;
  givenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE' | null;
  representativeName: string | null;
  decidedOn: string | null;
  recordedBy: string | null;
  recordedAt: Date | null;
};

async function selectFacts(
  q: Queryable,
  c: { id: string; personId: string; organizationId: string },
): Promise<Facts> {
  const [row] = await q.query<Facts>(
    `SELECT EXISTS (SELECT 1 FROM case_file_intake l JOIN intake_record i ON i.id = l.intake_record_id
                     WHERE l.case_file_id = $1
                       AND (i.access_kind = 'JUDICIAL_AUTHORITY' OR i.legal_basis = 'JUDICIAL_MANDATE'))
              AS judicial,
            d.id AS "consentId", d.status, d.given_by AS "givenBy",
            d.representative_name AS "representativeName", d.decided_on AS "decidedOn",
            op.username AS "recordedBy", d.recorded_at AS "recordedAt"
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT * FROM consent
          WHERE person_id = $2 AND organization_id = $3 AND legal_basis <> 'JUDICIAL_MANDATE'
          ORDER BY decided_on DESC, recorded_at DESC LIMIT 1) d ON true
       LEFT JOIN operator op ON op.id = d.recorded_by`,
    [c.id, c.personId, c.organizationId],
  );
  return row!;
}

const withdrawn = (f: Facts) => f.status === 'DENIED' || f.status === 'WITHDRAWN';

function labelOf(f: Facts, basisShown: boolean): string {
  if (!withdrawn(f)) {
    return f.status === 'GIVEN' ? 'consenso prestato' : 'consenso non ancora registrato';
  }
  const what = f.status === 'DENIED' ? 'consenso negato' : 'consenso revocato';
  if (!basisShown) return what;
  return f.judicial
    ? `${what}: il caso prosegue sul mandato dell'Autorità Giudiziaria`
    : `${what}: nessun nuovo intervento fino a un nuovo consenso`;
}

/** The consent state the case file shows, for an actor already allowed to read it. */
export async function selectCaseConsent(
  q: Queryable,
  actor: Actor,
  c: { id: string; personId: string; organizationId: string },
): Promise<CaseFileConsent> {
  const f = await selectFacts(q, c);
  const basisShown = !maskedGroupsOf(actor).has('JUDICIAL');
  return {
    caseFileId: c.id,
    legalBasis: basisShown ? (f.judicial ? 'JUDICIAL_MANDATE' : 'CONSENT') : null,
    status: f.status ?? 'NOT_RECORDED',
    consentWithdrawn: withdrawn(f),
    newInterventionsAllowed: basisShown ? f.judicial || !withdrawn(f) : null,
    label: labelOf(f, basisShown),
    consentId: f.consentId,
    givenBy: f.givenBy,
    representativeName: f.representativeName,
    decidedOn: f.decidedOn,
    recordedBy: f.recordedBy,
    recordedAt: f.recordedAt,
  };
}

/**
 * The refusal of a new intervention on a consent-based case whose consent was denied or
 * withdrawn, or null when it may start. Callers throw it (audited) or, in the case-file
 * module's transactions, audit and return it (refuseInTransaction).
 */
export async function consentRefusalForNewIntervention(
  q: Queryable,
  c: CaseHeader,
  entity: string,
): Promise<Refusal | null> {
  const f = await selectFacts(q, c);
  if (f.judicial || !withdrawn(f)) return null;
  return new Refusal(
    'CONSENT_REQUIRED',
    'consenso revocato: nessun nuovo intervento finché la persona non presta di nuovo il consenso',
    {
      action: 'CREATE',
      entity,
      entityId: null,
      personId: c.personId,
      reason: `consent ${f.status} on a consent-based case file`,
      details: { caseFileId: c.id, consentId: f.consentId },
    },
    'caseFileId',
  );
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'data AAAA-MM-GG');
export const recordCaseFileConsentInput = z
  .object({
    status: z.enum(['GIVEN', 'DENIED', 'WITHDRAWN']),
    givenBy: z.enum(['SUBJECT', 'LEGAL_REPRESENTATIVE']).default('SUBJECT'),
    representativeName: z.string().trim().max(200).nullish(),
    /** Default: today (Europe/Rome). */
    decidedOn: isoDate.nullish(),
    notes: z.string().trim().max(2000).nullish(),
  })
  .strict();
export type RecordCaseFileConsentInput = z.input<typeof recordCaseFileConsentInput>;

const STATUS_TEXT = { GIVEN: 'prestato', DENIED: 'negato', WITHDRAWN: 'revocato' } as const;

/**
 * Records the consent asked at a later access of the case (rule 1): the person's decision
 * towards the case's organisation and office. Any operator enabled on the case, closed cases
 * too (a withdrawal is always recordable); a line goes in the diary.
 */
export async function recordCaseFileConsent(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: RecordCaseFileConsentInput,
): Promise<CaseFileConsent> {
  const scope: AuditScope = {
    action: 'UPDATE',
    entity: 'CaseFile',
    entityId: null,
    personId: null,
  };
  return audited(
    db,
    actor,
    scope,
    async (tx) => {
      const input = parseInput(recordCaseFileConsentInput, raw);
      const decidedOn = input.decidedOn ?? todayInRome();
      if (decidedOn > todayInRome())
        throw new CaseworkError(
          'FUTURE_DATE',
          'la data non può essere nel futuro',
          'input.decidedOn',
        );
      if (!isUuid(caseFileId)) throw notFound('cartella sociale', 'caseFileId');
      scope.entityId = caseFileId;
      const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'CaseFile', {
        lock: true,
        allowClosed: true,
      });
      if (c instanceof CaseworkError) throw c;
      scope.personId = c.personId;
      const recorded = await recordConsentInTx(tx, actor, {
        personId: c.personId,
        organizationId: c.organizationId,
        officeId: c.officeId,
        status: input.status,
        givenBy: input.givenBy,
        representativeName: input.representativeName ?? null,
        decidedOn,
        notes: input.notes ?? null,
      });
      const state = await selectFacts(tx, c);
      const by =
        input.givenBy === 'LEGAL_REPRESENTATIVE'
          ? ` dal rappresentante legale ${input.representativeName}`
          : '';
      await insertDiaryEntry(tx, {
        caseFileId: c.id,
        typeId: DIARY_TYPE.NOTE,
        on: decidedOn,
        text: `Consenso al trattamento ${STATUS_TEXT[input.status]}${by} (${labelOf(state, true)})`,
        authorId: operatorIdOf(actor),
        sourceKind: 'consent',
        sourceId: recorded.id,
        // The line may tell of the judicial mandate.
        sensitiveGroup: state.judicial ? 'JUDICIAL' : null,
      });
      await auditCaseWrite(tx, actor, c, 'UPDATE', 'CaseFile', c.id, {
        consentId: recorded.id,
        consentStatus: input.status,
      });
      return selectCaseConsent(tx, actor, c);
    },
    // A refusal names the case and whose it is.
    async (tx, s) => {
      if (!s.entityId || s.personId) return;
      const [row] = await tx.query<{ personId: string }>(
        'SELECT person_id AS "personId" FROM case_file WHERE id = $1',
        [s.entityId],
      );
      s.personId = row?.personId ?? null;
    },
  );
}
