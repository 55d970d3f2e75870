import { createSecretKey, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export type TokenClaims =
  | { typ: 'operator'; sub: string; jti: string; exp: number }
  | { typ: 'client'; sub: string; jti: string; exp: number; scope: string; rl: number };

export type TokenProblem = 'TOKEN_EXPIRED' | 'INVALID_TOKEN';

const ISSUER = 'siso-hub';

export type TokenService = {
  sign(
    claims:
      | { typ: 'operator'; sub: string }
      | { typ: 'client'; sub: string; scope: string; rl: number },
  ): Promise<{ token: string; expiresAt: Date; jti: string }>;
  verify(
    token: string,
  ): Promise<{ ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem }>;
};

/** Short-lived HS256 tokens: the secret never leaves the server, so no key distribution is needed. */
export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  // A KeyObject made once: jose would otherwise import raw bytes again on every verification.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    async sign(claims) {
      const jti = randomUUID();
      const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setJti(jti)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000), jti };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        if (
          (payload.typ !== 'operator' && payload.typ !== 'client') ||
          !payload.sub ||
          !payload.jti
        ) {
          return { ok: false, problem: 'INVALID_TOKEN' };
        }
        return { ok: true, claims: payload as unknown as TokenClaims };
      } catch (err) {
        return {
          ok: false,
          problem: err instanceof errors.JWTExpired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN',
        };
      }
    },
  };
}
