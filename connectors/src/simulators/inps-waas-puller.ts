import { ConnectorError } from '../errors.ts';
import type { VoucherClient } from '../pdnd/voucher-client.ts';
import { openApiValidator } from '../shared/openapi-validator.ts';
import { SPEC } from '../shared/spec-files.ts';
import { validateXml } from '../shared/xml-validate.ts';
import { createFaults, type FaultPlan } from './faults.ts';

/**
 * INPS on the WaaS route (WaaS-SIUSS_api-comuni.yaml): the municipality exposes the API and
 * INPS, through PDND, pulls `GET /flussi?since=&limit=`, checks each flow (its XSD, one
 * beneficiary and one benefit per flow, as the YAML requires), and notifies the outcomes with
 * `POST /esiti`; an outcome not acknowledged with a 2xx is sent again at the next round, as the
 * YAML says. For the tests of the municipality's side (the gateway's WaaS API).
 */
export type WaasFlow = {
  codice_ente?: string;
  id_flusso: string;
  tipo: 'PS_PSA_SINA' | 'SINBA';
  ts_flusso: string;
  flusso: string;
};
export type WaasOutcome = {
  id_flusso: string;
  tipo: string;
  ts_flusso: string;
  ts_acquisizione: string;
  codice_esito: 'OK' | 'DATI_NON_TROVATI' | 'RICHIESTA_INVALIDA' | 'ERRORE_GENERICO';
  descrizione_esito?: string;
  id_acquisizione_siuss?: string;
};

export function createInpsWaasPuller(opts: {
  /** The municipality's API root, e.g. `https://…/waas/v1`. */
  baseUrl: string;
  vouchers: VoucherClient;
  purposeId: string;
  limit?: number;
  /** `duplicate`: an outcome notified again; `outOfOrder`: outcomes in reverse order. */
  faults?: FaultPlan;
  fetch?: typeof fetch;
}) {
  const doFetch = opts.fetch ?? fetch;
  const spec = openApiValidator(SPEC.waas);
  const faults = createFaults(opts.faults ?? null);
  let since = 0;
  let acquisition = 0;
  const pending: WaasOutcome[] = [];
  const acquired = new Map<string, WaasOutcome>();
  const base = opts.baseUrl.replace(/\/$/, '');
  const auth = async () =>
    `Bearer ${(await opts.vouchers.voucher({ purposeId: opts.purposeId })).token}`;

  async function judge(f: WaasFlow): Promise<WaasOutcome> {
    const now = new Date().toISOString();
    const out = (
      codice_esito: WaasOutcome['codice_esito'],
      descrizione_esito?: string,
    ): WaasOutcome => ({
      id_flusso: f.id_flusso,
      tipo: f.tipo,
      ts_flusso: f.ts_flusso,
      ts_acquisizione: now,
      codice_esito,
      ...(descrizione_esito ? { descrizione_esito } : {}),
      ...(codice_esito === 'OK' ? { id_acquisizione_siuss: String(++acquisition) } : {}),
    });
    const xml = Buffer.from(f.flusso, 'base64').toString('utf8');
    const check = await validateXml(
      xml,
      f.tipo === 'SINBA' ? SPEC.siussSinba : SPEC.siussPsPsaSina,
    );
    if (!check.ok)
      return out(
        'RICHIESTA_INVALIDA',
        `Flusso non conforme allo schema: ${check.errors[0] ?? ''}`.slice(0, 500),
      );
    const beneficiaries = xml.match(/<(\w+:)?Beneficiario[\s>]/g)?.length ?? 0;
    const benefits = xml.match(/<(\w+:)?PrestazioniSociali[\s>]/g)?.length ?? 0;
    if (f.tipo === 'PS_PSA_SINA' && (beneficiaries !== 1 || benefits !== 1)) {
      return out(
        'RICHIESTA_INVALIDA',
        'In cooperazione è possibile inviare solo un beneficiario e una prestazione sociale',
      );
    }
    return out('OK');
  }

  return {
    acquired,
    faults,
    get since() {
      return since;
    },
    /** One round: pull what is new, judge it, notify every outcome not yet acknowledged. */
    async round(): Promise<{ received: number; notified: number; acknowledged: boolean }> {
      const res = await doFetch(`${base}/flussi?since=${since}&limit=${opts.limit ?? 10}`, {
        headers: { authorization: await auth(), accept: 'application/json' },
      });
      if (!res.ok) {
        throw new ConnectorError(
          res.status === 401 || res.status === 403 ? 'VOUCHER_REFUSED' : 'COUNTERPART_UNAVAILABLE',
          `GET /flussi answered ${res.status}`,
          {
            counterpart: 'waas',
            remoteCode: String(res.status),
          },
        );
      }
      const text = await res.text();
      const body = text === '' ? { elenco_flussi: [] } : JSON.parse(text);
      const shape = spec.validate('Entries', body);
      if (!shape.ok) {
        throw new ConnectorError(
          'RESPONSE_INVALID',
          `GET /flussi: not Entries (${shape.errors[0]})`,
          { counterpart: 'waas' },
        );
      }
      const flows = (body as { elenco_flussi?: WaasFlow[] }).elenco_flussi ?? [];
      for (const f of flows) {
        if (!acquired.has(f.id_flusso)) {
          const o = await judge(f);
          acquired.set(f.id_flusso, o);
          pending.push(o);
        }
        since = Math.max(since, Date.parse(f.ts_flusso));
      }
      if (pending.length === 0) return { received: flows.length, notified: 0, acknowledged: true };
      let batch = pending.slice(0, 100);
      const fault = faults.pick(['duplicate', 'outOfOrder']);
      if (fault === 'duplicate') batch = [...batch, batch[0]!];
      if (fault === 'outOfOrder') batch = [...batch].reverse();
      const payload = { elenco_esiti: batch };
      const check = spec.validate('ElencoEsiti', payload);
      if (!check.ok)
        throw new Error(`our own ElencoEsiti is not valid: ${check.errors.join('; ')}`);
      const ack = await doFetch(`${base}/esiti`, {
        method: 'POST',
        headers: { authorization: await auth(), 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      if (ack.status >= 200 && ack.status < 300) {
        const sent = new Set(batch.map((o) => o.id_flusso));
        for (let i = pending.length - 1; i >= 0; i--)
          if (sent.has(pending[i]!.id_flusso)) pending.splice(i, 1);
        return { received: flows.length, notified: batch.length, acknowledged: true };
      }
      return { received: flows.length, notified: batch.length, acknowledged: false };
    },
    pendingOutcomes: () => pending.length,
  };
}
