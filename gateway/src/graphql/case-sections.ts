import {
  addCaseNote,
  addCourtMeasure,
  addDisability,
  addInvalidity,
  addIsee,
  addResource,
  addSchoolRecord,
  CASE_CODE_LISTS,
  type CaseNote,
  type CaseProblem,
  type CaseResource,
  COURT_BODIES,
  type CourtMeasure,
  type Disability,
  type Invalidity,
  ISEE_TYPES,
  type IseeRecord,
  RELIABILITIES,
  recordSocialData,
  removeCaseResource,
  type SchoolRecord,
  SOCIAL_DATA_SOURCES,
  SOCIAL_DOMAINS,
  type SocialDataRecord,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { str, withoutNulls } from './graphql-input.ts';

// The sections of the case file: family and acquaintances, social data, health (invalidity,
// disability), judicial measures, problems, notes, school and ISEE. The service checks the access
// list, masks the groups the caller's desk may not see and audits.

const SocialDomain = builder.enumType('SocialDomain', { values: SOCIAL_DOMAINS });
const Reliability = builder.enumType('SocialDataReliability', {
  description: 'REPORTED (as told, e.g. at the desk) or VERIFIED by the social worker',
  values: RELIABILITIES,
});
const SocialDataSource = builder.enumType('SocialDataSource', { values: SOCIAL_DATA_SOURCES });
const ResourceKind = builder.enumType('CaseResourceKind', {
  values: ['FAMILY', 'ACQUAINTANCE'] as const,
});
const CourtBody = builder.enumType('CourtBody', {
  description: 'SISO struttura_tribunale',
  values: COURT_BODIES,
});
const IseeType = builder.enumType('IseeType', { values: ISEE_TYPES });

export const ResourceRef = builder.objectRef<CaseResource>('CaseResource').implement({
  description: 'Family and acquaintances network',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: ResourceKind }),
    relationship: t.exposeString('relationship'),
    name: t.exposeString('name'),
    personId: t.exposeID('personId', { nullable: true }),
    cohabiting: t.exposeBoolean('cohabiting'),
    caregiver: t.exposeBoolean('caregiver'),
    phone: t.exposeString('phone', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const SocialDataRef = builder.objectRef<SocialDataRecord>('SocialDataRecord').implement({
  description: 'Work (SINBA OccupazioneType), housing, education (SINBA TitoloStudioType)',
  fields: (t) => ({
    id: t.exposeID('id'),
    domain: t.expose('domain', { type: SocialDomain }),
    code: t.exposeString('code'),
    label: t.exposeString('label', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    reliability: t.expose('reliability', { type: Reliability }),
    source: t.expose('source', { type: SocialDataSource }),
    recordedOn: t.expose('recordedOn', { type: 'Date' }),
    recordedBy: t.exposeID('recordedBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const InvalidityRef = builder.objectRef<Invalidity>('Invalidity').implement({
  description: 'HEALTH group; certification: PS_PSA_SINA201812.xsd InvCivType',
  fields: (t) => ({
    id: t.exposeID('id'),
    certification: t.exposeString('certification'),
    percentage: t.exposeInt('percentage', { nullable: true }),
    recognizedOn: t.expose('recognizedOn', { type: 'Date', nullable: true }),
    evidence: t.exposeString('evidence', { description: 'FonteDerivazioneInvaliditaType' }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const DisabilityRef = builder.objectRef<Disability>('Disability').implement({
  description: 'HEALTH group; type: SINBA.xsd TipoDisabilitaType',
  fields: (t) => ({
    id: t.exposeID('id'),
    disabilityType: t.exposeString('disabilityType'),
    description: t.exposeString('description', { nullable: true }),
    recognizedOn: t.expose('recognizedOn', { type: 'Date', nullable: true }),
    law104Severe: t.exposeBoolean('law104Severe'),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const CourtMeasureRef = builder.objectRef<CourtMeasure>('CourtMeasure').implement({
  description: 'JUDICIAL group; codes of SINBA.xsd (authority, measure, parental authority)',
  fields: (t) => ({
    id: t.exposeID('id'),
    courtBody: t.expose('courtBody', { type: CourtBody }),
    authority: t.exposeString('authority', {
      nullable: true,
      description: 'AutoritaProvvedimentoType',
    }),
    measureType: t.exposeString('measureType', {
      nullable: true,
      description: 'TipoProvvedimentoGiudiziarioType',
    }),
    parentalMeasure: t.exposeString('parentalMeasure', {
      nullable: true,
      description: 'PotestaTutelaType',
    }),
    measureOn: t.expose('measureOn', { type: 'Date' }),
    reference: t.exposeString('reference', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    endedOn: t.expose('endedOn', { type: 'Date', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const ProblemRef = builder.objectRef<CaseProblem>('CaseProblem').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    scheme: t.exposeString('scheme'),
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    activityId: t.exposeID('activityId', {
      description: 'The interview or activity that found it',
    }),
    notes: t.exposeString('notes', { nullable: true }),
    recordedOn: t.expose('recordedOn', { type: 'Date' }),
    resolvedOn: t.expose('resolvedOn', { type: 'Date', nullable: true }),
  }),
});

export const NoteRef = builder.objectRef<CaseNote>('CaseNote').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    text: t.exposeString('text'),
    authorId: t.exposeID('authorId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const SchoolRef = builder.objectRef<SchoolRecord>('SchoolRecord').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    schoolYear: t.exposeString('schoolYear'),
    schoolType: t.exposeString('schoolType', { description: 'SINBA ScuolaFrequentataType' }),
    schoolName: t.exposeString('schoolName', { nullable: true }),
    className: t.exposeString('className', { nullable: true }),
    supportTeacher: t.exposeBoolean('supportTeacher'),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const IseeRef = builder.objectRef<IseeRecord>('IseeRecord').implement({
  description: 'ECONOMIC group',
  fields: (t) => ({
    id: t.exposeID('id'),
    iseeType: t.expose('iseeType', { type: IseeType }),
    iseeValue: t.exposeFloat('iseeValue'),
    iseValue: t.exposeFloat('iseValue', { nullable: true }),
    dsuProtocol: t.exposeString('dsuProtocol', { nullable: true }),
    dsuOn: t.expose('dsuOn', { type: 'Date', nullable: true }),
    validFrom: t.expose('validFrom', { type: 'Date' }),
    validTo: t.expose('validTo', { type: 'Date' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    source: t.exposeString('source', { description: 'TYPED by an operator, or read from INPS' }),
    inpsRequestId: t.exposeFloat('inpsRequestId', {
      nullable: true,
      description: "INPS's IdRichiesta of the ConsultazioneIndicatore it was read with",
    }),
    retrievedAt: t.expose('retrievedAt', { type: 'DateTime', nullable: true }),
  }),
});

const ProblemCodeRef = builder
  .objectRef<{ scheme: string; code: string; label: string; source: string }>('ProblemCode')
  .implement({
    fields: (t) => ({
      scheme: t.exposeString('scheme'),
      code: t.exposeString('code'),
      label: t.exposeString('label'),
      source: t.exposeString('source'),
    }),
  });

const CodeLabelRef = builder.objectRef<{ code: string; label: string }>('CaseCode').implement({
  fields: (t) => ({ code: t.exposeString('code'), label: t.exposeString('label') }),
});
type CodeLists = {
  [K in keyof typeof CASE_CODE_LISTS]: readonly { code: string; label: string }[];
};
const CaseCodeListsRef = builder.objectRef<CodeLists>('CaseCodeLists').implement({
  description:
    'The codes the case file’s sections take: recordSocialData (work, housing, education), addInvalidity, addDisability',
  fields: (t) => ({
    work: t.field({
      type: [CodeLabelRef],
      description: 'Condizione professionale (SINBA OccupazioneType): domain WORK',
      resolve: (l) => l.work,
    }),
    housing: t.field({
      type: [CodeLabelRef],
      description: 'Condizione abitativa: domain HOUSING',
      resolve: (l) => l.housing,
    }),
    education: t.field({
      type: [CodeLabelRef],
      description: 'Titolo di studio (SINBA TitoloStudioType): domain EDUCATION',
      resolve: (l) => l.education,
    }),
    invalidityCertification: t.field({
      type: [CodeLabelRef],
      description: 'SINA InvCivType: InvalidityInput.certification',
      resolve: (l) => l.invalidityCertification,
    }),
    invalidityEvidence: t.field({
      type: [CodeLabelRef],
      description: 'SINA FonteDerivazioneInvaliditaType: InvalidityInput.evidence',
      resolve: (l) => l.invalidityEvidence,
    }),
    disabilityType: t.field({
      type: [CodeLabelRef],
      description: 'SINBA TipoDisabilitaType: DisabilityInput.disabilityType',
      resolve: (l) => l.disabilityType,
    }),
  }),
});

export const ProblemRefInput = builder.inputType('CaseProblemInput', {
  fields: (t) => ({
    scheme: t.string({
      required: true,
      description: 'SINBA_MINORE, SINBA_FAMIGLIA, HUB… (problemCodes)',
    }),
    code: t.string({ required: true }),
    notes: t.string(),
  }),
});
const ResourceInput = builder.inputType('CaseResourceInput', {
  fields: (t) => ({
    kind: t.field({ type: ResourceKind, required: true }),
    relationship: t.string({ required: true }),
    name: t.string({ required: true }),
    personId: t.field({ type: 'UUID' }),
    cohabiting: t.boolean(),
    caregiver: t.boolean(),
    phone: t.string(),
    notes: t.string(),
  }),
});
const SocialDataInput = builder.inputType('SocialDataInput', {
  fields: (t) => ({
    domain: t.field({ type: SocialDomain, required: true }),
    code: t.string({ required: true }),
    description: t.string(),
    reliability: t.field({ type: Reliability, required: true }),
    source: t.field({ type: SocialDataSource, required: true }),
    recordedOn: t.field({ type: 'Date' }),
  }),
});
const InvalidityInput = builder.inputType('InvalidityInput', {
  fields: (t) => ({
    certification: t.string({ required: true, description: 'InvCivType 1–8' }),
    percentage: t.int(),
    recognizedOn: t.field({ type: 'Date' }),
    evidence: t.string({ required: true, description: 'FonteDerivazioneInvaliditaType 1–2' }),
    notes: t.string(),
  }),
});
const DisabilityInput = builder.inputType('DisabilityInput', {
  fields: (t) => ({
    disabilityType: t.string({ required: true, description: 'TipoDisabilitaType 1–4' }),
    description: t.string(),
    recognizedOn: t.field({ type: 'Date' }),
    law104Severe: t.boolean(),
    notes: t.string(),
  }),
});
const CourtMeasureInput = builder.inputType('CourtMeasureInput', {
  fields: (t) => ({
    courtBody: t.field({ type: CourtBody, required: true }),
    authority: t.string(),
    measureType: t.string(),
    parentalMeasure: t.string(),
    measureOn: t.field({ type: 'Date', required: true }),
    reference: t.string(),
    description: t.string(),
    endedOn: t.field({ type: 'Date' }),
  }),
});
const SchoolInput = builder.inputType('SchoolRecordInput', {
  fields: (t) => ({
    schoolYear: t.string({ required: true, description: 'AAAA/AAAA' }),
    schoolType: t.string({ required: true, description: 'ScuolaFrequentataType 1–8' }),
    schoolName: t.string(),
    className: t.string(),
    supportTeacher: t.boolean(),
    notes: t.string(),
  }),
});
const IseeInput = builder.inputType('IseeInput', {
  fields: (t) => ({
    iseeType: t.field({ type: IseeType, required: true }),
    iseeValue: t.float({ required: true }),
    iseValue: t.float(),
    dsuProtocol: t.string(),
    dsuOn: t.field({ type: 'Date' }),
    validFrom: t.field({ type: 'Date', required: true }),
    validTo: t.field({ type: 'Date', required: true }),
  }),
});

builder.queryFields((t) => ({
  caseCodeLists: t.withAuth(signedIn).field({
    type: CaseCodeListsRef,
    description: 'The code lists of the case file’s sections: reference data',
    resolve: () => CASE_CODE_LISTS,
  }),
  problemCodes: t.withAuth(signedIn).field({
    type: [ProblemCodeRef],
    resolve: (_root, _args, ctx) =>
      ctx.db.query<{ scheme: string; code: string; label: string; source: string }>(
        'SELECT scheme, code, label, source FROM problem_code WHERE active ORDER BY scheme, code',
      ),
  }),
}));

builder.mutationFields((t) => ({
  addCaseResource: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: ResourceInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addResource(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        personId: str(input.personId),
      }),
  }),
  removeCaseResource: t.withAuth(signedIn).field({
    type: 'Boolean',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      resourceId: t.arg({ type: 'UUID', required: true }),
    },
    resolve: async (_root, args, ctx) => {
      await removeCaseResource(ctx.db, ctx.actor, String(args.caseFileId), String(args.resourceId));
      return true;
    },
  }),
  recordSocialData: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: SocialDataInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      recordSocialData(ctx.db, ctx.actor, String(caseFileId), withoutNulls(input)),
  }),
  addInvalidity: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: InvalidityInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addInvalidity(ctx.db, ctx.actor, String(caseFileId), withoutNulls(input) as never),
  }),
  addDisability: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: DisabilityInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addDisability(ctx.db, ctx.actor, String(caseFileId), withoutNulls(input) as never),
  }),
  addCourtMeasure: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: CourtMeasureInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addCourtMeasure(ctx.db, ctx.actor, String(caseFileId), withoutNulls(input)),
  }),
  addCaseNote: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      text: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      addCaseNote(ctx.db, ctx.actor, String(args.caseFileId), { text: args.text }),
  }),
  addSchoolRecord: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: SchoolInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addSchoolRecord(ctx.db, ctx.actor, String(caseFileId), withoutNulls(input)),
  }),
  addIsee: t.withAuth(signedIn).field({
    type: 'ID',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: IseeInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      addIsee(ctx.db, ctx.actor, String(caseFileId), withoutNulls(input)),
  }),
}));
