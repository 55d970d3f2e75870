import { type Actor, canSeeOrganization } from '../access/actor.ts';
import { recordConsentInTx } from '../consent/consent.service.ts';
import type { Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { forbidden } from './intake.access.ts';
import { type ContactPointRow, selectContactPoint } from './intake.store.ts';
import type { CreateIntakeData, Outcome } from './intake.types.ts';
import { operatorIdOf } from './intake.util.ts';

export async function resolveContactPoint(
  tx: Queryable,
  actor: Actor,
  id: string | null | undefined,
): Promise<ContactPointRow> {
  let contactPointId = id ?? null;
  if (!contactPointId && actor.kind === 'OPERATOR') {
    const desks = [
      ...new Set(actor.memberships.map((m) => m.contactPointId).filter((c): c is string => !!c)),
    ];
    if (desks.length === 1) contactPointId = desks[0]!;
  }
  if (!contactPointId)
    throw badInput('input.contactPointId', 'indicare il punto di contatto della scheda');
  const cp = await selectContactPoint(tx, contactPointId);
  if (!cp)
    throw new CaseworkError('NOT_FOUND', 'punto di contatto inesistente', 'input.contactPointId');
  if (!canSeeOrganization(actor, cp.organizationId)) {
    throw forbidden('il punto di contatto appartiene a un ente non accessibile all’operatore');
  }
  return cp;
}

export const hasAny = (o: object | null | undefined) =>
  !!o && Object.values(o).some((v) => v !== null && v !== undefined);

export function socialWrite(s: CreateIntakeData['social']) {
  return {
    householdSize: s?.householdSize ?? null,
    familyNotes: s?.familyNotes ?? null,
    workConditionCode: s?.workConditionCode ?? null,
    workNotes: s?.workNotes ?? null,
    homeless: s?.homeless ?? null,
    housingNotes: s?.housingNotes ?? null,
    contactsNotes: s?.contactsNotes ?? null,
    healthNotes: s?.healthNotes ?? null,
    judicialNotes: s?.judicialNotes ?? null,
    judicialMeasureRef: s?.judicialMeasureRef ?? null,
    economicNotes: s?.economicNotes ?? null,
  };
}

export const attachmentWrite = (
  a: CreateIntakeData['services'][number]['attachments'][number],
) => ({
  fileName: a.fileName,
  mediaType: a.mediaType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256 ?? null,
  storageKey: a.storageKey ?? null,
});

export function closingState(outcome: Outcome, officeId: string) {
  return outcome === 'PROPOSAL_TAKE_INTO_CARE'
    ? { status: 'PROPOSED' as const, outcome, proposedOfficeId: officeId }
    : { status: 'CLOSED' as const, outcome, proposedOfficeId: null };
}

/** An attested title: the document, and the operator who saw it, when. */
export function titleWrite(
  actor: Actor,
  i: { entitled: boolean; titleDocument?: string | null | undefined },
) {
  const document = i.entitled ? (i.titleDocument?.trim() ?? null) || null : null;
  return {
    interlocutorTitleDocument: document,
    interlocutorTitleAttestedBy: document ? operatorIdOf(actor) : null,
    interlocutorTitleAttestedAt: document ? new Date() : null,
  };
}

/** The free text of a record by input field, for rule 7's check of anonymous records. */
export function freeTexts(r: {
  summary?: string | null | undefined;
  sentBy?: string | null | undefined;
  accessReason?: string | null | undefined;
  interlocutor?:
    | {
        name?: string | null | undefined;
        organization?: string | null | undefined;
        role?: string | null | undefined;
        contact?: string | null | undefined;
      }
    | null
    | undefined;
  social?: Record<string, unknown> | null | undefined;
  needs?: readonly { notes?: string | null | undefined }[] | null | undefined;
  services?: readonly { notes?: string | null | undefined }[] | null | undefined;
}): Record<string, string | null | undefined> {
  const texts: Record<string, string | null | undefined> = {
    'input.summary': r.summary,
    'input.sentBy': r.sentBy,
    'input.accessReason': r.accessReason,
  };
  for (const key of ['name', 'organization', 'role', 'contact'] as const) {
    texts[`input.interlocutor.${key}`] = r.interlocutor?.[key];
  }
  for (const [key, value] of Object.entries(r.social ?? {})) {
    if (typeof value === 'string') texts[`input.social.${key}`] = value;
  }
  r.needs?.forEach((n, i) => {
    texts[`input.needs.${i}.notes`] = n.notes;
  });
  r.services?.forEach((n, i) => {
    texts[`input.services.${i}.notes`] = n.notes;
  });
  return texts;
}

/** The representative who decided: named in the input, else the interlocutor who represents. */
/**
 * Records the consent given or denied at the desk with the record (create or update): the
 * person's own consent record (consent.service.ts), for the record's organisation and office.
 */
export async function recordDeskConsent(
  tx: Queryable,
  actor: Actor,
  personId: string | null,
  place: { organizationId: string; officeId: string },
  consent: CreateIntakeData['consent'] | null | undefined,
  interlocutor: { kind: string; name?: string | null | undefined },
  day: string,
): Promise<string | null> {
  if (!consent || !personId) return null;
  const recorded = await recordConsentInTx(tx, actor, {
    personId,
    organizationId: place.organizationId,
    officeId: place.officeId,
    status: consent.status,
    givenBy: consent.givenBy,
    representativeName: representativeOf(consent, interlocutor),
    decidedOn: consent.decidedOn ?? day,
    notes: null,
  });
  return recorded.id;
}

/** The reference persons as the store writes them. */
export const referencePersonWrites = (refs: CreateIntakeData['referencePersons']) =>
  refs.map((r) => ({
    relationship: r.relationship,
    personId: r.personId ?? null,
    fullName: r.fullName,
    phone: r.phone ?? null,
    email: r.email ?? null,
    notes: r.notes ?? null,
  }));

export function representativeOf(
  consent: {
    givenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE';
    representativeName?: string | null | undefined;
  },
  interlocutor: { kind: string; name?: string | null | undefined },
): string | null {
  if (consent.givenBy !== 'LEGAL_REPRESENTATIVE') return null;
  return (
    consent.representativeName ??
    (interlocutor.kind === 'LEGAL_REPRESENTATIVE' ? (interlocutor.name ?? null) : null)
  );
}
