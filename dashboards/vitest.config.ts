import { defineProject } from 'vitest/config';

// Pure modules only (form state, filters, error placement); the screens are tested in a real
// browser by tests/ui at the repo root.
export default defineProject({
  test: { name: 'dashboards', include: ['src/**/*.test.ts'], env: { TZ: 'UTC' } },
});
