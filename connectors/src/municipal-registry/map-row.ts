import { checkCharacter } from '../shared/tax-code.ts';
import type { RegistryDownloadConfig, ResidentField } from './config-schema.ts';

/** One resident as the download gives it, checked: what the sink upserts by codice fiscale. */
export type ResidentRow = {
  taxCode: string;
  lastName: string;
  firstName: string;
  sex: 'M' | 'F';
  birthDate: string;
  birthMunicipalityIstat: string | null;
  birthCountryCode: string | null;
  citizenship: string | null;
  familyCode: string | null;
  relationToHead: string | null;
  residenceIstat: string;
  address: string | null;
  houseNumber: string | null;
  postcode: string | null;
  residenceSince: string | null;
  /** SISO's `sigess_flag_stato_anagrafe`: 0 alive resident … 9 immigrant awaiting definition. */
  registryStatus: number;
  deathDate: string | null;
  changedOn: string | null;
  /** A digest of the row's content: an unchanged row is recognised without comparing fields. */
  digest: number;
};

export type RowProblem =
  | 'FIELD_COUNT'
  | 'MISSING_FIELD'
  | 'INVALID_TAX_CODE'
  | 'INVALID_DATE'
  | 'INVALID_SEX'
  | 'UNKNOWN_MUNICIPALITY'
  | 'INVALID_STATUS';

export type RowError = {
  line: number;
  taxCode: string | null;
  field: ResidentField | null;
  problem: RowProblem;
  message: string;
};

const MESSAGES: Record<RowProblem, string> = {
  FIELD_COUNT: 'numero di campi diverso dall’intestazione',
  MISSING_FIELD: 'campo obbligatorio vuoto',
  INVALID_TAX_CODE: 'codice fiscale non valido',
  INVALID_DATE: 'data non valida',
  INVALID_SEX: 'sesso diverso da M o F',
  UNKNOWN_MUNICIPALITY: 'comune non tra quelli dell’anagrafe',
  INVALID_STATUS: 'stato anagrafico sconosciuto (0-9)',
};

const CF_SHAPE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** FNV-1a over the line: cheap, and enough to tell a changed row from the same one. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export type RowParser = (line: string, lineNo: number) => ResidentRow | RowError;

/** Builds the pure row check for a header line and a configuration. */
export function createRowParser(
  header: string[],
  config: RegistryDownloadConfig,
  columns: Record<ResidentField, string>,
): RowParser | { missing: string[] } {
  const index = {} as Record<ResidentField, number>;
  const missing: string[] = [];
  for (const [field, name] of Object.entries(columns) as [ResidentField, string][]) {
    const i = header.indexOf(name);
    if (i < 0 && REQUIRED.includes(field)) missing.push(name);
    index[field] = i;
  }
  if (missing.length > 0) return { missing };
  const known = new Set(config.municipalities);
  const sep = config.separator;
  const width = header.length;
  const toIso = dateReader(config.dateFormat);

  // Everything per row is inline (no closures made per row): this runs 3 million times.
  const iTax = index.taxCode;
  const cell = (cells: string[], i: number) => (i < 0 ? '' : cells[i]!.trim());
  const optional = (cells: string[], i: number) => {
    const v = cell(cells, i);
    return v === '' ? null : v;
  };
  const fail = (
    lineNo: number,
    problem: RowProblem,
    field: ResidentField | null,
    taxCode: string | null,
  ): RowError => ({
    line: lineNo,
    // A copy: a slice of the line would keep the whole read buffer alive as long as the report.
    taxCode: taxCode === null ? null : Buffer.from(taxCode, 'latin1').toString('latin1'),
    field,
    problem,
    message: `riga ${lineNo}${field ? `, ${columns[field]}` : ''}: ${MESSAGES[problem]}`,
  });

  return (line, lineNo) => {
    const cells = line.split(sep);
    if (cells.length !== width) return fail(lineNo, 'FIELD_COUNT', null, null);
    const taxCode = cell(cells, iTax).toUpperCase();
    if (taxCode === '') return fail(lineNo, 'MISSING_FIELD', 'taxCode', null);
    if (!CF_SHAPE.test(taxCode) || checkCharacter(taxCode) !== taxCode[15]) {
      return fail(lineNo, 'INVALID_TAX_CODE', 'taxCode', taxCode);
    }
    const lastName = cell(cells, index.lastName);
    if (lastName === '') return fail(lineNo, 'MISSING_FIELD', 'lastName', taxCode);
    const firstName = cell(cells, index.firstName);
    if (firstName === '') return fail(lineNo, 'MISSING_FIELD', 'firstName', taxCode);
    const residenceIstat = cell(cells, index.residenceIstat);
    if (residenceIstat === '') return fail(lineNo, 'MISSING_FIELD', 'residenceIstat', taxCode);
    const sex = cell(cells, index.sex).toUpperCase();
    if (sex !== 'M' && sex !== 'F') return fail(lineNo, 'INVALID_SEX', 'sex', taxCode);
    const birthDate = toIso(cell(cells, index.birthDate));
    if (!birthDate) return fail(lineNo, 'INVALID_DATE', 'birthDate', taxCode);
    if (!known.has(residenceIstat))
      return fail(lineNo, 'UNKNOWN_MUNICIPALITY', 'residenceIstat', taxCode);
    const sinceRaw = cell(cells, index.residenceSince);
    const residenceSince = sinceRaw === '' ? null : toIso(sinceRaw);
    if (residenceSince === null && sinceRaw !== '')
      return fail(lineNo, 'INVALID_DATE', 'residenceSince', taxCode);
    const deathRaw = cell(cells, index.deathDate);
    const deathDate = deathRaw === '' ? null : toIso(deathRaw);
    if (deathDate === null && deathRaw !== '')
      return fail(lineNo, 'INVALID_DATE', 'deathDate', taxCode);
    const changedRaw = cell(cells, index.changedOn);
    const changedOn = changedRaw === '' ? null : toIso(changedRaw);
    if (changedOn === null && changedRaw !== '')
      return fail(lineNo, 'INVALID_DATE', 'changedOn', taxCode);
    const statusRaw = cell(cells, index.registryStatus);
    const registryStatus = statusRaw === '' ? 0 : Number(statusRaw);
    if (!Number.isInteger(registryStatus) || registryStatus < 0 || registryStatus > 9) {
      return fail(lineNo, 'INVALID_STATUS', 'registryStatus', taxCode);
    }
    return {
      taxCode,
      lastName,
      firstName,
      sex,
      birthDate,
      birthMunicipalityIstat: optional(cells, index.birthMunicipalityIstat),
      birthCountryCode: optional(cells, index.birthCountryCode),
      citizenship: optional(cells, index.citizenship),
      familyCode: optional(cells, index.familyCode),
      relationToHead: optional(cells, index.relationToHead),
      residenceIstat,
      address: optional(cells, index.address),
      houseNumber: optional(cells, index.houseNumber),
      postcode: optional(cells, index.postcode),
      residenceSince,
      registryStatus,
      deathDate,
      changedOn,
      digest: fnv1a(line),
    };
  };
}

const REQUIRED: ResidentField[] = [
  'taxCode',
  'lastName',
  'firstName',
  'sex',
  'birthDate',
  'residenceIstat',
];

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function dateReader(format: RegistryDownloadConfig['dateFormat']): (s: string) => string | null {
  const re =
    format === 'DD/MM/YYYY'
      ? /^(\d{2})\/(\d{2})\/(\d{4})$/
      : format === 'YYYY-MM-DD'
        ? /^(\d{4})-(\d{2})-(\d{2})$/
        : /^(\d{4})(\d{2})(\d{2})$/;
  const dayFirst = format === 'DD/MM/YYYY';
  return (s) => {
    const m = re.exec(s);
    if (!m) return null;
    const [y, mo, d] = dayFirst ? [m[3]!, m[2]!, m[1]!] : [m[1]!, m[2]!, m[3]!];
    const month = Number(mo);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return null;
    if (month === 2 && day === 29 && !isLeap(Number(y))) return null;
    return `${y}-${mo}-${d}`;
  };
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
