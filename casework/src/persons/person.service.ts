import { type Actor, canSeeOrganization, maskedGroupsOf } from '../access/actor.ts';
import { audited, auditedCheck, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { birthDateOf, parseTaxCode } from '../tax-code/tax-code.ts';
import {
  mayReadPersons,
  mayWritePersons,
  PERSONS_READ_SCOPE,
  personOrganizationsOf,
} from './person.access.ts';
import {
  existingMunicipalities,
  insertPerson,
  searchPersonsByName,
  selectVisiblePerson,
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

/** Refuses, audited, an actor whose role or scopes do not work with persons. */
function requirePersonReader(actor: Actor, action: 'READ' | 'SEARCH', personId?: string): void {
  if (mayReadPersons(actor)) return;
  throw new Refusal(
    'FORBIDDEN',
    actor.kind === 'CLIENT'
      ? `il client non ha l'ambito ${PERSONS_READ_SCOPE}`
      : 'il ruolo non consente di consultare le persone',
    {
      action,
      entity: 'Person',
      entityId: personId ?? null,
      personId: personId ?? null,
      reason:
        actor.kind === 'CLIENT'
          ? `missing scope ${PERSONS_READ_SCOPE}`
          : 'role without access to persons',
    },
  );
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
 * Looks a person up by codice fiscale. A person the actor may not see (person.access.ts) answers
 * null, as an unknown code does; the read and the refusal are audited in the same statement.
 */
export async function findPersonByTaxCode(
  db: Db,
  actor: Actor,
  rawTaxCode: string,
): Promise<Person | null> {
  const taxCode = normalizeTaxCode(rawTaxCode, 'taxCode');
  await auditedCheck(
    db,
    actor,
    { action: 'READ', entity: 'Person', entityId: null, personId: null },
    () => requirePersonReader(actor, 'READ'),
  );
  const outcome = await personLookupFor(db)(actor, taxCode);
  if (outcome.kind !== 'found') return null;
  return maskPerson(actor, outcome.person);
}

/** One person by id; one the actor may not see is NOT_FOUND, as an unknown id (audited). */
export async function getPerson(db: Db, actor: Actor, id: string): Promise<Person> {
  const scope = { action: 'READ' as const, entity: 'Person', entityId: id, personId: null };
  return audited(db, actor, scope, async (tx) => {
    requirePersonReader(actor, 'READ', id);
    const { exists, person } = await selectVisiblePerson(tx, id, personOrganizationsOf(actor));
    if (!person) {
      throw new Refusal(
        'NOT_FOUND',
        'persona non trovata',
        {
          action: 'READ',
          entity: 'Person',
          entityId: id,
          personId: exists ? id : null,
          reason: exists ? 'person outside the actor organisations' : 'not found',
        },
        'id',
      );
    }
    await audit(tx, actor, {
      action: 'READ',
      entity: 'Person',
      entityId: id,
      personId: id,
      outcome: 'OK',
    });
    return maskPerson(actor, person);
  });
}

/** At least two letters, and nothing a LIKE pattern would read as a wildcard matters. */
const NAME_PREFIX = /^[\p{L}][\p{L}' .-]*$/u;

export async function searchPersons(
  db: Db,
  actor: Actor,
  args: { lastName: string; firstName?: string | null | undefined; limit?: number | undefined },
): Promise<Person[]> {
  const lastName = args.lastName.trim();
  const firstName = args.firstName?.trim() || null;
  if (lastName.replace(/[^\p{L}]/gu, '').length < 2 || !NAME_PREFIX.test(lastName)) {
    throw badInput('lastName', 'almeno 2 lettere del cognome');
  }
  if (firstName && !NAME_PREFIX.test(firstName))
    throw badInput('firstName', 'solo lettere nel nome');
  const limit = Math.min(Math.max(args.limit ?? 20, 1), 100);
  const scope = { action: 'SEARCH' as const, entity: 'Person', entityId: null, personId: null };
  return audited(db, actor, scope, async (tx) => {
    requirePersonReader(actor, 'SEARCH');
    const rows = await searchPersonsByName(
      tx,
      personOrganizationsOf(actor),
      lastName,
      firstName,
      limit,
    );
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'Person',
      outcome: 'OK',
      // The audit keeps how many were found, not the name searched for.
      details: { lastNameLength: lastName.length, results: rows.length },
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
  await audited(
    db,
    actor,
    { action: 'CREATE', entity: 'Person', entityId: null, personId: null },
    async () => {
      if (!mayWritePersons(actor)) {
        throw new Refusal(
          'FORBIDDEN',
          actor.kind === 'CLIENT'
            ? "il client non ha l'ambito persons:write"
            : 'il ruolo non consente di registrare persone',
          {
            action: 'CREATE',
            entity: 'Person',
            reason:
              actor.kind === 'CLIENT'
                ? 'missing scope persons:write'
                : 'role may not register persons',
          },
        );
      }
    },
  );
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
  if (birthDate && birthDate > new Date().toISOString().slice(0, 10)) {
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
        "l'ente ha già registrato una persona con questo codice fiscale",
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
