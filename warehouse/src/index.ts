export * from './engine/rollups.ts';
export * from './schema/star-schema.ts';
export * from './warehouse.ts';
