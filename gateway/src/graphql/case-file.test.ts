import { computeTaxCode, loadServiceCatalog, shiftDay, todayInRome } from '@hub/casework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// The case file through GraphQL: the whole journey from the front desk's intake record to the
// care plan, the assessments and the diary, and the authorization matrix of every field that
// returns case data.

const day = (offset: number) => shiftDay(todayInRome(), offset);

let sequence = 0;
function subject() {
  sequence += 1;
  const s = {
    firstName: 'Gina',
    // Different consonants, so that the codici fiscali differ.
    lastName: ['Tassi', 'Bruni', 'Fabbri', 'Marini', 'Galli', 'Conti', 'Greco', 'Lombardi'][
      sequence % 8
    ]!,
    sex: 'F' as const,
    birthDate: '1941-02-11',
    birthPlaceCode: 'G478',
  };
  return { ...s, taxCode: computeTaxCode(s) };
}

const CREATE_INTAKE = `mutation($input: CreateIntakeRecordInput!) { createIntakeRecord(input: $input) { id subject { personId } } }`;
const PROPOSE = `mutation($id: UUID!) { proposeIntakeRecordForCare(id: $id) { id status proposedOfficeId } }`;
const OPEN = `mutation($id: UUID!, $input: OpenCaseFileInput!) {
  openCaseFile(intakeRecordId: $id, input: $input) {
    evaluation { status caseFileId }
    caseFile { id status targetAreaCode targetAreaLabel operators { fullName responsible }
      problems { code activityId } activities { kind firstInterview } socialData { domain code reliability } } } }`;
const CREATE_PLAN = `mutation($id: UUID!, $input: CreateCarePlanInput!) {
  createCarePlan(caseFileId: $id, input: $input) { id status agreedBy goals { term description } reviews { id dueOn purpose } } }`;
const ASSESS = `mutation($id: UUID!, $input: RecordAssessmentInput!) {
  recordAssessment(caseFileId: $id, input: $input) { id kind score scoreBand data schemaVersion } }`;
const DIARY = `mutation($id: UUID!, $input: CaseDiaryEntryInput!) {
  addCaseDiaryEntry(caseFileId: $id, input: $input) { id typeConstant text authorName } }`;
const UPLOAD = `mutation($id: UUID!, $input: UploadCaseDocumentInput!) {
  uploadCaseDocument(caseFileId: $id, input: $input) { id fileName mediaType sizeBytes } }`;
const CASE_FILE = `query($id: UUID!) { caseFile(id: $id) {
  id status personId officeName maskedFields
  statusHistory { kind fromStatus toStatus }
  diary(limit: 20) { typeConstant text }
  carePlans { id title reviews { dueOn doneOn } }
  assessments { kind score data }
  documents { id fileName mediaType } } }`;

const BEST_BARTHEL = {
  feeding: 10,
  bathing: 5,
  grooming: 5,
  dressing: 10,
  bowels: 10,
  bladder: 10,
  toiletUse: 10,
  transfers: 15,
  ambulation: 15,
  stairs: 10,
};

type Built = {
  intakeId: string;
  caseFileId: string;
  personId: string;
  planId: string;
  documentId: string;
};

/** Front desk proposes, the social worker opens the case file, plans, assesses and writes. */
async function buildCase(t: TestApp, desk: string, worker: string): Promise<Built> {
  const s = subject();
  const created = await t.gql(
    CREATE_INTAKE,
    {
      input: {
        occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        channel: 'IN_PERSON',
        accessKind: 'CITIZEN',
        subject: { taxCode: s.taxCode, firstName: s.firstName, lastName: s.lastName },
        consent: { status: 'GIVEN' },
        summary: 'Anziana sola, chiede aiuto per la cura della persona',
        needs: [{ code: 'ELD' }],
        services: [{ code: 'A2.07' }],
      },
    },
    desk,
  );
  expect(created.body.errors).toBeUndefined();
  const intake = created.body.data!.createIntakeRecord as {
    id: string;
    subject: { personId: string };
  };
  const proposed = await t.gql(PROPOSE, { id: intake.id }, desk);
  expect(proposed.body.errors).toBeUndefined();
  const opened = await t.gql(
    OPEN,
    {
      id: intake.id,
      input: {
        targetAreaCode: 'ELD',
        firstInterview: {
          on: day(-1),
          place: 'Domicilio',
          summary: 'Vive sola, deambulazione ridotta, figlia lontana',
          problems: [
            { scheme: 'HUB', code: 'AUTONOMY' },
            { scheme: 'HUB', code: 'ISOLATION' },
          ],
        },
      },
    },
    worker,
  );
  expect(opened.body.errors).toBeUndefined();
  const caseFileId = (opened.body.data!.openCaseFile as { caseFile: { id: string } }).caseFile.id;
  const plan = await t.gql(
    CREATE_PLAN,
    {
      id: caseFileId,
      input: {
        title: 'PAI domiciliarità',
        startOn: day(-1),
        goals: [{ term: 'SHORT', description: 'Igiene personale garantita' }],
        interventions: [
          {
            description: 'Assistenza domiciliare',
            serviceCode: 'A2.07',
            frequency: 'tre volte a settimana',
          },
        ],
        reviews: [{ dueOn: day(5) }, { dueOn: day(90), purpose: 'RIVAL' }],
        agreement: { agreedBy: 'PERSON', agreedOn: day(-1) },
      },
    },
    worker,
  );
  expect(plan.body.errors).toBeUndefined();
  const doc = await t.gql(
    UPLOAD,
    {
      id: caseFileId,
      input: {
        fileName: 'relazione.txt',
        contentBase64: Buffer.from('Relazione sociale\n').toString('base64'),
      },
    },
    worker,
  );
  expect(doc.body.errors).toBeUndefined();
  return {
    intakeId: intake.id,
    caseFileId,
    personId: intake.subject.personId,
    planId: (plan.body.data!.createCarePlan as { id: string }).id,
    documentId: (doc.body.data!.uploadCaseDocument as { id: string }).id,
  };
}

describe('case file through GraphQL', () => {
  let t: TestApp;
  let desk: string;
  let worker: string;

  beforeAll(async () => {
    t = await createTestApp();
    await loadServiceCatalog(t.db);
    desk = await t.login('sportello.pg');
    worker = await t.login('as.pg');
  });
  afterAll(() => t.close());

  it('should take an intake record through proposal, evaluation, case file, PAI, assessment and diary', async () => {
    const s = subject();
    const created = await t.gql(
      CREATE_INTAKE,
      {
        input: {
          occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
          channel: 'IN_PERSON',
          accessKind: 'CITIZEN',
          subject: { taxCode: s.taxCode, firstName: s.firstName, lastName: s.lastName },
          consent: { status: 'GIVEN' },
          needs: [{ code: 'ELD' }],
          social: { workConditionCode: '6' },
        },
      },
      desk,
    );
    expect(created.body.errors).toBeUndefined();
    const intakeId = (created.body.data!.createIntakeRecord as { id: string }).id;
    expect(
      (await t.gql(PROPOSE, { id: intakeId }, desk)).body.data!.proposeIntakeRecordForCare,
    ).toMatchObject({
      status: 'PROPOSED',
      proposedOfficeId: t.fixture.offices.perugia,
    });

    // The office's social worker sees the proposal and evaluates it.
    const list = await t.gql(
      'query($o: UUID!) { proposedIntakeRecords(officeId: $o) { intakeRecordId accessKind evaluationStatus openCaseFileId } }',
      { o: t.fixture.offices.perugia },
      worker,
    );
    expect(list.body.data!.proposedIntakeRecords).toContainEqual({
      intakeRecordId: intakeId,
      accessKind: 'CITIZEN',
      evaluationStatus: null,
      openCaseFileId: null,
    });
    const evaluation = await t.gql(
      'mutation($id: UUID!) { startIntakeEvaluation(intakeRecordId: $id) { status startedAt } }',
      { id: intakeId },
      worker,
    );
    expect(evaluation.body.data!.startIntakeEvaluation).toMatchObject({
      status: 'UNDER_EVALUATION',
    });

    // The case file, opened with the first interview and the target area.
    const opened = await t.gql(
      OPEN,
      {
        id: intakeId,
        input: {
          targetAreaCode: 'ELD',
          firstInterview: {
            on: day(0),
            summary: 'Primo colloquio',
            problems: [{ scheme: 'HUB', code: 'AUTONOMY' }],
          },
        },
      },
      worker,
    );
    expect(opened.body.errors).toBeUndefined();
    const { evaluation: decided, caseFile } = opened.body.data!.openCaseFile as {
      evaluation: { status: string; caseFileId: string };
      caseFile: Record<string, unknown> & {
        id: string;
        problems: { activityId: string }[];
        activities: unknown[];
      };
    };
    expect(decided).toEqual({ status: 'CASE_OPENED', caseFileId: caseFile.id });
    expect(caseFile).toMatchObject({
      status: 'IN_CARE',
      targetAreaCode: 'ELD',
      targetAreaLabel: 'anziani',
      operators: [{ fullName: 'as.pg', responsible: true }],
      activities: [{ kind: 'INTERVIEW', firstInterview: true }],
      socialData: [{ domain: 'WORK', code: '6', reliability: 'REPORTED' }],
    });
    expect(caseFile.problems).toHaveLength(1);
    // A second proposal cannot open a second case in the same office.
    const intakeRecord = await t.gql(
      'query($id: UUID!) { intakeRecord(id: $id) { status } }',
      { id: intakeId },
      desk,
    );
    expect(intakeRecord.body.data!.intakeRecord).toEqual({ status: 'TAKEN_INTO_CARE' });

    // The care plan: a review before the start is refused with its own code, naming the field.
    const planInput = {
      title: 'PAI anziani',
      startOn: day(0),
      goals: [{ term: 'LONG', description: 'Permanenza al domicilio' }],
      reviews: [{ dueOn: day(3) }],
    };
    const early = await t.gql(
      CREATE_PLAN,
      { id: caseFile.id, input: { ...planInput, reviews: [{ dueOn: day(-3) }] } },
      worker,
    );
    expect(early.body.errors?.[0]?.extensions).toMatchObject({
      code: 'REVIEW_BEFORE_START',
      field: 'input.reviews.0.dueOn',
    });
    const plan = await t.gql(CREATE_PLAN, { id: caseFile.id, input: planInput }, worker);
    expect(plan.body.data!.createCarePlan).toMatchObject({
      status: 'ACTIVE',
      agreedBy: null,
      reviews: [{ dueOn: day(3), purpose: 'VERI' }],
    });

    // Assessments: Barthel computed from its items, out-of-range refused; SINA as INPS names it.
    const barthel = await t.gql(
      ASSESS,
      {
        id: caseFile.id,
        input: {
          kind: 'BARTHEL',
          assessedOn: day(0),
          items: { ...BEST_BARTHEL, stairs: 2, ambulation: 8 },
        },
      },
      worker,
    );
    expect(barthel.body.data!.recordAssessment).toMatchObject({
      kind: 'BARTHEL',
      score: 85,
      scoreBand: 'MILD',
    });
    const wrong = await t.gql(
      ASSESS,
      {
        id: caseFile.id,
        input: { kind: 'BARTHEL', assessedOn: day(0), items: { ...BEST_BARTHEL, feeding: 9 } },
      },
      worker,
    );
    expect(wrong.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BARTHEL_OUT_OF_RANGE',
      field: 'input.items.feeding',
    });
    const sinaData = {
      Mobilita: '2',
      AttivitaVitaQuotidiana: '2',
      DisturbiComportamentali: '1',
      AreaReddituale: '2',
      AreaSupporto: '3',
      FonteDerivazioneValutazione: '2',
      StrumentoValutazione: '7',
      NecessitaInterventiSociali: { CodicePrestazione: ['A2.07'] },
    };
    const sina = await t.gql(
      ASSESS,
      { id: caseFile.id, input: { kind: 'SINA', assessedOn: day(0), data: sinaData } },
      worker,
    );
    expect(sina.body.data!.recordAssessment).toMatchObject({
      kind: 'SINA',
      data: sinaData,
      schemaVersion: 'INPS-PS_PSA_SINA-201812',
    });
    const badSina = await t.gql(
      ASSESS,
      {
        id: caseFile.id,
        input: { kind: 'SINA', assessedOn: day(0), data: { ...sinaData, AreaSupporto: '4' } },
      },
      worker,
    );
    expect(badSina.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.data.AreaSupporto',
    });

    // The diary.
    const entry = await t.gql(
      DIARY,
      { id: caseFile.id, input: { type: 'NOTE', on: day(0), text: 'Telefonata con la figlia' } },
      worker,
    );
    expect(entry.body.data!.addCaseDiaryEntry).toMatchObject({
      typeConstant: 'NOTE_ID',
      authorName: 'as.pg',
    });

    // A forbidden file is refused by its content.
    const exe = await t.gql(
      UPLOAD,
      {
        id: caseFile.id,
        input: {
          fileName: 'relazione.pdf',
          contentBase64: Buffer.from('MZ\x90\x00binary').toString('base64'),
        },
      },
      worker,
    );
    expect(exe.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN_FILE_TYPE' });

    // The whole case file reads back, and the review due shows among the alerts.
    const full = await t.gql(CASE_FILE, { id: caseFile.id }, worker);
    expect(full.body.errors).toBeUndefined();
    const c = full.body.data!.caseFile as {
      diary: { typeConstant: string; text: string }[];
      assessments: { kind: string }[];
      carePlans: unknown[];
      statusHistory: unknown[];
    };
    expect(c.diary[0]).toEqual({ typeConstant: 'NOTE_ID', text: 'Telefonata con la figlia' });
    expect(c.diary.map((d) => d.typeConstant)).toEqual(
      expect.arrayContaining([
        'COLLOQUIO_ID',
        'CAMBIO_STATO_ID',
        'PAI_ID',
        'BARTHEL_ID',
        'VALUTAZIONE_MDS_ID',
      ]),
    );
    expect(c.assessments.map((a) => a.kind).sort()).toEqual(['BARTHEL', 'SINA']);
    expect(c.carePlans).toHaveLength(1);
    expect(c.statusHistory).toEqual([{ kind: 'OPENED', fromStatus: null, toStatus: 'IN_CARE' }]);
    const due = await t.gql(
      '{ dueReviews(withinDays: 7) { caseFileId dueOn overdue } }',
      {},
      worker,
    );
    expect(due.body.data!.dueReviews).toContainEqual({
      caseFileId: caseFile.id,
      dueOn: day(3),
      overdue: false,
    });

    // Status: only allowed transitions, with reasons where needed.
    const noReason = await t.gql(
      'mutation($id: UUID!) { changeCaseStatus(caseFileId: $id, input: { to: SUSPENDED }) { status } }',
      { id: caseFile.id },
      worker,
    );
    expect(noReason.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.reason',
    });
    const invalid = await t.gql(
      'mutation($id: UUID!) { changeCaseStatus(caseFileId: $id, input: { to: PROPOSED }) { status } }',
      { id: caseFile.id },
      worker,
    );
    expect(invalid.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATUS_TRANSITION',
    });
    const suspended = await t.gql(
      'mutation($id: UUID!) { changeCaseStatus(caseFileId: $id, input: { to: SUSPENDED, reason: "Ricovero" }) { status } }',
      { id: caseFile.id },
      worker,
    );
    expect(suspended.body.data!.changeCaseStatus).toEqual({ status: 'SUSPENDED' });
  });

  it('should refuse to reject a report of the judicial authority', async () => {
    const s = subject();
    const created = await t.gql(
      CREATE_INTAKE,
      {
        input: {
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          channel: 'WRITTEN_REPORT',
          accessKind: 'JUDICIAL_AUTHORITY',
          interlocutor: {
            kind: 'JUDICIAL_AUTHORITY',
            organization: 'Tribunale per i minorenni di Perugia',
          },
          subject: { taxCode: s.taxCode, firstName: s.firstName, lastName: s.lastName },
          close: { outcome: 'PROPOSAL_TAKE_INTO_CARE' },
        },
      },
      desk,
    );
    expect(created.body.errors).toBeUndefined();
    const id = (created.body.data!.createIntakeRecord as { id: string }).id;
    const rejected = await t.gql(
      'mutation($id: UUID!) { rejectIntakeRecord(intakeRecordId: $id, input: { reasonCode: NOT_NECESSARY, reason: "no" }) { status } }',
      { id },
      worker,
    );
    expect(rejected.body.errors?.[0]?.extensions).toMatchObject({ code: 'REJECTION_NOT_ALLOWED' });
  });

  describe('authorization matrix', () => {
    let built: Built;
    let tokens: Record<
      | 'enabled'
      | 'sameOffice'
      | 'coordinator'
      | 'otherOrganization'
      | 'clientWithoutScope'
      | 'clientNoScopes',
      string
    >;

    beforeAll(async () => {
      built = await buildCase(t, desk, worker);
      // The matrix calls the API many times as each client: lift the fixture's rate limit.
      await t.db.query('UPDATE partner_client SET rate_limit_per_minute = 100000');
      tokens = {
        enabled: worker,
        sameOffice: await t.login('as2.pg'),
        coordinator: await t.login('coord.pg'),
        otherOrganization: await t.login('sportello.tr'),
        clientWithoutScope: (await t.clientToken('asl-test')).body.access_token!,
        clientNoScopes: (await t.clientToken('noscope-test')).body.access_token!,
      };
    });

    const denied = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_log WHERE outcome = 'DENIED'`,
        )
      )[0]!.n;

    /** Fields that return the contents of one case file: the access list decides. */
    const CASE_FIELDS: [string, string, (b: Built) => Record<string, unknown>][] = [
      ['caseFile', 'query($id: UUID!) { caseFile(id: $id) { id } }', (b) => ({ id: b.caseFileId })],
      [
        'caseDiary',
        'query($id: UUID!) { caseDiary(caseFileId: $id) { id } }',
        (b) => ({ id: b.caseFileId }),
      ],
      [
        'caseAssessments',
        'query($id: UUID!) { caseAssessments(caseFileId: $id) { id } }',
        (b) => ({ id: b.caseFileId }),
      ],
      [
        'carePlans',
        'query($id: UUID!) { carePlans(caseFileId: $id) { id } }',
        (b) => ({ id: b.caseFileId }),
      ],
      [
        'caseDocument',
        'query($id: UUID!) { caseDocument(id: $id) { id contentBase64 } }',
        (b) => ({ id: b.documentId }),
      ],
      [
        'addCaseDiaryEntry',
        `mutation($id: UUID!) { addCaseDiaryEntry(caseFileId: $id, input: { type: NOTE, on: "${day(0)}", text: "x" }) { id } }`,
        (b) => ({ id: b.caseFileId }),
      ],
      [
        'recordAssessment',
        'mutation($id: UUID!, $items: BarthelItemsInput) { recordAssessment(caseFileId: $id, input: { kind: BARTHEL, assessedOn: "2026-01-01", items: $items }) { id } }',
        (b) => ({ id: b.caseFileId, items: BEST_BARTHEL }),
      ],
      [
        'createCarePlan',
        `mutation($id: UUID!) { createCarePlan(caseFileId: $id, input: { title: "x", startOn: "${day(0)}", goals: [{ term: SHORT, description: "x" }] }) { id } }`,
        (b) => ({ id: b.caseFileId }),
      ],
      [
        'changeCaseStatus',
        'mutation($id: UUID!) { changeCaseStatus(caseFileId: $id, input: { to: SUSPENDED, reason: "x" }) { status } }',
        (b) => ({ id: b.caseFileId }),
      ],
    ];
    const OTHERS = [
      'sameOffice',
      'coordinator',
      'otherOrganization',
      'clientWithoutScope',
      'clientNoScopes',
    ] as const;

    describe.each(CASE_FIELDS)('%s', (name, query, vars) => {
      it.each(OTHERS)('should refuse the caller "%s" with FORBIDDEN and audit it', async (who) => {
        const before = await denied();
        const { body } = await t.gql(query, vars(built), tokens[who]);
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(body.data?.[name] ?? null).toBeNull();
        expect(await denied()).toBe(before + 1);
      });

      it('should answer the enabled operator', async () => {
        const { body } = await t.gql(query, vars(built), tokens.enabled);
        expect(body.errors).toBeUndefined();
        expect(body.data![name]).toBeTruthy();
        if (name === 'changeCaseStatus') {
          // Put it back for the other fields.
          await t.gql(
            'mutation($id: UUID!) { changeCaseStatus(caseFileId: $id, input: { to: IN_CARE }) { status } }',
            { id: built.caseFileId },
            tokens.enabled,
          );
        }
      });
    });

    it('should show the case files of a person across offices without their contents', async () => {
      const q =
        'query($p: UUID!) { caseFilesOfPerson(personId: $p) { id officeName status accessible } }';
      const mine = await t.gql(q, { p: built.personId }, tokens.enabled);
      expect(mine.body.data!.caseFilesOfPerson).toEqual([
        {
          id: built.caseFileId,
          officeName: 'Servizio sociale professionale – Perugia',
          status: 'IN_CARE',
          accessible: true,
        },
      ]);
      const colleague = await t.gql(q, { p: built.personId }, tokens.sameOffice);
      expect(colleague.body.data!.caseFilesOfPerson).toEqual([
        {
          id: built.caseFileId,
          officeName: 'Servizio sociale professionale – Perugia',
          status: 'IN_CARE',
          accessible: false,
        },
      ]);
      for (const who of ['otherOrganization', 'clientWithoutScope', 'clientNoScopes'] as const) {
        const before = await denied();
        const { body } = await t.gql(q, { p: built.personId }, tokens[who]);
        expect(body.errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
        expect(await denied()).toBe(before + 1);
      }
    });

    it("should list the case among the caller's own only for the enabled operator", async () => {
      const q = '{ myCaseFiles { id } dueReviews(withinDays: 30) { caseFileId } }';
      const mine = await t.gql(q, {}, tokens.enabled);
      expect(mine.body.data!.myCaseFiles).toContainEqual({ id: built.caseFileId });
      expect(mine.body.data!.dueReviews).toContainEqual({ caseFileId: built.caseFileId });
      for (const who of ['sameOffice', 'coordinator', 'otherOrganization'] as const) {
        const { body } = await t.gql(q, {}, tokens[who]);
        expect(body.errors, who).toBeUndefined();
        expect(body.data!.myCaseFiles, who).not.toContainEqual({ id: built.caseFileId });
        expect(body.data!.dueReviews, who).not.toContainEqual({ caseFileId: built.caseFileId });
      }
      for (const who of ['clientWithoutScope', 'clientNoScopes'] as const) {
        const before = await denied();
        const { body } = await t.gql('{ myCaseFiles { id } }', {}, tokens[who]);
        expect(body.errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
        expect(await denied()).toBe(before + 1);
      }
    });

    it("should give the office's case list to its coordinator only", async () => {
      const q = 'query($o: UUID!) { officeCaseFiles(officeId: $o) { id status } }';
      const coordinator = await t.gql(q, { o: t.fixture.offices.perugia }, tokens.coordinator);
      expect(coordinator.body.data!.officeCaseFiles).toContainEqual({
        id: built.caseFileId,
        status: 'IN_CARE',
      });
      for (const who of [
        'enabled',
        'sameOffice',
        'otherOrganization',
        'clientWithoutScope',
      ] as const) {
        const before = await denied();
        const { body } = await t.gql(q, { o: t.fixture.offices.perugia }, tokens[who]);
        expect(body.errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
        expect(await denied()).toBe(before + 1);
      }
    });

    it('should let the coordinator enable a colleague, who then reads the case', async () => {
      const enable = `mutation($id: UUID!, $op: UUID!) {
        enableCaseOperator(caseFileId: $id, input: { operatorId: $op, operatorType: EDUCATOR }) { fullName operatorType } }`;
      const byWorker = await t.gql(
        enable,
        { id: built.caseFileId, op: t.fixture.operators.socialWorker2Pg },
        tokens.enabled,
      );
      expect(byWorker.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const byCoordinator = await t.gql(
        enable,
        { id: built.caseFileId, op: t.fixture.operators.socialWorker2Pg },
        tokens.coordinator,
      );
      expect(byCoordinator.body.data!.enableCaseOperator).toContainEqual({
        fullName: 'as2.pg',
        operatorType: 'EDUCATOR',
      });
      const read = await t.gql(
        'query($id: UUID!) { caseFile(id: $id) { id } }',
        { id: built.caseFileId },
        tokens.sameOffice,
      );
      expect(read.body.data!.caseFile).toEqual({ id: built.caseFileId });
      await t.gql(
        'mutation($id: UUID!, $op: UUID!) { disableCaseOperator(caseFileId: $id, operatorId: $op) { fullName } }',
        { id: built.caseFileId, op: t.fixture.operators.socialWorker2Pg },
        tokens.coordinator,
      );
    });

    it('should let a partner client read once its organisation is granted access and it holds cases:read', async () => {
      await t.db.query(
        `UPDATE partner_client SET scopes = '{persons:read,cases:read}' WHERE client_id = 'asl-test'`,
      );
      const client = (await t.clientToken('asl-test', 'persons:read cases:read')).body
        .access_token!;
      const q = 'query($id: UUID!) { caseFile(id: $id) { id status } }';
      expect(
        (await t.gql(q, { id: built.caseFileId }, client)).body.errors?.[0]?.extensions?.code,
      ).toBe('FORBIDDEN');
      const grantQuery =
        'mutation($id: UUID!, $org: UUID!) { grantCaseOrganizationAccess(caseFileId: $id, input: { organizationId: $org, reason: "PUA integrata" }) }';
      const grantVars = { id: built.caseFileId, org: t.fixture.organizations.asl };
      // No data-sharing agreement between the zone and the ASL yet: the grant is refused.
      const early = await t.gql(grantQuery, grantVars, tokens.coordinator);
      expect(early.body.errors?.[0]?.extensions).toMatchObject({
        code: 'NO_SHARING_AGREEMENT',
        field: 'input.organizationId',
      });
      const agreement = await t.gql(
        `mutation($a: UUID!, $b: UUID!) { recordDataSharingAgreement(input: { organizationId: $a, partnerOrganizationId: $b, purpose: "Integrazione socio-sanitaria", reference: "Convenzione n. 4/2026", validFrom: "${day(-30)}" }) { id reference } }`,
        { a: t.fixture.organizations.perugia, b: t.fixture.organizations.asl },
        await t.login('admin'),
      );
      expect(agreement.body.errors).toBeUndefined();
      const grant = await t.gql(grantQuery, grantVars, tokens.coordinator);
      expect(grant.body.errors).toBeUndefined();
      expect((await t.gql(q, { id: built.caseFileId }, client)).body.data!.caseFile).toEqual({
        id: built.caseFileId,
        status: 'IN_CARE',
      });
      // Writes stay with the operators.
      const write = await t.gql(
        `mutation($id: UUID!) { addCaseDiaryEntry(caseFileId: $id, input: { type: NOTE, on: "${day(0)}", text: "x" }) { id } }`,
        { id: built.caseFileId },
        client,
      );
      expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
