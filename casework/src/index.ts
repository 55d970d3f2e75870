export * from './access/actor.ts';
export * from './audit/audit.ts';
export * from './db/db.ts';
export * from './db/migrate.ts';
export * from './errors.ts';
export * from './operators/password.ts';
export * from './tax-code/tax-code.ts';
