import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  /** NODE_ENV=production: no GraphiQL, no demo region, no introspection for anonymous callers. */
  production: boolean;
  /** Log GraphQL errors on the console (off in tests). */
  logErrors: boolean;
  graphql: {
    maxDepth: number;
    maxCost: number;
    /** Lexical tokens per document: parsing stops there, before any rule walks it. */
    maxTokens: number;
    /** Aliased fields per document (1,000 aliases of one field are 1,000 calls). */
    maxAliases: number;
    /** Fragment spreads per document. */
    maxFragmentSpreads: number;
    /** The largest `limit`/`first` a caller may ask for, literal or variable. */
    maxListSize: number;
  };
  /** Peers whose X-Forwarded-For is believed (IPs or CIDR blocks); nobody else's is. */
  trustedProxies: string[];
  /** Browser origins allowed by CORS; none by default (same-origin only). */
  corsOrigins: string[];
  /** Request bodies larger than this are refused with 413 PAYLOAD_TOO_LARGE. */
  maxBodyBytes: number;
  /**
   * The counterparts (ANPR via PDND, INPS ISEE, health and municipal registries): their
   * simulators on loopback (default outside production; SIMULATORS=0 turns them off), or the
   * real endpoints of the JSON file CONNECTORS_CONFIG.
   */
  connectors: { mode: 'simulators' | 'file' | 'off'; file: string | null };
  /** The ETL's schedule (node-cron, six fields): off with ETL_SCHEDULE=0. */
  etl: { enabled: boolean; incrementalCron: string | null; fullCron: string | null };
  /** The built web application served at `/` (UI_DIR; default: dashboards/dist). */
  uiDir: string | null;
  /**
   * INPS's PDND voucher on the WaaS API (/waas/v1): our e-service's audience (WAAS_PDND_AUDIENCE,
   * default this hub's http://localhost:PORT/waas/v1) and the hub's partner client a voucher
   * stands for (WAAS_CLIENT, default inps-waas); PDND's key set (WAAS_PDND_JWKS_URL), issuer
   * (WAAS_PDND_ISSUER), INPS's client ids (WAAS_PDND_CLIENT_IDS) and the purposes of its
   * agreement (WAAS_PDND_PURPOSE_IDS, optional). Without WAAS_PDND_JWKS_URL, the simulators'
   * PDND when they run (`npm start`); otherwise no check, and the pull answers 503.
   */
  waas: {
    audience: string;
    hubClient: string;
    pdnd: { jwksUrl: string; issuer: string; clientIds: string[]; purposeIds: string[] } | null;
  };
};

/** Where the dashboards package writes its build, beside this package in the repository. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../dashboards/dist', import.meta.url));

/** Reads the environment once at start; everything else receives the result. */
export function readConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = env.INIT_CWD ?? process.cwd(),
): Config {
  const dataDir = resolvePath(env.DATA_DIR ?? './data', cwd);
  const production = env.NODE_ENV === 'production';
  // The demo region has known passwords: it is refused outright in production, not just off.
  if (production && env.DEMO !== undefined && env.DEMO !== '0')
    throw new Error('DEMO must be 0 (or unset) when NODE_ENV=production: its passwords are public');
  return {
    port: intVar(env, 'PORT', 8080),
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    warehousePath: env.WAREHOUSE_PATH
      ? resolvePath(env.WAREHOUSE_PATH, cwd)
      : join(dataDir, 'warehouse.duckdb'),
    demo: !production && (env.DEMO ?? '1') !== '0',
    demoPassword: env.DEMO_PASSWORD ?? 'demo',
    demoPersons: intVar(env, 'DEMO_PERSONS', 3000),
    demoIntakePerThousand: intVar(env, 'DEMO_INTAKE_PER_THOUSAND', 20),
    pseudonymKey: env.PSEUDONYM_KEY || null,
    authSecret: env.AUTH_SECRET || null,
    tokenTtlSeconds: intVar(env, 'TOKEN_TTL_SECONDS', 900),
    development: !production,
    production,
    logErrors: env.NODE_ENV !== 'test',
    graphql: {
      maxDepth: intVar(env, 'GRAPHQL_MAX_DEPTH', 8),
      maxCost: intVar(env, 'GRAPHQL_MAX_COST', 5000),
      maxTokens: intVar(env, 'GRAPHQL_MAX_TOKENS', 5000),
      maxAliases: intVar(env, 'GRAPHQL_MAX_ALIASES', 30),
      maxFragmentSpreads: intVar(env, 'GRAPHQL_MAX_FRAGMENT_SPREADS', 100),
      maxListSize: intVar(env, 'GRAPHQL_MAX_LIST_SIZE', 500),
    },
    trustedProxies: listVar(env, 'TRUSTED_PROXIES'),
    corsOrigins: listVar(env, 'CORS_ORIGINS'),
    // Documents travel base64 in GraphQL (10 MB each, FILE_TOO_LARGE): room for one and its JSON.
    maxBodyBytes: intVar(env, 'MAX_BODY_BYTES', 15 * 1024 * 1024),
    connectors: env.CONNECTORS_CONFIG
      ? { mode: 'file', file: resolvePath(env.CONNECTORS_CONFIG, cwd) }
      : { mode: production || env.SIMULATORS === '0' ? 'off' : 'simulators', file: null },
    etl: {
      enabled: env.ETL_SCHEDULE !== '0' && env.NODE_ENV !== 'test',
      incrementalCron: env.ETL_INCREMENTAL_CRON || null,
      fullCron: env.ETL_FULL_CRON || null,
    },
    uiDir: env.UI_DIR === '' ? null : env.UI_DIR ? resolvePath(env.UI_DIR, cwd) : DEFAULT_UI_DIR,
    waas: {
      audience: env.WAAS_PDND_AUDIENCE || `http://localhost:${intVar(env, 'PORT', 8080)}/waas/v1`,
      hubClient: env.WAAS_CLIENT || 'inps-waas',
      pdnd: waasPdnd(env),
    },
  };
}

function waasPdnd(env: NodeJS.ProcessEnv): Config['waas']['pdnd'] {
  const jwksUrl = env.WAAS_PDND_JWKS_URL;
  if (!jwksUrl) return null;
  const issuer = env.WAAS_PDND_ISSUER;
  const clientIds = listVar(env, 'WAAS_PDND_CLIENT_IDS');
  // A voucher of our audience can be asked of PDND by any of its clients: without INPS's own
  // client ids the check would let them all in.
  if (!issuer || clientIds.length === 0)
    throw new Error('WAAS_PDND_JWKS_URL needs WAAS_PDND_ISSUER and WAAS_PDND_CLIENT_IDS');
  if (!URL.canParse(jwksUrl)) throw new Error(`WAAS_PDND_JWKS_URL is not a URL: "${jwksUrl}"`);
  return { jwksUrl, issuer, clientIds, purposeIds: listVar(env, 'WAAS_PDND_PURPOSE_IDS') };
}

function listVar(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
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
