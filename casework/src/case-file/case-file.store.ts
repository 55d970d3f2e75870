// The case file's Postgres statements, one file per use case.
export * from './case-access-list.store.ts';
export * from './case-file-read.store.ts';
export * from './case-sections.store.ts';
export * from './case-status.store.ts';
export * from './take-into-care.store.ts';
