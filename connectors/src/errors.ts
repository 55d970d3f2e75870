/**
 * The connectors' one error class. Each registry turns its protocol's failures (HTTP status,
 * RispostaKO, SOAP fault, INPS `Esito`) into one of these codes at a single pure choke point
 * (`<registry>/errors.ts`); the gateway maps the codes to HTTP status and GraphQL
 * `extensions.code`.
 */
export type ConnectorErrorCode =
  // Configuration read at start-up.
  | 'CONNECTOR_CONFIG_INVALID'
  // The counterpart: down, slow, or refused by our circuit breaker.
  | 'COUNTERPART_UNAVAILABLE'
  | 'COUNTERPART_TIMEOUT'
  | 'CIRCUIT_OPEN'
  // What came back cannot be trusted or read.
  | 'RESPONSE_INVALID'
  | 'RESPONSE_UNSIGNED'
  | 'DIGEST_MISMATCH'
  | 'SOAP_FAULT'
  // PDND and ModI, on either side.
  | 'VOUCHER_REFUSED'
  | 'VOUCHER_INVALID'
  | 'VOUCHER_EXPIRED'
  | 'SIGNATURE_INVALID'
  // What was asked.
  | 'REQUEST_INVALID'
  | 'REASON_REQUIRED'
  | 'SUBJECT_NOT_FOUND'
  // A registry download's row.
  | 'ROW_INVALID';

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly details: {
      /** Which counterpart: `anpr`, `pdnd`, `isee`, `health-registry`, `municipal-registry`… */
      counterpart?: string;
      /** The request field or response element at fault. */
      field?: string;
      /** Italian text an operator may read. */
      userMessage?: string;
      /** The counterpart's own code (ANPR `codiceErroreAnomalia`, INPS `Esito`, HTTP status). */
      remoteCode?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  /** Whether trying again later may succeed (the resilience layer retries only these). */
  get transient(): boolean {
    return (
      this.code === 'COUNTERPART_UNAVAILABLE' ||
      this.code === 'COUNTERPART_TIMEOUT' ||
      this.code === 'VOUCHER_EXPIRED' ||
      // A SOAP fault of the server (not of our request) may pass.
      (this.code === 'SOAP_FAULT' && /server$/i.test(this.details.remoteCode ?? ''))
    );
  }
}

export const isConnectorError = (e: unknown): e is ConnectorError => e instanceof ConnectorError;
