import type { Actor, Counterparts, Db, Origin } from '@hub/casework';
import type { CubeEngine, Warehouse } from '@hub/warehouse';
import type { GraphQLError } from 'graphql';
import type { RateKey } from '../auth/authenticate.ts';
import type { Throttles } from '../auth/throttle.ts';
import type { TokenService } from '../auth/tokens.ts';

export type Session = { jti: string; expiresAt: Date };

export type GraphQLContext = {
  db: Db;
  warehouse: Warehouse;
  cubes: CubeEngine;
  /** ANPR, INPS, the health registry as casework's services call them (none configured: null each). */
  counterparts: Counterparts;
  /** null for an anonymous request (only login and the schema are open to it). */
  actor: Actor | null;
  session: Session | null;
  /** The rate bucket the request is charged to (partner clients), by root field. */
  rateKey: RateKey | null;
  origin: Origin;
  tokens: TokenService;
  throttles: Throttles;
  /** Refusals of the schema layer (scope-auth) in this request, audited once it is done. */
  schemaRefusals: { field: string; error: GraphQLError }[];
  /** Forget a cached actor (after logout). */
  forgetSession(jti: string): void;
};
