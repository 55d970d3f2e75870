// The intake bench's store: the demo region (territory, organisations, desks, operators, persons,
// nomenclator) with a year of intake records from the demo generator, copied back year by year
// with SQL (INSERT … SELECT, subjects moved to other residents of the same zone) up to exactly
// `records` intake records. A PGlite folder is built once and kept under bench-results/cache/,
// keyed by a version string (this file's layout, the PGlite version and the migrations' text),
// so later runs copy it instead of building it again.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, type DbConfig, migrate, openDb } from '@hub/casework';
import { loadDemoRegion } from '@hub/casework/demo';

/** Bump when the way the store is built changes: the cached folder is then built again. */
const STORE_LAYOUT = 'intake-store-v3';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
export const CACHE_ROOT = join(repoRoot, 'bench-results', 'cache');

export type IntakeStoreSpec = {
  /** Intake records in the store once built (the demo year plus its copies). */
  records: number;
  /** Generated demo persons (residents of the region's zones). */
  persons: number;
  /** The demo generator's rate for the base year (records per 1,000 residents). */
  perThousand: number;
  /** The base year the generator fills (up to yesterday when it is the current year). */
  year: number;
};

export type StoreFacts = {
  records: number;
  needs: number;
  services: number;
  persons: number;
  baseRecords: number;
  copies: number;
  /** Seconds: demo region (persons + generated year), copies, indexes and ANALYZE. */
  demoSeconds: number;
  copySeconds: number;
};

const DEMO_SEED = 1;
const DEMO_PASSWORD = 'demo';
const PRIME_STRIDE = 7919;

/** The embedded engine's version: a folder written by another version may not open. */
const pgliteVersion = async (): Promise<string> => {
  const file = join(repoRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  return readFile(file, 'utf8').then(
    (text) => (JSON.parse(text) as { version: string }).version,
    () => 'unknown',
  );
};

/** The cache key: what, if changed, makes a stored folder stale. */
export async function storeVersion(spec: IntakeStoreSpec): Promise<string> {
  const migrationsDir = join(repoRoot, 'casework', 'migrations');
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  const hash = createHash('sha256');
  hash.update(`${STORE_LAYOUT}|pglite ${await pgliteVersion()}|${JSON.stringify(spec)}`);
  for (const f of files) hash.update(`|${f}|`).update(await readFile(join(migrationsDir, f)));
  // The generators decide what the rows hold.
  for (const f of ['demo/intake-demo.ts', 'demo/demo-persons.ts', 'demo/demo-structure.ts'])
    hash.update(await readFile(join(repoRoot, 'casework', 'src', f)));
  return `${STORE_LAYOUT}-${hash.digest('hex').slice(0, 12)}`;
}

const exists = async (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Fills an empty, migrated store (PGlite folder or PostgreSQL schema) with the demo region and
 * `spec.records` intake records.
 */
export async function buildIntakeStore(
  db: Db,
  spec: IntakeStoreSpec,
  log: (line: string) => void,
): Promise<StoreFacts> {
  const started = performance.now();
  await migrate(db);
  let lastLog = 0;
  const demo = await loadDemoRegion(db, {
    password: DEMO_PASSWORD,
    seed: DEMO_SEED,
    persons: spec.persons,
    intake: {
      year: spec.year,
      recordsPerThousandResidents: spec.perThousand,
      batchSize: 5000,
    },
  });
  const baseRecords = demo.intakeRecords ?? 0;
  const demoSeconds = (performance.now() - started) / 1000;
  log(
    `  demo region: ${demo.personsTotal.toLocaleString('en-US')} persons, ` +
      `${baseRecords.toLocaleString('en-US')} intake records of ${spec.year} in ${demoSeconds.toFixed(0)} s`,
  );
  if (baseRecords === 0) throw new Error('the demo generator wrote no intake records');

  // Copies of the base year, each one year further back; each copy moves every subject to
  // another resident of the same zone (a fixed stride), so a codice fiscale finds a handful of
  // records over the years, not the same ones again and again.
  const copyStarted = performance.now();
  // Work tables in the store's own schema (not TEMP: on a server, each statement may run on
  // another pooled connection), dropped at the end.
  await db.exec(`
    CREATE UNLOGGED TABLE bench_base AS
      SELECT id, (row_number() OVER (ORDER BY occurred_at, id))::int AS ord FROM intake_record;
    CREATE UNLOGGED TABLE bench_zp AS
      SELECT p.id, m.social_district_id AS d,
             (row_number() OVER (PARTITION BY m.social_district_id ORDER BY p.id))::int - 1 AS rn
        FROM person p JOIN municipality m ON m.istat_code = p.residence_municipality
       WHERE NOT p.anonymous AND p.deleted_at IS NULL AND m.social_district_id IS NOT NULL;
    CREATE UNLOGGED TABLE bench_zn AS SELECT d, count(*)::int AS n FROM bench_zp GROUP BY d;
    CREATE UNIQUE INDEX ON bench_zp (id);
    CREATE UNIQUE INDEX ON bench_zp (d, rn);
    ANALYZE bench_base; ANALYZE bench_zp; ANALYZE bench_zn;
  `);
  // Secondary indexes are dropped during the copy and made again at the end (one sort each
  // instead of a million ordered inserts): their definitions are read back from the catalog.
  const indexes = await db.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema()
        AND i.tablename IN ('intake_record', 'intake_need', 'intake_service_request')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const i of indexes) await db.exec(`DROP INDEX "${i.name}"`);

  const copyColumns = (
    await db.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'intake_record'
          AND is_generated = 'NEVER' AND identity_generation IS NULL
        ORDER BY ordinal_position`,
    )
  ).map((c) => c.name);
  const shifted = new Set([
    'occurred_at',
    'closed_at',
    'created_at',
    'updated_at',
    'permit_expiry',
    'deleted_at',
  ]);
  const expr = (c: string) =>
    c === 'id'
      ? `md5(r.id::text || ':' || k)::uuid`
      : c === 'consent_id'
        ? 'NULL::uuid'
        : c === 'subject_person_id'
          ? 'coalesce(t.id, r.subject_person_id)'
          : shifted.has(c)
            ? `r.${c} - make_interval(years => k)`
            : `r.${c}`;
  const copies = Math.ceil(spec.records / baseRecords) - 1;
  for (let k = 1; k <= copies; k++) {
    const limit = Math.min(baseRecords, spec.records - baseRecords * k);
    const params = [k, limit];
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO intake_record (${copyColumns.join(', ')})
         SELECT ${copyColumns.map(expr).join(', ')}
           FROM (SELECT $1::int AS k) kk
           CROSS JOIN bench_base b
           JOIN intake_record r ON r.id = b.id
           LEFT JOIN bench_zp s ON s.id = r.subject_person_id
           LEFT JOIN bench_zn n ON n.d = s.d
           LEFT JOIN bench_zp t ON t.d = s.d AND t.rn = (s.rn + k * ${PRIME_STRIDE}) % n.n
          WHERE b.ord <= $2::int
          ORDER BY r.occurred_at`,
        params,
      );
      await tx.query(
        `INSERT INTO intake_need (intake_id, need_code, notes)
         SELECT md5(x.intake_id::text || ':' || $1::int)::uuid, x.need_code, x.notes
           FROM intake_need x JOIN bench_base b ON b.id = x.intake_id WHERE b.ord <= $2::int`,
        params,
      );
      await tx.query(
        `INSERT INTO intake_service_request (intake_id, service_id, service_code, state,
           working_minutes, notes, created_at, updated_at)
         SELECT md5(x.intake_id::text || ':' || $1::int)::uuid, x.service_id, x.service_code, x.state,
                x.working_minutes, x.notes, x.created_at - make_interval(years => $1::int),
                x.updated_at - make_interval(years => $1::int)
           FROM intake_service_request x JOIN bench_base b ON b.id = x.intake_id
          WHERE b.ord <= $2::int`,
        params,
      );
    });
    const now = performance.now();
    if (now - lastLog > 20_000 || k === copies) {
      lastLog = now;
      log(`  copies: ${k}/${copies} (${((now - copyStarted) / 1000).toFixed(0)} s)`);
    }
  }
  const indexStarted = performance.now();
  for (const i of indexes) await db.exec(i.def);
  log(
    `  ${indexes.length} indexes made again in ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`,
  );
  await db.exec('DROP TABLE bench_base, bench_zp, bench_zn');
  // The state autovacuum keeps a PostgreSQL server in after a bulk load: statistics gathered,
  // hint bits and the visibility map set (index-only scans skip the heap). PGlite runs no
  // autovacuum (one backend, no background workers): there, only an explicit VACUUM does this.
  const vacuumStarted = performance.now();
  const tables = await db.query<{ name: string }>(
    'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1',
  );
  for (const t of tables) await db.exec(`VACUUM (ANALYZE) "${t.name}"`);
  log(`  VACUUM (ANALYZE) in ${((performance.now() - vacuumStarted) / 1000).toFixed(0)} s`);
  const copySeconds = (performance.now() - copyStarted) / 1000;
  const [facts] = await db.query<{
    records: number;
    needs: number;
    services: number;
    persons: number;
  }>(
    `SELECT (SELECT count(*)::int FROM intake_record) AS records,
            (SELECT count(*)::int FROM intake_need) AS needs,
            (SELECT count(*)::int FROM intake_service_request) AS services,
            (SELECT count(*)::int FROM person) AS persons`,
  );
  if (facts!.records !== spec.records)
    throw new Error(`the store holds ${facts!.records} intake records, not ${spec.records}`);
  return { ...facts!, baseRecords, copies, demoSeconds, copySeconds };
}

export type PreparedStore = {
  config: DbConfig;
  facts: StoreFacts;
  /** How the store came to be, for the notes. */
  origin: string;
  /** Removes the working copy (temp folder or schema). */
  dispose(): Promise<void>;
};

/**
 * A PGlite working copy in `workDir`/pglite of the cached store (built first when missing), or,
 * with `databaseUrl`, the store built afresh in a new schema of that server.
 */
export async function prepareIntakeStore(
  spec: IntakeStoreSpec,
  options: { workDir: string; databaseUrl: string | null; schema: string },
  log: (line: string) => void,
): Promise<PreparedStore> {
  if (options.databaseUrl) {
    const config: DbConfig = { kind: 'postgres', url: options.databaseUrl, schema: options.schema };
    const db = await openDb(config);
    try {
      const started = performance.now();
      const facts = await buildIntakeStore(db, spec, log);
      return {
        config,
        facts,
        origin: `PostgreSQL, fresh schema ${options.schema}, built in ${((performance.now() - started) / 1000).toFixed(0)} s`,
        dispose: async () => {
          await rm(options.workDir, { recursive: true, force: true });
          const admin = await openDb({ kind: 'postgres', url: options.databaseUrl! });
          await admin.exec(`DROP SCHEMA IF EXISTS "${options.schema}" CASCADE`);
          await admin.close();
        },
      };
    } finally {
      await db.close();
    }
  }

  const version = await storeVersion(spec);
  const cached = join(CACHE_ROOT, version);
  let origin: string;
  if (await exists(join(cached, 'facts.json'))) {
    origin = `PGlite, cached store ${relativeToRepo(cached)} reused`;
  } else {
    log(`  building the store (not cached yet): ${relativeToRepo(cached)}`);
    await mkdir(CACHE_ROOT, { recursive: true });
    // Older versions of this store only take room.
    for (const old of await readdir(CACHE_ROOT)) {
      if (old.startsWith('intake-store-'))
        await rm(join(CACHE_ROOT, old), { recursive: true, force: true });
    }
    const building = `${cached}.building`;
    await rm(building, { recursive: true, force: true });
    const started = performance.now();
    const db = await openDb({ kind: 'pglite', dataDir: join(building, 'pglite') });
    let facts: StoreFacts;
    try {
      facts = await buildIntakeStore(db, spec, log);
      await db.exec('CHECKPOINT');
    } finally {
      await db.close();
    }
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(building, 'facts.json'), JSON.stringify(facts, null, 2));
    await rename(building, cached);
    origin = `PGlite, store built in ${((performance.now() - started) / 1000).toFixed(0)} s and cached in ${relativeToRepo(cached)} (later runs copy it)`;
  }
  const facts = JSON.parse(await readFile(join(cached, 'facts.json'), 'utf8')) as StoreFacts;
  const copyStarted = performance.now();
  await cp(join(cached, 'pglite'), join(options.workDir, 'pglite'), { recursive: true });
  origin += `; working copy made in ${((performance.now() - copyStarted) / 1000).toFixed(1)} s`;
  return {
    config: { kind: 'pglite', dataDir: join(options.workDir, 'pglite') },
    facts,
    origin,
    dispose: () => rm(options.workDir, { recursive: true, force: true }),
  };
}

function relativeToRepo(path: string): string {
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length + 1) : path;
}
