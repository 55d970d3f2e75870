import type { Db } from '@hub/casework';
import type { Warehouse } from '@hub/warehouse';
import { Hono } from 'hono';

export type HealthCheck = () => Promise<void>;

/** GET /health: 200 with every part "ok", or 503 naming the parts that do not answer. */
export function healthRoutes(deps: {
  db: Db;
  warehouse: Warehouse;
  connectors: Record<string, HealthCheck>;
}) {
  const app = new Hono();
  app.get('/health', async (c) => {
    const check = async (fn: HealthCheck) => {
      const started = performance.now();
      try {
        await withTimeout(fn(), 2000);
        return { status: 'ok' as const, ms: Math.round(performance.now() - started) };
      } catch (err) {
        return {
          status: 'failing' as const,
          error: err instanceof Error ? err.message : String(err),
        };
      }
    };
    const [store, warehouse, ...connectors] = await Promise.all([
      check(async () => void (await deps.db.query('SELECT 1'))),
      check(() => deps.warehouse.ping()),
      ...Object.values(deps.connectors).map(check),
    ]);
    const connectorStatus = Object.fromEntries(
      Object.keys(deps.connectors).map((k, i) => [k, connectors[i]!]),
    );
    const failing = [
      ...(store!.status === 'ok' ? [] : ['store']),
      ...(warehouse!.status === 'ok' ? [] : ['warehouse']),
      ...Object.entries(connectorStatus)
        .filter(([, s]) => s.status !== 'ok')
        .map(([k]) => `connector:${k}`),
    ];
    return c.json(
      {
        status: failing.length === 0 ? 'ok' : 'failing',
        failing,
        store: { ...store, kind: deps.db.kind },
        warehouse,
        connectors: connectorStatus,
      },
      failing.length === 0 ? 200 : 503,
    );
  });
  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
