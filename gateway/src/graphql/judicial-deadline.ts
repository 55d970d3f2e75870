import { type JudicialProposalAlert, listOverdueJudicialProposals } from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { EvaluationStatus } from './take-into-care.ts';

// The alert list of judicial proposals past or near their decision deadline. The service decides
// who may see it (the office's social workers and coordinator, as for the proposals) and audits.

const JudicialProposalAlertRef = builder
  .objectRef<JudicialProposalAlert>('JudicialProposalAlert')
  .implement({
    description:
      'A judicial authority’s intake record proposed for taking into care and not decided yet',
    fields: (t) => ({
      intakeRecordId: t.field({ type: 'UUID', resolve: (a) => a.intakeRecordId }),
      number: t.exposeInt('number'),
      occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
      proposedAt: t.expose('proposedAt', { type: 'DateTime', nullable: true }),
      subjectPersonId: t.field({
        type: 'UUID',
        nullable: true,
        resolve: (a) => a.subjectPersonId,
      }),
      proposedOfficeId: t.field({ type: 'UUID', resolve: (a) => a.proposedOfficeId }),
      evaluationStatus: t.expose('evaluationStatus', { type: EvaluationStatus, nullable: true }),
      decisionDueOn: t.expose('decisionDueOn', { type: 'Date' }),
      daysLeft: t.exposeInt('daysLeft', { description: 'Negative once the deadline has passed' }),
      overdue: t.exposeBoolean('overdue'),
      openCaseFileId: t.field({
        type: 'UUID',
        nullable: true,
        description: "The subject's open case file in the office: attach instead of opening",
        resolve: (a) => a.openCaseFileId,
      }),
    }),
  });

builder.queryFields((t) => ({
  overdueJudicialProposals: t.withAuth(signedIn).field({
    type: [JudicialProposalAlertRef],
    description:
      "The office's judicial proposals past their decision deadline or due within `withinDays` (default 7), most urgent first; for its social workers and coordinator. Audited.",
    args: {
      officeId: t.arg({ type: 'UUID', required: true }),
      withinDays: t.arg.int(),
      asOf: t.arg({ type: 'Date' }),
    },
    resolve: (_root, args, ctx) =>
      listOverdueJudicialProposals(ctx.db, ctx.actor, String(args.officeId), {
        withinDays: args.withinDays ?? undefined,
        asOf: args.asOf ?? undefined,
      }),
  }),
}));
