export { createAnprSimulator } from './anpr-server.ts';
export { createAuraSimulator } from './aura-server.ts';
export { createFaults, type FaultKind, type FaultPlan, type Faults } from './faults.ts';
export { createInpsWaasPuller, type WaasFlow, type WaasOutcome } from './inps-waas-puller.ts';
export { createIseeSimulator } from './isee-server.ts';
export { createMunicipalLookupSimulator } from './municipal-lookup-server.ts';
export { createPdndSimulator, type RegisteredClient } from './pdnd-token-server.ts';
export { generatePopulation, type Population, type SimPerson } from './population.ts';
export {
  addPersonsToPopulation,
  populationFromPersons,
  type RegistrySeedPerson,
} from './population-from-persons.ts';
export { downloadOf, writeSyntheticDownload } from './registry-download.ts';
export { listen, type Running } from './serve.ts';
export { INPS_WAAS_PURPOSE, startSimulators } from './start-simulators.ts';
export { createTransmissionReceiver } from './transmission-receiver.ts';
