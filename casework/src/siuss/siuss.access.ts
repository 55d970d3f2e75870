// Who may do what with the SIUSS duty (seed 003 §2.4; DESIGN.md section 3), in the domain's words.
// - The duty of an organisation (what is due, sent, accepted, rejected, overdue; its flows; the
//   file for INPS's web application; a resend after a rejection; the sender's settings) belongs
//   to its administrative staff and its coordinators: the organisation of one of the operator's
//   memberships holding one of those roles. The lists name persons (personal data, audited).
// - INPS pulls flows and posts outcomes through the WaaS API as a partner client holding
//   `siuss:pull`, for the organisations the client serves: the gateway verifies INPS's PDND
//   voucher and acts as that client (loadWaasClient).
//   No other client and no operator pulls; no client reads the duty lists.
import type { Actor, Role } from '../access/actor.ts';

export const SIUSS_PULL_SCOPE = 'siuss:pull';

const DUTY_ROLES: readonly Role[] = ['ADMIN_STAFF', 'COORDINATOR'];

/** The organisations whose SIUSS duty the operator keeps (empty for anyone else). */
export function siussOrganizationsOf(actor: Actor): string[] {
  if (actor.kind !== 'OPERATOR') return [];
  return [
    ...new Set(
      actor.memberships.filter((m) => DUTY_ROLES.includes(m.role)).map((m) => m.organizationId),
    ),
  ];
}

/** The organisations whose flows a WaaS client may pull (null: not a WaaS client). */
export function waasOrganizationsOf(actor: Actor): string[] | null {
  return actor.kind === 'CLIENT' && actor.scopes.includes(SIUSS_PULL_SCOPE)
    ? actor.organizationIds
    : null;
}
