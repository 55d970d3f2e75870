/** Roles an operator holds in an office (DESIGN.md section 3). */
export const ROLES = [
  'FRONT_DESK',
  'SOCIAL_WORKER',
  'COORDINATOR',
  'ADMIN_STAFF',
  'MANAGER',
  'PLANNER',
  'ADMINISTRATOR',
] as const;
export type Role = (typeof ROLES)[number];

/** Groups of sensitive fields a desk profile may mask (never sent by the API at that desk). */
export const SENSITIVE_GROUPS = ['HEALTH', 'JUDICIAL', 'PERMIT', 'ECONOMIC'] as const;
export type SensitiveGroup = (typeof SENSITIVE_GROUPS)[number];

export type Membership = {
  officeId: string;
  organizationId: string;
  role: Role;
  contactPointId: string | null;
  /** Groups masked at this membership's contact point (empty when it has none). */
  maskedGroups: SensitiveGroup[];
};

/** Where a request came from, for the audit log. */
export type Origin = { ip: string | null; userAgent: string | null };

export type OperatorActor = {
  kind: 'OPERATOR';
  id: string;
  username: string;
  memberships: Membership[];
  /** Organisations whose data the operator may see: those of the memberships and their descendants. */
  organizationIds: string[];
  origin: Origin;
};

export type ClientActor = {
  kind: 'CLIENT';
  id: string;
  clientId: string;
  organizationId: string;
  organizationIds: string[];
  scopes: string[];
  origin: Origin;
};

export type SystemActor = { kind: 'SYSTEM'; id: string; origin: Origin };

export type Actor = OperatorActor | ClientActor | SystemActor;

export const SYSTEM_ACTOR: SystemActor = {
  kind: 'SYSTEM',
  id: 'system',
  origin: { ip: null, userAgent: null },
};

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.kind === 'OPERATOR' && actor.memberships.some((m) => roles.includes(m.role));
}

export function canSeeOrganization(actor: Actor, organizationId: string | null): boolean {
  if (actor.kind === 'SYSTEM') return true;
  return organizationId !== null && actor.organizationIds.includes(organizationId);
}

/**
 * The sensitive groups masked for this actor: at a contact point with a desk profile, the
 * profile's groups; partner clients never see sensitive groups they hold no scope for.
 */
export function maskedGroupsOf(actor: Actor): Set<SensitiveGroup> {
  if (actor.kind === 'SYSTEM') return new Set();
  if (actor.kind === 'CLIENT') {
    return new Set(
      SENSITIVE_GROUPS.filter((g) => !actor.scopes.includes(`sensitive:${g.toLowerCase()}`)),
    );
  }
  const desks = actor.memberships.filter((m) => m.contactPointId !== null);
  if (desks.length === 0) return new Set();
  // An operator working at several desks sees what every one of them allows.
  return new Set(desks.flatMap((m) => m.maskedGroups));
}

/**
 * The one of `mine` (the organisations or offices where the actor holds the role an action
 * needs) that the actor acts for: the one named, which must be among them, else their only one.
 * The system (the demo, the connectors' jobs) holds no membership and acts for the one it names.
 */
export function actingFor(
  actor: Actor,
  mine: readonly string[],
  named: string | null | undefined,
  refuse: { forbidden: () => Error; unnamed: () => Error },
): string {
  if (actor.kind === 'SYSTEM') {
    if (!named) throw refuse.unnamed();
    return named;
  }
  if (named) {
    if (!mine.includes(named)) throw refuse.forbidden();
    return named;
  }
  if (mine.length === 0) throw refuse.forbidden();
  if (mine.length > 1) throw refuse.unnamed();
  return mine[0]!;
}
