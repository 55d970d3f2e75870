import { type EtlDeps, type EtlResult, runEtl } from '../etl.ts';

/** Nightly at 02:30 (the hub's time zone); ETL_FULL_CRON overrides it. */
export const FULL_REBUILD_CRON_PATTERN = '0 30 2 * * *';

export function run(deps: EtlDeps): Promise<EtlResult> {
  return runEtl(deps, 'FULL');
}
