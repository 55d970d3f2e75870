import { ConnectorError } from '../errors.ts';

/** INPS's `Esito` (EsitoEnum of the WSDL), when not OK, as a ConnectorError. */
export function mapIseeEsito(
  esito: string,
  description: string | undefined,
  operation: string,
): ConnectorError {
  const message = `INPS ${operation}: ${esito}${description ? ` (${description})` : ''}`;
  const details = { counterpart: 'isee', remoteCode: esito };
  switch (esito) {
    case 'DATI_NON_TROVATI':
      return new ConnectorError('SUBJECT_NOT_FOUND', message, {
        ...details,
        userMessage: "INPS non ha un'attestazione ISEE valida per questo codice fiscale.",
      });
    case 'RICHIESTA_INVALIDA':
    case 'RISCONTRO_NON_VALIDO':
      return new ConnectorError('REQUEST_INVALID', message, details);
    case 'DATABASE_OFFLINE':
    case 'ERRORE_INTERNO':
      return new ConnectorError('COUNTERPART_UNAVAILABLE', message, {
        ...details,
        userMessage: 'Il servizio ISEE di INPS non è disponibile: riprovare più tardi.',
      });
    default:
      return new ConnectorError('RESPONSE_INVALID', `${message}: unknown Esito`, details);
  }
}

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
