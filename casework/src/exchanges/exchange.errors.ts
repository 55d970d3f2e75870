import { CaseworkError, type CaseworkErrorCode } from '../errors.ts';
import type { Counterpart } from './exchange.store.ts';

// The one place where a counterpart's failure becomes what the operator reads: a stable code and
// a plain Italian sentence. The connectors' codes (ConnectorError, read structurally) are many;
// the operator needs to know whether to try again, to tell the administrator, or that the
// person is not there. The connector's own code stays in the exchange audit and in `details`.

export const COUNTERPART_NAMES: Record<Counterpart, string> = {
  anpr: 'ANPR',
  isee: 'il servizio ISEE di INPS',
  'health-registry': "l'anagrafe sanitaria",
  'municipal-registry': "l'anagrafe comunale",
};

/** The connector's code of a failure, or null for an error that is not a counterpart's. */
export function failureCodeOf(e: unknown): string | null {
  const code = (e as { name?: unknown; code?: unknown } | null)?.code;
  return (e as { name?: unknown } | null)?.name === 'ConnectorError' && typeof code === 'string'
    ? code
    : null;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function counterpartError(counterpart: Counterpart, connectorCode: string): CaseworkError {
  const name = COUNTERPART_NAMES[counterpart];
  const make = (code: CaseworkErrorCode, message: string) =>
    new CaseworkError(code, message, undefined, { counterpart, cause: connectorCode });
  switch (connectorCode) {
    case 'COUNTERPART_TIMEOUT':
      return make(
        'COUNTERPART_TIMEOUT',
        `${capitalised(name)} non ha risposto in tempo: riprovare più tardi.`,
      );
    case 'CIRCUIT_OPEN':
      return make(
        'CIRCUIT_OPEN',
        `Le richieste verso ${name} sono sospese per i troppi errori degli ultimi minuti: riprovare tra poco.`,
      );
    case 'COUNTERPART_UNAVAILABLE':
      return make(
        'COUNTERPART_UNAVAILABLE',
        `${capitalised(name)} non è raggiungibile: riprovare più tardi.`,
      );
    case 'SUBJECT_NOT_FOUND':
      return make('SUBJECT_NOT_FOUND', `Il codice fiscale non risulta presso ${name}.`);
    case 'SOAP_FAULT':
    case 'RESPONSE_INVALID':
    case 'RESPONSE_UNSIGNED':
    case 'DIGEST_MISMATCH':
      return make(
        'COUNTERPART_ANSWER_INVALID',
        `La risposta di ${name} non è integra o non è leggibile ed è stata scartata: riprovare; se si ripete, avvisare l'amministratore.`,
      );
    case 'CONNECTOR_CONFIG_INVALID':
      return make(
        'COUNTERPART_NOT_CONFIGURED',
        `Il collegamento con ${name} non è configurato per questo servizio: avvisare l'amministratore.`,
      );
    default:
      // VOUCHER_REFUSED, VOUCHER_INVALID, VOUCHER_EXPIRED, SIGNATURE_INVALID, REQUEST_INVALID…
      return make(
        'COUNTERPART_REFUSED',
        `${capitalised(name)} ha rifiutato la richiesta del servizio: avvisare l'amministratore.`,
      );
  }
}

export const notConfigured = (counterpart: Counterpart) =>
  new CaseworkError(
    'COUNTERPART_NOT_CONFIGURED',
    `Il collegamento con ${COUNTERPART_NAMES[counterpart]} non è configurato: avvisare l'amministratore.`,
    undefined,
    { counterpart },
  );
