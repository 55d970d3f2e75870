import type { BenchCell, BenchResult } from '../bench.types.ts';

function cellText(value: BenchCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return String(value);
}

/** A plain-text table: text columns left-aligned, figures right-aligned. */
export function formatResult(result: BenchResult): string {
  const columns = [...new Set(result.rows.flatMap((row) => Object.keys(row)))];
  const numeric = columns.map((c) =>
    result.rows.every(
      (row) => row[c] === undefined || row[c] === null || typeof row[c] === 'number',
    ),
  );
  const cells = result.rows.map((row) => columns.map((c) => cellText(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((line) => line[i]!.length)));
  const pad = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (parts: string[]) => `│ ${parts.map(pad).join(' │ ')} │`;
  const rule = (l: string, m: string, r: string) =>
    `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const out = [
    result.title,
    rule('┌', '┬', '┐'),
    line(columns),
    rule('├', '┼', '┤'),
    ...cells.map(line),
    rule('└', '┴', '┘'),
    ...(result.notes ?? []).map((note) => `  ${note}`),
  ];
  return out.join('\n');
}
