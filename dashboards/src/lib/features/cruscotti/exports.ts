import {
  type Cell,
  type DataTable,
  formatCell,
  isSuppressed,
  SUPPRESSED_LABEL,
} from './data-table.ts';
import { pdfTable } from './pdf-writer.ts';
import { xlsxWorkbook } from './xlsx-writer.ts';

// CSV, XLSX and PDF of a table, written in the browser from the very cells on the screen: a
// suppressed cell is "oscurato" in every format, and the notes (date of the data, source,
// suppression) travel with the numbers.

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function plain(c: Cell): string {
  if (isSuppressed(c)) return SUPPRESSED_LABEL;
  if (c === null) return '';
  // Italian spreadsheets read a decimal comma.
  if (typeof c === 'number') return String(Math.round(c * 1e6) / 1e6).replace('.', ',');
  return c;
}

export function tableCsv(t: DataTable): string {
  const lines = [t.columns.map((c) => csvCell(c.label)).join(';')];
  for (const r of t.rows) lines.push(r.map((c) => csvCell(plain(c))).join(';'));
  if (t.notes.length) lines.push('', ...t.notes.map((n) => csvCell(n)));
  // A BOM, so that Excel opens the accents as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function tableXlsx(t: DataTable): Uint8Array {
  return xlsxWorkbook(t.title, [
    t.columns.map((c) => ({ text: c.label, bold: true })),
    ...t.rows.map((r) =>
      r.map((c) =>
        isSuppressed(c)
          ? { text: SUPPRESSED_LABEL, italic: true }
          : typeof c === 'number'
            ? { number: c }
            : { text: c ?? '' },
      ),
    ),
    [],
    ...t.notes.map((n) => [{ text: n, italic: true }]),
  ]);
}

export function tablePdf(t: DataTable): Uint8Array {
  return pdfTable(
    t.title,
    t.columns.map((c) => c.label),
    t.rows.map((r) => r.map((c, i) => formatCell(c, t.columns[i]?.format ?? 'text'))),
    t.notes,
  );
}

export function fileName(title: string, ext: string): string {
  const base = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return `${base || 'dati'}.${ext}`;
}

export function download(data: BlobPart, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadTable(t: DataTable, kind: 'csv' | 'xlsx' | 'pdf'): void {
  if (kind === 'csv') download(tableCsv(t), 'text/csv;charset=utf-8', fileName(t.title, 'csv'));
  else if (kind === 'xlsx')
    download(
      tableXlsx(t) as BlobPart,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      fileName(t.title, 'xlsx'),
    );
  else download(tablePdf(t) as BlobPart, 'application/pdf', fileName(t.title, 'pdf'));
}
