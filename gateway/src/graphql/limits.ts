import {
  type ArgumentNode,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLOutputType,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

const DEFAULT_LIST_SIZE = 20;

function isList(type: GraphQLOutputType): boolean {
  return isNonNullType(type) ? isList(type.ofType) : isListType(type);
}

/**
 * Refuses operations deeper than `maxDepth` or costlier than `maxCost` before they run.
 * Cost: every field costs 1, multiplied by the sizes of the lists above it (the `limit` or
 * `first` argument when given, otherwise 20).
 */
export function createLimitsRule(maxDepth: number, maxCost: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const schema = context.getSchema();

    const measure = (
      set: SelectionSetNode,
      parent: GraphQLCompositeType | null,
      depth: number,
      seen: Set<string>,
    ): { depth: number; cost: number } => {
      let maxD = depth;
      let cost = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue;
          const field =
            parent && (isObjectType(parent) || isInterfaceType(parent))
              ? parent.getFields()[sel.name.value]
              : undefined;
          let own = 1;
          if (sel.selectionSet) {
            const size = field && isList(field.type) ? listSize(sel.arguments ?? []) : 1;
            const named = field ? getNamedType(field.type) : null;
            const inner = measure(
              sel.selectionSet,
              named && (isObjectType(named) || isInterfaceType(named) || isUnionType(named))
                ? named
                : null,
              depth + 1,
              seen,
            );
            maxD = Math.max(maxD, inner.depth);
            own += size * inner.cost;
          }
          cost += own;
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
          const inner = measure(
            sel.selectionSet,
            (cond as GraphQLCompositeType) ?? parent,
            depth,
            seen,
          );
          maxD = Math.max(maxD, inner.depth);
          cost += inner.cost;
        } else {
          const frag = fragments.get(sel.name.value);
          if (!frag || seen.has(frag.name.value)) continue;
          const inner = measure(
            frag.selectionSet,
            (schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType) ?? parent,
            depth,
            new Set([...seen, frag.name.value]),
          );
          maxD = Math.max(maxD, inner.depth);
          cost += inner.cost;
        }
      }
      return { depth: maxD, cost };
    };

    return {
      OperationDefinition(node) {
        const root =
          node.operation === 'query'
            ? schema.getQueryType()
            : node.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        const { depth, cost } = measure(node.selectionSet, root ?? null, 1, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`query troppo profonda: ${depth} livelli, massimo ${maxDepth}`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth },
            }),
          );
        } else if (cost > maxCost) {
          context.reportError(
            new GraphQLError(`query troppo costosa: costo ${cost}, massimo ${maxCost}`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost },
            }),
          );
        }
      },
    };
  };
}

function listSize(args: readonly ArgumentNode[]): number {
  for (const a of args) {
    if ((a.name.value === 'limit' || a.name.value === 'first') && a.value.kind === Kind.INT) {
      return Math.max(1, Number(a.value.value));
    }
  }
  return DEFAULT_LIST_SIZE;
}

export function useQueryLimits(maxDepth: number, maxCost: number): Plugin {
  const rule = createLimitsRule(maxDepth, maxCost);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
