import { type Actor, maskedGroupsOf } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { authorizeCase } from '../case-file/case-file.access.ts';
import type { Db } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import type { Counterparts, HealthProfile } from './counterparts.ts';
import { callCounterpart, callerOf } from './exchange.call.ts';
import { counterpartError, notConfigured } from './exchange.errors.ts';
import { insertExchange, type NewExchange } from './exchange.store.ts';

export type CaseHealthProfile = HealthProfile & { caseFileId: string; registry: string };

/**
 * The health profile of a case file's person, read from the regional health registry (find by
 * codice fiscale, then the profile): for the operators enabled on the case file, never at a desk
 * that masks health data (nor for a partner client), each call audited as an exchange and the
 * read as any read of health data. Nothing of it is stored: the registry stays its source.
 */
export async function readCaseHealthProfile(
  db: Db,
  actor: Actor,
  counterparts: Counterparts,
  caseFileId: string,
): Promise<CaseHealthProfile> {
  const entity = 'HealthProfile';
  const scope = { action: 'READ' as const, entity, entityId: caseFileId, personId: null };
  const subject = await audited(db, actor, scope, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'READ', entity);
    if (c instanceof CaseworkError) throw c;
    const refuse = (message: string, reason: string) =>
      new Refusal('FORBIDDEN', message, {
        action: 'READ',
        entity,
        entityId: c.id,
        personId: c.personId,
        reason,
      });
    if (actor.kind === 'CLIENT')
      throw refuse(
        'il profilo sanitario si consulta solo dagli operatori abilitati sulla cartella',
        'partner clients do not query the health registry',
      );
    if (maskedGroupsOf(actor).has('HEALTH'))
      throw refuse(
        'dato sanitario: non consultabile da questo sportello',
        'group masked at the desk: HEALTH',
      );
    const [p] = await tx.query<{ taxCode: string | null }>(
      `SELECT tax_code AS "taxCode" FROM person WHERE id = $1`,
      [c.personId],
    );
    if (!p?.taxCode)
      throw new CaseworkError(
        'BAD_USER_INPUT',
        "la persona della cartella non ha un codice fiscale: l'anagrafe sanitaria non si può consultare",
        'caseFileId',
      );
    return { personId: c.personId, taxCode: p.taxCode };
  });
  const registry = counterparts.healthRegistry;
  if (!registry) throw notConfigured('health-registry');
  const reason = `Cartella sociale ${caseFileId}`;
  const ctx = { operatorId: callerOf(actor).operatorId, reason };
  const base = {
    counterpart: 'health-registry' as const,
    reason,
    subjectTaxCode: subject.taxCode,
    personId: subject.personId,
    caseFileId,
  };
  const found = await callCounterpart(
    db,
    actor,
    { ...base, service: 'FindProfiliAnagrafici' },
    () => registry.findPersons({ taxCode: subject.taxCode }, ctx),
    () => null,
  );
  const records: NewExchange[] = [found.record];
  const match = found.answer.find((p) => p.taxCode === subject.taxCode) ?? found.answer[0];
  if (!match) {
    await insertExchange(db, actor, { ...found.record, outcome: 'SUBJECT_NOT_FOUND' });
    throw counterpartError('health-registry', 'SUBJECT_NOT_FOUND');
  }
  const profile = await callCounterpart(
    db,
    actor,
    { ...base, service: 'GetProfiloSanitario' },
    () => registry.healthProfile(match.registryId, ctx),
    (p) => p.registryId,
  );
  records.push(profile.record);
  await db.transaction(async (tx) => {
    for (const r of records) await insertExchange(tx, actor, r);
    await audit(tx, actor, {
      action: 'READ',
      entity,
      entityId: caseFileId,
      personId: subject.personId,
      outcome: 'OK',
      reason,
      details: { registry: registry.registry, exemptions: profile.answer.exemptions.length },
    });
  });
  return { ...profile.answer, caseFileId, registry: registry.registry };
}
