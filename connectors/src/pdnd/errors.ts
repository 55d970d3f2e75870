import { ConnectorError } from '../errors.ts';

/** PDND's token endpoint answers RFC 6749 errors as a Problem (pdnd-v1.yaml). */
export function mapTokenFailure(status: number, body: string): ConnectorError {
  let detail = '';
  try {
    const p = JSON.parse(body) as { title?: string; detail?: string };
    detail = [p.title, p.detail].filter(Boolean).join(': ');
  } catch {
    // not a Problem: the status says enough
  }
  const remoteCode = String(status);
  if (status === 400 || status === 401 || status === 403) {
    return new ConnectorError(
      'VOUCHER_REFUSED',
      `PDND refused the voucher request (${status}) ${detail}`.trim(),
      {
        counterpart: 'pdnd',
        remoteCode,
        userMessage: 'La piattaforma PDND ha rifiutato la richiesta di autorizzazione.',
      },
    );
  }
  return new ConnectorError('COUNTERPART_UNAVAILABLE', `PDND token endpoint answered ${status}`, {
    counterpart: 'pdnd',
    remoteCode,
  });
}
