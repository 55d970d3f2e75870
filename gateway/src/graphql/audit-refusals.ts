import { AppError, type AuditEntry, audit, auditAnonymous } from '@hub/casework';
import {
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { sourceKey } from '../auth/throttle.ts';
import type { GraphQLContext } from './context.ts';

// The services audit what they decide. Two refusals never reach a service, so this plugin
// audits them once the request is done: those of the schema layer (scope-auth: no token, wrong
// role or scope) and NOT_FOUND (a probe for ids: the service threw before it had anything to
// audit). Callers without a valid token are audited through the per-source gate, so a flood
// of anonymous requests cannot flood the audit log.

/** The root field a result path starts at, and the id-like arguments it was called with. */
function rootCall(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  responseKey: string | number | undefined,
): { field: string; ids: Record<string, unknown> } | null {
  const op = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  const node = op?.selectionSet.selections.find(
    (s): s is FieldNode =>
      s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === responseKey,
  );
  if (!op || !node) return null;
  const ids: Record<string, unknown> = {};
  for (const arg of node.arguments ?? []) {
    if (!/^id$|Id$/.test(arg.name.value)) continue;
    const v = arg.value;
    ids[arg.name.value] =
      v.kind === Kind.VARIABLE ? variables[v.name.value] : v.kind === Kind.STRING ? v.value : null;
  }
  const type = op.operation === 'mutation' ? 'Mutation' : 'Query';
  return { field: `${type}.${node.name.value}`, ids };
}

export function useRefusalAudit(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GraphQLContext;
      return {
        async onExecuteDone({ result }) {
          if (!('errors' in result) || Symbol.asyncIterator in result) return;
          const errors = (result as ExecutionResult).errors ?? [];
          const entries: { entry: AuditEntry; error: GraphQLError }[] = [];
          const action = (field: string) => (field.startsWith('Mutation.') ? 'UPDATE' : 'READ');
          for (const { field, error } of ctx.schemaRefusals) {
            entries.push({
              error,
              entry: {
                action: action(field),
                entity: field,
                outcome: 'DENIED',
                reason: `schema: ${String(error.extensions.code)}`,
              },
            });
          }
          for (const error of errors) {
            // Before or after the mask runs (plugin order): the domain error or its mapped code.
            const original = error.originalError;
            const code = original instanceof AppError ? original.code : error.extensions?.code;
            if (code !== 'NOT_FOUND') continue;
            const call = rootCall(
              args.document,
              args.operationName,
              (args.variableValues ?? {}) as Record<string, unknown>,
              error.path?.[0],
            );
            entries.push({
              error,
              entry: {
                action: action(call?.field ?? 'Query'),
                entity: call?.field ?? 'unknown',
                entityId: typeof call?.ids.id === 'string' ? call.ids.id : null,
                outcome: 'DENIED',
                reason: 'not found',
                details: {
                  path: error.path ?? null,
                  ids: call?.ids ?? {},
                  field:
                    (original instanceof AppError ? original.field : error.extensions?.field) ??
                    null,
                },
              },
            });
          }
          if (entries.length === 0) return;
          for (const { entry } of entries) {
            if (ctx.actor) {
              await audit(ctx.db, ctx.actor, entry);
              continue;
            }
            const gate = ctx.throttles.audit.admit(sourceKey(ctx.origin));
            if (!gate.write) continue;
            await auditAnonymous(ctx.db, ctx.origin, {
              ...entry,
              details: {
                ...(entry.details ?? {}),
                ...(gate.suppressed > 0 ? { suppressedBefore: gate.suppressed } : {}),
              },
            });
          }
        },
      };
    },
  };
}
