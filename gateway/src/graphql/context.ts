import type { Actor, Db, Origin } from '@hub/casework';
import type { TokenService } from '../auth/tokens.ts';

export type Session = { jti: string; expiresAt: Date };

export type GraphQLContext = {
  db: Db;
  /** null for an anonymous request (only login and the schema are open to it). */
  actor: Actor | null;
  session: Session | null;
  origin: Origin;
  tokens: TokenService;
  /** Forget a cached actor (after logout). */
  forgetSession(jti: string): void;
};
