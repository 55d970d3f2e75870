import { authenticateOperator, listAudit, loadOperatorActor, revokeToken } from '@hub/casework';
import { builder } from './builder.ts';

const LoginPayload = builder
  .objectRef<{ token: string; expiresAt: Date; username: string }>('LoginPayload')
  .implement({
    fields: (t) => ({
      token: t.exposeString('token', { description: 'Bearer token for the Authorization header' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      username: t.exposeString('username'),
    }),
  });

type MembershipView = {
  officeId: string;
  organizationId: string;
  role: string;
  contactPointId: string | null;
  maskedGroups: string[];
};

const MembershipRef = builder.objectRef<MembershipView>('Membership').implement({
  fields: (t) => ({
    officeId: t.exposeID('officeId'),
    organizationId: t.exposeID('organizationId'),
    role: t.exposeString('role'),
    contactPointId: t.exposeID('contactPointId', { nullable: true }),
    maskedGroups: t.exposeStringList('maskedGroups'),
  }),
});

const Me = builder
  .objectRef<{ kind: string; name: string; memberships: MembershipView[]; scopes: string[] }>('Me')
  .implement({
    fields: (t) => ({
      kind: t.exposeString('kind', { description: 'OPERATOR or CLIENT' }),
      name: t.exposeString('name'),
      memberships: t.field({ type: [MembershipRef], resolve: (m) => m.memberships }),
      scopes: t.exposeStringList('scopes'),
    }),
  });

type AuditView = Awaited<ReturnType<typeof listAudit>>[number];

const AuditEvent = builder.objectRef<AuditView>('AuditEvent').implement({
  description: 'One read or write of personal data, or a refusal (GDPR art. 30)',
  fields: (t) => ({
    id: t.id({ resolve: (e) => String(e.id) }),
    at: t.expose('at', { type: 'DateTime' }),
    actorKind: t.exposeString('actorKind'),
    actorId: t.exposeString('actorId', { nullable: true }),
    action: t.exposeString('action'),
    entity: t.exposeString('entity'),
    entityId: t.exposeString('entityId', { nullable: true }),
    personId: t.exposeID('personId', { nullable: true }),
    outcome: t.exposeString('outcome'),
    ip: t.exposeString('ip', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginPayload,
    description:
      'Operator login. Refused: INVALID_CREDENTIALS, ACCOUNT_LOCKED (after 5 failures, 15 minutes).',
    args: {
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const { operatorId } = await authenticateOperator(
        ctx.db,
        args.username,
        args.password,
        ctx.origin,
      );
      const { token, expiresAt } = await ctx.tokens.sign({ typ: 'operator', sub: operatorId });
      return { token, expiresAt, username: args.username.trim().toLowerCase() };
    },
  }),
  logout: t.boolean({
    description: 'Revokes the token of this request',
    authScopes: { authenticated: true },
    resolve: async (_root, _args, ctx) => {
      if (!ctx.session) return false;
      await revokeToken(ctx.db, ctx.session.jti, ctx.session.expiresAt);
      ctx.forgetSession(ctx.session.jti);
      return true;
    },
  }),
}));

builder.queryFields((t) => ({
  me: t.field({
    type: Me,
    authScopes: { authenticated: true },
    resolve: async (_root, _args, ctx) => {
      const a = ctx.actor!;
      if (a.kind === 'CLIENT')
        return { kind: 'CLIENT', name: a.clientId, memberships: [], scopes: a.scopes };
      const op = a.kind === 'OPERATOR' ? a : await loadOperatorActor(ctx.db, a.id, ctx.origin);
      return {
        kind: 'OPERATOR',
        name: op?.username ?? a.id,
        memberships: op?.memberships ?? [],
        scopes: [],
      };
    },
  }),
  auditLog: t.field({
    type: [AuditEvent],
    description: 'Who read or wrote personal data (administrators only), newest first',
    authScopes: { role: ['ADMINISTRATOR'] },
    args: {
      personId: t.arg.id(),
      actorId: t.arg.string(),
      limit: t.arg.int({ defaultValue: 100 }),
    },
    resolve: (_root, args, ctx) =>
      listAudit(ctx.db, {
        personId: args.personId == null ? undefined : String(args.personId),
        actorId: args.actorId ?? undefined,
        limit: args.limit ?? 100,
      }),
  }),
}));
