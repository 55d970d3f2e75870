import { ApiError, NETWORK_ERROR, SESSION_EXPIRED } from './api-error.ts';

type GraphQLAnswer<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
};

export type ClientDeps = {
  /** The bearer token, held in memory by the session (never in web storage). */
  token: () => string | null;
  /** Called when the API says the session is gone: the page stays, a login is asked over it. */
  onExpired: () => void;
  baseUrl?: string | undefined;
};

const TIMEOUT_MS = 30_000;

/** GraphQL over HTTP (POST /graphql, JSON); the first error becomes an ApiError. */
export function createGraphQLClient(deps: ClientDeps) {
  const base = deps.baseUrl ?? '';

  /** `anonymous`: no token sent (the login, which an expired token would spoil). */
  async function request<T>(
    query: string,
    variables: Record<string, unknown> = {},
    options: { anonymous?: boolean } = {},
  ): Promise<T> {
    const token = options.anonymous ? null : deps.token();
    let res: Response;
    try {
      res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new ApiError(NETWORK_ERROR, 'connessione non riuscita');
    }
    let body: GraphQLAnswer<T>;
    try {
      body = (await res.json()) as GraphQLAnswer<T>;
    } catch {
      throw new ApiError('INTERNAL_SERVER_ERROR', `risposta non valida (HTTP ${res.status})`);
    }
    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
      if (code === SESSION_EXPIRED && token) deps.onExpired();
      throw new ApiError(code, first.message, first.extensions?.field ?? null);
    }
    if (!body.data) throw new ApiError('INTERNAL_SERVER_ERROR', 'risposta vuota');
    return body.data;
  }

  /** A REST export (xlsx, csv, pdf) fetched with the token and handed to the browser as a file. */
  async function download(path: string, fileName: string): Promise<void> {
    const token = deps.token();
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    } catch {
      throw new ApiError(NETWORK_ERROR, 'connessione non riuscita');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as {
        error?: { code: string; message: string; field: string | null };
      } | null;
      if (res.status === 401 && token) deps.onExpired();
      throw new ApiError(
        body?.error?.code ?? 'INTERNAL_SERVER_ERROR',
        body?.error?.message ?? `HTTP ${res.status}`,
        body?.error?.field ?? null,
      );
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return { request, download };
}
export type GraphQLClient = ReturnType<typeof createGraphQLClient>;
