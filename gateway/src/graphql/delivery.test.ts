import { hashPassword, loadServiceCatalog, shiftDay, todayInRome } from '@hub/casework';
import { FIXTURE_PASSWORD } from '@hub/casework/testing';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// Erogazione interventi end to end through GraphQL and the REST exports: the administrative staff
// set up a provider, its contract and tariff, decide an intervention; the provider's partner
// client records a delivery, the office verifies it; the list exports to Excel, CSV and PDF. Bad
// input answers with its code and field; another provider's client is refused.

const day = (n: number) => shiftDay(todayInRome(), n);

describe('deliveries through GraphQL', () => {
  let t: TestApp;
  let staff: string;
  let provider: string;
  let other: string;
  let providerId: string;
  let interventionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await loadServiceCatalog(t.db);
    const hash = await hashPassword(FIXTURE_PASSWORD);
    const [op] = await t.db.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, email, password_hash) VALUES ('amm.pg', 'Stefano Lupi', 'amm@example.org', $1) RETURNING id`,
      [hash],
    );
    await t.db.query(
      `INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, 'ADMIN_STAFF')`,
      [op!.id, t.fixture.offices.perugia],
    );
    const orgs = await t.db.query<{ id: string }>(
      `INSERT INTO organization (name, kind) VALUES ('Cooperativa Alfa', 'PROVIDER'), ('Cooperativa Beta', 'PROVIDER') RETURNING id`,
    );
    for (const [i, clientId] of ['coop-alfa', 'coop-beta'].entries()) {
      await t.db.query(
        `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes) VALUES ($1, $1, $2, $3, '{deliveries:write}')`,
        [clientId, orgs[i]!.id, hash],
      );
    }
    staff = await t.login('amm.pg');
    provider = (await t.clientToken('coop-alfa')).body.access_token!;
    other = (await t.clientToken('coop-beta')).body.access_token!;

    const created = await t.gql(
      `mutation($input: CreateProviderInput!) { createProvider(input: $input) { id kind partnerClientIds } }`,
      {
        input: {
          name: 'Cooperativa Alfa',
          kind: 'THIRD_SECTOR',
          providerOrganizationId: orgs[0]!.id,
        },
      },
      staff,
    );
    expect(created.body.data?.createProvider).toMatchObject({ partnerClientIds: ['coop-alfa'] });
    providerId = (created.body.data!.createProvider as { id: string }).id;
    const contract = await t.gql(
      `mutation($input: CreateProviderContractInput!) { createProviderContract(input: $input) { id spent } }`,
      {
        input: {
          providerId,
          kind: 'ACCREDITATION',
          reference: 'Accreditamento SAD 7/2026',
          serviceCodes: ['A2.07'],
          startOn: day(-100),
          ceilingAmount: 10000,
        },
      },
      staff,
    );
    expect(contract.body.errors).toBeUndefined();
    const tariff = await t.gql(
      `mutation($input: AddTariffInput!) { addTariff(input: $input) { id unitCost validTo } }`,
      {
        input: {
          providerId,
          serviceCode: 'A2.07',
          unit: 'HOUR',
          unitCost: 21.5,
          validFrom: day(-100),
        },
      },
      staff,
    );
    expect(tariff.body.errors).toBeUndefined();
    const intervention = await t.gql(
      `mutation($input: CreateInterventionInput!) { createIntervention(input: $input) { id contractId benefitCharacter siussRequired isee { value } } }`,
      {
        input: {
          personId: t.fixture.persons.perugia.id,
          serviceCode: 'A2.07',
          providerId,
          unit: 'HOUR',
          periodicity: 'OCCASIONAL',
          startOn: day(-30),
          meansTest: 'M1',
          isee: { value: 7300.25, dsuProtocol: 'INPS-ISEE-2026-00000001A-00', dsuOn: day(-60) },
          takenInCare: 'SI',
          userArea: 'DISABILITA_NON_AUTOSUFFICIENZA',
          applicationProtocol: 'PG/2026/123',
        },
      },
      staff,
    );
    expect(intervention.body.errors).toBeUndefined();
    const i = intervention.body.data?.createIntervention as Record<string, unknown>;
    expect(i).toMatchObject({
      benefitCharacter: '2',
      siussRequired: true,
      isee: { value: 7300.25 },
    });
    expect(i.contractId).toEqual(expect.any(String));
    interventionId = i.id as string;
  }, 60_000);
  afterAll(() => t.close());

  const RECORD = `mutation($input: RecordDeliveryInput!) { recordDelivery(input: $input) { id status amount unitCost recordedByKind } }`;

  it('should take a provider’s delivery for verification and count it once accepted', async () => {
    const rec = await t.gql(
      RECORD,
      { input: { interventionId, deliveredOn: day(-3), quantity: 4, providerReference: 'ALFA-1' } },
      provider,
    );
    expect(rec.body.errors).toBeUndefined();
    const d = rec.body.data?.recordDelivery as Record<string, unknown>;
    expect(d).toMatchObject({
      status: 'TO_VERIFY',
      amount: 86,
      unitCost: 21.5,
      recordedByKind: 'PROVIDER',
    });
    const list = await t.gql(
      `query { deliveries(filter: { status: TO_VERIFY }) { total items { id } } }`,
      {},
      staff,
    );
    expect(list.body.data?.deliveries).toMatchObject({ total: 1, items: [{ id: d.id }] });
    const verified = await t.gql(
      `mutation($id: UUID!) { verifyDelivery(id: $id, input: { decision: ACCEPT }) { status verifiedAt } }`,
      { id: d.id },
      staff,
    );
    expect(verified.body.data?.verifyDelivery).toMatchObject({ status: 'ACCEPTED' });
    const contracts = await t.gql(`query { providerContracts { spent } }`, {}, staff);
    expect(contracts.body.data?.providerContracts).toEqual([{ spent: 86 }]);
  });

  it.each([
    ['a zero quantity', { quantity: 0 }, 'INVALID_QUANTITY', 'input.quantity'],
    [
      'a day outside the period',
      { deliveredOn: day(-31) },
      'DELIVERY_OUTSIDE_PERIOD',
      'input.deliveredOn',
    ],
    [
      'an amount past the ceiling',
      { amount: 20000 },
      'CONTRACT_CEILING_EXCEEDED',
      'input.quantity',
    ],
  ])('should refuse %s with its code and field', async (_, change, code, field) => {
    const res = await t.gql(
      RECORD,
      { input: { interventionId, deliveredOn: day(-2), quantity: 1, ...change } },
      staff,
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code, field });
  });

  it('should refuse another provider’s client, and a tariff that overlaps', async () => {
    const res = await t.gql(
      RECORD,
      { input: { interventionId, deliveredOn: day(-2), quantity: 1 } },
      other,
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const overlap = await t.gql(
      `mutation($input: AddTariffInput!) { addTariff(input: $input) { id } }`,
      {
        input: {
          providerId,
          serviceCode: 'A2.07',
          unit: 'HOUR',
          unitCost: 30,
          validFrom: day(-100),
        },
      },
      staff,
    );
    expect(overlap.body.errors?.[0]?.extensions).toMatchObject({
      code: 'TARIFF_OVERLAP',
      field: 'input.validFrom',
    });
  });

  it('should export the list as Excel, CSV and PDF, audited', async () => {
    const get = (path: string, token: string) =>
      t.app.request(path, { headers: { authorization: `Bearer ${token}` } });
    const xlsx = await get(`/api/deliveries/export.xlsx?interventionId=${interventionId}`, staff);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.getWorksheet('Erogazioni')!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe(t.fixture.persons.perugia.taxCode);
    expect(sheet.getRow(2).getCell(10).value).toBe(86);
    const csv = await (await get(`/api/deliveries/export.csv?status=ACCEPTED`, staff)).text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]!.split(';')[0]).toBe('Data');
    expect(lines[1]).toContain(';86,00;');
    const pdf = await get('/api/deliveries/export.pdf', staff);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const [audit] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor_id = 'amm.pg' AND action = 'EXPORT' AND entity = 'Delivery'`,
    );
    expect(audit!.n).toBe(3);
    const interventions = await get('/api/interventions/export.csv', staff);
    const ilines = (await interventions.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(ilines).toHaveLength(2);
    expect(ilines[1]).toContain(';7300,25;');
    const ipdf = await get('/api/interventions/export.pdf', staff);
    expect(
      Buffer.from(await ipdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // The front desk exports nothing of it.
    const desk = await t.login('sportello.pg');
    const refused = await get('/api/deliveries/export.csv', desk);
    expect(refused.status).toBe(403);
  });
  it('should record a provider’s batch item by item, each with its verdict, and refuse another provider’s whole batch', async () => {
    const BATCH = `mutation($input: [RecordDeliveryInput!]!) { recordDeliveries(input: $input) {
      index delivery { id status amount providerReference } error { code field } } }`;
    const res = await t.gql(
      BATCH,
      {
        input: [
          { interventionId, deliveredOn: day(-5), quantity: 1, providerReference: 'ALFA-B1' },
          { interventionId, deliveredOn: day(-6), quantity: 0, providerReference: 'ALFA-B2' },
        ],
      },
      provider,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.recordDeliveries).toEqual([
      {
        index: 0,
        delivery: {
          id: expect.any(String),
          status: 'TO_VERIFY',
          amount: 21.5,
          providerReference: 'ALFA-B1',
        },
        error: null,
      },
      { index: 1, delivery: null, error: { code: 'INVALID_QUANTITY', field: 'input.1.quantity' } },
    ]);
    const foreign = await t.gql(
      BATCH,
      { input: [{ interventionId, deliveredOn: day(-7), quantity: 1, providerReference: 'X-1' }] },
      other,
    );
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [stored] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery WHERE provider_reference IN ('ALFA-B2', 'X-1')`,
    );
    expect(stored!.n).toBe(0);
  });

  it('should charge a batch of N against the client’s rate as N calls', async () => {
    // 120 a minute: a burst of 12 (rate-limit.ts). A batch of 12 spends it all, so a batch of 6
    // right after is refused; charged as one call each, both went through.
    const hash = await hashPassword(FIXTURE_PASSWORD);
    const [org] = await t.db.query<{ id: string }>(
      `INSERT INTO organization (name, kind) VALUES ('Cooperativa Lenta', 'PROVIDER') RETURNING id`,
    );
    await t.db.query(
      `INSERT INTO partner_client (client_id, name, organization_id, secret_hash, scopes, rate_limit_per_minute)
       VALUES ('coop-lenta', 'coop-lenta', $1, $2, '{deliveries:write}', 120)`,
      [org!.id, hash],
    );
    const slow = (await t.clientToken('coop-lenta')).body.access_token!;
    const BATCH = `mutation($input: [RecordDeliveryInput!]!) { recordDeliveries(input: $input) { index } }`;
    const batch = (n: number) =>
      Array.from({ length: n }, (_, k) => ({
        interventionId,
        deliveredOn: day(-20 - k),
        quantity: 1,
        providerReference: `LENTA-${n}-${k}`,
      }));
    // Not its contract: refused, but only once the rate has been charged.
    const first = await t.gql(BATCH, { input: batch(12) }, slow);
    expect(first.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const second = await t.gql(BATCH, { input: batch(6) }, slow);
    expect(second.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const [stored] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery WHERE provider_reference LIKE 'LENTA-%'`,
    );
    expect(stored!.n).toBe(0);
  });
});
