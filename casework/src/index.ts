export * from './access/actor.ts';
export * from './audit/audit.ts';
export * from './audit/audit-log.service.ts';
export * from './case-file/index.ts';
export * from './consent/consent.service.ts';
export * from './db/db.ts';
export * from './db/migrate.ts';
export * from './deliveries/index.ts';
export * from './errors.ts';
export * from './exchanges/index.ts';
export * from './intake/index.ts';
export * from './operators/operator-auth.service.ts';
export * from './operators/operator-profile.ts';
export * from './operators/password.ts';
export * from './organizations/data-sharing.ts';
export * from './persons/person.service.ts';
export * from './persons/person.types.ts';
export * from './registry-sync/person-change-notice.service.ts';
export * from './registry-sync/registry-notification.store.ts';
export * from './service-catalog/index.ts';
export * from './siuss/index.ts';
export * from './tax-code/tax-code.ts';
export * from './territory/territory.service.ts';
export {
  findMunicipality,
  listForeignCountries,
  listMunicipalities,
  municipalityByCadastral,
} from './territory/territory.store.ts';
export * from './territory/territory.types.ts';
export * from './time/today.ts';
