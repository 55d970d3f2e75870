// @hub/casework/demo: the demo region's generators and its fixed accounts, for the hub's
// start-up (an empty store gets the demo region outside production), the CLI and benchmarks.
// Not part of the domain's API.
export * from './demo.service.ts';
export * from './demo.types.ts';
export {
  DEMO_PERSON,
  DEMO_PERSON_TERNI,
  DEMO_REFERENCE_DATE,
  PERMIT_TYPES,
} from './demo-persons.ts';
export { DEMO_ACCOUNTS, DEMO_CLIENTS, DESK_PROFILES } from './demo-structure.ts';
export * from './intake-demo.ts';
