import type { Actor } from '../access/actor.ts';
import { audited, auditedCheck, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { badInput } from '../errors.ts';
import {
  mayReadPersons,
  mayWritePersons,
  personOrganizationsOf,
  personVisibleSql,
} from '../persons/person.access.ts';
import { normalizeTaxCode } from '../persons/person.service.ts';
import { selectVisiblePerson, selectVisiblePersonByTaxCode } from '../persons/person.store.ts';
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
  /** The hub's person asked about; null when asked by codice fiscale for one not in the hub. */
  personId: string | null;
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
  if (!person.taxCode) {
    throw badInput('personId', 'la persona non ha un codice fiscale: ANPR non si può consultare');
  }
  return askFamily(db, actor, counterparts, {
    taxCode: person.taxCode,
    personId: input.personId,
    reason,
    entityId: input.personId,
  });
}

/**
 * The family of the person the front desk is registering, by codice fiscale (C021 for the intake
 * form, before the person is stored): for the operators who register persons, the same who fill
 * the form from ANPR (lookUpPersonInAnpr), each look-up with its reason. It answers the same
 * whether or not the hub holds that codice fiscale: a person registered only by another
 * organisation stays unseen, and the desk registers its own (intake.subject.ts), so the answer
 * tells nothing of who the hub holds; one the caller may see is named in the exchange and the
 * audit. No member field is in a sensitive group (SENSITIVE_FIELDS), so a desk that masks some
 * gets the same answer. Audited as an exchange and as a read; nothing of the answer is stored.
 */
export async function lookUpFamilyInAnprByTaxCode(
  db: Db,
  actor: Actor,
  counterparts: Counterparts,
  input: { taxCode: string; reason: string },
): Promise<AnprFamily> {
  const scope = { action: 'READ' as const, entity: ENTITY, entityId: null, personId: null };
  await auditedCheck(db, actor, scope, () => {
    if (actor.kind !== 'OPERATOR' || !mayWritePersons(actor)) {
      throw new Refusal(
        'FORBIDDEN',
        'la consultazione della famiglia in ANPR per codice fiscale è riservata agli operatori che registrano le persone',
        { action: 'READ', entity: ENTITY, reason: 'role may not register persons' },
      );
    }
  });
  const taxCode = normalizeTaxCode(input.taxCode, 'taxCode');
  const reason = requireReason(input.reason);
  const personId = await selectVisiblePersonByTaxCode(db, taxCode, personOrganizationsOf(actor));
  return askFamily(db, actor, counterparts, {
    taxCode,
    personId,
    reason,
    entityId: personId,
    byTaxCode: true,
  });
}

/** C021 for a codice fiscale already allowed: the call, the members linked, the audit. */
async function askFamily(
  db: Db,
  actor: Actor,
  counterparts: Counterparts,
  input: {
    taxCode: string;
    personId: string | null;
    reason: string;
    entityId: string | null;
    byTaxCode?: boolean;
  },
): Promise<AnprFamily> {
  const { taxCode, reason } = input;
  const orgs = personOrganizationsOf(actor);
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
      entityId: input.entityId,
      personId: input.personId,
      outcome: 'OK',
      reason,
      details: {
        service: FAMILY_SERVICE,
        members: members.length,
        ...(input.byTaxCode ? { byTaxCode: true } : {}),
      },
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
