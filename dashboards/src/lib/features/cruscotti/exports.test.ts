import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type DataTable, SUPPRESSED } from './data-table.ts';
import { tableCsv, tablePdf, tableXlsx } from './exports.ts';
import { crc32 } from './xlsx-writer.ts';

const table: DataTable = {
  title: 'Accessi per zona sociale',
  columns: [
    { label: 'Zona sociale', format: 'text' },
    { label: 'Accessi', format: 'number' },
    { label: 'Spesa', format: 'euro' },
  ],
  rows: [
    ['Zona sociale 2 – Perugia', 120, 1534.5],
    ['Zona sociale 10 – Terni', SUPPRESSED, null],
    ['=SOMMA(A1)', 3, 0],
  ],
  notes: ['Dati aggiornati al 1 dicembre 2026', 'Dato oscurato per la tutela della riservatezza.'],
};

describe('the exports of a table', () => {
  it('should write CSV with a decimal comma, "oscurato" for a suppressed cell and no formula', () => {
    const csv = tableCsv(table);
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Zona sociale;Accessi;Spesa');
    expect(lines[1]).toBe('Zona sociale 2 – Perugia;120;1534,5');
    expect(lines[2]).toBe('Zona sociale 10 – Terni;oscurato;');
    expect(lines[3]).toBe("'=SOMMA(A1);3;0");
    expect(lines).toContain('Dati aggiornati al 1 dicembre 2026');
  });

  it('should write an XLSX that a spreadsheet library opens with the same cells', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(tableXlsx(table)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Accessi per zona sociale');
    expect(ws.getCell('A1').value).toBe('Zona sociale');
    expect(ws.getCell('B2').value).toBe(120);
    expect(ws.getCell('C2').value).toBe(1534.5);
    expect(ws.getCell('B3').value).toBe('oscurato');
    expect(ws.getCell('A4').value).toBe('=SOMMA(A1)');
    expect(ws.getCell('A6').value).toBe('Dati aggiornati al 1 dicembre 2026');
  });

  it('should write a PDF whose cross-reference table points at its objects', () => {
    const bytes = tablePdf(table);
    const text = String.fromCharCode(...bytes);
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    const xref = Number(text.match(/startxref\n(\d+)/)?.[1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const first = Number(text.slice(xref).match(/\n(\d{10}) 00000 n/)?.[1]);
    expect(text.slice(first, first + 7)).toBe('1 0 obj');
    expect(text).toContain('(oscurato)');
    // "–" and "€" in WinAnsi, one byte each.
    expect(text).toContain('(Zona sociale 2 \x96 Perugia)');
    expect(text).toContain('\x80');
  });

  it('should compute the CRC-32 of the ZIP entries', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
