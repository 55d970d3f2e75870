// @hub/casework/testing: a migrated test store and the fixed world the suites share. Not part of
// the domain's API.
export * from '../db/test-db.ts';
export * from './fixture.ts';
export * from './sinba.ts';
