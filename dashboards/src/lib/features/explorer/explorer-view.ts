// A view of the explorer (cube, measures, rows, columns, filters, time range and grain, the
// previous-year comparison) and its place in the URL: `#/esplora?v=<base64url JSON>`, so that a
// saved or shared link reopens exactly the same cells. A link is checked on the way in: what
// does not fit the shape is dropped, never executed.

export type Grain = 'month' | 'quarter' | 'year';
export const GRAINS: Grain[] = ['month', 'quarter', 'year'];

/** The time grain placed among the rows or columns of the pivot. */
export const TIME = '@time';

export type ExplorerView = {
  cube: string;
  measures: string[];
  rows: string[];
  columns: string[];
  filters: { member: string; values: string[] }[];
  /** Empty `from`/`to`: the last 12 complete months. */
  time: { dimension: string; grain: Grain; from: string; to: string } | null;
  compare: boolean;
};

const MEMBER = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
const DAY = /^(\d{4}-\d{2}-\d{2})?$/;

function b64url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(s: string): string {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeView(v: ExplorerView): string {
  return b64url(JSON.stringify(v));
}

const members = (x: unknown, allowTime = false): string[] =>
  Array.isArray(x)
    ? x
        .filter(
          (m): m is string =>
            typeof m === 'string' && (MEMBER.test(m) || (allowTime && m === TIME)),
        )
        .slice(0, 8)
    : [];

export function decodeView(s: string | null): ExplorerView | null {
  if (!s) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(unb64url(s));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (typeof o.cube !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.cube)) return null;
  const t = o.time as Record<string, unknown> | null | undefined;
  const time =
    t &&
    typeof t.dimension === 'string' &&
    MEMBER.test(t.dimension) &&
    GRAINS.includes(t.grain as Grain) &&
    typeof t.from === 'string' &&
    DAY.test(t.from) &&
    typeof t.to === 'string' &&
    DAY.test(t.to)
      ? { dimension: t.dimension, grain: t.grain as Grain, from: t.from, to: t.to }
      : null;
  const filters = Array.isArray(o.filters)
    ? o.filters
        .filter(
          (f): f is { member: string; values: unknown[] } =>
            typeof f === 'object' &&
            f !== null &&
            typeof f.member === 'string' &&
            MEMBER.test(f.member) &&
            Array.isArray(f.values),
        )
        .map((f) => ({
          member: f.member,
          values: f.values.filter((v): v is string => typeof v === 'string').slice(0, 50),
        }))
        .filter((f) => f.values.length > 0)
    : [];
  return {
    cube: o.cube,
    measures: members(o.measures),
    rows: members(o.rows, true),
    columns: members(o.columns, true),
    filters,
    time,
    compare: o.compare === true,
  };
}

export function explorerHref(v: ExplorerView): string {
  return `#/esplora?v=${encodeView(v)}`;
}
