import type { CaseworkErrorCode } from '@hub/casework';
import { AppError } from '@hub/casework';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

/** Codes the gateway itself raises (auth, limits); the casework codes come from its package. */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'TOKEN_EXPIRED'
  | 'INVALID_TOKEN'
  | 'INSUFFICIENT_SCOPE'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'RATE_LIMITED';

export class GatewayError extends AppError<GatewayErrorCode> {}

export type ErrorCode = CaseworkErrorCode | GatewayErrorCode | 'INTERNAL_SERVER_ERROR';

/** The single place that maps an error code to its HTTP status. */
export function httpStatusOf(code: string): number {
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
    case 'INVALID_TOKEN':
    case 'INVALID_CREDENTIALS':
      return 401;
    case 'FORBIDDEN':
    case 'INSUFFICIENT_SCOPE':
    case 'NO_SHARING_AGREEMENT':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'DUPLICATE_PERSON':
    case 'RECORD_CLOSED':
    case 'ACCESS_KIND_FIXED':
    case 'RECORD_KEPT_BY_LAW':
    case 'CASE_ALREADY_OPEN':
    case 'INVALID_STATUS_TRANSITION':
      return 409;
    case 'FILE_TOO_LARGE':
      return 413;
    case 'ACCOUNT_LOCKED':
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      // Every other domain code is a refusal of the input.
      return 400;
  }
}

/** Turns a domain error into the GraphQL error clients see: stable code, field at fault. */
export function toGraphQLError(
  err: AppError<string>,
  path?: readonly (string | number)[],
): GraphQLError {
  return createGraphQLError(err.message, {
    ...(path ? { path } : {}),
    extensions: {
      code: err.code,
      ...(err.field ? { field: err.field } : {}),
      ...(err.details ? { details: err.details } : {}),
    },
  });
}
