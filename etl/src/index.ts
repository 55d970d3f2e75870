export * from './etl.ts';
export * from './export.ts';
export * from './kpi-alerts.ts';
export * from './pseudonym.ts';
export * from './schedule.ts';
