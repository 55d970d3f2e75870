import { ApiError } from './api-error.ts';
import { createGraphQLClient, type GraphQLClient } from './graphql-client.ts';

export type Membership = {
  officeId: string;
  officeName: string;
  organizationId: string;
  organizationName: string;
  role: string;
  contactPointId: string | null;
  contactPointName: string | null;
  maskedGroups: string[];
};

export type Me = { name: string; fullName: string | null; memberships: Membership[] };

const ME_QUERY = `query Me { me { name fullName memberships {
  officeId officeName organizationId organizationName role contactPointId contactPointName maskedGroups
} } }`;

type SessionDeps = { baseUrl?: string | undefined; now?: (() => number) | undefined };

/**
 * The operator's session. The bearer token lives in this object only (never in web storage):
 * a reload asks for the login again. When the token expires the page stays as it is and
 * `expired` asks for the password over it, so no work is lost.
 */
export class Session {
  token = $state<string | null>(null);
  expiresAt = $state<number | null>(null);
  me = $state<Me | null>(null);
  username = $state<string | null>(null);
  expired = $state(false);
  readonly client: GraphQLClient;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #now: () => number;

  constructor(deps: SessionDeps = {}) {
    this.#now = deps.now ?? Date.now;
    this.client = createGraphQLClient({
      token: () => this.token,
      onExpired: () => this.markExpired(),
      baseUrl: deps.baseUrl,
    });
  }

  get signedIn(): boolean {
    return this.token !== null && this.me !== null;
  }

  /** The membership the screens work in: the first one (the desk, for the front desk). */
  get current(): Membership | null {
    return this.me?.memberships[0] ?? null;
  }

  hasRole(...roles: string[]): boolean {
    return this.me?.memberships.some((m) => roles.includes(m.role)) ?? false;
  }

  async login(username: string, password: string): Promise<void> {
    const data = await this.client.request<{
      login: { token: string; expiresAt: string; username: string };
    }>(
      'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt username } }',
      { u: username, p: password },
      { anonymous: true },
    );
    const previous = this.username;
    this.token = data.login.token;
    this.expiresAt = Date.parse(data.login.expiresAt);
    this.username = data.login.username;
    this.expired = false;
    this.#armTimer();
    // A new user after an expiry must not inherit the previous user's screen.
    if (previous && previous !== data.login.username) this.me = null;
    const me = await this.client.request<{ me: Me }>(ME_QUERY);
    this.me = me.me;
  }

  /** Logs in again as the same user after an expiry, keeping the page and its data. */
  async resume(password: string): Promise<void> {
    if (!this.username) throw new ApiError('UNAUTHENTICATED', 'nessun utente da riprendere');
    await this.login(this.username, password);
  }

  async logout(): Promise<void> {
    try {
      if (this.token && !this.expired) await this.client.request('mutation { logout }');
    } catch {
      // The token is forgotten anyway; an unreachable server cannot keep the session alive.
    }
    this.#clear();
  }

  markExpired(): void {
    if (this.token) this.expired = true;
  }

  #armTimer(): void {
    clearTimeout(this.#timer);
    if (this.expiresAt === null) return;
    const left = this.expiresAt - this.#now();
    this.#timer = setTimeout(() => this.markExpired(), Math.max(0, left));
  }

  #clear(): void {
    clearTimeout(this.#timer);
    this.token = null;
    this.expiresAt = null;
    this.me = null;
    this.username = null;
    this.expired = false;
  }
}
