// Registering a person (anagrafica): the one way, used by createPerson and by the intake
// record's subject. The organisation registers its own person (person.access.ts): the codice
// fiscale is checked against the birth data it encodes, a name or an alias is required unless the
// person is anonymous, the birth date is not in the future, the ISTAT codes exist.
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.ts';
import type { Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { todayInRome } from '../time/today.ts';
import { existingMunicipalities, type InsertPerson, insertPerson } from './person.store.ts';
import type { Person } from './person.types.ts';
import { birthDataFromTaxCode, normalizeTaxCode } from './person-birth-data.ts';

type Maybe<T> = T | null | undefined;

export type RegistrationFields = {
  anonymous?: Maybe<boolean>;
  taxCode?: Maybe<string>;
  alias?: Maybe<string>;
  firstName?: Maybe<string>;
  lastName?: Maybe<string>;
  sex?: Maybe<'M' | 'F'>;
  birthDate?: Maybe<string>;
  birthPlaceCode?: Maybe<string>;
  citizenship?: Maybe<string>;
  residenceMunicipality?: Maybe<string>;
  residenceAddress?: Maybe<string>;
  domicileMunicipality?: Maybe<string>;
  domicileAddress?: Maybe<string>;
  phone?: Maybe<string>;
  email?: Maybe<string>;
  permitType?: Maybe<string>;
  permitExpiry?: Maybe<string>;
};

/**
 * Checks a new person and returns the row to insert; each refusal names the field under
 * `prefix` (`input` for createPerson, `input.subject` for an intake record).
 */
export async function prepareRegistration(
  q: Queryable,
  f: RegistrationFields,
  opts: {
    prefix: string;
    organizationId: string | null;
    fieldSources: Record<string, string>;
    createdBy: string | null;
  },
): Promise<InsertPerson> {
  let { sex, birthDate, birthPlaceCode } = f;
  let taxCode: string | null = null;
  if (f.anonymous) {
    if (f.taxCode || f.firstName || f.lastName || f.birthDate || f.birthPlaceCode) {
      throw badInput(
        `${opts.prefix}.anonymous`,
        'una persona anonima non può avere dati identificativi',
      );
    }
  } else {
    if (!f.alias && (!f.firstName || !f.lastName)) {
      throw badInput(
        `${opts.prefix}.lastName`,
        'nome e cognome sono obbligatori (oppure un alias)',
      );
    }
    if (f.taxCode) {
      taxCode = normalizeTaxCode(f.taxCode, `${opts.prefix}.taxCode`);
      ({ sex, birthDate, birthPlaceCode } = birthDataFromTaxCode(taxCode, f, opts.prefix));
    }
  }
  if (birthDate && birthDate > todayInRome()) {
    throw new CaseworkError(
      'FUTURE_DATE',
      'la data di nascita è nel futuro',
      `${opts.prefix}.birthDate`,
    );
  }
  const codes = [f.residenceMunicipality, f.domicileMunicipality].filter((c): c is string => !!c);
  const known = await existingMunicipalities(q, codes);
  for (const field of ['residenceMunicipality', 'domicileMunicipality'] as const) {
    const code = f[field];
    if (code && !known.has(code)) {
      throw new CaseworkError(
        'UNKNOWN_ISTAT_CODE',
        `codice ISTAT ${code} sconosciuto`,
        `${opts.prefix}.${field}`,
      );
    }
  }
  return {
    taxCode,
    anonymous: !!f.anonymous,
    alias: f.alias ?? null,
    firstName: f.firstName ?? null,
    lastName: f.lastName ?? null,
    sex: sex ?? null,
    birthDate: birthDate ?? null,
    birthPlaceCode: birthPlaceCode ?? null,
    citizenship: f.citizenship ?? null,
    residenceMunicipality: f.residenceMunicipality ?? null,
    residenceAddress: f.residenceAddress ?? null,
    domicileMunicipality: f.domicileMunicipality ?? null,
    domicileAddress: f.domicileAddress ?? null,
    phone: f.phone ?? null,
    email: f.email ?? null,
    permitType: f.permitType ?? null,
    permitExpiry: f.permitExpiry ?? null,
    fieldSources: opts.fieldSources as Person['fieldSources'],
    ownerOrganizationId: opts.organizationId,
    createdBy: opts.createdBy,
  };
}

/** Inserts the prepared person and audits it; DUPLICATE_PERSON when the organisation has it. */
export async function registerPerson(
  q: Queryable,
  actor: Actor,
  row: InsertPerson,
  opts: { field: string; reason?: string },
): Promise<Omit<Person, 'maskedFields'>> {
  const inserted = await insertPerson(q, row);
  if (!inserted) {
    throw new CaseworkError(
      'DUPLICATE_PERSON',
      "l'ente ha già registrato una persona con questo codice fiscale",
      opts.field,
    );
  }
  await audit(q, actor, {
    action: 'CREATE',
    entity: 'Person',
    entityId: inserted.id,
    personId: inserted.id,
    outcome: 'OK',
    reason: opts.reason ?? null,
  });
  return inserted;
}
