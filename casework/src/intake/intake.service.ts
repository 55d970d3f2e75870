// The public entry of the intake service: every importer (index.ts, tests, the demo, the bench)
// reads it here. The code is cut by use case: who may read and write (intake.access.ts), what a
// desk may not see (intake.masking.ts), reading (intake.read.ts), the subject in the registry
// (intake.subject.ts), creating and duplicating (intake.create.ts), changing (intake.update.ts),
// consent, closing, sending, diary and deletion (intake.lifecycle.ts), search, export and the
// registry look-up (intake.search.ts); intake.write.ts and intake.util.ts hold what they share.
export { createIntakeRecord, duplicateIntakeRecord } from './intake.create.ts';
export { type IntakeDesk, listIntakeSendTargets } from './intake.desks.ts';
export {
  addIntakeDiaryEntry,
  closeIntakeRecord,
  deleteIntakeRecord,
  proposeIntakeForCare,
  recordIntakeConsent,
  sendIntakeToDesk,
} from './intake.lifecycle.ts';
export { maskIntakeRecord } from './intake.masking.ts';
export { getIntakeRecord } from './intake.read.ts';
export {
  findIntakeSubjects,
  type IntakeExportRow,
  listIntakeExportRows,
  searchIntakeRecords,
} from './intake.search.ts';
export { updateIntakeRecord } from './intake.update.ts';
