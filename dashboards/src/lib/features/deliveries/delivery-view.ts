// Pure helpers of the deliveries screens: the filters as the API's InterventionFilter and as the
// exports' query string (the same filter: the export holds what the list shows), the paging, and
// what a masked field looks like (absent: a masking desk's page never carries its value).
import { parseItDate } from '../../dates.ts';

export type InterventionFilters = {
  personId: string;
  serviceCode: string;
  providerId: string;
  projectId: string;
  status: string;
  from: string;
  to: string;
};

export const emptyFilters = (): InterventionFilters => ({
  personId: '',
  serviceCode: '',
  providerId: '',
  projectId: '',
  status: '',
  from: '',
  to: '',
});

/**
 * The filled filters only, trimmed; the service code in capitals as the nomenclator writes it;
 * the dates, typed gg/mm/aaaa, as the API's (the list checks them first: a wrong one is left out).
 */
export function interventionFilter(f: InterventionFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, raw] of Object.entries(f) as [keyof InterventionFilters, string][]) {
    const v = raw.trim();
    if (!v) continue;
    if (k === 'from' || k === 'to') {
      const d = parseItDate(v);
      if (d.ok && d.iso) out[k] = d.iso;
    } else out[k] = k === 'serviceCode' ? v.toUpperCase() : v;
  }
  return out;
}

export function exportQuery(filter: Record<string, string>): string {
  const q = new URLSearchParams(filter).toString();
  return q ? `?${q}` : '';
}

export const PAGE_SIZE = 25;

export type Paging = { page: number; pages: number; offset: number };

/** Page `page` (1-based) of `total` rows; a page past the end falls back to the last one. */
export function paging(total: number, page: number, size = PAGE_SIZE): Paging {
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { page: p, pages, offset: (p - 1) * size };
}

/**
 * Whether the caller's desk masks this field of the row: listed in `maskedFields`, or sent as
 * null where the type allows it (the gateway may drop a value without naming it).
 */
export function isMasked(row: { maskedFields?: readonly string[] }, field: string): boolean {
  return row.maskedFields?.includes(field) ?? false;
}

export const personName = (p: { lastName: string | null; firstName: string | null }) =>
  [p.lastName, p.firstName].filter(Boolean).join(' ');

/** "1 mese", "2,5 ore": the quantity with its unit, singular for one. */
export const quantityOf = (
  n: number,
  unit: string,
  labels: { one: Record<string, string>; many: Record<string, string> },
) => `${n.toLocaleString('it-IT')} ${(n === 1 ? labels.one : labels.many)[unit] ?? unit}`;

export const euro = (n: number) =>
  n.toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export type DeliveryFormValues = {
  deliveredOn: string;
  quantity: string;
  amount: string;
  note: string;
};

export const DELIVERY_FORM_FIELDS = ['deliveredOn', 'quantity', 'amount', 'note'] as const;

/** A number typed the Italian way ("1.234,50", "1,5") or the dotted way ("1.5"); null if empty. */
export function parseNumber(s: string): number | null {
  const t = s.trim();
  if (t === '') return null;
  const normal = t.includes(',') ? t.replace(/\./g, '').replace(',', '.') : t;
  return /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : Number.NaN;
}

/**
 * The form as RecordDeliveryInput, or the fields that are not numbers (the only check made here:
 * GraphQL would refuse the whole request without naming the field; every rule is the API's).
 */
export function recordDeliveryInput(
  interventionId: string,
  v: DeliveryFormValues,
):
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; field: 'quantity' | 'amount'; empty: boolean } {
  const quantity = parseNumber(v.quantity);
  if (quantity === null || Number.isNaN(quantity))
    return { ok: false, field: 'quantity', empty: quantity === null };
  const amount = parseNumber(v.amount);
  if (Number.isNaN(amount)) return { ok: false, field: 'amount', empty: false };
  return {
    ok: true,
    input: {
      interventionId,
      deliveredOn: v.deliveredOn,
      quantity,
      ...(amount !== null ? { amount } : {}),
      ...(v.note.trim() ? { note: v.note.trim() } : {}),
    },
  };
}
