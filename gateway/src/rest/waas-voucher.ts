import {
  auditAnonymous,
  type ClientActor,
  type Db,
  loadWaasClient,
  type Origin,
} from '@hub/casework';
import { createVoucherVerifier, isConnectorError, type VoucherClaims } from '@hub/connectors';
import type { JSONWebKeySet } from 'jose';
import { sourceKey, type Throttles } from '../auth/throttle.ts';

// INPS calls the WaaS API through PDND: its bearer is a PDND voucher, not a hub token. The
// provider's checks (PDND Linee guida, Allegato 3, "Verifica del Voucher da parte
// dell'Erogatore"): PDND's signature with PDND's key set, PDND as issuer, our e-service as
// audience, expiry (and `exp`, `iat`, `jti` present); then that the voucher was issued to INPS's
// client for the purpose of its agreement, since any other PDND client could ask PDND for a
// voucher of our audience. The voucher then stands for the hub's partner client of INPS, whose
// `siuss:pull` scope the service still checks. Every refusal is audited (as the token refusals
// are: at most so many rows a minute per source).

export type WaasVoucherConfig = {
  /** PDND's key set (its JWKS or the URL where it is published). */
  keys: JSONWebKeySet | URL;
  issuer: string;
  /** The audience PDND writes in vouchers for our WaaS e-service. */
  audience: string;
  /** INPS's PDND client ids (the voucher's `client_id`). */
  clientIds: string[];
  /** The purposes of INPS's agreement (`purposeId`); empty: not checked. */
  purposeIds: string[];
  /** The hub's partner client a valid voucher stands for (holding `siuss:pull`). */
  hubClient: string;
};

export type WaasRefusal = {
  status: 401 | 403;
  title: 'Unauthorized' | 'Forbidden';
  detail: string;
  /** The audit's reason. */
  reason: string;
};

export type WaasVoucherCheck = (
  authorization: string | undefined,
  origin: Origin,
) => Promise<{ actor: ClientActor; claims: VoucherClaims } | { refused: WaasRefusal }>;

const unauthorized = (reason: string, detail: string): WaasRefusal => ({
  status: 401,
  title: 'Unauthorized',
  detail,
  reason,
});
const forbidden = (reason: string, detail: string): WaasRefusal => ({
  status: 403,
  title: 'Forbidden',
  detail,
  reason,
});

export function createWaasVoucherCheck(deps: {
  db: Db;
  config: WaasVoucherConfig;
  throttles: Throttles;
}): WaasVoucherCheck {
  const { config } = deps;
  const verify = createVoucherVerifier({
    keys: config.keys,
    issuer: config.issuer,
    audience: config.audience,
  });

  async function refuse(origin: Origin, refusal: WaasRefusal, claims: VoucherClaims | null) {
    const gate = deps.throttles.audit.admit(sourceKey(origin));
    if (gate.write)
      await auditAnonymous(
        deps.db,
        origin,
        {
          action: 'TOKEN',
          entity: 'PdndVoucher',
          outcome: 'DENIED',
          reason: refusal.reason,
          details: {
            route: 'waas',
            ...(claims
              ? { clientId: claims.client_id ?? null, purposeId: claims.purposeId ?? null }
              : {}),
            ...(gate.suppressed > 0 ? { suppressedBefore: gate.suppressed } : {}),
          },
        },
        claims?.client_id ?? null,
      );
    return { refused: refusal };
  }

  return async (authorization, origin) => {
    if (!authorization)
      return refuse(origin, unauthorized('VOUCHER_MISSING', 'voucher PDND (Bearer) assente'), null);
    let claims: VoucherClaims;
    try {
      claims = await verify(authorization);
    } catch (err) {
      if (!isConnectorError(err)) throw err;
      return refuse(
        origin,
        err.code === 'VOUCHER_EXPIRED'
          ? unauthorized('VOUCHER_EXPIRED', 'voucher PDND scaduto: richiederne uno nuovo a PDND')
          : unauthorized(
              'VOUCHER_INVALID',
              'voucher PDND non valido (firma, emittente, destinatario o scadenza)',
            ),
        null,
      );
    }
    if (!claims.client_id || !config.clientIds.includes(claims.client_id))
      return refuse(
        origin,
        forbidden('VOUCHER_CLIENT', 'voucher PDND rilasciato a un fruitore diverso da INPS'),
        claims,
      );
    if (
      config.purposeIds.length > 0 &&
      (!claims.purposeId || !config.purposeIds.includes(claims.purposeId))
    )
      return refuse(
        origin,
        forbidden('VOUCHER_PURPOSE', "voucher PDND per una finalità diversa dall'accordo WaaS"),
        claims,
      );
    const actor = await loadWaasClient(deps.db, config.hubClient, origin);
    if (!actor)
      return refuse(
        origin,
        forbidden('WAAS_CLIENT_MISSING', 'client WaaS di INPS non configurato o disattivato'),
        claims,
      );
    return { actor, claims };
  };
}
