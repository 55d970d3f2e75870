// What a file is, from its bytes: the name alone proves nothing. Only document and image types a
// case file needs are accepted (PDF, PNG, JPEG, ODT, DOCX, plain text), and not their variants that
// carry active content (PDF with JavaScript or launch actions, Word files with macros).
import { CaseworkError } from '../../errors.ts';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export const ALLOWED_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  odt: 'application/vnd.oasis.opendocument.text',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
} as const;
export type AllowedKind = keyof typeof ALLOWED_TYPES;

const EXTENSIONS: Record<string, AllowedKind> = {
  pdf: 'pdf',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  odt: 'odt',
  docx: 'docx',
  txt: 'txt',
};

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  Buffer.from(bytes.subarray(from, from + length)).toString('latin1');

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((b, i) => bytes[i] === b);

/** Names of the entries of a ZIP file, read from its local headers (no decompression). */
function zipEntryNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 30 <= bytes.length && view.getUint32(offset, true) === 0x04034b50) {
    const flags = view.getUint16(offset + 6, true);
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    names.push(ascii(bytes, offset + 30, nameLength));
    // With a data descriptor the size is only known after the data: fall back to the central directory.
    if (flags & 0x08) break;
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  // The central directory lists every entry, also those written with a data descriptor.
  // End of central directory: 22 bytes plus a comment of at most 65535 bytes, at the end.
  const stop = Math.max(0, bytes.length - 22 - 65_535);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const entries = view.getUint16(i + 10, true);
    let p = view.getUint32(i + 16, true);
    for (
      let e = 0;
      e < entries && p + 46 <= bytes.length && view.getUint32(p, true) === 0x02014b50;
      e++
    ) {
      const n = view.getUint16(p + 28, true);
      const x = view.getUint16(p + 30, true);
      const c = view.getUint16(p + 32, true);
      names.push(ascii(bytes, p + 46, n));
      p += 46 + n + x + c;
    }
    break;
  }
  return [...new Set(names)];
}

function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // Tabs, line feeds, form feeds and carriage returns are text; other control characters are not.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f)
      return false;
  }
  return true;
}

/** The allowed kind the bytes are, or null. */
export function sniff(bytes: Uint8Array): AllowedKind | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // OpenDocument: first entry "mimetype", stored, holding the media type.
    if (
      ascii(bytes, 30, 8) === 'mimetype' &&
      ascii(bytes, 38, ALLOWED_TYPES.odt.length) === ALLOWED_TYPES.odt
    ) {
      return 'odt';
    }
    const names = zipEntryNames(bytes);
    if (names.includes('[Content_Types].xml') && names.includes('word/document.xml')) return 'docx';
    return null;
  }
  return isPlainText(bytes) ? 'txt' : null;
}

/** Active content inside an otherwise allowed type. */
function activeContent(kind: AllowedKind, bytes: Uint8Array): string | null {
  if (kind === 'pdf') {
    const text = Buffer.from(bytes).toString('latin1');
    const m = /\/(JavaScript|JS|Launch|EmbeddedFile)\b/.exec(text);
    return m ? `PDF con contenuto attivo (/${m[1]})` : null;
  }
  if (kind === 'docx' && zipEntryNames(bytes).some((n) => /vbaProject\.bin$/i.test(n))) {
    return 'documento Word con macro';
  }
  return null;
}

/**
 * Checks an upload: size, a name with an allowed extension, content of that same type by its
 * magic bytes, no active content. Returns the media type to store.
 */
export function checkUpload(
  fileName: string,
  bytes: Uint8Array,
  field = 'input',
): { mediaType: string; kind: AllowedKind } {
  if (bytes.length === 0)
    throw new CaseworkError('BAD_USER_INPUT', 'il file è vuoto', `${field}.content`);
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new CaseworkError(
      'FILE_TOO_LARGE',
      `il file supera il limite di ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`,
      `${field}.content`,
      { maxBytes: MAX_DOCUMENT_BYTES, sizeBytes: bytes.length },
    );
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const byName = EXTENSIONS[extension];
  const allowed = 'PDF, PNG, JPEG, ODT, DOCX, TXT';
  if (!byName) {
    throw new CaseworkError(
      'FORBIDDEN_FILE_TYPE',
      `tipo di file non ammesso (ammessi: ${allowed})`,
      `${field}.fileName`,
    );
  }
  const byContent = sniff(bytes);
  if (byContent !== byName) {
    throw new CaseworkError(
      'FORBIDDEN_FILE_TYPE',
      `il contenuto del file non è un ${byName.toUpperCase()} (ammessi: ${allowed})`,
      `${field}.content`,
      { detected: byContent },
    );
  }
  const active = activeContent(byContent, bytes);
  if (active)
    throw new CaseworkError('FORBIDDEN_FILE_TYPE', `${active}: non ammesso`, `${field}.content`);
  return { mediaType: ALLOWED_TYPES[byContent], kind: byContent };
}
