import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { ConnectorError } from '../errors.ts';

export type VoucherClaims = JWTPayload & {
  client_id?: string;
  purposeId?: string;
  digest?: { alg: string; value: string };
};

export type VoucherVerifierConfig = {
  /** PDND's keys: a JWKS as published at `/.well-known/jwks.json`, or its URL. */
  keys: JSONWebKeySet | URL;
  issuer: string;
  /** The audience PDND puts in vouchers for our e-service. */
  audience: string;
  clockToleranceSeconds?: number;
};

/**
 * The provider's check of an incoming PDND voucher (Allegato 3, "Verifica del Voucher da parte
 * dell'Erogatore"): PDND's signature, the issuer, our audience, the expiry. For the gateway's
 * WaaS API, which INPS calls through PDND.
 *
 * @example
 * const verify = createVoucherVerifier({ keys: new URL('https://…/.well-known/jwks.json'),
 *   issuer: 'interop.pagopa.it', audience: 'https://hub.example/waas/v1' });
 * const claims = await verify(c.req.header('authorization'));
 */
export function createVoucherVerifier(config: VoucherVerifierConfig) {
  const jwks =
    config.keys instanceof URL ? createRemoteJWKSet(config.keys) : createLocalJWKSet(config.keys);
  return async function verifyVoucher(authorization: string | undefined): Promise<VoucherClaims> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) {
      throw new ConnectorError('VOUCHER_INVALID', 'no bearer voucher', { field: 'Authorization' });
    }
    try {
      const { payload } = await jwtVerify(m[1]!, jwks, {
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'iat', 'jti'],
      });
      return payload as VoucherClaims;
    } catch (cause) {
      if (cause instanceof joseErrors.JWTExpired) {
        throw new ConnectorError('VOUCHER_EXPIRED', 'the voucher has expired', {
          field: 'Authorization',
          cause,
        });
      }
      throw new ConnectorError('VOUCHER_INVALID', `voucher refused: ${(cause as Error).message}`, {
        field: 'Authorization',
        cause,
      });
    }
  };
}
