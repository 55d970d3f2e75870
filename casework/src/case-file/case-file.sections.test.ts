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
  addCaseNote,
  addCourtMeasure,
  addDisability,
  addInvalidity,
  addIsee,
  addResource,
  addSchoolRecord,
  changeCaseStatus,
  getCaseFile,
  recordSocialData,
  removeCaseResource,
  setTargetArea,
} from './case-file.service.ts';

describe('case file sections', () => {
  let w: CaseWorld;
  let caseFileId: string;
  beforeAll(async () => {
    w = await createCaseWorld();
    ({ caseFileId } = await openedCase(w));
  });
  afterAll(() => w.db.close());

  it('should keep the family and acquaintance network', async () => {
    const mother = await addResource(w.db, w.actors.worker, caseFileId, {
      kind: 'FAMILY',
      relationship: 'madre',
      name: 'Lucia Bianchi',
      cohabiting: true,
      caregiver: true,
    });
    const neighbour = await addResource(w.db, w.actors.worker, caseFileId, {
      kind: 'ACQUAINTANCE',
      relationship: 'vicina',
      name: 'Rita',
      phone: '075 000000',
    });
    await removeCaseResource(w.db, w.actors.worker, caseFileId, neighbour);
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(c.resources.map((r) => r.id)).toContain(mother);
    expect(c.resources.map((r) => r.id)).not.toContain(neighbour);
  });

  it('should keep social data with its reliability, the latest first', async () => {
    await recordSocialData(w.db, w.actors.worker, caseFileId, {
      domain: 'EDUCATION',
      code: '3',
      reliability: 'REPORTED',
      source: 'INTERVIEW',
      recordedOn: daysAgo(5),
    });
    await recordSocialData(w.db, w.actors.worker, caseFileId, {
      domain: 'EDUCATION',
      code: '5',
      reliability: 'VERIFIED',
      source: 'DOCUMENT',
      description: 'diploma visionato',
      recordedOn: daysAgo(1),
    });
    await recordSocialData(w.db, w.actors.worker, caseFileId, {
      domain: 'HOUSING',
      code: 'RENTED',
      reliability: 'VERIFIED',
      source: 'REGISTRY',
    });
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    const education = c.socialData.filter((s) => s.domain === 'EDUCATION');
    expect(education.map((s) => [s.code, s.label, s.reliability])).toEqual([
      ['5', 'diploma scuola superiore', 'VERIFIED'],
      ['3', 'licenza media', 'REPORTED'],
    ]);
    expect(c.socialData.find((s) => s.domain === 'HOUSING')).toMatchObject({
      code: 'RENTED',
      label: 'abitazione in affitto',
    });
  });

  it('should keep invalidity, disability, court measures, school, ISEE and notes, with neutral diary lines', async () => {
    await addInvalidity(w.db, w.actors.worker, caseFileId, {
      certification: '1',
      percentage: 80,
      evidence: '2',
    });
    await addDisability(w.db, w.actors.worker, caseFileId, {
      disabilityType: '1',
      law104Severe: true,
    });
    await addCourtMeasure(w.db, w.actors.worker, caseFileId, {
      courtBody: 'TMCivile',
      authority: '2',
      measureType: '5',
      parentalMeasure: '3',
      measureOn: daysAgo(40),
      reference: 'RG 123/2026',
    });
    await addSchoolRecord(w.db, w.actors.worker, caseFileId, {
      schoolYear: '2025/2026',
      schoolType: '6',
      supportTeacher: true,
    });
    await addIsee(w.db, w.actors.worker, caseFileId, {
      iseeType: 'ORDINARIO',
      iseeValue: 7321.4,
      dsuProtocol: 'INPS-ISEE-2026-00000001A-00',
      validFrom: daysAgo(60),
      validTo: daysAgo(-300),
    });
    await addCaseNote(w.db, w.actors.worker, caseFileId, { text: 'Da ricontattare dopo le ferie' });
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(c.invalidities).toMatchObject([{ certification: '1', percentage: 80, evidence: '2' }]);
    expect(c.disabilities).toMatchObject([{ disabilityType: '1', law104Severe: true }]);
    expect(c.courtMeasures).toMatchObject([
      { courtBody: 'TMCivile', measureType: '5', reference: 'RG 123/2026' },
    ]);
    expect(c.school).toMatchObject([
      { schoolYear: '2025/2026', schoolType: '6', supportTeacher: true },
    ]);
    expect(c.isee).toMatchObject([{ iseeValue: 7321.4, iseeType: 'ORDINARIO' }]);
    expect(c.notes[0]!.text).toBe('Da ricontattare dopo le ferie');
    // The diary says what was recorded, never the value of a sensitive group.
    const lines = c.diary.map((d) => d.text).join('\n');
    expect(lines).not.toContain('7321');
    expect(lines).not.toContain('RG 123');
  });

  it('should refuse an ISEE whose DSU protocol is not as INPS writes it, naming the field, nothing written', async () => {
    const count = async () =>
      (
        await w.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM case_isee WHERE case_file_id = $1',
          [caseFileId],
        )
      )[0]!.n;
    const before = await count();
    const err = await refusal(
      addIsee(w.db, w.actors.worker, caseFileId, {
        iseeType: 'ORDINARIO',
        iseeValue: 1000,
        dsuProtocol: 'INPS-ISEE-2026-000000001A-00',
        validFrom: daysAgo(10),
        validTo: daysAgo(-300),
      }),
    );
    expect(err.code).toBe('DSU_PROTOCOL_INVALID');
    expect(err.field).toBe('input.dsuProtocol');
    expect(await count()).toBe(before);
  });

  it.each([
    [
      'a social-data code of another domain',
      () =>
        recordSocialData(w.db, w.actors.worker, caseFileId, {
          domain: 'WORK',
          code: 'RENTED',
          reliability: 'REPORTED',
          source: 'INTERVIEW',
        }),
      'BAD_USER_INPUT',
      'input.code',
    ],
    [
      'an unknown reliability',
      () =>
        recordSocialData(w.db, w.actors.worker, caseFileId, {
          domain: 'WORK',
          code: '1',
          reliability: 'ALMOST' as 'REPORTED',
          source: 'INTERVIEW',
        }),
      'BAD_USER_INPUT',
      'input.reliability',
    ],
    [
      'an invalidity code outside InvCivType',
      () =>
        addInvalidity(w.db, w.actors.worker, caseFileId, {
          certification: '9' as '1',
          evidence: '1',
        }),
      'BAD_USER_INPUT',
      'input.certification',
    ],
    [
      'a court measure code outside SINBA',
      () =>
        addCourtMeasure(w.db, w.actors.worker, caseFileId, {
          courtBody: 'TO',
          measureType: '9',
          measureOn: daysAgo(1),
        }),
      'BAD_USER_INPUT',
      'input.measureType',
    ],
    [
      'a court measure ending before it starts',
      () =>
        addCourtMeasure(w.db, w.actors.worker, caseFileId, {
          courtBody: 'TO',
          measureOn: daysAgo(1),
          endedOn: daysAgo(2),
        }),
      'BAD_USER_INPUT',
      'input.endedOn',
    ],
    [
      'an ISEE expiring before it starts',
      () =>
        addIsee(w.db, w.actors.worker, caseFileId, {
          iseeType: 'ORDINARIO',
          iseeValue: 1,
          validFrom: daysAgo(1),
          validTo: daysAgo(2),
        }),
      'BAD_USER_INPUT',
      'input.validTo',
    ],
    [
      'a negative ISEE',
      () =>
        addIsee(w.db, w.actors.worker, caseFileId, {
          iseeType: 'ORDINARIO',
          iseeValue: -1,
          validFrom: daysAgo(1),
          validTo: daysAgo(0),
        }),
      'BAD_USER_INPUT',
      'input.iseeValue',
    ],
    [
      'a school year that is not one',
      () =>
        addSchoolRecord(w.db, w.actors.worker, caseFileId, {
          schoolYear: '2025/2027',
          schoolType: '5',
        }),
      'BAD_USER_INPUT',
      'input.schoolYear',
    ],
    [
      'an unknown target area',
      () => setTargetArea(w.db, w.actors.worker, caseFileId, { targetAreaCode: 'NOPE' }),
      'BAD_USER_INPUT',
      'input.targetAreaCode',
    ],
    [
      'an empty note',
      () => addCaseNote(w.db, w.actors.worker, caseFileId, { text: '  ' }),
      'BAD_USER_INPUT',
      'input.text',
    ],
  ] as const)('should refuse %s and save nothing', async (_label, call, code, field) => {
    const before = await caseCounts(w.db);
    const err = await refusal(call());
    expect([err.code, err.field]).toEqual([code, field]);
    expect(await caseCounts(w.db)).toEqual(before);
  });

  it('should change the target area', async () => {
    expect(
      (await setTargetArea(w.db, w.actors.worker, caseFileId, { targetAreaCode: 'ELD' }))
        .targetAreaCode,
    ).toBe('ELD');
  });

  it('should refuse new data on a closed case file', async () => {
    const { caseFileId: id } = await openedCase(w);
    await changeCaseStatus(w.db, w.actors.worker, id, { to: 'CLOSED', reason: 'fine' });
    const err = await refusal(addCaseNote(w.db, w.actors.worker, id, { text: 'tardi' }));
    expect(err.code).toBe('CONFLICT');
  });
});
