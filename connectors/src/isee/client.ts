import * as soap from 'soap';
import { ConnectorError, isConnectorError } from '../errors.ts';
import type { VoucherClient } from '../pdnd/voucher-client.ts';
import { type CounterpartPolicy, createPolicy } from '../resilience/policy.ts';
import { parseConfig } from '../shared/config.ts';
import { SPEC } from '../shared/spec-files.ts';
import { validateXml } from '../shared/xml-validate.ts';
import { type IseeConfigInput, iseeConfigSchema } from './config-schema.ts';
import { mapIseeEsito, mapSoapFailure } from './errors.ts';
import {
  type IseeAttestation,
  type IseeIndicator,
  mapAttestazione,
  mapIndicatore,
} from './map-isee.ts';

export type IseeIndicatorType =
  | 'Ordinario'
  | 'Minorenne'
  | 'Universitario'
  | 'SocioSanitario'
  | 'Dottorato'
  | 'Residenziale';

export type IseeCallContext = { operatorId: string; reason: string };

export type IseeExchange = {
  counterpart: 'isee';
  operation: 'ConsultazioneIndicatore' | 'ConsultazioneAttestazione';
  operatorId: string;
  reason: string;
  subject: string;
  requestId: number | null;
  outcome: string;
  ms: number;
};

type Result = {
  IdRichiesta?: number | string;
  Esito?: string;
  DescrizioneErrore?: string;
} & Record<string, unknown>;

/**
 * INPS ConsultazioneISEE over SOAP (WSDL v2.8 "PDND", read from connectors/specs). Each call
 * carries a PDND voucher and the `Identity` header (operator, office); the base64 payload that
 * comes back is validated against its XSD with xmllint before it is read.
 */
export function createIseeClient(
  input: IseeConfigInput,
  deps: {
    vouchers: VoucherClient;
    policy?: CounterpartPolicy;
    onExchange?: (e: IseeExchange) => void;
    /** Sees each SOAP envelope sent and received (contract tests validate them). */
    onXml?: (direction: 'request' | 'response', xml: string) => void;
  },
) {
  const config = parseConfig(iseeConfigSchema, input, 'isee');
  const policy =
    deps.policy ?? createPolicy('isee', { timeoutMs: config.timeoutMs, retries: config.retries });
  // The Identity SOAP header names the operator, and `soap` keeps SOAP headers per client: one
  // client per operator (each parses the WSDL once).
  const clients = new Map<string, Promise<soap.Client>>();
  const clientFor = (operatorId: string) => {
    let c = clients.get(operatorId);
    if (!c) {
      c = soap.createClientAsync(SPEC.iseeWsdl, { endpoint: config.endpoint }).then((client) => {
        client.addSoapHeader(
          { Identity: { UserId: operatorId, CodiceUfficio: config.officeCode } },
          '',
          'inps',
          'http://inps.it/',
        );
        if (deps.onXml) {
          client.on('request', (xml: string) => deps.onXml!('request', xml));
          client.on('response', (xml: string) => deps.onXml!('response', xml));
        }
        return client;
      });
      if (clients.size > 200) clients.clear();
      clients.set(operatorId, c);
      c.catch(() => clients.delete(operatorId));
    }
    return c;
  };

  async function call(
    operation: IseeExchange['operation'],
    args: object,
    ctx: IseeCallContext,
    subject: string,
  ): Promise<{ result: Result; payload: string | null }> {
    const started = performance.now();
    let requestId: number | null = null;
    try {
      const out = await policy.run(
        async () => {
          const client = await clientFor(ctx.operatorId);
          const voucher = await deps.vouchers.voucher({ purposeId: config.purposeId });
          let res: unknown[];
          try {
            res = await (
              client as unknown as Record<
                string,
                (a: object, o: object, h: object) => Promise<unknown[]>
              >
            )[`${operation}Async`]!(
              args,
              { timeout: config.timeoutMs },
              { Authorization: `Bearer ${voucher.token}` },
            );
          } catch (e) {
            const err = mapSoapFailure(e, 'isee', operation);
            // INPS refuses an expired voucher with a client fault: dropped, the retry asks anew.
            if (err.code === 'SOAP_FAULT' && /expired|scadut/i.test(err.message)) {
              deps.vouchers.forget({ purposeId: config.purposeId });
              throw new ConnectorError('VOUCHER_EXPIRED', err.message, {
                counterpart: 'isee',
                cause: e,
              });
            }
            throw err;
          }
          const result = ((res[0] as Record<string, Result> | null)?.[`${operation}Result`] ??
            {}) as Result;
          requestId = result.IdRichiesta === undefined ? null : Number(result.IdRichiesta);
          if (result.Esito !== 'OK')
            throw mapIseeEsito(String(result.Esito), result.DescrizioneErrore, operation);
          const b64 =
            result[
              operation === 'ConsultazioneIndicatore'
                ? 'XmlEsitoIndicatore'
                : 'XmlEsitoAttestazione'
            ];
          const payload =
            typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : null;
          const xsd =
            operation === 'ConsultazioneIndicatore'
              ? SPEC.iseeEsitoIndicatore
              : SPEC.iseeEsitoAttestazione;
          const check =
            payload === null
              ? { ok: false as const, errors: ['no payload'] }
              : await validateXml(payload, xsd);
          if (!check.ok) {
            throw new ConnectorError(
              'RESPONSE_INVALID',
              `INPS ${operation}: payload not valid against its XSD`,
              {
                counterpart: 'isee',
                field: check.errors[0],
              },
            );
          }
          return { result, payload };
        },
        { idempotent: true },
      );
      deps.onExchange?.({
        counterpart: 'isee',
        operation,
        operatorId: ctx.operatorId,
        reason: ctx.reason,
        subject,
        requestId,
        outcome: 'ok',
        ms: Math.round(performance.now() - started),
      });
      return out;
    } catch (e) {
      deps.onExchange?.({
        counterpart: 'isee',
        operation,
        operatorId: ctx.operatorId,
        reason: ctx.reason,
        subject,
        requestId,
        outcome: isConnectorError(e) ? e.code : 'ERROR',
        ms: Math.round(performance.now() - started),
      });
      throw e;
    }
  }

  const source = (service: string, result: Result) => ({
    counterpart: 'INPS' as const,
    service,
    requestId: Number(result.IdRichiesta),
    retrievedAt: new Date().toISOString(),
  });

  return {
    policy,
    config,
    async indicator(
      taxCode: string,
      type: IseeIndicatorType,
      ctx: IseeCallContext,
    ): Promise<IseeIndicator> {
      const { result, payload } = await call(
        'ConsultazioneIndicatore',
        { request: { TipoIndicatore: type, RicercaCF: { CodiceFiscale: taxCode } } },
        ctx,
        taxCode,
      );
      return mapIndicatore(payload!, source('ConsultazioneIndicatore', result));
    },
    async attestation(taxCode: string, ctx: IseeCallContext): Promise<IseeAttestation> {
      const { result, payload } = await call(
        'ConsultazioneAttestazione',
        { request: { RicercaCF: { CodiceFiscale: taxCode } } },
        ctx,
        taxCode,
      );
      return mapAttestazione(payload!, source('ConsultazioneAttestazione', result));
    },
  };
}

export type IseeClient = ReturnType<typeof createIseeClient>;
