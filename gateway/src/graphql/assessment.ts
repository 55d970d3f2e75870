import {
  ASSESSMENT_KINDS,
  type Assessment,
  BARTHEL_BANDS,
  BARTHEL_ITEMS,
  BARTHEL_WHEELCHAIR,
  listAssessments,
  recordAssessment,
  SINA_ATTRIBUTES,
  SINA_CODE_LISTS,
  SINBA_ATTRIBUTES,
  SINBA_CODE_LISTS,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { withoutNulls } from './graphql-input.ts';

// Multidimensional assessments. SINBA and SINA data travel as JSON under the attribute names of
// INPS's XSDs (the service validates them against those schemas), so that what a client writes
// is what SIUSS receives; the Barthel items are typed.

export const AssessmentKind = builder.enumType('AssessmentKind', { values: ASSESSMENT_KINDS });
export const BarthelBand = builder.enumType('BarthelBand', {
  values: BARTHEL_BANDS.map((b) => b.band) as [string, ...string[]],
});

export const AssessmentRef = builder.objectRef<Assessment>('Assessment').implement({
  description: 'Valutazione multidimensionale: SInBA, SINA (tracciati INPS) o scheda Barthel',
  fields: (t) => ({
    id: t.exposeID('id'),
    caseFileId: t.exposeID('caseFileId'),
    kind: t.expose('kind', { type: AssessmentKind }),
    schemaVersion: t.exposeString('schemaVersion'),
    assessedOn: t.expose('assessedOn', { type: 'Date' }),
    data: t.expose('data', {
      type: 'JSON',
      description:
        'SINBA/SINA: the attributes and elements of SINBA.xsd SinbaType / PS_PSA_SINA201812.xsd SINAType under their own names; BARTHEL: the items',
    }),
    score: t.exposeInt('score', { nullable: true, description: 'Barthel index, 0–100' }),
    scoreBand: t.expose('scoreBand', { type: BarthelBand, nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    assessorId: t.exposeID('assessorId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    maskedFields: t.exposeStringList('maskedFields'),
  }),
});

const BarthelItemsInput = builder.inputType('BarthelItemsInput', {
  description: 'Scores of the Barthel items (allowed values in barthelItems)',
  fields: (t) => ({
    ...Object.fromEntries(BARTHEL_ITEMS.map((i) => [i.key, t.int({ description: i.label })])),
    wheelchair: t.int({ description: `${BARTHEL_WHEELCHAIR.label}: only when ambulation is 0` }),
  }),
});

const RecordAssessmentInput = builder.inputType('RecordAssessmentInput', {
  fields: (t) => ({
    kind: t.field({ type: AssessmentKind, required: true }),
    assessedOn: t.field({ type: 'Date', required: true }),
    notes: t.string(),
    data: t.field({ type: 'JSON', description: 'SINBA or SINA attributes, XSD names and codes' }),
    items: t.field({ type: BarthelItemsInput }),
    respondent: t.string({ description: 'Barthel: who was interviewed' }),
  }),
});

const BarthelItemRef = builder
  .objectRef<{ key: string; section: string; label: string; scores: readonly number[] }>(
    'BarthelItem',
  )
  .implement({
    fields: (t) => ({
      key: t.exposeString('key'),
      section: t.exposeString('section'),
      label: t.exposeString('label'),
      scores: t.field({ type: ['Int'], resolve: (i) => [...i.scores] }),
    }),
  });

builder.queryFields((t) => ({
  caseAssessments: t.withAuth(signedIn).field({
    type: [AssessmentRef],
    description: 'Assessments of a case file, newest first. Audited.',
    args: { caseFileId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => listAssessments(ctx.db, ctx.actor, String(args.caseFileId)),
  }),
  barthelItems: t.withAuth(signedIn).field({
    type: [BarthelItemRef],
    description: 'The Barthel items and their allowed scores',
    resolve: () => [...BARTHEL_ITEMS, BARTHEL_WHEELCHAIR],
  }),
  assessmentSchema: t.withAuth(signedIn).field({
    type: 'JSON',
    description:
      "INPS's attributes (name, required, code list, pattern) and code lists for SINBA or SINA",
    args: { kind: t.arg({ type: AssessmentKind, required: true }) },
    resolve: (_root, { kind }) =>
      kind === 'SINBA'
        ? { attributes: SINBA_ATTRIBUTES, codeLists: SINBA_CODE_LISTS }
        : kind === 'SINA'
          ? { attributes: SINA_ATTRIBUTES, codeLists: SINA_CODE_LISTS }
          : { items: [...BARTHEL_ITEMS, BARTHEL_WHEELCHAIR], bands: BARTHEL_BANDS },
  }),
}));

builder.mutationFields((t) => ({
  recordAssessment: t.withAuth(signedIn).field({
    type: AssessmentRef,
    description:
      'Records an assessment. Refused: BAD_USER_INPUT (XSD attribute or code, field named), BARTHEL_OUT_OF_RANGE, FORBIDDEN.',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: RecordAssessmentInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      recordAssessment(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input, ['data']),
        data: (input.data ?? undefined) as Record<string, unknown> | undefined,
      }),
  }),
}));
