// The case store's bulk way out: `COPY (SELECT …) TO` as CSV, which PostgreSQL formats and quotes
// itself (no row objects in Node, no per-cell parsing). On a server the rows stream through
// pg-copy-streams while PostgreSQL is still producing them; PGlite hands the whole output back as
// one Blob through its `/dev/blob` device (so the ETL cuts PGlite's copies into slices). Both run
// inside the caller's transaction, in its snapshot.
import type { Queryable } from '@hub/casework';
import { to as copyTo } from 'pg-copy-streams';

/**
 * The CSV of `select` (no header, NULL as an empty field, text quoted when it holds a comma, a
 * quote or a line break), chunk by chunk. COPY takes no parameters: `select` must carry its
 * values as literals the ETL made itself (slice bounds, validated uuids).
 */
export async function* copyOut(tx: Queryable, select: string): AsyncGenerator<Buffer> {
  const driver = tx.driver;
  if (!driver) throw new Error('COPY needs a transaction of the case store');
  if (driver.kind === 'postgres') {
    const stream = driver.client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv)`));
    for await (const chunk of stream) yield chunk as Buffer;
    return;
  }
  const result = await driver.tx.query(`COPY (${select}) TO '/dev/blob' WITH (FORMAT csv)`);
  if (result.blob && result.blob.size > 0) yield Buffer.from(await result.blob.arrayBuffer());
}

/** A uuid literal list for `= ANY(…)`; anything that is not a uuid is refused, not quoted. */
export function uuidArrayLiteral(ids: readonly string[]): string {
  for (const id of ids)
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw new Error(`not a uuid: ${JSON.stringify(id).slice(0, 60)}`);
  return `'{${ids.join(',')}}'::uuid[]`;
}

/**
 * Splits COPY's CSV output into records, whatever the chunk boundaries (a character or a record
 * cut in two) and even when a quoted name holds a line break: a line with an odd number of
 * quotes goes on into the next one. Quotes are looked for with one forward `indexOf`, so a chunk
 * without any costs nothing per line.
 */
export function createRecordSplitter() {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  return {
    /** The complete records of `chunk` (null: the end), without their line break. */
    push(chunk: Buffer | null, onRecord: (s: string, start: number, end: number) => void) {
      const s = rest + (chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode());
      let start = 0;
      let from = 0;
      let quote = s.indexOf('"');
      let open = false;
      for (;;) {
        const nl = s.indexOf('\n', from);
        if (nl < 0) break;
        // Toggle on every quote before this line break (a doubled quote toggles twice).
        while (quote >= 0 && quote < nl) {
          open = !open;
          quote = s.indexOf('"', quote + 1);
        }
        from = nl + 1;
        if (open) continue;
        onRecord(s, start, nl);
        start = nl + 1;
      }
      rest = s.slice(start);
      if (!chunk && rest.length > 0) {
        onRecord(rest, 0, rest.length);
        rest = '';
      }
    },
  };
}
