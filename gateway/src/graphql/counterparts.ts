import {
  type AnprFamily,
  type AnprPersonLookup,
  type CaseHealthProfile,
  COUNTERPARTS,
  type CounterpartExchange,
  fetchIseeFromInps,
  INPS_ISEE_INDICATORS,
  lookUpFamilyInAnpr,
  lookUpFamilyInAnprByTaxCode,
  lookUpPersonInAnpr,
  type RegistryField,
  readCaseHealthProfile,
  readCounterpartExchanges,
  readSyncRuns,
  type SyncRunRecord,
  syncRegistryNow,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { IseeRef } from './case-sections.ts';

// The counterparts through casework: ANPR's look-up for the person form, the health profile of a
// case file's person, the ISEE from INPS, and, for the administrator, the exchanges and the runs
// of the synchronisation jobs. Each service decides who may ask, calls the counterpart, audits
// the exchange; a counterpart's failure reaches the client as a stable code in Italian.

const Counterpart = builder.enumType('Counterpart', {
  values: Object.fromEntries(
    COUNTERPARTS.map((c) => [c.toUpperCase().replace('-', '_'), { value: c }]),
  ) as Record<string, { value: (typeof COUNTERPARTS)[number] }>,
});
const IseeIndicator = builder.enumType('InpsIseeIndicator', {
  description: 'TipoIndicatore of ConsultazioneIndicatore',
  values: INPS_ISEE_INDICATORS,
});

const RegistryFieldSourceRef = builder
  .objectRef<RegistryField['source']>('RegistryFieldSource')
  .implement({
    fields: (t) => ({
      counterpart: t.exposeString('counterpart'),
      service: t.exposeString('service', { description: 'The e-service, ANPR C020' }),
      operationId: t.exposeString('operationId', {
        nullable: true,
        description: "ANPR's idOperazioneANPR of the answer",
      }),
      retrievedAt: t.field({
        type: 'DateTime',
        resolve: (s) => new Date(s.retrievedAt),
      }),
    }),
  });

const RegistryFieldRef = builder.objectRef<RegistryField>('RegistryField').implement({
  description: "A value for the person form, with its source (the form keeps it as the field's)",
  fields: (t) => ({
    field: t.exposeString('field', {
      description: 'The person field: lastName, firstName, sex, birthDate, birthPlaceCode, …',
    }),
    value: t.exposeString('value'),
    source: t.expose('source', { type: RegistryFieldSourceRef }),
  }),
});

const AnprPersonRef = builder.objectRef<AnprPersonLookup>('AnprPerson').implement({
  fields: (t) => ({
    taxCode: t.exposeString('taxCode'),
    personId: t.exposeID('personId', {
      nullable: true,
      description: 'The hub’s person with this codice fiscale, when the caller may see one',
    }),
    deathDate: t.expose('deathDate', { type: 'Date', nullable: true }),
    fields: t.expose('fields', { type: [RegistryFieldRef] }),
  }),
});

const AnprFamilyMemberRef = builder
  .objectRef<AnprFamily['members'][number]>('AnprFamilyMember')
  .implement({
    fields: (t) => ({
      taxCode: t.exposeString('taxCode', { nullable: true }),
      lastName: t.exposeString('lastName', { nullable: true }),
      firstName: t.exposeString('firstName', { nullable: true }),
      birthDate: t.expose('birthDate', { type: 'Date', nullable: true }),
      relationCode: t.exposeString('relationCode', {
        nullable: true,
        description: "ANPR's codiceLegame: the relation to the head of the family",
      }),
      relation: t.exposeString('relation', { nullable: true }),
      personId: t.exposeID('personId', {
        nullable: true,
        description: 'The hub’s person with this codice fiscale, when the caller may see one',
      }),
    }),
  });

const AnprFamilyRef = builder.objectRef<AnprFamily>('AnprFamily').implement({
  description: 'The family of a person as ANPR records it (C021), not stored',
  fields: (t) => ({
    personId: t.exposeID('personId', {
      nullable: true,
      description:
        'The hub’s person asked about; null when asked by codice fiscale for one the caller does not see in the hub',
    }),
    taxCode: t.exposeString('taxCode'),
    members: t.expose('members', { type: [AnprFamilyMemberRef] }),
    source: t.expose('source', { type: RegistryFieldSourceRef }),
  }),
});

type Doctor = NonNullable<CaseHealthProfile['doctor']>;
type Exemption = CaseHealthProfile['exemptions'][number];
const DoctorRef = builder.objectRef<Doctor>('AssignedDoctor').implement({
  fields: (t) => ({
    taxCode: t.exposeString('taxCode', { nullable: true }),
    regionalCode: t.exposeString('regionalCode', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    since: t.expose('since', { type: 'Date', nullable: true }),
    until: t.expose('until', { type: 'Date', nullable: true }),
  }),
});
const ExemptionRef = builder.objectRef<Exemption>('HealthExemption').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    description: t.exposeString('description', { nullable: true }),
    from: t.expose('from', { type: 'Date', nullable: true }),
    to: t.expose('to', { type: 'Date', nullable: true }),
  }),
});
const HealthProfileRef = builder.objectRef<CaseHealthProfile>('CaseHealthProfile').implement({
  description: 'HEALTH group, read from the regional health registry and not stored',
  fields: (t) => ({
    caseFileId: t.exposeID('caseFileId'),
    registry: t.exposeString('registry', { description: 'Which registry: piemonte-aura, …' }),
    asl: t.exposeString('asl', { nullable: true, description: 'The ASL of assistance' }),
    assistedSince: t.expose('assistedSince', { type: 'Date', nullable: true }),
    doctor: t.expose('doctor', { type: DoctorRef, nullable: true }),
    exemptions: t.expose('exemptions', { type: [ExemptionRef] }),
    retrievedAt: t.field({ type: 'DateTime', resolve: (p) => new Date(p.source.retrievedAt) }),
  }),
});

const ExchangeRef = builder.objectRef<CounterpartExchange>('CounterpartExchange').implement({
  description: 'One exchange with a counterpart: who asked what about whom, why, and the outcome',
  fields: (t) => ({
    id: t.exposeInt('id'),
    at: t.expose('at', { type: 'DateTime' }),
    counterpart: t.expose('counterpart', { type: Counterpart }),
    service: t.exposeString('service'),
    actorKind: t.exposeString('actorKind'),
    actorId: t.exposeString('actorId'),
    organizationId: t.exposeID('organizationId', { nullable: true }),
    reason: t.exposeString('reason', { description: 'motivoRichiesta' }),
    subjectTaxCode: t.exposeString('subjectTaxCode', { nullable: true }),
    personId: t.exposeID('personId', { nullable: true }),
    caseFileId: t.exposeID('caseFileId', { nullable: true }),
    remoteOperationId: t.exposeString('remoteOperationId', { nullable: true }),
    outcome: t.exposeString('outcome', { description: 'OK, or the code of the failure' }),
    durationMs: t.exposeInt('durationMs'),
  }),
});

const SyncRunRef = builder.objectRef<SyncRunRecord>('SyncRun').implement({
  fields: (t) => ({
    job: t.exposeString('job'),
    trigger: t.exposeString('trigger'),
    startedAt: t.field({ type: 'DateTime', resolve: (r) => new Date(r.startedAt) }),
    finishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (r) => (r.finishedAt ? new Date(r.finishedAt) : null),
    }),
    outcome: t.exposeString('outcome'),
    counts: t.field({ type: 'JSON', resolve: (r) => r.counts }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const ExchangeFilter = builder.inputType('CounterpartExchangeFilter', {
  fields: (t) => ({
    counterpart: t.field({ type: Counterpart }),
    personId: t.field({ type: 'UUID' }),
    subjectTaxCode: t.string(),
    actorId: t.string(),
    failedOnly: t.boolean(),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime' }),
    before: t.int({ description: 'The id of the last exchange of the previous page' }),
    limit: t.int(),
  }),
});

builder.queryFields((t) => ({
  anprPerson: t.withAuth(signedIn).field({
    type: AnprPersonRef,
    description:
      'ANPR (C020) by codice fiscale for the person form, each field with its source. The reason (motivoRichiesta) is required. Audited. Refused: REASON_REQUIRED, INVALID_TAX_CODE, FORBIDDEN; counterpart failures: SUBJECT_NOT_FOUND, COUNTERPART_TIMEOUT, CIRCUIT_OPEN, COUNTERPART_UNAVAILABLE, COUNTERPART_REFUSED, COUNTERPART_ANSWER_INVALID, COUNTERPART_NOT_CONFIGURED.',
    args: {
      taxCode: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) => lookUpPersonInAnpr(ctx.db, ctx.actor, ctx.counterparts, args),
  }),
  anprFamily: t.withAuth(signedIn).field({
    type: AnprFamilyRef,
    description:
      'The family of a person of the hub from ANPR (C021), for the casework operators who may see the person; the reason (motivoRichiesta) is required. A person held elsewhere answers as an unknown one. Audited. Refused: FORBIDDEN, NOT_FOUND, REASON_REQUIRED; counterpart failures as anprPerson.',
    args: {
      personId: t.arg({ type: 'UUID', required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      lookUpFamilyInAnpr(ctx.db, ctx.actor, ctx.counterparts, {
        personId: String(args.personId),
        reason: args.reason,
      }),
  }),
  anprFamilyByTaxCode: t.withAuth(signedIn).field({
    type: AnprFamilyRef,
    description:
      'The family from ANPR (C021) of the person the intake form is registering, by codice fiscale, before the person is stored: for the operators who register persons (as anprPerson); the reason (motivoRichiesta) is required. Answers the same whether or not the hub holds the codice fiscale elsewhere. Audited. Refused: FORBIDDEN, INVALID_TAX_CODE, REASON_REQUIRED; counterpart failures as anprPerson.',
    args: {
      taxCode: t.arg.string({ required: true }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      lookUpFamilyInAnprByTaxCode(ctx.db, ctx.actor, ctx.counterparts, args),
  }),
  caseHealthProfile: t.withAuth(signedIn).field({
    type: HealthProfileRef,
    description:
      "The health profile of the case file's person from the regional health registry: operators enabled on the case file, never at a desk that masks health. Audited.",
    args: { caseFileId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) =>
      readCaseHealthProfile(ctx.db, ctx.actor, ctx.counterparts, String(args.caseFileId)),
  }),
  counterpartExchanges: t.withAuth(signedIn).field({
    type: [ExchangeRef],
    description:
      'The exchanges with ANPR, INPS and the registries, newest first: administrators only. Audited.',
    args: { filter: t.arg({ type: ExchangeFilter }) },
    resolve: (_root, { filter }, ctx) =>
      readCounterpartExchanges(ctx.db, ctx.actor, {
        counterpart: filter?.counterpart ?? undefined,
        personId: filter?.personId ?? undefined,
        subjectTaxCode: filter?.subjectTaxCode ?? undefined,
        actorId: filter?.actorId ?? undefined,
        failedOnly: filter?.failedOnly ?? undefined,
        from: filter?.from ?? undefined,
        to: filter?.to ?? undefined,
        before: filter?.before ?? undefined,
        limit: filter?.limit ?? undefined,
      }),
  }),
  syncRuns: t.withAuth(signedIn).field({
    type: [SyncRunRef],
    description: 'The runs of the registry synchronisation jobs, newest first: administrators only',
    args: { job: t.arg.string(), limit: t.arg.int() },
    resolve: (_root, args, ctx) =>
      readSyncRuns(ctx.db, ctx.actor, {
        job: args.job ?? undefined,
        limit: args.limit ?? undefined,
      }),
  }),
}));

builder.mutationFields((t) => ({
  syncRegistryNow: t.withAuth(signedIn).field({
    type: SyncRunRef,
    description:
      'Runs a registry synchronisation job now ("sincronizza ora"; default anpr-notifications, ANPR C001) and returns its run as the run history records it (skipped when a run of the job is still going; failed, with its error, when the job fails). Administrators only. Audited. Refused: FORBIDDEN, BAD_USER_INPUT (unknown job), COUNTERPART_NOT_CONFIGURED (no schedules).',
    args: { job: t.arg.string() },
    resolve: (_root, args, ctx) =>
      syncRegistryNow(ctx.db, ctx.actor, ctx.counterparts, { job: args.job ?? undefined }),
  }),
  fetchIseeFromInps: t.withAuth(signedIn).field({
    type: IseeRef,
    description:
      "Reads the ISEE of the case file's person from INPS (ConsultazioneIndicatore) and stores it with its source. As addIsee: enabled operators, not at a desk that masks economic data. Refused: REASON_REQUIRED, FORBIDDEN; counterpart failures as anprPerson.",
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      reason: t.arg.string({ required: true, description: 'The practice the ISEE is asked for' }),
      indicator: t.arg({ type: IseeIndicator, description: 'Default Ordinario' }),
    },
    resolve: (_root, args, ctx) =>
      fetchIseeFromInps(ctx.db, ctx.actor, ctx.counterparts, String(args.caseFileId), {
        reason: args.reason,
        indicator: args.indicator ?? undefined,
      }),
  }),
}));
