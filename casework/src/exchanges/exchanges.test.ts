import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import { type CaseWorld, createCaseWorld, openedCase } from '../case-file/case-file.fixtures.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { computeTaxCode } from '../tax-code/tax-code.ts';
import { lookUpFamilyInAnpr, lookUpFamilyInAnprByTaxCode } from './anpr-family.service.ts';
import { lookUpPersonInAnpr } from './anpr-lookup.service.ts';
import type { AnprPersonAnswer, Counterparts, HealthProfile } from './counterparts.ts';
import { readCounterpartExchanges, readSyncRuns, syncRegistryNow } from './exchange-log.service.ts';
import { readCaseHealthProfile } from './health-profile.service.ts';
import { fetchIseeFromInps } from './isee-inps.service.ts';
import { createOutboxStore } from './outbox.store.ts';
import { selectRegistryPopulation } from './registry-population.store.ts';
import { createSyncRunHistory } from './sync-run.store.ts';

// The counterparts here are stand-ins with the connectors' shapes: what casework decides (who
// may ask, what is audited and stored, how a failure reads) does not depend on the protocol,
// which the connectors' contract tests and the gateway's tests cover against the simulators.

/** A failure as @hub/connectors throws it (matched by name and code). */
class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(readonly code: string) {
    super(`connector failure ${code}`);
  }
}

const TAX_CODE = computeTaxCode({
  firstName: 'Mario',
  lastName: 'Rossi',
  sex: 'M',
  birthDate: '1980-01-01',
  birthPlaceCode: 'G478',
});
const source = {
  counterpart: 'ANPR',
  service: 'C020',
  anprOperationId: 'ANPR-OP-1',
  retrievedAt: '2026-12-02T09:00:00.000Z',
};
const anprAnswer: AnprPersonAnswer = {
  taxCode: { value: TAX_CODE, source },
  lastName: { value: 'ROSSI', source },
  firstName: { value: 'MARIO', source },
  sex: { value: 'M', source },
  birthDate: { value: '1980-01-01', source },
  birthPlaceIstat: { value: '054039', source },
  residence: {
    value: {
      municipalityIstat: '054039',
      municipalityName: 'PERUGIA',
      province: 'PG',
      postcode: '06121',
      address: 'VIA MAZZINI 12',
      since: '2010-05-01',
    },
    source,
  },
};
/** Held by the Terni zone: a member the Perugia operators are told of, but not linked to. */
const TERNI_TAX_CODE = computeTaxCode({
  firstName: 'Lucia',
  lastName: 'Rossi',
  sex: 'F',
  birthDate: '1982-03-04',
  birthPlaceCode: 'L117',
});
const member = (
  taxCode: string | null,
  firstName: string,
  relationCode: string,
  relation: string,
) => ({
  taxCode,
  idAnpr: null,
  lastName: 'ROSSI',
  firstName,
  birthDate: '1980-01-01',
  relationCode,
  relation,
});
const familyAnswer = [
  member(TAX_CODE, 'MARIO', '1', 'INTESTATARIO SCHEDA'),
  member(TERNI_TAX_CODE, 'LUCIA', '2', 'MARITO/MOGLIE'),
  member(null, 'GIULIO', '3', 'FIGLIO/FIGLIA'),
];
const profile: HealthProfile = {
  registryId: '1000042',
  taxCode: TAX_CODE,
  asl: '201',
  assistedSince: '2010-05-01',
  doctor: {
    taxCode: null,
    regionalCode: '100001',
    lastName: 'BIANCHI',
    firstName: 'ANNA',
    since: '2015-01-01',
    until: null,
  },
  exemptions: [{ code: '013', description: 'Diabete mellito', from: '2020-01-01', to: null }],
  source: { counterpart: 'piemonte-aura', service: 'GetProfiloSanitario', retrievedAt: 'x' },
};

/** Counterparts that answer, or fail with `failure`; `calls` counts what reached them. */
function counterparts(failure: string | null = null) {
  const calls: string[] = [];
  const run = async <T>(name: string, value: T) => {
    calls.push(name);
    if (failure) throw new ConnectorError(failure);
    return value;
  };
  const c: Counterparts = {
    anpr: {
      person: (cf, ctx) => run(`anpr:${cf}:${ctx.reason}`, anprAnswer),
      family: (cf, ctx) =>
        run(`anpr-family:${cf}:${ctx.reason}`, {
          members: familyAnswer,
          operationId: 'ANPR-OP-21',
        }),
    },
    healthRegistry: {
      registry: 'piemonte-aura',
      findPersons: (q) => run(`find:${q.taxCode}`, [{ registryId: '1000042', taxCode: q.taxCode }]),
      healthProfile: (id) => run(`profile:${id}`, profile),
    },
    isee: {
      indicator: (cf, type) =>
        run(`isee:${cf}:${type}`, {
          type,
          isee: 9876.54,
          ise: 15000,
          dsuProtocol: 'INPS-ISEE-2026-00000001A-01',
          presentedOn: '2026-02-10',
          source: {
            counterpart: 'INPS' as const,
            service: 'ConsultazioneIndicatore',
            requestId: 777,
            retrievedAt: '2026-12-02T09:00:00.000Z',
          },
        }),
    },
  };
  return { c, calls };
}

let w: CaseWorld;
let admin: OperatorActor;
let planner: OperatorActor;
let caseFileId: string;
let personId: string;

const exchanges = () =>
  w.db.query<Record<string, unknown>>(
    `SELECT counterpart, service, actor_id, reason, subject_tax_code, person_id, case_file_id, outcome, remote_operation_id
       FROM counterpart_exchange ORDER BY id`,
  );
const denied = (entity: string, actorId: string) =>
  w.db.query(`SELECT 1 FROM audit_log WHERE entity = $1 AND outcome = 'DENIED' AND actor_id = $2`, [
    entity,
    actorId,
  ]);

beforeAll(async () => {
  w = await createCaseWorld();
  const origin = { ip: null, userAgent: null };
  admin = (await loadOperatorActor(w.db, w.fx.operators.admin, origin))!;
  planner = (await loadOperatorActor(w.db, w.fx.operators.plannerRegion, origin))!;
  ({ caseFileId, personId } = await openedCase(w));
  await w.db.query(`UPDATE person SET tax_code = $2 WHERE id = $1`, [personId, TAX_CODE]);
  await w.db.query(
    `INSERT INTO person (tax_code, first_name, last_name, sex, birth_date, owner_organization_id)
     VALUES ($1, 'Lucia', 'Rossi', 'F', '1982-03-04', $2)`,
    [TERNI_TAX_CODE, w.fx.organizations.terni],
  );
});
afterAll(() => w.db.close());

describe('ANPR look-up for the person form', () => {
  it('should give the form its fields, each with its source, and audit the exchange and the read', async () => {
    await w.db.query('DELETE FROM counterpart_exchange');
    const { c, calls } = counterparts();
    const r = await lookUpPersonInAnpr(w.db, w.actors.frontDesk, c, {
      taxCode: TAX_CODE.toLowerCase(),
      reason: 'Pratica 2026/118',
    });
    expect(calls).toEqual([`anpr:${TAX_CODE}:Pratica 2026/118`]);
    const byField = Object.fromEntries(r.fields.map((f) => [f.field, f.value]));
    expect(byField).toEqual({
      lastName: 'ROSSI',
      firstName: 'MARIO',
      sex: 'M',
      birthDate: '1980-01-01',
      // ISTAT 054039 is Perugia, whose Belfiore code the form takes.
      birthPlaceCode: 'G478',
      residenceMunicipality: '054039',
      residenceAddress: 'VIA MAZZINI 12',
    });
    expect(r.fields.every((f) => f.source.counterpart === 'ANPR' && f.source.service === 'C020'));
    expect(r.fields[0]!.source.operationId).toBe('ANPR-OP-1');
    expect(r.personId).toBe(personId);
    expect(await exchanges()).toEqual([
      {
        counterpart: 'anpr',
        service: 'C020',
        actor_id: 'sportello.pg',
        reason: 'Pratica 2026/118',
        subject_tax_code: TAX_CODE,
        person_id: personId,
        case_file_id: null,
        outcome: 'OK',
        remote_operation_id: 'ANPR-OP-1',
      },
    ]);
    const [read] = await w.db.query<{ reason: string; person_id: string }>(
      `SELECT reason, person_id FROM audit_log WHERE entity = 'AnprPerson' AND outcome = 'OK'`,
    );
    expect(read).toEqual({ reason: 'Pratica 2026/118', person_id: personId });
  });

  it('should refuse a role that does not register persons, audited, without asking ANPR', async () => {
    const { c, calls } = counterparts();
    await expect(
      lookUpPersonInAnpr(w.db, planner, c, { taxCode: TAX_CODE, reason: 'Pratica 1' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(calls).toEqual([]);
    expect(await denied('AnprPerson', 'planner')).toHaveLength(1);
  });

  it('should demand a reason and a valid codice fiscale before anything is sent', async () => {
    const { c, calls } = counterparts();
    await expect(
      lookUpPersonInAnpr(w.db, w.actors.frontDesk, c, { taxCode: TAX_CODE, reason: '  ' }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    await expect(
      lookUpPersonInAnpr(w.db, w.actors.frontDesk, c, { taxCode: 'RSSMRA80', reason: 'P 1' }),
    ).rejects.toMatchObject({ code: 'INVALID_TAX_CODE', field: 'taxCode' });
    expect(calls).toEqual([]);
  });

  it.each([
    ['COUNTERPART_TIMEOUT', 'COUNTERPART_TIMEOUT', /non ha risposto in tempo/],
    ['CIRCUIT_OPEN', 'CIRCUIT_OPEN', /sospese/],
    ['VOUCHER_REFUSED', 'COUNTERPART_REFUSED', /ha rifiutato la richiesta/],
    ['DIGEST_MISMATCH', 'COUNTERPART_ANSWER_INVALID', /non è integra/],
    ['SUBJECT_NOT_FOUND', 'SUBJECT_NOT_FOUND', /non risulta presso ANPR/],
  ])(
    'should tell the operator a %s as %s in Italian, and audit the failed exchange',
    async (connector, code, message) => {
      await w.db.query('DELETE FROM counterpart_exchange');
      const { c } = counterparts(connector);
      const err = await lookUpPersonInAnpr(w.db, w.actors.frontDesk, c, {
        taxCode: TAX_CODE,
        reason: 'Pratica 7',
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code, details: { counterpart: 'anpr', cause: connector } });
      expect((err as Error).message).toMatch(message);
      expect((await exchanges()).map((e) => e.outcome)).toEqual([connector]);
    },
  );

  it('should say so when ANPR is not configured', async () => {
    await expect(
      lookUpPersonInAnpr(
        w.db,
        w.actors.frontDesk,
        { anpr: null, healthRegistry: null, isee: null },
        {
          taxCode: TAX_CODE,
          reason: 'Pratica 8',
        },
      ),
    ).rejects.toMatchObject({ code: 'COUNTERPART_NOT_CONFIGURED' });
  });
});

describe('the health profile of a case file’s person', () => {
  it('should read it for an enabled operator, each call an exchange, the read audited', async () => {
    await w.db.query('DELETE FROM counterpart_exchange');
    const { c, calls } = counterparts();
    const p = await readCaseHealthProfile(w.db, w.actors.worker, c, caseFileId);
    expect(p).toMatchObject({ asl: '201', registry: 'piemonte-aura', caseFileId });
    expect(p.exemptions.map((e) => e.code)).toEqual(['013']);
    expect(calls).toEqual([`find:${TAX_CODE}`, 'profile:1000042']);
    expect((await exchanges()).map((e) => [e.service, e.outcome, e.case_file_id])).toEqual([
      ['FindProfiliAnagrafici', 'OK', caseFileId],
      ['GetProfiloSanitario', 'OK', caseFileId],
    ]);
    const reads = await w.db.query(
      `SELECT 1 FROM audit_log WHERE entity = 'HealthProfile' AND outcome = 'OK' AND person_id = $1`,
      [personId],
    );
    expect(reads).toHaveLength(1);
  });

  it('should refuse an operator not enabled, a desk that masks health and a partner, without asking', async () => {
    const { c, calls } = counterparts();
    // The immigrant desk (health masked) enabled on the case: refused for its desk, not its list.
    await w.db.query(
      `INSERT INTO case_operator (case_file_id, operator_id, operator_type, enabled_from)
       VALUES ($1, $2, 'OTHER', '2020-01-01')`,
      [caseFileId, w.fx.operators.immigrantDeskPg],
    );
    for (const actor of [
      w.actors.colleague,
      w.actors.immigrantDesk,
      w.actors.otherOrgWorker,
      w.client(['cases:read']),
    ]) {
      await expect(readCaseHealthProfile(w.db, actor, c, caseFileId)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect(calls).toEqual([]);
    expect(await denied('HealthProfile', 'as2.pg')).toHaveLength(1);
    const [desk] = await w.db.query<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE entity = 'HealthProfile' AND outcome = 'DENIED' AND actor_id = 'immigrati.pg'`,
    );
    expect(desk?.reason).toBe('group masked at the desk: HEALTH');
  });
});

describe('the ISEE fetched from INPS into the case file', () => {
  it('should store it with its source and audit the exchange', async () => {
    await w.db.query('DELETE FROM counterpart_exchange');
    const { c, calls } = counterparts();
    const r = await fetchIseeFromInps(w.db, w.actors.worker, c, caseFileId, {
      reason: 'Domanda contributo 12/2026',
    });
    expect(calls).toEqual([`isee:${TAX_CODE}:Ordinario`]);
    expect(r).toMatchObject({
      iseeType: 'ORDINARIO',
      iseeValue: 9876.54,
      source: 'INPS',
      inpsRequestId: 777,
      validTo: '2026-12-31',
    });
    expect((await exchanges()).map((e) => [e.service, e.outcome, e.remote_operation_id])).toEqual([
      ['ConsultazioneIndicatore', 'OK', '777'],
    ]);
  });

  it('should refuse, before INPS is asked, an operator of another organisation and a masking desk', async () => {
    const { c, calls } = counterparts();
    const before = await w.db.query('SELECT id FROM case_isee');
    for (const actor of [w.actors.otherOrgWorker, w.actors.colleague]) {
      await expect(
        fetchIseeFromInps(w.db, actor, c, caseFileId, { reason: 'Domanda 1' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(calls).toEqual([]);
    expect(await w.db.query('SELECT id FROM case_isee')).toEqual(before);
  });

  it('should store nothing when INPS fails', async () => {
    const { c } = counterparts('COUNTERPART_UNAVAILABLE');
    const before = await w.db.query('SELECT id FROM case_isee');
    await expect(
      fetchIseeFromInps(w.db, w.actors.worker, c, caseFileId, { reason: 'Domanda 2' }),
    ).rejects.toMatchObject({ code: 'COUNTERPART_UNAVAILABLE' });
    expect(await w.db.query('SELECT id FROM case_isee')).toEqual(before);
  });
});

describe('reading the exchanges and the runs', () => {
  it('should let only the administrator read the exchanges, audited with the filter', async () => {
    const rows = await readCounterpartExchanges(w.db, admin, { counterpart: 'isee' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.counterpart === 'isee')).toBe(true);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
    const failed = await readCounterpartExchanges(w.db, admin, { failedOnly: true });
    expect(failed.every((r) => r.outcome !== 'OK')).toBe(true);
    await expect(readCounterpartExchanges(w.db, w.actors.coordinator, {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(readSyncRuns(w.db, w.actors.worker, {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('the run history and the outbox in the store', () => {
  it('should keep the runs across a new history over the same store, newest first', async () => {
    const run = (startedAt: string, outcome: 'ok' | 'failed') => ({
      job: 'anpr-c001',
      trigger: 'schedule' as const,
      startedAt,
      finishedAt: startedAt,
      outcome,
      counts: { applied: 3 },
      error: outcome === 'failed' ? 'COUNTERPART_TIMEOUT: ANPR C001' : null,
    });
    await createSyncRunHistory(w.db).record(run('2026-12-02T08:00:00.000Z', 'ok'));
    await createSyncRunHistory(w.db).record(run('2026-12-02T08:05:00.000Z', 'failed'));
    const after = createSyncRunHistory(w.db);
    const runs = await after.list('anpr-c001');
    expect(runs.map((r) => [r.startedAt, r.outcome, r.counts.applied])).toEqual([
      ['2026-12-02T08:05:00.000Z', 'failed', 3],
      ['2026-12-02T08:00:00.000Z', 'ok', 3],
    ]);
    expect(await readSyncRuns(w.db, admin, { job: 'anpr-c001', limit: 1 })).toHaveLength(1);
  });

  it('should record a message once, keep it due until acknowledged, and survive a restart', async () => {
    const outbox = createOutboxStore(w.db);
    const m = { id: 'flow-1', destination: 'siuss', payload: '<Flusso/>' };
    expect(await outbox.add(m)).toBe(true);
    expect(await outbox.add(m)).toBe(false);
    const now = Date.now();
    expect((await outbox.due(now, 10)).map((x) => x.id)).toEqual(['flow-1']);
    await outbox.markFailed('flow-1', 'HTTP 503', now + 60_000, false);
    expect(await outbox.due(now, 10)).toEqual([]);
    // A new process: the store still has it, due once its retry time has come.
    const restarted = createOutboxStore(w.db);
    const [again] = await restarted.due(now + 60_001, 10);
    expect(again).toMatchObject({
      id: 'flow-1',
      attempts: 1,
      lastError: 'HTTP 503',
      status: 'pending',
    });
    expect(Math.abs(again!.nextAttemptAt - (now + 60_000))).toBeLessThan(2);
    await restarted.markSent('flow-1', 'RCV-1');
    expect(await restarted.due(now + 120_000, 10)).toEqual([]);
    expect(await restarted.get('flow-1')).toMatchObject({ status: 'sent', receipt: 'RCV-1' });
    // A failure reported late, after the receipt, does not bring it back.
    await restarted.markFailed('flow-1', 'late', now, false);
    expect(await restarted.get('flow-1')).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('sincronizza ora', () => {
  /** A scheduler's stand-in: each run recorded in the store's history, as the scheduler does. */
  const scheduler = () => {
    const ran: string[] = [];
    const history = createSyncRunHistory(w.db);
    const registrySync = {
      jobs: ['anpr-notifications', 'municipal-registry-download'],
      async runNow(job: string) {
        ran.push(job);
        const at = new Date().toISOString();
        const run = {
          job,
          trigger: 'manual' as const,
          startedAt: at,
          finishedAt: at,
          outcome: 'ok' as const,
          counts: { applied: 2 },
          error: null,
        };
        await history.record(run);
        return run;
      },
    };
    return { ran, c: { ...counterparts().c, registrySync } };
  };
  const syncAudit = (outcome: 'OK' | 'DENIED', actorId: string) =>
    w.db.query<{ entityId: string | null; details: Record<string, unknown> | null }>(
      `SELECT entity_id AS "entityId", details FROM audit_log
        WHERE entity = 'SyncRun' AND action = 'CREATE' AND outcome = $1 AND actor_id = $2 ORDER BY id`,
      [outcome, actorId],
    );

  it('should run the job at once for the administrator, in the run history, audited', async () => {
    const { ran, c } = scheduler();
    const run = await syncRegistryNow(w.db, admin, c, {});
    expect(ran).toEqual(['anpr-notifications']);
    expect(run).toMatchObject({ job: 'anpr-notifications', trigger: 'manual', outcome: 'ok' });
    const [latest] = await readSyncRuns(w.db, admin, { job: 'anpr-notifications', limit: 1 });
    expect(latest).toEqual(run);
    expect(await syncAudit('OK', 'admin')).toEqual([
      {
        entityId: 'anpr-notifications',
        details: {
          job: 'anpr-notifications',
          trigger: 'manual',
          outcome: 'ok',
          counts: { applied: 2 },
        },
      },
    ]);
  });

  it('should refuse anyone but the administrator before running anything, audited', async () => {
    const { ran, c } = scheduler();
    const before = await w.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_run`);
    for (const actor of [w.actors.coordinator, planner, w.client(['cases:read'])]) {
      await expect(syncRegistryNow(w.db, actor, c, {})).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect(ran).toEqual([]);
    expect(await w.db.query(`SELECT count(*)::int AS n FROM sync_run`)).toEqual(before);
    expect(await syncAudit('DENIED', 'coord.pg')).toHaveLength(1);
  });

  it('should name an unknown job, and say when no schedules run', async () => {
    const { ran, c } = scheduler();
    await expect(syncRegistryNow(w.db, admin, c, { job: 'nope' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'job',
    });
    await expect(
      syncRegistryNow(w.db, admin, { ...c, registrySync: null }, {}),
    ).rejects.toMatchObject({ code: 'COUNTERPART_NOT_CONFIGURED' });
    expect(ran).toEqual([]);
  });
});

describe('ANPR family (C021) of a person of the hub', () => {
  it('should give the family with its source, linking only the members the caller may see, audited', async () => {
    await w.db.query('DELETE FROM counterpart_exchange');
    const { c, calls } = counterparts();
    const f = await lookUpFamilyInAnpr(w.db, w.actors.worker, c, {
      personId,
      reason: 'Pratica 2026/121',
    });
    expect(calls).toEqual([`anpr-family:${TAX_CODE}:Pratica 2026/121`]);
    expect(f).toMatchObject({
      personId,
      taxCode: TAX_CODE,
      source: { counterpart: 'ANPR', service: 'C021', operationId: 'ANPR-OP-21' },
    });
    expect(f.members.map((m) => [m.firstName, m.relation, m.personId])).toEqual([
      ['MARIO', 'INTESTATARIO SCHEDA', personId],
      // Held by Terni: ANPR names her, the hub does not link its record.
      ['LUCIA', 'MARITO/MOGLIE', null],
      ['GIULIO', 'FIGLIO/FIGLIA', null],
    ]);
    expect(await exchanges()).toEqual([
      expect.objectContaining({
        service: 'C021',
        actor_id: 'as.pg',
        reason: 'Pratica 2026/121',
        subject_tax_code: TAX_CODE,
        person_id: personId,
        outcome: 'OK',
        remote_operation_id: 'ANPR-OP-21',
      }),
    ]);
    const reads = await w.db.query<{ reason: string; details: { members: number } }>(
      `SELECT reason, details FROM audit_log WHERE entity = 'AnprFamily' AND outcome = 'OK' AND person_id = $1`,
      [personId],
    );
    expect(reads).toEqual([
      { reason: 'Pratica 2026/121', details: { service: 'C021', members: 3 } },
    ]);
  });

  it('should answer a person held elsewhere as an unknown one, audited, without asking ANPR', async () => {
    const { c, calls } = counterparts();
    const elsewhere = await lookUpFamilyInAnpr(w.db, w.actors.otherOrgWorker, c, {
      personId,
      reason: 'Pratica 7',
    }).catch((e) => e);
    const unknown = await lookUpFamilyInAnpr(w.db, w.actors.otherOrgWorker, c, {
      personId: '00000000-0000-4000-8000-00000000dead',
      reason: 'Pratica 7',
    }).catch((e) => e);
    expect([elsewhere.code, elsewhere.message, elsewhere.field]).toEqual([
      'NOT_FOUND',
      'persona non trovata',
      'personId',
    ]);
    expect([unknown.code, unknown.message, unknown.field]).toEqual([
      elsewhere.code,
      elsewhere.message,
      elsewhere.field,
    ]);
    expect(calls).toEqual([]);
    const rows = await w.db.query<{ person_id: string | null }>(
      `SELECT person_id FROM audit_log WHERE entity = 'AnprFamily' AND outcome = 'DENIED' AND actor_id = 'as.tr' ORDER BY id`,
    );
    expect(rows).toEqual([{ person_id: personId }, { person_id: null }]);
  });

  it('should refuse partners and roles that do not read persons, and demand a reason', async () => {
    const { c, calls } = counterparts();
    for (const actor of [planner, w.client(['persons:read'])]) {
      await expect(
        lookUpFamilyInAnpr(w.db, actor, c, { personId, reason: 'Pratica 1' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await denied('AnprFamily', 'planner')).toHaveLength(1);
    await expect(
      lookUpFamilyInAnpr(w.db, w.actors.worker, c, { personId, reason: ' ' }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    expect(calls).toEqual([]);
  });

  it('should record a failed exchange and tell the operator in Italian', async () => {
    const { c } = counterparts('COUNTERPART_TIMEOUT');
    await expect(
      lookUpFamilyInAnpr(w.db, w.actors.worker, c, { personId, reason: 'Pratica 2' }),
    ).rejects.toMatchObject({ code: 'COUNTERPART_TIMEOUT' });
    const [last] = await w.db.query<{ service: string; outcome: string }>(
      `SELECT service, outcome FROM counterpart_exchange ORDER BY id DESC LIMIT 1`,
    );
    expect(last).toEqual({ service: 'C021', outcome: 'COUNTERPART_TIMEOUT' });
  });
});

describe('the store persons the simulators answer about', () => {
  it('should read them all, or only the codes asked for (a person registered since)', async () => {
    const all = await selectRegistryPopulation(w.db);
    expect(all.map((p) => p.taxCode)).toEqual(expect.arrayContaining([TAX_CODE, TERNI_TAX_CODE]));
    const some = await selectRegistryPopulation(w.db, [TERNI_TAX_CODE]);
    expect(some.map((p) => [p.taxCode, p.lastName])).toEqual([[TERNI_TAX_CODE, 'Rossi']]);
    expect(await selectRegistryPopulation(w.db, [])).toEqual([]);
  });
});

describe('ANPR family (C021) by codice fiscale, for the intake form', () => {
  /** A person the hub does not hold: the one the front desk is registering. */
  const NEW_TAX_CODE = computeTaxCode({
    firstName: 'Marta',
    lastName: 'Nuova',
    sex: 'F',
    birthDate: '1990-07-08',
    birthPlaceCode: 'G478',
  });

  it('should give the front desk the family of a person not yet stored, audited without a person', async () => {
    await w.db.query('DELETE FROM counterpart_exchange');
    const { c, calls } = counterparts();
    const f = await lookUpFamilyInAnprByTaxCode(w.db, w.actors.frontDesk, c, {
      taxCode: NEW_TAX_CODE.toLowerCase(),
      reason: 'Scheda di accesso 2026/9',
    });
    expect(calls).toEqual([`anpr-family:${NEW_TAX_CODE}:Scheda di accesso 2026/9`]);
    expect(f).toMatchObject({
      personId: null,
      taxCode: NEW_TAX_CODE,
      source: { counterpart: 'ANPR', service: 'C021' },
    });
    // Members still linked only where the desk may see them.
    expect(f.members.map((m) => m.personId)).toEqual([personId, null, null]);
    expect(await exchanges()).toEqual([
      expect.objectContaining({
        service: 'C021',
        actor_id: 'sportello.pg',
        subject_tax_code: NEW_TAX_CODE,
        person_id: null,
        outcome: 'OK',
      }),
    ]);
    const [read] = await w.db.query<{ entity_id: string | null; details: unknown }>(
      `SELECT entity_id, details FROM audit_log WHERE entity = 'AnprFamily' AND outcome = 'OK'
          AND actor_id = 'sportello.pg' ORDER BY id DESC LIMIT 1`,
    );
    expect(read).toEqual({
      entity_id: null,
      details: { service: 'C021', members: 3, byTaxCode: true },
    });
  });

  it('should answer a codice fiscale held only elsewhere as one not stored, and name a visible one', async () => {
    const { c } = counterparts();
    const elsewhere = await lookUpFamilyInAnprByTaxCode(w.db, w.actors.frontDesk, c, {
      taxCode: TERNI_TAX_CODE,
      reason: 'Scheda 10',
    });
    expect(elsewhere.personId).toBeNull();
    const visible = await lookUpFamilyInAnprByTaxCode(w.db, w.actors.frontDesk, c, {
      taxCode: TAX_CODE,
      reason: 'Scheda 11',
    });
    expect(visible.personId).toBe(personId);
    // A desk that masks health and judicial data gets the same members: none is in those groups.
    const masking = await lookUpFamilyInAnprByTaxCode(w.db, w.actors.immigrantDesk, c, {
      taxCode: NEW_TAX_CODE,
      reason: 'Scheda 12',
    });
    expect(Object.keys(masking.members[0]!).sort()).toEqual([
      'birthDate',
      'firstName',
      'lastName',
      'personId',
      'relation',
      'relationCode',
      'taxCode',
    ]);
  });

  it('should refuse partners and roles that do not register persons, a bad code and no reason', async () => {
    const { c, calls } = counterparts();
    for (const actor of [planner, w.client(['persons:write'])]) {
      await expect(
        lookUpFamilyInAnprByTaxCode(w.db, actor, c, { taxCode: NEW_TAX_CODE, reason: 'Scheda 1' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await denied('AnprFamily', 'planner')).toHaveLength(2);
    await expect(
      lookUpFamilyInAnprByTaxCode(w.db, w.actors.frontDesk, c, {
        taxCode: 'RSSMRA80A01G478X',
        reason: 'Scheda 1',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_TAX_CODE', field: 'taxCode' });
    await expect(
      lookUpFamilyInAnprByTaxCode(w.db, w.actors.frontDesk, c, {
        taxCode: NEW_TAX_CODE,
        reason: '',
      }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    expect(calls).toEqual([]);
  });
});
