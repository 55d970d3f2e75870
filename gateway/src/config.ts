import { isAbsolute, join, resolve } from 'node:path';

export type Config = {
  port: number;
  dataDir: string;
  /** A PostgreSQL server instead of the embedded PGlite store. */
  databaseUrl: string | null;
  warehousePath: string;
  /** Load the demo region when the store is empty. */
  demo: boolean;
  demoPassword: string;
  demoPersons: number;
  /** Intake records per 1,000 residents of each zone over the demo year. */
  demoIntakePerThousand: number;
  /** Warehouse pseudonym secret; generated into DATA_DIR when absent. */
  pseudonymKey: string | null;
  /** Token signing secret; generated into DATA_DIR when absent. */
  authSecret: string | null;
  tokenTtlSeconds: number;
  /** GraphiQL and error details. */
  development: boolean;
  /** Log GraphQL errors on the console (off in tests). */
  logErrors: boolean;
  graphql: { maxDepth: number; maxCost: number };
};

/** Reads the environment once at start; everything else receives the result. */
export function readConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = env.INIT_CWD ?? process.cwd(),
): Config {
  const dataDir = resolvePath(env.DATA_DIR ?? './data', cwd);
  return {
    port: intVar(env, 'PORT', 8080),
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    warehousePath: env.WAREHOUSE_PATH
      ? resolvePath(env.WAREHOUSE_PATH, cwd)
      : join(dataDir, 'warehouse.duckdb'),
    demo: (env.DEMO ?? '1') !== '0',
    demoPassword: env.DEMO_PASSWORD ?? 'demo',
    demoPersons: intVar(env, 'DEMO_PERSONS', 3000),
    demoIntakePerThousand: intVar(env, 'DEMO_INTAKE_PER_THOUSAND', 20),
    pseudonymKey: env.PSEUDONYM_KEY || null,
    authSecret: env.AUTH_SECRET || null,
    tokenTtlSeconds: intVar(env, 'TOKEN_TTL_SECONDS', 900),
    development: env.NODE_ENV !== 'production',
    logErrors: env.NODE_ENV !== 'test',
    graphql: {
      maxDepth: intVar(env, 'GRAPHQL_MAX_DEPTH', 8),
      maxCost: intVar(env, 'GRAPHQL_MAX_COST', 5000),
    },
  };
}

function resolvePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}
