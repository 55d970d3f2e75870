import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { ConnectorError, isConnectorError } from '../errors.ts';
import { digestHeader, signIntegrity, signTrackingEvidence } from '../pdnd/modi.ts';
import type { VoucherClient } from '../pdnd/voucher-client.ts';
import { type CounterpartPolicy, createPolicy } from '../resilience/policy.ts';
import { parseConfig } from '../shared/config.ts';
import { openApiValidator } from '../shared/openapi-validator.ts';
import { type AnprConfig, type AnprConfigInput, anprConfigSchema } from './config-schema.ts';
import { mapAnprFailure } from './errors.ts';
import { ANPR_SERVICES, type AnprServiceCode, E002 } from './services.ts';
import type { RichiestaE002, RispostaE002OK } from './types.ts';

/** Who asks and why: ANPR demands the reason, AUDIT_REST_02 the operator and workstation. */
export type AnprCallContext = {
  /** `motivoRichiesta`: the practice or protocol number the look-up is for. */
  reason: string;
  operatorId: string;
  workstation: string;
  loa?: string;
  /** `dataRiferimentoRichiesta`, default today. */
  referenceDate?: string;
  /** `idOperazioneClient`; C001 needs a numeric, increasing one, the others default to a UUID. */
  operationId?: string;
};

export type AnprSubject = { taxCode: string } | { idAnpr: string };

/** One line per exchange for the caller's audit: who asked what about whom, and why. No secrets. */
export type AnprExchange = {
  counterpart: 'anpr';
  service: AnprServiceCode;
  operatorId: string;
  reason: string;
  subject: string | null;
  operationId: string;
  anprOperationId: string | null;
  outcome: 'ok' | string;
  ms: number;
};

export type AnprClient = {
  consult(
    service: AnprServiceCode,
    subject: AnprSubject | null,
    ctx: AnprCallContext,
  ): Promise<RispostaE002OK>;
  readonly policy: CounterpartPolicy;
  readonly config: AnprConfig;
};

const today = () => new Date().toISOString().slice(0, 10);
const TRACKING_TTL_S = 300;

export function createAnprClient(
  input: AnprConfigInput,
  deps: {
    vouchers: VoucherClient;
    fetch?: typeof fetch;
    policy?: CounterpartPolicy;
    onExchange?: (e: AnprExchange) => void;
  },
): AnprClient {
  const config = parseConfig(anprConfigSchema, input, 'anpr');
  const doFetch = deps.fetch ?? fetch;
  const policy =
    deps.policy ?? createPolicy('anpr', { timeoutMs: config.timeoutMs, retries: config.retries });
  const responseKeys = config.responseKeys
    ? createLocalJWKSet(config.responseKeys as JSONWebKeySet)
    : undefined;
  // A tracking evidence per operator, workstation and e-service, reused while it is valid, so
  // that its voucher (bound to it by digest) is reused too.
  const evidences = new Map<string, { jws: string; until: number }>();

  const urlOf = (service: AnprServiceCode) =>
    `${config.baseUrl.replace(/\/$/, '')}/${ANPR_SERVICES[service].path}${E002}`;
  const audienceOf = (service: AnprServiceCode) =>
    `${(config.audienceBase ?? config.baseUrl).replace(/\/$/, '')}/${ANPR_SERVICES[service].path}`;

  async function trackingEvidence(
    service: AnprServiceCode,
    purposeId: string,
    ctx: AnprCallContext,
  ) {
    const k = `${service}|${ctx.operatorId}|${ctx.workstation}|${ctx.loa ?? config.defaultLoA}`;
    const hit = evidences.get(k);
    if (hit && hit.until > Date.now()) return hit.jws;
    const jws = await signTrackingEvidence(await deps.vouchers.signingKey(), {
      audience: audienceOf(service),
      purposeId,
      userID: ctx.operatorId,
      userLocation: ctx.workstation,
      LoA: ctx.loa ?? config.defaultLoA,
      ttlSeconds: TRACKING_TTL_S,
    });
    if (evidences.size > 5000) evidences.clear();
    evidences.set(k, { jws, until: Date.now() + (TRACKING_TTL_S - 60) * 1000 });
    return jws;
  }

  async function verifyResponse(res: Response, text: string, service: AnprServiceCode) {
    if (!responseKeys) return;
    const sig = res.headers.get('agid-jwt-signature');
    const digest = res.headers.get('digest');
    if (!sig || !digest) {
      throw new ConnectorError('RESPONSE_UNSIGNED', `ANPR ${service}: unsigned answer`, {
        counterpart: 'anpr',
      });
    }
    if (digestHeader(text) !== digest) {
      throw new ConnectorError(
        'DIGEST_MISMATCH',
        `ANPR ${service}: the answer does not match its Digest`,
        {
          counterpart: 'anpr',
        },
      );
    }
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(sig, responseKeys, { clockTolerance: 5 }));
    } catch (cause) {
      throw new ConnectorError('RESPONSE_UNSIGNED', `ANPR ${service}: answer signature refused`, {
        counterpart: 'anpr',
        cause,
      });
    }
    const signed = (claims['signed_headers'] as Record<string, string>[] | undefined) ?? [];
    if (!signed.some((h) => h['digest'] === digest)) {
      throw new ConnectorError('DIGEST_MISMATCH', `ANPR ${service}: Digest not the signed one`, {
        counterpart: 'anpr',
      });
    }
  }

  async function once(
    service: AnprServiceCode,
    body: string,
    purposeId: string,
    ctx: AnprCallContext,
    signal: AbortSignal,
  ): Promise<RispostaE002OK> {
    const spec = ANPR_SERVICES[service];
    const evidence = await trackingEvidence(service, purposeId, ctx);
    for (let voucherAttempt = 0; ; voucherAttempt++) {
      const voucher = await deps.vouchers.voucher({ purposeId, trackingEvidence: evidence });
      const digest = digestHeader(body);
      const signature = await signIntegrity(await deps.vouchers.signingKey(), {
        audience: audienceOf(service),
        digest,
        contentType: 'application/json',
      });
      let res: Response;
      try {
        res = await doFetch(urlOf(service), {
          method: 'POST',
          headers: {
            authorization: `Bearer ${voucher.token}`,
            'agid-jwt-signature': signature,
            'agid-jwt-trackingevidence': evidence,
            digest,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body,
          signal,
        });
      } catch (cause) {
        if (signal.aborted) throw cause;
        throw new ConnectorError('COUNTERPART_UNAVAILABLE', `ANPR ${service}: unreachable`, {
          counterpart: 'anpr',
          cause,
        });
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (res.ok) {
        await verifyResponse(res, text, service);
        const check = openApiValidator(spec.responseSpec).validate('RispostaE002OK', json);
        if (json === undefined || !check.ok) {
          throw new ConnectorError('RESPONSE_INVALID', `ANPR ${service}: answer not as published`, {
            counterpart: 'anpr',
            field: check.ok ? undefined : check.errors[0],
          });
        }
        return json as RispostaE002OK;
      }
      const err = mapAnprFailure(res.status, json, service);
      // A voucher that expired on the way (or was issued stale) is dropped and asked anew once.
      if (err.code === 'VOUCHER_EXPIRED') {
        deps.vouchers.forget({ purposeId, trackingEvidence: evidence });
        if (voucherAttempt === 0) continue;
      }
      throw err;
    }
  }

  return {
    config,
    policy,
    async consult(service, subject, ctx) {
      const purposeId = config.purposes[service];
      if (!purposeId) {
        throw new ConnectorError(
          'CONNECTOR_CONFIG_INVALID',
          `anpr.purposes.${service} is not configured`,
          {
            counterpart: 'anpr',
            field: `purposes.${service}`,
          },
        );
      }
      if (!ctx.reason || ctx.reason.trim() === '') {
        throw new ConnectorError('REASON_REQUIRED', 'ANPR requires the reason of each look-up', {
          counterpart: 'anpr',
          field: 'motivoRichiesta',
          userMessage: 'Indicare il motivo della richiesta (numero di pratica o protocollo).',
        });
      }
      const request: RichiestaE002 = {
        idOperazioneClient: ctx.operationId ?? randomUUID().replaceAll('-', ''),
        criteriRicerca:
          subject === null
            ? {}
            : 'taxCode' in subject
              ? { codiceFiscale: subject.taxCode }
              : { idANPR: subject.idAnpr },
        datiRichiesta: {
          dataRiferimentoRichiesta: ctx.referenceDate ?? today(),
          motivoRichiesta: ctx.reason,
          casoUso: service,
        },
      };
      const body = JSON.stringify(request);
      const started = performance.now();
      const audit = (outcome: string, anprOperationId: string | null) =>
        deps.onExchange?.({
          counterpart: 'anpr',
          service,
          operatorId: ctx.operatorId,
          reason: ctx.reason,
          // The subject is named by its code, as the operator asked; never the voucher or keys.
          subject:
            subject === null ? null : 'taxCode' in subject ? subject.taxCode : subject.idAnpr,
          operationId: request.idOperazioneClient,
          anprOperationId,
          outcome,
          ms: Math.round(performance.now() - started),
        });
      try {
        // Consultations read and C001 answers a repeated id with its earlier answer: idempotent.
        const r = await policy.run((signal) => once(service, body, purposeId, ctx, signal), {
          idempotent: true,
        });
        audit('ok', r.idOperazioneANPR ?? null);
        return r;
      } catch (e) {
        audit(isConnectorError(e) ? e.code : 'ERROR', null);
        throw e;
      }
    },
  };
}
