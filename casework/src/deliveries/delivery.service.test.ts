import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo } from '../case-file/case-file.fixtures.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { listSiussDuties } from '../siuss/siuss.service.ts';
import { refusal } from '../testing/refusal.ts';
import { listBenefitOverlaps } from './benefit-overlap.ts';
import {
  CONTRACT_CEILING,
  createDeliveriesWorld,
  type DeliveriesWorld,
  HOME_CARE,
  homeCare,
  occasionalCare,
} from './deliveries.fixtures.ts';
import {
  cancelDelivery,
  correctDelivery,
  generateExpectedDeliveries,
  getDelivery,
  MAX_DELIVERY_BATCH,
  recordDeliveries,
  recordDelivery,
  searchDeliveries,
  verifyDelivery,
} from './delivery.service.ts';
import {
  createIntervention,
  listInterventionExportRows,
  searchInterventions,
} from './intervention.service.ts';
import { addTariff, createContract, listContracts, listProjects } from './provider.service.ts';

let w: DeliveriesWorld;
beforeAll(async () => {
  w = await createDeliveriesWorld();
}, 60_000);
afterAll(() => w.db.close());

/** Rows of the tables a refusal must leave as they were. */
async function snapshot() {
  const [row] = await w.db.query<{ i: number; d: number; t: number; o: number }>(
    `SELECT (SELECT count(*) FROM intervention)::int AS i, (SELECT count(*) FROM delivery)::int AS d,
            (SELECT count(*) FROM tariff)::int AS t, (SELECT count(*) FROM benefit_overlap)::int AS o`,
  );
  return row;
}
async function lastDenial(actorId: string) {
  const [row] = await w.db.query<{ entity: string; reason: string; person_id: string | null }>(
    `SELECT entity, reason, person_id FROM audit_log WHERE actor_id = $1 AND outcome = 'DENIED'
      ORDER BY id DESC LIMIT 1`,
    [actorId],
  );
  return row;
}

describe('tariff selection by date', () => {
  it('should price each delivery by the tariff in force on its day', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      occasionalCare(w, 90, {
        applicationProtocol: 'T-1',
      }),
    );
    // A new version from 10 days ago: the open one (20 €/h) closes there.
    await addTariff(w.db, w.staff.pg, {
      providerId: w.providerId,
      serviceCode: HOME_CARE,
      unit: 'HOUR',
      unitCost: 22.5,
      validFrom: daysAgo(10),
    });
    const before = await recordDelivery(w.db, w.staff.pg, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(11),
      quantity: 2,
    });
    const after = await recordDelivery(w.db, w.staff.pg, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(10),
      quantity: 2,
    });
    expect([before.unitCost, before.amount, before.status]).toEqual([20, 40, 'RECORDED']);
    expect([after.unitCost, after.amount]).toEqual([22.5, 45]);
    const given = await recordDelivery(w.db, w.staff.pg, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(9),
      quantity: 1,
      amount: 12.34,
    });
    expect([given.amount, given.amountSource, given.tariffId]).toEqual([12.34, 'GIVEN', null]);
  });

  it('should refuse a version that overlaps or leaves a gap, writing nothing', async () => {
    const before = await snapshot();
    const overlap = await refusal(
      addTariff(w.db, w.staff.pg, {
        providerId: w.providerId,
        serviceCode: HOME_CARE,
        unit: 'HOUR',
        unitCost: 1,
        validFrom: daysAgo(20),
      }),
    );
    expect([overlap.code, overlap.field]).toEqual(['TARIFF_OVERLAP', 'input.validFrom']);
    // A closed key (an access-based tariff valid 30 days) and a version 5 days after its end.
    await addTariff(w.db, w.staff.pg, {
      providerId: w.providerId,
      serviceCode: HOME_CARE,
      unit: 'ACCESS',
      unitCost: 15,
      validFrom: daysAgo(100),
      validTo: daysAgo(70),
    });
    const mid = await snapshot();
    const gap = await refusal(
      addTariff(w.db, w.staff.pg, {
        providerId: w.providerId,
        serviceCode: HOME_CARE,
        unit: 'ACCESS',
        unitCost: 16,
        validFrom: daysAgo(65),
      }),
    );
    expect([gap.code, gap.field]).toEqual(['TARIFF_GAP', 'input.validFrom']);
    expect(await snapshot()).toEqual(mid);
    expect(mid!.t).toBe(before!.t + 1);
  });
});

describe('periodic generation', () => {
  it('should expect one delivery a week, add nothing the second time, and fulfil an expected day', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      homeCare(w, 21, { applicationProtocol: 'P-1', userArea: '2' }),
    );
    const first = await generateExpectedDeliveries(w.db, w.staff.pg, intervention.id);
    expect(first).toEqual({ created: 4, expected: 4 });
    expect(await generateExpectedDeliveries(w.db, w.staff.pg, intervention.id)).toEqual({
      created: 0,
      expected: 4,
    });
    const recorded = await recordDelivery(w.db, w.providerClient, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(14),
      quantity: 5,
      providerReference: 'COOP-0001',
    });
    expect([recorded.status, recorded.recordedByKind, recorded.quantity]).toEqual([
      'TO_VERIFY',
      'PROVIDER',
      5,
    ]);
    const rows = await searchDeliveries(w.db, w.staff.pg, {
      interventionId: intervention.id,
      limit: 50,
    });
    expect(rows.total).toBe(4);
    expect(rows.items.filter((d) => d.status === 'EXPECTED')).toHaveLength(3);
    // The provider's retry after a lost answer gets the same row, not a second one.
    const retry = await recordDelivery(w.db, w.providerClient, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(14),
      quantity: 5,
      providerReference: 'COOP-0001',
    });
    expect(retry.id).toBe(recorded.id);
    expect(
      (await searchDeliveries(w.db, w.staff.pg, { interventionId: intervention.id })).total,
    ).toBe(4);
  });
});

describe('provider-recorded deliveries and their verification', () => {
  it('should wait for the office, then count once accepted; a dispute needs a reason', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      occasionalCare(w, 30, {
        applicationProtocol: 'V-1',
      }),
    );
    const spentBefore = (await listProjects(w.db, w.staff.pg)).find((p) => p.id === w.projectId)!;
    const a = await recordDelivery(w.db, w.providerClient, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(5),
      quantity: 3,
    });
    const b = await recordDelivery(w.db, w.providerClient, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(4),
      quantity: 2,
    });
    const pending = (await listProjects(w.db, w.staff.pg)).find((p) => p.id === w.projectId)!;
    expect(pending.spent).toBe(spentBefore.spent);
    expect(pending.pendingVerification).toBe(spentBefore.pendingVerification + a.amount + b.amount);

    const accepted = await verifyDelivery(w.db, w.staff.pg, a.id, { decision: 'ACCEPT' });
    expect(accepted.status).toBe('ACCEPTED');
    const noReason = await refusal(verifyDelivery(w.db, w.staff.pg, b.id, { decision: 'DISPUTE' }));
    expect([noReason.code, noReason.field]).toEqual(['BAD_USER_INPUT', 'input.reason']);
    const disputed = await verifyDelivery(w.db, w.staff.pg, b.id, {
      decision: 'DISPUTE',
      reason: 'Ore non risultanti dal foglio firme',
    });
    expect([disputed.status, disputed.disputeReason]).toEqual([
      'DISPUTED',
      'Ore non risultanti dal foglio firme',
    ]);
    const again = await refusal(
      verifyDelivery(w.db, w.staff.pg, a.id, { decision: 'DISPUTE', reason: 'x' }),
    );
    expect(again.code).toBe('INVALID_STATUS_TRANSITION');
    const after = (await listProjects(w.db, w.staff.pg)).find((p) => p.id === w.projectId)!;
    expect(after.spent).toBeCloseTo(spentBefore.spent + a.amount, 2);

    // The provider may not verify its own deliveries.
    const self = await refusal(
      verifyDelivery(w.db, w.providerClient, b.id, { decision: 'ACCEPT' }),
    );
    expect(self.code).toBe('FORBIDDEN');
  });

  it('should refuse a provider recording for an intervention it does not deliver, audited, nothing written', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      occasionalCare(w, 30, {
        applicationProtocol: 'X-1',
      }),
    );
    const before = await snapshot();
    const err = await refusal(
      recordDelivery(w.db, w.otherProviderClient, {
        interventionId: intervention.id,
        deliveredOn: daysAgo(1),
        quantity: 1,
      }),
    );
    // The other provider cannot even read the intervention: refused as not its own.
    expect(err.code).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
    expect(await lastDenial(w.otherProviderClient.clientId)).toMatchObject({
      person_id: w.person.id,
    });
    expect(await listContracts(w.db, w.otherProviderClient)).toEqual([]);
  });

  it('should refuse a reference the provider already used for another delivery, writing nothing', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      occasionalCare(w, 30, {
        applicationProtocol: 'R-1',
      }),
    );
    const input = {
      interventionId: intervention.id,
      deliveredOn: daysAgo(3),
      quantity: 1,
      providerReference: 'COOP-R-1',
    };
    const first = await recordDelivery(w.db, w.providerClient, input);
    const before = await snapshot();
    const err = await refusal(
      recordDelivery(w.db, w.providerClient, { ...input, deliveredOn: daysAgo(2) }),
    );
    expect([err.code, err.field]).toEqual(['CONFLICT', 'input.providerReference']);
    expect(await snapshot()).toEqual(before);
    // Sent again as it was, it answers the stored row.
    expect((await recordDelivery(w.db, w.providerClient, input)).id).toBe(first.id);
  });

  it('should answer one row to the same delivery sent twice at once (a retry racing its original)', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      homeCare(w, 30, {
        periodicity: 'OCCASIONAL',
        periodUnit: null,
        quantityPerPeriod: null,
        applicationProtocol: 'R-1',
      }),
    );
    const input = {
      interventionId: intervention.id,
      deliveredOn: daysAgo(5),
      quantity: 1,
      providerReference: 'COOP-RACE-1',
    };
    // The intervention held by another transaction meanwhile: on PostgreSQL all three read what
    // is stored before the first writes, and the later two must find its row when they write.
    let release!: () => void;
    const held = new Promise<void>((done) => {
      release = done;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((done) => {
      locked = done;
    });
    const holder = w.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM intervention WHERE id = $1 FOR UPDATE', [intervention.id]);
      locked();
      await held;
    });
    await isLocked;
    const sent = Promise.all([1, 2, 3].map(() => recordDelivery(w.db, w.providerClient, input)));
    await new Promise((done) => setTimeout(done, 300));
    release();
    await holder;
    const answers = await sent;
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    const [row] = await w.db.query<{ n: number; audited: number }>(
      `SELECT count(*)::int AS n,
              (SELECT count(*)::int FROM audit_log WHERE entity = 'Delivery' AND action = 'CREATE'
                  AND entity_id = $2) AS audited
         FROM delivery WHERE provider_reference = $1`,
      [input.providerReference, answers[0]!.id],
    );
    expect(row).toEqual({ n: 1, audited: 1 });
  });

  it('should let only one of two deliveries sent at once fit under what the ceiling leaves', async () => {
    // Two interventions under the same contract: only the contract's lock stands between them.
    const interventions = await Promise.all(
      ['C-1', 'C-2'].map((applicationProtocol) =>
        createIntervention(
          w.db,
          w.staff.pg,
          occasionalCare(w, 30, {
            applicationProtocol,
          }),
        ),
      ),
    );
    expect(interventions.map((i) => i.contractId)).toEqual([w.contractId, w.contractId]);
    const [row] = await w.db.query<{ committed: number }>(
      `SELECT coalesce(sum(d.amount), 0)::float8 AS committed FROM delivery d
         JOIN intervention i ON i.id = d.intervention_id
        WHERE i.contract_id = $1 AND d.status IN ('RECORDED', 'ACCEPTED', 'TO_VERIFY')`,
      [w.contractId],
    );
    // Each fits alone, the two together do not.
    const amount = Math.floor(((CONTRACT_CEILING - row!.committed) * 0.6) / 10) * 10;
    expect(amount).toBeGreaterThan(0);
    const outcomes = await Promise.allSettled(
      interventions.map((intervention) =>
        recordDelivery(w.db, w.providerClient, {
          interventionId: intervention.id,
          deliveredOn: daysAgo(6),
          quantity: 1,
          amount,
        }),
      ),
    );
    const recorded = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(recorded).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason.code).toBe('CONTRACT_CEILING_EXCEEDED');
    // Cancelled, it stops counting: the later tests find the ceiling as it was.
    const delivery = (recorded[0] as PromiseFulfilledResult<{ id: string }>).value;
    await cancelDelivery(w.db, w.staff.pg, delivery.id, 'prova del tetto di spesa');
  });
});

describe('recordDeliveries: a batch of a provider client', () => {
  it('should answer each item its verdict by index, the refused ones writing nothing', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      homeCare(w, 30, {
        periodicity: 'OCCASIONAL',
        periodUnit: null,
        quantityPerPeriod: null,
        applicationProtocol: 'B-1',
      }),
    );
    const item = (n: number, quantity: number) => ({
      interventionId: intervention.id,
      deliveredOn: daysAgo(n),
      quantity,
      providerReference: `COOP-B-${n}`,
    });
    const verdicts = await recordDeliveries(w.db, w.providerClient, [
      item(1, 1),
      item(2, -1),
      item(3, 2),
      { ...item(4, 1), interventionId: 'not-an-id' },
    ]);
    expect(
      verdicts.map((v) => [v.index, v.delivery?.status ?? null, v.error?.code ?? null]),
    ).toEqual([
      [0, 'TO_VERIFY', null],
      [1, null, 'INVALID_QUANTITY'],
      [2, 'TO_VERIFY', null],
      [3, null, 'BAD_USER_INPUT'],
    ]);
    expect([verdicts[1]!.error!.field, verdicts[3]!.error!.field]).toEqual([
      'input.1.quantity',
      'input.3.interventionId',
    ]);
    const [row] = await w.db.query<{ refs: string[]; audited: number }>(
      `SELECT array_agg(provider_reference ORDER BY provider_reference) AS refs,
              (SELECT count(*)::int FROM audit_log WHERE entity = 'Delivery' AND action = 'CREATE'
                  AND outcome = 'OK' AND entity_id = ANY(array_agg(d.id::text))) AS audited
         FROM delivery d WHERE provider_reference LIKE 'COOP-B-%'`,
    );
    expect(row).toEqual({ refs: ['COOP-B-1', 'COOP-B-3'], audited: 2 });
    // Sent again, the stored rows answer.
    const again = await recordDeliveries(w.db, w.providerClient, [item(1, 1), item(3, 2)]);
    expect(again.map((v) => v.delivery?.id)).toEqual([
      verdicts[0]!.delivery!.id,
      verdicts[2]!.delivery!.id,
    ]);
  });

  it('should refuse the whole batch when one item is on another provider’s intervention, audited, nothing written', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      homeCare(w, 30, {
        periodicity: 'OCCASIONAL',
        periodUnit: null,
        quantityPerPeriod: null,
        applicationProtocol: 'B-2',
      }),
    );
    const before = await snapshot();
    const err = await refusal(
      recordDeliveries(w.db, w.otherProviderClient, [
        { interventionId: intervention.id, deliveredOn: daysAgo(1), quantity: 1 },
      ]),
    );
    expect(err.code).toMatch(/^(FORBIDDEN|CONTRACT_NOT_APPLICABLE)$/);
    expect(await snapshot()).toEqual(before);
    expect((await lastDenial(w.otherProviderClient.clientId))?.entity).toMatch(
      /Intervention|Delivery/,
    );
    const tooMany = await refusal(
      recordDeliveries(
        w.db,
        w.providerClient,
        Array.from({ length: MAX_DELIVERY_BATCH + 1 }, (_, n) => ({
          interventionId: intervention.id,
          deliveredOn: daysAgo(1 + (n % 20)),
          quantity: 1,
        })),
      ),
    );
    expect([tooMany.code, tooMany.field]).toEqual(['BAD_USER_INPUT', 'input']);
    expect(await snapshot()).toEqual(before);
  });
});

describe("the contract's committed total (migration 040)", () => {
  /** Each contract's running total beside the sum it stands for. */
  async function totals() {
    return w.db.query<{ id: string; total: number; sum: number }>(
      `SELECT c.id, c.committed_amount::float8 AS total,
              coalesce((SELECT sum(d.amount) FROM delivery d JOIN intervention i ON i.id = d.intervention_id
                         WHERE i.contract_id = c.id AND d.status IN ('RECORDED', 'ACCEPTED', 'TO_VERIFY')),
                       0)::float8 AS sum
         FROM provider_contract c ORDER BY c.id`,
    );
  }
  /** The contract's total, after checking that every contract's total equals its sum. */
  async function heldTotal(): Promise<number> {
    const rows = await totals();
    for (const r of rows) expect(r.total, `contract ${r.id}`).toBe(r.sum);
    return rows.find((r) => r.id === w.contractId)!.total;
  }

  it('should equal the sum after each kind of change', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      homeCare(w, 21, { applicationProtocol: 'T-040' }),
    );
    let total = await heldTotal();
    /** Makes the change; the total moves by `delta` of its answer and still equals the sum. */
    const step = async <T>(change: Promise<T>, delta: (answer: T) => number): Promise<T> => {
      const answer = await change;
      const next = await heldTotal();
      expect(Math.round((next - total) * 100) / 100).toBe(delta(answer));
      total = next;
      return answer;
    };
    const none = () => 0;
    const amount = (d: { amount: number }) => d.amount;
    // The schedule's expected rows commit nothing.
    await step(generateExpectedDeliveries(w.db, w.staff.pg, intervention.id), none);
    // Recorded by the office, by the provider (to verify), over an expected day.
    const office = await step(
      recordDelivery(w.db, w.staff.pg, {
        interventionId: intervention.id,
        deliveredOn: daysAgo(2),
        quantity: 2,
      }),
      amount,
    );
    const byProvider = await step(
      recordDelivery(w.db, w.providerClient, {
        interventionId: intervention.id,
        deliveredOn: daysAgo(1),
        quantity: 1.5,
        providerReference: 'T040-A',
      }),
      amount,
    );
    const fulfilled = await step(
      recordDelivery(w.db, w.providerClient, {
        interventionId: intervention.id,
        deliveredOn: daysAgo(14),
        quantity: 3,
        providerReference: 'T040-B',
      }),
      amount,
    );
    expect(office.amount * byProvider.amount * fulfilled.amount).toBeGreaterThan(0);
    // Four expected days (one fulfilled) and the two recorded on days of their own.
    const rows = await searchDeliveries(w.db, w.staff.pg, { interventionId: intervention.id });
    expect([rows.total, rows.items.filter((d) => d.status === 'EXPECTED').length]).toEqual([6, 3]);
    // A resubmission answers the stored row and commits nothing more.
    await step(
      recordDelivery(w.db, w.providerClient, {
        interventionId: intervention.id,
        deliveredOn: daysAgo(1),
        quantity: 1.5,
        providerReference: 'T040-A',
      }),
      none,
    );
    // Accepted (it was already committed), disputed (it leaves), accepted after the dispute.
    await step(verifyDelivery(w.db, w.staff.pg, byProvider.id, { decision: 'ACCEPT' }), none);
    await step(
      verifyDelivery(w.db, w.staff.pg, fulfilled.id, {
        decision: 'DISPUTE',
        reason: 'ore non svolte',
      }),
      (d) => -d.amount,
    );
    await step(verifyDelivery(w.db, w.staff.pg, fulfilled.id, { decision: 'ACCEPT' }), amount);
    // Corrected: the old row leaves, the new one enters; cancelled: it leaves.
    const corrected = await step(
      correctDelivery(w.db, w.staff.pg, office.id, { quantity: 1, note: 'un’ora' }),
      (d) => Math.round((d.amount - office.amount) * 100) / 100,
    );
    expect(corrected.amount).toBeLessThan(office.amount);
    await step(cancelDelivery(w.db, w.staff.pg, corrected.id, 'per errore'), (d) => -d.amount);
    // A disputed row corrected: it did not count, its correction does.
    const disputed = await step(
      recordDelivery(w.db, w.providerClient, {
        interventionId: intervention.id,
        deliveredOn: daysAgo(3),
        quantity: 1,
        providerReference: 'T040-C',
      }),
      amount,
    );
    await step(
      verifyDelivery(w.db, w.staff.pg, disputed.id, { decision: 'DISPUTE', reason: 'x' }),
      (d) => -d.amount,
    );
    await step(
      correctDelivery(w.db, w.staff.pg, disputed.id, { quantity: 2, note: 'due' }),
      amount,
    );
    // A refusal past the ceiling leaves it as it was.
    const past = await refusal(
      recordDelivery(w.db, w.staff.pg, {
        interventionId: intervention.id,
        deliveredOn: daysAgo(4),
        quantity: 1,
        amount: CONTRACT_CEILING,
      }),
    );
    expect(past.code).toBe('CONTRACT_CEILING_EXCEEDED');
    await step(Promise.resolve(null), none);
  });

  it('should be backfilled by migration 040 from the deliveries stored before it', async () => {
    const before = await totals();
    expect(before.some((r) => r.total > 0)).toBe(true);
    const sql = await readFile(
      new URL('../../migrations/040-contract-committed-total.sql', import.meta.url),
      'utf8',
    );
    const backfill = sql.slice(sql.indexOf('UPDATE provider_contract'));
    await w.db.transaction(async (tx) => {
      await tx.query('UPDATE provider_contract SET committed_amount = 0');
      await tx.exec(backfill);
    });
    expect(await totals()).toEqual(before);
  });
});

describe('corrections and cancellations', () => {
  it('should supersede a delivery so that it is counted once', async () => {
    const intervention = await createIntervention(
      w.db,
      w.staff.pg,
      occasionalCare(w, 30, {
        applicationProtocol: 'C-1',
      }),
    );
    const d = await recordDelivery(w.db, w.staff.pg, {
      interventionId: intervention.id,
      deliveredOn: daysAgo(3),
      quantity: 4,
    });
    const fixed = await correctDelivery(w.db, w.staff.pg, d.id, {
      quantity: 3,
      note: 'Un’ora non svolta',
    });
    expect([fixed.correctsId, fixed.quantity, fixed.status]).toEqual([d.id, 3, 'RECORDED']);
    const again = await refusal(
      correctDelivery(w.db, w.staff.pg, d.id, { quantity: 2, note: 'x' }),
    );
    expect(again.code).toBe('INVALID_STATUS_TRANSITION');
    const all = await searchDeliveries(w.db, w.staff.pg, { interventionId: intervention.id });
    const counted = all.items.filter((x) => x.status === 'RECORDED' || x.status === 'ACCEPTED');
    expect(counted.map((x) => x.quantity)).toEqual([3]);
    const cancelled = await cancelDelivery(w.db, w.staff.pg, fixed.id, 'Registrata per errore');
    expect(cancelled.status).toBe('CANCELLED');
  });
});

describe('bad input', () => {
  let occasional: string;
  beforeAll(async () => {
    occasional = (
      await createIntervention(
        w.db,
        w.staff.pg,
        occasionalCare(w, 30, {
          endOn: daysAgo(2),
          applicationProtocol: 'B-1',
        }),
      )
    ).id;
  });

  it.each([
    ['a zero quantity', { quantity: 0 }, 'INVALID_QUANTITY', 'input.quantity'],
    ['a negative quantity', { quantity: -2 }, 'INVALID_QUANTITY', 'input.quantity'],
    [
      'a day outside the period',
      { deliveredOn: daysAgo(1) },
      'DELIVERY_OUTSIDE_PERIOD',
      'input.deliveredOn',
    ],
    [
      'a day before the start',
      { deliveredOn: daysAgo(31) },
      'DELIVERY_OUTSIDE_PERIOD',
      'input.deliveredOn',
    ],
    ['a day in the future', { deliveredOn: daysAgo(-1) }, 'FUTURE_DATE', 'input.deliveredOn'],
    [
      'an amount past the ceiling',
      { amount: CONTRACT_CEILING + 1 },
      'CONTRACT_CEILING_EXCEEDED',
      'input.quantity',
    ],
  ])('should refuse a delivery with %s, writing nothing', async (_, change, code, field) => {
    const before = await snapshot();
    const err = await refusal(
      recordDelivery(w.db, w.staff.pg, {
        interventionId: occasional,
        deliveredOn: daysAgo(5),
        quantity: 1,
        ...change,
      }),
    );
    expect([err.code, err.field]).toEqual([code, field]);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['an ISEE-dependent benefit without ISEE', { meansTest: '1' }, 'ISEE_REQUIRED', 'input.isee'],
    [
      'a service not in the nomenclator on its dates',
      { serviceCode: 'NON.ESISTE' },
      'SERVICE_NOT_VALID_ON_DATE',
      'input.serviceCode',
    ],
    [
      'a service the contract does not cover',
      { serviceCode: 'A2.08' },
      'CONTRACT_NOT_APPLICABLE',
      'input.providerId',
    ],
    [
      'a beneficiary held by another organisation',
      { personId: 'TERNI_ONLY' },
      'NOT_FOUND',
      'input.personId',
    ],
    [
      'a periodic benefit without its period',
      { periodUnit: null },
      'BAD_USER_INPUT',
      'input.periodUnit',
    ],
    [
      'a zero quantity per period',
      { quantityPerPeriod: 0 },
      'INVALID_QUANTITY',
      'input.quantityPerPeriod',
    ],
  ])('should refuse an intervention with %s, writing nothing', async (_, change, code, field) => {
    const before = await snapshot();
    const input = { ...homeCare(w, 10), ...change } as Record<string, unknown>;
    if (input.personId === 'TERNI_ONLY') input.personId = w.terniOnlyId;
    const err = await refusal(createIntervention(w.db, w.staff.pg, input as never));
    expect([err.code, err.field]).toEqual([code, field]);
    expect(await snapshot()).toEqual(before);
  });

  it('should take the ISEE in force from the case file when none is given', async () => {
    const [c] = await w.db.query<{ id: string }>(
      `INSERT INTO case_file (person_id, organization_id, office_id, status, opened_on)
       VALUES ($1, $2, $3, 'IN_CARE', $4) RETURNING id`,
      [w.person.id, w.fx.organizations.perugia, w.fx.offices.perugia, daysAgo(100)],
    );
    await w.db.query(
      `INSERT INTO case_isee (case_file_id, isee_type, isee_value, dsu_protocol, dsu_on, valid_from, valid_to)
       VALUES ($1, 'ORDINARIO', 8500.50, 'INPS-ISEE-2026-00000001A-00', $2, $2, $3)`,
      [c!.id, daysAgo(50), daysAgo(-300)],
    );
    const i = await createIntervention(w.db, w.staff.pg, {
      ...homeCare(w, 10),
      meansTest: '1',
      caseFileId: c!.id,
      applicationProtocol: 'I-1',
    });
    expect(i.isee).toEqual({
      value: 8500.5,
      dsuProtocol: 'INPS-ISEE-2026-00000001A-00',
      dsuOn: daysAgo(50),
    });
  });

  it('should refuse an ISEE whose DSU protocol is not as INPS writes it, naming the field, nothing written', async () => {
    const before = await snapshot();
    const err = await refusal(
      createIntervention(w.db, w.staff.pg, {
        ...homeCare(w, 10),
        meansTest: '1',
        // Nine digits: what the old demo generated.
        isee: { value: 5000, dsuProtocol: 'INPS-ISEE-2026-000000001A-00', dsuOn: daysAgo(20) },
        applicationProtocol: 'I-DSU',
      }),
    );
    expect(err.code).toBe('DSU_PROTOCOL_INVALID');
    expect(err.field).toBe('input.isee.dsuProtocol');
    expect(await snapshot()).toEqual(before);
  });
});

describe('the SIUSS duty of a delivery', () => {
  it('should owe INPS what the office records at once, and a provider’s delivery once accepted', async () => {
    const i = await createIntervention(
      w.db,
      w.staff.pg,
      occasionalCare(w, 20, { applicationProtocol: 'S-EAGER' }),
    );
    const office = await recordDelivery(w.db, w.staff.pg, {
      interventionId: i.id,
      deliveredOn: daysAgo(5),
      quantity: 1,
    });
    const provider = await recordDelivery(w.db, w.providerClient, {
      interventionId: i.id,
      deliveredOn: daysAgo(4),
      quantity: 1,
      providerReference: 'S-EAGER-1',
    });
    const state = async (id: string) => (await getDelivery(w.db, w.staff.pg, id)).siussState;
    // No SIUSS page was read and no flow built: the duty is there because the delivery counts.
    expect([await state(office.id), await state(provider.id)]).toEqual(['DUE', null]);
    await verifyDelivery(w.db, w.staff.pg, provider.id, { decision: 'ACCEPT' });
    expect(await state(provider.id)).toBe('DUE');
  });
});

describe('search by SIUSS state', () => {
  it('should find the deliveries whose SIUSS duty is due, and show the state', async () => {
    const i = await createIntervention(
      w.db,
      w.staff.pg,
      occasionalCare(w, 20, {
        applicationProtocol: 'S-1',
      }),
    );
    const d = await recordDelivery(w.db, w.staff.pg, {
      interventionId: i.id,
      deliveredOn: daysAgo(2),
      quantity: 1,
    });
    expect(d.siussState).toBeNull();
    // Reading the SIUSS page reconciles the duties: the counted delivery becomes due.
    await listSiussDuties(w.db, w.staff.pg, {});
    const due = await searchDeliveries(w.db, w.staff.pg, {
      interventionId: i.id,
      siussState: 'DUE',
    });
    expect(due.items.map((x) => [x.id, x.siussState])).toEqual([[d.id, 'DUE']]);
    expect(
      (await searchDeliveries(w.db, w.staff.pg, { interventionId: i.id, siussState: 'ACCEPTED' }))
        .total,
    ).toBe(0);
  });
});

describe('masking', () => {
  it('should keep the ISEE (economic group) out of lists and exports at a masking desk, audited', async () => {
    const [op] = await w.db.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ('amm.urp', 'amm.urp', 'x') RETURNING id`,
    );
    await w.db.query(
      `INSERT INTO membership (operator_id, office_id, role, contact_point_id) VALUES ($1, $2, 'ADMIN_STAFF', $3)`,
      [op!.id, w.fx.offices.perugia, w.fx.contactPoints.urpPg],
    );
    const masked = (await loadOperatorActor(w.db, op!.id, { ip: null, userAgent: null }))!;
    const withIsee = (await listInterventionExportRows(w.db, w.staff.pg, {})).filter((i) => i.isee);
    expect(withIsee.length).toBeGreaterThan(0);
    const seen = await listInterventionExportRows(w.db, masked, {});
    const same = seen.filter((i) => withIsee.some((x) => x.id === i.id));
    expect(same).toHaveLength(withIsee.length);
    for (const i of same) {
      expect(i.isee).toBeNull();
      expect(i.maskedFields).toContain('isee');
    }
    expect(JSON.stringify(seen)).not.toContain('INPS-ISEE');
    const [a] = await w.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor_id = 'amm.urp' AND action = 'EXPORT' AND entity = 'Intervention'`,
    );
    expect(a!.n).toBe(1);
  });
});

describe('masking of health data in interventions and deliveries', () => {
  // A2.08 (A.D.I., with health services) and AreaUtenza 2 (disabilità e non autosufficienza)
  // say the person is ill or disabled: HEALTH, as the ADD and DIS needs are.
  const ADI = 'A2.08';
  let adi: Awaited<ReturnType<typeof createIntervention>>;
  let masked: NonNullable<Awaited<ReturnType<typeof loadOperatorActor>>>;
  beforeAll(async () => {
    await createContract(w.db, w.staff.pg, {
      providerId: w.providerId,
      kind: 'CONTRACT',
      reference: 'Convenzione ADI 2/2025',
      serviceCodes: [ADI],
      startOn: daysAgo(400),
    });
    adi = await createIntervention(w.db, w.staff.pg, {
      ...occasionalCare(w, 30),
      serviceCode: ADI,
    });
    await recordDelivery(w.db, w.staff.pg, {
      interventionId: adi.id,
      deliveredOn: daysAgo(3),
      quantity: 2,
      amount: 50,
    });
    // Administrative staff working at the immigrant desk, which masks health and judicial data.
    const [op] = await w.db.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ('amm.immigrati', 'amm.immigrati', 'x') RETURNING id`,
    );
    await w.db.query(
      `INSERT INTO membership (operator_id, office_id, role, contact_point_id) VALUES ($1, $2, 'ADMIN_STAFF', $3)`,
      [op!.id, w.fx.offices.perugia, w.fx.contactPoints.immigrantPg],
    );
    masked = (await loadOperatorActor(w.db, op!.id, { ip: null, userAgent: null }))!;
  });

  it('should show the office everything, and a desk that masks health neither the service nor the area', async () => {
    const open = await searchInterventions(w.db, w.staff.pg, { personId: w.person.id });
    const mine = open.items.find((i) => i.id === adi.id)!;
    expect([mine.serviceCode, mine.standardServiceCode, mine.userArea]).toEqual([ADI, ADI, '2']);

    const seen = (await searchInterventions(w.db, masked, { personId: w.person.id })).items;
    const it = seen.find((i) => i.id === adi.id)!;
    expect([it.serviceCode, it.standardServiceCode, it.userArea]).toEqual([null, null, null]);
    expect(it.maskedFields).toEqual(expect.arrayContaining(['serviceCode', 'userArea']));
    // A home-care intervention keeps its code; the area is masked on every row, so that its
    // absence tells nothing.
    const sad = seen.find((i) => i.serviceCode === HOME_CARE)!;
    expect([sad.userArea, sad.maskedFields.includes('userArea')]).toEqual([null, true]);

    const exported = await listInterventionExportRows(w.db, masked, { personId: w.person.id });
    const row = exported.find((i) => i.id === adi.id)!;
    expect([row.serviceCode, row.serviceTitle]).toEqual([null, null]);
    expect(JSON.stringify(exported)).not.toMatch(/A\.D\.I\.|A2\.08/);

    const deliveries = await searchDeliveries(w.db, masked, { interventionId: adi.id });
    expect(deliveries.items.map((d) => d.serviceCode)).toEqual([null]);
    const duties = await listSiussDuties(w.db, masked, {});
    expect(JSON.stringify(duties)).not.toContain(ADI);
  });

  it('should refuse a health service as a filter or a new intervention at that desk, audited, nothing written', async () => {
    const before = await snapshot();
    for (const call of [
      () => searchInterventions(w.db, masked, { serviceCode: ADI }),
      () => searchDeliveries(w.db, masked, { serviceCode: ADI }),
      () => listInterventionExportRows(w.db, masked, { serviceCode: ADI }),
    ]) {
      const err = await refusal(call());
      expect([err.code, err.field]).toEqual(['FORBIDDEN', 'filter.serviceCode']);
      expect(err.message).not.toContain(ADI);
    }
    const err = await refusal(
      createIntervention(w.db, masked, { ...homeCare(w, 10), serviceCode: ADI, userArea: '1' }),
    );
    expect([err.code, err.field]).toEqual(['FORBIDDEN', 'input.serviceCode']);
    const area = await refusal(createIntervention(w.db, masked, homeCare(w, 10)));
    expect([area.code, area.field]).toEqual(['FORBIDDEN', 'input.userArea']);
    expect(await snapshot()).toEqual(before);
    const denial = await lastDenial('amm.immigrati');
    expect([denial!.entity, denial!.person_id]).toEqual(['Intervention', w.person.id]);
  });

  it('should tell that desk of an overlap and whom to contact, without the health service', async () => {
    const [p] = await w.db.query<{ id: string }>(
      `INSERT INTO provider (name, kind, office_id, registered_by_organization_id)
       VALUES ('ADI comunale', 'IN_HOUSE', $1, $2) RETURNING id`,
      [w.fx.offices.terni, w.fx.organizations.terni],
    );
    const theirs = await createIntervention(w.db, w.staff.tr, {
      ...occasionalCare(w, 20),
      serviceCode: ADI,
      personId: w.terniTwinId,
      providerId: p!.id,
      projectId: null,
      userArea: '1',
      applicationProtocol: 'TR/2026/ADI',
    });
    const open = await listBenefitOverlaps(w.db, w.staff.pg, adi.id);
    expect(open.map((o) => o.standardServiceCode)).toContain(ADI);
    const seen = await listBenefitOverlaps(w.db, masked, adi.id);
    expect(seen.length).toBe(open.length);
    expect(seen.map((o) => o.standardServiceCode)).not.toContain(ADI);
    expect(seen.every((o) => o.contactEmail === 'amm.tr@example.org')).toBe(true);
    expect(theirs.serviceCode).toBe(ADI);
  });

  it('should let the provider see the service it delivers, and not the area', async () => {
    const seen = (await searchInterventions(w.db, w.providerClient, {})).items;
    const it = seen.find((i) => i.id === adi.id)!;
    expect([it.serviceCode, it.userArea]).toEqual([ADI, null]);
    const deliveries = await searchDeliveries(w.db, w.providerClient, { interventionId: adi.id });
    expect(deliveries.items.map((d) => d.serviceCode)).toEqual([ADI]);
  });
});

describe('the duplicate-benefit control', () => {
  it('should flag the same help from two organisations and tell each only whom to contact', async () => {
    const before = (await listBenefitOverlaps(w.db, w.staff.pg)).length;
    // Terni registered the same codice fiscale as a person of its own, and contracts its own in-house help.
    await w.db.query(
      `INSERT INTO provider (name, kind, office_id, registered_by_organization_id) VALUES ('SAD comunale', 'IN_HOUSE', $1, $2)`,
      [w.fx.offices.terni, w.fx.organizations.terni],
    );
    const [p] = await w.db.query<{ id: string }>(
      `SELECT id FROM provider WHERE name = 'SAD comunale'`,
    );
    const theirs = await createIntervention(w.db, w.staff.tr, {
      ...homeCare(w, 15),
      personId: w.terniTwinId,
      providerId: p!.id,
      projectId: null,
      applicationProtocol: 'TR/2026/9',
    });
    const ours = await listBenefitOverlaps(w.db, w.staff.pg);
    expect(ours.length).toBeGreaterThan(before);
    const seenByTerni = await listBenefitOverlaps(w.db, w.staff.tr, theirs.id);
    expect(seenByTerni.length).toBeGreaterThan(0);
    for (const o of seenByTerni) {
      expect(o).toMatchObject({
        interventionId: theirs.id,
        standardServiceCode: HOME_CARE,
        otherOfficeName: expect.any(String),
      });
      expect(o.otherOrganizationName).not.toBe('');
      expect(o.contactEmail).toBe('amm.pg@example.org');
      // Nothing of the other intervention travels: no amount, provider, notes or person.
      expect(Object.keys(o).sort()).toEqual(
        [
          'contactEmail',
          'contactName',
          'detectedAt',
          'id',
          'interventionId',
          'otherOfficeName',
          'otherOrganizationName',
          'overlapFrom',
          'overlapTo',
          'standardServiceCode',
        ].sort(),
      );
    }
    // Terni's search shows only its own interventions.
    const terniList = await searchInterventions(w.db, w.staff.tr, {});
    expect(terniList.items.every((i) => i.organizationId === w.fx.organizations.terni)).toBe(true);
  });
});

describe('who may see and do what', () => {
  it.each([
    ['the front desk', () => w.actors.frontDesk],
    ['a planner', () => w.staff.plannerRegion],
    ['a social worker of another organisation', () => w.actors.otherOrgWorker],
  ])('should refuse %s the deliveries of the office, audited', async (_, actor) => {
    const a = actor();
    if (a === w.actors.otherOrgWorker) {
      // A social worker sees the interventions of their enabled cases only: none here.
      expect((await searchDeliveries(w.db, a, {})).items).toEqual([]);
      return;
    }
    const err = await refusal(searchDeliveries(w.db, a, {}));
    expect(err.code).toBe('FORBIDDEN');
    expect(await lastDenial(a.username)).toMatchObject({ entity: 'Delivery' });
  });

  it('should give the manager the figures (projects) and none of the persons', async () => {
    expect((await listProjects(w.db, w.staff.managerPg)).map((p) => p.id)).toContain(w.projectId);
    const list = await searchInterventions(w.db, w.staff.pg, {});
    expect(list.total).toBeGreaterThan(0);
    expect((await refusal(searchInterventions(w.db, w.staff.managerPg, {}))).code).toBe(
      'FORBIDDEN',
    );
    const before = await snapshot();
    const err = await refusal(
      recordDelivery(w.db, w.staff.managerPg, {
        interventionId: list.items[0]!.id,
        deliveredOn: daysAgo(1),
        quantity: 1,
      }),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
    expect(await lastDenial(w.staff.managerPg.username)).toMatchObject({
      person_id: list.items[0]!.personId,
    });
  });

  it('should refuse another organisation’s staff an intervention of Perugia, naming the person in the audit', async () => {
    const list = await searchInterventions(w.db, w.staff.pg, { personId: w.person.id });
    const err = await refusal(
      recordDelivery(w.db, w.staff.tr, {
        interventionId: list.items[0]!.id,
        deliveredOn: daysAgo(1),
        quantity: 1,
      }),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(await lastDenial(w.staff.tr.username)).toMatchObject({ person_id: w.person.id });
  });
});
