export { createFaults, type FaultKind, type FaultPlan, type Faults } from './faults.ts';
export { createPdndSimulator, type RegisteredClient } from './pdnd-token-server.ts';
export { listen, type Running } from './serve.ts';
