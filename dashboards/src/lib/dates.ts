// Dates as an Italian clerk types them (gg/mm/aaaa) and as the API takes them (aaaa-mm-gg). A
// form keeps what was typed and turns it into the API's Date only when saving, so a half-typed
// or wrong date stays in the field with its message instead of being lost or silently changed.

export type ParsedDate = { ok: true; iso: string | null } | { ok: false };

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * "3/2/2026", "03/02/2026", "03-02-2026", "03.02.2026" → "2026-02-03"; an ISO date pasted as it
 * is passes too; empty → null. A day that does not exist (31/02) is refused, not rolled over.
 */
export function parseItDate(text: string): ParsedDate {
  const s = text.trim();
  if (s === '') return { ok: true, iso: null };
  let d: number;
  let m: number;
  let y: number;
  const it = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (it) [d, m, y] = [Number(it[1]), Number(it[2]), Number(it[3])];
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return { ok: false };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return { ok: false };
  return { ok: true, iso: `${y}-${pad(m)}-${pad(d)}` };
}

/** "2026-02-03" → "03/02/2026"; null or empty → "". */
export function toItDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** An ISO date as the operator reads it in lists and tables: "03/02/2026", or "—" when there is none. */
export const itDate = (iso: string | null | undefined) => toItDate(iso) || '—';

/** What a date field shows once left: the typed date written out in full, or the text as typed. */
export function normaliseItDate(text: string): string {
  const p = parseItDate(text);
  return p.ok && p.iso ? toItDate(p.iso) : text;
}

/** Today, local day (a clerk at 00:30 means today), as gg/mm/aaaa. */
export function todayIt(now = new Date()): string {
  return `${pad(now.getDate())}/${pad(now.getMonth() + 1)}/${now.getFullYear()}`;
}

export type ParsedDates<K extends string> =
  | { ok: true; iso: Record<K, string | null> }
  | { ok: false; field: K; empty: boolean };

/**
 * A form's dates as the API's (null when left empty), or the first, in the order given, that is
 * not a date or is required and empty: the form then sends nothing and says so beside it.
 */
export function parseItDates<K extends string>(
  values: Record<K, string>,
  required: readonly NoInfer<K>[] = [],
): ParsedDates<K> {
  const iso = {} as Record<K, string | null>;
  for (const [field, text] of Object.entries(values) as [K, string][]) {
    const p = parseItDate(text ?? '');
    if (!p.ok) return { ok: false, field, empty: false };
    if (p.iso === null && required.includes(field)) return { ok: false, field, empty: true };
    iso[field] = p.iso;
  }
  return { ok: true, iso };
}
