// Validates a SIUSS flow against INPS's XSD with a real validator: xmllint (libxml2) in stream
// mode, fed through its standard input while the flow is written, so that nothing waits for the
// whole document and memory stays flat. Its messages carry line numbers; the writer's line index
// turns them into the record and the benefit at fault.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FlowLineIndex } from './siuss-flow-writer.ts';
import type { FlowKind } from './siuss-record.ts';

const XSD_DIR = fileURLToPath(new URL('../../data/reference/siuss/', import.meta.url));

export const FLOW_XSD: Record<FlowKind, string> = {
  PS_PSA_SINA: `${XSD_DIR}PS_PSA_SINA201812.xsd`,
  SINBA: `${XSD_DIR}SINBA.xsd`,
};

/** One message of the validator, placed on its record. */
export type SchemaViolation = {
  line: number;
  /** The record (0-based, in write order); null: the header or the document as a whole. */
  ordinal: number | null;
  /** The benefit within the record (0-based); -1: the beneficiary's own line; null: n/a. */
  benefit: number | null;
  element: string | null;
  attribute: string | null;
  message: string;
};

export type SchemaReport = {
  valid: boolean;
  violations: SchemaViolation[];
  /** Messages past the cap, counted but not kept (memory stays bounded on a broken batch). */
  droppedViolations: number;
};

const MESSAGE =
  /^-:(\d+): (?:element \S+: )?(?:Schemas validity error|parser error|validity error)\s*:\s*(.*)$/;
const ELEMENT = /^Element '(?:\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?: (.*)$/;

export function parseXmllintLine(text: string, index: FlowLineIndex): SchemaViolation | null {
  const m = MESSAGE.exec(text);
  if (!m) return null;
  const line = Number(m[1]);
  const e = ELEMENT.exec(m[2]!);
  const at = index.locate(line);
  return {
    line,
    ordinal: at?.ordinal ?? null,
    benefit: at?.benefit ?? null,
    element: e?.[1] ?? null,
    attribute: e?.[2] ?? null,
    message: (e?.[3] ?? m[2]!).trim(),
  };
}

export type ValidateOptions = {
  /** Keep at most this many violations (default 10,000). */
  maxViolations?: number;
  /** Called with every chunk as it is validated (to store or send the same bytes). */
  tee?: (chunk: string) => void | Promise<void>;
};

/**
 * Streams the chunks into `xmllint --noout --stream --schema <xsd> -` and reports. The index is
 * read when xmllint has finished, by which time the writer has completed it.
 */
export async function validateFlow(
  kind: FlowKind,
  chunks: AsyncIterable<string>,
  index: FlowLineIndex,
  options: ValidateOptions = {},
): Promise<SchemaReport> {
  const max = options.maxViolations ?? 10_000;
  const child = spawn('xmllint', ['--noout', '--stream', '--schema', FLOW_XSD[kind], '-'], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  let dropped = 0;
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    pending += d;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const p of parts) {
      if (!p.startsWith('-:')) continue;
      if (lines.length < max) lines.push(p);
      else dropped++;
    }
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  let writeError: unknown = null;
  child.stdin.on('error', (e) => {
    writeError = e; // EPIPE when xmllint stops reading (a fatal parse error): its report says why
  });
  try {
    for await (const chunk of chunks) {
      if (options.tee) await options.tee(chunk);
      if (writeError) continue;
      if (!child.stdin.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            child.stdin.off('drain', done);
            child.stdin.off('close', done);
            resolve();
          };
          child.stdin.on('drain', done);
          child.stdin.on('close', done);
        });
      }
    }
  } finally {
    child.stdin.end();
  }
  const code = await exited;
  if (pending.startsWith('-:') && lines.length < max) lines.push(pending);
  const violations = lines
    .map((l) => parseXmllintLine(l, index))
    .filter((v): v is SchemaViolation => v !== null);
  // 0: valid; 3: fails to validate; 1: not well formed; anything else is the tool failing.
  if (code !== 0 && code !== 3 && code !== 1) {
    throw new Error(`xmllint terminato con codice ${code}`);
  }
  if (code !== 0 && violations.length === 0 && dropped === 0) {
    violations.push({
      line: 0,
      ordinal: null,
      benefit: null,
      element: null,
      attribute: null,
      message: `documento non valido (xmllint codice ${code})`,
    });
  }
  return { valid: code === 0, violations, droppedViolations: dropped };
}
