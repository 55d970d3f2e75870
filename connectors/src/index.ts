// The connectors' public surface: clients, provider-side checks, resilience, error model.
export { ConnectorError, type ConnectorErrorCode, isConnectorError } from './errors.ts';
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
