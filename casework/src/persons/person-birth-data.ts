import { CaseworkError } from '../errors.ts';
import { birthDateOf, parseTaxCode } from '../tax-code/tax-code.ts';

export type BirthData = {
  sex?: 'M' | 'F' | null | undefined;
  birthDate?: string | null | undefined;
  birthPlaceCode?: string | null | undefined;
};

/**
 * Sex, birth date and place as the codice fiscale states them, filling what the input leaves
 * out; a value the input gives that contradicts the code is refused (INVALID_TAX_CODE).
 */
export function birthDataFromTaxCode(
  taxCode: string,
  given: BirthData,
  fieldPrefix: string,
): BirthData {
  const decoded = parseTaxCode(taxCode);
  if (!decoded.ok) return given;
  const fromCode = {
    sex: decoded.value.sex,
    birthDate: birthDateOf(decoded.value),
    birthPlaceCode: decoded.value.birthPlaceCode,
  };
  for (const key of ['sex', 'birthDate', 'birthPlaceCode'] as const) {
    if (given[key] && given[key] !== fromCode[key]) {
      throw new CaseworkError(
        'INVALID_TAX_CODE',
        `il codice fiscale non corrisponde al campo ${key}`,
        `${fieldPrefix}.${key}`,
      );
    }
  }
  return {
    sex: given.sex ?? fromCode.sex,
    birthDate: given.birthDate ?? fromCode.birthDate,
    birthPlaceCode: given.birthPlaceCode ?? fromCode.birthPlaceCode,
  };
}

export function normalizeTaxCode(raw: string, field: string): string {
  const parsed = parseTaxCode(raw);
  if (!parsed.ok)
    throw new CaseworkError('INVALID_TAX_CODE', parsed.message, field, { problem: parsed.problem });
  return parsed.value.taxCode;
}
