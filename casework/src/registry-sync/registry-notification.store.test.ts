import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseWorld } from '../case-file/case-file.fixtures.ts';
import {
  createRegistryNotificationStore,
  unreadChangeNotices,
} from './registry-notification.store.ts';
import { createNotifiedWorld, deathOf, residenceChange } from './registry-sync.fixtures.ts';

let w: CaseWorld;
let taxCode: string;
let personId: string;
let caseFileId: string;
beforeAll(async () => {
  ({ w, taxCode, personId, caseFileId } = await createNotifiedWorld({
    firstName: 'Anna',
    lastName: 'Notificata',
    birthDate: '1950-04-10',
  }));
});
afterAll(() => w.db.close());

const moved = (id: string, eventDate: string, address: string) =>
  residenceChange(taxCode, id, eventDate, { address });

describe('registry notifications in the store', () => {
  it('should update the residence with ANPR as its source and tell the case operators, once', async () => {
    const store = createRegistryNotificationStore(w.db);
    let after = 0;
    expect(
      await store.processOnce(moved('NOT1', '2026-11-20', 'VIA NUOVA 3'), async () => void after++),
    ).toBe(true);
    expect(
      await store.processOnce(moved('NOT1', '2026-11-20', 'VIA NUOVA 3'), async () => void after++),
    ).toBe(false);
    expect(after).toBe(1);
    const [p] = await w.db.query<{ m: string; a: string; s: Record<string, string> }>(
      `SELECT residence_municipality AS m, residence_address AS a, field_sources AS s FROM person WHERE id = $1`,
      [personId],
    );
    expect(p).toMatchObject({
      m: '054012',
      a: 'VIA NUOVA 3 06073',
      s: { residenceMunicipality: 'ANPR', residenceAddress: 'ANPR' },
    });
    const notices = await unreadChangeNotices(w.db, w.actors.worker.id);
    expect(notices).toEqual([
      expect.objectContaining({
        caseFileId,
        personId,
        kind: 'CAMBIO_RESIDENZA',
        summary: 'Cambio di residenza dal 20/11/2026: VIA NUOVA 3, CORCIANO',
      }),
    ]);
    // One notice on the case file, not one per operator: those enabled later read it too.
    const rows = await w.db.query<{ caseFileId: string }>(
      `SELECT case_file_id AS "caseFileId" FROM person_change_notice WHERE notification_id = 'NOT1'`,
    );
    expect(rows).toEqual([{ caseFileId }]);
    expect(await unreadChangeNotices(w.db, w.actors.colleague.id)).toEqual([]);
  });

  it('should record a late change without applying it over a newer one', async () => {
    const store = createRegistryNotificationStore(w.db);
    expect(
      await store.processOnce(moved('NOT0', '2026-10-01', 'VIA VECCHIA 1'), async () => undefined),
    ).toBe(true);
    const [p] = await w.db.query<{ a: string }>(
      `SELECT residence_address AS a FROM person WHERE id = $1`,
      [personId],
    );
    expect(p!.a).toBe('VIA NUOVA 3 06073');
    const [n] = await w.db.query<{ applied: boolean; stale: boolean }>(
      `SELECT applied, stale FROM registry_notification WHERE id = 'NOT0'`,
    );
    expect(n).toEqual({ applied: false, stale: true });
  });

  it('should record a death, and leave alone a person the hub does not have', async () => {
    const store = createRegistryNotificationStore(w.db);
    await store.processOnce(deathOf(taxCode, 'NOT2', '2026-11-25'), async () => undefined);
    const [p] = await w.db.query<{ d: string }>(
      `SELECT death_date::text AS d FROM person WHERE id = $1`,
      [personId],
    );
    expect(p!.d).toBe('2026-11-25');
    await store.processOnce(
      deathOf('RSSMRA80A01H501U', 'NOT3', '2026-11-25'),
      async () => undefined,
    );
    const [n] = await w.db.query<{ applied: boolean; person_id: string | null }>(
      `SELECT applied, person_id FROM registry_notification WHERE id = 'NOT3'`,
    );
    expect(n).toEqual({ applied: false, person_id: null });
  });

  it('should keep where the feed stands, never going back', async () => {
    const store = createRegistryNotificationStore(w.db);
    expect(await store.lastOperationId()).toBe(0);
    await store.setLastOperationId(7);
    await store.setLastOperationId(5);
    expect(await store.lastOperationId()).toBe(7);
  });
});
