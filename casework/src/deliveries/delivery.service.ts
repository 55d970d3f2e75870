// Deliveries (erogazioni): recorded by the office (counted at once) or by the provider itself
// through its partner client (TO_VERIFY until the office accepts or disputes it); expected by a
// periodic intervention's schedule; corrected by a new row that supersedes the old one, so that
// nothing is counted twice (seed 003 §2.3). Spending is quantity × the tariff in force on the
// delivery date, unless an amount is given.
import type { Actor } from '../access/actor.ts';
import { type AuditScope, audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { parseInput, today } from '../case-file/case-file.util.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { badInput, CaseworkError, type CaseworkErrorCode } from '../errors.ts';
import { ensureDeliveryDuty } from '../siuss/siuss-duty.store.ts';
import { mayActFor, providerClientOrganization } from './deliveries.access.ts';
import { maskDeliveries, maskDelivery, refuseHealthAtMaskingDesk } from './deliveries.masking.ts';
import {
  amountOf,
  checkCeiling,
  checkQuantity,
  checkWithinPeriod,
  committedChange,
  expectedDays,
  shareOf,
  type TariffVersion,
  tariffInForce,
} from './deliveries.rules.ts';
import {
  type CorrectDeliveryInput,
  correctDeliveryInput,
  type Delivery,
  type DeliverySearchInput,
  type DeliveryStatus,
  deliverySearchInput,
  type RecordDeliveryInput,
  recordDeliveryInput,
  type VerifyDeliveryInput,
  verifyDeliveryInput,
} from './deliveries.types.ts';
import {
  addToContractCommitted,
  type ContractCommitted,
  type DeliveryExportRow,
  type DeliveryRow,
  insertDelivery,
  insertExpectedDeliveries,
  recordDeliveryRow,
  searchDeliveries as searchDeliveryRows,
  selectDelivery,
  selectDeliveryDay,
  selectDeliveryExportRows,
  selectInterventions,
  selectRecordingContext,
  setDeliveryStatus,
} from './delivery.store.ts';
import {
  interventionScopeOf,
  mayReadIntervention,
  requireReadableIntervention,
  requireSomeScope,
} from './intervention.service.ts';
import type { InterventionRow } from './intervention.store.ts';
import { selectTariffVersions } from './provider.store.ts';

const scopeOf = (action: AuditScope['action'], entityId: string | null = null): AuditScope => ({
  action,
  entity: 'Delivery',
  entityId,
  personId: null,
});

const refuse = (
  code: 'FORBIDDEN' | 'CONTRACT_NOT_APPLICABLE',
  message: string,
  row: { id: string; personId: string },
  action: AuditScope['action'],
  field?: string,
) =>
  new Refusal(
    code,
    message,
    { action, entity: 'Delivery', entityId: row.id, personId: row.personId },
    field,
  );

/** How the caller records on this intervention: as the office, or as its provider. */
function recorderOf(
  actor: Actor,
  intervention: InterventionRow,
): { kind: 'OFFICE' | 'PROVIDER'; by: string } {
  if (mayActFor(actor, 'RECORD', intervention.organizationId)) {
    return { kind: 'OFFICE', by: actor.kind === 'OPERATOR' ? actor.username : actor.id };
  }
  const client = providerClientOrganization(actor);
  if (client && actor.kind === 'CLIENT') {
    if (client !== intervention.providerOrganizationId) {
      throw refuse(
        'CONTRACT_NOT_APPLICABLE',
        "l'intervento non è erogato dall'ente: si registrano solo le erogazioni dei propri contratti",
        { id: intervention.id, personId: intervention.personId },
        'CREATE',
        'input.interventionId',
      );
    }
    return { kind: 'PROVIDER', by: actor.clientId };
  }
  throw refuse(
    'FORBIDDEN',
    'non autorizzato: registrare erogazioni',
    { id: intervention.id, personId: intervention.personId },
    'CREATE',
  );
}

type Priced = {
  tariffId: string | null;
  unitCost: number | null;
  amount: number;
  amountSource: 'TARIFF' | 'GIVEN';
};

/** The amount of a delivery: the one given, or quantity × the tariff in force that day. */
function priceOf(
  tariffs: readonly TariffVersion[],
  intervention: InterventionRow,
  day: string,
  quantity: number,
  given: number | null | undefined,
  field: string,
): Priced {
  if (given != null)
    return { tariffId: null, unitCost: null, amount: given, amountSource: 'GIVEN' };
  const tariff = tariffInForce(tariffs, day);
  if (!tariff) {
    throw new CaseworkError(
      'NO_TARIFF_IN_FORCE',
      `nessuna tariffa in vigore al ${day} per ${intervention.serviceCode} (${intervention.unit}) di questo ente erogatore: indicare l'importo o registrare la tariffa`,
      field,
    );
  }
  return {
    tariffId: tariff.id,
    unitCost: tariff.unitCost,
    amount: amountOf(quantity, tariff.unitCost),
    amountSource: 'TARIFF',
  };
}

/** The checks every recorded or corrected delivery passes on its day: date, quantity, service. */
function checkDelivery(
  intervention: InterventionRow,
  d: { deliveredOn: string; quantity: number },
  serviceValid: boolean,
  fields: { deliveredOn: string; quantity: string },
): void {
  checkQuantity(d.quantity, fields.quantity);
  if (d.deliveredOn > today()) {
    throw new CaseworkError(
      'FUTURE_DATE',
      "un'erogazione si registra dopo che è avvenuta",
      fields.deliveredOn,
    );
  }
  checkWithinPeriod(d.deliveredOn, intervention, fields.deliveredOn);
  if (!serviceValid) {
    throw new CaseworkError(
      'SERVICE_NOT_VALID_ON_DATE',
      `il servizio ${intervention.serviceCode} non è nel nomenclatore valido al ${d.deliveredOn}`,
      fields.deliveredOn,
    );
  }
}

/**
 * The ceiling, checked on the contract's committed total once the write has moved it (under the
 * contract's row lock, so two deliveries at once cannot both fit): past it, the error rolls the
 * write back. A change that lowers the total always passes.
 */
function holdCeiling(contract: ContractCommitted, delta: number, field: string): void {
  if (delta > 0) checkCeiling(contract, contract.committed - delta, delta, field);
}

/** Moves the committed total of the intervention's contract, if any, and holds its ceiling. */
async function moveCommitted(
  q: Queryable,
  intervention: InterventionRow,
  delta: number,
  field: string,
): Promise<void> {
  if (!intervention.contractId || delta === 0) return;
  holdCeiling(await addToContractCommitted(q, intervention.contractId, delta), delta, field);
}

/** As requireReadableIntervention, for a row already read: a refusal is audited naming the person. */
async function requireReadable(q: Queryable, actor: Actor, row: InterventionRow): Promise<void> {
  if (!(await mayReadIntervention(q, actor, row))) {
    throw new Refusal('FORBIDDEN', 'non autorizzato: intervento di un altro ente', {
      action: 'READ',
      entity: 'Intervention',
      entityId: row.id,
      personId: row.personId,
    });
  }
}

// What recording reads may no longer hold when it writes (see selectRecordingContext): then it
// reads again, now behind the intervention's lock, and the second answer holds.
const RECORDING_ATTEMPTS = 3;

export async function recordDelivery(
  db: Db,
  actor: Actor,
  raw: RecordDeliveryInput,
): Promise<Delivery> {
  return audited(db, actor, scopeOf('CREATE'), async (tx, scope) => {
    const input = parseInput(recordDeliveryInput, raw);
    const reference = input.providerReference ?? null;
    for (let attempt = 1; ; attempt++) {
      // One statement: the intervention (locked), its catalog and tariff on the day, the row
      // stored under this reference and the schedule's row of the day.
      const context = isUuid(input.interventionId)
        ? await selectRecordingContext(tx, {
            interventionId: input.interventionId,
            day: input.deliveredOn,
            reference,
          })
        : null;
      if (!context) {
        throw new CaseworkError('NOT_FOUND', 'intervento non trovato', 'input.interventionId');
      }
      const { intervention, stored, expectedId } = context;
      await requireReadable(tx, actor, intervention);
      scope.personId = intervention.personId;
      const recorder = recorderOf(actor, intervention);
      if (intervention.status !== 'ACTIVE') {
        throw new CaseworkError('CONFLICT', "l'intervento non è attivo", 'input.interventionId');
      }
      // A provider's resubmission (a retry after a lost answer) answers with the stored row.
      if (reference && stored) {
        if (stored.interventionId !== intervention.id || stored.deliveredOn !== input.deliveredOn) {
          throw new CaseworkError(
            'CONFLICT',
            `il riferimento ${reference} è già usato per un'altra erogazione`,
            'input.providerReference',
          );
        }
        return maskDelivery(tx, actor, (await selectDelivery(tx, stored.id))!);
      }
      const priced = priceOf(
        context.tariffs,
        intervention,
        input.deliveredOn,
        input.quantity,
        input.amount,
        'input.amount',
      );
      checkDelivery(intervention, input, context.serviceValid, {
        deliveredOn: 'input.deliveredOn',
        quantity: 'input.quantity',
      });
      const status: DeliveryStatus = recorder.kind === 'OFFICE' ? 'RECORDED' : 'TO_VERIFY';
      const values = {
        interventionId: intervention.id,
        providerId: intervention.providerId,
        quantity: input.quantity,
        ...priced,
        beneficiaryShare: shareOf(priced.amount, intervention.beneficiarySharePercent),
        status,
        recordedByKind: recorder.kind,
        recordedBy: recorder.by,
        providerReference: reference,
        note: input.note ?? null,
      };
      const committedDelta = committedChange(null, { status, amount: priced.amount });
      // One statement: the row, the contract's committed total and the audit row.
      const written = await recordDeliveryRow(
        tx,
        expectedId
          ? { kind: 'FULFIL', expectedId, row: values }
          : {
              kind: 'INSERT',
              row: {
                ...values,
                organizationId: intervention.organizationId,
                officeId: intervention.officeId,
                personId: intervention.personId,
                serviceCode: intervention.serviceCode,
                deliveredOn: input.deliveredOn,
                unit: intervention.unit,
                correctsId: null,
              },
            },
        { id: intervention.contractId, committedDelta },
        {
          actor,
          entry: {
            action: 'CREATE',
            entity: 'Delivery',
            outcome: 'OK',
            details: { status, ...(expectedId ? { fulfils: 'EXPECTED' } : {}) },
          },
        },
      );
      if (!written) {
        if (attempt < RECORDING_ATTEMPTS) continue;
        throw new Error(
          'recordDelivery: the intervention’s deliveries kept changing under its lock',
        );
      }
      if (written.contract) holdCeiling(written.contract, committedDelta, 'input.quantity');
      // What the office records counts at once, and so is owed to INPS at once: its SIUSS duty is
      // there from now on (a provider's row waits for the office's acceptance).
      if (status === 'RECORDED') await ensureDeliveryDuty(tx, written.delivery.id);
      return maskDelivery(tx, actor, written.delivery);
    }
  });
}

/** The most deliveries one `recordDeliveries` call may carry. */
export const MAX_DELIVERY_BATCH = 100;

/** One item's verdict in a batch: the delivery recorded (or found by its reference), or why not. */
export type DeliveryVerdict = {
  index: number;
  delivery: Delivery | null;
  error: { code: CaseworkErrorCode; message: string; field: string | null } | null;
};

/**
 * Many deliveries of one caller in one call (a provider's client sending its day), so that the
 * request's own cost (HTTP, GraphQL, the token) is paid once. Authorization comes first, for the
 * whole batch: an item on an intervention the caller may not record on refuses the call, audited
 * as recordDelivery audits it, before anything is written. Then each item is recorded exactly as
 * recordDelivery records it alone, in order, each in its own transaction with its own audit row:
 * an item refused (a date, a quantity, the ceiling…) answers its error with its index and the
 * others still land. So a batch is not atomic; sent again after a lost answer, the items that
 * carry a providerReference answer their stored rows.
 */
export async function recordDeliveries(
  db: Db,
  actor: Actor,
  items: RecordDeliveryInput[],
): Promise<DeliveryVerdict[]> {
  if (items.length > MAX_DELIVERY_BATCH) {
    throw badInput('input', `al massimo ${MAX_DELIVERY_BATCH} erogazioni per chiamata`);
  }
  const ids = [
    ...new Set(
      items.map((i) => i.interventionId).filter((id) => typeof id === 'string' && isUuid(id)),
    ),
  ];
  await audited(db, actor, scopeOf('CREATE'), async (tx, scope) => {
    for (const intervention of await selectInterventions(tx, ids)) {
      scope.personId = intervention.personId;
      await requireReadable(tx, actor, intervention);
      recorderOf(actor, intervention);
    }
  });
  const verdicts: DeliveryVerdict[] = [];
  for (const [index, item] of items.entries()) {
    try {
      verdicts.push({ index, delivery: await recordDelivery(db, actor, item), error: null });
    } catch (err) {
      if (!(err instanceof CaseworkError)) throw err;
      const field = err.field?.replace(/^input(?=\.|$)/, `input.${index}`) ?? null;
      verdicts.push({
        index,
        delivery: null,
        error: { code: err.code, message: err.message, field },
      });
    }
  }
  return verdicts;
}

/**
 * The deliveries a periodic intervention expects from its start to `through` (default today),
 * priced by the tariff of each day; generating again adds only the days still missing.
 */
export async function generateExpectedDeliveries(
  db: Db,
  actor: Actor,
  interventionId: string,
  through: string | null = null,
): Promise<{ created: number; expected: number }> {
  return audited(db, actor, scopeOf('CREATE', interventionId), async (tx, scope) => {
    const intervention = await requireReadableIntervention(
      tx,
      actor,
      interventionId,
      'interventionId',
      true,
    );
    scope.personId = intervention.personId;
    if (!mayActFor(actor, 'RECORD', intervention.organizationId)) {
      throw refuse(
        'FORBIDDEN',
        'non autorizzato: generare le erogazioni attese',
        intervention,
        'CREATE',
      );
    }
    if (
      intervention.periodicity !== 'PERIODIC' ||
      !intervention.periodUnit ||
      !intervention.quantityPerPeriod
    ) {
      throw new CaseworkError(
        'CONFLICT',
        "l'intervento è occasionale: non ha erogazioni attese",
        'interventionId',
      );
    }
    if (intervention.status !== 'ACTIVE')
      throw new CaseworkError('CONFLICT', "l'intervento non è attivo", 'interventionId');
    const days = expectedDays(
      {
        startOn: intervention.startOn,
        endOn: intervention.endOn,
        periodUnit: intervention.periodUnit,
      },
      through ?? today(),
    );
    const versions = await selectTariffVersions(tx, {
      organizationId: intervention.organizationId,
      providerId: intervention.providerId,
      serviceCode: intervention.serviceCode,
      unit: intervention.unit,
    });
    const quantity = intervention.quantityPerPeriod;
    const rows = days.map((day) => {
      const tariff = tariffInForce(versions, day);
      if (!tariff) {
        throw new CaseworkError(
          'NO_TARIFF_IN_FORCE',
          `nessuna tariffa in vigore al ${day} per ${intervention.serviceCode} (${intervention.unit})`,
          'through',
        );
      }
      const amount = amountOf(quantity, tariff.unitCost);
      return {
        deliveredOn: day,
        tariffId: tariff.id,
        unitCost: tariff.unitCost,
        amount,
        beneficiaryShare: shareOf(amount, intervention.beneficiarySharePercent),
      };
    });
    const created = await insertExpectedDeliveries(
      tx,
      {
        interventionId: intervention.id,
        organizationId: intervention.organizationId,
        officeId: intervention.officeId,
        personId: intervention.personId,
        providerId: intervention.providerId,
        serviceCode: intervention.serviceCode,
        quantity,
        unit: intervention.unit,
        amountSource: 'TARIFF',
        status: 'EXPECTED',
        recordedByKind: 'SCHEDULE',
        recordedBy: actor.kind === 'OPERATOR' ? actor.username : null,
        providerReference: null,
        correctsId: null,
        note: null,
      },
      rows,
    );
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'Delivery',
      entityId: intervention.id,
      personId: intervention.personId,
      outcome: 'OK',
      details: { expected: days.length, created },
    });
    return { created, expected: days.length };
  });
}

/** Loads a delivery for an office decision (verify, correct, cancel) and checks the role. */
async function deliveryForDecision(
  tx: Queryable,
  actor: Actor,
  id: string,
  action: AuditScope['action'],
): Promise<{ delivery: DeliveryRow; intervention: InterventionRow }> {
  const delivery = isUuid(id) ? await selectDelivery(tx, id, true) : null;
  if (!delivery) throw new CaseworkError('NOT_FOUND', 'erogazione non trovata', 'id');
  if (!mayActFor(actor, 'VERIFY', delivery.organizationId)) {
    throw refuse(
      'FORBIDDEN',
      "non autorizzato: verificare o correggere erogazioni dell'ente",
      delivery,
      action,
    );
  }
  const intervention = await requireReadableIntervention(tx, actor, delivery.interventionId, 'id');
  return { delivery, intervention };
}

const VERIFIABLE: Record<'ACCEPT' | 'DISPUTE', readonly DeliveryStatus[]> = {
  ACCEPT: ['TO_VERIFY', 'DISPUTED'],
  DISPUTE: ['TO_VERIFY'],
};

/** The office's verification of a provider-recorded delivery: accept, or dispute with a reason. */
export async function verifyDelivery(
  db: Db,
  actor: Actor,
  id: string,
  raw: VerifyDeliveryInput,
): Promise<Delivery> {
  return audited(db, actor, scopeOf('UPDATE', id), async (tx, scope) => {
    const input = parseInput(verifyDeliveryInput, raw);
    const { delivery, intervention } = await deliveryForDecision(tx, actor, id, 'UPDATE');
    scope.personId = delivery.personId;
    if (!VERIFIABLE[input.decision].includes(delivery.status)) {
      throw new CaseworkError(
        'INVALID_STATUS_TRANSITION',
        `un'erogazione ${delivery.status} non si può ${input.decision === 'ACCEPT' ? 'accettare' : 'contestare'}`,
        'input.decision',
      );
    }
    if (input.decision === 'DISPUTE' && !input.reason) {
      throw badInput('input.reason', 'indicare il motivo della contestazione');
    }
    if (input.decision === 'ACCEPT' && delivery.status === 'DISPUTED') {
      // A disputed delivery did not count against the ceiling: accepting it must still fit
      // (moveCommitted below holds the ceiling).
      const day = await selectDeliveryDay(tx, intervention.id, delivery.deliveredOn);
      checkDelivery(intervention, delivery, day.serviceValid, {
        deliveredOn: 'id',
        quantity: 'id',
      });
    }
    const next = await setDeliveryStatus(
      tx,
      id,
      input.decision === 'ACCEPT' ? 'ACCEPTED' : 'DISPUTED',
      {
        disputeReason: input.decision === 'DISPUTE' ? input.reason : null,
        verifiedBy: actor.kind === 'OPERATOR' ? actor.id : null,
      },
    );
    await moveCommitted(tx, intervention, committedChange(delivery, next), 'id');
    if (next.status === 'ACCEPTED') await ensureDeliveryDuty(tx, id);
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'Delivery',
      entityId: id,
      personId: delivery.personId,
      outcome: 'OK',
      details: { decision: input.decision },
    });
    return maskDelivery(tx, actor, next);
  });
}

const CORRECTABLE: readonly DeliveryStatus[] = ['RECORDED', 'TO_VERIFY', 'ACCEPTED', 'DISPUTED'];

/**
 * Corrects a delivery: a new row with the right date, quantity or amount supersedes it (the old
 * one becomes CORRECTED and stops counting). The SIUSS duty follows the new row.
 */
export async function correctDelivery(
  db: Db,
  actor: Actor,
  id: string,
  raw: CorrectDeliveryInput,
): Promise<Delivery> {
  return audited(db, actor, scopeOf('UPDATE', id), async (tx, scope) => {
    const input = parseInput(correctDeliveryInput, raw);
    const { delivery, intervention } = await deliveryForDecision(tx, actor, id, 'UPDATE');
    scope.personId = delivery.personId;
    if (!CORRECTABLE.includes(delivery.status)) {
      throw new CaseworkError(
        'INVALID_STATUS_TRANSITION',
        `un'erogazione ${delivery.status} non si corregge`,
        'id',
      );
    }
    const deliveredOn = input.deliveredOn ?? delivery.deliveredOn;
    const quantity = input.quantity ?? delivery.quantity;
    const given =
      input.amount ??
      (delivery.amountSource === 'GIVEN' && input.quantity == null ? delivery.amount : null);
    const day = await selectDeliveryDay(tx, intervention.id, deliveredOn);
    const priced = priceOf(day.tariffs, intervention, deliveredOn, quantity, given, 'input.amount');
    checkDelivery(intervention, { deliveredOn, quantity }, day.serviceValid, {
      deliveredOn: 'input.deliveredOn',
      quantity: 'input.quantity',
    });
    await setDeliveryStatus(tx, id, 'CORRECTED');
    const correction = await insertDelivery(tx, {
      interventionId: delivery.interventionId,
      organizationId: delivery.organizationId,
      officeId: delivery.officeId,
      personId: delivery.personId,
      providerId: delivery.providerId,
      serviceCode: delivery.serviceCode,
      deliveredOn,
      quantity,
      unit: delivery.unit,
      ...priced,
      beneficiaryShare: shareOf(priced.amount, intervention.beneficiarySharePercent),
      status: 'RECORDED',
      recordedByKind: 'OFFICE',
      recordedBy: actor.kind === 'OPERATOR' ? actor.username : null,
      providerReference: null,
      correctsId: delivery.id,
      note: input.note,
    });
    // The old row stops counting and the new one counts: the ceiling holds the difference.
    await moveCommitted(tx, intervention, committedChange(delivery, correction), 'input.quantity');
    await audit(tx, actor, {
      action: 'UPDATE',
      entity: 'Delivery',
      entityId: id,
      personId: delivery.personId,
      outcome: 'OK',
      details: { correctedBy: correction.id },
    });
    return maskDelivery(tx, actor, correction);
  });
}

/** Cancels a delivery recorded in error (it stops counting; SIUSS revokes it if it was sent). */
export async function cancelDelivery(
  db: Db,
  actor: Actor,
  id: string,
  reason: string,
): Promise<Delivery> {
  return audited(db, actor, scopeOf('DELETE', id), async (tx, scope) => {
    const { delivery, intervention } = await deliveryForDecision(tx, actor, id, 'DELETE');
    scope.personId = delivery.personId;
    if (!reason.trim()) throw badInput('reason', 'indicare il motivo');
    if (delivery.status === 'CANCELLED' || delivery.status === 'CORRECTED') {
      throw new CaseworkError(
        'INVALID_STATUS_TRANSITION',
        `un'erogazione ${delivery.status} non si annulla`,
        'id',
      );
    }
    const next = await setDeliveryStatus(tx, id, 'CANCELLED', {
      note: reason.trim().slice(0, 2000),
    });
    await moveCommitted(tx, intervention, committedChange(delivery, next), 'id');
    await audit(tx, actor, {
      action: 'DELETE',
      entity: 'Delivery',
      entityId: id,
      personId: delivery.personId,
      outcome: 'OK',
    });
    return maskDelivery(tx, actor, next);
  });
}

export async function getDelivery(db: Db, actor: Actor, id: string): Promise<Delivery> {
  return audited(db, actor, scopeOf('READ', id), async (tx) => {
    const delivery = isUuid(id) ? await selectDelivery(tx, id) : null;
    if (!delivery) throw new CaseworkError('NOT_FOUND', 'erogazione non trovata', 'id');
    await requireReadableIntervention(tx, actor, delivery.interventionId, 'id');
    await audit(tx, actor, {
      action: 'READ',
      entity: 'Delivery',
      entityId: id,
      personId: delivery.personId,
      outcome: 'OK',
    });
    return maskDelivery(tx, actor, delivery);
  });
}

const FILTER_FIELDS = { serviceCode: 'filter.serviceCode', userArea: 'filter.userArea' };

/** Deliveries by beneficiary, intervention, service, provider, project, office, state and period. */
export async function searchDeliveries(
  db: Db,
  actor: Actor,
  raw: DeliverySearchInput,
): Promise<{ items: Delivery[]; total: number }> {
  const scope = interventionScopeOf(actor);
  return audited(db, actor, scopeOf('SEARCH'), async (tx) => {
    requireSomeScope(scope, 'erogazioni');
    const { limit, offset, ...filter } = parseInput(deliverySearchInput, raw, 'filter');
    await refuseHealthAtMaskingDesk(tx, actor, filter, FILTER_FIELDS, {
      action: 'SEARCH',
      entity: 'Delivery',
      personId: filter.personId ?? null,
    });
    const page = await searchDeliveryRows(tx, scope, filter, { limit, offset });
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'Delivery',
      outcome: 'OK',
      details: {
        results: page.items.length,
        persons: [...new Set(page.items.map((d) => d.personId))],
      },
    });
    return { items: await maskDeliveries(tx, actor, page.items), total: page.total };
  });
}

export const DELIVERY_EXPORT_MAX_ROWS = 50_000;

/** The filtered deliveries for Excel, CSV or PDF, audited as an export naming the persons in it. */
export async function listDeliveryExportRows(
  db: Db,
  actor: Actor,
  raw: Omit<DeliverySearchInput, 'limit' | 'offset'> = {},
): Promise<DeliveryExportRow[]> {
  const scope = interventionScopeOf(actor);
  return audited(db, actor, scopeOf('EXPORT'), async (tx) => {
    requireSomeScope(scope, 'esportare erogazioni');
    const { limit: _, offset: __, ...filter } = parseInput(deliverySearchInput, raw, 'filter');
    await refuseHealthAtMaskingDesk(tx, actor, filter, FILTER_FIELDS, {
      action: 'EXPORT',
      entity: 'Delivery',
      personId: filter.personId ?? null,
    });
    const rows = await selectDeliveryExportRows(tx, scope, filter, DELIVERY_EXPORT_MAX_ROWS);
    await audit(tx, actor, {
      action: 'EXPORT',
      entity: 'Delivery',
      outcome: 'OK',
      details: {
        rows: rows.length,
        persons: [...new Set(rows.map((r) => r.personId))].length,
        filter,
      },
    });
    return maskDeliveries(tx, actor, rows);
  });
}
