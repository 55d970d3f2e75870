import { randomUUID } from 'node:crypto';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { schema } from './index.ts';

// Malformed input thrown at every root field of the schema, as callers who get past the schema's
// own checks: none may answer INTERNAL_SERVER_ERROR (84 of 242 did: non-UUID ids, NUL bytes,
// 2026-02-31, negative limits). Generated from the schema, so a new field is covered as it lands.

const MALFORMED: Record<string, unknown[]> = {
  UUID: ['not-a-uuid', '', '00000000-0000-0000-0000-00000000000g', `${randomUUID()}\u0000`],
  ID: ['not-a-uuid', '\u0000'],
  Date: ['2026-02-31', '2026-13-01', 'ieri', 20260101],
  DateTime: ['2026-02-31T10:00:00Z', '1', 'adesso'],
  Int: [-1, 2147483647, 1.5],
  String: ['a\u0000b', '%%', ''],
  Boolean: ['sì'],
  JSON: [{ '\u0000': 1 }],
};

/** A value the type accepts, for the arguments and fields not under test. */
function plausible(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, depth);
  if (isListType(type)) return [plausible(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    if (depth > 3) return value;
    for (const f of Object.values(type.getFields()))
      if (isNonNullType(f.type)) value[f.name] = plausible(f.type, depth + 1);
    return value;
  }
  switch (getNamedType(type).name) {
    case 'UUID':
    case 'ID':
      return randomUUID();
    case 'Date':
      return '2026-01-01';
    case 'DateTime':
      return '2026-01-01T09:00:00Z';
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'JSON':
      return {};
    default:
      return 'Bi';
  }
}

/** Malformed values of a type: its scalar's, or an input object with one field malformed. */
function malformed(type: GraphQLInputType): unknown[] {
  const named = getNamedType(type);
  if (isScalarType(named)) {
    const values = MALFORMED[named.name] ?? [];
    return isListType(isNonNullType(type) ? type.ofType : type) ? values.map((v) => [v]) : values;
  }
  if (isEnumType(named)) return ['NOT_A_VALUE'];
  if (!isInputObjectType(named)) return [];
  const base = plausible(named) as Record<string, unknown>;
  const cases: unknown[] = [{}];
  for (const f of Object.values(named.getFields())) {
    const inner = getNamedType(f.type);
    const bad = isScalarType(inner)
      ? (MALFORMED[inner.name] ?? [])
      : isEnumType(inner)
        ? ['X']
        : [];
    for (const v of bad)
      cases.push({
        ...base,
        [f.name]: isListType(isNonNullType(f.type) ? f.type.ofType : f.type) ? [v] : v,
      });
  }
  return cases;
}

type Case = {
  root: 'query' | 'mutation';
  field: string;
  query: string;
  variables: Record<string, unknown>;
  arg: string;
};

function casesOf(root: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Case[] {
  const args = field.args as readonly GraphQLArgument[];
  if (args.length === 0) return [];
  const decl = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const pass = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  const query = `${root}(${decl}) { ${field.name}(${pass})${selection} }`;
  const required = Object.fromEntries(
    args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, plausible(a.type)]),
  );
  return args.flatMap((a) =>
    malformed(a.type).map((value) => ({
      root,
      field: field.name,
      query,
      variables: { ...required, [a.name]: value },
      arg: a.name,
    })),
  );
}

// Logout would end the caller's session; login has its own tests (and throttles).
const SKIP = new Set(['logout', 'login']);

describe('malformed input at every root field', () => {
  let t: TestApp;
  let callers: [string, string][];
  beforeAll(async () => {
    t = await createTestApp();
    callers = [];
    for (const u of ['admin', 'coord.pg', 'sportello.pg']) callers.push([u, await t.login(u)]);
  });
  afterAll(() => t.close());

  it('should answer a refusal, never INTERNAL_SERVER_ERROR', async () => {
    const cases = [
      ...Object.values(schema.getQueryType()!.getFields()).flatMap((f) => casesOf('query', f)),
      ...Object.values(schema.getMutationType()!.getFields())
        .filter((f) => !SKIP.has(f.name))
        .flatMap((f) => casesOf('mutation', f)),
    ];
    expect(cases.length).toBeGreaterThan(200);
    const internal: string[] = [];
    for (const c of cases) {
      for (const [who, token] of callers) {
        const { status, body } = await t.gql(c.query, c.variables, token);
        const codes = (body.errors ?? []).map((e) => e.extensions?.code);
        if (status >= 500 || codes.includes('INTERNAL_SERVER_ERROR'))
          internal.push(`${who} ${c.field}(${c.arg}: ${JSON.stringify(c.variables[c.arg])})`);
      }
    }
    expect(internal).toEqual([]);
  }, 300_000);
});
