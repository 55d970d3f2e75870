import { ConnectorError } from '../errors.ts';
import type { RispostaKO } from './types.ts';

/**
 * The one place where an ANPR answer that is not a success becomes a ConnectorError: the HTTP
 * status says which kind, the RispostaKO's first error says what (kept as `remoteCode`).
 */
export function mapAnprFailure(status: number, body: unknown, service: string): ConnectorError {
  const ko = (body ?? {}) as RispostaKO;
  const first = ko.listaErrori?.[0];
  const text = first?.testoErroreAnomalia ?? `HTTP ${status}`;
  const details = {
    counterpart: 'anpr',
    remoteCode: first?.codiceErroreAnomalia ?? String(status),
    field: first?.campoErroreAnomalia,
  };
  if (status === 404) {
    return new ConnectorError('SUBJECT_NOT_FOUND', `ANPR ${service}: ${text}`, {
      ...details,
      userMessage: 'Il soggetto non risulta in ANPR.',
    });
  }
  if (status === 401 || status === 403) {
    const expired = /scadut|expired/i.test(text);
    return new ConnectorError(
      expired ? 'VOUCHER_EXPIRED' : 'VOUCHER_REFUSED',
      `ANPR ${service}: ${text}`,
      details,
    );
  }
  if (status === 400) {
    if (/digest/i.test(text))
      return new ConnectorError('DIGEST_MISMATCH', `ANPR ${service}: ${text}`, details);
    if (/firma|signature/i.test(text)) {
      return new ConnectorError('SIGNATURE_INVALID', `ANPR ${service}: ${text}`, details);
    }
    return new ConnectorError('REQUEST_INVALID', `ANPR ${service}: ${text}`, {
      ...details,
      userMessage: 'La richiesta ad ANPR non è valida.',
    });
  }
  return new ConnectorError('COUNTERPART_UNAVAILABLE', `ANPR ${service}: ${text}`, {
    ...details,
    userMessage: 'ANPR non risponde: riprovare più tardi.',
  });
}
