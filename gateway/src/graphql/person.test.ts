import { computeTaxCode } from '@hub/casework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const BY_TAX_CODE =
  'query($cf: String!) { personByTaxCode(taxCode: $cf) { id taxCode firstName lastName permitType maskedFields } }';
const MARIO_ROSSI = computeTaxCode({
  firstName: 'Mario',
  lastName: 'Rossi',
  sex: 'M',
  birthDate: '1980-01-01',
  birthPlaceCode: 'G478',
});
const CREATE =
  'mutation($input: CreatePersonInput!) { createPerson(input: $input) { id taxCode birthDate sex } }';

describe('persons through GraphQL', () => {
  let t: TestApp;
  let frontDeskPg: string;
  beforeAll(async () => {
    t = await createTestApp();
    frontDeskPg = await t.login('sportello.pg');
  });
  afterAll(() => t.close());

  const auditRows = (personId: string) =>
    t.db.query<{ actor_id: string; outcome: string; ip: string }>(
      `SELECT actor_id, outcome, ip FROM audit_log WHERE person_id = $1 AND action = 'READ' ORDER BY id`,
      [personId],
    );

  it('should let a front-desk operator read a person of their organisation, audited', async () => {
    const { body } = await t.gql(
      BY_TAX_CODE,
      { cf: t.fixture.persons.perugia.taxCode },
      frontDeskPg,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.personByTaxCode).toMatchObject({ firstName: 'Maria', lastName: 'Bianchi' });
    expect(await auditRows(t.fixture.persons.perugia.id)).toContainEqual({
      actor_id: 'sportello.pg',
      outcome: 'OK',
      ip: '10.0.0.7',
    });
  });

  it('should answer an operator of another organisation as for an unknown code, audited as DENIED', async () => {
    const token = await t.login('sportello.tr');
    const { body } = await t.gql(BY_TAX_CODE, { cf: t.fixture.persons.perugia.taxCode }, token);
    const unknown = await t.gql(BY_TAX_CODE, { cf: 'RSSMRA80A01H501U' }, token);
    // Nothing tells a person held elsewhere from one nobody holds.
    expect(body).toEqual({ data: { personByTaxCode: null } });
    expect(unknown.body).toEqual(body);
    expect(await auditRows(t.fixture.persons.perugia.id)).toContainEqual({
      actor_id: 'sportello.tr',
      outcome: 'DENIED',
      ip: '10.0.0.7',
    });
  });

  it('should refuse a role without access to personal data (planner) with FORBIDDEN', async () => {
    const token = await t.login('planner');
    const { body } = await t.gql(BY_TAX_CODE, { cf: t.fixture.persons.perugia.taxCode }, token);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('should answer UNAUTHENTICATED without a token', async () => {
    const { body } = await t.gql(BY_TAX_CODE, { cf: t.fixture.persons.perugia.taxCode });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('should mask permit data at a desk whose profile masks it, and send it where allowed', async () => {
    const cf = t.fixture.persons.perugiaForeign.taxCode;
    const immigrant = await t.login('immigrati.pg');
    const atImmigrantDesk = await t.gql(BY_TAX_CODE, { cf }, immigrant);
    expect(atImmigrantDesk.body.data?.personByTaxCode).toMatchObject({
      permitType: expect.stringContaining('Permesso'),
      maskedFields: [],
    });
    const urp = await t.login('urp.pg');
    const atUrp = await t.gql(BY_TAX_CODE, { cf }, urp);
    expect(atUrp.body.data?.personByTaxCode).toMatchObject({
      permitType: null,
      maskedFields: ['permitType', 'permitExpiry'],
    });
    const client = await t.clientToken('asl-test');
    const asClient = await t.gql(BY_TAX_CODE, { cf }, client.body.access_token);
    // The ASL client belongs to another organisation and holds no legal basis for the person:
    // it learns nothing, not even that the code is registered.
    expect(asClient.body).toEqual({ data: { personByTaxCode: null } });
  });

  it('should refuse an invalid codice fiscale with INVALID_TAX_CODE and the field', async () => {
    const { body } = await t.gql(BY_TAX_CODE, { cf: 'RSSMRA80A01H501A' }, frontDeskPg);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_TAX_CODE',
      field: 'taxCode',
    });
  });

  describe('createPerson', () => {
    const count = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM person'))[0]!.n;

    it('should register a person and fill birth data from the codice fiscale', async () => {
      const { body } = await t.gql(
        CREATE,
        {
          input: {
            taxCode: MARIO_ROSSI,
            firstName: 'Mario',
            lastName: 'Rossi',
            residenceMunicipality: '054039',
          },
        },
        frontDeskPg,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data?.createPerson).toMatchObject({ birthDate: '1980-01-01', sex: 'M' });
    });

    it.each([
      [
        { taxCode: 'RSSMRA80A01G478X', firstName: 'A', lastName: 'B' },
        'INVALID_TAX_CODE',
        'input.taxCode',
      ],
      [
        { taxCode: MARIO_ROSSI, firstName: 'Mario', lastName: 'Rossi', sex: 'F' },
        'INVALID_TAX_CODE',
        'input.sex',
      ],
      [
        { firstName: 'Anna', lastName: 'Neri', residenceMunicipality: '099999' },
        'UNKNOWN_ISTAT_CODE',
        'input.residenceMunicipality',
      ],
      [
        { firstName: 'Anna', lastName: 'Neri', birthDate: '2999-01-01' },
        // One registration for persons and intake subjects: one code for a future date.
        'FUTURE_DATE',
        'input.birthDate',
      ],
      [{ anonymous: true, firstName: 'Anna' }, 'BAD_USER_INPUT', 'input.anonymous'],
      [{ firstName: 'Anna' }, 'BAD_USER_INPUT', 'input.lastName'],
    ])('should refuse %j with %s on %s and write nothing', async (input, code, field) => {
      const before = await count();
      const { body } = await t.gql(CREATE, { input }, frontDeskPg);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code, field });
      expect(await count()).toBe(before);
    });

    it('should register its own person for a code another organisation holds, revealing nothing', async () => {
      const { body } = await t.gql(
        CREATE,
        {
          input: { taxCode: t.fixture.persons.terni.taxCode, firstName: 'Luca', lastName: 'Verdi' },
        },
        frontDeskPg,
      );
      expect(body.errors).toBeUndefined();
      expect(JSON.stringify(body)).not.toContain(t.fixture.persons.terni.id);
    });

    it('should refuse a codice fiscale the organisation already registered with DUPLICATE_PERSON and write nothing', async () => {
      const before = await count();
      const { body } = await t.gql(
        CREATE,
        {
          input: {
            taxCode: t.fixture.persons.perugia.taxCode,
            firstName: 'Maria',
            lastName: 'Bianchi',
          },
        },
        frontDeskPg,
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'DUPLICATE_PERSON',
        field: 'input.taxCode',
      });
      expect(await count()).toBe(before);
    });

    it('should register an anonymous person without identity', async () => {
      const { body } = await t.gql(CREATE, { input: { anonymous: true } }, frontDeskPg);
      expect(body.data?.createPerson).toMatchObject({ taxCode: null });
    });
  });
});
