import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseWorld, createCaseWorld, openedCase } from '../case-file/case-file.fixtures.ts';
import { getCaseFile } from '../case-file/case-file.service.ts';
import { addIseeFromInps, type InpsIseeIndicator } from '../case-file/case-sections.service.ts';

let w: CaseWorld;
let caseFileId: string;
beforeAll(async () => {
  w = await createCaseWorld();
  ({ caseFileId } = await openedCase(w));
});
afterAll(() => w.db.close());

const indicator: InpsIseeIndicator = {
  type: 'Ordinario',
  isee: 18834.51,
  ise: 38422.4,
  dsuProtocol: 'INPS-ISEE-2026-68498060O-80',
  presentedOn: '2026-01-14',
  source: { counterpart: 'INPS', requestId: 1042, retrievedAt: '2026-12-02T09:00:00.000Z' },
};

describe('an ISEE read from INPS into the case file', () => {
  it('should be stored with its source, request id and date, valid to the end of its year', async () => {
    const id = await addIseeFromInps(w.db, w.actors.worker, caseFileId, indicator);
    const [row] = await w.db.query(
      `SELECT isee_type, isee_value::float8 AS v, dsu_protocol, valid_from::text AS f, valid_to::text AS t, source, inps_request_id, retrieved_at IS NOT NULL AS has_date
       FROM case_isee WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({
      isee_type: 'ORDINARIO',
      v: 18834.51,
      dsu_protocol: 'INPS-ISEE-2026-68498060O-80',
      f: '2026-01-14',
      t: '2026-12-31',
      source: 'INPS',
      inps_request_id: 1042,
      has_date: true,
    });
    const full = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(full.isee.map((i) => i.iseeValue)).toContain(18834.51);
  });

  it('should refuse an operator who may not write the case file, and a type the case file has no place for', async () => {
    await expect(
      addIseeFromInps(w.db, w.actors.otherOrgWorker, caseFileId, indicator),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      addIseeFromInps(w.db, w.actors.worker, caseFileId, { ...indicator, type: 'Dottorato' }),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'indicator.type',
    });
  });
});
