import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../testing/refusal.ts';
import {
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  openedCase,
} from './case-file.fixtures.ts';
import {
  changeCaseSector,
  changeCaseStatus,
  enableCaseOperator,
  getCaseFile,
  transferCaseFile,
} from './case-file.service.ts';
import { CASE_STATUSES, type CaseStatus, STATUS_TRANSITIONS } from './case-file.types.ts';

const PAIRS = CASE_STATUSES.flatMap((from) =>
  CASE_STATUSES.map((to) => [from, to] as [CaseStatus, CaseStatus]),
);
const ALLOWED = PAIRS.filter(([from, to]) => STATUS_TRANSITIONS[from].includes(to));
const REFUSED = PAIRS.filter(([from, to]) => !STATUS_TRANSITIONS[from].includes(to));

describe('case file status', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await createCaseWorld();
  });
  afterAll(() => w.db.close());

  /** A case file put straight into `status` (the store allows it; the service is what is tested). */
  async function caseIn(status: CaseStatus): Promise<string> {
    const { caseFileId } = await openedCase(w);
    await w.db.query(
      `UPDATE case_file SET status = $2, closed_on = CASE WHEN $2 = 'CLOSED' THEN opened_on END,
         closure_reason = CASE WHEN $2 = 'CLOSED' THEN 'prova' END WHERE id = $1`,
      [caseFileId, status],
    );
    return caseFileId;
  }

  it('should name exactly the transitions of the design', () => {
    expect(ALLOWED).toEqual([
      ['PROPOSED', 'UNDER_EVALUATION'],
      ['PROPOSED', 'CLOSED'],
      ['UNDER_EVALUATION', 'IN_CARE'],
      ['UNDER_EVALUATION', 'CLOSED'],
      ['IN_CARE', 'SUSPENDED'],
      ['IN_CARE', 'CLOSED'],
      ['SUSPENDED', 'IN_CARE'],
      ['SUSPENDED', 'CLOSED'],
      ['CLOSED', 'IN_CARE'],
    ]);
  });

  it.each(ALLOWED)(
    'should allow %s → %s and record it in the history and the diary',
    async (from, to) => {
      const id = await caseIn(from);
      const summary = await changeCaseStatus(w.db, w.actors.worker, id, {
        to,
        reason: 'motivo',
        on: daysAgo(0),
      });
      expect(summary.status).toBe(to);
      expect(summary.closedOn).toBe(to === 'CLOSED' ? daysAgo(0) : null);
      const c = await getCaseFile(w.db, w.actors.worker, id);
      expect(c.statusHistory.at(-1)).toMatchObject({
        kind: 'STATUS',
        fromStatus: from,
        toStatus: to,
        reason: 'motivo',
      });
      expect(c.closureReason).toBe(to === 'CLOSED' ? 'motivo' : null);
      expect(c.diary[0]).toMatchObject({ typeConstant: 'CAMBIO_STATO_ID' });
    },
  );

  it.each(REFUSED)(
    'should refuse %s → %s with INVALID_STATUS_TRANSITION and change nothing',
    async (from, to) => {
      const id = await caseIn(from);
      const before = await caseCounts(w.db);
      const err = await refusal(
        changeCaseStatus(w.db, w.actors.worker, id, { to, reason: 'motivo' }),
      );
      expect(err.code).toBe('INVALID_STATUS_TRANSITION');
      expect(err.field).toBe('input.to');
      expect(await caseCounts(w.db)).toEqual(before);
      const [row] = await w.db.query<{ status: string }>(
        'SELECT status FROM case_file WHERE id = $1',
        [id],
      );
      expect(row!.status).toBe(from);
    },
  );

  it.each(['SUSPENDED', 'CLOSED'] as const)(
    'should ask for the reason when the case goes %s',
    async (to) => {
      const id = await caseIn('IN_CARE');
      const err = await refusal(changeCaseStatus(w.db, w.actors.worker, id, { to }));
      expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.reason']);
    },
  );

  it('should refuse a closure dated before the opening', async () => {
    const id = await caseIn('IN_CARE');
    const err = await refusal(
      changeCaseStatus(w.db, w.actors.worker, id, { to: 'CLOSED', reason: 'x', on: daysAgo(30) }),
    );
    expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.on']);
  });

  it('should refuse to reopen a closed case when another one is open in the same office', async () => {
    const { caseFileId, personId } = await openedCase(w);
    await changeCaseStatus(w.db, w.actors.worker, caseFileId, { to: 'CLOSED', reason: 'fine' });
    await openedCase(w, { personId });
    const err = await refusal(
      changeCaseStatus(w.db, w.actors.worker, caseFileId, { to: 'IN_CARE' }),
    );
    expect(err.code).toBe('CASE_ALREADY_OPEN');
  });

  it('should refuse status changes to an enabled operator who does not work in the owning office', async () => {
    const id = await caseIn('IN_CARE');
    // The foster-care office's social worker: same organisation, another office.
    await enableCaseOperator(w.db, w.actors.coordinator, id, {
      operatorId: w.actors.fosterWorker.id,
      operatorType: 'SOCIAL_WORKER',
    });
    const err = await refusal(
      changeCaseStatus(w.db, w.actors.fosterWorker, id, { to: 'SUSPENDED', reason: 'x' }),
    );
    expect(err.code).toBe('FORBIDDEN');
    // But the operator reads the case they are enabled on.
    expect((await getCaseFile(w.db, w.actors.fosterWorker, id)).id).toBe(id);
  });

  it('should change the sector and record it', async () => {
    const id = await caseIn('IN_CARE');
    const s = await changeCaseSector(w.db, w.actors.worker, id, {
      sector: 'Anziani',
      reason: 'riorganizzazione',
    });
    expect(s.sector).toBe('Anziani');
    const c = await getCaseFile(w.db, w.actors.worker, id);
    expect(c.statusHistory.at(-1)).toMatchObject({
      kind: 'SECTOR',
      fromSector: null,
      toSector: 'Anziani',
      toStatus: 'IN_CARE',
    });
  });

  it('should send the case to another office: PROPOSED there, history kept, old operators out', async () => {
    const { caseFileId: id } = await openedCase(w);
    const s = await transferCaseFile(w.db, w.actors.worker, id, {
      toOfficeId: w.fx.offices.terni,
      reason: 'Trasferimento di residenza a Terni',
    });
    expect(s).toMatchObject({
      status: 'PROPOSED',
      officeId: w.fx.offices.terni,
      organizationId: w.fx.organizations.terni,
    });
    const history = await w.db.query<{
      kind: string;
      from_office_id: string;
      to_office_id: string;
      to_status: string;
    }>(
      'SELECT kind, from_office_id, to_office_id, to_status FROM case_status_history WHERE case_file_id = $1 ORDER BY id',
      [id],
    );
    expect(history.at(-1)).toEqual({
      kind: 'OFFICE',
      from_office_id: w.fx.offices.perugia,
      to_office_id: w.fx.offices.terni,
      to_status: 'PROPOSED',
    });
    // The Perugia worker is no longer enabled.
    expect((await refusal(getCaseFile(w.db, w.actors.worker, id))).code).toBe('FORBIDDEN');
    // Terni's coordinator is not in the fixture: the system enables a Terni social worker, who evaluates.
    const { SYSTEM_ACTOR } = await import('../access/actor.ts');
    await enableCaseOperator(w.db, SYSTEM_ACTOR, id, {
      operatorId: w.actors.otherOrgWorker.id,
      operatorType: 'SOCIAL_WORKER',
    });
    await changeCaseStatus(w.db, w.actors.otherOrgWorker, id, { to: 'UNDER_EVALUATION' });
    const taken = await changeCaseStatus(w.db, w.actors.otherOrgWorker, id, { to: 'IN_CARE' });
    expect(taken.status).toBe('IN_CARE');
  });

  it('should refuse a transfer to an office where the person already has an open case', async () => {
    const { caseFileId, personId } = await openedCase(w);
    await w.db.query(
      `INSERT INTO case_file (person_id, organization_id, office_id, status, opened_on) VALUES ($1, $2, $3, 'IN_CARE', current_date)`,
      [personId, w.fx.organizations.terni, w.fx.offices.terni],
    );
    const before = await caseCounts(w.db);
    const err = await refusal(
      transferCaseFile(w.db, w.actors.worker, caseFileId, {
        toOfficeId: w.fx.offices.terni,
        reason: 'x',
      }),
    );
    expect(err.code).toBe('CASE_ALREADY_OPEN');
    expect(await caseCounts(w.db)).toEqual(before);
  });

  it('should refuse to transfer a closed case', async () => {
    const id = await caseIn('CLOSED');
    const err = await refusal(
      transferCaseFile(w.db, w.actors.worker, id, { toOfficeId: w.fx.offices.terni, reason: 'x' }),
    );
    expect(err.code).toBe('INVALID_STATUS_TRANSITION');
  });
});
