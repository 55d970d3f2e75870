/** Stable codes that reach clients in GraphQL `extensions.code` (README, "Error codes"). */
export type CaseworkErrorCode =
  | 'BAD_USER_INPUT'
  | 'INVALID_TAX_CODE'
  | 'UNKNOWN_ISTAT_CODE'
  | 'DUPLICATE_PERSON'
  | 'CONSENT_REQUIRED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_LOCKED'
  // Front desk (intake record): the consent rule of each kind of access, coded lists, dates.
  | 'ANONYMOUS_WITH_IDENTITY'
  | 'SUBJECT_REQUIRED'
  | 'CHANNEL_NOT_ALLOWED'
  | 'INTERLOCUTOR_NOT_ALLOWED'
  | 'SERVICE_WITHOUT_TITLE'
  | 'OUTCOME_NOT_ALLOWED'
  | 'UNKNOWN_SERVICE_CODE'
  | 'UNKNOWN_NEED_CODE'
  | 'FUTURE_DATE'
  | 'RECORD_CLOSED'
  // Rules 1 and 6: a judicial authority's report and a report of crime or risk stay as recorded.
  | 'ACCESS_KIND_FIXED'
  | 'RECORD_KEPT_BY_LAW'
  // Personal data reach another organisation only under a recorded agreement.
  | 'NO_SHARING_AGREEMENT'
  // Rule 4: a minor or a person under guardianship consents through the legal representative.
  | 'REPRESENTATIVE_CONSENT_REQUIRED'
  // Case file (cartella sociale): taking into care, status, assessments, care plan, documents.
  | 'CASE_ALREADY_OPEN'
  | 'INVALID_STATUS_TRANSITION'
  | 'REJECTION_NOT_ALLOWED'
  | 'BARTHEL_OUT_OF_RANGE'
  | 'REVIEW_BEFORE_START'
  | 'FORBIDDEN_FILE_TYPE'
  | 'FILE_TOO_LARGE'
  // Erogazione interventi: catalog, contracts, tariffs, quantities, periods, ISEE.
  | 'SERVICE_NOT_VALID_ON_DATE'
  | 'DELIVERY_OUTSIDE_PERIOD'
  | 'CONTRACT_NOT_APPLICABLE'
  | 'CONTRACT_CEILING_EXCEEDED'
  | 'INVALID_QUANTITY'
  | 'TARIFF_GAP'
  | 'TARIFF_OVERLAP'
  | 'NO_TARIFF_IN_FORCE'
  | 'ISEE_REQUIRED'
  // A DSU protocol number not as INPS writes it (ISEE_TipiComuni.xsd TypeProtocollo).
  | 'DSU_PROTOCOL_INVALID'
  // SIUSS duty: flows cannot be numbered or headed before the organisation's sender is set.
  | 'SIUSS_SENDER_MISSING'
  // Counterparts (ANPR, INPS, the health registry): the connectors' failures as the operator
  // reads them (exchanges/exchange.errors.ts), and the reason ANPR demands.
  | 'REASON_REQUIRED'
  | 'SUBJECT_NOT_FOUND'
  | 'COUNTERPART_NOT_CONFIGURED'
  | 'COUNTERPART_UNAVAILABLE'
  | 'COUNTERPART_TIMEOUT'
  | 'CIRCUIT_OPEN'
  | 'COUNTERPART_REFUSED'
  | 'COUNTERPART_ANSWER_INVALID';

export class AppError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** The input field at fault, as a dotted path (`input.taxCode`). */
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class CaseworkError extends AppError<CaseworkErrorCode> {}

export const badInput = (field: string, message: string) =>
  new CaseworkError('BAD_USER_INPUT', message, field);
