// The connectors' public surface: clients, provider-side checks, resilience, error model.

export {
  type AnprCallContext,
  type AnprClient,
  type AnprExchange,
  type AnprSubject,
  createAnprClient,
} from './anpr/client.ts';
export { type AnprConfig, anprConfigSchema } from './anpr/config-schema.ts';
export { type AnprNotification, notificationsOf } from './anpr/map-notification.ts';
export {
  type AnprFamilyMember,
  type AnprPerson,
  familyOf,
  idAnprOf,
  personOf,
  type Sourced,
} from './anpr/map-person.ts';
export {
  createMemoryNotificationStore,
  createNotificationPuller,
  type NotificationHandler,
  type NotificationStore,
} from './anpr/notifications.ts';
export { ANPR_SERVICES, type AnprServiceCode } from './anpr/services.ts';
export { ConnectorError, type ConnectorErrorCode, isConnectorError } from './errors.ts';
export { createAuraHealthRegistry } from './health-registry/aura-client.ts';
export type {
  HealthProfile,
  HealthRegistry,
  HealthRegistryPerson,
  HealthRegistryQuery,
} from './health-registry/types.ts';
export {
  createHubConnectors,
  type HubConnectors,
  type HubConnectorsConfigInput,
  hubConnectorsConfigSchema,
} from './hub-connectors.ts';
export { createIseeClient, type IseeClient, type IseeIndicatorType } from './isee/client.ts';
export type { IseeAttestation, IseeIndicator } from './isee/map-isee.ts';
export {
  type RegistryDownloadConfig,
  registryDownloadSchema,
} from './municipal-registry/config-schema.ts';
export {
  type ImportProgress,
  type ImportReport,
  importRegistryDownload,
  importRegistryFile,
} from './municipal-registry/import.ts';
export {
  createMunicipalLookupClient,
  type MunicipalResident,
} from './municipal-registry/lookup-client.ts';
export type { ResidentRow, RowError } from './municipal-registry/map-row.ts';
export {
  createDigestIndexSink,
  createMemoryResidentSink,
  type ResidentSink,
} from './municipal-registry/sink.ts';
export { describePdndConfig, type PdndConfig, pdndConfigSchema } from './pdnd/config-schema.ts';
export {
  type AuditSubject,
  digestHeader,
  loadSigningKey,
  type SigningKey,
  signIntegrity,
  signTrackingEvidence,
} from './pdnd/modi.ts';
export { createModiVerifier, type ModiVerifierConfig } from './pdnd/verify-modi.ts';
export {
  createVoucherVerifier,
  type VoucherClaims,
  type VoucherVerifierConfig,
} from './pdnd/verify-voucher.ts';
export { createVoucherClient, type Voucher, type VoucherClient } from './pdnd/voucher-client.ts';
export { type BreakerSnapshot, createCircuitBreaker } from './resilience/circuit-breaker.ts';
export { type CounterpartRegistry, createCounterpartRegistry } from './resilience/health.ts';
export {
  createMemoryOutboxStore,
  createOutboxDispatcher,
  type OutboxMessage,
  type OutboxStore,
  openFileOutboxStore,
  type Transport,
} from './resilience/outbox.ts';
export { type CounterpartPolicy, createPolicy } from './resilience/policy.ts';
export {
  ANPR_NOTIFICATIONS_CRON_PATTERN,
  anprNotificationsJob,
  REGISTRY_DOWNLOAD_CRON_PATTERN,
  registryDownloadJob,
  type SyncJob,
} from './sync/jobs.ts';
export { createMemoryRunHistory, type RunHistory, type SyncRun } from './sync/run-history.ts';
export { createSyncScheduler } from './sync/schedule.ts';
