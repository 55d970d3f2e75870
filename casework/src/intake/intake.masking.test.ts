import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../testing/refusal.ts';
import { citizenInput, createIntakeWorld, type IntakeWorld, rowCounts } from './intake.fixtures.ts';
import {
  createIntakeRecord,
  duplicateIntakeRecord,
  getIntakeRecord,
  listIntakeExportRows,
  searchIntakeRecords,
  updateIntakeRecord,
} from './intake.service.ts';

// Issue 8, defect 4: the needs dipendenze (ADD) and disabili (DIS) are health data. A desk that
// masks health (the immigrant desk, the URP) neither sees them (record, list, search, export)
// nor writes them; the standard desk and the social worker see them.

describe('health needs at a desk that masks health', () => {
  let w: IntakeWorld;
  let id: string;
  beforeAll(async () => {
    w = await createIntakeWorld();
    id = (
      await createIntakeRecord(
        w.db,
        w.actors.frontDeskPg,
        citizenInput({
          needs: [
            { code: 'ADD', notes: 'in carico al SerD' },
            { code: 'DIS', notes: 'invalidità al 100%' },
            { code: 'POV', notes: 'sfratto' },
          ],
        }),
      )
    ).id;
  });
  afterAll(() => w.db.close());

  const codesIn = async (actor: IntakeWorld['actors'][keyof IntakeWorld['actors']]) => {
    const page = await searchIntakeRecords(w.db, actor, { first: 100 });
    return page.items.find((r) => r.id === id)?.needCodes;
  };

  it('should show the health needs to a desk that does not mask health', async () => {
    const seen = await getIntakeRecord(w.db, w.actors.frontDeskPg, id);
    expect(seen.needs.map((n) => [n.code, n.sensitiveGroup])).toEqual([
      ['ADD', 'HEALTH'],
      ['DIS', 'HEALTH'],
      ['POV', null],
    ]);
    expect(await codesIn(w.actors.frontDeskPg)).toEqual(['ADD', 'DIS', 'POV']);
    expect(await codesIn(w.actors.socialWorkerPg)).toEqual(['ADD', 'DIS', 'POV']);
  });

  it('should leave the health needs, code and notes, out of the record', async () => {
    for (const desk of [w.actors.immigrantDeskPg, w.actors.publicDeskPg]) {
      const seen = await getIntakeRecord(w.db, desk, id);
      expect(seen.needs.map((n) => n.code)).toEqual(['POV']);
      expect(seen.maskedFields).toContain('needs.HEALTH');
      expect(JSON.stringify(seen)).not.toMatch(/SerD|invalidità|dipendenze|disabili/);
    }
  });

  it('should leave them out of the list, the search and the export', async () => {
    expect(await codesIn(w.actors.immigrantDeskPg)).toEqual(['POV']);
    const exported = await listIntakeExportRows(w.db, w.actors.immigrantDeskPg, {});
    expect(exported.find((r) => r.id === id)?.needCodes).toEqual(['POV']);
    // A partner without the health scope sees no health need either.
    const partner = w.client(['intake:read']);
    const page = await searchIntakeRecords(w.db, partner, { first: 100 });
    expect(page.items.find((r) => r.id === id)?.needCodes).toEqual(['POV']);
    const withHealth = w.client(['intake:read', 'sensitive:health']);
    expect((await getIntakeRecord(w.db, withHealth, id)).needs).toHaveLength(3);
  });

  it('should refuse a search on a health need, audited, telling nothing', async () => {
    const err = await refusal(
      searchIntakeRecords(w.db, w.actors.immigrantDeskPg, { needCode: 'ADD' }),
    );
    expect([err.code, err.field]).toEqual(['FORBIDDEN', 'input.needCode']);
    expect(err.message).not.toContain('ADD');
    const exportErr = await refusal(
      listIntakeExportRows(w.db, w.actors.immigrantDeskPg, { needCode: 'DIS' }),
    );
    expect([exportErr.code, exportErr.field]).toEqual(['FORBIDDEN', 'input.needCode']);
    const [row] = await w.db.query<{ action: string; details: { field: string } }>(
      `SELECT action, details FROM audit_log WHERE actor_id = $1 AND outcome = 'DENIED'
        ORDER BY id DESC LIMIT 1`,
      [w.actors.immigrantDeskPg.username],
    );
    expect(row).toEqual({ action: 'EXPORT', details: { field: 'input.needCode' } });
    // The standard desk filters on it.
    const page = await searchIntakeRecords(w.db, w.actors.frontDeskPg, { needCode: 'ADD' });
    expect(page.items.map((r) => r.id)).toContain(id);
  });

  it('should refuse to write a health need, the store unchanged', async () => {
    const before = await rowCounts(w.db);
    const created = await refusal(
      createIntakeRecord(
        w.db,
        w.actors.immigrantDeskPg,
        citizenInput({ needs: [{ code: 'POV' }, { code: 'DIS' }] }),
      ),
    );
    expect([created.code, created.field]).toEqual(['FORBIDDEN', 'input.needs.1.code']);
    const updated = await refusal(
      updateIntakeRecord(w.db, w.actors.immigrantDeskPg, id, { needs: [{ code: 'ADD' }] }),
    );
    expect([updated.code, updated.field]).toEqual(['FORBIDDEN', 'input.needs.0.code']);
    expect(await rowCounts(w.db)).toEqual(before);
  });

  it('should keep the health needs it masks when the desk replaces the needs it sees', async () => {
    const updated = await updateIntakeRecord(w.db, w.actors.immigrantDeskPg, id, {
      needs: [{ code: 'POV', notes: 'sfratto esecutivo' }, { code: 'FAM' }],
    });
    expect(updated.needs.map((n) => n.code)).toEqual(['FAM', 'POV']);
    const full = await getIntakeRecord(w.db, w.actors.frontDeskPg, id);
    expect(full.needs.map((n) => [n.code, n.notes])).toEqual([
      ['ADD', 'in carico al SerD'],
      ['DIS', 'invalidità al 100%'],
      ['FAM', null],
      ['POV', 'sfratto esecutivo'],
    ]);
  });

  it('should copy the masked needs in a duplicate without showing them', async () => {
    const copy = await duplicateIntakeRecord(w.db, w.actors.immigrantDeskPg, id);
    expect(copy.needs.map((n) => n.code)).toEqual(['FAM', 'POV']);
    expect(
      (await getIntakeRecord(w.db, w.actors.frontDeskPg, copy.id)).needs.map((n) => n.code),
    ).toEqual(['ADD', 'DIS', 'FAM', 'POV']);
  });
});
