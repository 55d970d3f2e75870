// The list's filters as the API's SearchIntakeRecordsInput and as the exports' query string
// (the same filter: the export holds what the list shows). The dates are typed gg/mm/aaaa; the
// list checks them before asking (FormErrors.takeDates), so a wrong one here is left out.
import { parseItDate } from '../../dates.ts';

export type ListFilters = {
  from: string;
  to: string;
  status: string;
  accessKind: string;
  lastName: string;
  taxCode: string;
};

export function listFilter(f: ListFilters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const from = parseItDate(f.from);
  const to = parseItDate(f.to);
  // The local day's start, as the API's instant.
  if (from.ok && from.iso) out.from = new Date(`${from.iso}T00:00:00`).toISOString();
  if (to.ok && to.iso) out.to = new Date(`${to.iso}T00:00:00`).toISOString();
  if (f.status) out.statuses = [f.status];
  if (f.accessKind) out.accessKinds = [f.accessKind];
  if (f.lastName.trim()) out.subjectLastName = f.lastName.trim();
  if (f.taxCode.trim()) out.subjectTaxCode = f.taxCode.trim().toUpperCase();
  return out;
}

export function exportQuery(f: ListFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(listFilter(f)))
    params.set(k, Array.isArray(v) ? v.join(',') : String(v));
  const q = params.toString();
  return q ? `?${q}` : '';
}
