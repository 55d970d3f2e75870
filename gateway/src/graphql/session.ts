import {
  AppError,
  auditAnonymous,
  authenticateOperator,
  badInput,
  type listAudit,
  loadOperatorActor,
  loadOperatorProfile,
  MAX_AUDIT_PAGE,
  readAuditLog,
  revokeToken,
} from '@hub/casework';
import { sourceKey } from '../auth/throttle.ts';
import { GatewayError } from '../errors.ts';
import { builder, signedIn } from './builder.ts';

// Usernames are short; a longer one is refused before it is hashed, looked up or audited.
const MAX_USERNAME = 64;

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
  officeName?: string | undefined;
  organizationName?: string | undefined;
  contactPointName?: string | null | undefined;
};

const MembershipRef = builder.objectRef<MembershipView>('Membership').implement({
  fields: (t) => ({
    officeId: t.exposeID('officeId'),
    organizationId: t.exposeID('organizationId'),
    role: t.exposeString('role'),
    contactPointId: t.exposeID('contactPointId', { nullable: true }),
    maskedGroups: t.exposeStringList('maskedGroups'),
    // Names for the operator's own screens (the office and desk they work at).
    officeName: t.string({ resolve: (m) => m.officeName ?? '' }),
    organizationName: t.string({ resolve: (m) => m.organizationName ?? '' }),
    contactPointName: t.string({ nullable: true, resolve: (m) => m.contactPointName ?? null }),
  }),
});

const Me = builder
  .objectRef<{
    kind: string;
    name: string;
    fullName?: string | null | undefined;
    memberships: MembershipView[];
    scopes: string[];
  }>('Me')
  .implement({
    fields: (t) => ({
      kind: t.exposeString('kind', { description: 'OPERATOR or CLIENT' }),
      name: t.exposeString('name'),
      fullName: t.string({
        nullable: true,
        description: "The operator's full name (null for a client)",
        resolve: (m) => m.fullName ?? null,
      }),
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
    organizationId: t.exposeID('organizationId', { nullable: true }),
    outcome: t.exposeString('outcome'),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    details: t.expose('details', {
      type: 'JSON',
      nullable: true,
      description: 'What the event touched beyond the entity (fields, filters, counts)',
    }),
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
      if (args.username.length > MAX_USERNAME)
        throw badInput('username', `nome utente troppo lungo (massimo ${MAX_USERNAME} caratteri)`);
      // Password spraying: one source trying many accounts backs off, whichever the account.
      const source = sourceKey(ctx.origin);
      const wait = ctx.throttles.loginSource.wait(source);
      if (wait > 0) {
        // Audited like any refused login, through the per-source gate: a backed-off source
        // hammering away must not fill the audit log either.
        const gate = ctx.throttles.audit.admit(source);
        if (gate.write)
          await auditAnonymous(
            ctx.db,
            ctx.origin,
            {
              action: 'LOGIN',
              entity: 'Operator',
              outcome: 'DENIED',
              reason: 'source backing off',
              details: gate.suppressed > 0 ? { suppressedBefore: gate.suppressed } : null,
            },
            args.username,
          );
        throw new GatewayError(
          'RATE_LIMITED',
          `troppi tentativi falliti da questa origine: riprovare tra ${wait} s`,
          undefined,
          { retryAfterSeconds: wait },
        );
      }
      let operatorId: string;
      try {
        ({ operatorId } = await authenticateOperator(
          ctx.db,
          args.username,
          args.password,
          ctx.origin,
        ));
      } catch (err) {
        if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS')
          ctx.throttles.loginSource.fail(source);
        throw err;
      }
      const { token, expiresAt } = await ctx.tokens.sign({ typ: 'operator', sub: operatorId });
      return { token, expiresAt, username: args.username.trim().toLowerCase() };
    },
  }),
  logout: t.withAuth(signedIn).boolean({
    description: 'Revokes the token of this request',
    resolve: async (_root, _args, ctx) => {
      if (!ctx.session) return false;
      await revokeToken(ctx.db, ctx.session.jti, ctx.session.expiresAt);
      ctx.forgetSession(ctx.session.jti);
      return true;
    },
  }),
}));

builder.queryFields((t) => ({
  me: t.withAuth(signedIn).field({
    type: Me,
    resolve: async (_root, _args, ctx) => {
      const a = ctx.actor;
      if (a.kind === 'CLIENT')
        return { kind: 'CLIENT', name: a.clientId, memberships: [], scopes: a.scopes };
      const op = a.kind === 'OPERATOR' ? a : await loadOperatorActor(ctx.db, a.id, ctx.origin);
      const profile = await loadOperatorProfile(ctx.db, a.id);
      const placeOf = (officeId: string, contactPointId: string | null) =>
        profile?.places.find((p) => p.officeId === officeId && p.contactPointId === contactPointId);
      return {
        kind: 'OPERATOR',
        name: op?.username ?? a.id,
        fullName: profile?.fullName ?? null,
        memberships: (op?.memberships ?? []).map((m) => {
          const place = placeOf(m.officeId, m.contactPointId);
          return {
            ...m,
            officeName: place?.officeName,
            organizationName: place?.organizationName,
            contactPointName: place?.contactPointName ?? null,
          };
        }),
        scopes: [],
      };
    },
  }),
  auditLog: t.withAuth(signedIn).field({
    type: [AuditEvent],
    description:
      'Who read or wrote personal data, and every refusal (administrators only), newest first. ' +
      'One page: pass the id of the last event as `after` for the next. `personId` with ' +
      '`from`/`to` answers a data-subject access request.',
    // The service decides (administrators only) and audits the reading and every refusal.
    args: {
      personId: t.arg({ type: 'UUID' }),
      actorId: t.arg.string(),
      from: t.arg({ type: 'DateTime', description: 'From this instant, inclusive' }),
      to: t.arg({ type: 'DateTime', description: 'Up to this instant, exclusive' }),
      outcome: t.arg.string({ description: 'OK, DENIED or FAILED' }),
      after: t.arg.id({ description: 'The id of the last event of the previous page' }),
      limit: t.arg.int({
        defaultValue: 100,
        description: `At most ${MAX_AUDIT_PAGE}, and at most GRAPHQL_MAX_LIST_SIZE`,
      }),
    },
    resolve: (_root, args, ctx) => {
      const after = args.after == null ? undefined : Number(args.after);
      if (after !== undefined && !Number.isSafeInteger(after))
        throw badInput('after', "cursore non valido: usare l'id dell'ultimo evento");
      return readAuditLog(ctx.db, ctx.actor, {
        personId: args.personId ?? undefined,
        actorId: args.actorId ?? undefined,
        from: args.from ?? undefined,
        to: args.to ?? undefined,
        outcome: args.outcome ?? undefined,
        before: after,
        limit: args.limit ?? 100,
      });
    },
  }),
}));
