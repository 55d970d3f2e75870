export { listBenefitOverlaps } from './benefit-overlap.ts';
export { DELIVERIES_WRITE_SCOPE } from './deliveries.access.ts';
export * from './deliveries.rules.ts';
export * from './deliveries.types.ts';
export {
  cancelDelivery,
  correctDelivery,
  DELIVERY_EXPORT_MAX_ROWS,
  type DeliveryVerdict,
  generateExpectedDeliveries,
  getDelivery,
  listDeliveryExportRows,
  MAX_DELIVERY_BATCH,
  recordDeliveries,
  recordDelivery,
  searchDeliveries,
  verifyDelivery,
} from './delivery.service.ts';
export type { DeliveryExportRow } from './delivery.store.ts';
export {
  createIntervention,
  endIntervention,
  getIntervention,
  INTERVENTION_EXPORT_MAX_ROWS,
  type InterventionExportRow,
  listInterventionExportRows,
  searchInterventions,
} from './intervention.service.ts';
export {
  addTariff,
  createContract,
  createProvider,
  listContracts,
  listFundingSources,
  listProjects,
  listProviders,
  listTariffs,
  registerProject,
} from './provider.service.ts';
