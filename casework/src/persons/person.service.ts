import { type Actor, canSeeOrganization, maskedGroupsOf } from '../access/actor.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { birthDateOf, parseTaxCode } from '../tax-code/tax-code.ts';
import { todayInRome } from '../time/today.ts';
import {
  existingMunicipalities,
  insertPerson,
  searchPersonsByName,
  selectPersonById,
  selectPersonOrganizations,
} from './person.store.ts';
import { type CreatePersonInput, createPersonInput, type Person } from './person.types.ts';
import { personLookupFor } from './person-lookup.ts';

const PERMIT_FIELDS = ['permitType', 'permitExpiry'] as const;

/** Removes what the actor's desk profile must not see: the field is absent, not hidden. */
export function maskPerson(actor: Actor, row: Omit<Person, 'maskedFields'>): Person {
  const person: Person = { ...row, maskedFields: [] };
  if (maskedGroupsOf(actor).has('PERMIT')) {
    for (const f of PERMIT_FIELDS) person[f] = null;
    person.maskedFields.push(...PERMIT_FIELDS);
  }
  return person;
}

function requireReadScope(actor: Actor): void {
  if (actor.kind === 'CLIENT' && !actor.scopes.includes('persons:read')) {
    throw new CaseworkError('FORBIDDEN', "il client non ha l'ambito persons:read");
  }
}

async function canSeePerson(q: Queryable, actor: Actor, personId: string): Promise<boolean> {
  if (actor.kind === 'SYSTEM') return true;
  const orgs = await selectPersonOrganizations(q, personId);
  return orgs.some((o) => canSeeOrganization(actor, o));
}

type BirthData = {
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

/**
 * Looks a person up by codice fiscale. A person outside the actor's organisations is refused
 * with FORBIDDEN; both the read and the refusal are audited.
 */
export async function findPersonByTaxCode(
  db: Db,
  actor: Actor,
  rawTaxCode: string,
): Promise<Person | null> {
  const taxCode = normalizeTaxCode(rawTaxCode, 'taxCode');
  if (actor.kind === 'CLIENT' && !actor.scopes.includes('persons:read')) {
    await audit(db, actor, {
      action: 'READ',
      entity: 'Person',
      outcome: 'DENIED',
      reason: 'missing scope persons:read',
    });
    throw new CaseworkError('FORBIDDEN', "il client non ha l'ambito persons:read");
  }
  const outcome = await personLookupFor(db)(actor, taxCode);
  if (outcome.kind === 'not-found') return null;
  if (outcome.kind === 'denied') {
    throw new CaseworkError('FORBIDDEN', 'non autorizzato a vedere questa persona');
  }
  return maskPerson(actor, outcome.person);
}

export async function getPerson(db: Db, actor: Actor, id: string): Promise<Person> {
  requireReadScope(actor);
  return db
    .transaction(async (tx): Promise<Person | CaseworkError> => {
      const row = await selectPersonById(tx, id);
      if (!row) throw new CaseworkError('NOT_FOUND', 'persona non trovata', 'id');
      if (!(await canSeePerson(tx, actor, row.id))) {
        await audit(tx, actor, {
          action: 'READ',
          entity: 'Person',
          entityId: id,
          personId: id,
          outcome: 'DENIED',
        });
        return new CaseworkError('FORBIDDEN', 'non autorizzato a vedere questa persona');
      }
      await audit(tx, actor, {
        action: 'READ',
        entity: 'Person',
        entityId: id,
        personId: id,
        outcome: 'OK',
      });
      return maskPerson(actor, row);
    })
    .then(throwIfError);
}

export async function searchPersons(
  db: Db,
  actor: Actor,
  args: { lastName: string; firstName?: string | null | undefined; limit?: number | undefined },
): Promise<Person[]> {
  requireReadScope(actor);
  if (args.lastName.trim().length < 2) throw badInput('lastName', 'almeno 2 lettere del cognome');
  const limit = Math.min(Math.max(args.limit ?? 20, 1), 100);
  return db.transaction(async (tx) => {
    const orgs = actor.kind === 'SYSTEM' ? null : actor.organizationIds;
    const rows = await searchPersonsByName(
      tx,
      orgs,
      args.lastName.trim(),
      args.firstName?.trim() || null,
      limit,
    );
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'Person',
      outcome: 'OK',
      details: { lastName: args.lastName, results: rows.length },
    });
    return rows.map((r) => maskPerson(actor, r));
  });
}

/** Registers a person: validates the codice fiscale against the other fields, refuses duplicates. */
export async function createPerson(db: Db, actor: Actor, raw: CreatePersonInput): Promise<Person> {
  const parsed = createPersonInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(['input', ...issue.path].join('.'), issue.message);
  }
  const input = parsed.data;
  if (actor.kind === 'CLIENT' && !actor.scopes.includes('persons:write')) {
    throw new CaseworkError('FORBIDDEN', "il client non ha l'ambito persons:write");
  }
  if (
    actor.kind === 'OPERATOR' &&
    !actor.memberships.some((m) =>
      ['FRONT_DESK', 'SOCIAL_WORKER', 'COORDINATOR', 'ADMIN_STAFF'].includes(m.role),
    )
  ) {
    throw new CaseworkError('FORBIDDEN', 'il ruolo non consente di registrare persone');
  }
  const organizationId =
    input.organizationId ??
    (actor.kind === 'OPERATOR'
      ? actor.memberships[0]?.organizationId
      : actor.kind === 'CLIENT'
        ? actor.organizationId
        : null) ??
    null;
  if (organizationId && !canSeeOrganization(actor, organizationId)) {
    throw new CaseworkError(
      'FORBIDDEN',
      "l'organizzazione indicata non è tra quelle dell'operatore",
      'input.organizationId',
    );
  }

  let { sex, birthDate, birthPlaceCode } = input;
  let taxCode: string | null = null;
  if (input.anonymous) {
    if (
      input.taxCode ||
      input.firstName ||
      input.lastName ||
      input.birthDate ||
      input.birthPlaceCode
    ) {
      throw badInput('input.anonymous', 'una persona anonima non può avere dati identificativi');
    }
  } else {
    if (!input.alias && (!input.firstName || !input.lastName)) {
      throw badInput('input.lastName', 'nome e cognome sono obbligatori (oppure un alias)');
    }
    if (input.taxCode) {
      taxCode = normalizeTaxCode(input.taxCode, 'input.taxCode');
      ({ sex, birthDate, birthPlaceCode } = birthDataFromTaxCode(taxCode, input, 'input'));
    }
  }
  if (birthDate && birthDate > todayInRome()) {
    throw badInput('input.birthDate', 'la data di nascita è nel futuro');
  }

  return db.transaction(async (tx) => {
    const codes = [input.residenceMunicipality, input.domicileMunicipality].filter(
      (c): c is string => !!c,
    );
    const known = await existingMunicipalities(tx, codes);
    for (const [field, code] of [
      ['residenceMunicipality', input.residenceMunicipality],
      ['domicileMunicipality', input.domicileMunicipality],
    ] as const) {
      if (code && !known.has(code)) {
        throw new CaseworkError(
          'UNKNOWN_ISTAT_CODE',
          `codice ISTAT ${code} sconosciuto`,
          `input.${field}`,
        );
      }
    }
    const row = await insertPerson(tx, {
      taxCode,
      anonymous: input.anonymous,
      alias: input.alias ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      sex: sex ?? null,
      birthDate: birthDate ?? null,
      birthPlaceCode: birthPlaceCode ?? null,
      citizenship: input.citizenship ?? null,
      residenceMunicipality: input.residenceMunicipality ?? null,
      residenceAddress: input.residenceAddress ?? null,
      domicileMunicipality: input.domicileMunicipality ?? null,
      domicileAddress: input.domicileAddress ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      permitType: input.permitType ?? null,
      permitExpiry: input.permitExpiry ?? null,
      fieldSources: input.fieldSources,
      ownerOrganizationId: organizationId,
      createdBy: actor.kind === 'OPERATOR' ? actor.id : null,
    });
    if (!row)
      throw new CaseworkError(
        'DUPLICATE_PERSON',
        `esiste già una persona con codice fiscale ${taxCode}`,
        'input.taxCode',
      );
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'Person',
      entityId: row.id,
      personId: row.id,
      outcome: 'OK',
    });
    return maskPerson(actor, row);
  });
}

// A denial is audited in its own committed transaction, so the service returns the error
// from the transaction and throws it afterwards instead of rolling the audit row back.
function throwIfError<T>(value: T | CaseworkError): T {
  if (value instanceof CaseworkError) throw value;
  return value;
}
