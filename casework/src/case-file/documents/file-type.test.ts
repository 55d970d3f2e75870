import { describe, expect, it } from 'vitest';
import { CaseworkError } from '../../errors.ts';
import { bytes, SAMPLES, zip } from './file-samples.ts';
import { checkUpload, MAX_DOCUMENT_BYTES, sniff } from './file-type.ts';

function refusal(fn: () => unknown): CaseworkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CaseworkError);
    return e as CaseworkError;
  }
  throw new Error('expected a refusal');
}

describe('file types', () => {
  it.each(Object.entries(SAMPLES))('should recognise %s by its bytes', (kind, content) => {
    expect(sniff(content)).toBe(kind);
  });

  it.each([
    ['relazione.pdf', SAMPLES.pdf, 'application/pdf'],
    ['FOTO.JPG', SAMPLES.jpeg, 'image/jpeg'],
    ['foto.jpeg', SAMPLES.jpeg, 'image/jpeg'],
    ['scan.png', SAMPLES.png, 'image/png'],
    ['lettera.odt', SAMPLES.odt, 'application/vnd.oasis.opendocument.text'],
    [
      'lettera.docx',
      SAMPLES.docx,
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['note.txt', SAMPLES.txt, 'text/plain'],
  ])('should accept %s', (name, content, mediaType) => {
    expect(checkUpload(name, content).mediaType).toBe(mediaType);
  });

  it.each([
    ['an executable', 'setup.exe', bytes('MZ\x90\x00\x03')],
    ['an executable renamed as PDF', 'relazione.pdf', bytes('MZ\x90\x00\x03\x00\x00\x00')],
    ['a PNG named as PDF', 'relazione.pdf', SAMPLES.png],
    [
      'a spreadsheet named as ODT',
      'foglio.odt',
      zip([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet']]),
    ],
    ['a ZIP named as DOCX', 'archivio.docx', zip([['a.txt', 'x']])],
    [
      'a Word file with macros',
      'lettera.docx',
      zip([
        ['[Content_Types].xml', '<Types/>'],
        ['word/document.xml', '<w:document/>'],
        ['word/vbaProject.bin', 'x'],
      ]),
    ],
    [
      'a PDF with JavaScript',
      'modulo.pdf',
      bytes('%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>'),
    ],
    [
      'a PDF that launches a program',
      'modulo.pdf',
      bytes('%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >>'),
    ],
    ['binary data named as text', 'note.txt', bytes([0x00, 0x01, 0x02, 0x41])],
    ['an HTML page', 'pagina.html', bytes('<html><script>alert(1)</script></html>')],
    ['a file without extension', 'relazione', SAMPLES.pdf],
  ])('should refuse %s with FORBIDDEN_FILE_TYPE', (_label, name, content) => {
    expect(refusal(() => checkUpload(name, content)).code).toBe('FORBIDDEN_FILE_TYPE');
  });

  it('should refuse a file over the size limit with FILE_TOO_LARGE', () => {
    const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1);
    big.set(SAMPLES.pdf);
    const err = refusal(() => checkUpload('grande.pdf', big));
    expect([err.code, err.field]).toEqual(['FILE_TOO_LARGE', 'input.content']);
  });

  it('should accept a file exactly at the size limit', () => {
    const max = new Uint8Array(MAX_DOCUMENT_BYTES).fill(0x41);
    expect(checkUpload('lungo.txt', max).kind).toBe('txt');
  });

  it('should refuse an empty file', () => {
    expect(refusal(() => checkUpload('vuoto.txt', new Uint8Array())).code).toBe('BAD_USER_INPUT');
  });
});
