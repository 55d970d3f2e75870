export * from './service-catalog.service.ts';
export * from './service-catalog.types.ts';
