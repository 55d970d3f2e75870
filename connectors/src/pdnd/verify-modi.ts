import { decodeProtectedHeader, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { ConnectorError, type ConnectorErrorCode } from '../errors.ts';
import { digestHeader, sha256Hex } from './modi.ts';
import type { VoucherClaims } from './verify-voucher.ts';

type PublicKey = Parameters<typeof jwtVerify>[1];

export type ModiVerifierConfig = {
  /** The public key registered on a PDND client, by `kid` (an erogatore gets them from PDND). */
  keyFor(kid: string): Promise<PublicKey | undefined> | PublicKey | undefined;
  /** Our audience, as the consumer puts it in `aud`. */
  audience: string;
  clockToleranceSeconds?: number;
  /** Whether AUDIT_REST_02 is required (ANPR's e-services require it). */
  requireTrackingEvidence?: boolean;
};

export type VerifiedModi = {
  integrity: JWTPayload;
  tracking?: JWTPayload & Record<string, unknown>;
};

const fail = (code: ConnectorErrorCode, message: string, field: string): never => {
  throw new ConnectorError(code, message, { field });
};

/**
 * The provider's side of INTEGRITY_REST_02 and AUDIT_REST_02, steps 8 to 13 of the guideline:
 * the JWS in `Agid-JWT-Signature` is checked (signature by the client's key, `aud`, `iat`/`exp`,
 * `jti` never seen), its `signed_headers` must equal the Digest and Content-Type received, and
 * the Digest must be the body's. The tracking evidence's SHA-256 must be the voucher's `digest`.
 */
export function createModiVerifier(config: ModiVerifierConfig) {
  const seen = new Map<string, number>();
  const remember = (jti: string, exp: number) => {
    const now = Date.now() / 1000;
    if (seen.size > 50_000) for (const [j, e] of seen) if (e < now) seen.delete(j);
    if (seen.has(jti)) fail('SIGNATURE_INVALID', 'jti already used (replay)', 'Agid-JWT-Signature');
    seen.set(jti, exp);
  };

  async function verifyJws(jws: string, header: string): Promise<JWTPayload> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(jws).kid;
    } catch {
      return fail('SIGNATURE_INVALID', `${header} is not a JWS`, header);
    }
    const key = kid ? await config.keyFor(kid) : undefined;
    if (!key) return fail('SIGNATURE_INVALID', `${header}: unknown kid`, header);
    try {
      const { payload } = await jwtVerify(jws, key, {
        audience: config.audience,
        clockTolerance: config.clockToleranceSeconds ?? 5,
        requiredClaims: ['iat', 'exp'],
      });
      return payload;
    } catch (cause) {
      const expired = cause instanceof joseErrors.JWTExpired;
      return fail(
        'SIGNATURE_INVALID',
        `${header}: ${expired ? 'expired' : (cause as Error).message}`,
        header,
      );
    }
  }

  return async function verifyModi(req: {
    headers: Headers;
    body: string;
    voucher?: VoucherClaims;
  }): Promise<VerifiedModi> {
    const digest = req.headers.get('digest');
    const signature = req.headers.get('agid-jwt-signature');
    if (!signature) fail('RESPONSE_UNSIGNED', 'Agid-JWT-Signature missing', 'Agid-JWT-Signature');
    if (!digest) fail('DIGEST_MISMATCH', 'Digest missing', 'Digest');
    const integrity = await verifyJws(signature!, 'Agid-JWT-Signature');
    const signed = Array.isArray(integrity['signed_headers'])
      ? (integrity['signed_headers'] as Record<string, string>[])
      : [];
    const signedValue = (name: string) => {
      for (const h of signed)
        for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return v;
      return undefined;
    };
    if (signedValue('digest') !== digest) {
      fail('DIGEST_MISMATCH', 'Digest differs from the signed one', 'Digest');
    }
    const contentType = req.headers.get('content-type');
    if (contentType && signedValue('content-type') !== contentType) {
      fail('SIGNATURE_INVALID', 'Content-Type differs from the signed one', 'Content-Type');
    }
    if (digestHeader(req.body) !== digest) {
      fail('DIGEST_MISMATCH', 'the body does not match its Digest', 'Digest');
    }
    if (integrity.jti) remember(integrity.jti, integrity.exp ?? 0);

    const evidence = req.headers.get('agid-jwt-trackingevidence');
    if (!evidence) {
      if (config.requireTrackingEvidence) {
        fail('SIGNATURE_INVALID', 'Agid-JWT-TrackingEvidence missing', 'Agid-JWT-TrackingEvidence');
      }
      return { integrity };
    }
    const tracking = await verifyJws(evidence, 'Agid-JWT-TrackingEvidence');
    for (const claim of ['userID', 'userLocation', 'LoA']) {
      if (typeof tracking[claim] !== 'string') {
        fail(
          'SIGNATURE_INVALID',
          `tracking evidence without ${claim}`,
          'Agid-JWT-TrackingEvidence',
        );
      }
    }
    if (req.voucher && req.voucher.digest?.value !== sha256Hex(evidence)) {
      fail(
        'SIGNATURE_INVALID',
        'tracking evidence not bound to the voucher',
        'Agid-JWT-TrackingEvidence',
      );
    }
    return { integrity, tracking: tracking as VerifiedModi['tracking'] };
  };
}
