import { createHash, randomUUID } from 'node:crypto';
import { type CryptoKey, importPKCS8, type KeyObject, SignJWT } from 'jose';

/**
 * The consumer's side of the ModI patterns the ANPR e-services declare: INTEGRITY_REST_02
 * (`Digest` + `Agid-JWT-Signature` over Digest and Content-Type, signed with the key
 * registered on the PDND client) and AUDIT_REST_02 (`Agid-JWT-TrackingEvidence`, whose SHA-256
 * goes into the `digest` claim of the client assertion; see ../pdnd/voucher-client.ts).
 */
export type SigningKey = {
  kid: string;
  alg: 'RS256' | 'ES256';
  key: CryptoKey | KeyObject;
  /** The PDND client id: `iss` of everything we sign. */
  clientId: string;
};

export async function loadSigningKey(c: {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKeyPem: string;
  clientId: string;
}): Promise<SigningKey> {
  return {
    kid: c.kid,
    alg: c.alg,
    clientId: c.clientId,
    key: await importPKCS8(c.privateKeyPem, c.alg),
  };
}

/** RFC 3230 `Digest` of the representation data. */
export function digestHeader(body: string | Uint8Array): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** Who asked, where from, how authenticated: AUDIT_REST_02's three claims. */
export type AuditSubject = { userID: string; userLocation: string; LoA: string };

export async function signTrackingEvidence(
  k: SigningKey,
  input: AuditSubject & { audience: string; purposeId: string; ttlSeconds?: number; now?: number },
): Promise<string> {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  return new SignJWT({
    userID: input.userID,
    userLocation: input.userLocation,
    LoA: input.LoA,
    purposeId: input.purposeId,
  })
    .setProtectedHeader({ alg: k.alg, kid: k.kid, typ: 'JWT' })
    .setIssuer(k.clientId)
    .setAudience(input.audience)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (input.ttlSeconds ?? 300))
    .sign(k.key);
}

/** `Agid-JWT-Signature` for one request body, bound to its Digest and Content-Type. */
export async function signIntegrity(
  k: SigningKey,
  input: {
    audience: string;
    digest: string;
    contentType: string;
    ttlSeconds?: number;
    now?: number;
  },
): Promise<string> {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  return new SignJWT({
    signed_headers: [{ digest: input.digest }, { 'content-type': input.contentType }],
  })
    .setProtectedHeader({ alg: k.alg, kid: k.kid, typ: 'JWT' })
    .setIssuer(k.clientId)
    .setSubject(k.clientId)
    .setAudience(input.audience)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (input.ttlSeconds ?? 60))
    .sign(k.key);
}
