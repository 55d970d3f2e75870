import { defineProject } from 'vitest/config';

export default defineProject({
  // Node loads graphql 16 as CommonJS for Pothos and Yoga; Vite would pick the .mjs build and
  // the schema would meet two copies of graphql ("from another module or realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    name: 'gateway',
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files share their worker and its PGlite instance (a schema per file, see
    // @hub/casework/testing createTestDb) instead of booting a store each.
    isolate: false,
  },
});
