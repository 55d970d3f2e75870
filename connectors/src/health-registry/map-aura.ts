import { ConnectorError } from '../errors.ts';
import type { HealthProfile, HealthRegistryPerson } from './types.ts';

// AURA's answers (AnagrafeFind.datiAnagraficiMsg, AnagrafeSanitaria.soggettoAuraMsg) as the
// hub's types. Diagnoses (codDiagnosi, diagnosi) are left out: the case file needs to know an
// exemption applies, not what it is for.

type Msg = {
  header?: { codiceRitorno?: string };
  footer?: { messages?: { message?: Message | Message[] } };
};
type Message = { codice?: string; descrizione?: string };

const list = <T>(v: T | T[] | undefined | null): T[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
const day = (v: unknown) =>
  typeof v === 'string' && v !== ''
    ? v.slice(0, 10)
    : v instanceof Date
      ? v.toISOString().slice(0, 10)
      : null;
const str = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));

/** AURA answers `codiceRitorno` 0 on success (an assumption: the WSDL does not say). */
export function checkAuraReturn(msg: Msg | undefined, operation: string) {
  const code = msg?.header?.codiceRitorno;
  if (code === undefined || code === '0') return;
  const m = list(msg?.footer?.messages?.message)[0];
  throw new ConnectorError('REQUEST_INVALID', `AURA ${operation}: ${m?.descrizione ?? code}`, {
    counterpart: 'health-registry',
    remoteCode: m?.codice ?? code,
  });
}

type DatiAnagrafici = {
  idProfiloAnagrafico?: unknown;
  codiceFiscale?: string;
  cognome?: string;
  nome?: string;
  sesso?: string;
  dataNascita?: unknown;
  dataDecesso?: unknown;
};

export function mapProfili(
  result:
    | (Msg & { body?: { elencoProfili?: { datianagrafici?: DatiAnagrafici | DatiAnagrafici[] } } })
    | undefined,
): HealthRegistryPerson[] {
  checkAuraReturn(result, 'FindProfiliAnagrafici');
  return list(result?.body?.elencoProfili?.datianagrafici).map((d) => ({
    registryId: String(d.idProfiloAnagrafico),
    taxCode: str(d.codiceFiscale),
    lastName: str(d.cognome),
    firstName: str(d.nome),
    sex: d.sesso === 'M' || d.sesso === 'F' ? d.sesso : null,
    birthDate: day(d.dataNascita),
    deathDate: day(d.dataDecesso),
  }));
}

type SoggettoBody = {
  idAura?: unknown;
  infoAnag?: { datiPrimari?: { codiceFiscale?: string } };
  infoSan?: Record<string, unknown>;
  infoEsenzioni?: { infoesenzione?: Record<string, unknown> | Record<string, unknown>[] };
};

export function mapProfiloSanitario(
  result: (Msg & { body?: SoggettoBody }) | undefined,
  retrievedAt: string,
): HealthProfile {
  checkAuraReturn(result, 'GetProfiloSanitario');
  const b = result?.body;
  if (!b?.idAura) {
    throw new ConnectorError('SUBJECT_NOT_FOUND', 'AURA GetProfiloSanitario: no health profile', {
      counterpart: 'health-registry',
    });
  }
  const s = b.infoSan ?? {};
  return {
    registryId: String(b.idAura),
    taxCode: str(b.infoAnag?.datiPrimari?.codiceFiscale),
    asl: str(s['aslAssistenza']),
    assistedSince: day(s['dataInizioASL']),
    doctor:
      s['codiceFiscaleMedico'] || s['codRegionaleMedico']
        ? {
            taxCode: str(s['codiceFiscaleMedico']),
            regionalCode: str(s['codRegionaleMedico']),
            lastName: str(s['cognomeMedico']),
            firstName: str(s['nomeMedico']),
            since: day(s['dataInizioAssMedico']),
            until: day(s['dataFineAssMedico']),
          }
        : null,
    exemptions: list(b.infoEsenzioni?.infoesenzione).map((e) => ({
      code: String(e['codEsenzione']),
      description: str(e['descEsenzione']),
      from: day(e['inizioValEsenzione']),
      to: day(e['fineValEsenzione']),
    })),
    source: { counterpart: 'piemonte-aura', service: 'GetProfiloSanitario', retrievedAt },
  };
}
