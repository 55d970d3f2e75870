import { todayInRome } from '../time/today.ts';

// Codice fiscale of natural persons (DM 23/12/1976): 6 letters of surname and name, birth year,
// month letter, day (+40 for women), Belfiore code of the birth place, check character.
// Omocodia: when two people would share a code, the Agenzia delle Entrate replaces digits from
// the right with letters, so every digit position also accepts its letter.

const MONTHS = 'ABCDEHLMPRST';
const OMOCODE_LETTERS = 'LMNPQRSTUV';
const DIGIT_POSITIONS = [6, 7, 9, 10, 12, 13, 14];
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
const SHAPE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

export type TaxCodeProblem = 'LENGTH' | 'FORMAT' | 'DAY' | 'CHECK_CHARACTER';

export type DecodedTaxCode = {
  taxCode: string;
  sex: 'M' | 'F';
  /** Two-digit year: the century is not in the code. */
  birthYear2: number;
  birthMonth: number;
  birthDay: number;
  birthPlaceCode: string;
  omocode: boolean;
};

export type TaxCodeResult =
  | { ok: true; value: DecodedTaxCode }
  | { ok: false; problem: TaxCodeProblem; message: string };

export const TAX_CODE_PROBLEM_MESSAGES: Record<TaxCodeProblem, string> = {
  LENGTH: 'il codice fiscale deve avere 16 caratteri',
  FORMAT: 'il codice fiscale non ha la forma di un codice fiscale di persona fisica',
  DAY: 'il giorno di nascita nel codice fiscale non è valido',
  CHECK_CHARACTER: 'il carattere di controllo del codice fiscale non corrisponde',
};

const charValue = (c: string) =>
  c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65;

export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = charValue(first15[i]!);
    // Positions are counted from 1: odd positions (index 0, 2, …) use the odd table.
    sum += i % 2 === 0 ? ODD_VALUES[v]! : v;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Replaces omocodia letters with the digits they stand for. */
export function deOmocode(code: string): string {
  const chars = code.split('');
  for (const i of DIGIT_POSITIONS) {
    const k = OMOCODE_LETTERS.indexOf(chars[i]!);
    if (k >= 0) chars[i] = String(k);
  }
  return chars.join('');
}

function omocodeDigit(c: string): number {
  const k = OMOCODE_LETTERS.indexOf(c);
  return k >= 0 ? k : c.charCodeAt(0) - 48;
}

/**
 * What is wrong with a codice fiscale, or null: the same verdict as `parseTaxCode`, without
 * building the decoded value (a SIUSS batch checks a million codes).
 */
export function taxCodeProblem(input: string): TaxCodeProblem | null {
  const code = input.trim().toUpperCase();
  if (code.length !== 16) return 'LENGTH';
  if (!SHAPE.test(code)) return 'FORMAT';
  if (checkCharacter(code) !== code[15]) return 'CHECK_CHARACTER';
  // The day (positions 9 and 10), omocodia letters read as their digits.
  const dayField = omocodeDigit(code[9]!) * 10 + omocodeDigit(code[10]!);
  const day = dayField > 40 ? dayField - 40 : dayField;
  return day < 1 || day > 31 ? 'DAY' : null;
}

export function parseTaxCode(input: string): TaxCodeResult {
  const code = input.trim().toUpperCase();
  const fail = (problem: TaxCodeProblem): TaxCodeResult => ({
    ok: false,
    problem,
    message: TAX_CODE_PROBLEM_MESSAGES[problem],
  });
  if (code.length !== 16) return fail('LENGTH');
  if (!SHAPE.test(code)) return fail('FORMAT');
  if (checkCharacter(code) !== code[15]) return fail('CHECK_CHARACTER');
  const plain = deOmocode(code);
  const dayField = Number(plain.slice(9, 11));
  const female = dayField > 40;
  const day = female ? dayField - 40 : dayField;
  if (day < 1 || day > 31) return fail('DAY');
  return {
    ok: true,
    value: {
      taxCode: code,
      sex: female ? 'F' : 'M',
      birthYear2: Number(plain.slice(6, 8)),
      birthMonth: MONTHS.indexOf(plain[8]!) + 1,
      birthDay: day,
      birthPlaceCode: plain.slice(11, 15),
      omocode: plain !== code,
    },
  };
}

/** The full birth date, taking the century that puts it in the past relative to `today`. */
export function birthDateOf(decoded: DecodedTaxCode, today = new Date()): string {
  const yy = decoded.birthYear2;
  const century = 2000 + yy <= Number(todayInRome(today).slice(0, 4)) ? 2000 : 1900;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${century + yy}-${pad(decoded.birthMonth)}-${pad(decoded.birthDay)}`;
}

const VOWELS = /[AEIOU]/g;
const CONSONANTS = /[B-DF-HJ-NP-TV-Z]/g;

function letters(name: string): { consonants: string[]; vowels: string[] } {
  const clean = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  return { consonants: clean.match(CONSONANTS) ?? [], vowels: clean.match(VOWELS) ?? [] };
}

function surnamePart(surname: string): string {
  const { consonants, vowels } = letters(surname);
  return [...consonants, ...vowels, 'X', 'X', 'X'].slice(0, 3).join('');
}

function namePart(name: string): string {
  const { consonants, vowels } = letters(name);
  if (consonants.length >= 4) return consonants[0]! + consonants[2]! + consonants[3]!;
  return [...consonants, ...vowels, 'X', 'X', 'X'].slice(0, 3).join('');
}

export type TaxCodeInput = {
  firstName: string;
  lastName: string;
  sex: 'M' | 'F';
  /** ISO date, YYYY-MM-DD. */
  birthDate: string;
  /** Belfiore code of the municipality, or Z code of the foreign country. */
  birthPlaceCode: string;
};

/** Computes the code (with `omocodeLevel` digits replaced from the right, as the Agenzia does). */
export function computeTaxCode(input: TaxCodeInput, omocodeLevel = 0): string {
  const [y, m, d] = input.birthDate.split('-').map(Number) as [number, number, number];
  const day = input.sex === 'F' ? d + 40 : d;
  const chars = (
    surnamePart(input.lastName) +
    namePart(input.firstName) +
    String(y % 100).padStart(2, '0') +
    MONTHS[m - 1] +
    String(day).padStart(2, '0') +
    input.birthPlaceCode.toUpperCase()
  ).split('');
  for (let k = 0; k < omocodeLevel && k < DIGIT_POSITIONS.length; k++) {
    const i = DIGIT_POSITIONS[DIGIT_POSITIONS.length - 1 - k]!;
    chars[i] = OMOCODE_LETTERS[Number(chars[i])]!;
  }
  const first15 = chars.join('');
  return first15 + checkCharacter(first15);
}
