import { getIntrospectionQuery } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../config.ts';
import type { GraphQLContext } from './context.ts';
import { schema } from './index.ts';
import { useQueryLimits } from './limits.ts';

// The limits alone, over the real schema and no store: every refusal happens before a resolver.
const limits = readConfig({ NODE_ENV: 'test' }, '/tmp').graphql;

function yogaWith(options: { production?: boolean; anonymous?: boolean } = {}) {
  const charged: number[] = [];
  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    logging: false,
    plugins: [
      useQueryLimits({
        limits,
        production: options.production ?? false,
        charge: (_ctx, weight) => {
          charged.push(weight);
          return undefined;
        },
      }),
    ],
    // A signed-in caller by default: resolvers are never reached by the refused queries, and
    // the allowed ones only need an actor to exist.
    context: () =>
      ({
        actor: options.anonymous ? null : { kind: 'SYSTEM', id: 'test', origin: { ip: null } },
        schemaRefusals: [],
      }) as unknown as GraphQLContext,
  });
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
    return { status: res.status, body, codes: (body.errors ?? []).map((e) => e.extensions?.code) };
  };
  return { post, charged };
}

/** `query { ...F0 } fragment F0 on Query { ...F1 ...F1 } … fragment F<n> on Query { me { kind } }` */
function doublingFragments(levels: number): string {
  const parts = ['query { ...F0 }'];
  for (let i = 0; i < levels; i++)
    parts.push(`fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  parts.push(`fragment F${levels} on Query { me { kind } }`);
  return parts.join(' ');
}

describe('query limits', () => {
  it('should refuse a kilobyte of fragments spread twice over 24 levels at once, not after seconds', async () => {
    const { post } = yogaWith();
    const query = doublingFragments(24);
    expect(query.length).toBeLessThan(1100);
    const started = performance.now();
    const { codes } = await post(query);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(codes).toEqual(['QUERY_TOO_COSTLY']);
  });

  it('should refuse a document over the token limit with QUERY_TOO_LARGE', async () => {
    const { post } = yogaWith();
    const fields = Array.from({ length: limits.maxTokens }, () => '__typename').join(' ');
    const { codes } = await post(`{ ${fields} }`);
    expect(codes).toEqual(['QUERY_TOO_LARGE']);
  });

  it('should refuse more aliases or fragment spreads than allowed with QUERY_TOO_LARGE', async () => {
    const { post } = yogaWith();
    const aliases = Array.from({ length: limits.maxAliases + 1 }, (_, i) => `a${i}: me { kind }`);
    expect((await post(`{ ${aliases.join(' ')} }`)).codes).toEqual(['QUERY_TOO_LARGE']);
    const spreads = Array.from({ length: limits.maxFragmentSpreads + 1 }, () => '...M').join(' ');
    expect((await post(`{ me { ${spreads} } } fragment M on Me { kind }`)).codes).toEqual([
      'QUERY_TOO_LARGE',
    ]);
  });

  it('should cost a limit passed as a variable as the literal: both refused, both the same', async () => {
    const { post } = yogaWith();
    const literal = await post(
      '{ searchPersons(lastName: "Bi", limit: 400) { id fieldSources { field source } } }',
    );
    const variable = await post(
      'query($n: Int) { searchPersons(lastName: "Bi", limit: $n) { id fieldSources { field source } } }',
      { n: 400 },
    );
    expect(literal.codes).toEqual(['QUERY_TOO_COSTLY']);
    expect(variable.codes).toEqual(['QUERY_TOO_COSTLY']);
  });

  it('should measure one document again for each list size its variables give (the measure is memoised per document)', async () => {
    const { post } = yogaWith();
    const query =
      'query($n: Int, $who: String!) { searchPersons(lastName: $who, limit: $n) { id fieldSources { field source } } }';
    // The same text, so the same cached DocumentNode: the first answer must not stick.
    const small = await post(query, { n: 5, who: 'Bi' });
    const costly = await post(query, { n: 400, who: 'Bi' });
    const smallAgain = await post(query, { n: 5, who: 'Ve' });
    const outOfRange = await post(query, { n: 100_000, who: 'Bi' });
    expect(small.codes).not.toContain('QUERY_TOO_COSTLY');
    expect(costly.codes).toEqual(['QUERY_TOO_COSTLY']);
    expect(smallAgain.codes).not.toContain('QUERY_TOO_COSTLY');
    expect(outOfRange.codes).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['above the maximum', 100_000],
    ['negative', -1],
  ])('should refuse a list size %s with BAD_USER_INPUT, literal or variable', async (_, n) => {
    const { post } = yogaWith();
    const literal = await post(`{ searchPersons(lastName: "Bi", limit: ${n}) { id } }`);
    const variable = await post(
      'query($n: Int) { searchPersons(lastName: "Bi", limit: $n) { id } }',
      { n },
    );
    expect(literal.codes).toEqual(['BAD_USER_INPUT']);
    expect(variable.codes).toEqual(['BAD_USER_INPUT']);
    expect(variable.body.errors?.[0]?.extensions?.field).toBe('limit');
  });

  it('should let one full introspection through and refuse it repeated under aliases', async () => {
    const { post } = yogaWith();
    const full = await post(getIntrospectionQuery({ descriptions: true }));
    expect(full.codes).toEqual([]);
    const twice = getIntrospectionQuery({ descriptions: true }).replace(
      '__schema {',
      '__schema { queryType { name } } a: __schema { types { ...FullType } } b: __schema {',
    );
    expect((await post(twice)).codes).toEqual(['QUERY_TOO_COSTLY']);
  });

  it('should refuse introspection to anonymous callers in production (401), not __typename', async () => {
    const { post } = yogaWith({ production: true, anonymous: true });
    const res = await post('{ __schema { queryType { name } } }');
    expect(res.codes).toEqual(['UNAUTHENTICATED']);
    expect(res.status).toBe(401);
    expect((await post('{ __typename }')).codes).toEqual([]);
    const dev = yogaWith({ production: false, anonymous: true });
    expect((await dev.post('{ __schema { queryType { name } } }')).codes).toEqual([]);
  });

  it('should charge the rate once per root field: ten aliases weigh ten', async () => {
    const { post, charged } = yogaWith();
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: __type(name: "Me") { name }`);
    await post(`{ ${aliases.join(' ')} }`);
    await post('{ __typename }');
    expect(charged).toEqual([10, 1]);
  });

  it('should charge a batch of N deliveries N against the rate, not one', async () => {
    const { post, charged } = yogaWith();
    const item = (k: number) => ({
      interventionId: '00000000-0000-4000-8000-000000000001',
      deliveredOn: '2026-01-02',
      quantity: k + 1,
    });
    const batch = `mutation($input: [RecordDeliveryInput!]!) {
      recordDeliveries(input: $input) { index }
    }`;
    // The same document, three lengths: the measure cache keys on the length, not the items.
    for (const n of [7, 1, 100])
      await post(batch, { input: Array.from({ length: n }, (_, k) => item(k)) });
    // A literal list, and two aliased batches beside another root field.
    const literal = (n: number) =>
      `[${Array.from({ length: n }, (_, k) => `{ interventionId: "${item(k).interventionId}", deliveredOn: "2026-01-02", quantity: ${k + 1} }`).join(', ')}]`;
    await post(`mutation { recordDeliveries(input: ${literal(3)}) { index } }`);
    await post(
      `mutation { a: recordDeliveries(input: ${literal(2)}) { index } b: recordDeliveries(input: ${literal(4)}) { index } logout }`,
    );
    // A single object for the list is coerced to a list of one.
    await post(
      `mutation { recordDeliveries(input: { interventionId: "${item(0).interventionId}", deliveredOn: "2026-01-02", quantity: 1 }) { index } }`,
    );
    expect(charged).toEqual([7, 1, 100, 3, 7, 1]);
  });
});
