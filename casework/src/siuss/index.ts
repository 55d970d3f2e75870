export * from './siuss.rules.ts';
export * from './siuss-flow.ts';
export * from './siuss-flow-validate.ts';
export * from './siuss-flow-writer.ts';
export * from './siuss-record.ts';
