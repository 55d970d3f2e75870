import { type CaseFileConsent, recordCaseFileConsent } from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { CaseFileRef } from './case-file.ts';
import { ConsentGiver } from './consent.ts';

// Consent on the case file for later accesses (rule 1): the state the case file shows and the
// mutation that records the consent asked at a later access. The service decides who may (an
// operator enabled on the case) and what a denial stops (case-file-consent.service.ts).

const CaseLegalBasis = builder.enumType('CaseLegalBasis', {
  description: 'What the case file stands on: a judicial mandate, or the person’s consent',
  values: ['JUDICIAL_MANDATE', 'CONSENT'] as const,
});
const CaseConsentStatus = builder.enumType('CaseConsentStatus', {
  values: ['GIVEN', 'DENIED', 'WITHDRAWN', 'NOT_RECORDED'] as const,
});
const CaseDecision = builder.enumType('CaseConsentDecision', {
  values: ['GIVEN', 'DENIED', 'WITHDRAWN'] as const,
});

const CaseFileConsentRef = builder.objectRef<CaseFileConsent>('CaseFileConsent').implement({
  description:
    "The person's latest consent decision towards the case's organisation, and what it allows",
  fields: (t) => ({
    caseFileId: t.field({ type: 'UUID', resolve: (c) => c.caseFileId }),
    legalBasis: t.expose('legalBasis', {
      type: CaseLegalBasis,
      nullable: true,
      description: 'Null at a desk that masks judicial data',
    }),
    status: t.expose('status', { type: CaseConsentStatus }),
    consentWithdrawn: t.exposeBoolean('consentWithdrawn', {
      description: '"Consenso revocato": the latest decision is a denial or a withdrawal',
    }),
    newInterventionsAllowed: t.exposeBoolean('newInterventionsAllowed', {
      nullable: true,
      description:
        'Whether new care plans and interventions may start (always on a judicial mandate); null where the legal basis is masked',
    }),
    label: t.exposeString('label'),
    consentId: t.field({ type: 'UUID', nullable: true, resolve: (c) => c.consentId }),
    givenBy: t.expose('givenBy', { type: ConsentGiver, nullable: true }),
    representativeName: t.exposeString('representativeName', { nullable: true }),
    decidedOn: t.expose('decidedOn', { type: 'Date', nullable: true }),
    recordedBy: t.exposeString('recordedBy', { nullable: true }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(CaseFileRef, 'consent', (t) =>
  t.expose('consent', { type: CaseFileConsentRef }),
);

const RecordCaseFileConsentInput = builder.inputType('RecordCaseFileConsentInput', {
  fields: (t) => ({
    status: t.field({ type: CaseDecision, required: true }),
    givenBy: t.field({ type: ConsentGiver }),
    representativeName: t.string(),
    decidedOn: t.field({ type: 'Date', description: 'Default: today (Europe/Rome)' }),
    notes: t.string(),
  }),
});

builder.mutationFields((t) => ({
  recordCaseFileConsent: t.withAuth(signedIn).field({
    type: CaseFileConsentRef,
    description:
      'Records the consent asked at a later access of the case, towards its organisation and office. On a consent-based case a denial or withdrawal stops new interventions (CONSENT_REQUIRED) until consent is given again; on a judicial mandate the case goes on. Refused: FORBIDDEN, REPRESENTATIVE_CONSENT_REQUIRED, FUTURE_DATE.',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: RecordCaseFileConsentInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      recordCaseFileConsent(ctx.db, ctx.actor, String(caseFileId), {
        status: input.status,
        givenBy: input.givenBy ?? 'SUBJECT',
        representativeName: input.representativeName ?? null,
        decidedOn: input.decidedOn ?? null,
        notes: input.notes ?? null,
      }),
  }),
}));
