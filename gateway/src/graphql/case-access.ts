import {
  type CaseOperator,
  type CaseOperatorCandidate,
  disableCaseOperatorOnCase,
  enableCaseOperator,
  grantOrganizationAccess,
  listCaseOperatorCandidates,
  OPERATOR_TYPES,
  type OrganizationAccess,
  revokeOrganizationAccessOnCase,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { withoutNulls } from './graphql-input.ts';

// The access list of the case file: the operators enabled on it (set by the owning office's
// coordinator) and the partner organisations granted to read it. The service decides and audits.

const OperatorType = builder.enumType('CaseOperatorType', { values: OPERATOR_TYPES });

export const OperatorRef = builder.objectRef<CaseOperator>('CaseOperator').implement({
  description: 'An operator enabled on the case file (access list)',
  fields: (t) => ({
    id: t.exposeID('id'),
    operatorId: t.exposeID('operatorId'),
    fullName: t.exposeString('fullName'),
    operatorType: t.expose('operatorType', { type: OperatorType }),
    responsible: t.exposeBoolean('responsible'),
    enabledFrom: t.expose('enabledFrom', { type: 'Date' }),
    enabledBy: t.exposeID('enabledBy', { nullable: true }),
    enabledAt: t.expose('enabledAt', { type: 'DateTime' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
  }),
});

export const OrganizationAccessRef = builder
  .objectRef<OrganizationAccess>('CaseOrganizationAccess')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      organizationId: t.exposeID('organizationId'),
      reason: t.exposeString('reason'),
      validFrom: t.expose('validFrom', { type: 'Date' }),
      validTo: t.expose('validTo', { type: 'Date', nullable: true }),
      grantedAt: t.expose('grantedAt', { type: 'DateTime' }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    }),
  });

const EnableOperatorInput = builder.inputType('EnableCaseOperatorInput', {
  fields: (t) => ({
    operatorId: t.field({ type: 'UUID', required: true }),
    operatorType: t.field({ type: OperatorType, required: true }),
    responsible: t.boolean(),
    from: t.field({ type: 'Date' }),
  }),
});
const GrantInput = builder.inputType('GrantCaseOrganizationAccessInput', {
  fields: (t) => ({
    organizationId: t.field({ type: 'UUID', required: true }),
    reason: t.string({ required: true }),
    validFrom: t.field({ type: 'Date' }),
    validTo: t.field({ type: 'Date' }),
  }),
});

const CandidateRef = builder.objectRef<CaseOperatorCandidate>('CaseOperatorCandidate').implement({
  description: 'An operator the coordinator may enable on the case file',
  fields: (t) => ({
    operatorId: t.exposeID('operatorId'),
    fullName: t.exposeString('fullName'),
    role: t.exposeString('role', { description: 'SOCIAL_WORKER or COORDINATOR' }),
    officeName: t.exposeString('officeName'),
    enabled: t.exposeBoolean('enabled', { description: 'Already on the access list' }),
  }),
});

builder.queryFields((t) => ({
  caseOperatorCandidates: t.withAuth(signedIn).field({
    type: [CandidateRef],
    description:
      "Whom the owning office's coordinator may enable on the case: the organisation's social workers and coordinators",
    args: { caseFileId: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, { caseFileId }, ctx) =>
      listCaseOperatorCandidates(ctx.db, ctx.actor, String(caseFileId)),
  }),
}));

builder.mutationFields((t) => ({
  enableCaseOperator: t.withAuth(signedIn).field({
    type: [OperatorRef],
    description: "Enables an operator on the case file: the owning office's coordinator only",
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: EnableOperatorInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      enableCaseOperator(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        operatorId: String(input.operatorId),
      }),
  }),
  disableCaseOperator: t.withAuth(signedIn).field({
    type: [OperatorRef],
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      operatorId: t.arg({ type: 'UUID', required: true }),
    },
    resolve: (_root, args, ctx) =>
      disableCaseOperatorOnCase(
        ctx.db,
        ctx.actor,
        String(args.caseFileId),
        String(args.operatorId),
      ),
  }),
  grantCaseOrganizationAccess: t.withAuth(signedIn).field({
    type: 'ID',
    description:
      'Lets a partner organisation read the case file (its clients need scope cases:read)',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: GrantInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) =>
      grantOrganizationAccess(ctx.db, ctx.actor, String(caseFileId), {
        ...withoutNulls(input),
        organizationId: String(input.organizationId),
      }),
  }),
  revokeCaseOrganizationAccess: t.withAuth(signedIn).field({
    type: 'Boolean',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      grantId: t.arg({ type: 'UUID', required: true }),
    },
    resolve: async (_root, args, ctx) => {
      await revokeOrganizationAccessOnCase(
        ctx.db,
        ctx.actor,
        String(args.caseFileId),
        String(args.grantId),
      );
      return true;
    },
  }),
}));
