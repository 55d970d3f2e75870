import { type EtlDeps, type EtlResult, runEtl } from '../etl.ts';

/** Every 5 seconds (node-cron's six fields, seconds first); ETL_INCREMENTAL_CRON overrides it. */
export const INCREMENTAL_CRON_PATTERN = '*/5 * * * * *';

export function run(deps: EtlDeps): Promise<EtlResult> {
  return runEtl(deps, 'INCREMENTAL');
}
