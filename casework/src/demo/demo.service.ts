import type { Db, Queryable } from '../db/db.ts';
import { badInput } from '../errors.ts';
import { hashPassword } from '../operators/password.ts';
import { loadServiceCatalog } from '../service-catalog/service-catalog.service.ts';
import { loadTerritory } from '../territory/territory.service.ts';
import { listMunicipalities } from '../territory/territory.store.ts';
import { type GenerateCaseDemoOptions, generateCaseDemo } from './case-file-demo.ts';
import { generateDeliveriesDemo } from './deliveries-demo.ts';
import {
  DEFAULT_DEMO_SEED,
  type GenerateDemoOptions,
  type GenerateDemoResult,
  generateDemoOptions,
} from './demo.types.ts';
import {
  demoPersonAt,
  demoPersonId,
  demoTerritory,
  insertDemoPersons,
  insertFixedPersons,
} from './demo-persons.ts';
import { ensureDemoStructure } from './demo-structure.ts';
import { type GenerateIntakeDemoOptions, generateIntakeDemo } from './intake-demo.ts';

/** True when no territory has been loaded yet: a fresh store the demo may fill. */
export async function isStoreEmpty(q: Queryable): Promise<boolean> {
  const [row] = await q.query<{ present: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM region) AS present',
  );
  return !row?.present;
}

/**
 * How many generated persons of `seed` are stored, up to `limit`. Batches commit in index order,
 * so persons 0..n-1 exist and n does not: a binary search on their stable ids finds n in
 * log2(limit) look-ups, without scanning the table.
 */
export async function countDemoPersons(q: Queryable, seed: number, limit: number): Promise<number> {
  const exists = async (index: number) =>
    (await q.query('SELECT 1 FROM person WHERE id = $1', [demoPersonId(seed, index)])).length > 0;
  let lo = 0;
  let hi = limit;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await exists(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fills the store with the demo region's organisation, accounts and `persons` generated persons
 * (a pure function of seed and index). Safe to run again: what exists is kept, and a run that
 * was stopped resumes after the last stored batch. Needs the territory (`loadTerritory`).
 */
export async function generateDemo(
  db: Db,
  options: GenerateDemoOptions,
): Promise<GenerateDemoResult> {
  const parsed = generateDemoOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(issue.path.join('.') || 'options', `opzione non valida: ${issue.message}`);
  }
  const { persons, seed, password, batchSize } = parsed.data;

  const structure = await db.transaction(async (tx) => {
    const s = await ensureDemoStructure(tx, () => hashPassword(password));
    await insertFixedPersons(tx, s.municipalityOrganizations);
    return s;
  });

  const territory = demoTerritory(await listMunicipalities(db));
  const before = await countDemoPersons(db, seed, persons);
  options.onProgress?.(before, persons);
  for (let from = before; from < persons; from += batchSize) {
    const to = Math.min(from + batchSize, persons);
    const batch = Array.from({ length: to - from }, (_, k) =>
      demoPersonAt(territory, seed, from + k),
    );
    await db.transaction((tx) => insertDemoPersons(tx, batch, structure.municipalityOrganizations));
    options.onProgress?.(to, persons);
  }

  return {
    seed,
    personsBefore: before,
    personsCreated: persons - before,
    personsTotal: persons,
    operatorsCreated: structure.operatorsCreated,
    clientsCreated: structure.clientsCreated,
  };
}

/** A fresh store's demo: the territory, then the generated region (and its intake records). */
export async function loadDemoRegion(
  db: Db,
  options: Omit<GenerateDemoOptions, 'password'> & {
    password: string;
    /** A year of intake records at the region's desks (demo/intake-demo.ts); absent: none. */
    intake?: Omit<GenerateIntakeDemoOptions, 'seed' | 'onProgress'> | undefined;
    /** Case files for the intake proposals (demo/case-file-demo.ts); needs `intake`. */
    cases?: Omit<GenerateCaseDemoOptions, 'seed' | 'onProgress'> | undefined;
    /** A year of interventions and deliveries from the care plans (demo/deliveries-demo.ts); needs `cases`. */
    deliveries?: { maxInterventions?: number | undefined } | undefined;
    /** One line per phase done, for the start-up log. */
    log?: ((line: string) => void) | undefined;
  },
): Promise<
  GenerateDemoResult & { intakeRecords?: number; caseFiles?: number; deliveries?: number }
> {
  const log = options.log ?? (() => undefined);
  let started = performance.now();
  const took = () => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    started = performance.now();
    return `${seconds} s`;
  };
  await loadTerritory(db);
  const result = await generateDemo(db, options);
  log(`  organizzazioni, operatori e ${result.personsTotal} persone (${took()})`);
  if (!options.intake) return result;
  await loadServiceCatalog(db);
  const intake = await generateIntakeDemo(db, {
    ...options.intake,
    seed: options.seed ?? DEFAULT_DEMO_SEED,
  });
  log(`  ${intake.records} schede di accesso di un anno (${took()})`);
  if (!options.cases) return { ...result, intakeRecords: intake.records };
  log('  valutazione delle proposte di presa in carico e cartelle sociali…');
  const cases = await generateCaseDemo(db, {
    ...options.cases,
    seed: options.seed ?? DEFAULT_DEMO_SEED,
  });
  log(`  ${cases.opened} cartelle sociali aperte (${took()})`);
  if (!options.deliveries)
    return { ...result, intakeRecords: intake.records, caseFiles: cases.opened };
  const deliveries = await generateDeliveriesDemo(db, {
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    maxInterventions: options.deliveries.maxInterventions,
  });
  log(
    `  ${deliveries.interventions} interventi e ${deliveries.deliveries} erogazioni di un anno, ` +
      `${deliveries.toVerify} da verificare (${took()})`,
  );
  return {
    ...result,
    intakeRecords: intake.records,
    caseFiles: cases.opened,
    deliveries: deliveries.deliveries,
  };
}
