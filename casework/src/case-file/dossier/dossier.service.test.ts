import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.ts';
import {
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  openedCase,
} from '../case-file.fixtures.ts';
import { getCaseFile } from '../case-file.service.ts';
import {
  addDiaryEntry,
  answerReferral,
  createProject,
  createReferral,
  listDiaryEntries,
  listIncomingReferrals,
  recordActivity,
} from './dossier.service.ts';

describe('dossier', () => {
  let w: CaseWorld;
  let caseFileId: string;
  beforeAll(async () => {
    w = await createCaseWorld();
    ({ caseFileId } = await openedCase(w));
  });
  afterAll(() => w.db.close());

  it('should write typed diary entries and page through them newest first', async () => {
    const { caseFileId: id } = await openedCase(w);
    for (let i = 0; i < 5; i++) {
      await addDiaryEntry(w.db, w.actors.worker, id, {
        type: i % 2 ? 'NOTE' : 'JOB_ORIENTATION',
        on: daysAgo(10 - i),
        text: `voce ${i}`,
      });
    }
    const first = await listDiaryEntries(w.db, w.actors.worker, id, { limit: 3 });
    // The two entries written on opening are the newest (yesterday); written in one
    // transaction, they share their date and time, so their mutual order is not fixed.
    expect(
      first
        .slice(0, 2)
        .map((d) => d.typeConstant)
        .sort(),
    ).toEqual(['CAMBIO_STATO_ID', 'COLLOQUIO_ID']);
    expect(first[2]!.typeConstant).toBe('ORIENTAMENTO_LAVORO_ID');
    expect(first[2]).toMatchObject({
      text: 'voce 4',
      typeConstant: 'ORIENTAMENTO_LAVORO_ID',
      authorName: 'as.pg',
    });
    const next = await listDiaryEntries(w.db, w.actors.worker, id, {
      limit: 3,
      after: first[2]!.id,
    });
    expect(next.map((d) => d.text)).toEqual(['voce 3', 'voce 2', 'voce 1']);
    const rest = await listDiaryEntries(w.db, w.actors.worker, id, {
      limit: 3,
      after: next[2]!.id,
    });
    expect(rest.map((d) => d.text)).toEqual(['voce 0']);
  });

  it('should refuse a diary entry of a type written only by the system', async () => {
    const err = await refusal(
      addDiaryEntry(w.db, w.actors.worker, caseFileId, {
        type: 'STATUS_CHANGE' as 'NOTE',
        on: daysAgo(0),
        text: 'x',
      }),
    );
    expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.type']);
  });

  it('should record a home visit with the problems it found', async () => {
    const r = await recordActivity(w.db, w.actors.worker, caseFileId, {
      kind: 'HOME_VISIT',
      on: daysAgo(0),
      place: 'Domicilio',
      summary: 'Abitazione con barriere architettoniche',
      durationMinutes: 60,
      operatorIds: [w.actors.colleague.id],
      problems: [{ scheme: 'HUB', code: 'AUTONOMY', notes: 'non esce di casa' }],
    });
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    const visit = c.activities.find((a) => a.id === r.activityId)!;
    expect(visit).toMatchObject({ kind: 'HOME_VISIT', durationMinutes: 60, firstInterview: false });
    expect(visit.operatorIds.sort()).toEqual([w.actors.worker.id, w.actors.colleague.id].sort());
    expect(c.problems.find((p) => p.id === r.problemIds[0])).toMatchObject({
      code: 'AUTONOMY',
      activityId: r.activityId,
    });
    expect(c.diary[0]).toMatchObject({ typeConstant: 'RELAZIONE_ID', sourceId: r.activityId });
  });

  it('should record a triage with its urgency, and refuse a triage without one', async () => {
    const r = await recordActivity(w.db, w.actors.worker, caseFileId, {
      kind: 'TRIAGE',
      on: daysAgo(0),
      summary: 'Valutazione rapida',
      triage: { urgency: 'HIGH', outcome: 'attivare SAD' },
    });
    expect(r.activityId).toBeTruthy();
    const before = await caseCounts(w.db);
    const err = await refusal(
      recordActivity(w.db, w.actors.worker, caseFileId, {
        kind: 'TRIAGE',
        on: daysAgo(0),
        summary: 'x',
      }),
    );
    expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.triage']);
    const err2 = await refusal(
      recordActivity(w.db, w.actors.worker, caseFileId, {
        kind: 'MEETING',
        on: daysAgo(0),
        summary: 'x',
        problems: [{ scheme: 'SINBA_MINORE', code: '99' }],
      }),
    );
    expect([err2.code, err2.field]).toEqual(['BAD_USER_INPUT', 'input.problems.0.code']);
    expect(await caseCounts(w.db)).toEqual(before);
  });

  it('should refer the case to another operator, who sees the referral and, accepting, the case', async () => {
    const referral = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'OPERATOR',
      toOperatorId: w.actors.colleague.id,
      reason: 'Serve un educatore per il figlio',
    });
    expect(referral.status).toBe('SENT');
    const incoming = await listIncomingReferrals(w.db, w.actors.colleague);
    expect(incoming.map((r) => r.id)).toContain(referral.id);
    // Not yet enabled: the case itself stays closed to the receiver.
    expect((await refusal(getCaseFile(w.db, w.actors.colleague, caseFileId))).code).toBe(
      'FORBIDDEN',
    );
    // Someone else cannot answer for the receiver.
    expect(
      (await refusal(answerReferral(w.db, w.actors.fosterWorker, referral.id, { accept: true })))
        .code,
    ).toBe('FORBIDDEN');
    const answered = await answerReferral(w.db, w.actors.colleague, referral.id, {
      accept: true,
      note: 'presa',
    });
    expect(answered).toMatchObject({ status: 'ACCEPTED', answeredBy: w.actors.colleague.id });
    expect((await getCaseFile(w.db, w.actors.colleague, caseFileId)).id).toBe(caseFileId);
    expect(
      (await refusal(answerReferral(w.db, w.actors.colleague, referral.id, { accept: false })))
        .code,
    ).toBe('CONFLICT');
  });

  it('should keep the receiver’s name as picked when sent, after it is renamed', async () => {
    const nameOf = async (sql: string, id: string) =>
      (await w.db.query<{ name: string }>(sql, [id]))[0]!.name;
    const toOperator = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'OPERATOR',
      toOperatorId: w.actors.colleague.id,
      reason: 'Un secondo parere',
    });
    const operatorName = await nameOf(
      'SELECT full_name AS name FROM operator WHERE id = $1',
      w.actors.colleague.id,
    );
    expect(toOperator.toName).toBe(operatorName);
    const toOffice = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'SECOND_LEVEL',
      toOfficeId: w.fosterOfficeId,
      reason: 'Valutazione',
    });
    const officeName = await nameOf(
      `SELECT f.name || ' – ' || org.name AS name
         FROM office f JOIN organization org ON org.id = f.organization_id WHERE f.id = $1`,
      w.fosterOfficeId,
    );
    expect(toOffice.toName).toBe(officeName);
    expect(officeName).toMatch(/ – \S/);
    const inWords = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'OTHER_BODY',
      toBody: 'Parrocchia di San Pietro',
      reason: 'Pacco alimentare',
    });
    expect(inWords).toMatchObject({ toName: null, toBody: 'Parrocchia di San Pietro' });

    // Renamed afterwards: the case file still says whom it was sent to, as it was then.
    await w.db.query("UPDATE operator SET full_name = 'Nome cambiato' WHERE id = $1", [
      w.actors.colleague.id,
    ]);
    await w.db.query("UPDATE office SET name = 'Ufficio rinominato' WHERE id = $1", [
      w.fosterOfficeId,
    ]);
    try {
      const referrals = (await getCaseFile(w.db, w.actors.worker, caseFileId)).referrals;
      expect(referrals.find((r) => r.id === toOperator.id)?.toName).toBe(operatorName);
      expect(referrals.find((r) => r.id === toOffice.id)?.toName).toBe(officeName);
    } finally {
      await w.db.query('UPDATE operator SET full_name = $2 WHERE id = $1', [
        w.actors.colleague.id,
        operatorName,
      ]);
      await w.db.query('UPDATE office SET name = $2 WHERE id = $1', [
        w.fosterOfficeId,
        officeName.split(' – ')[0],
      ]);
    }
  });

  it('should name the referrals sent before names were kept from today’s names (migration 062)', async () => {
    const r = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'OPERATOR',
      toOperatorId: w.actors.colleague.id,
      reason: 'Prima della 062',
    });
    const body = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'OTHER_BODY',
      toBody: 'Caritas',
      reason: 'Prima della 062',
    });
    await w.db.query('UPDATE case_referral SET to_name = NULL WHERE id = ANY($1::uuid[])', [
      [r.id, body.id],
    ]);
    const sql = readFileSync(
      fileURLToPath(new URL('../../../migrations/062-referral-target-name.sql', import.meta.url)),
      'utf8',
    );
    // The backfill again, without adding the column a second time.
    await w.db.exec(sql.replace(/ALTER TABLE[^;]*;/, ''));
    const rows = await w.db.query<{ id: string; toName: string | null }>(
      'SELECT id, to_name AS "toName" FROM case_referral WHERE id = ANY($1::uuid[])',
      [[r.id, body.id]],
    );
    expect(Object.fromEntries(rows.map((x) => [x.id, x.toName]))).toEqual({
      [r.id]: r.toName,
      [body.id]: null,
    });
    expect(r.toName).toBeTruthy();
  });

  it('should activate a second-level service, whose social worker may decline', async () => {
    const referral = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'SECOND_LEVEL',
      toOfficeId: w.fosterOfficeId,
      reason: 'Valutazione per affido',
    });
    expect((await listIncomingReferrals(w.db, w.actors.fosterWorker)).map((r) => r.id)).toContain(
      referral.id,
    );
    const declined = await answerReferral(w.db, w.actors.fosterWorker, referral.id, {
      accept: false,
      note: 'non pertinente',
    });
    expect(declined.status).toBe('DECLINED');
    expect((await refusal(getCaseFile(w.db, w.actors.fosterWorker, caseFileId))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('should refuse a second-level activation towards a first-level office', async () => {
    const err = await refusal(
      createReferral(w.db, w.actors.worker, caseFileId, {
        kind: 'SECOND_LEVEL',
        toOfficeId: w.fx.offices.terni,
        reason: 'x',
      }),
    );
    expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.toOfficeId']);
    const err2 = await refusal(
      createReferral(w.db, w.actors.worker, caseFileId, { kind: 'OTHER_BODY', reason: 'x' }),
    );
    expect([err2.code, err2.field]).toEqual(['BAD_USER_INPUT', 'input.toBody']);
  });

  it('should activate another body and record its answer', async () => {
    const referral = await createReferral(w.db, w.actors.worker, caseFileId, {
      kind: 'OTHER_BODY',
      toBody: 'Centro per l’impiego di Perugia',
      reason: 'Orientamento al lavoro',
    });
    const answered = await answerReferral(w.db, w.actors.worker, referral.id, { accept: true });
    expect(answered.status).toBe('ACCEPTED');
  });

  it('should create an individual project, with a work-inclusion phase only where it belongs', async () => {
    const id = await createProject(w.db, w.actors.worker, caseFileId, {
      kind: 'WORK_INCLUSION',
      title: 'Tirocinio di inclusione',
      startOn: daysAgo(5),
      phase: 20,
    });
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(c.projects.find((p) => p.id === id)).toMatchObject({
      phase: 20,
      status: 'ACTIVE',
      responsibleOperatorId: w.actors.worker.id,
    });
    expect(
      (
        await refusal(
          createProject(w.db, w.actors.worker, caseFileId, {
            kind: 'HOUSING',
            title: 'x',
            startOn: daysAgo(1),
            phase: 20,
          }),
        )
      ).field,
    ).toBe('input.phase');
    expect(
      (
        await refusal(
          createProject(w.db, w.actors.worker, caseFileId, {
            kind: 'WORK_INCLUSION',
            title: 'x',
            startOn: daysAgo(1),
            phase: 25,
          }),
        )
      ).field,
    ).toBe('input.phase');
    expect(
      (
        await refusal(
          createProject(w.db, w.actors.worker, caseFileId, {
            kind: 'OTHER',
            title: 'x',
            startOn: daysAgo(1),
            responsibleOperatorId: w.actors.otherOrgWorker.id,
          }),
        )
      ).field,
    ).toBe('input.responsibleOperatorId');
  });
});
