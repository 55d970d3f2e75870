import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CaseWorld, createCaseWorld, openedCase } from '../case-file/case-file.fixtures.ts';
import { addDiaryEntry } from '../case-file/dossier/dossier.service.ts';
import { birthDateOf, computeTaxCode, parseTaxCode } from '../tax-code/tax-code.ts';
import { refusal } from '../testing/refusal.ts';
import { shiftDay } from './today.ts';

// The date rules count days in Rome: at 23:30 UTC it is already tomorrow in Italy (00:30 in
// winter, 01:30 in summer), and a diary entry dated tomorrow-in-UTC is dated today.
describe('date rules around midnight in Rome', () => {
  let w: CaseWorld;
  let caseFileId: string;
  beforeAll(async () => {
    w = await createCaseWorld();
    ({ caseFileId } = await openedCase(w));
  });
  afterAll(() => w.db.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should accept an entry dated today in Rome when UTC is still on the day before', async () => {
    const utcDay = new Date().toISOString().slice(0, 10);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(`${utcDay}T23:30:00Z`));
    const romeToday = shiftDay(utcDay, 1);
    const entry = await addDiaryEntry(w.db, w.actors.worker, caseFileId, {
      type: 'NOTE',
      on: romeToday,
      text: 'Telefonata appena dopo la mezzanotte',
    });
    expect(entry.on).toBe(romeToday);
    const refused = await refusal(
      addDiaryEntry(w.db, w.actors.worker, caseFileId, {
        type: 'NOTE',
        on: shiftDay(utcDay, 2),
        text: 'Domani',
      }),
    );
    expect(refused.code).toBe('FUTURE_DATE');
  });

  it("should take a codice fiscale's century from the year in Rome on New Year's Eve", () => {
    const code = computeTaxCode({
      firstName: 'Anna',
      lastName: 'Bianchi',
      sex: 'F',
      birthDate: '2027-01-01',
      birthPlaceCode: 'G478',
    });
    const r = parseTaxCode(code);
    if (!r.ok) throw new Error('invalid test code');
    // 23:30 UTC on 31 December 2026 is 00:30 on 1 January 2027 in Rome: born today, not in 1927.
    expect(birthDateOf(r.value, new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(birthDateOf(r.value, new Date('2026-12-31T22:30:00Z'))).toBe('1927-01-01');
  });
});
