export * from './anpr-family.service.ts';
export * from './anpr-lookup.service.ts';
export * from './counterparts.ts';
export { COUNTERPART_NAMES, counterpartError } from './exchange.errors.ts';
export {
  COUNTERPARTS,
  type Counterpart,
  type CounterpartExchange,
  type ExchangeFilter,
  insertExchange as recordCounterpartExchange,
  MAX_EXCHANGE_PAGE,
  type NewExchange,
} from './exchange.store.ts';
export * from './exchange-log.service.ts';
export * from './health-profile.service.ts';
export * from './isee-inps.service.ts';
export { createOutboxStore, type OutboxRecord } from './outbox.store.ts';
export { selectRegistryPopulation } from './registry-population.store.ts';
export { createSyncRunHistory, type SyncRunRecord } from './sync-run.store.ts';
