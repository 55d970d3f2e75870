import {
  type ConsentRecord,
  listConsentHistory,
  type RecordedConsent,
  recordConsent,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';

// Consent to processing as a record of its own: recordable at any time, with its history. The
// service decides who may (front desk, social workers, coordinators; persons they may see) and
// applies a denial at once (rule 2's erasure).

const ConsentStatus = builder.enumType('ConsentStatus', {
  values: ['GIVEN', 'DENIED', 'WITHDRAWN'] as const,
});
/** Who decided: the person, or their legal representative (minors, guardianship). */
export const ConsentGiver = builder.enumType('ConsentGivenBy', {
  description: 'Who decided: the person, or their legal representative (minors, guardianship)',
  values: ['SUBJECT', 'LEGAL_REPRESENTATIVE'] as const,
});

const ConsentRef = builder.objectRef<ConsentRecord>('ConsentRecord').implement({
  description: 'Consenso al trattamento: a decision of the person towards an organisation',
  fields: (t) => ({
    id: t.exposeID('id'),
    personId: t.exposeID('personId'),
    organizationId: t.exposeID('organizationId'),
    organizationName: t.exposeString('organizationName'),
    officeId: t.exposeID('officeId', { nullable: true }),
    status: t.expose('status', { type: ConsentStatus }),
    legalBasis: t.exposeString('legalBasis'),
    givenBy: t.expose('givenBy', { type: ConsentGiver, nullable: true }),
    representativeName: t.exposeString('representativeName', { nullable: true }),
    decidedOn: t.expose('decidedOn', { type: 'Date' }),
    recordedBy: t.exposeString('recordedBy', { nullable: true }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    notes: t.exposeString('notes', { nullable: true }),
  }),
});

const RecordedConsentRef = builder.objectRef<RecordedConsent>('RecordedConsent').implement({
  fields: (t) => ({
    consent: t.field({ type: ConsentRef, resolve: (c) => c }),
    erasedReports: t.exposeIDList('erasedReports', {
      description: 'Public official reports that now keep the report alone (rule 2)',
    }),
    permitErased: t.exposeBoolean('permitErased'),
  }),
});

const RecordConsentInput = builder.inputType('RecordConsentInput', {
  fields: (t) => ({
    personId: t.field({ type: 'UUID', required: true }),
    status: t.field({ type: ConsentStatus, required: true }),
    givenBy: t.field({ type: ConsentGiver }),
    representativeName: t.string(),
    officeId: t.field({ type: 'UUID', description: 'Default: the caller’s own office' }),
    decidedOn: t.field({ type: 'Date', description: 'Default: today (Europe/Rome)' }),
    notes: t.string(),
  }),
});

builder.queryFields((t) => ({
  consentHistory: t.withAuth(signedIn).field({
    type: [ConsentRef],
    description:
      'The person’s decisions towards the caller’s organisations, newest first. Audited.',
    args: { personId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => listConsentHistory(ctx.db, ctx.actor, String(args.personId)),
  }),
}));

builder.mutationFields((t) => ({
  recordConsent: t.withAuth(signedIn).field({
    type: RecordedConsentRef,
    description:
      'Records the person’s decision at any time; a denial or withdrawal erases at once what rule 2 asks. Refused: REPRESENTATIVE_CONSENT_REQUIRED, NOT_FOUND.',
    args: { input: t.arg({ type: RecordConsentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordConsent(ctx.db, ctx.actor, {
        personId: String(input.personId),
        status: input.status,
        givenBy: input.givenBy ?? 'SUBJECT',
        representativeName: input.representativeName ?? null,
        officeId: input.officeId == null ? null : String(input.officeId),
        decidedOn: input.decidedOn ?? null,
        notes: input.notes ?? null,
      }),
  }),
}));
