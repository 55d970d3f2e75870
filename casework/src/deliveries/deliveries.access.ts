// Who may do what in erogazione interventi (seed 000 §7 Modulo 3, seed 003 §2.3), in the domain's
// words. "The organisation" is the one that pays for the benefit: the organisation of one of the
// operator's memberships holding the role named (not its descendants: a zona sociale's staff act
// for the union, each comune's for the comune).
// - SET_UP providers, contracts, tariffs and projects: the administrative staff and the managers.
// - DECIDE an intervention: the administrative staff and the coordinators; the beneficiary must be
//   a person the organisation may see (persons/person.access.ts), as for any other link.
// - RECORD a delivery: the administrative staff (the office records it, counted at once); or the
//   provider itself, as its partner client holding `deliveries:write`, for an intervention the
//   provider delivers (its own contracts only), which the office then verifies.
// - VERIFY (accept, dispute), CORRECT and CANCEL a delivery: the administrative staff and the
//   coordinators.
// - READ interventions, deliveries and benefit overlaps (personal data, audited): the
//   administrative staff and the coordinators; a social worker the interventions of the case
//   files whose access list names them; the provider's client those it delivers (it must know
//   whom it serves, as the office's data processor). Managers work on figures: projects and
//   contracts with their spending here, the warehouse's cubes for the rest.
// - Reference data (providers, contracts, tariffs, projects with their spending) is not personal:
//   any operator of the organisation reads it; the provider's client reads its own contracts.
// Planners, administrators and the front desk see none of it here: the warehouse gives the
// figures without the persons. Every refusal is audited (access/audited.ts).
import type { Actor, Role } from '../access/actor.ts';

export const DELIVERIES_WRITE_SCOPE = 'deliveries:write';

export type DeliveriesMode = 'SET_UP' | 'DECIDE' | 'RECORD' | 'VERIFY' | 'READ' | 'REFERENCE';

const ROLES_OF: Record<DeliveriesMode, readonly Role[]> = {
  SET_UP: ['ADMIN_STAFF', 'MANAGER'],
  DECIDE: ['ADMIN_STAFF', 'COORDINATOR'],
  RECORD: ['ADMIN_STAFF'],
  VERIFY: ['ADMIN_STAFF', 'COORDINATOR'],
  READ: ['ADMIN_STAFF', 'COORDINATOR'],
  REFERENCE: ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF', 'MANAGER'],
};

/** The organisations for which the operator may act in this mode (empty for anyone else). */
export function organizationsFor(actor: Actor, mode: DeliveriesMode): string[] {
  if (actor.kind !== 'OPERATOR') return [];
  const roles = ROLES_OF[mode];
  return [
    ...new Set(
      actor.memberships.filter((m) => roles.includes(m.role)).map((m) => m.organizationId),
    ),
  ];
}

/** The offices for which the operator may act in this mode. */
export function officesFor(actor: Actor, mode: DeliveriesMode): string[] {
  if (actor.kind !== 'OPERATOR') return [];
  const roles = ROLES_OF[mode];
  return [
    ...new Set(actor.memberships.filter((m) => roles.includes(m.role)).map((m) => m.officeId)),
  ];
}

export function mayActFor(actor: Actor, mode: DeliveriesMode, organizationId: string): boolean {
  return actor.kind === 'SYSTEM' || organizationsFor(actor, mode).includes(organizationId);
}

/** A provider's partner client: the organisation it acts as, when it may record deliveries. */
export function providerClientOrganization(actor: Actor): string | null {
  return actor.kind === 'CLIENT' && actor.scopes.includes(DELIVERIES_WRITE_SCOPE)
    ? actor.organizationId
    : null;
}

export const isSocialWorker = (actor: Actor) =>
  actor.kind === 'OPERATOR' && actor.memberships.some((m) => m.role === 'SOCIAL_WORKER');
