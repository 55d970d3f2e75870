import type { CaseworkErrorCode } from '@hub/casework';
import { AppError } from '@hub/casework';
import type { ConnectorErrorCode } from '@hub/connectors';
import type { WarehouseErrorCode } from '@hub/warehouse';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

/** Codes the gateway itself raises (auth, limits); the casework codes come from its package. */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'TOKEN_EXPIRED'
  | 'INVALID_TOKEN'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'QUERY_TOO_LARGE'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED';

export class GatewayError extends AppError<GatewayErrorCode> {}

export type ErrorCode =
  | CaseworkErrorCode
  | GatewayErrorCode
  | ConnectorErrorCode
  | WarehouseErrorCode
  | 'INTERNAL_SERVER_ERROR';

// The single code → HTTP status table. A Record over the union, so a code added to casework or
// to the gateway without a status here fails to compile (and a removed one too).
const HTTP_STATUS = {
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_TOKEN: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE_PERSON: 409,
  RECORD_CLOSED: 409,
  ACCESS_KIND_FIXED: 409,
  RECORD_KEPT_BY_LAW: 409,
  NO_SHARING_AGREEMENT: 403,
  REPRESENTATIVE_CONSENT_REQUIRED: 400,
  CASE_ALREADY_OPEN: 409,
  INVALID_STATUS_TRANSITION: 409,
  FILE_TOO_LARGE: 413,
  SERVICE_NOT_VALID_ON_DATE: 400,
  DELIVERY_OUTSIDE_PERIOD: 400,
  CONTRACT_NOT_APPLICABLE: 400,
  CONTRACT_CEILING_EXCEEDED: 409,
  INVALID_QUANTITY: 400,
  TARIFF_GAP: 400,
  TARIFF_OVERLAP: 409,
  NO_TARIFF_IN_FORCE: 400,
  ISEE_REQUIRED: 400,
  DSU_PROTOCOL_INVALID: 400,
  SIUSS_SENDER_MISSING: 409,
  PAYLOAD_TOO_LARGE: 413,
  ACCOUNT_LOCKED: 429,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  BAD_USER_INPUT: 400,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COSTLY: 400,
  QUERY_TOO_LARGE: 400,
  INVALID_TAX_CODE: 400,
  UNKNOWN_ISTAT_CODE: 400,
  CONSENT_REQUIRED: 400,
  ANONYMOUS_WITH_IDENTITY: 400,
  SUBJECT_REQUIRED: 400,
  CHANNEL_NOT_ALLOWED: 400,
  INTERLOCUTOR_NOT_ALLOWED: 400,
  SERVICE_WITHOUT_TITLE: 400,
  OUTCOME_NOT_ALLOWED: 400,
  UNKNOWN_SERVICE_CODE: 400,
  UNKNOWN_NEED_CODE: 400,
  FUTURE_DATE: 400,
  REJECTION_NOT_ALLOWED: 400,
  BARTHEL_OUT_OF_RANGE: 400,
  REVIEW_BEFORE_START: 400,
  FORBIDDEN_FILE_TYPE: 400,
  // The connectors (@hub/connectors ConnectorError): a counterpart's failure is a bad gateway,
  // a voucher or ModI signature refused on our provider side (WaaS API) is the caller's.
  CONNECTOR_CONFIG_INVALID: 500,
  COUNTERPART_UNAVAILABLE: 502,
  COUNTERPART_TIMEOUT: 504,
  CIRCUIT_OPEN: 503,
  RESPONSE_INVALID: 502,
  RESPONSE_UNSIGNED: 502,
  DIGEST_MISMATCH: 502,
  SOAP_FAULT: 502,
  VOUCHER_REFUSED: 502,
  VOUCHER_INVALID: 401,
  VOUCHER_EXPIRED: 401,
  SIGNATURE_INVALID: 401,
  REQUEST_INVALID: 502,
  REASON_REQUIRED: 400,
  SUBJECT_NOT_FOUND: 404,
  ROW_INVALID: 400,
  CUBE_INVALID_QUERY: 400,
  CUBE_UNKNOWN_MEMBER: 400,
  CUBE_INVALID_VALUE: 400,
  CUBE_UNKNOWN_OPERATOR: 400,
  CUBE_INVALID_DATE_RANGE: 400,
  CUBE_LIMIT_TOO_LARGE: 400,
  CUBE_QUERY_TOO_COSTLY: 400,
  CUBE_NOT_PROTECTABLE: 400,
  WAREHOUSE_NOT_LOADED: 503,
  // A counterpart's failure as casework words it for the operator (exchanges/exchange.errors.ts).
  COUNTERPART_NOT_CONFIGURED: 503,
  COUNTERPART_REFUSED: 502,
  COUNTERPART_ANSWER_INVALID: 502,
} as const satisfies Record<ErrorCode, number>;

export type HttpErrorStatus = (typeof HTTP_STATUS)[ErrorCode];

export const ERROR_CODES = Object.keys(HTTP_STATUS) as ErrorCode[];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(HTTP_STATUS, code);
}

/** The single place that maps an error code to its HTTP status. */
export function httpStatusOf(code: ErrorCode): HttpErrorStatus {
  return HTTP_STATUS[code];
}

// GraphQL answers 200 with `errors` for a refusal of the input (GraphQL over HTTP); these three
// are about the caller, not the query, and the README promises their HTTP status.
const GRAPHQL_HTTP_CODES: ReadonlySet<ErrorCode> = new Set([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'INVALID_TOKEN',
  'FORBIDDEN',
  'ACCOUNT_LOCKED',
  'RATE_LIMITED',
]);

/** `extensions.http` for yoga: the status (and Retry-After) a GraphQL answer carrying `code` gets. */
export function graphQLHttpOf(
  code: string,
  details?: Record<string, unknown> | undefined,
): { status: number; headers?: Record<string, string> } | undefined {
  if (!isErrorCode(code) || !GRAPHQL_HTTP_CODES.has(code)) return undefined;
  const retry = details?.retryAfterSeconds;
  return {
    status: httpStatusOf(code),
    ...(typeof retry === 'number' ? { headers: { 'Retry-After': String(retry) } } : {}),
  };
}

/** A GraphQL error with a stable code, built the same way wherever it is raised. */
export function codedGraphQLError(
  code: ErrorCode,
  message: string,
  options: {
    field?: string | undefined;
    details?: Record<string, unknown> | undefined;
    path?: readonly (string | number)[] | undefined;
  } = {},
): GraphQLError {
  const http = graphQLHttpOf(code, options.details);
  return createGraphQLError(message, {
    ...(options.path ? { path: options.path } : {}),
    extensions: {
      code,
      ...(options.field ? { field: options.field } : {}),
      ...(options.details ? { details: options.details } : {}),
      ...(http ? { http } : {}),
    },
  });
}

/** Turns a domain error into the GraphQL error clients see: stable code, field at fault. */
export function toGraphQLError(
  err: AppError<string>,
  path?: readonly (string | number)[],
): GraphQLError {
  return codedGraphQLError(
    isErrorCode(err.code) ? err.code : 'INTERNAL_SERVER_ERROR',
    err.message,
    { field: err.field, details: err.details, path },
  );
}

/**
 * An unexpected error as the server log gets it: the stack, with quoted values removed (a
 * driver echoes the input it refused, and the input may be a codice fiscale).
 */
export function loggable(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return (e.stack ?? `${e.name}: ${e.message}`).replace(/"[^"]*"|'[^']*'/g, '"…"');
}
