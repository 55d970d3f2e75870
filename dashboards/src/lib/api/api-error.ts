// One error shape for every call: the API's stable code, its message (already Italian) and the
// input field it names (`extensions.field`, e.g. `input.consent`), so forms put it beside the field.

export type ApiErrorCode = string;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly field: string | null;

  constructor(code: ApiErrorCode, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
  }

  /** The field path without the argument's name: `input.subject.taxCode` → `subject.taxCode`. */
  get fieldPath(): string | null {
    if (!this.field) return null;
    return this.field.replace(/^(input|args)\./, '');
  }
}

/** A network failure or a timeout: nothing reached the API, the form keeps what it had. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
export const SESSION_EXPIRED = 'UNAUTHENTICATED';

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('INTERNAL_SERVER_ERROR', err instanceof Error ? err.message : String(err));
}
