import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
          rows += lines.length;
          if (!out.write(`${lines.join('\n')}\n`))
            await new Promise<void>((resolve) => out.once('drain', resolve));
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
