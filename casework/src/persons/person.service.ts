import { type Actor, canSeeOrganization, maskedGroupsOf } from '../access/actor.ts';
import { audited, auditedCheck, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import {
  mayReadPersons,
  mayWritePersons,
  PERSONS_READ_SCOPE,
  personOrganizationsOf,
} from './person.access.ts';
import { searchPersonsByName, selectVisiblePerson } from './person.store.ts';
import { type CreatePersonInput, createPersonInput, type Person } from './person.types.ts';
import { normalizeTaxCode } from './person-birth-data.ts';
import { personLookupFor } from './person-lookup.ts';
import { prepareRegistration, registerPerson } from './person-registration.ts';

export { birthDataFromTaxCode, normalizeTaxCode } from './person-birth-data.ts';

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
  await auditedCheck(
    db,
    actor,
    { action: 'CREATE', entity: 'Person', entityId: null, personId: null },
    () => {
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
  return db.transaction(async (tx) => {
    const { organizationId: _, fieldSources, ...fields } = input;
    const row = await prepareRegistration(tx, fields, {
      prefix: 'input',
      organizationId,
      fieldSources,
      createdBy: actor.kind === 'OPERATOR' ? actor.id : null,
    });
    return maskPerson(actor, await registerPerson(tx, actor, row, { field: 'input.taxCode' }));
  });
}
