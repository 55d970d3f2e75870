import {
  attachIntakeRecord,
  type CaseFile,
  getCaseFile,
  type IntakeEvaluation,
  listProposedIntakeRecords,
  openCaseFile,
  type ProposedIntakeRecord,
  REJECTION_REASONS,
  rejectIntakeRecord,
  startEvaluation,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { CaseFileRef } from './case-file.ts';
import { ProblemRefInput } from './case-sections.ts';
import { str, withoutNulls } from './graphql-input.ts';
import { AccessKind } from './intake-record.ts';

// Taking into care: the intake records proposed to an office, their evaluation, and the outcome,
// a rejection, a new case file or an attachment to the open one. The service audits.

export const EvaluationStatus = builder.enumType('IntakeEvaluationStatus', {
  values: ['UNDER_EVALUATION', 'REJECTED', 'CASE_OPENED', 'ATTACHED'] as const,
});
const RejectionReason = builder.enumType('IntakeRejectionReason', { values: REJECTION_REASONS });

const EvaluationRef = builder.objectRef<IntakeEvaluation>('IntakeEvaluation').implement({
  description: 'The evaluation of an intake record proposed for taking into care',
  fields: (t) => ({
    intakeRecordId: t.exposeID('intakeRecordId'),
    officeId: t.exposeID('officeId'),
    status: t.expose('status', { type: EvaluationStatus }),
    startedBy: t.exposeID('startedBy', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    decidedBy: t.exposeID('decidedBy', { nullable: true }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    rejectionReasonCode: t.expose('rejectionReasonCode', { type: RejectionReason, nullable: true }),
    rejectionReason: t.exposeString('rejectionReason', { nullable: true }),
    interviewOn: t.expose('interviewOn', { type: 'Date', nullable: true }),
    interviewNotes: t.exposeString('interviewNotes', { nullable: true }),
    caseFileId: t.exposeID('caseFileId', { nullable: true }),
  }),
});

const ProposedRef = builder.objectRef<ProposedIntakeRecord>('ProposedIntakeRecord').implement({
  fields: (t) => ({
    intakeRecordId: t.exposeID('intakeRecordId'),
    number: t.exposeInt('number'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    accessKind: t.expose('accessKind', { type: AccessKind }),
    subjectPersonId: t.exposeID('subjectPersonId', { nullable: true }),
    organizationId: t.exposeID('organizationId'),
    proposedOfficeId: t.exposeID('proposedOfficeId'),
    summary: t.exposeString('summary', { nullable: true }),
    evaluationStatus: t.expose('evaluationStatus', { type: EvaluationStatus, nullable: true }),
    decisionDueOn: t.expose('decisionDueOn', {
      type: 'Date',
      nullable: true,
      description:
        'A judicial proposal: the day by which it must be decided (case opened or attached)',
    }),
    openCaseFileId: t.exposeID('openCaseFileId', {
      nullable: true,
      description: "The subject's open case file in the office: attach instead of opening",
    }),
  }),
});

const OpenedRef = builder
  .objectRef<{ caseFile: CaseFile; evaluation: IntakeEvaluation; firstInterviewId: string | null }>(
    'TakenIntoCare',
  )
  .implement({
    fields: (t) => ({
      caseFile: t.expose('caseFile', { type: CaseFileRef }),
      evaluation: t.expose('evaluation', { type: EvaluationRef }),
      firstInterviewId: t.exposeID('firstInterviewId', { nullable: true }),
    }),
  });

const InterviewInput = builder.inputType('FirstInterviewInput', {
  fields: (t) => ({
    on: t.field({ type: 'Date', required: true }),
    place: t.string(),
    withWhom: t.string(),
    summary: t.string({ required: true }),
    durationMinutes: t.int(),
    problems: t.field({ type: [ProblemRefInput] }),
  }),
});
const RejectInput = builder.inputType('RejectIntakeRecordInput', {
  fields: (t) => ({
    reasonCode: t.field({ type: RejectionReason, required: true }),
    reason: t.string({ required: true }),
    interview: t.field({
      type: builder.inputType('RejectionInterviewInput', {
        fields: (u) => ({
          on: u.field({ type: 'Date', required: true }),
          notes: u.string({ required: true }),
        }),
      }),
    }),
  }),
});
const OpenInput = builder.inputType('OpenCaseFileInput', {
  fields: (t) => ({
    targetAreaCode: t.string({ required: true, description: 'ISTAT area di utenza (targetAreas)' }),
    sector: t.string(),
    openedOn: t.field({ type: 'Date' }),
    firstInterview: t.field({ type: InterviewInput, required: true }),
  }),
});
const AttachInput = builder.inputType('AttachIntakeRecordInput', {
  fields: (t) => ({
    caseFileId: t.field({
      type: 'UUID',
      description: 'Default: the open case file in the proposed office',
    }),
    note: t.string(),
  }),
});

builder.queryFields((t) => ({
  proposedIntakeRecords: t.withAuth(signedIn).field({
    type: [ProposedRef],
    description:
      'Intake records proposed for taking into care to the office, for its social workers',
    args: { officeId: t.arg({ type: 'UUID', required: true }), limit: t.arg.int() },
    resolve: (_root, args, ctx) =>
      listProposedIntakeRecords(ctx.db, ctx.actor, String(args.officeId), {
        limit: args.limit ?? undefined,
      }),
  }),
}));

builder.mutationFields((t) => ({
  startIntakeEvaluation: t.withAuth(signedIn).field({
    type: EvaluationRef,
    description: 'Takes a proposed intake record into evaluation (idempotent)',
    args: { intakeRecordId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => startEvaluation(ctx.db, ctx.actor, String(args.intakeRecordId)),
  }),
  rejectIntakeRecord: t.withAuth(signedIn).field({
    type: EvaluationRef,
    description:
      'Rejects a proposal with its reason. Refused: REJECTION_NOT_ALLOWED (judicial authority).',
    args: {
      intakeRecordId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: RejectInput, required: true }),
    },
    resolve: (_root, { intakeRecordId, input }, ctx) =>
      rejectIntakeRecord(ctx.db, ctx.actor, String(intakeRecordId), withoutNulls(input)),
  }),
  openCaseFile: t.withAuth(signedIn).field({
    type: OpenedRef,
    description:
      'Opens the case file from a proposed intake record, with the first interview and the target area. Refused: CASE_ALREADY_OPEN.',
    args: {
      intakeRecordId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: OpenInput, required: true }),
    },
    resolve: async (_root, { intakeRecordId, input }, ctx) => {
      const opened = await openCaseFile(
        ctx.db,
        ctx.actor,
        String(intakeRecordId),
        withoutNulls(input),
      );
      return { ...opened, caseFile: await getCaseFile(ctx.db, ctx.actor, opened.caseFileId) };
    },
  }),
  attachIntakeRecord: t.withAuth(signedIn).field({
    type: OpenedRef,
    description: "Attaches a proposed intake record to the person's open case file",
    args: {
      intakeRecordId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: AttachInput }),
    },
    resolve: async (_root, { intakeRecordId, input }, ctx) => {
      const attached = await attachIntakeRecord(ctx.db, ctx.actor, String(intakeRecordId), {
        caseFileId: str(input?.caseFileId),
        note: input?.note ?? undefined,
      });
      return {
        ...attached,
        firstInterviewId: null,
        caseFile: await getCaseFile(ctx.db, ctx.actor, attached.caseFileId),
      };
    },
  }),
}));
