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

export { mapSoapFailure } from '../shared/soap-errors.ts';
