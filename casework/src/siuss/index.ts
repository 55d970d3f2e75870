export * from './siuss.access.ts';
export * from './siuss.rules.ts';
export * from './siuss.service.ts';
export type { SiussDeliveryFacts } from './siuss-duty.map.ts';
export * from './siuss-duty.ts';
export * from './siuss-flow.ts';
export * from './siuss-flow-validate.ts';
export * from './siuss-flow-writer.ts';
export * from './siuss-record.ts';
