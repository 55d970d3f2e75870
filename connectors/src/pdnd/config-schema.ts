import { z } from 'zod';

/**
 * What a hub needs to ask PDND for vouchers: the client registered in the PDND back-office,
 * the key whose public half is registered on it, and one purpose (finalità) per e-service.
 * The private key is read from configuration and never logged (`describePdndConfig`).
 */
export const pdndConfigSchema = z.object({
  /** `https://auth.interop.pagopa.it/token.oauth2` in production (confirm in the back-office). */
  tokenUrl: z.url(),
  /** The audience of the client assertion, e.g. `auth.interop.pagopa.it/client-assertion`. */
  assertionAudience: z.string().min(1),
  clientId: z.string().min(1),
  /** The `kid` of the key registered on the PDND client. */
  kid: z.string().min(1),
  /** PKCS#8 PEM of that key. */
  privateKeyPem: z
    .string()
    .includes('PRIVATE KEY', { message: 'expected a PKCS#8 PEM private key' }),
  alg: z.enum(['RS256', 'ES256']).default('RS256'),
  /** Lifetime of each client assertion we sign, in seconds. */
  assertionTtlSeconds: z.number().int().min(10).max(600).default(120),
  /** A cached voucher is renewed this many seconds before it expires. */
  renewBeforeSeconds: z.number().int().min(0).max(300).default(30),
  requestTimeoutMs: z.number().int().min(100).default(5000),
});

export type PdndConfig = z.output<typeof pdndConfigSchema>;
export type PdndConfigInput = z.input<typeof pdndConfigSchema>;

/** The configuration as it may be logged: no key material. */
export const describePdndConfig = (c: PdndConfig) => ({
  tokenUrl: c.tokenUrl,
  clientId: c.clientId,
  kid: c.kid,
  alg: c.alg,
});
