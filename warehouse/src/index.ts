export * from './warehouse.ts';
