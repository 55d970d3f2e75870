import type { Actor } from '../access/actor.ts';
import { Refusal } from '../access/audited.ts';
import type { AuditEntry } from '../audit/audit.ts';
import type { Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { personOrganizationsOf } from './person.access.ts';
import { selectVisiblePerson } from './person.store.ts';
import type { Person } from './person.types.ts';

/**
 * The person, when the actor may see it (person.access.ts). A person held elsewhere is refused
 * exactly as an unknown id, NOT_FOUND with the field, and audited as DENIED naming the person.
 */
export async function requireVisiblePerson(
  q: Queryable,
  actor: Actor,
  personId: string,
  refusal: { action: AuditEntry['action']; entity: string; field: string; linking?: boolean },
): Promise<Omit<Person, 'maskedFields'>> {
  const { exists, person } = isUuid(personId)
    ? await selectVisiblePerson(q, personId, personOrganizationsOf(actor))
    : { exists: false, person: null };
  if (person) return person;
  throw new Refusal(
    'NOT_FOUND',
    'persona non trovata',
    {
      action: refusal.action,
      entity: refusal.entity,
      entityId: isUuid(personId) ? personId : null,
      personId: exists ? personId : null,
      reason: !exists
        ? 'not found'
        : refusal.linking
          ? 'linking a person outside the actor organisations'
          : 'person outside the actor organisations',
    },
    refusal.field,
  );
}
