import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkError } from '../errors.ts';
import {
  auditRows,
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  interview,
  newPerson,
  openedCase,
  proposedIntake,
} from './case-file.fixtures.ts';
import { getCaseFile } from './case-file.service.ts';
import {
  attachIntakeRecord,
  listProposedIntakeRecords,
  openCaseFile,
  rejectIntakeRecord,
  startEvaluation,
} from './take-into-care.service.ts';

async function codeOf(p: Promise<unknown>): Promise<{ code: string; field: string | undefined }> {
  const err = await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CaseworkError);
  return { code: (err as CaseworkError).code, field: (err as CaseworkError).field };
}

describe('taking into care', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await createCaseWorld();
  });
  afterAll(() => w.db.close());

  const intakeStatus = async (id: string) =>
    (
      await w.db.query<{ status: string }>('SELECT status FROM intake_record WHERE id = $1', [id])
    )[0]!.status;

  it('should list the intake records proposed to the office, with the open case to attach to', async () => {
    const fresh = await proposedIntake(w);
    const { personId } = await openedCase(w);
    const again = await proposedIntake(w, { personId });
    const list = await listProposedIntakeRecords(w.db, w.actors.worker, w.fx.offices.perugia);
    const ids = list.map((r) => r.intakeRecordId);
    expect(ids).toContain(fresh);
    expect(ids).toContain(again);
    expect(list.find((r) => r.intakeRecordId === fresh)!.openCaseFileId).toBeNull();
    expect(list.find((r) => r.intakeRecordId === again)!.openCaseFileId).not.toBeNull();
  });

  it.each([
    ['a front-desk operator of the office', 'frontDesk'],
    ['a social worker of another organisation', 'otherOrgWorker'],
  ] as const)('should refuse the proposals list to %s and audit it', async (_label, who) => {
    const before = await w.db.query(
      `SELECT 1 FROM audit_log WHERE outcome = 'DENIED' AND entity = 'IntakeRecord'`,
    );
    expect(
      (await codeOf(listProposedIntakeRecords(w.db, w.actors[who], w.fx.offices.perugia))).code,
    ).toBe('FORBIDDEN');
    const after = await w.db.query(
      `SELECT 1 FROM audit_log WHERE outcome = 'DENIED' AND entity = 'IntakeRecord'`,
    );
    expect(after.length).toBe(before.length + 1);
  });

  it('should take a proposal into evaluation once (idempotent)', async () => {
    const id = await proposedIntake(w);
    const first = await startEvaluation(w.db, w.actors.worker, id);
    expect(first.status).toBe('UNDER_EVALUATION');
    const second = await startEvaluation(w.db, w.actors.colleague, id);
    expect(second.startedBy).toBe(w.actors.worker.id);
    expect(await intakeStatus(id)).toBe('PROPOSED');
    const list = await listProposedIntakeRecords(w.db, w.actors.worker, w.fx.offices.perugia);
    expect(list.find((r) => r.intakeRecordId === id)!.evaluationStatus).toBe('UNDER_EVALUATION');
  });

  it('should reject a proposal with its reason and the interview that led to it', async () => {
    const id = await proposedIntake(w);
    const evaluation = await rejectIntakeRecord(w.db, w.actors.worker, id, {
      reasonCode: 'USER_REFUSED',
      reason: "L'utente dopo il colloquio rifiuta la presa in carico",
      interview: { on: daysAgo(1), notes: 'Colloquio in ufficio' },
    });
    expect(evaluation).toMatchObject({
      status: 'REJECTED',
      rejectionReasonCode: 'USER_REFUSED',
      interviewOn: daysAgo(1),
    });
    expect(await intakeStatus(id)).toBe('REJECTED');
    // Decided once: no second decision, no case file.
    expect(
      (
        await codeOf(
          openCaseFile(w.db, w.actors.worker, id, {
            targetAreaCode: 'POV',
            firstInterview: interview(),
          }),
        )
      ).code,
    ).toBe('CONFLICT');
  });

  it('should refuse a rejection without a reason', async () => {
    const id = await proposedIntake(w);
    const r = await codeOf(
      rejectIntakeRecord(w.db, w.actors.worker, id, { reasonCode: 'OTHER', reason: ' ' }),
    );
    expect(r).toEqual({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(await intakeStatus(id)).toBe('PROPOSED');
  });

  it('should never reject a report of the judicial authority, and save nothing', async () => {
    const id = await proposedIntake(w, { accessKind: 'JUDICIAL_AUTHORITY' });
    await startEvaluation(w.db, w.actors.worker, id);
    const before = await caseCounts(w.db);
    const r = await codeOf(
      rejectIntakeRecord(w.db, w.actors.worker, id, {
        reasonCode: 'NOT_NECESSARY',
        reason: 'Non necessaria',
      }),
    );
    expect(r).toEqual({ code: 'REJECTION_NOT_ALLOWED', field: 'intakeRecordId' });
    expect(await caseCounts(w.db)).toEqual(before);
    expect(await intakeStatus(id)).toBe('PROPOSED');
    // The case is opened instead.
    const opened = await openCaseFile(w.db, w.actors.worker, id, {
      targetAreaCode: 'FAM',
      firstInterview: interview(),
    });
    expect(opened.evaluation.status).toBe('CASE_OPENED');
  });

  it('should open the case file with the first interview, its problems, the target area and the intake data', async () => {
    const personId = await newPerson(w.db, w);
    const id = await proposedIntake(w, {
      personId,
      workConditionCode: '2',
      homeless: true,
      referencePersons: [
        { relationship: 'RELATIVE', fullName: 'Paolo Rossi' },
        { relationship: 'CAREGIVER', fullName: 'Sara Neri' },
      ],
    });
    const opened = await openCaseFile(w.db, w.actors.worker, id, {
      targetAreaCode: 'POV',
      openedOn: daysAgo(1),
      firstInterview: interview(),
    });
    expect(await intakeStatus(id)).toBe('TAKEN_INTO_CARE');
    const c = await getCaseFile(w.db, w.actors.worker, opened.caseFileId);
    expect(c).toMatchObject({
      personId,
      officeId: w.fx.offices.perugia,
      status: 'IN_CARE',
      openedOn: daysAgo(1),
      targetAreaCode: 'POV',
      targetAreaLabel: 'povertà, disagio adulti e senza dimora',
    });
    expect(c.statusHistory).toMatchObject([
      { kind: 'OPENED', fromStatus: null, toStatus: 'IN_CARE' },
    ]);
    expect(c.operators).toMatchObject([
      { operatorId: w.actors.worker.id, responsible: true, disabledAt: null },
    ]);
    expect(c.activities).toMatchObject([
      { kind: 'INTERVIEW', firstInterview: true, on: daysAgo(1) },
    ]);
    expect(c.problems.map((p) => [p.code, p.activityId])).toEqual([
      ['WORK', opened.firstInterviewId],
      ['HOUSING', opened.firstInterviewId],
    ]);
    expect(c.socialData.map((s) => [s.domain, s.code, s.reliability, s.source])).toEqual([
      ['HOUSING', 'NO_FIXED_ABODE', 'REPORTED', 'INTAKE'],
      ['WORK', '2', 'REPORTED', 'INTAKE'],
    ]);
    expect(c.resources.map((r) => [r.kind, r.name, r.caregiver])).toEqual([
      ['FAMILY', 'Paolo Rossi', false],
      ['ACQUAINTANCE', 'Sara Neri', true],
    ]);
    expect(c.intakeRecords).toMatchObject([{ intakeRecordId: id, linkKind: 'OPENED' }]);
    expect(c.diary.map((d) => d.typeConstant).sort()).toEqual(['CAMBIO_STATO_ID', 'COLLOQUIO_ID']);
    expect(
      (await auditRows(w.db, personId, 'OK')).some(
        (a) => a.action === 'CREATE' && a.entity === 'CaseFile',
      ),
    ).toBe(true);
  });

  it.each([
    ['an unknown target area', { targetAreaCode: 'XYZ' }, 'BAD_USER_INPUT', 'input.targetAreaCode'],
    [
      'an unknown problem code',
      {
        firstInterview: interview({
          problems: [
            { scheme: 'HUB', code: 'WORK' },
            { scheme: 'HUB', code: 'NOPE' },
          ],
        }),
      },
      'BAD_USER_INPUT',
      'input.firstInterview.problems.1.code',
    ],
    [
      'an interview in the future',
      { firstInterview: interview({ on: '2999-01-01' }) },
      'FUTURE_DATE',
      'input.firstInterview.on',
    ],
    [
      'no interview summary',
      { firstInterview: interview({ summary: '' }) },
      'BAD_USER_INPUT',
      'input.firstInterview.summary',
    ],
  ] as const)('should refuse %s and save nothing', async (_label, patch, code, field) => {
    const id = await proposedIntake(w);
    const before = await caseCounts(w.db);
    const r = await codeOf(
      openCaseFile(w.db, w.actors.worker, id, {
        targetAreaCode: 'POV',
        firstInterview: interview(),
        ...patch,
      }),
    );
    expect(r).toEqual({ code, field });
    expect(await caseCounts(w.db)).toEqual(before);
    expect(await intakeStatus(id)).toBe('PROPOSED');
  });

  it('should refuse a second open case for the same person in the same office (CASE_ALREADY_OPEN), saving nothing', async () => {
    const { personId } = await openedCase(w);
    const second = await proposedIntake(w, { personId });
    const before = await caseCounts(w.db);
    const r = await codeOf(
      openCaseFile(w.db, w.actors.worker, second, {
        targetAreaCode: 'POV',
        firstInterview: interview(),
      }),
    );
    expect(r.code).toBe('CASE_ALREADY_OPEN');
    expect(await caseCounts(w.db)).toEqual(before);
    expect(await intakeStatus(second)).toBe('PROPOSED');
  });

  it('should enforce one open case per person and office in the store too (partial unique index)', async () => {
    const { personId } = await openedCase(w);
    await expect(
      w.db.query(
        `INSERT INTO case_file (person_id, organization_id, office_id, status, opened_on)
         VALUES ($1, $2, $3, 'UNDER_EVALUATION', current_date)`,
        [personId, w.fx.organizations.perugia, w.fx.offices.perugia],
      ),
    ).rejects.toThrow(/case_file_one_open_per_office/);
    // A closed case does not count.
    await w.db.query(
      `INSERT INTO case_file (person_id, organization_id, office_id, status, opened_on, closed_on)
       VALUES ($1, $2, $3, 'CLOSED', current_date - 10, current_date - 5)`,
      [personId, w.fx.organizations.perugia, w.fx.offices.perugia],
    );
  });

  it("should attach a new proposal to the person's open case file, integrating its data", async () => {
    const { caseFileId, personId } = await openedCase(w);
    const id = await proposedIntake(w, {
      personId,
      workConditionCode: '3',
      referencePersons: [{ relationship: 'ACQUAINTANCE', fullName: 'Vicina di casa' }],
    });
    const attached = await attachIntakeRecord(w.db, w.actors.worker, id, {
      note: 'nuova richiesta',
    });
    expect(attached).toMatchObject({ caseFileId, evaluation: { status: 'ATTACHED', caseFileId } });
    expect(await intakeStatus(id)).toBe('TAKEN_INTO_CARE');
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(c.intakeRecords.map((i) => i.linkKind)).toEqual(['OPENED', 'ATTACHED']);
    expect(c.socialData.find((s) => s.domain === 'WORK')).toMatchObject({
      code: '3',
      reliability: 'REPORTED',
    });
    expect(c.resources.map((r) => r.name)).toContain('Vicina di casa');
  });

  it('should refuse to attach for an operator not enabled on the case file, and audit it', async () => {
    const { personId } = await openedCase(w);
    const id = await proposedIntake(w, { personId });
    const before = await caseCounts(w.db);
    expect((await codeOf(attachIntakeRecord(w.db, w.actors.colleague, id))).code).toBe('FORBIDDEN');
    expect(await caseCounts(w.db)).toEqual(before);
    expect((await auditRows(w.db, personId, 'DENIED'))[0]).toMatchObject({
      actorId: 'as2.pg',
      entity: 'CaseFile',
    });
  });

  it('should refuse to attach when the person has no open case in the office', async () => {
    const id = await proposedIntake(w);
    expect(await codeOf(attachIntakeRecord(w.db, w.actors.worker, id))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.caseFileId',
    });
  });

  it.each([
    ['a front-desk operator', 'frontDesk'],
    ['a social worker of another office', 'otherOrgWorker'],
  ] as const)('should refuse decisions by %s and audit them', async (_label, who) => {
    const id = await proposedIntake(w);
    const personId = (
      await w.db.query<{ p: string }>(
        'SELECT subject_person_id AS p FROM intake_record WHERE id = $1',
        [id],
      )
    )[0]!.p;
    expect((await codeOf(startEvaluation(w.db, w.actors[who], id))).code).toBe('FORBIDDEN');
    expect(
      (
        await codeOf(
          openCaseFile(w.db, w.actors[who], id, {
            targetAreaCode: 'POV',
            firstInterview: interview(),
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(await auditRows(w.db, personId, 'DENIED')).toHaveLength(2);
  });

  it('should refuse to decide on a record that is not proposed', async () => {
    const id = await proposedIntake(w);
    await w.db.query(
      `UPDATE intake_record SET status = 'CLOSED', outcome = 'INFORMATION_GIVEN' WHERE id = $1`,
      [id],
    );
    expect((await codeOf(startEvaluation(w.db, w.actors.worker, id))).code).toBe('CONFLICT');
  });
});
