import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['casework', 'gateway', 'warehouse', 'etl', 'dashboards', 'tests', 'connectors'],
  },
});
