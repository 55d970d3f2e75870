import { computeTaxCode, loadServiceCatalog, shiftDay, todayInRome } from '@hub/casework';
import { createHubConnectors } from '@hub/connectors';
import { populationFromPersons, startSimulators } from '@hub/connectors/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterpartsOf, createRegistrySync, withLateRegistrations } from '../connectors.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// The counterparts' fields through GraphQL against the simulators over real HTTP and SOAP (PDND
// voucher, ModI signature, INPS's XSDs): the person form's ANPR look-up with each field's
// source, the case file's health profile and ISEE, the exchange audit, and the failures of a
// counterpart as the operator reads them.

const day = (offset: number) => shiftDay(todayInRome(), offset);
const gina = {
  firstName: 'Gina',
  lastName: 'Tassi',
  sex: 'F' as const,
  birthDate: '1941-02-11',
  birthPlaceCode: 'G478',
};
const GINA = computeTaxCode(gina);
const ANPR = `query($cf: String!, $reason: String!) { anprPerson(taxCode: $cf, reason: $reason) {
  taxCode personId deathDate fields { field value source { counterpart service operationId retrievedAt } } } }`;
const HEALTH = `query($id: UUID!) { caseHealthProfile(caseFileId: $id) {
  registry asl doctor { lastName regionalCode } exemptions { code description } retrievedAt } }`;
const ISEE = `mutation($id: UUID!, $reason: String!) { fetchIseeFromInps(caseFileId: $id, reason: $reason) {
  iseeType iseeValue dsuProtocol validTo source inpsRequestId retrievedAt } }`;
const EXCHANGES = `query($f: CounterpartExchangeFilter) { counterpartExchanges(filter: $f) {
  counterpart service actorId reason subjectTaxCode caseFileId outcome remoteOperationId } }`;

let t: TestApp;
let sims: Awaited<ReturnType<typeof startSimulators>>;
let desk: string;
let worker: string;
let admin: string;
let caseFileId: string;

beforeAll(async () => {
  sims = await startSimulators({
    population: populationFromPersons(
      [{ ...gina, taxCode: GINA, residenceMunicipality: '054039', residenceAddress: 'Via Roma 3' }],
      { iseeShare: 1 },
    ),
  });
  const hub = createHubConnectors(sims.config);
  const counterparts = counterpartsOf(hub);
  t = await createTestApp({ counterparts });
  // The registry synchronisation over the test app's store (not on its schedule: by hand).
  counterparts.registrySync = createRegistrySync(hub, t.db)!.registrySync;
  // As `npm start` has it: a person registered after the simulators started is added on look-up.
  Object.assign(counterparts, withLateRegistrations(counterparts, sims.population, t.db));
  await loadServiceCatalog(t.db);
  desk = await t.login('sportello.pg');
  worker = await t.login('as.pg');
  admin = await t.login('admin');
  const created = await t.gql(
    `mutation($input: CreateIntakeRecordInput!) { createIntakeRecord(input: $input) { id } }`,
    {
      input: {
        occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
        channel: 'IN_PERSON',
        accessKind: 'CITIZEN',
        subject: { taxCode: GINA, firstName: 'Gina', lastName: 'Tassi' },
        consent: { status: 'GIVEN' },
        needs: [{ code: 'ELD' }],
      },
    },
    desk,
  );
  const intakeId = (created.body.data!.createIntakeRecord as { id: string }).id;
  await t.gql(
    `mutation($id: UUID!) { proposeIntakeRecordForCare(id: $id) { id } }`,
    { id: intakeId },
    desk,
  );
  const opened = await t.gql(
    `mutation($id: UUID!, $input: OpenCaseFileInput!) { openCaseFile(intakeRecordId: $id, input: $input) { caseFile { id } } }`,
    {
      id: intakeId,
      input: { targetAreaCode: 'ELD', firstInterview: { on: day(-1), summary: 'Colloquio' } },
    },
    worker,
  );
  caseFileId = (opened.body.data!.openCaseFile as { caseFile: { id: string } }).caseFile.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
  await sims?.close();
});

describe('the counterparts through GraphQL, against the simulators', () => {
  it('should fill the person form from ANPR, each field with its source, and audit the exchange', async () => {
    const r = await t.gql(ANPR, { cf: GINA, reason: 'Pratica 2026/55' }, desk);
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data!.anprPerson as {
      personId: string | null;
      fields: {
        field: string;
        value: string;
        source: { counterpart: string; service: string; operationId: string | null };
      }[];
    };
    expect(Object.fromEntries(p.fields.map((f) => [f.field, f.value]))).toEqual({
      lastName: 'TASSI',
      firstName: 'GINA',
      sex: 'F',
      birthDate: '1941-02-11',
      birthPlaceCode: 'G478',
      residenceMunicipality: '054039',
      residenceAddress: 'VIA ROMA 3',
    });
    expect(
      p.fields.every((f) => f.source.counterpart === 'ANPR' && f.source.service === 'C020'),
    ).toBe(true);
    expect(p.fields[0]!.source.operationId).toMatch(/.+/);
    expect(p.personId).not.toBeNull();
    const ex = await t.gql(EXCHANGES, { f: { counterpart: 'ANPR' } }, admin);
    expect(ex.body.data!.counterpartExchanges).toContainEqual({
      counterpart: 'ANPR',
      service: 'C020',
      actorId: 'sportello.pg',
      reason: 'Pratica 2026/55',
      subjectTaxCode: GINA,
      caseFileId: null,
      outcome: 'OK',
      remoteOperationId: p.fields[0]!.source.operationId,
    });
  });

  it('should refuse a look-up without a reason, and a caller who does not register persons', async () => {
    const blank = await t.gql(ANPR, { cf: GINA, reason: ' ' }, desk);
    expect(blank.body.errors?.[0]?.extensions).toMatchObject({
      code: 'REASON_REQUIRED',
      field: 'reason',
    });
    const refused = await t.gql(ANPR, { cf: GINA, reason: 'Pratica 1' }, admin);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reader = await t.gql(EXCHANGES, {}, worker);
    expect(reader.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('should read the health profile for the enabled worker and store the ISEE from INPS with its source', async () => {
    const h = await t.gql(HEALTH, { id: caseFileId }, worker);
    expect(h.body.errors).toBeUndefined();
    const expected = sims.population.byTaxCode.get(GINA)!.health;
    expect(h.body.data!.caseHealthProfile).toMatchObject({
      registry: 'piemonte-aura',
      asl: expected.asl,
      doctor: { lastName: expected.doctor.lastName, regionalCode: expected.doctor.regionalCode },
    });
    const isee = await t.gql(ISEE, { id: caseFileId, reason: 'Domanda contributo 4/2026' }, worker);
    expect(isee.body.errors).toBeUndefined();
    const family = sims.population.families.get(sims.population.byTaxCode.get(GINA)!.familyId)!;
    expect(isee.body.data!.fetchIseeFromInps).toMatchObject({
      iseeType: 'ORDINARIO',
      iseeValue: family.isee!.isee,
      dsuProtocol: family.isee!.protocol,
      source: 'INPS',
    });
    const cf = await t.gql(
      `query($id: UUID!) { caseFile(id: $id) { isee { source inpsRequestId } } }`,
      { id: caseFileId },
      worker,
    );
    expect(cf.body.data!.caseFile).toMatchObject({ isee: [{ source: 'INPS' }] });
    // The desk is not enabled on the case file: refused before the registry is asked.
    const deskTry = await t.gql(HEALTH, { id: caseFileId }, desk);
    expect(deskTry.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('should give the family from ANPR (C021) of a person the caller may see, with its source', async () => {
    const found = await t.gql(ANPR, { cf: GINA, reason: 'Pratica 2026/56' }, desk);
    const personId = (found.body.data!.anprPerson as { personId: string }).personId;
    const FAMILY = `query($id: UUID!, $reason: String!) { anprFamily(personId: $id, reason: $reason) {
      taxCode members { taxCode firstName lastName relation personId } source { counterpart service operationId } } }`;
    const r = await t.gql(FAMILY, { id: personId, reason: 'Pratica 2026/57' }, worker);
    expect(r.body.errors).toBeUndefined();
    const family = r.body.data!.anprFamily as {
      taxCode: string;
      members: { taxCode: string; firstName: string; personId: string | null }[];
      source: { counterpart: string; service: string; operationId: string };
    };
    expect(family.taxCode).toBe(GINA);
    expect(family.members).toContainEqual(
      expect.objectContaining({ taxCode: GINA, firstName: 'GINA', personId }),
    );
    expect(family.source).toMatchObject({ counterpart: 'ANPR', service: 'C021' });
    expect(family.source.operationId).toMatch(/.+/);
    const refused = await t.gql(FAMILY, { id: personId, reason: 'Pratica 1' }, admin);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ex = await t.gql(EXCHANGES, { f: { counterpart: 'ANPR', actorId: 'as.pg' } }, admin);
    expect(ex.body.data!.counterpartExchanges).toContainEqual(
      expect.objectContaining({ service: 'C021', reason: 'Pratica 2026/57', outcome: 'OK' }),
    );
  });

  it('should give the intake form the family by codice fiscale (C021), for the desks only', async () => {
    const FAMILY = `query($cf: String!, $reason: String!) { anprFamilyByTaxCode(taxCode: $cf, reason: $reason) {
      personId taxCode members { taxCode firstName } source { counterpart service } } }`;
    const r = await t.gql(FAMILY, { cf: GINA.toLowerCase(), reason: 'Scheda 2026/58' }, desk);
    expect(r.body.errors).toBeUndefined();
    const family = r.body.data!.anprFamilyByTaxCode as {
      personId: string | null;
      taxCode: string;
      members: { taxCode: string; firstName: string }[];
      source: { counterpart: string; service: string };
    };
    expect(family).toMatchObject({ taxCode: GINA, personId: expect.any(String) });
    expect(family.members).toContainEqual({ taxCode: GINA, firstName: 'GINA' });
    expect(family.source).toEqual({ counterpart: 'ANPR', service: 'C021' });
    for (const [who, code] of [
      [admin, 'FORBIDDEN'],
      [desk, 'INVALID_TAX_CODE'],
    ] as const) {
      const cf = who === desk ? 'NONVALIDO' : GINA;
      const refused = await t.gql(FAMILY, { cf, reason: 'Scheda 1' }, who);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe(code);
    }
    const noReason = await t.gql(FAMILY, { cf: GINA, reason: ' ' }, desk);
    expect(noReason.body.errors?.[0]?.extensions).toMatchObject({
      code: 'REASON_REQUIRED',
      field: 'reason',
    });
    const ex = await t.gql(
      EXCHANGES,
      { f: { counterpart: 'ANPR', actorId: 'sportello.pg' } },
      admin,
    );
    expect(ex.body.data!.counterpartExchanges).toContainEqual(
      expect.objectContaining({ service: 'C021', reason: 'Scheda 2026/58', outcome: 'OK' }),
    );
  });

  it('should find in the simulated ANPR a person registered after the simulators started', async () => {
    const late = {
      firstName: 'Aldo',
      lastName: 'Tardivo',
      sex: 'M' as const,
      birthDate: '1950-06-07',
      birthPlaceCode: 'G478',
    };
    const LATE = computeTaxCode(late);
    expect(sims.population.byTaxCode.has(LATE)).toBe(false);
    const created = await t.gql(
      `mutation($input: CreateIntakeRecordInput!) { createIntakeRecord(input: $input) { subject { personId } } }`,
      {
        input: {
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          channel: 'IN_PERSON',
          accessKind: 'CITIZEN',
          subject: {
            taxCode: LATE,
            firstName: 'Aldo',
            lastName: 'Tardivo',
            sex: 'M',
            birthDate: late.birthDate,
            birthPlaceCode: 'G478',
          },
          consent: { status: 'GIVEN' },
          needs: [{ code: 'ELD' }],
        },
      },
      desk,
    );
    expect(created.body.errors).toBeUndefined();
    const r = await t.gql(ANPR, { cf: LATE, reason: 'Pratica 2026/60' }, desk);
    expect(r.body.errors).toBeUndefined();
    const fields = (r.body.data!.anprPerson as { fields: { field: string; value: string }[] })
      .fields;
    expect(Object.fromEntries(fields.map((f) => [f.field, f.value]))).toMatchObject({
      lastName: 'TARDIVO',
      firstName: 'ALDO',
      birthDate: '1950-06-07',
    });
  });

  it('should run the C001 pull now for the administrator and tell the case operator of the change', async () => {
    sims.simulators.anpr.changes.moveResidence(GINA, { street: 'VIA NUOVA', number: '5' }, day(-1));
    const SYNC = `mutation { syncRegistryNow { job trigger outcome counts error } }`;
    const refused = await t.gql(SYNC, {}, worker);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const r = await t.gql(SYNC, {}, admin);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.syncRegistryNow).toMatchObject({
      job: 'anpr-notifications',
      trigger: 'manual',
      outcome: 'ok',
      counts: { applied: 1 },
      error: null,
    });
    const runs = await t.gql(`{ syncRuns(limit: 1) { job trigger outcome } }`, {}, admin);
    expect(runs.body.data!.syncRuns).toEqual([
      { job: 'anpr-notifications', trigger: 'manual', outcome: 'ok' },
    ]);

    const NOTICES = `{ personChangeNotices { unread nextCursor items { id kind caseFileId personName summary readAt } } }`;
    const mine = await t.gql(NOTICES, {}, worker);
    expect(mine.body.errors).toBeUndefined();
    const page = mine.body.data!.personChangeNotices as {
      unread: number;
      items: { id: string; kind: string; caseFileId: string; summary: string }[];
    };
    expect(page.unread).toBe(1);
    expect(page.items).toEqual([
      expect.objectContaining({
        kind: 'CAMBIO_RESIDENZA',
        caseFileId,
        personName: 'Tassi Gina',
        readAt: null,
      }),
    ]);
    expect(page.items[0]!.summary).toMatch(/^Cambio di residenza dal .*VIA NUOVA 5/);
    const deskNotices = await t.gql(NOTICES, {}, desk);
    expect(deskNotices.body.data!.personChangeNotices).toMatchObject({ unread: 0, items: [] });
    const MARK = `mutation($id: UUID!) { markPersonChangeNoticeRead(id: $id) { id readAt } }`;
    const deskMark = await t.gql(MARK, { id: page.items[0]!.id }, desk);
    expect(deskMark.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const marked = await t.gql(MARK, { id: page.items[0]!.id }, worker);
    expect(marked.body.data!.markPersonChangeNoticeRead).toMatchObject({
      id: page.items[0]!.id,
      readAt: expect.any(String),
    });
    const after = await t.gql(NOTICES, {}, worker);
    expect(after.body.data!.personChangeNotices).toMatchObject({ unread: 0 });
  });

  it('should tell the operator in Italian that ANPR is failing, then that its calls are suspended', async () => {
    sims.simulators.anpr.faults.set({ rate: 1, kinds: ['unsigned'] });
    const unsigned = await t.gql(ANPR, { cf: GINA, reason: 'Pratica 9' }, desk);
    expect(unsigned.body.errors?.[0]?.extensions?.code).toBe('COUNTERPART_ANSWER_INVALID');
    expect(unsigned.body.errors?.[0]?.message).toMatch(/risposta di ANPR non è integra/);
    sims.simulators.anpr.faults.set({ rate: 1, kinds: ['http5xx'] });
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await t.gql(ANPR, { cf: GINA, reason: 'Pratica 9' }, desk);
      codes.push(String(r.body.errors?.[0]?.extensions?.code));
    }
    sims.simulators.anpr.faults.set(null);
    expect(codes[0]).toBe('COUNTERPART_UNAVAILABLE');
    expect(codes.at(-1)).toBe('CIRCUIT_OPEN');
    const open = await t.gql(ANPR, { cf: GINA, reason: 'Pratica 9' }, desk);
    expect(open.body.errors?.[0]?.message).toMatch(/sospese/);
    const failed = await t.gql(EXCHANGES, { f: { counterpart: 'ANPR', failedOnly: true } }, admin);
    const outcomes = (failed.body.data!.counterpartExchanges as { outcome: string }[]).map(
      (e) => e.outcome,
    );
    expect(outcomes).toContain('CIRCUIT_OPEN');
    expect(outcomes).toContain('COUNTERPART_UNAVAILABLE');
  }, 120_000);
});
