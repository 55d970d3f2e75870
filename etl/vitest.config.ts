import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'etl', env: { TZ: 'UTC' } } });
