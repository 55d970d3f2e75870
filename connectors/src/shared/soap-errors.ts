import { ConnectorError } from '../errors.ts';

type SoapError = Error & {
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: string; faultstring?: string } } } };
  response?: { status?: number };
  code?: string;
};

/** A failed SOAP call (fault, HTTP error, network, timeout) as a ConnectorError. */
export function mapSoapFailure(e: unknown, counterpart: string, operation: string): ConnectorError {
  const err = e as SoapError;
  const fault = err.root?.Envelope?.Body?.Fault;
  if (fault?.faultcode) {
    return new ConnectorError(
      'SOAP_FAULT',
      `${counterpart} ${operation}: ${fault.faultstring ?? fault.faultcode}`,
      {
        counterpart,
        remoteCode: fault.faultcode,
        cause: e,
      },
    );
  }
  if (
    err.code === 'ECONNABORTED' ||
    err.code === 'ETIMEDOUT' ||
    /timeout/i.test(err.message ?? '')
  ) {
    return new ConnectorError(
      'COUNTERPART_TIMEOUT',
      `${counterpart} ${operation}: no answer in time`,
      { counterpart, cause: e },
    );
  }
  const status = err.response?.status;
  return new ConnectorError(
    'COUNTERPART_UNAVAILABLE',
    `${counterpart} ${operation}: ${status ? `HTTP ${status}` : (err.message ?? 'unreachable')}`,
    { counterpart, remoteCode: status ? String(status) : undefined, cause: e },
  );
}
