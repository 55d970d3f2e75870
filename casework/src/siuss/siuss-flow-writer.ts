// Streams a SIUSS flow as XML: records in (any async iterable), chunks of text out, so that a
// million deliveries never sit in memory at once. Each benefit is written on a line of its own
// and the writer remembers on which line every record starts (4 bytes a record), so that the
// line numbers xmllint reports map back to the record and the benefit at fault.
import { SINA_ATTRIBUTES, SINBA_ATTRIBUTES } from '../case-file/assessment/siuss-schema.ts';
import type { SinaData } from '../case-file/assessment/siuss-zod.ts';
import { FLOW_ATTRIBUTES } from './siuss-flow-schema.ts';
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

// A cheap first test (no look-around, not global) that every invalid character fails, and a few
// valid ones (paired surrogates) too: the exact check runs only on what it flags.
const SUSPECT = new RegExp(`[${CONTROL}\\uD800-\\uDFFF\\uFFFE\\uFFFF]`);

export function hasInvalidXmlChar(s: string): boolean {
  if (!SUSPECT.test(s)) return false;
  INVALID_XML_CHAR.lastIndex = 0;
  return INVALID_XML_CHAR.test(s);
}

// One test for everything that needs work (markup to escape, characters to replace): most values
// (codes, dates, names) pass it and are written as they are.
const SPECIAL = new RegExp(`[&<>"\\t\\n\\r${CONTROL}\\uD800-\\uDFFF\\uFFFE\\uFFFF]`);

// How many values had a character replaced so far: the writer compares it around each record to
// learn, at no cost per value, that a record carried one (its rules then name the fields).
let replacedValues = 0;

/** Escapes a value for a double-quoted attribute or for element text. */
export function escapeXml(s: string): string {
  if (!SPECIAL.test(s)) return s;
  let out = s;
  if (hasInvalidXmlChar(out)) {
    replacedValues++;
    out = out.replace(INVALID_XML_CHAR, '\uFFFD');
  }
  if (!NEEDS_ESCAPE.test(out)) return out;
  return out.replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c]!);
}

/** xs:decimal text: at most two decimals, no exponent. NaN and Infinity stay visible as such. */
export function decimalText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

// A writer of each element's attributes, compiled once from the XSD's attribute list (schema
// order): straight property reads and string additions, no walk over the record's keys, so a
// million records pay only for their values. Keys the XSD does not name (our `key`, the nested
// elements) are never written; an absent or null value writes no attribute.
type AttributeWriter = (values: object) => string;
const XML_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
function compileAttributes(names: readonly string[]): AttributeWriter {
  let body = "let s = '';\nlet v;\n";
  for (const name of names) {
    if (!XML_NAME.test(name)) throw new Error(`nome di attributo inatteso: ${name}`);
    // decimalText writes digits, a sign and a point (or NaN/Infinity): nothing to escape.
    body += `v = o.${name};\nif (v !== undefined && v !== null) s += typeof v === 'number' ? ' ${name}="' + dec(v) + '"' : ' ${name}="' + esc(typeof v === 'string' ? v : String(v)) + '"';\n`;
  }
  return new Function('esc', 'dec', `return function (o) {\n${body}return s;\n};`)(
    escapeXml,
    decimalText,
  ) as AttributeWriter;
}
const namesOf = (list: readonly { name: string }[]) => list.map((a) => a.name);
const enteAttrs = compileAttributes(namesOf(FLOW_ATTRIBUTES.EnteType));
const anagraficaAttrs = compileAttributes(namesOf(FLOW_ATTRIBUTES.AnagraficaType));
const indirizzoAttrs = compileAttributes(namesOf(FLOW_ATTRIBUTES.IndirizzoType));
const benefitAttrs = compileAttributes(namesOf(FLOW_ATTRIBUTES.PrestazioniSocialiType));
const sinaAttrs = compileAttributes(namesOf(SINA_ATTRIBUTES));
const sinbaAttrs = compileAttributes(namesOf(SINBA_ATTRIBUTES));

function sinaXml(s: SinaData): string {
  let out = `<SINA${sinaAttrs(s)}>`;
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
  const open = `<PrestazioniSociali${benefitAttrs(p)}`;
  return p.SINA ? `${open}>${sinaXml(p.SINA)}</PrestazioniSociali>` : `${open}/>`;
}

/**
 * The text of one PS record: the beneficiary on its first line, then one line per benefit (the
 * closing tag on the last), each line ended; its line count is 1 + its benefits (at least 1).
 */
function psRecordText(r: PsRecord): string {
  let out = `<Beneficiario CodiceFiscale="${escapeXml(r.CodiceFiscale)}"><Anagrafica${anagraficaAttrs(r.Anagrafica)}/>`;
  for (let i = 0; i < r.Indirizzo.length; i++)
    out += `<Indirizzo${indirizzoAttrs(r.Indirizzo[i]!)}/>`;
  const benefits = r.PrestazioniSociali;
  if (benefits.length === 0) return `${out}</Beneficiario>\n`;
  for (let i = 0; i < benefits.length; i++) out += `\n${benefitXml(benefits[i]!)}`;
  return `${out}</Beneficiario>\n`;
}

function psRecordLines(r: PsRecord): number {
  return Math.max(1, 1 + r.PrestazioniSociali.length);
}

function sinbaRecordText(r: SinbaRecord): string {
  let out = `<SINBA${sinbaAttrs(r)}><Prestazioni>`;
  for (const c of r.Prestazioni.CodicePrestazione)
    out += `<CodicePrestazione>${escapeXml(c)}</CodicePrestazione>`;
  out += '</Prestazioni><Famiglia>';
  for (const c of r.Famiglia.ComposizioneFamiglia)
    out += `<ComposizioneFamiglia>${escapeXml(c)}</ComposizioneFamiglia>`;
  return `${out}</Famiglia></SINBA>\n`;
}

const oneLine = () => 1;

/**
 * Where each record of a document starts: (line, ordinal) pairs in growing typed arrays (8 bytes a
 * record, about 8 MB for a million), so the map stays small while the keys stay with the caller.
 * One index per document: a flow validated in parts has one per part.
 */
export class FlowLineIndex {
  private lines = new Uint32Array(1024);
  private ordinals = new Uint32Array(1024);
  count = 0;
  /** The line of the closing tag (set when the document ends). */
  lastLine = Number.MAX_SAFE_INTEGER;

  push(line: number, ordinal: number) {
    if (this.count === this.lines.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.lines = grow(this.lines);
      this.ordinals = grow(this.ordinals);
    }
    this.lines[this.count] = line;
    this.ordinals[this.count++] = ordinal;
  }

  /** The record (0-based, in write order) and its benefit (0-based; -1: the beneficiary line). */
  locate(line: number): { ordinal: number; benefit: number } | null {
    if (this.count === 0 || line < this.lines[0]! || line >= this.lastLine) return null;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lines[mid]! <= line) lo = mid;
      else hi = mid - 1;
    }
    return { ordinal: this.ordinals[lo]!, benefit: line - this.lines[lo]! - 1 };
  }
}

/** A run of whole records: their UTF-8 bytes and how many lines each takes. */
export type FlowSegment = {
  bytes: Buffer;
  /** Ordinal of the first record in the segment. */
  firstOrdinal: number;
  /** Lines of each record, in order. */
  recordLines: number[];
  /**
   * Gives the segment's buffer back to the writer, to be filled again (no fresh memory, no page
   * faults, no garbage per segment): call it once nothing reads `bytes` any more, or never.
   */
  release: () => void;
};

/** Lines of the document before the first record (declaration, root, identification). */
export const HEAD_LINES = 3;

export type FlowWriterOptions<R = unknown> = {
  /** Size of the segments yielded (bytes); a segment never splits a record. */
  segmentSize?: number;
  /** Called with each record, in order, just before it is written (the rules run here). */
  onRecord?: (record: R) => void;
  /** Called after a record whose text held a character XML refuses (written as U+FFFD). */
  onInvalidText?: (record: R) => void;
};

/**
 * Records one by one, or in pages (arrays of records, as a store reads them): a page is written
 * without an await per record.
 */
export type RecordSource<R> = AsyncIterable<R | readonly R[]> | Iterable<R>;

export type WrittenFlow = {
  /** Declaration, root element and IdentificazioneFlusso: lines 1-3. */
  head: string;
  /** The records, one line per benefit (SINBA: one line per record), in runs of whole records. */
  segments: AsyncIterable<FlowSegment>;
  /** The closing tag. */
  tail: string;
};

/** Writes a flow: its head, its records as segments, its tail. */
export function writeFlow<K extends FlowKind>(
  kind: K,
  header: FlowHeader,
  records: RecordSource<RecordOf<K>>,
  options: FlowWriterOptions<RecordOf<K>> = {},
): WrittenFlow {
  const size = options.segmentSize ?? 256 * 1024;
  const onRecord = options.onRecord;
  const onInvalidText = options.onInvalidText;
  const textOf = (kind === 'SINBA' ? sinbaRecordText : psRecordText) as (r: RecordOf<K>) => string;
  const linesOf = (kind === 'SINBA' ? oneLine : psRecordLines) as (r: RecordOf<K>) => number;
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<Flusso xmlns="${CASELLARIO_NS}">\n<IdentificazioneFlusso Nome="${escapeXml(header.Nome)}"><Ente${enteAttrs(header.Ente)}/></IdentificazioneFlusso>\n`;
  // Each record's text is encoded straight into the segment's buffer: no long string is ever
  // built (flattening one costs more than writing it), and the bytes are made once.
  // Buffers given back by the consumers are filled again: a flow of any size uses a few.
  const pool: Buffer[] = [];
  const take = () => pool.pop() ?? Buffer.allocUnsafe(size);
  let buf = take();
  let used = 0;
  let firstOrdinal = 0;
  let recordLines: number[] = [];
  let ordinal = 0;
  let ready: FlowSegment | null = null;
  const cut = () => {
    const whole = buf;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (whole.length === size && pool.length < 32) pool.push(whole);
    };
    ready = { bytes: whole.subarray(0, used), firstOrdinal, recordLines, release };
    buf = take();
    used = 0;
    firstOrdinal = ordinal;
    recordLines = [];
  };
  const add = (record: RecordOf<K>) => {
    onRecord?.(record);
    const replacedBefore = replacedValues;
    const text = textOf(record);
    if (replacedValues !== replacedBefore) onInvalidText?.(record);
    // At most 3 bytes per UTF-16 unit: a record that might not fit starts the next segment.
    const worst = text.length * 3;
    if (used > 0 && used + worst > buf.length) cut();
    if (worst > buf.length) buf = Buffer.allocUnsafe(worst);
    used += buf.write(text, used, 'utf8');
    recordLines.push(linesOf(record));
    ordinal++;
  };
  async function* segments(): AsyncGenerator<FlowSegment> {
    for await (const item of records) {
      if (Array.isArray(item)) {
        for (const record of item as readonly RecordOf<K>[]) {
          add(record);
          if (ready) {
            yield ready;
            ready = null;
          }
        }
      } else add(item as RecordOf<K>);
      if (ready) {
        yield ready;
        ready = null;
      }
    }
    if (recordLines.length > 0) cut();
    if (ready) yield ready;
  }
  return { head, segments: segments(), tail: '</Flusso>\n' };
}

/** The flow as one document's text, chunk by chunk. */
export async function* flowChunks(flow: WrittenFlow): AsyncGenerator<string> {
  yield flow.head;
  for await (const s of flow.segments) yield s.bytes.toString('utf8');
  yield flow.tail;
}

/** The whole flow as one string (a WaaS flow holds one beneficiary and one benefit). */
export async function flowToString<K extends FlowKind>(
  kind: K,
  header: FlowHeader,
  records: Iterable<RecordOf<K>>,
): Promise<string> {
  let xml = '';
  for await (const c of flowChunks(writeFlow(kind, header, records))) xml += c;
  return xml;
}
