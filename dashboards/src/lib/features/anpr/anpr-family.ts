// ANPR's family (C021) as the screens ask for it: of a person of the hub (the case file's
// personal data, an intake record's chosen subject) or, by codice fiscale, of the person the
// intake form is registering. Shown, never stored as such: what the operator adds from it to a
// record is that record's (intake-form.ts).

const FAMILY_FIELDS = `members { taxCode lastName firstName birthDate relation personId }
  source { operationId retrievedAt }`;

export const ANPR_FAMILY = `query AnprFamily($personId: UUID!, $reason: String!) {
  anprFamily(personId: $personId, reason: $reason) { ${FAMILY_FIELDS} } }`;
export const ANPR_FAMILY_BY_TAX_CODE = `query AnprFamilyByTaxCode($taxCode: String!, $reason: String!) {
  anprFamilyByTaxCode(taxCode: $taxCode, reason: $reason) { ${FAMILY_FIELDS} } }`;

export type AnprFamilyMember = {
  taxCode: string | null;
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  relation: string | null;
  /** The hub's person with this codice fiscale, when the caller may see one. */
  personId: string | null;
};

export type AnprFamily = {
  members: AnprFamilyMember[];
  source: { operationId: string | null; retrievedAt: string };
};

/** "COGNOME NOME" as ANPR writes it, or '' when ANPR gives neither. */
export const memberName = (m: AnprFamilyMember) =>
  [m.lastName, m.firstName].filter(Boolean).join(' ');
