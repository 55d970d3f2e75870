export * from './assessment/assessment.service.ts';
export * from './assessment/assessment.types.ts';
export * from './assessment/barthel.ts';
export {
  SINA_ATTRIBUTES,
  SINA_CODE_LISTS,
  SINBA_ATTRIBUTES,
  SINBA_CODE_LISTS,
} from './assessment/siuss-schema.ts';
export { type SinaData, type SinbaData, sinaSchema, sinbaSchema } from './assessment/siuss-zod.ts';
export * from './care-plan/care-plan.service.ts';
export * from './care-plan/care-plan.types.ts';
export { CASES_READ_SCOPE } from './case-file.access.ts';
export * from './case-file.service.ts';
export * from './case-file.types.ts';
export {
  type RecordCaseFileConsentInput,
  recordCaseFileConsent,
} from './case-file-consent.service.ts';
export * from './documents/document.service.ts';
export { ALLOWED_TYPES, MAX_DOCUMENT_BYTES } from './documents/file-type.ts';
export * from './dossier/dossier.service.ts';
export * from './dossier/dossier.types.ts';
export * from './dossier/referral-targets.service.ts';
export * from './dsu-protocol.rules.ts';
export * from './judicial-deadline.service.ts';
export * from './take-into-care.service.ts';
