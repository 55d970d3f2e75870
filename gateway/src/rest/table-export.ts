import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';

// The same list as Excel, CSV or a PDF table (DESIGN.md section 6): one column spec, three
// renderings, so that every export of the hub reads alike and none loses a column.

export type ExportColumn<R> = {
  header: string;
  /** Excel width in characters; the PDF shares the page in proportion. */
  width: number;
  value: (row: R) => string | number;
  /** Right-aligned, formatted as euro in Excel. */
  money?: boolean;
};

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableCsv<R>(columns: readonly ExportColumn<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(';')];
  for (const r of rows) {
    lines.push(
      columns
        .map((c) => {
          const v = c.value(r);
          // Italian spreadsheets read a decimal comma.
          return csvCell(typeof v === 'number' && c.money ? v.toFixed(2).replace('.', ',') : v);
        })
        .join(';'),
    );
  }
  // The BOM makes Excel read UTF-8; the semicolon is the separator of Italian spreadsheets.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function tableXlsx<R>(
  sheetName: string,
  columns: readonly ExportColumn<R>[],
  rows: readonly R[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SISO hub';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    width: c.width,
    ...(c.money ? { style: { numFmt: '#,##0.00 [$€-410]' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(columns.map((c) => c.value(r)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A landscape A4 table with the header on every page and the page count at the foot. */
export function tablePdf<R>(
  title: string,
  subtitle: string,
  columns: readonly ExportColumn<R>[],
  rows: readonly R[],
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: title },
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const usable = doc.page.width - left - doc.page.margins.right;
  const total = columns.reduce((n, c) => n + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * usable);
  const bottom = () => doc.page.height - doc.page.margins.bottom - 20;
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
    const height = Math.max(
      ...cells.map((text, i) => doc.heightOfString(text, { width: widths[i]! - 4 })),
    );
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (!bold)
        row(
          columns.map((c) => c.header),
          true,
        );
    }
    const y = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      const align = columns[i]!.money ? 'right' : 'left';
      doc.text(text, x + 2, y, { width: widths[i]! - 4, align });
      x += widths[i]!;
    });
    doc.y = y + height + 3;
    doc
      .moveTo(left, doc.y - 1.5)
      .lineTo(left + usable, doc.y - 1.5)
      .lineWidth(0.3)
      .strokeColor('#999999')
      .stroke();
  };
  doc.font('Helvetica-Bold').fontSize(14).text(title);
  doc.font('Helvetica').fontSize(9).text(subtitle).moveDown(0.6);
  row(
    columns.map((c) => c.header),
    true,
  );
  for (const r of rows) {
    row(
      columns.map((c) => {
        const v = c.value(r);
        return typeof v === 'number' && c.money
          ? v.toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
          : String(v);
      }),
      false,
    );
  }
  if (rows.length === 0)
    doc.font('Helvetica').fontSize(9).text('Nessun risultato per i filtri scelti.');
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .font('Helvetica')
      .fontSize(7)
      .text(
        `Pagina ${i + 1} di ${range.count}`,
        left,
        doc.page.height - doc.page.margins.bottom - 8,
        { width: usable, align: 'right', lineBreak: false },
      );
  }
  doc.end();
  return done;
}
