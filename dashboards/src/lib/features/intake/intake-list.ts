// The list's filters as the API's SearchIntakeRecordsInput and as the exports' query string
// (the same filter: the export holds what the list shows).

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
  if (f.from) out.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) out.to = new Date(`${f.to}T00:00:00`).toISOString();
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
