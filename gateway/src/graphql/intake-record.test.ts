import { computeTaxCode, loadServiceCatalog } from '@hub/casework';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// End to end through GraphQL (and the REST exports): an operator creates, duplicates, searches,
// proposes for taking into care and exports records; other desk profiles get the masked fields
// withheld.

const RECORD_FIELDS = `id number status outcome accessKind channel legalBasis consentStatus
  contactPointId duplicatedFromId proposedOfficeId maskedFields
  subject { personId taxCode lastName }
  social { familyNotes healthNotes judicialNotes economicNotes }
  foreignCitizen { citizenship permitType permitExpiry }
  needs { code label } services { code title state workingMinutes attachments { fileName } }
  diary { kind text sensitiveGroup }`;

const CREATE = `mutation($input: CreateIntakeRecordInput!) { createIntakeRecord(input: $input) { ${RECORD_FIELDS} } }`;
const GET = `query($id: UUID!) { intakeRecord(id: $id) { ${RECORD_FIELDS} } }`;
const DUPLICATE = `mutation($id: UUID!) { duplicateIntakeRecord(id: $id) { ${RECORD_FIELDS} } }`;
const PROPOSE = `mutation($id: UUID!, $notes: String) { proposeIntakeRecordForCare(id: $id, notes: $notes) { ${RECORD_FIELDS} } }`;
const SEARCH = `query($filter: SearchIntakeRecordsInput, $first: Int, $after: String) {
  intakeRecords(filter: $filter, first: $first, after: $after) {
    items { id number status accessKind subjectTaxCode needCodes serviceCodes } nextCursor } }`;

const SUBJECT = {
  firstName: 'Rosa',
  lastName: 'Tiberini',
  sex: 'F' as const,
  birthDate: '1950-06-15',
  birthPlaceCode: 'G478',
};
const TAX_CODE = computeTaxCode(SUBJECT);

type Rec = Record<string, unknown> & { id: string; maskedFields: string[] };

describe('intake records through GraphQL', () => {
  let t: TestApp;
  let desk: string;
  let created: Rec;

  beforeAll(async () => {
    t = await createTestApp();
    await loadServiceCatalog(t.db);
    desk = await t.login('sportello.pg');
  });
  afterAll(() => t.close());

  const input = (overrides: Record<string, unknown> = {}) => ({
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    channel: 'IN_PERSON',
    accessKind: 'CITIZEN',
    subject: { taxCode: TAX_CODE, firstName: SUBJECT.firstName, lastName: SUBJECT.lastName },
    consent: { status: 'GIVEN' },
    summary: 'Chiede assistenza domiciliare',
    social: {
      familyNotes: 'vive sola',
      healthNotes: 'diabete, deambulazione ridotta',
      judicialNotes: 'amministrazione di sostegno in corso',
      economicNotes: 'pensione minima',
    },
    foreignCitizen: { citizenship: 'ITA', permitType: null },
    needs: [{ code: 'ELD' }],
    services: [
      {
        code: 'A2.07',
        workingMinutes: 40,
        attachments: [
          { fileName: 'certificato.pdf', mediaType: 'application/pdf', sizeBytes: 2048 },
        ],
      },
    ],
    ...overrides,
  });

  it('should create a record, with the subject registered and the consent recorded', async () => {
    const { body } = await t.gql(CREATE, { input: input() }, desk);
    expect(body.errors).toBeUndefined();
    created = body.data!.createIntakeRecord as Rec;
    expect(created).toMatchObject({
      status: 'OPEN',
      accessKind: 'CITIZEN',
      legalBasis: 'CONSENT',
      consentStatus: 'GIVEN',
      subject: { taxCode: TAX_CODE, lastName: 'Tiberini' },
      needs: [{ code: 'ELD', label: 'anziani' }],
      services: [
        {
          code: 'A2.07',
          title: 'Assistenza domiciliare socio-assistenziale',
          state: 'REQUESTED',
          workingMinutes: 40,
          attachments: [{ fileName: 'certificato.pdf' }],
        },
      ],
      social: { healthNotes: 'diabete, deambulazione ridotta' },
      maskedFields: [],
    });
    const [consent] = await t.db.query<{ status: string }>(
      'SELECT status FROM consent WHERE person_id = $1',
      [(created.subject as { personId: string }).personId],
    );
    expect(consent!.status).toBe('GIVEN');
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a citizen without consent', { consent: null }, 'CONSENT_REQUIRED', 'input.consent'],
    [
      'an anonymous contact with an identity',
      { accessKind: 'ANONYMOUS', consent: null },
      'ANONYMOUS_WITH_IDENTITY',
      'input.subject',
    ],
    [
      'a service code not in the nomenclator',
      { services: [{ code: 'Q9.99' }] },
      'UNKNOWN_SERVICE_CODE',
      'input.services.0.code',
    ],
    [
      'a date in the future',
      { occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
      'FUTURE_DATE',
      'input.occurredAt',
    ],
    [
      'a public official’s report by phone',
      {
        accessKind: 'PUBLIC_OFFICIAL',
        channel: 'PHONE',
        interlocutor: { kind: 'INSTITUTIONAL', organization: 'Scuola' },
        consent: null,
      },
      'CHANNEL_NOT_ALLOWED',
      'input.channel',
    ],
  ])(
    'should refuse %s with its code and field, writing nothing',
    async (_case, overrides, code, field) => {
      const count = async () =>
        (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM intake_record'))[0]!.n;
      const before = await count();
      const subject = { firstName: 'Nuovo', lastName: 'Utente' };
      const { body } = await t.gql(CREATE, { input: input({ subject, ...overrides }) }, desk);
      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions).toMatchObject({ code, field });
      expect(body.errors?.[0]?.message).toMatch(/[a-zà-ù]/);
      expect(await count()).toBe(before);
    },
  );

  it('should duplicate the record into a new open one', async () => {
    const { body } = await t.gql(DUPLICATE, { id: created.id }, desk);
    expect(body.errors).toBeUndefined();
    const copy = body.data!.duplicateIntakeRecord as Rec;
    expect(copy.id).not.toBe(created.id);
    expect(copy).toMatchObject({
      duplicatedFromId: created.id,
      status: 'OPEN',
      subject: { taxCode: TAX_CODE },
      needs: [{ code: 'ELD' }],
      services: [{ code: 'A2.07', attachments: [] }],
    });
  });

  it('should search by codice fiscale, by need and page with a cursor', async () => {
    const byTaxCode = await t.gql(SEARCH, { filter: { subjectTaxCode: TAX_CODE } }, desk);
    expect(byTaxCode.body.errors).toBeUndefined();
    const page = byTaxCode.body.data!.intakeRecords as {
      items: { id: string; serviceCodes: string[] }[];
      nextCursor: string | null;
    };
    expect(page.items).toHaveLength(2);
    expect(page.items.map((i) => i.serviceCodes)).toEqual([['A2.07'], ['A2.07']]);

    const first = await t.gql(SEARCH, { filter: { needCode: 'ELD' }, first: 1 }, desk);
    const p1 = first.body.data!.intakeRecords as { items: { id: string }[]; nextCursor: string };
    expect(p1.nextCursor).toEqual(expect.any(String));
    const second = await t.gql(
      SEARCH,
      { filter: { needCode: 'ELD' }, first: 1, after: p1.nextCursor },
      desk,
    );
    const p2 = second.body.data!.intakeRecords as { items: { id: string }[] };
    expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(2);

    // Another organisation's desk finds nothing of Perugia's.
    const terni = await t.login('sportello.tr');
    const elsewhere = await t.gql(SEARCH, { filter: { subjectTaxCode: TAX_CODE } }, terni);
    expect((elsewhere.body.data!.intakeRecords as { items: unknown[] }).items).toEqual([]);
  });

  it('should propose a record for taking into care, visible to the office’s social workers', async () => {
    const { body } = await t.gql(PROPOSE, { id: created.id, notes: 'anziana sola' }, desk);
    expect(body.errors).toBeUndefined();
    expect(body.data!.proposeIntakeRecordForCare).toMatchObject({
      status: 'PROPOSED',
      outcome: 'PROPOSAL_TAKE_INTO_CARE',
      proposedOfficeId: t.fixture.offices.perugia,
    });
    const worker = await t.login('as.pg');
    const queue = await t.gql(
      SEARCH,
      { filter: { proposedOfficeId: t.fixture.offices.perugia } },
      worker,
    );
    expect(
      (queue.body.data!.intakeRecords as { items: { id: string }[] }).items.map((i) => i.id),
    ).toEqual([created.id]);
    // Closed for the desk from now on.
    const edit = await t.gql(
      'mutation($id: UUID!) { updateIntakeRecord(id: $id, input: { summary: "x" }) { id } }',
      { id: created.id },
      desk,
    );
    expect(edit.body.errors?.[0]?.extensions?.code).toBe('RECORD_CLOSED');
  });

  it('should withhold the masked groups from another desk profile', async () => {
    const immigrant = await t.login('immigrati.pg');
    const atImmigrantDesk = await t.gql(GET, { id: created.id }, immigrant);
    expect(atImmigrantDesk.body.errors).toBeUndefined();
    const seen = atImmigrantDesk.body.data!.intakeRecord as Rec;
    expect(seen.social).toEqual({
      familyNotes: 'vive sola',
      healthNotes: null,
      judicialNotes: null,
      economicNotes: 'pensione minima',
    });
    expect(seen.maskedFields).toEqual(
      expect.arrayContaining(['social.healthNotes', 'social.judicialNotes']),
    );
    const raw = JSON.stringify(atImmigrantDesk.body);
    expect(raw).not.toContain('diabete');
    expect(raw).not.toContain('amministrazione di sostegno');

    const urp = await t.login('urp.pg');
    const atUrp = await t.gql(GET, { id: created.id }, urp);
    const urpSeen = atUrp.body.data!.intakeRecord as Rec;
    expect(urpSeen.social).toMatchObject({ economicNotes: null });
    expect(urpSeen.maskedFields).toEqual(
      expect.arrayContaining(['foreignCitizen.permitType', 'social.economicNotes']),
    );
    expect(JSON.stringify(atUrp.body)).not.toContain('pensione minima');
  });

  it('should refuse a planner, audited as DENIED', async () => {
    const planner = await t.login('planner');
    const { body } = await t.gql(GET, { id: created.id }, planner);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [row] = await t.db.query<{ outcome: string; ip: string }>(
      `SELECT outcome, ip FROM audit_log WHERE actor_id = 'planner' AND entity = 'IntakeRecord' ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toEqual({ outcome: 'DENIED', ip: '10.0.0.7' });
  });

  it('should look the nomenclator up by words', async () => {
    const { body } = await t.gql(
      'query { serviceCatalog(text: "assistenza domiciliare", requestableOnly: true) { code title source } needCodes { code label } }',
      {},
      desk,
    );
    expect(body.errors).toBeUndefined();
    const codes = (body.data!.serviceCatalog as { code: string }[]).map((s) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['A2.07', 'A2.08']));
    expect((body.data!.needCodes as unknown[]).length).toBe(6);
  });

  describe('exports', () => {
    const get = (path: string, token?: string) =>
      t.app.request(path, {
        headers: token ? { authorization: `Bearer ${token}`, 'x-forwarded-for': '10.0.0.7' } : {},
      });

    it('should export the filtered list as xlsx', async () => {
      const res = await get(`/api/intake-records/export.xlsx?subjectTaxCode=${TAX_CODE}`, desk);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await res.arrayBuffer());
      const sheet = workbook.getWorksheet('Schede di accesso')!;
      expect(sheet.rowCount).toBe(3);
      expect(sheet.getRow(1).getCell(1).value).toBe('N.');
      const statuses = [2, 3].map((r) => sheet.getRow(r).getCell(10).value);
      expect(statuses.sort()).toEqual(['Aperta', 'Proposta per la presa in carico']);
      expect(sheet.getRow(2).getCell(7).value).toBe(TAX_CODE);
    });

    it('should export CSV with the same filter, and audit the export', async () => {
      const res = await get(
        '/api/intake-records/export.csv?accessKinds=CITIZEN,ANONYMOUS&needCode=ELD',
        desk,
      );
      expect(res.status).toBe(200);
      const text = await res.text();
      const lines = text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(
        'N.;Data e ora;Punto di contatto;Modalità;Tipo di accesso;Utente;Codice fiscale;Bisogni;Servizi richiesti;Stato;Esito',
      );
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(TAX_CODE);
      const [audit] = await t.db.query<{ action: string; actor_id: string }>(
        `SELECT action, actor_id FROM audit_log WHERE action = 'EXPORT' ORDER BY id DESC LIMIT 1`,
      );
      expect(audit).toEqual({ action: 'EXPORT', actor_id: 'sportello.pg' });
    });

    it('should print one record as PDF', async () => {
      const res = await get(`/api/intake-records/${created.id}/print.pdf`, desk);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(1000);
    });

    it('should refuse exports without a token, and records of another organisation', async () => {
      expect((await get('/api/intake-records/export.csv')).status).toBe(401);
      const terni = await t.login('sportello.tr');
      const res = await get(`/api/intake-records/${created.id}/print.pdf`, terni);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    });
  });
});
