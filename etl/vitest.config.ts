import { defineProject } from 'vitest/config';

// Each test rebuilds the warehouse a few times over a demo region: minutes on a shared machine.
export default defineProject({ test: { name: 'etl', env: { TZ: 'UTC' }, testTimeout: 300_000 } });
