import type { Actor } from '../access/actor.ts';
import { audited, auditedCheck, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { badInput } from '../errors.ts';
import {
  mayReadPersons,
  personOrganizationsOf,
  personVisibleSql,
} from '../persons/person.access.ts';
import { selectVisiblePerson } from '../persons/person.store.ts';
import type { Counterparts } from './counterparts.ts';
import { callCounterpart, callerOf, requireReason } from './exchange.call.ts';
import { notConfigured } from './exchange.errors.ts';
import { insertExchange } from './exchange.store.ts';

const FAMILY_SERVICE = 'C021';
const ENTITY = 'AnprFamily';

export type AnprFamilyMember = {
  taxCode: string | null;
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  relationCode: string | null;
  relation: string | null;
  /** The hub's person with this codice fiscale, when the caller may see one. */
  personId: string | null;
};

export type AnprFamily = {
  personId: string;
  taxCode: string;
  members: AnprFamilyMember[];
  source: { counterpart: 'ANPR'; service: string; operationId: string | null; retrievedAt: string };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The family of a person of the hub as ANPR records it (C021, "Famiglia da ANPR"), for the
 * casework operators who may see the person (the visibility rule of `person`: a person held
 * elsewhere answers as an unknown one), each look-up with its reason (motivoRichiesta). Audited
 * as an exchange and as a read of the person's data; nothing of the answer is stored. A member
 * is linked to the hub's person only when the caller may see that one too.
 */
export async function lookUpFamilyInAnpr(
  db: Db,
  actor: Actor,
  counterparts: Counterparts,
  input: { personId: string; reason: string },
): Promise<AnprFamily> {
  const scope = {
    action: 'READ' as const,
    entity: ENTITY,
    entityId: input.personId,
    personId: null,
  };
  await auditedCheck(db, actor, scope, () => {
    // Partner clients do not consult ANPR through the hub's PDND purposes.
    if (actor.kind !== 'OPERATOR' || !mayReadPersons(actor)) {
      throw new Refusal(
        'FORBIDDEN',
        'la consultazione della famiglia in ANPR è riservata agli operatori che consultano le persone',
        {
          action: 'READ',
          entity: ENTITY,
          entityId: input.personId,
          reason: 'role may not read persons',
        },
      );
    }
  });
  if (!UUID.test(input.personId)) throw badInput('personId', 'identificativo non valido');
  const reason = requireReason(input.reason);
  const orgs = personOrganizationsOf(actor);
  const person = await audited(db, actor, scope, async (tx) => {
    const { exists, person } = await selectVisiblePerson(tx, input.personId, orgs);
    if (!person) {
      throw new Refusal(
        'NOT_FOUND',
        'persona non trovata',
        {
          action: 'READ',
          entity: ENTITY,
          entityId: input.personId,
          personId: exists ? input.personId : null,
          reason: exists ? 'person outside the actor organisations' : 'not found',
        },
        'personId',
      );
    }
    return person;
  });
  const taxCode = person.taxCode;
  if (!taxCode) {
    throw badInput('personId', 'la persona non ha un codice fiscale: ANPR non si può consultare');
  }
  const anpr = counterparts.anpr;
  if (!anpr) throw notConfigured('anpr');
  const { answer, record } = await callCounterpart(
    db,
    actor,
    {
      counterpart: 'anpr',
      service: FAMILY_SERVICE,
      reason,
      subjectTaxCode: taxCode,
      personId: input.personId,
    },
    () => anpr.family(taxCode, { ...callerOf(actor), reason }),
    (f) => f.operationId,
  );
  const codes = answer.members.map((m) => m.taxCode).filter((c): c is string => !!c);
  const known =
    codes.length === 0
      ? new Map<string, string>()
      : new Map(
          (
            await db.query<{ id: string; taxCode: string }>(
              `SELECT DISTINCT ON (tax_code) id, tax_code AS "taxCode" FROM person
                WHERE tax_code = ANY($1::text[]) AND deleted_at IS NULL
                  AND ${personVisibleSql('person', '$2::uuid[]')}
                ORDER BY tax_code, (owner_organization_id = ANY($2::uuid[])) DESC NULLS LAST, created_at`,
              [codes, orgs],
            )
          ).map((r) => [r.taxCode, r.id]),
        );
  const members = answer.members.map((m) => ({
    taxCode: m.taxCode,
    lastName: m.lastName,
    firstName: m.firstName,
    birthDate: m.birthDate,
    relationCode: m.relationCode,
    relation: m.relation,
    personId: (m.taxCode && known.get(m.taxCode)) || null,
  }));
  await db.transaction(async (tx) => {
    await insertExchange(tx, actor, record);
    await audit(tx, actor, {
      action: 'READ',
      entity: ENTITY,
      entityId: input.personId,
      personId: input.personId,
      outcome: 'OK',
      reason,
      details: { service: FAMILY_SERVICE, members: members.length },
    });
  });
  return {
    personId: input.personId,
    taxCode,
    members,
    source: {
      counterpart: 'ANPR',
      service: FAMILY_SERVICE,
      operationId: answer.operationId,
      retrievedAt: new Date().toISOString(),
    },
  };
}
