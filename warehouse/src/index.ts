export { CUBES } from '../model/index.ts';
export * from './engine/compile.ts';
export * from './engine/engine.ts';
export * from './engine/query.ts';
export * from './engine/rollups.ts';
export * from './model/cube.types.ts';
export * from './schema/star-schema.ts';
export * from './warehouse.errors.ts';
export * from './warehouse.ts';
