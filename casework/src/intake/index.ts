export { checkOutcome, checkSaveRules, DEFAULT_INTERLOCUTOR } from './intake.rules.ts';
export * from './intake.service.ts';
export * from './intake.types.ts';
