import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'casework', env: { TZ: 'UTC' }, testTimeout: 30_000, hookTimeout: 60_000 },
});
