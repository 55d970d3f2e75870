import { AppError } from '@hub/casework';

/** Bad cube queries (HTTP 400 in Cube's format, `extensions.code` in GraphQL). */
export type WarehouseErrorCode =
  | 'CUBE_INVALID_QUERY'
  | 'CUBE_UNKNOWN_MEMBER'
  | 'CUBE_INVALID_VALUE'
  | 'CUBE_UNKNOWN_OPERATOR'
  | 'CUBE_INVALID_DATE_RANGE'
  | 'CUBE_LIMIT_TOO_LARGE'
  | 'CUBE_QUERY_TOO_COSTLY'
  | 'CUBE_NOT_PROTECTABLE'
  | 'WAREHOUSE_NOT_LOADED';

export const WAREHOUSE_ERROR_CODES: readonly WarehouseErrorCode[] = [
  'CUBE_INVALID_QUERY',
  'CUBE_UNKNOWN_MEMBER',
  'CUBE_INVALID_VALUE',
  'CUBE_UNKNOWN_OPERATOR',
  'CUBE_INVALID_DATE_RANGE',
  'CUBE_LIMIT_TOO_LARGE',
  'CUBE_QUERY_TOO_COSTLY',
  'CUBE_NOT_PROTECTABLE',
  'WAREHOUSE_NOT_LOADED',
];

export class WarehouseError extends AppError<WarehouseErrorCode> {}

export const cubeError = (code: WarehouseErrorCode, field: string, message: string) =>
  new WarehouseError(code, message, field);
