// Who may see a person of the registry (seed 003 1.2; seed 004 "dati mascherati"; GDPR art. 6).
// Every comune and zona sociale is a data controller of its own, so an organisation sees a person
// only on a legal basis it holds itself:
// - it registered the person (the person's owner);
// - the person's latest decision on consent to that organisation is GIVEN (a DENIED or a
//   WITHDRAWN decision grants nothing, and neither does another organisation's consent);
// - a judicial mandate addressed to it (a consent row with legal basis JUDICIAL_MANDATE);
// - it holds an intake record or a case file about the person (records that could only be
//   written about a person it could already see, or registered itself).
// Knowing a codice fiscale grants nothing: it can be computed from public facts.
// Roles: the front desk, social workers, coordinators and administrative staff work with
// persons; managers, planners and administrators work on aggregates and configuration and see
// no person. A partner client needs the scope persons:read.
// A person the actor may not see does not exist for it: every path answers as for an unknown one
// (null, NOT_FOUND, no row), and the refusal is audited.
import { type Actor, hasRole, type Role } from '../access/actor.ts';

export const PERSON_READ_ROLES: readonly Role[] = [
  'FRONT_DESK',
  'SOCIAL_WORKER',
  'COORDINATOR',
  'ADMIN_STAFF',
];
export const PERSONS_READ_SCOPE = 'persons:read';

/** Whether the actor's role or scopes let it work with persons at all. */
export function mayReadPersons(actor: Actor): boolean {
  if (actor.kind === 'SYSTEM') return true;
  if (actor.kind === 'CLIENT') return actor.scopes.includes(PERSONS_READ_SCOPE);
  return hasRole(actor, ...PERSON_READ_ROLES);
}

/** Whether the actor may register persons: the same roles, or a client with persons:write. */
export function mayWritePersons(actor: Actor): boolean {
  if (actor.kind === 'SYSTEM') return true;
  if (actor.kind === 'CLIENT') return actor.scopes.includes('persons:write');
  return hasRole(actor, ...PERSON_READ_ROLES);
}

/** The organisations whose legal bases count for the actor; null for no restriction. */
export function personOrganizationsOf(actor: Actor): string[] | null {
  if (actor.kind === 'SYSTEM') return null;
  if (!mayReadPersons(actor)) return [];
  return actor.organizationIds;
}

/**
 * The visibility rule above as one SQL condition on the person row `p`, for the organisations in
 * the uuid[] expression `orgs` (NULL: no restriction). Every statement that returns a person uses
 * it, so the rule is written once: in the function `person_visible_to` (migration 013), whose
 * plan PostgreSQL keeps, where the same rule inline cost more to plan than to run.
 */
export function personVisibleSql(p: string, orgs: string): string {
  return `person_visible_to(${p}.id, ${p}.owner_organization_id, ${orgs})`;
}
