// The rules a SIUSS record must meet that the XSD cannot say (the notes of the technical
// specification, Tabelle 7 and 9, and the checks the original SISO makes before it exports:
// DSU all-or-none, presa in carico set, SINA present for a person in care with a disability),
// as pure checks with typed verdicts that name the record and the field. They run before the
// record is written; xmllint then checks everything the XSD says.
import { sinbaSchema } from '../case-file/assessment/siuss-zod.ts';
import { TAX_CODE_PROBLEM_MESSAGES, taxCodeProblem } from '../tax-code/tax-code.ts';
import { hasInvalidXmlChar } from './siuss-flow-writer.ts';
import type { PrestazioneSociale, PsRecord, SinbaRecord } from './siuss-record.ts';

export type SiussRuleCode =
  | 'DSU_INCOMPLETE'
  | 'DSU_REQUIRED'
  | 'CHARACTER_REQUIRED'
  | 'REQUIRED_FOR_PERIODIC'
  | 'REQUIRED_FOR_OCCASIONAL'
  | 'END_BEFORE_START'
  | 'END_IN_ANOTHER_YEAR'
  | 'AMOUNT_NOT_POSITIVE'
  | 'SHARES_MISMATCH'
  | 'USER_AREA_REQUIRED'
  | 'SINA_REQUIRED'
  | 'ADDRESS_INCOMPLETE'
  | 'INVALID_TAX_CODE'
  | 'INVALID_CHARACTER'
  | 'SCHEMA';

/** One broken rule: which record (and benefit), which field, why. */
export type SiussIssue = {
  /** The record's key (PsRecord.key, SinbaRecord.key). */
  record: string;
  /** The benefit's key (PrestazioneSociale.key), when the issue is in a benefit. */
  benefit: string | null;
  /** Dotted path in the XSD's names: `PrestazioniSociali[0].ImportoMensile`. */
  field: string;
  code: SiussRuleCode;
  message: string;
};

const cents = (n: number) => Math.round(n * 100);
const POSITIVE_AMOUNTS = [
  'ImportoPrestazione',
  'ImportoMensile',
  'ImportoQuotaEnte',
  'ImportoQuotaSSN',
] as const;

// Plain functions, no closure per record: the checks run a million times in a batch (and tsx's
// keep-names helper costs a property definition per closure created).
function add(
  issues: SiussIssue[],
  record: string,
  benefit: string | null,
  field: string,
  code: SiussRuleCode,
  message: string,
) {
  issues.push({ record, benefit, field, code, message });
}

function benefitIssues(record: string, p: PrestazioneSociale, at: string, issues: SiussIssue[]) {
  const key = p.key;
  // A cancellation names the record INPS holds: only its identifying fields matter.
  if (p.TipoOperazione === 'C') return;

  const given = +!!p.NumeroProtocolloDSU + +!!p.AnnoProtocolloDSU + +!!p.DataDSU;
  if (given > 0 && given < 3)
    add(
      issues,
      record,
      key,
      `${at}.${given === 1 && !p.NumeroProtocolloDSU ? 'NumeroProtocolloDSU' : 'DataDSU'}`,
      'DSU_INCOMPLETE',
      'dati della DSU incompleti: protocollo, anno e data si indicano tutti o nessuno',
    );
  if (p.PresenzaProvaMezzi === '1' && given === 0)
    add(
      issues,
      record,
      key,
      `${at}.NumeroProtocolloDSU`,
      'DSU_REQUIRED',
      'prestazione soggetta a ISEE: indicare la DSU (protocollo, anno, data)',
    );

  if (!p.CaratterePrestazione)
    add(
      issues,
      record,
      key,
      `${at}.CaratterePrestazione`,
      'CHARACTER_REQUIRED',
      'indicare se la prestazione è periodica o occasionale',
    );
  if (p.CaratterePrestazione === '1') {
    if (!p.DataInizioPrestazione)
      add(
        issues,
        record,
        key,
        `${at}.DataInizioPrestazione`,
        'REQUIRED_FOR_PERIODIC',
        'prestazione periodica: data di inizio obbligatoria',
      );
    if (p.ImportoMensile === undefined)
      add(
        issues,
        record,
        key,
        `${at}.ImportoMensile`,
        'REQUIRED_FOR_PERIODIC',
        'prestazione periodica: importo mensile obbligatorio',
      );
  }
  if (p.CaratterePrestazione === '2') {
    if (!p.DataErogazionePrestazione)
      add(
        issues,
        record,
        key,
        `${at}.DataErogazionePrestazione`,
        'REQUIRED_FOR_OCCASIONAL',
        'prestazione occasionale: data di erogazione obbligatoria',
      );
    if (p.ImportoPrestazione === undefined)
      add(
        issues,
        record,
        key,
        `${at}.ImportoPrestazione`,
        'REQUIRED_FOR_OCCASIONAL',
        'prestazione occasionale: importo obbligatorio',
      );
  }
  if (p.DataFinePrestazione && p.DataInizioPrestazione) {
    if (p.DataFinePrestazione < p.DataInizioPrestazione)
      add(
        issues,
        record,
        key,
        `${at}.DataFinePrestazione`,
        'END_BEFORE_START',
        'la data di fine precede la data di inizio',
      );
    else if (p.DataFinePrestazione.slice(0, 4) !== p.DataInizioPrestazione.slice(0, 4))
      add(
        issues,
        record,
        key,
        `${at}.DataFinePrestazione`,
        'END_IN_ANOTHER_YEAR',
        'la data di fine deve cadere nello stesso anno della data di inizio',
      );
  }
  for (const name of POSITIVE_AMOUNTS) {
    const v = p[name];
    if (v !== undefined && !(v > 0))
      add(
        issues,
        record,
        key,
        `${at}.${name}`,
        'AMOUNT_NOT_POSITIVE',
        'l’importo deve essere maggiore di zero',
      );
  }
  if (p.ImportoQuotaUtente !== undefined && !(p.ImportoQuotaUtente >= 0))
    add(
      issues,
      record,
      key,
      `${at}.ImportoQuotaUtente`,
      'AMOUNT_NOT_POSITIVE',
      'la quota dell’utente non può essere negativa',
    );
  const total = p.CaratterePrestazione === '1' ? p.ImportoMensile : p.ImportoPrestazione;
  const anyShare =
    p.ImportoQuotaEnte !== undefined ||
    p.ImportoQuotaUtente !== undefined ||
    p.ImportoQuotaSSN !== undefined;
  if (total !== undefined && anyShare) {
    const sum =
      cents(p.ImportoQuotaEnte ?? 0) +
      cents(p.ImportoQuotaUtente ?? 0) +
      cents(p.ImportoQuotaSSN ?? 0);
    if (sum !== cents(total))
      add(
        issues,
        record,
        key,
        `${at}.ImportoQuotaEnte`,
        'SHARES_MISMATCH',
        `la somma delle quote (${(sum / 100).toFixed(2)}) deve essere uguale all’importo ${p.CaratterePrestazione === '1' ? 'mensile' : 'della prestazione'} (${total.toFixed(2)})`,
      );
  }
  if (p.PresaCarico === '1' && !p.AreaUtenza)
    add(
      issues,
      record,
      key,
      `${at}.AreaUtenza`,
      'USER_AREA_REQUIRED',
      'beneficiario in carico: indicare l’area di utenza',
    );
  if (p.PresaCarico === '1' && p.AreaUtenza === '2' && !p.SINA)
    add(
      issues,
      record,
      key,
      `${at}.SINA`,
      'SINA_REQUIRED',
      'beneficiario in carico nell’area disabilità e non autosufficienza: compilare la scheda SINA',
    );
}

/** Whether any text in the value holds a character XML refuses (no paths: the common case). */
function anyInvalidText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return hasInvalidXmlChar(value);
  if (!value || typeof value !== 'object' || depth >= 4) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (anyInvalidText(v, depth + 1)) return true;
    return false;
  }
  for (const k in value)
    if (anyInvalidText((value as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

function textIssues(value: unknown, path: string, push: (field: string) => void, depth = 0): void {
  if (typeof value === 'string') {
    if (hasInvalidXmlChar(value)) push(path);
  } else if (value && typeof value === 'object' && depth < 4) {
    for (const [k, v] of Object.entries(value))
      textIssues(
        v,
        Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k,
        push,
        depth + 1,
      );
  }
}

/**
 * Every broken rule of a PS/PSA record (empty: the record may be written). `scanText: false`
 * leaves out the search for characters XML refuses, for a caller that learns of them otherwise
 * (the flow writer sees every value it escapes, and asks for `psTextIssues` only then).
 */
export function checkPsRecord(r: PsRecord, scanText = true): SiussIssue[] {
  const issues: SiussIssue[] = [];
  // An 11-digit number is a provisional code, which the XSD also allows; 16 characters must
  // be a real codice fiscale, check character included.
  if (r.CodiceFiscale.length === 16) {
    const problem = taxCodeProblem(r.CodiceFiscale);
    if (problem)
      add(
        issues,
        r.key,
        null,
        'CodiceFiscale',
        'INVALID_TAX_CODE',
        TAX_CODE_PROBLEM_MESSAGES[problem],
      );
  }
  for (let i = 0; i < r.Indirizzo.length; i++) {
    const a = r.Indirizzo[i]!;
    if (a.CodiceNazione === '380' && (!a.CodiceRegione || !a.CodiceComune))
      add(
        issues,
        r.key,
        null,
        `Indirizzo[${i}].${a.CodiceRegione ? 'CodiceComune' : 'CodiceRegione'}`,
        'ADDRESS_INCOMPLETE',
        'indirizzo in Italia: codice regione e codice comune obbligatori',
      );
  }
  for (let i = 0; i < r.PrestazioniSociali.length; i++)
    benefitIssues(r.key, r.PrestazioniSociali[i]!, `PrestazioniSociali[${i}]`, issues);
  if (scanText && anyInvalidText(r)) issues.push(...psTextIssues(r));
  return issues;
}

/** The fields of a PS/PSA record that hold a character XML refuses, each an issue. */
export function psTextIssues(r: PsRecord): SiussIssue[] {
  const issues: SiussIssue[] = [];
  textIssues({ ...r, key: '' }, '', (field) =>
    add(
      issues,
      r.key,
      null,
      field,
      'INVALID_CHARACTER',
      'carattere non ammesso in XML (carattere di controllo)',
    ),
  );
  return issues;
}

// jsonb gives the keys back in its own order: compare what the issues say, not their text.
const issueKeys = (issues: SiussIssue[] | null) =>
  (issues ?? [])
    .map((i) => `${i.code}|${i.field}|${i.message}`)
    .sort()
    .join('\n');

/** Whether a record is refused again for the same reasons (it then gets no new invalid flow). */
export const sameIssues = (a: SiussIssue[], b: SiussIssue[] | null) =>
  issueKeys(a) === issueKeys(b);

/** Every broken rule of a SINBA record: the assessment schema generated from SINBA.xsd. */
export function checkSinbaRecord(r: SinbaRecord): SiussIssue[] {
  const { key, ...data } = r;
  const parsed = sinbaSchema.safeParse(data);
  const issues: SiussIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((e) => ({
        record: key,
        benefit: null,
        field: e.path.join('.') || 'SINBA',
        code: 'SCHEMA' as const,
        message: e.message,
      }));
  textIssues(data, '', (field) =>
    issues.push({
      record: key,
      benefit: null,
      field,
      code: 'INVALID_CHARACTER',
      message: 'carattere non ammesso in XML (carattere di controllo)',
    }),
  );
  return issues;
}
