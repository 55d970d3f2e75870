import type { Caller } from '../testing/sweep-world.ts';
import type { Context } from './authorization-policy.ts';

// The cells of the authorization sweep where today's code differs from the policy
// (authorization-policy.ts). The sweep asserts that its failures are exactly these: a leak that
// gets fixed fails the sweep until its line is removed here. Field names carry the variant after
// '#' (the argument a person is linked by). Observed: what the call did instead, see
// authorization-sweep.test.ts.

export type KnownLeak = { field: string; caller: Caller; context: Context; observed: string };

export const KNOWN_LEAKS: KnownLeak[] = [
  {
    field: 'addCaseResource#personId',
    caller: 'ADMIN_STAFF',
    context: 'FOREIGN',
    observed: 'LINKED',
  },
  {
    field: 'addCaseResource#personId',
    caller: 'COORDINATOR',
    context: 'FOREIGN',
    observed: 'LINKED',
  },
  {
    field: 'addCaseResource#personId',
    caller: 'SOCIAL_WORKER',
    context: 'FOREIGN',
    observed: 'LINKED',
  },
  { field: 'auditLog', caller: 'ADMIN_STAFF', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  { field: 'auditLog', caller: 'COORDINATOR', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  { field: 'auditLog', caller: 'FRONT_DESK', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  { field: 'auditLog', caller: 'MANAGER', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  { field: 'auditLog', caller: 'PARTNER_CASES_READ', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  {
    field: 'auditLog',
    caller: 'PARTNER_DELIVERIES_WRITE',
    context: 'OWN',
    observed: 'DENIED_UNAUDITED',
  },
  { field: 'auditLog', caller: 'PARTNER_NO_SCOPE', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  {
    field: 'auditLog',
    caller: 'PARTNER_PERSONS_READ',
    context: 'OWN',
    observed: 'DENIED_UNAUDITED',
  },
  { field: 'auditLog', caller: 'PLANNER', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  { field: 'auditLog', caller: 'SOCIAL_WORKER', context: 'OWN', observed: 'DENIED_UNAUDITED' },
  {
    field: 'intakeSubjects#lastName',
    caller: 'PARTNER_PERSONS_READ',
    context: 'OWN',
    observed: 'MASKED',
  },
  {
    field: 'intakeSubjects#taxCode',
    caller: 'PARTNER_PERSONS_READ',
    context: 'OWN',
    observed: 'MASKED',
  },
];
