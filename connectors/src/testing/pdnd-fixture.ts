import { randomUUID } from 'node:crypto';
import { exportPKCS8, generateKeyPair } from 'jose';
import type { PdndConfigInput } from '../pdnd/config-schema.ts';
import type { RegisteredClient } from '../simulators/pdnd-token-server.ts';

export const ASSERTION_AUDIENCE = 'sim.interop.pagopa.it/client-assertion';

/**
 * A PDND client as the back-office would register it: a fresh RSA key pair, its kid, and the
 * purposes approved for it. Used by tests and by the simulators' loopback start-up; a real hub
 * reads its key from configuration.
 */
export async function createPdndClientFixture(purposes: Record<string, string>) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const clientId = randomUUID();
  const kid = `kid-${clientId.slice(0, 8)}`;
  const registered: RegisteredClient = { clientId, kid, publicKey, purposes };
  const privateKeyPem = await exportPKCS8(privateKey);
  return {
    registered,
    publicKey,
    config: (tokenUrl: string): PdndConfigInput => ({
      tokenUrl,
      assertionAudience: ASSERTION_AUDIENCE,
      clientId,
      kid,
      privateKeyPem,
      alg: 'RS256',
    }),
  };
}
