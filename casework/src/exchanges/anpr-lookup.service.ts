import type { Actor } from '../access/actor.ts';
import { auditedCheck, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/db.ts';
import { mayWritePersons, personOrganizationsOf } from '../persons/person.access.ts';
import { selectVisiblePersonByTaxCode } from '../persons/person.store.ts';
import { normalizeTaxCode } from '../persons/person-birth-data.ts';
import type { AnprPersonAnswer, Counterparts, RegistrySource } from './counterparts.ts';
import { callCounterpart, callerOf, requireReason } from './exchange.call.ts';
import { notConfigured } from './exchange.errors.ts';
import { insertExchange } from './exchange.store.ts';

/** A value of the person form as ANPR gave it, with where and when it came from. */
export type RegistryField = {
  /** The person form's field: firstName, lastName, sex, birthDate, birthPlaceCode, … */
  field: string;
  value: string;
  source: { counterpart: 'ANPR'; service: string; operationId: string | null; retrievedAt: string };
};

export type AnprPersonLookup = {
  taxCode: string;
  /** The hub's person with this codice fiscale, when the caller may see one. */
  personId: string | null;
  fields: RegistryField[];
  /** A person ANPR records as deceased: the form says so, it does not register them silently. */
  deathDate: string | null;
};

const PERSON_SERVICE = 'C020';

/**
 * ANPR's look-up of a codice fiscale for the person form (C020, residence and personal data):
 * the operators who register persons, each look-up with its reason (ANPR's motivoRichiesta),
 * audited twice over: the exchange (who asked what about whom, why, the outcome) and the read of
 * personal data. The answer is mapped to the form's fields, each with its source; a birth or
 * residence municipality is given as the hub's own code (Belfiore, ISTAT) only when the hub
 * knows it, otherwise left out for the operator to type.
 */
export async function lookUpPersonInAnpr(
  db: Db,
  actor: Actor,
  counterparts: Counterparts,
  input: { taxCode: string; reason: string },
): Promise<AnprPersonLookup> {
  const scope = { action: 'READ' as const, entity: 'AnprPerson', entityId: null, personId: null };
  await auditedCheck(db, actor, scope, () => {
    if (actor.kind === 'CLIENT' || !mayWritePersons(actor)) {
      throw new Refusal(
        'FORBIDDEN',
        'la consultazione di ANPR è riservata agli operatori che registrano le persone',
        { action: 'READ', entity: 'AnprPerson', reason: 'role may not register persons' },
      );
    }
  });
  const taxCode = normalizeTaxCode(input.taxCode, 'taxCode');
  const reason = requireReason(input.reason);
  const anpr = counterparts.anpr;
  if (!anpr) throw notConfigured('anpr');
  const personId = await selectVisiblePersonByTaxCode(db, taxCode, personOrganizationsOf(actor));
  const { answer, record } = await callCounterpart(
    db,
    actor,
    {
      counterpart: 'anpr',
      service: PERSON_SERVICE,
      reason,
      subjectTaxCode: taxCode,
      personId,
    },
    () => anpr.person(taxCode, { ...callerOf(actor), reason }),
    (p) => firstSource(p)?.anprOperationId ?? null,
  );
  const fields = await formFieldsOf(db, answer);
  await db.transaction(async (tx) => {
    await insertExchange(tx, actor, record);
    await audit(tx, actor, {
      action: 'READ',
      entity: 'AnprPerson',
      personId,
      outcome: 'OK',
      reason,
      details: { service: PERSON_SERVICE, fields: fields.map((f) => f.field) },
    });
  });
  return { taxCode, personId, fields, deathDate: answer.deathDate?.value ?? null };
}

function firstSource(p: AnprPersonAnswer): RegistrySource | undefined {
  for (const v of Object.values(p)) if (v?.source) return v.source;
  return undefined;
}

async function formFieldsOf(db: Db, p: AnprPersonAnswer): Promise<RegistryField[]> {
  const out: RegistryField[] = [];
  const put = (field: string, v: { value: string; source: RegistrySource } | undefined) => {
    if (!v || v.value === '') return;
    out.push({
      field,
      value: v.value,
      source: {
        counterpart: 'ANPR',
        service: v.source.service,
        operationId: v.source.anprOperationId,
        retrievedAt: v.source.retrievedAt,
      },
    });
  };
  put('lastName', p.lastName);
  put('firstName', p.firstName);
  put('sex', p.sex);
  put('birthDate', p.birthDate);
  const istat = [p.birthPlaceIstat?.value, p.residence?.value.municipalityIstat].filter(
    (c): c is string => !!c,
  );
  // ANPR names municipalities by ISTAT code; the form takes the birth place as its Belfiore code.
  const known =
    istat.length === 0
      ? new Map<string, string>()
      : new Map(
          (
            await db.query<{ istat: string; cadastral: string }>(
              `SELECT istat_code AS istat, cadastral_code AS cadastral FROM municipality WHERE istat_code = ANY($1::text[])`,
              [istat],
            )
          ).map((r) => [r.istat, r.cadastral]),
        );
  const birth = p.birthPlaceIstat && known.get(p.birthPlaceIstat.value);
  if (birth) put('birthPlaceCode', { value: birth, source: p.birthPlaceIstat!.source });
  const r = p.residence;
  if (r) {
    const inTerritory = !!r.value.municipalityIstat && known.has(r.value.municipalityIstat);
    if (inTerritory)
      put('residenceMunicipality', { value: r.value.municipalityIstat!, source: r.source });
    // A municipality outside the hub's territory has no code here: its name stays in the address.
    const address = [r.value.address, inTerritory ? null : r.value.municipalityName]
      .filter(Boolean)
      .join(', ');
    if (address !== '') put('residenceAddress', { value: address, source: r.source });
  }
  return out;
}
