// Named prepared statements on PGlite, which its API does not offer: `query` sends Parse and
// Describe for every call, so PostgreSQL parses, analyses and plans the text each time. For the
// hot statements (QueryOptions.prepared) that was most of their cost: the batched look-up by
// codice fiscale spent about 5 ms of a 7 ms statement planning it. Here the text is parsed once
// per PGlite instance (and search_path: names resolve at Parse) under a name, and each call sends
// only Bind, Execute and Sync in one buffer, reading the rows with PGlite's own type parsers.
import type { PGlite } from '@electric-sql/pglite';

type Field = { name: string; dataTypeID: number };
type Statement = { name: string; paramTypes: number[]; fields: Field[] };
type BackendMessage = {
  name: string;
  dataTypeIDs?: number[];
  fields?: unknown[];
};

const encoder = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
const int16 = (n: number) => {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setInt16(0, n);
  return b;
};
const int32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
};
const cstring = (s: string) => encoder.encode(`${s}\0`);
/** A frontend message: its type byte, then its length (itself included) and body. */
const message = (type: string, body: Uint8Array[]) => {
  const bytes = concat(body);
  return concat([encoder.encode(type), int32(4 + bytes.length), bytes]);
};

const parseMessage = (name: string, text: string) =>
  message('P', [cstring(name), cstring(text), int16(0)]);
const describeStatement = (name: string) => message('D', [encoder.encode('S'), cstring(name)]);
const sync = () => message('S', []);
function bindExecute(name: string, values: (string | null)[]): Uint8Array {
  const params: Uint8Array[] = [];
  for (const v of values) {
    if (v === null) params.push(int32(-1));
    else {
      const bytes = encoder.encode(v);
      params.push(int32(bytes.length), bytes);
    }
  }
  const bind = message('B', [
    cstring(''),
    cstring(name),
    int16(0), // every parameter in text format
    int16(values.length),
    ...params,
    int16(0), // every result column in text format
  ]);
  const execute = message('E', [cstring(''), int32(0)]);
  return concat([bind, execute, sync()]);
}

/**
 * The prepared statements of one PGlite instance. The caller runs `query` where nothing else uses
 * the instance (the host's queue, or inside a transaction it holds).
 */
export function createPreparedStatements(pglite: PGlite) {
  // Keyed by search_path and text: the same text names other tables under another schema.
  const statements = new Map<string, Statement>();
  let next = 0;
  // PGlite's own type serializers and parsers (public properties, absent from its typings).
  const { serializers, parsers } = pglite as unknown as {
    serializers: Record<number, (x: unknown) => string>;
    parsers: Record<number, (x: string, typeId: number) => unknown>;
  };

  async function prepare(text: string): Promise<Statement> {
    const name = `hub_p${next++}`;
    const messages = (await pglite.execProtocolStream(
      concat([parseMessage(name, text), describeStatement(name), sync()]),
      { syncToFs: false },
    )) as unknown as BackendMessage[];
    const params = messages.find((m) => m.name === 'parameterDescription');
    const rows = messages.find((m) => m.name === 'rowDescription');
    return {
      name,
      paramTypes: params?.dataTypeIDs ?? [],
      fields: (rows?.fields as Field[] | undefined) ?? [],
    };
  }

  async function query<T>(
    searchPath: string | null,
    text: string,
    params: unknown[],
    syncToFs: boolean,
  ): Promise<T[]> {
    const key = `${searchPath ?? ''}\n${text}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = await prepare(text);
      statements.set(key, statement);
    }
    const types = statement.paramTypes;
    const values = params.map((p, i) => {
      if (p === null || p === undefined) return null;
      const serialize = serializers[types[i]!];
      return serialize ? serialize(p) : String(p);
    });
    const messages = (await pglite.execProtocolStream(bindExecute(statement.name, values), {
      syncToFs,
    })) as unknown as BackendMessage[];
    const { fields } = statement;
    const out: T[] = [];
    for (const m of messages) {
      if (m.name !== 'dataRow') continue;
      const row: Record<string, unknown> = {};
      const cells = m.fields as (string | null)[];
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const cell = cells[i] ?? null;
        const parse = parsers[f.dataTypeID];
        row[f.name] = cell === null ? null : parse ? parse(cell, f.dataTypeID) : cell;
      }
      out.push(row as T);
    }
    return out;
  }

  return { query };
}
export type PreparedStatements = ReturnType<typeof createPreparedStatements>;
