// `npm run generate -- --persons 1000000 [--seed 1] [--cases 0]`: fills the store (PGlite in $DATA_DIR/pglite,
// or DATABASE_URL) with the demo region. Stop it at any time; running it again resumes.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { type Db, openDb } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { loadServiceCatalog } from '../service-catalog/service-catalog.service.ts';
import { loadTerritory } from '../territory/territory.service.ts';
import { generateCaseDemo } from './case-file-demo.ts';
import { generateDemo } from './demo.service.ts';
import { DEFAULT_DEMO_PERSONS, DEFAULT_DEMO_SEED } from './demo.types.ts';
import { generateIntakeDemo } from './intake-demo.ts';

function parseCount(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/[_,.]/g, ''));
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`--${name} wants a whole number, got "${raw}"`);
  }
  return value;
}

async function openStore(): Promise<{ db: Db; where: string }> {
  const url = process.env.DATABASE_URL;
  if (url) return { db: await openDb({ kind: 'postgres', url }), where: 'DATABASE_URL' };
  // npm runs workspace scripts in the package folder; INIT_CWD is where the user typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  const dataDir = resolve(base, process.env.DATA_DIR ?? './data', 'pglite');
  return { db: await openDb({ kind: 'pglite', dataDir }), where: dataDir };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string' },
      seed: { type: 'string' },
      'intake-per-thousand': { type: 'string' },
      'intake-year': { type: 'string' },
      cases: { type: 'string' },
    },
    strict: true,
  });
  const persons = parseCount('persons', values.persons, DEFAULT_DEMO_PERSONS);
  const seed = parseCount('seed', values.seed, DEFAULT_DEMO_SEED);
  const password = process.env.DEMO_PASSWORD ?? 'demo';
  // Intake records per 1,000 residents over the year (0: none).
  const intakePerThousand = parseCount('intake-per-thousand', values['intake-per-thousand'], 20);
  const intakeYear = parseCount('intake-year', values['intake-year'], 2025);
  // Case files for the intake proposals: 1 (default) or 0.
  const cases = parseCount('cases', values.cases, 1) > 0;

  const { db, where } = await openStore();
  try {
    console.log(`Store: ${where}`);
    const applied = await migrate(db);
    if (applied.length > 0) console.log(`Migrations applied: ${applied.join(', ')}`);
    const territory = await loadTerritory(db);
    console.log(
      `Territory: ${territory.municipalities} municipalities, ${territory.socialDistricts} zone sociali, ${territory.foreignCountries} foreign countries`,
    );

    const bar = new cliProgress.SingleBar(
      {
        format:
          'Persons {bar} {percentage}% | {value}/{total} | {duration_formatted} | ETA {eta_formatted}',
        noTTYOutput: true,
        notTTYSchedule: 5000,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let startedAt = 0;
    let first = 0;
    const result = await generateDemo(db, {
      persons,
      seed,
      password,
      onProgress: (done, total) => {
        if (!started) {
          started = true;
          startedAt = performance.now();
          first = done;
          bar.start(total, done);
        } else {
          bar.update(done);
        }
      },
    });
    bar.stop();
    const seconds = (performance.now() - startedAt) / 1000;
    const created = result.personsTotal - first;
    const rate = seconds > 0 ? Math.round(created / seconds) : 0;
    console.log(
      `Done: ${result.personsCreated} persons created (${result.personsBefore} already there, ${result.personsTotal} in all, seed ${result.seed}) in ${seconds.toFixed(1)} s, ${rate} persons/s`,
    );
    if (intakePerThousand > 0) {
      const catalog = await loadServiceCatalog(db);
      const started = performance.now();
      const intake = await generateIntakeDemo(db, {
        seed,
        year: intakeYear,
        recordsPerThousandResidents: intakePerThousand,
      });
      console.log(
        `Intake records ${intakeYear}: ${intake.created} created (${intake.records} in all; catalog ${catalog.services} services, ${catalog.needs} needs) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      if (cases) {
        const casesStarted = performance.now();
        const c = await generateCaseDemo(db, { seed });
        console.log(
          `Case files: ${c.opened} opened, ${c.attached} proposals attached, ${c.rejected} rejected, ${c.underEvaluation + c.waiting} waiting (${c.carePlans} care plans) in ${((performance.now() - casesStarted) / 1000).toFixed(1)} s`,
        );
      }
    }
    if (result.operatorsCreated > 0 || result.clientsCreated > 0) {
      console.log(
        `Demo accounts created: ${result.operatorsCreated} operators, ${result.clientsCreated} partner clients (password from DEMO_PASSWORD)`,
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
