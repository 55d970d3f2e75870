import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  type ValidationContext,
  type ValueNode,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codedGraphQLError } from '../errors.ts';
import type { GraphQLContext } from './context.ts';
import { memoPerObject } from './memo.ts';

const DEFAULT_LIST_SIZE = 20;
const LIST_ARGS = ['limit', 'first'];

/**
 * Root fields that do one call's work per item of a list argument, charged against the client's
 * rate per item (`Type.field` → the argument): a batch of 100 deliveries is 100 recordings, and
 * charged as one it would let a client record 100 times its allowance.
 */
export const CHARGE_PER_ITEM: Readonly<Record<string, string>> = {
  'Mutation.recordDeliveries': 'input',
};

export type QueryLimits = {
  maxDepth: number;
  maxCost: number;
  maxTokens: number;
  maxAliases: number;
  maxFragmentSpreads: number;
  maxListSize: number;
};

function isList(type: GraphQLOutputType): boolean {
  return isNonNullType(type) ? isList(type.ofType) : isListType(type);
}

export type Measure = {
  depth: number;
  cost: number;
  /** The cost of the fields below `__schema` and `__type`, kept apart (see `introspectionBudget`). */
  introspectionCost: number;
  /** Distinct response keys at the root: each is one call of a resolver. */
  rootFields: number;
  /** What the call weighs against the client's rate: one per root field, per item for a batch. */
  weight: number;
  errors: GraphQLError[];
};

/**
 * Depth and cost of one operation, with the request's variables.
 *
 * Cost: every field costs 1, multiplied by the sizes of the lists above it: the `limit`/`first`
 * argument, literal or variable, else the argument's default, else 20. A non-list field taking
 * `limit`/`first` (a connection) passes its size to the first list below it. Each fragment is
 * measured once and its result reused at every spread: walking spreads afresh made a
 * 1 kB document of fragments that spread the next one twice cost 2^24 walks.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxListSize: number,
): Measure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const errors: GraphQLError[] = [];
  type Part = { depth: number; cost: number; introspectionCost: number };
  // Keyed by fragment and by the list size pending from above, the only input that varies.
  const memo = new Map<string, Part>();
  const visiting = new Set<string>();

  const sizeOf = (
    field: GraphQLField<unknown, unknown> | undefined,
    node: FieldNode,
  ): number | undefined => {
    for (const name of LIST_ARGS) {
      const arg = node.arguments?.find((a) => a.name.value === name);
      const def = field?.args.find((a) => a.name === name);
      let value: unknown;
      if (arg) value = intOf(arg.value, variables);
      else if (def) value = def.defaultValue;
      else continue;
      if (value === undefined || value === null) continue;
      if (typeof value !== 'number' || !Number.isInteger(value)) continue; // coercion will refuse it
      if (value < 0 || value > maxListSize) {
        errors.push(
          codedGraphQLError(
            'BAD_USER_INPUT',
            `${name} di ${node.name.value} deve essere tra 0 e ${maxListSize}`,
            { field: name },
          ),
        );
        return maxListSize;
      }
      return Math.max(1, value);
    }
    return undefined;
  };

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType | null,
    pending: number | undefined,
    introspecting: boolean,
  ): Part => {
    let depth = 0;
    let cost = 0;
    let introspectionCost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__typename') continue;
        const field =
          name === '__schema'
            ? SchemaMetaFieldDef
            : name === '__type'
              ? TypeMetaFieldDef
              : parent && (isObjectType(parent) || isInterfaceType(parent))
                ? parent.getFields()[name]
                : undefined;
        const inside = introspecting || name === '__schema' || name === '__type';
        const own = sizeOf(field, sel);
        let fieldCost = 1;
        let fieldDepth = inside ? 0 : 1;
        let fieldIntro = 0;
        if (sel.selectionSet) {
          const listed = field ? isList(field.type) : false;
          const size = listed ? (own ?? pending ?? DEFAULT_LIST_SIZE) : 1;
          const named = field ? getNamedType(field.type) : null;
          const inner = walk(
            sel.selectionSet,
            named && isCompositeType(named) ? named : null,
            listed ? undefined : (own ?? pending),
            inside,
          );
          fieldDepth += inner.depth;
          fieldCost += size * inner.cost;
          fieldIntro = size * inner.introspectionCost;
        }
        depth = Math.max(depth, fieldDepth);
        if (inside) introspectionCost += fieldCost + fieldIntro;
        else {
          cost += fieldCost;
          introspectionCost += fieldIntro;
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        const inner = walk(
          sel.selectionSet,
          cond && isCompositeType(cond) ? cond : parent,
          pending,
          introspecting,
        );
        depth = Math.max(depth, inner.depth);
        cost += inner.cost;
        introspectionCost += inner.introspectionCost;
      } else {
        const frag = fragments.get(sel.name.value);
        // Unknown and cyclic spreads are refused by the standard validation rules.
        if (!frag || visiting.has(frag.name.value)) continue;
        const key = `${frag.name.value}:${pending ?? ''}:${introspecting}`;
        let inner = memo.get(key);
        if (!inner) {
          visiting.add(frag.name.value);
          const cond = schema.getType(frag.typeCondition.name.value);
          inner = walk(
            frag.selectionSet,
            cond && isCompositeType(cond) ? cond : parent,
            pending,
            introspecting,
          );
          visiting.delete(frag.name.value);
          memo.set(key, inner);
        }
        depth = Math.max(depth, inner.depth);
        cost += inner.cost;
        introspectionCost += inner.introspectionCost;
      }
    }
    return { depth, cost, introspectionCost };
  };

  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const part = walk(operation.selectionSet, root ?? null, undefined, false);
  const keys = rootKeys(operation.selectionSet, fragments, new Set());
  let weight = 0;
  for (const node of keys.values()) weight += itemsCharged(root?.name, node, variables);
  return { ...part, rootFields: keys.size, weight, errors };
}

/** The response keys at the root, each with (the first of) its field nodes. */
function rootKeys(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
  keys = new Map<string, FieldNode>(),
): Map<string, FieldNode> {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      if (sel.name.value !== '__typename' && !keys.has(key)) keys.set(key, sel);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) rootKeys(sel.selectionSet, fragments, seen, keys);
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const frag = fragments.get(sel.name.value);
      if (frag) rootKeys(frag.selectionSet, fragments, seen, keys);
    }
  }
  return keys;
}

/**
 * What one root call weighs: 1, or for a field of CHARGE_PER_ITEM the items of its list
 * argument (a literal list, or a variable's array; a single value is coerced to a list of one).
 */
function itemsCharged(
  rootType: string | undefined,
  node: FieldNode,
  variables: Record<string, unknown>,
): number {
  const argName = rootType ? CHARGE_PER_ITEM[`${rootType}.${node.name.value}`] : undefined;
  if (!argName) return 1;
  const arg = node.arguments?.find((a) => a.name.value === argName);
  if (!arg) return 1;
  const v = arg.value;
  const n =
    v.kind === Kind.LIST
      ? v.values.length
      : v.kind === Kind.VARIABLE
        ? Array.isArray(variables[v.name.value])
          ? (variables[v.name.value] as unknown[]).length
          : 1
        : 1;
  return Math.max(1, n);
}

function intOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/**
 * Static caps on the document, checked once per document (the validation cache keeps the result):
 * aliases and fragment spreads. Tokens are capped earlier, by the parser.
 */
export function createDocumentCapsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let spreads = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      FragmentSpread() {
        spreads++;
      },
      Document: {
        leave() {
          if (aliases > limits.maxAliases)
            context.reportError(
              codedGraphQLError(
                'QUERY_TOO_LARGE',
                `troppi alias: ${aliases}, massimo ${limits.maxAliases}`,
                { details: { aliases, maxAliases: limits.maxAliases } },
              ),
            );
          if (spreads > limits.maxFragmentSpreads)
            context.reportError(
              codedGraphQLError(
                'QUERY_TOO_LARGE',
                `troppi frammenti: ${spreads}, massimo ${limits.maxFragmentSpreads}`,
                { details: { spreads, maxFragmentSpreads: limits.maxFragmentSpreads } },
              ),
            );
        },
      },
    };
  };
}

/**
 * What one full introspection may cost: the query GraphiQL sends, with every option, and a
 * margin. Introspection lists carry no `limit`, so a 50 kB document repeating `__schema` under
 * aliases answered 21 MB; with this budget one schema download passes and a repetition does not.
 */
export function introspectionBudget(schema: GraphQLSchema): number {
  const doc = parse(
    getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    }),
  );
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  return Math.ceil(measureOperation(schema, doc, op, {}, Infinity).introspectionCost * 1.5);
}

/**
 * `measureOperation` memoised per document: Yoga's parser cache hands the same DocumentNode to
 * every request with the same text, and a measure depends on the variables only through the
 * `limit`/`first` arguments given as variables. Walking the document on every request was 3% of
 * the gateway's CPU in the look-up benchmark. Measures with errors are not kept (they are rare,
 * and their error objects go out to the caller).
 */
export function createMeasureCache(maxListSize: number) {
  type Entry = { listVariables: string[]; itemVariables: string[]; measures: Map<string, Measure> };
  const MAX_PER_DOCUMENT = 32;
  const operationsOf = memoPerObject((_: DocumentNode) => new Map<string, Entry>());
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): Measure => {
    const ops = operationsOf(document);
    const opKey = operation.name?.value ?? '';
    let entry = ops.get(opKey);
    if (!entry) {
      entry = {
        listVariables: listSizeVariables(document),
        itemVariables: chargedItemVariables(document),
        measures: new Map(),
      };
      ops.set(opKey, entry);
    }
    // A batch's weight depends on its variable's length only: that, not its items, keys it.
    const key = [
      ...entry.listVariables.map((v) => JSON.stringify(variables[v]) ?? '-'),
      ...entry.itemVariables.map((v) => {
        const x = variables[v];
        return Array.isArray(x) ? `#${x.length}` : '#1';
      }),
    ].join('|');
    const known = entry.measures.get(key);
    if (known) return known;
    const measure = measureOperation(schema, document, operation, variables, maxListSize);
    if (measure.errors.length === 0 && entry.measures.size < MAX_PER_DOCUMENT)
      entry.measures.set(key, measure);
    return measure;
  };
}

/** The variables a document passes as `limit`/`first`: the only ones a measure depends on. */
function listSizeVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (LIST_ARGS.includes(node.name.value) && node.value.kind === Kind.VARIABLE)
        names.add(node.value.name.value);
    },
  });
  return [...names].sort();
}

/** The variables a document passes as the list argument of a field charged per item. */
function chargedItemVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const args = new Set(Object.values(CHARGE_PER_ITEM));
  const fields = new Set(Object.keys(CHARGE_PER_ITEM).map((k) => k.split('.')[1]));
  visit(document, {
    Field(node) {
      if (!fields.has(node.name.value)) return;
      for (const a of node.arguments ?? [])
        if (args.has(a.name.value) && a.value.kind === Kind.VARIABLE) names.add(a.value.name.value);
    },
  });
  return [...names].sort();
}

function operationOf(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
}

export type LimitsDeps = {
  limits: QueryLimits;
  /** NODE_ENV=production: anonymous callers may not introspect. */
  production: boolean;
  /** Charges the caller's rate with the request's weight: the refusal when over, else nothing. */
  charge(ctx: GraphQLContext, weight: number): GraphQLError | undefined;
};

/**
 * Query limits: tokens at parse time, aliases and spreads at validation, then depth, cost, list
 * sizes and introspection at execution, where the variables are known (a `limit` passed as a
 * variable was costed as 20 when this ran as a validation rule). The client's rate is charged
 * once per root field, so 1,000 aliased calls in one request count 1,000 times, and per item
 * for the batches of CHARGE_PER_ITEM.
 */
export function useQueryLimits(deps: LimitsDeps): Plugin<GraphQLContext> {
  const { limits } = deps;
  const capsRule = createDocumentCapsRule(limits);
  const measure = createMeasureCache(limits.maxListSize);
  const budgetOf = memoPerObject(introspectionBudget);
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, maxTokens: limits.maxTokens });
        } catch (err) {
          if (err instanceof Error && /contains more th\w+ \d+ tokens/.test(err.message))
            throw codedGraphQLError(
              'QUERY_TOO_LARGE',
              `documento troppo lungo: più di ${limits.maxTokens} elementi`,
              { details: { maxTokens: limits.maxTokens } },
            );
          throw err;
        }
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(capsRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const operation = operationOf(args.document, args.operationName);
      if (!operation) return;
      const ctx = args.contextValue as GraphQLContext;
      const m = measure(
        args.schema,
        args.document,
        operation,
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      const refuse = (error: GraphQLError) => setResultAndStopExecution({ errors: [error] });
      if (m.errors.length > 0) return setResultAndStopExecution({ errors: m.errors });
      // The schema is no secret (published with the code, and served as SDL): anonymous
      // introspection is refused in production for what it costs, not for what it tells.
      if (m.introspectionCost > 0 && deps.production && ctx.actor === null)
        return refuse(
          codedGraphQLError(
            'UNAUTHENTICATED',
            'autenticazione richiesta per leggere lo schema (o GET /graphql/schema.graphql)',
          ),
        );
      if (m.depth > limits.maxDepth)
        return refuse(
          codedGraphQLError(
            'QUERY_TOO_DEEP',
            `query troppo profonda: ${m.depth} livelli, massimo ${limits.maxDepth}`,
            { details: { depth: m.depth, maxDepth: limits.maxDepth } },
          ),
        );
      if (m.cost > limits.maxCost)
        return refuse(
          codedGraphQLError(
            'QUERY_TOO_COSTLY',
            `query troppo costosa: costo ${m.cost}, massimo ${limits.maxCost}`,
            { details: { cost: m.cost, maxCost: limits.maxCost } },
          ),
        );
      const budget = budgetOf(args.schema);
      if (m.introspectionCost > budget)
        return refuse(
          codedGraphQLError(
            'QUERY_TOO_COSTLY',
            `introspezione troppo costosa: costo ${m.introspectionCost}, massimo ${budget}`,
            { details: { cost: m.introspectionCost, maxCost: budget } },
          ),
        );
      const limited = deps.charge(ctx, Math.max(1, m.weight));
      if (limited) return refuse(limited);
    },
  };
}
