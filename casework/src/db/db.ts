import { createHash } from 'node:crypto';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { createPreparedStatements, type PreparedStatements } from './pglite-prepared.ts';

export type Row = Record<string, unknown>;

export type QueryOptions = {
  /**
   * Run as a named prepared statement on a server (pg): parsed and planned once per connection,
   * then only bound and executed. For the hot statements whose text never varies (each distinct
   * text is kept by every connection until it closes): never for SQL built from filters. On
   * PGlite, whose API has no named statements, `pglite-prepared.ts` speaks the protocol itself.
   */
  prepared?: boolean;
};

/** The one interface the domain uses to talk to PostgreSQL, embedded (PGlite) or a server (pg). */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Inside a transaction, the driver's own handle on it, for the bulk paths this interface has
   * no words for (the ETL's `COPY … TO`, which takes no parameters and returns no rows). Only
   * issue one statement at a time through it, never beside `query`.
   */
  readonly driver?: TransactionDriver;
}

export type TransactionDriver =
  | { readonly kind: 'pglite'; readonly tx: Transaction }
  | { readonly kind: 'postgres'; readonly client: pg.PoolClient };

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: all its writes land, or none. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// One shape for both drivers: dates as 'YYYY-MM-DD' strings (no time-zone shifts), int8 as number.
const DATE_OID = 1082;
const INT8_OID = 20;
const PARSERS = {
  [DATE_OID]: (value: string) => value,
  [INT8_OID]: (value: string) => Number(value),
};
pg.types.setTypeParser(DATE_OID, PARSERS[DATE_OID]);
pg.types.setTypeParser(INT8_OID, PARSERS[INT8_OID]);

export type DbConfig =
  | { kind: 'pglite'; dataDir?: string | undefined }
  | { kind: 'postgres'; url: string; schema?: string | undefined; max?: number | undefined };

export async function openDb(config: DbConfig): Promise<Db> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config);
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  return pgliteDb(await openPgliteHost(dataDir));
}

/**
 * One PGlite instance and the queue that runs its statements one at a time. Several `Db` handles
 * may share it, each on its own schema (the test store runs one instance per worker this way).
 */
export type PgliteHost = {
  readonly pglite: PGlite;
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** The schema the session's search_path points at now (null: PostgreSQL's default). */
  searchPath: string | null;
  /** The instance's named statements (QueryOptions.prepared). */
  readonly prepared: PreparedStatements;
};

export async function openPgliteHost(
  dataDir?: string | undefined,
  /** A data folder dumped by `dumpDataDir` to start from (in memory), instead of a fresh cluster. */
  loadDataDir?: Blob | undefined,
): Promise<PgliteHost> {
  if (dataDir) {
    const { mkdir } = await import('node:fs/promises');
    // PGlite does not create parent folders itself.
    await mkdir(dataDir, { recursive: true });
  }
  const pglite = new PGlite({ dataDir, parsers: PARSERS, ...(loadDataDir ? { loadDataDir } : {}) });
  await pglite.waitReady;
  // PGlite runs one statement at a time; a queue keeps transactions from interleaving
  // with queries issued concurrently by other requests.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    pglite,
    serial: <T>(fn: () => Promise<T>): Promise<T> => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
    searchPath: null,
    prepared: createPreparedStatements(pglite),
  };
}

/**
 * A `Db` over a PGlite host. With `schema`, every statement runs with that schema first on the
 * search_path (switched before the statement when another handle moved it); `close` then leaves
 * the instance open for the other handles.
 */
export function pgliteDb(host: PgliteHost, schema: string | null = null): Db {
  const { pglite } = host;
  const serial = <T>(fn: () => Promise<T>): Promise<T> =>
    host.serial(async () => {
      if (host.searchPath !== schema) {
        await pglite.exec(
          schema ? `SET search_path TO "${schema}", public` : 'SET search_path TO DEFAULT',
        );
        host.searchPath = schema;
      }
      return fn();
    });
  const query = async <T extends Row>(sql: string, params?: unknown[]) =>
    (await pglite.query<T>(sql, params)).rows;
  // Outside a transaction PGlite syncs its files after the statement, as `query` does.
  const prepared = <T>(sql: string, params: unknown[] | undefined, syncToFs: boolean) =>
    host.prepared.query<T>(host.searchPath, sql, params ?? [], syncToFs);
  return {
    kind: 'pglite',
    query: (sql, params, options) =>
      serial(() => (options?.prepared ? prepared(sql, params, true) : query(sql, params))),
    exec: (sql) => serial(async () => void (await pglite.exec(sql))),
    transaction: (fn) =>
      serial(() =>
        pglite.transaction(async (tx) =>
          fn({
            query: async (sql, params, options) =>
              options?.prepared
                ? prepared(sql, params, false)
                : ((await tx.query(sql, params)).rows as never),
            exec: async (sql) => void (await tx.exec(sql)),
            driver: { kind: 'pglite', tx },
          }),
        ),
      ),
    close: () => (schema ? Promise.resolve() : pglite.close()),
  };
}

// A prepared statement's name stands for exactly one text (pg refuses one name for two texts):
// a digest of the text, computed once per text.
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `hub_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** pg's query config: named when prepared. */
const pgQuery = (sql: string, params: unknown[] | undefined, options: QueryOptions | undefined) =>
  options?.prepared
    ? { name: statementName(sql), text: sql, values: params ?? [] }
    : { text: sql, values: params ?? [] };

async function openPostgres(config: {
  url: string;
  schema?: string | undefined;
  max?: number | undefined;
}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.max ?? 10,
    ...(config.schema ? { options: `-c search_path=${config.schema},public` } : {}),
  });
  pool.on('error', () => undefined);
  const client = await pool.connect().catch((cause: unknown) => {
    throw new Error(`cannot reach PostgreSQL at ${redact(config.url)}: ${String(cause)}`, {
      cause,
    });
  });
  if (config.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
  client.release();
  return {
    kind: 'postgres',
    query: async (sql, params, options) => (await pool.query(pgQuery(sql, params, options))).rows,
    exec: async (sql) => void (await pool.query(sql)),
    transaction: async (fn) => {
      const c = await pool.connect();
      // One client runs one query at a time: queries issued together inside a transaction
      // (Promise.all) queue here, as they do on PGlite, instead of overlapping on the socket.
      let tail: Promise<unknown> = Promise.resolve();
      const serial = <T>(run: () => Promise<T>): Promise<T> => {
        const next = tail.then(run, run);
        tail = next.catch(() => undefined);
        return next;
      };
      try {
        await c.query('BEGIN');
        const result = await fn({
          query: (sql, params, options) =>
            serial(async () => (await c.query(pgQuery(sql, params, options))).rows),
          exec: (sql) => serial(async () => void (await c.query(sql))),
          driver: { kind: 'postgres', client: c },
        });
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
