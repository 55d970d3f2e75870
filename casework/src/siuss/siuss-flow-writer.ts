// Streams a SIUSS flow as XML: records in (any async iterable), chunks of text out, so that a
// million deliveries never sit in memory at once. Each benefit is written on a line of its own
// and the writer remembers on which line every record starts (4 bytes a record), so that the
// line numbers xmllint reports map back to the record and the benefit at fault.
import type { SinaData } from '../case-file/assessment/siuss-zod.ts';
import type {
  FlowHeader,
  FlowKind,
  PrestazioneSociale,
  PsRecord,
  RecordOf,
  SinbaRecord,
} from './siuss-record.ts';

export const CASELLARIO_NS = 'http://inps.it/Casellario';

// Characters XML 1.0 does not allow at all (C0 controls but tab, LF and CR; lone surrogates;
// U+FFFE and U+FFFF). They are replaced so the document stays well formed; the pre-validation
// rules refuse the record that carried them, so such a flow is never offered anyway.
// (Built from a string: the linter refuses control characters in a regex literal.)
const CONTROL = ['0000-\\u0008', '000B\\u000C', '000E-\\u001F'].map((r) => `\\u${r}`).join('');
const INVALID_XML_CHAR = new RegExp(
  `[${CONTROL}\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
  'g',
);
const NEEDS_ESCAPE = /[&<>"\t\n\r]/;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // Kept as references: a literal newline in an attribute would be normalised to a space by the
  // parser, and would move every later line (the record map counts lines).
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

export function hasInvalidXmlChar(s: string): boolean {
  INVALID_XML_CHAR.lastIndex = 0;
  return INVALID_XML_CHAR.test(s);
}

/** Escapes a value for a double-quoted attribute or for element text. */
export function escapeXml(s: string): string {
  let out = s;
  if (hasInvalidXmlChar(out)) out = out.replace(INVALID_XML_CHAR, '\uFFFD');
  if (!NEEDS_ESCAPE.test(out)) return out;
  return out.replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c]!);
}

/** xs:decimal text: at most two decimals, no exponent. NaN and Infinity stay visible as such. */
export function decimalText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function attrs(values: Record<string, unknown>, skip: ReadonlySet<string>): string {
  let out = '';
  for (const name in values) {
    if (skip.has(name)) continue;
    const v = values[name];
    if (v === undefined || v === null) continue;
    const text = typeof v === 'number' ? decimalText(v) : String(v);
    out += ` ${name}="${escapeXml(text)}"`;
  }
  return out;
}

const NO_SKIP = new Set<string>();
const BENEFIT_ELEMENTS = new Set(['key', 'SINA']);
const SINA_ELEMENTS = new Set(['NecessitaInterventiSociali', 'InvaliditaCivile']);
const SINBA_ELEMENTS = new Set(['key', 'Prestazioni', 'Famiglia']);

function sinaXml(s: SinaData): string {
  let out = `<SINA${attrs(s, SINA_ELEMENTS)}>`;
  if (s.NecessitaInterventiSociali) {
    out += '<NecessitaInterventiSociali>';
    for (const c of s.NecessitaInterventiSociali.CodicePrestazione)
      out += `<CodicePrestazione>${escapeXml(c)}</CodicePrestazione>`;
    out += '</NecessitaInterventiSociali>';
  }
  if (s.InvaliditaCivile) {
    out += '<InvaliditaCivile>';
    for (const c of s.InvaliditaCivile.InvCiv) out += `<InvCiv>${escapeXml(c)}</InvCiv>`;
    out += '</InvaliditaCivile>';
  }
  return `${out}</SINA>`;
}

function benefitXml(p: PrestazioneSociale): string {
  const open = `<PrestazioniSociali${attrs(p, BENEFIT_ELEMENTS)}`;
  return p.SINA ? `${open}>${sinaXml(p.SINA)}</PrestazioniSociali>` : `${open}/>`;
}

/** The lines of one PS record: the beneficiary, then one line per benefit. */
function psRecordLines(r: PsRecord): string[] {
  let head = `<Beneficiario CodiceFiscale="${escapeXml(r.CodiceFiscale)}">`;
  head += `<Anagrafica${attrs(r.Anagrafica, NO_SKIP)}/>`;
  for (const a of r.Indirizzo) head += `<Indirizzo${attrs(a, NO_SKIP)}/>`;
  const lines = [head];
  for (const p of r.PrestazioniSociali) lines.push(benefitXml(p));
  lines[lines.length - 1] += '</Beneficiario>';
  return lines;
}

function sinbaRecordLines(r: SinbaRecord): string[] {
  let out = `<SINBA${attrs(r, SINBA_ELEMENTS)}><Prestazioni>`;
  for (const c of r.Prestazioni.CodicePrestazione)
    out += `<CodicePrestazione>${escapeXml(c)}</CodicePrestazione>`;
  out += '</Prestazioni><Famiglia>';
  for (const c of r.Famiglia.ComposizioneFamiglia)
    out += `<ComposizioneFamiglia>${escapeXml(c)}</ComposizioneFamiglia>`;
  return [`${out}</Famiglia></SINBA>`];
}

/**
 * Where each record starts: line numbers in a growing typed array (4 bytes a record, about 4 MB
 * for a million), so the map stays small while the keys stay with the caller.
 */
export class FlowLineIndex {
  private starts = new Uint32Array(1024);
  count = 0;
  /** The last line of the document (the closing tag). */
  lastLine = 0;

  push(line: number) {
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = line;
  }

  /** The record (0-based, in write order) and its benefit (0-based; -1: the beneficiary line). */
  locate(line: number): { ordinal: number; benefit: number } | null {
    if (this.count === 0 || line < this.starts[0]! || line >= this.lastLine) return null;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= line) lo = mid;
      else hi = mid - 1;
    }
    return { ordinal: lo, benefit: line - this.starts[lo]! - 1 };
  }
}

export type FlowWriterOptions = {
  /** Size of the chunks yielded (characters); the last one may be shorter. */
  chunkSize?: number;
  /** Called for each record as it is written (its ordinal is its position). */
  onRecord?: (ordinal: number, record: unknown) => void;
};

/**
 * Writes a flow. The header takes lines 1-3; the records follow, one line per benefit (SINBA:
 * one line per record); the closing tag is the last line. `index` is complete once the
 * iteration ends.
 */
export function writeFlow<K extends FlowKind>(
  kind: K,
  header: FlowHeader,
  records: AsyncIterable<RecordOf<K>> | Iterable<RecordOf<K>>,
  options: FlowWriterOptions = {},
): { chunks: AsyncIterable<string>; index: FlowLineIndex } {
  const index = new FlowLineIndex();
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const linesOf = (kind === 'SINBA' ? sinbaRecordLines : psRecordLines) as (
    r: RecordOf<K>,
  ) => string[];
  async function* chunks(): AsyncGenerator<string> {
    let buffer = `<?xml version="1.0" encoding="UTF-8"?>\n<Flusso xmlns="${CASELLARIO_NS}">\n`;
    buffer += `<IdentificazioneFlusso Nome="${escapeXml(header.Nome)}"><Ente${attrs(header.Ente, NO_SKIP)}/></IdentificazioneFlusso>\n`;
    let line = 4;
    let ordinal = 0;
    for await (const record of records) {
      index.push(line);
      options.onRecord?.(ordinal++, record);
      for (const l of linesOf(record)) {
        buffer += `${l}\n`;
        line++;
      }
      if (buffer.length >= chunkSize) {
        yield buffer;
        buffer = '';
      }
    }
    index.lastLine = line;
    yield `${buffer}</Flusso>\n`;
  }
  return { chunks: chunks(), index };
}

/** The whole flow as one string (a WaaS flow holds one beneficiary and one benefit). */
export async function flowToString<K extends FlowKind>(
  kind: K,
  header: FlowHeader,
  records: Iterable<RecordOf<K>>,
): Promise<{ xml: string; index: FlowLineIndex }> {
  const { chunks, index } = writeFlow(kind, header, records);
  let xml = '';
  for await (const c of chunks) xml += c;
  return { xml, index };
}
