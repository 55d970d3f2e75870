import cube, { type CubeApi, type Query, RequestError } from '@cubejs-client/core';
import type { Session } from '../../api/session.svelte.ts';
import { it } from '../../i18n/it.ts';

// The data layer of the cruscotti and the explorer: `@cubejs-client/core` against the hub's
// Cube-compatible REST API (gateway/src/rest/cubes.ts), with the session's token. The answers
// keep what the hub adds to Cube's (provenance, disclosure), and every refusal becomes one plain
// Italian sentence (`CubeFailure`), never a stack or a code.

export type Row = Record<string, string | number | null>;

export type Provenance = {
  source: string;
  build: string;
  loadedAt: string;
  lastChangeSeq: number;
  lastChangeAt: string | null;
};

export type Disclosure = {
  k: number;
  dominance: { n: number; k: number };
  suppressed: number;
  byReason: { frequency: number; dominance: number; complementary: number };
  unresolved: number;
};

export type CubeAnswer = {
  rows: Row[];
  lastRefreshTime: string;
  provenance: Provenance | null;
  /** Null for a caller whose numbers are not protected; then a null value is only missing. */
  disclosure: Disclosure | null;
};

export type MetaMember = { name: string; title: string; type: string; parent?: string };
export type MetaCube = {
  name: string;
  title: string;
  measures: MetaMember[];
  dimensions: MetaMember[];
};

export class CubeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CubeFailure';
  }
}

/** The sentence a manager reads for a refused or failed query. */
export function failureMessage(code: string, serverMessage: string): string {
  const m = it.cubes.errors;
  switch (code) {
    case 'FORBIDDEN':
      return m.forbidden;
    case 'UNAUTHENTICATED':
      return m.unauthenticated;
    case 'WAREHOUSE_NOT_LOADED':
      return m.notLoaded;
    case 'CUBE_NOT_PROTECTABLE':
      return m.notProtectable;
    case 'CUBE_QUERY_TOO_COSTLY':
    case 'CUBE_LIMIT_TOO_LARGE':
      return m.tooCostly;
    case 'CUBE_UNKNOWN_MEMBER':
      return m.unknownMember;
    case 'NETWORK_ERROR':
      return m.network;
    default:
      return m.generic(serverMessage);
  }
}

function asFailure(err: unknown): CubeFailure {
  if (err instanceof CubeFailure) return err;
  if (err instanceof RequestError) {
    const body = (err.response ?? {}) as { code?: string; error?: string };
    const code = body.code ?? (err.status === 403 ? 'FORBIDDEN' : 'INTERNAL_SERVER_ERROR');
    return new CubeFailure(code, failureMessage(code, body.error ?? err.message));
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = /fetch|network/i.test(message) ? 'NETWORK_ERROR' : 'INTERNAL_SERVER_ERROR';
  return new CubeFailure(code, failureMessage(code, message));
}

type RawResult = {
  data: Row[];
  lastRefreshTime: string;
  provenance?: Provenance;
  disclosure?: Disclosure | null;
};

export type CubeClient = {
  /** One answer per date range (one unless the query compares ranges). */
  load(query: Query): Promise<CubeAnswer[]>;
  meta(): Promise<MetaCube[]>;
  /** The name of each code of a member (`district` → `districtName`), from a query without
   * measures: asked beside a measure, a name joined through the municipality would split off
   * the records without one into a small cell and suppress its sibling with it. */
  labels(code: string, name: string): Promise<Map<string, string>>;
};

export function createCubeClient(session: Session, apiUrl = '/cubejs-api/v1'): CubeClient {
  const token = async () => session.token ?? '';
  // Queries are POSTed (a pivot's filters would make a long URL); /meta is GET only.
  const api: CubeApi = cube(token, { apiUrl, method: 'POST', fetchTimeout: 60_000 });
  const metaApi: CubeApi = cube(token, { apiUrl, fetchTimeout: 60_000 });
  let metaOnce: Promise<MetaCube[]> | null = null;
  const labelCache = new Map<string, Promise<Map<string, string>>>();
  const expired = (e: CubeFailure) => {
    if (e.code === 'UNAUTHENTICATED') session.markExpired();
    return e;
  };
  return {
    async load(query) {
      try {
        const rs = await api.load(query);
        const results = (rs.serialize().loadResponse as unknown as { results: RawResult[] })
          .results;
        return results.map((r) => ({
          rows: r.data,
          lastRefreshTime: r.lastRefreshTime,
          provenance: r.provenance ?? null,
          disclosure: r.disclosure ?? null,
        }));
      } catch (err) {
        throw expired(asFailure(err));
      }
    },
    labels(code, name) {
      const k = `${code}|${name}`;
      let p = labelCache.get(k);
      if (!p) {
        p = this.load({ dimensions: [code, name], limit: 5000 }).then((answers) => {
          const map = new Map<string, string>();
          for (const r of answers[0]?.rows ?? []) {
            const c = r[code];
            const n = r[name];
            if (c !== null && c !== undefined && n !== null && n !== undefined)
              map.set(String(c), String(n));
          }
          return map;
        });
        p.catch(() => labelCache.delete(k));
        labelCache.set(k, p);
      }
      return p;
    },
    meta() {
      metaOnce ??= metaApi
        .meta()
        .then((m) =>
          m.cubes.map((c) => ({
            name: c.name,
            title: c.title,
            measures: c.measures.map((x) => ({ name: x.name, title: x.title, type: x.type })),
            dimensions: c.dimensions.map((x) => {
              const parent = (x as { meta?: { parent?: string } }).meta?.parent;
              return { name: x.name, title: x.title, type: x.type, ...(parent ? { parent } : {}) };
            }),
          })),
        )
        .catch((err) => {
          metaOnce = null;
          throw expired(asFailure(err));
        });
      return metaOnce;
    },
  };
}

/** Whether the meta has every one of these members (`cube.member`). */
export function hasMembers(meta: readonly MetaCube[], members: readonly string[]): boolean {
  return members.every((name) => {
    const c = meta.find((x) => x.name === name.split('.')[0]);
    return !!c && [...c.measures, ...c.dimensions].some((m) => m.name === name);
  });
}

export function memberTitle(meta: readonly MetaCube[], name: string): string {
  const c = meta.find((x) => x.name === name.split('.')[0]);
  return (
    [...(c?.measures ?? []), ...(c?.dimensions ?? [])].find((m) => m.name === name)?.title ?? name
  );
}
