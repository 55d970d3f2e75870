import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// Issue 8, section 2 through GraphQL: the consent on the case file for later accesses (rule 1)
// and the alert list of judicial proposals past their decision deadline.

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const OPEN = `mutation($id: UUID!, $input: OpenCaseFileInput!) {
  openCaseFile(intakeRecordId: $id, input: $input) { caseFile { id } } }`;
const RECORD = `mutation($id: UUID!, $input: RecordCaseFileConsentInput!) {
  recordCaseFileConsent(caseFileId: $id, input: $input) {
    legalBasis status consentWithdrawn newInterventionsAllowed label givenBy recordedBy } }`;
const CASE_CONSENT = `query($id: UUID!) { caseFile(id: $id) { status consent { status consentWithdrawn label } } }`;
const CREATE_PLAN = `mutation($id: UUID!, $input: CreateCarePlanInput!) {
  createCarePlan(caseFileId: $id, input: $input) { id } }`;
const ALERTS = `query($officeId: UUID!, $asOf: Date) {
  overdueJudicialProposals(officeId: $officeId, asOf: $asOf) {
    intakeRecordId decisionDueOn daysLeft overdue evaluationStatus } }`;

const PLAN = {
  title: 'PAI domiciliare',
  startOn: day(-1),
  goals: [{ term: 'SHORT', description: 'Igiene personale quotidiana garantita' }],
};

describe('case models (issue 8, section 2)', () => {
  let t: TestApp;
  let worker: string;
  let colleague: string;
  let coordinator: string;
  let desk: string;
  let otherDesk: string;

  /** A proposed intake record about a new person of the Perugia zone, proposed `daysAgo`. */
  async function proposed(kind: 'CITIZEN' | 'JUDICIAL_AUTHORITY', daysAgo = 1): Promise<string> {
    const f = t.fixture;
    const [person] = await t.db.query<{ id: string }>(
      `INSERT INTO person (first_name, last_name, sex, birth_date, residence_municipality, owner_organization_id)
       VALUES ('Gina', 'Modelli', 'F', '1950-01-01', '054039', $1) RETURNING id`,
      [f.organizations.perugia],
    );
    const judicial = kind === 'JUDICIAL_AUTHORITY';
    const [row] = await t.db.query<{ id: string }>(
      `INSERT INTO intake_record (organization_id, office_id, contact_point_id, occurred_at, channel, access_kind,
         legal_basis, interlocutor_kind, subject_person_id, status, outcome, proposed_office_id, summary, closed_at)
       VALUES ($1, $2, $3, now() - interval '60 days', $4, $5, $6, $7, $8, 'PROPOSED', 'PROPOSAL_TAKE_INTO_CARE',
               $2, 'Segnalazione', now() - $9::int * interval '1 day')
       RETURNING id`,
      [
        f.organizations.perugia,
        f.offices.perugia,
        f.contactPoints.puaPg,
        judicial ? 'WRITTEN_REPORT' : 'IN_PERSON',
        kind,
        judicial ? 'JUDICIAL_MANDATE' : 'CONSENT',
        judicial ? 'JUDICIAL_AUTHORITY' : 'SUBJECT',
        person!.id,
        daysAgo,
      ],
    );
    return row!.id;
  }

  async function openCase(kind: 'CITIZEN' | 'JUDICIAL_AUTHORITY'): Promise<string> {
    const res = await t.gql(
      OPEN,
      {
        id: await proposed(kind),
        input: { targetAreaCode: 'ELD', firstInterview: { on: day(-1), summary: 'Colloquio' } },
      },
      worker,
    );
    expect(res.body.errors).toBeUndefined();
    return (res.body.data!.openCaseFile as { caseFile: { id: string } }).caseFile.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.login('as.pg');
    colleague = await t.login('as2.pg');
    coordinator = await t.login('coord.pg');
    desk = await t.login('sportello.pg');
    otherDesk = await t.login('sportello.tr');
  });
  afterAll(() => t.close());

  describe('recordCaseFileConsent', () => {
    it('should flag a withdrawal on a consent-based case and refuse a new care plan with CONSENT_REQUIRED', async () => {
      const id = await openCase('CITIZEN');
      const recorded = await t.gql(RECORD, { id, input: { status: 'WITHDRAWN' } }, worker);
      expect(recorded.body.errors).toBeUndefined();
      expect(recorded.body.data!.recordCaseFileConsent).toEqual({
        legalBasis: 'CONSENT',
        status: 'WITHDRAWN',
        consentWithdrawn: true,
        newInterventionsAllowed: false,
        label: 'consenso revocato: nessun nuovo intervento fino a un nuovo consenso',
        givenBy: 'SUBJECT',
        recordedBy: 'as.pg',
      });
      const read = await t.gql(CASE_CONSENT, { id }, worker);
      expect(read.body.data!.caseFile).toMatchObject({
        status: 'IN_CARE',
        consent: { status: 'WITHDRAWN', consentWithdrawn: true },
      });
      const plan = await t.gql(CREATE_PLAN, { id, input: PLAN }, worker);
      expect(plan.body.errors?.[0]?.extensions?.code).toBe('CONSENT_REQUIRED');

      await t.gql(RECORD, { id, input: { status: 'GIVEN' } }, worker);
      const again = await t.gql(CREATE_PLAN, { id, input: PLAN }, worker);
      expect(again.body.errors).toBeUndefined();
    });

    it('should keep a judicial case going after a denial', async () => {
      const id = await openCase('JUDICIAL_AUTHORITY');
      const recorded = await t.gql(RECORD, { id, input: { status: 'DENIED' } }, worker);
      expect(recorded.body.data!.recordCaseFileConsent).toMatchObject({
        legalBasis: 'JUDICIAL_MANDATE',
        status: 'DENIED',
        newInterventionsAllowed: true,
      });
      const plan = await t.gql(CREATE_PLAN, { id, input: PLAN }, worker);
      expect(plan.body.errors).toBeUndefined();
    });

    it('should refuse an operator not enabled on the case', async () => {
      const id = await openCase('CITIZEN');
      const res = await t.gql(RECORD, { id, input: { status: 'WITHDRAWN' } }, colleague);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const read = await t.gql(CASE_CONSENT, { id }, worker);
      expect(read.body.data!.caseFile).toMatchObject({ consent: { status: 'NOT_RECORDED' } });
    });
  });

  describe('overdueJudicialProposals', () => {
    it('should list a judicial proposal once its deadline has passed, not before', async () => {
      const late = await proposed('JUDICIAL_AUTHORITY', 40);
      const fresh = await proposed('JUDICIAL_AUTHORITY', 1);
      const citizen = await proposed('CITIZEN', 40);
      const res = await t.gql(ALERTS, { officeId: t.fixture.offices.perugia }, coordinator);
      expect(res.body.errors).toBeUndefined();
      const list = res.body.data!.overdueJudicialProposals as {
        intakeRecordId: string;
        decisionDueOn: string;
        overdue: boolean;
        daysLeft: number;
      }[];
      expect(list.find((a) => a.intakeRecordId === late)).toMatchObject({
        overdue: true,
        daysLeft: -10,
      });
      expect(list.map((a) => a.intakeRecordId)).not.toContain(fresh);
      expect(list.map((a) => a.intakeRecordId)).not.toContain(citizen);
      // Before its deadline the late one was not yet listed.
      const earlier = await t.gql(
        ALERTS,
        { officeId: t.fixture.offices.perugia, asOf: day(-20) },
        worker,
      );
      expect(
        (earlier.body.data!.overdueJudicialProposals as { intakeRecordId: string }[]).map(
          (a) => a.intakeRecordId,
        ),
      ).not.toContain(late);
    });

    it.each([
      ['the front desk of the office', () => desk],
      ['another organisation’s desk', () => otherDesk],
    ])('should refuse %s with FORBIDDEN', async (_label, token) => {
      const res = await t.gql(ALERTS, { officeId: t.fixture.offices.perugia }, token());
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(res.body.data?.overdueJudicialProposals ?? null).toBeNull();
    });

    it('should refuse an anonymous caller', async () => {
      const res = await t.gql(ALERTS, { officeId: t.fixture.offices.perugia });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
