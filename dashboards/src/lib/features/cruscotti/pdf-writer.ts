// A minimal PDF writer: a landscape A4 table in Helvetica (WinAnsi, so Italian accents and €
// print), paged, with the notes under it. Enough for the explorer's PDF export, without a PDF
// library in the page's bundle.

const W = 842;
const H = 595;
const MARGIN = 36;
const ROW = 14;

/** A string as WinAnsi bytes in a PDF literal: accents kept, € mapped, others replaced. */
function literal(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 63;
    let byte: number;
    if (ch === '€') byte = 0x80;
    else if (ch === '–') byte = 0x96;
    else if (ch === '’') byte = 0x92;
    else if (ch === '…') byte = 0x85;
    else if (code >= 32 && code < 127) byte = code;
    else if (code >= 160 && code < 256) byte = code;
    else byte = 63;
    const c = String.fromCharCode(byte);
    out += c === '(' || c === ')' || c === '\\' ? `\\${c}` : c;
  }
  return `(${out})`;
}

/** Helvetica's width is about half the font size per character on average. */
function fit(s: string, width: number, size: number): string {
  const max = Math.max(1, Math.floor(width / (size * 0.52)));
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function pdfTable(
  title: string,
  header: string[],
  rows: string[][],
  notes: string[],
): Uint8Array {
  const usable = W - 2 * MARGIN;
  const lens = header.map((h, i) =>
    Math.max(h.length, ...rows.slice(0, 300).map((r) => (r[i] ?? '').length), 4),
  );
  const sum = lens.reduce((a, b) => a + b, 0);
  const widths = lens.map((l) => (l / sum) * usable);
  const perPage = Math.floor((H - 2 * MARGIN - 40) / ROW);
  const pages: string[] = [];
  const line = (cells: string[], y: number, font: string) => {
    let x = MARGIN;
    let s = '';
    cells.forEach((c, i) => {
      const w = widths[i] ?? 40;
      s += `BT /${font} 8 Tf ${x.toFixed(1)} ${y} Td ${literal(fit(c, w - 4, 8))} Tj ET\n`;
      x += w;
    });
    return s;
  };
  const chunks: string[][][] = rows.length === 0 ? [[]] : [];
  for (let i = 0; i < rows.length; i += perPage) chunks.push(rows.slice(i, i + perPage));
  chunks.forEach((chunk, pi) => {
    let y = H - MARGIN - 12;
    let s = `BT /F2 13 Tf ${MARGIN} ${y} Td ${literal(fit(title, usable, 13))} Tj ET\n`;
    s += `BT /F1 8 Tf ${W - MARGIN - 70} ${MARGIN - 14} Td ${literal(`Pagina ${pi + 1} di ${chunks.length}`)} Tj ET\n`;
    y -= 24;
    s += line(header, y, 'F2');
    s += `${MARGIN} ${y - 4} m ${W - MARGIN} ${y - 4} l S\n`;
    for (const r of chunk) {
      y -= ROW;
      s += line(r, y, 'F1');
    }
    if (pi === chunks.length - 1)
      for (const n of notes) {
        y -= ROW;
        if (y < MARGIN) break;
        s += `BT /F1 7 Tf ${MARGIN} ${y} Td ${literal(fit(n, usable, 7))} Tj ET\n`;
      }
    pages.push(s);
  });
  // Objects: 1 catalog, 2 pages, 3-4 fonts, then a page and its content for each page.
  const objects: string[] = [];
  const kids = pages.map((_, i) => `${5 + i * 2} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  objects.push(
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
  );
  pages.forEach((content, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${W} ${H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${6 + i * 2} 0 R >>`,
    );
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}endstream`);
  });
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Every character above is one byte (WinAnsi), so the offsets are byte offsets.
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i) & 0xff;
  return bytes;
}
