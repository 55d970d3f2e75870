import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/**
 * Validates JSON against the schemas of an OpenAPI 3.0 file, as published: the spec files are
 * read as they are (connectors/specs/, copied byte for byte from ../shared/specs) and only
 * the OpenAPI dialect is translated to the JSON Schema ajv reads (boolean exclusive bounds,
 * `nullable`, `example`, vendor extensions). Used by the simulators on every request they
 * receive and by the contract tests on every response.
 */
export type SchemaValidator = {
  /** `RichiestaE002`, `RispostaKO`… as named under components.schemas. */
  validate(schemaName: string, value: unknown): { ok: true } | { ok: false; errors: string[] };
};

// The formats the ANPR and PDND files use that JSON Schema does not define.
const FORMATS: Record<string, RegExp | true> = {
  'YYYY-MM-DD': /^\d{4}-\d{2}-\d{2}$/,
  'YYYY-MM-DDThh:mm:ss': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/,
  binary: true,
  jws: /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/,
  int32: true,
  password: true,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uri: true,
};

export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const src = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(src)) {
    if (k === 'example' || k === 'examples' || k.startsWith('x-') || k === 'xml') continue;
    if (k === 'nullable') continue;
    if ((k === 'exclusiveMaximum' || k === 'exclusiveMinimum') && typeof v === 'boolean') {
      const bound = k === 'exclusiveMaximum' ? src['maximum'] : src['minimum'];
      if (v && typeof bound === 'number') out[k] = bound;
      continue;
    }
    if (
      (k === 'maximum' || k === 'minimum') &&
      src[`exclusive${k[0]!.toUpperCase()}${k.slice(1)}`] === true
    ) {
      continue;
    }
    out[k] = toJsonSchema(v);
  }
  if (src['nullable'] === true && typeof out['type'] === 'string')
    out['type'] = [out['type'], 'null'];
  return out;
}

const cache = new Map<string, SchemaValidator>();

export function openApiValidator(file: string): SchemaValidator {
  const hit = cache.get(file);
  if (hit) return hit;
  const doc = parse(readFileSync(file, 'utf8')) as { components?: { schemas?: object } };
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const [name, re] of Object.entries(FORMATS)) ajv.addFormat(name, re);
  ajv.addSchema({ $id: 'spec', components: toJsonSchema(doc.components ?? {}) });
  const compiled = new Map<string, ValidateFunction>();
  const v: SchemaValidator = {
    validate(schemaName, value) {
      let fn = compiled.get(schemaName);
      if (!fn) {
        fn = ajv.compile({ $ref: `spec#/components/schemas/${schemaName}` });
        compiled.set(schemaName, fn);
      }
      if (fn(value)) return { ok: true };
      return { ok: false, errors: (fn.errors ?? []).map(describe) };
    },
  };
  cache.set(file, v);
  return v;
}

const describe = (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`;
