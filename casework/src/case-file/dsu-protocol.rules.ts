import { CaseworkError } from '../errors.ts';

/**
 * The protocol number INPS gives a DSU (dichiarazione sostitutiva unica), as INPS's own schemas
 * type it: TypeProtocollo of ISEE_TipiComuni.xsd and ProtocolloDSU of ConsultazioneISEE.xsd,
 * `INPS-ISEE-<year>-<8 digits><letter>-<2 digits>` (e.g. INPS-ISEE-2026-00001234A-00). The SIUSS
 * schema (PS_PSA_SINA201812.xsd, NumeroProtocolloDSU) only caps it at 30 characters; INPS's ISEE
 * schemas are the ones that say what a protocol is, and the SIUSS record carries INPS's number.
 */
export const DSU_PROTOCOL_PATTERN = /^INPS-ISEE-[0-9]{4}-[0-9]{8}[A-Z]-[0-9]{2}$/;

/** Whether a DSU protocol number is as INPS writes it. */
export function isDsuProtocol(value: string): boolean {
  return DSU_PROTOCOL_PATTERN.test(value);
}

/**
 * Refuses a DSU protocol number not as INPS writes it, naming the field. A pure check: the
 * services call it before they write anything; absent (null) is not its business.
 */
export function checkDsuProtocol(value: string | null | undefined, field: string): void {
  if (value == null || isDsuProtocol(value)) return;
  throw new CaseworkError(
    'DSU_PROTOCOL_INVALID',
    'protocollo della DSU non valido: il formato INPS è INPS-ISEE-AAAA-NNNNNNNNL-NN (es. INPS-ISEE-2026-00001234A-00)',
    field,
  );
}
