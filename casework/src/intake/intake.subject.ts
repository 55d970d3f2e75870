import type { Actor } from '../access/actor.ts';
import { Refusal } from '../access/audited.ts';
import type { Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { personOrganizationsOf } from '../persons/person.access.ts';
import { birthDataFromTaxCode, normalizeTaxCode } from '../persons/person.service.ts';
import {
  type InsertPerson,
  selectVisiblePersonByTaxCode,
  selectVisiblePersonIds,
} from '../persons/person.store.ts';
import { prepareRegistration, registerPerson } from '../persons/person-registration.ts';
import { personExists } from './intake.store.ts';
import type { SubjectInput } from './intake.types.ts';
import { operatorIdOf } from './intake.util.ts';

type ResolvedSubject = {
  personId: string | null;
  create: InsertPerson | null;
};

/** Finds the subject in the registry (by id or codice fiscale) or prepares a new person. */
export async function resolveSubject(
  tx: Queryable,
  actor: Actor,
  input: SubjectInput | null | undefined,
  organizationId: string,
  foreign:
    | {
        citizenship?: string | null | undefined;
        permitType?: string | null | undefined;
        permitExpiry?: string | null | undefined;
      }
    | null
    | undefined,
  opts: { trustedPersonId?: string | null },
): Promise<ResolvedSubject> {
  if (!input) return { personId: null, create: null };
  const orgs = personOrganizationsOf(actor);
  if (input.personId) {
    if (opts.trustedPersonId !== input.personId) {
      await assertVisiblePersons(tx, actor, [input.personId], () => 'input.subject.personId');
    }
    return { personId: input.personId, create: null };
  }
  let taxCode: string | null = null;
  let { sex, birthDate, birthPlaceCode } = input;
  if (input.taxCode) {
    // Normalised here to look for a person the actor may see; registration checks the rest.
    taxCode = normalizeTaxCode(input.taxCode, 'input.subject.taxCode');
    // The same person, already registered where the actor may see it: link it, never overwrite
    // registry data. A person registered only by another organisation stays unseen: this one
    // registers its own from what the desk typed (person.access.ts), so the code reveals nothing.
    const visibleId = await selectVisiblePersonByTaxCode(tx, taxCode, orgs);
    if (visibleId) return { personId: visibleId, create: null };
    ({ sex, birthDate, birthPlaceCode } = birthDataFromTaxCode(taxCode, input, 'input.subject'));
  }
  const { personId: _, fieldSources: claimed, ...fields } = input;
  const given = new Map((claimed ?? []).map((f) => [f.field, f.source]));
  return {
    personId: null,
    create: await prepareRegistration(
      tx,
      {
        ...fields,
        taxCode,
        sex,
        birthDate,
        birthPlaceCode,
        citizenship: input.citizenship ?? foreign?.citizenship ?? null,
        permitType: foreign?.permitType ?? null,
        permitExpiry: foreign?.permitExpiry ?? null,
      },
      {
        prefix: 'input.subject',
        organizationId,
        fieldSources: Object.fromEntries(
          Object.entries(input)
            .filter(([k, v]) => v != null && k !== 'personId' && k !== 'fieldSources')
            .map(([k]) => [k, given.get(k) ?? 'TYPED']),
        ),
        createdBy: operatorIdOf(actor),
      },
    ),
  };
}

export async function insertSubject(
  tx: Queryable,
  actor: Actor,
  resolved: ResolvedSubject,
): Promise<string | null> {
  if (resolved.personId || !resolved.create) return resolved.personId;
  const row = await registerPerson(tx, actor, resolved.create, {
    field: 'input.subject.taxCode',
    reason: 'subject of an intake record',
  });
  return row.id;
}

/**
 * Refuses a person id the actor may not see exactly as an unknown one (NOT_FOUND, the field named),
 * so that linking a person never reveals it; the attempt is audited as DENIED.
 */
export async function assertVisiblePersons(
  tx: Queryable,
  actor: Actor,
  ids: (string | null | undefined)[],
  fieldOf: (i: number) => string,
) {
  const wanted = ids.filter((id): id is string => !!id);
  if (wanted.length === 0) return;
  const uuids = wanted.filter(isUuid);
  const visible = await selectVisiblePersonIds(tx, uuids, personOrganizationsOf(actor));
  for (const [i, id] of ids.entries()) {
    if (!id || visible.has(id)) continue;
    const exists = isUuid(id) && (await personExists(tx, id));
    throw new Refusal(
      'NOT_FOUND',
      'persona non trovata',
      {
        action: 'READ',
        entity: 'Person',
        entityId: id,
        personId: exists ? id : null,
        reason: exists ? 'linking a person outside the actor organisations' : 'not found',
      },
      fieldOf(i),
    );
  }
}
