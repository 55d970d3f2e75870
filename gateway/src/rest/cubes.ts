import { AppError, type Db, type Origin } from '@hub/casework';
import type { CubeEngine, Warehouse } from '@hub/warehouse';
import { Float64, Table, tableToIPC, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import { type Context, Hono } from 'hono';
import type { Authenticator } from '../auth/authenticate.ts';
import { cubeViewerOf } from '../cubes/cube-viewer.ts';
import { type ErrorCode, httpStatusOf, isErrorCode } from '../errors.ts';

// Cube's own REST API (https://cube.dev/docs/product/apis-integrations/rest-api), so that
// `@cubejs-client/core` and every tool that speaks Cube work against the hub unchanged:
//   GET  /cubejs-api/v1/load?query=<JSON>   POST /cubejs-api/v1/load {"query": …}
//   GET  /cubejs-api/v1/meta
//   POST /api/cubes/arrow {"query": …}      the same answer as Arrow IPC (stream format)
// The token goes in Authorization as Cube's clients send it: bare, or after `Bearer `. Errors
// are Cube's `{"error": "…"}` (with the hub's code and field beside it).

type Deps = {
  db: Db;
  warehouse: Warehouse;
  engine: CubeEngine;
  authenticator: Authenticator;
  originOf: (c: Context) => Origin;
};

function cubeError(c: Context, err: unknown) {
  if (err instanceof AppError && isErrorCode(err.code)) {
    const code = err.code as ErrorCode;
    return c.json(
      { error: err.message, code, ...(err.field ? { field: err.field } : {}) },
      httpStatusOf(code),
    );
  }
  throw err;
}

function parseQuery(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError('CUBE_INVALID_QUERY', 'query: JSON non valido', 'query');
  }
}

export function cubeRoutes(deps: Deps) {
  const app = new Hono();
  const viewer = async (c: Context) => {
    const header = c.req.header('authorization');
    const bearer = header && !/^Bearer\s/i.test(header) ? `Bearer ${header.trim()}` : header;
    const { actor } = await deps.authenticator.authenticate(bearer, deps.originOf(c));
    return cubeViewerOf(deps.db, deps.warehouse, actor);
  };
  const bodyQuery = async (c: Context) => {
    const body = (await c.req.json().catch(() => {
      throw new AppError('CUBE_INVALID_QUERY', 'corpo della richiesta: JSON non valido', 'query');
    })) as { query?: unknown };
    return parseQuery(body?.query);
  };
  const load = async (c: Context, query: unknown) => {
    try {
      const v = await viewer(c);
      return c.json(await deps.engine.load(query, v));
    } catch (err) {
      return cubeError(c, err);
    }
  };
  app.get('/cubejs-api/v1/load', async (c) => {
    try {
      return await load(c, parseQuery(c.req.query('query') ?? '{}'));
    } catch (err) {
      return cubeError(c, err);
    }
  });
  app.post('/cubejs-api/v1/load', async (c) => {
    try {
      return await load(c, await bodyQuery(c));
    } catch (err) {
      return cubeError(c, err);
    }
  });
  app.get('/cubejs-api/v1/meta', async (c) => {
    try {
      await viewer(c);
      return c.json(deps.engine.meta());
    } catch (err) {
      return cubeError(c, err);
    }
  });
  app.post('/api/cubes/arrow', async (c) => {
    try {
      const v = await viewer(c);
      const answer = await deps.engine.load(await bodyQuery(c), v);
      const result = answer.results[0]!;
      const bytes = tableToIPC(arrowTable(result), 'stream');
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': 'application/vnd.apache.arrow.stream',
        'X-Cube-Provenance': JSON.stringify(result.provenance),
        'X-Cube-Suppressed': String(result.disclosure?.suppressed ?? 0),
      });
    } catch (err) {
      return cubeError(c, err);
    }
  });
  return app;
}

/** One column per member: measures as Float64 (a suppressed cell is null), the rest as text. */
export function arrowTable(result: Awaited<ReturnType<CubeEngine['load']>>['results'][number]) {
  const members = [
    ...Object.keys(result.annotation.dimensions),
    ...Object.keys(result.annotation.timeDimensions).filter((k) => k.split('.').length === 3),
    ...Object.keys(result.annotation.measures),
  ];
  // biome-ignore lint/suspicious/noExplicitAny: one column per member, of two types
  const columns: Record<string, Vector<any>> = {};
  for (const m of members) {
    columns[m] =
      m in result.annotation.measures
        ? vectorFromArray(
            result.data.map((r) => (r[m] === null || r[m] === undefined ? null : Number(r[m]))),
            new Float64(),
          )
        : vectorFromArray(
            result.data.map((r) => (r[m] === null || r[m] === undefined ? null : String(r[m]))),
            new Utf8(),
          );
  }
  return new Table(columns);
}
