import {
  AppError,
  type Db,
  downloadSiussFlow,
  type Esito,
  esitoSchema,
  type Origin,
  pullSiussFlows,
  recordSiussOutcomes,
} from '@hub/casework';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticate.ts';
import { httpStatusOf, isErrorCode } from '../errors.ts';
import type { WaasVoucherCheck } from './waas-voucher.ts';

// The WaaS API that the municipality exposes and INPS pulls (WaaS-SIUSS_api-comuni.yaml v2.0.1,
// INPS-it/WaaS.Comuni), exactly as it defines it:
//   GET  /waas/v1/status                   200 application/problem+json
//   GET  /waas/v1/flussi?since=<ms>&limit= {elenco_flussi: [...]} with the XML in base64
//   POST /waas/v1/esiti                    {elenco_esiti: [...]} → 204
// guarded by INPS's PDND voucher (waas-voucher.ts: PDND's signature, issuer, our audience, expiry,
// INPS's client and purpose), which stands for the hub's partner client of INPS holding
// `siuss:pull` (in the demo `inps-waas`; the voucher from the PDND simulator `npm start` runs).
// Without a configured voucher check the pull answers 503: no hub token opens it. Errors are
// problem+json.
// Since INPS retries an outcome until it gets a 2xx: an unknown flow answers 404 (our records
// say INPS cannot have it, and it should know); an outcome already recorded answers 200 with a
// problem+json saying so (nothing changed, nothing to retry).
//
// And the file route, for upload to INPS's web application by an operator:
//   GET  /api/siuss/flows/:id/file          the XML of a FILE flow (downloading it sends it)

type Deps = {
  db: Db;
  authenticator: Authenticator;
  originOf: (c: Context) => Origin;
  /** INPS's PDND voucher check (null: not configured, the pull is unavailable). */
  voucher: WaasVoucherCheck | null;
};

const problem = (c: Context, status: number, title: string, detail?: string) =>
  c.body(
    JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) }),
    status as 200,
    { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
  );

const limitSchema = z.coerce.number().int().min(0).max(100);
const esitiSchema = z.object({ elenco_esiti: z.array(esitoSchema).max(100) }).strict();

export function waasRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/waas/v1/status', async (c) => {
    try {
      await deps.db.query('SELECT 1');
      return problem(c, 200, 'OK', 'servizio di alimentazione SIUSS attivo');
    } catch {
      return problem(c, 503, 'Service Unavailable', 'archivio non raggiungibile');
    }
  });

  /** INPS, from its PDND voucher, or the problem to answer with (each refusal audited). */
  async function inpsOf(c: Context) {
    if (!deps.voucher)
      return {
        error: problem(
          c,
          503,
          'Service Unavailable',
          'verifica dei voucher PDND non configurata (WAAS_PDND_*)',
        ),
      };
    const checked = await deps.voucher(c.req.header('authorization'), deps.originOf(c));
    if ('refused' in checked) {
      const r = checked.refused;
      return { error: problem(c, r.status, r.title, r.detail) };
    }
    return { actor: checked.actor };
  }

  /** An operator's caller (the file route), or the problem to answer with (401 without a valid token). */
  async function callerOf(c: Context) {
    const header = c.req.header('authorization');
    if (!header) return { error: problem(c, 401, 'Unauthorized', 'voucher PDND (Bearer) assente') };
    try {
      const { actor } = await deps.authenticator.authenticate(header, deps.originOf(c));
      if (!actor) return { error: problem(c, 401, 'Unauthorized', 'voucher non valido') };
      return { actor };
    } catch (err) {
      if (err instanceof AppError && isErrorCode(err.code))
        return { error: problem(c, httpStatusOf(err.code), err.code, err.message) };
      throw err;
    }
  }
  const refused = (c: Context, err: unknown) => {
    if (err instanceof AppError && isErrorCode(err.code))
      return problem(c, httpStatusOf(err.code), err.code, err.message);
    throw err;
  };

  app.get('/waas/v1/flussi', async (c) => {
    const since = c.req.query('since');
    if (since === undefined || !/^\d{1,20}$/.test(since))
      return problem(
        c,
        400,
        'Bad Request',
        "parametro 'since' obbligatorio: timestamp in millisecondi (0 alla prima acquisizione)",
      );
    const limit = limitSchema.safeParse(c.req.query('limit') ?? 10);
    if (!limit.success)
      return problem(c, 400, 'Bad Request', "parametro 'limit': intero da 0 a 100");
    const who = await inpsOf(c);
    if (who.error) return who.error;
    try {
      const elenco_flussi =
        limit.data === 0 ? [] : await pullSiussFlows(deps.db, who.actor, Number(since), limit.data);
      return c.json({ elenco_flussi }, 200, { 'Cache-Control': 'no-store' });
    } catch (err) {
      return refused(c, err);
    }
  });

  app.post('/waas/v1/esiti', async (c) => {
    const who = await inpsOf(c);
    if (who.error) return who.error;
    const body = await c.req.json().catch(() => undefined);
    const parsed = esitiSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return problem(c, 400, 'Bad Request', `${issue.path.join('.') || 'corpo'}: ${issue.message}`);
    }
    try {
      const result = await recordSiussOutcomes(
        deps.db,
        who.actor,
        parsed.data.elenco_esiti as Esito[],
      );
      if (result.unknown.length > 0)
        return problem(
          c,
          404,
          'Not Found',
          `flussi sconosciuti, nessun esito registrato per: ${result.unknown.join(', ')}` +
            (result.applied.length > 0 ? `; registrati: ${result.applied.join(', ')}` : ''),
        );
      if (result.alreadyRecorded.length > 0)
        return problem(
          c,
          200,
          'Esiti già registrati',
          `nessuna modifica per: ${result.alreadyRecorded.join(', ')}` +
            (result.applied.length > 0 ? `; registrati: ${result.applied.join(', ')}` : ''),
        );
      return c.body(null, 204);
    } catch (err) {
      return refused(c, err);
    }
  });

  app.get('/api/siuss/flows/:id/file', async (c) => {
    const who = await callerOf(c);
    if (who.error) return who.error;
    try {
      const file = await downloadSiussFlow(deps.db, who.actor, c.req.param('id'));
      // The stored parts as they are read: a file of hundreds of MB is never one string here.
      const parts = file.chunks[Symbol.asyncIterator]();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await parts.next();
          if (next.done) controller.close();
          else controller.enqueue(Buffer.from(next.value, 'utf8'));
        },
        async cancel() {
          await parts.return?.(undefined);
        },
      });
      return c.body(body, 200, {
        'Content-Type': 'application/xml; charset=utf-8',
        'Content-Disposition': `attachment; filename="${file.filename}"`,
        'Cache-Control': 'no-store',
      });
    } catch (err) {
      return refused(c, err);
    }
  });

  return app;
}
