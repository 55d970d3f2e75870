import { hash, verify } from '@node-rs/argon2';

// argon2id with @node-rs/argon2's defaults (m=19 MiB, t=2, p=1: OWASP's minimum), ~0.1 s a hash here.
export const hashPassword = (password: string): Promise<string> => hash(password);

export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password).catch(() => false);
