export * from './etl.ts';
export * from './pseudonym.ts';
