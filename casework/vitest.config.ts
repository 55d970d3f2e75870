import { defineProject } from 'vitest/config';

// The demo generators' suites build whole regions and take most of the time; they run as a
// project of their own (`vitest run --project casework` leaves them out while iterating).
const DEMO_TESTS = ['src/demo/**/*.test.ts', 'src/**/*demo*.test.ts'];

export default defineProject({
  test: {
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share their worker, and so its PGlite instance (src/db/test-db.ts): each file
    // gets a schema of its own on it instead of booting a store.
    isolate: false,
    projects: [
      {
        extends: true,
        test: { name: 'casework', include: ['src/**/*.test.ts'], exclude: DEMO_TESTS },
      },
      { extends: true, test: { name: 'casework-demo', include: DEMO_TESTS } },
    ],
  },
});
