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
import { badInput, CaseworkError } from '../errors.ts';
import { selectServicesValidOn } from '../service-catalog/service-catalog.store.ts';
import { mayActFor, providerClientOrganization } from './deliveries.access.ts';
import { maskDeliveries, maskDelivery, refuseHealthAtMaskingDesk } from './deliveries.masking.ts';
import {
  amountOf,
  checkCeiling,
  checkQuantity,
  checkWithinPeriod,
  expectedDays,
  shareOf,
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
  contractCommitted,
  type DeliveryExportRow,
  type DeliveryRow,
  fulfilExpected,
  insertDelivery,
  insertExpectedDeliveries,
  lockContractCeiling,
  searchDeliveries as searchDeliveryRows,
  selectDelivery,
  selectDeliveryExportRows,
  selectRecordingState,
  setDeliveryStatus,
} from './delivery.store.ts';
import {
  interventionScopeOf,
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
async function priceOf(
  q: Queryable,
  intervention: InterventionRow,
  day: string,
  quantity: number,
  given: number | null | undefined,
  field: string,
): Promise<Priced> {
  if (given != null)
    return { tariffId: null, unitCost: null, amount: given, amountSource: 'GIVEN' };
  const versions = await selectTariffVersions(q, {
    organizationId: intervention.organizationId,
    providerId: intervention.providerId,
    serviceCode: intervention.serviceCode,
    unit: intervention.unit,
  });
  const tariff = tariffInForce(versions, day);
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

/** The checks every recorded or corrected delivery passes: date, quantity, service, ceiling. */
async function checkDelivery(
  q: Queryable,
  intervention: InterventionRow,
  d: { deliveredOn: string; quantity: number; amount: number },
  fields: { deliveredOn: string; quantity: string },
  excludingDeliveryId: string | null = null,
): Promise<void> {
  checkQuantity(d.quantity, fields.quantity);
  if (d.deliveredOn > today()) {
    throw new CaseworkError(
      'FUTURE_DATE',
      "un'erogazione si registra dopo che è avvenuta",
      fields.deliveredOn,
    );
  }
  checkWithinPeriod(d.deliveredOn, intervention, fields.deliveredOn);
  if (
    !(await selectServicesValidOn(q, [intervention.serviceCode], d.deliveredOn)).has(
      intervention.serviceCode,
    )
  ) {
    throw new CaseworkError(
      'SERVICE_NOT_VALID_ON_DATE',
      `il servizio ${intervention.serviceCode} non è nel nomenclatore valido al ${d.deliveredOn}`,
      fields.deliveredOn,
    );
  }
  if (intervention.contractId) {
    // Locked: two deliveries at once cannot both fit under the same ceiling.
    const contract = (await lockContractCeiling(q, intervention.contractId))!;
    // Without a ceiling there is nothing to sum (checkCeiling would pass whatever the sum).
    if (contract.ceilingAmount !== null) {
      checkCeiling(
        contract,
        await contractCommitted(q, contract.id, excludingDeliveryId),
        d.amount,
        fields.quantity,
      );
    }
  }
}

export async function recordDelivery(
  db: Db,
  actor: Actor,
  raw: RecordDeliveryInput,
): Promise<Delivery> {
  return audited(db, actor, scopeOf('CREATE'), async (tx, scope) => {
    const input = parseInput(recordDeliveryInput, raw);
    // Locked: the schedule's expected row and a recorded one never both land for the same day.
    const intervention = await requireReadableIntervention(
      tx,
      actor,
      input.interventionId,
      'input.interventionId',
      true,
    );
    scope.personId = intervention.personId;
    const recorder = recorderOf(actor, intervention);
    if (intervention.status !== 'ACTIVE') {
      throw new CaseworkError('CONFLICT', "l'intervento non è attivo", 'input.interventionId');
    }
    const reference = input.providerReference ?? null;
    // One statement: the row stored under this reference, and the schedule's row of the day
    // (locked: the intervention's lock keeps a second one from landing meanwhile).
    const { byReference: stored, expected } = await selectRecordingState(tx, {
      providerId: intervention.providerId,
      reference,
      interventionId: intervention.id,
      day: input.deliveredOn,
    });
    if (reference) {
      // A provider's resubmission (a retry after a lost answer) answers with the stored row.
      if (stored) {
        if (stored.interventionId !== intervention.id || stored.deliveredOn !== input.deliveredOn) {
          throw new CaseworkError(
            'CONFLICT',
            `il riferimento ${reference} è già usato per un'altra erogazione`,
            'input.providerReference',
          );
        }
        return maskDelivery(tx, actor, stored);
      }
    }
    const priced = await priceOf(
      tx,
      intervention,
      input.deliveredOn,
      input.quantity,
      input.amount,
      'input.amount',
    );
    await checkDelivery(
      tx,
      intervention,
      { ...input, amount: priced.amount },
      {
        deliveredOn: 'input.deliveredOn',
        quantity: 'input.quantity',
      },
    );
    const status: DeliveryStatus = recorder.kind === 'OFFICE' ? 'RECORDED' : 'TO_VERIFY';
    const values = {
      quantity: input.quantity,
      ...priced,
      beneficiaryShare: shareOf(priced.amount, intervention.beneficiarySharePercent),
      status,
      recordedBy: recorder.by,
      providerReference: reference,
      note: input.note ?? null,
    };
    const delivery = expected
      ? await fulfilExpected(tx, expected.id, { ...values, recordedByKind: recorder.kind })
      : await insertDelivery(tx, {
          ...values,
          interventionId: intervention.id,
          organizationId: intervention.organizationId,
          officeId: intervention.officeId,
          personId: intervention.personId,
          providerId: intervention.providerId,
          serviceCode: intervention.serviceCode,
          deliveredOn: input.deliveredOn,
          unit: intervention.unit,
          recordedByKind: recorder.kind,
          correctsId: null,
        });
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'Delivery',
      entityId: delivery.id,
      personId: intervention.personId,
      outcome: 'OK',
      details: { status, ...(expected ? { fulfils: 'EXPECTED' } : {}) },
    });
    return maskDelivery(tx, actor, delivery);
  });
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
      // A disputed delivery did not count against the ceiling: accepting it must still fit.
      await checkDelivery(
        tx,
        intervention,
        delivery,
        { deliveredOn: 'id', quantity: 'id' },
        delivery.id,
      );
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
    const priced = await priceOf(tx, intervention, deliveredOn, quantity, given, 'input.amount');
    await checkDelivery(
      tx,
      intervention,
      { deliveredOn, quantity, amount: priced.amount },
      {
        deliveredOn: 'input.deliveredOn',
        quantity: 'input.quantity',
      },
      delivery.id,
    );
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
    const { delivery } = await deliveryForDecision(tx, actor, id, 'DELETE');
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
