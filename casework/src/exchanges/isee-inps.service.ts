import type { Actor } from '../access/actor.ts';
import { audited } from '../access/audited.ts';
import { authorizeCase } from '../case-file/case-file.access.ts';
import { refuseMaskedWrite } from '../case-file/case-file.masking.ts';
import type { IseeRecord } from '../case-file/case-file.types.ts';
import { addIseeFromInps } from '../case-file/case-sections.service.ts';
import type { Db } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import {
  type Counterparts,
  INPS_ISEE_INDICATORS,
  type InpsIseeIndicatorType,
} from './counterparts.ts';
import { callCounterpart, callerOf, requireReason } from './exchange.call.ts';
import { notConfigured } from './exchange.errors.ts';
import { insertExchange } from './exchange.store.ts';

export type InpsIseeRecord = IseeRecord & {
  source: 'INPS';
  inpsRequestId: number;
  retrievedAt: Date;
};

/**
 * Reads the ISEE of the case file's person from INPS (ConsultazioneIndicatore) and stores it in
 * the case file with its source, request id and date. The same operators as a typed ISEE (enabled
 * on the case file, not at a desk that masks economic data) and nobody else, checked before INPS
 * is called; the exchange is audited whatever its outcome, the write as any write of the case file.
 */
export async function fetchIseeFromInps(
  db: Db,
  actor: Actor,
  counterparts: Counterparts,
  caseFileId: string,
  input: { indicator?: string | null | undefined; reason: string },
): Promise<InpsIseeRecord> {
  const type = (input.indicator ?? 'Ordinario') as InpsIseeIndicatorType;
  if (!INPS_ISEE_INDICATORS.includes(type))
    throw new CaseworkError('BAD_USER_INPUT', `tipo di ISEE non previsto: ${type}`, 'indicator');
  const reason = requireReason(input.reason);
  const entity = 'CaseIsee';
  const scope = { action: 'CREATE' as const, entity, entityId: caseFileId, personId: null };
  const subject = await audited(db, actor, scope, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', entity);
    if (c instanceof CaseworkError) throw c;
    await refuseMaskedWrite(tx, actor, c, entity, 'ECONOMIC', 'caseFileId');
    const [p] = await tx.query<{ taxCode: string | null }>(
      `SELECT tax_code AS "taxCode" FROM person WHERE id = $1`,
      [c.personId],
    );
    if (!p?.taxCode)
      throw new CaseworkError(
        'BAD_USER_INPUT',
        "la persona della cartella non ha un codice fiscale: l'ISEE non si può chiedere a INPS",
        'caseFileId',
      );
    return { personId: c.personId, taxCode: p.taxCode };
  });
  const isee = counterparts.isee;
  if (!isee) throw notConfigured('isee');
  const { answer, record } = await callCounterpart(
    db,
    actor,
    {
      counterpart: 'isee',
      service: 'ConsultazioneIndicatore',
      reason,
      subjectTaxCode: subject.taxCode,
      personId: subject.personId,
      caseFileId,
    },
    () => isee.indicator(subject.taxCode, type, { operatorId: callerOf(actor).operatorId, reason }),
    (a) => String(a.source.requestId),
  );
  // The exchange happened: its row is written before the case file's, which may still refuse.
  await insertExchange(db, actor, record);
  const id = await addIseeFromInps(db, actor, caseFileId, answer);
  const [row] = await db.query<InpsIseeRecord>(
    `SELECT id, isee_type AS "iseeType", isee_value::float8 AS "iseeValue", ise_value::float8 AS "iseValue",
            dsu_protocol AS "dsuProtocol", dsu_on AS "dsuOn", valid_from AS "validFrom", valid_to AS "validTo",
            created_at AS "createdAt", source, inps_request_id::float8 AS "inpsRequestId",
            retrieved_at AS "retrievedAt"
       FROM case_isee WHERE id = $1`,
    [id],
  );
  return row!;
}
