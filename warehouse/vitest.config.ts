import { defineProject } from 'vitest/config';

// Disclosure-control tests run several protected queries each: generous time on a shared machine.
export default defineProject({
  test: { name: 'warehouse', env: { TZ: 'UTC' }, testTimeout: 60_000 },
});
