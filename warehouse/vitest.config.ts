import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'warehouse', env: { TZ: 'UTC' } } });
