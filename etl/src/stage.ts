import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queryable } from '@hub/casework';
import { copyOut, createRecordSplitter } from './copy.ts';

/** A CSV cell for names and labels (facts are codes only and are written as they come). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A folder of staged CSV files for one run, removed when the run ends. DuckDB reads each file
 * with `read_csv` in one statement (its bulk path): nothing is inserted row by row.
 */
export async function createStage() {
  const dir = await mkdtemp(join(tmpdir(), 'hub-etl-'));
  return {
    dir,
    file(name: string) {
      const path = join(dir, `${name}-${randomBytes(3).toString('hex')}.csv`);
      const out: WriteStream = createWriteStream(path);
      let rows = 0;
      return {
        path,
        get rows() {
          return rows;
        },
        async write(lines: string[]) {
          if (lines.length === 0) return;
          await this.writeText(`${lines.join('\n')}\n`, lines.length);
        },
        /** CSV text of `count` whole records, each ended by a line break. */
        async writeText(text: string | Buffer, count: number) {
          if (text.length === 0) return;
          rows += count;
          if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
        },
        close: () =>
          new Promise<void>((resolve, reject) =>
            out.end((e?: Error) => (e ? reject(e) : resolve())),
          ),
      };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
export type Stage = Awaited<ReturnType<typeof createStage>>;
export type StagedFile = ReturnType<Stage['file']>;

/**
 * Copies what `selects` return (COPY's CSV) into `file`, each record through `rewrite` when
 * given (the facts' pseudonyms), as it streams: never a row object, never the whole table in
 * memory on a server.
 */
export async function copyInto(
  tx: Queryable,
  file: StagedFile,
  selects: readonly string[],
  rewrite: ((s: string, start: number, end: number) => string) | null,
  onChunk: (rows: number) => void = () => undefined,
) {
  for (const select of selects) {
    const splitter = createRecordSplitter();
    const take = async (chunk: Buffer | null) => {
      const out: string[] = [];
      splitter.push(chunk, (s, start, end) => {
        out.push(rewrite ? rewrite(s, start, end) : s.slice(start, end));
      });
      if (out.length === 0) return;
      out.push('');
      await file.writeText(out.join('\n'), out.length - 1);
      onChunk(file.rows);
    };
    for await (const chunk of copyOut(tx, select)) await take(chunk);
    await take(null);
  }
}

/** One CSV field from `from` (unquoted as CSV wants) and where the next one starts. */
function field(s: string, from: number, end: number): [string, number] {
  if (s.charCodeAt(from) !== 34) {
    const comma = s.indexOf(',', from);
    const stop = comma < 0 || comma > end ? end : comma;
    return [s.slice(from, stop), stop + 1];
  }
  let value = '';
  let i = from + 1;
  for (;;) {
    const q = s.indexOf('"', i);
    if (q < 0 || q >= end) throw new Error('malformed CSV from COPY');
    value += s.slice(i, q);
    if (s.charCodeAt(q + 1) === 34) {
      value += '"';
      i = q + 2;
    } else return [value, q + 2];
  }
}

/**
 * A fact record of the extraction (its id, its person's reference, then the columns) as the
 * warehouse stores it: the record's key and the person's key in place of the first two fields,
 * the rest unchanged. `key` maps the id to its key.
 */
export function factRewriter(key: (id: string) => string, person: (reference: string) => string) {
  return (s: string, start: number, end: number): string => {
    const [id, next] = field(s, start, end);
    const isNull = s.charCodeAt(next) === 44 || next >= end;
    const [ref, rest] = field(s, next, end);
    // COPY writes NULL as an empty field (no person) and '' as "" (a reference, if empty).
    const p = isNull ? '' : person(ref);
    return rest > end ? `${key(id)},${p}` : `${key(id)},${p},${s.slice(rest, end)}`;
  };
}
