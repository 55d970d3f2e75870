import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM_ACTOR } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import {
  addCustomNeedCode,
  addCustomServiceCode,
  getServiceByCode,
  listNeedCodes,
  listServiceVersions,
  loadServiceCatalog,
  resolveRequestableServices,
  reviseCustomServiceCode,
  searchServiceCatalog,
} from './service-catalog.service.ts';

const origin = { ip: '127.0.0.1', userAgent: 'vitest' };
const ORG = '00000000-0000-4000-8000-0000000000aa';
const operator = (role: 'ADMINISTRATOR' | 'FRONT_DESK'): Actor => ({
  kind: 'OPERATOR',
  id: '00000000-0000-4000-8000-000000000001',
  username: role === 'ADMINISTRATOR' ? 'admin.test' : 'sportello.test',
  memberships: [
    { officeId: ORG, organizationId: ORG, role, contactPointId: null, maskedGroups: [] },
  ],
  organizationIds: [ORG],
  origin,
});

describe('service catalog', () => {
  let db: Db;
  let admin: Actor;
  beforeAll(async () => {
    db = await createTestDb();
    await db.query(`INSERT INTO region (code, name) VALUES ('10', 'Umbria')`);
    const [op] = await db.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ('admin.test', 'Admin', 'x') RETURNING id`,
    );
    admin = { ...operator('ADMINISTRATOR'), id: op!.id } as Actor;
  });
  afterAll(() => db.close());

  it('should load every sourced row once, with its source, however often it runs', async () => {
    const first = await loadServiceCatalog(db);
    expect(first).toEqual({ services: 36 + 15, needs: 6 });
    await loadServiceCatalog(db);
    const [counts] = await db.query<{ s: number; n: number; unsourced: number }>(
      `SELECT (SELECT count(*)::int FROM service_catalog) AS s, (SELECT count(*)::int FROM need_code) AS n,
              (SELECT count(*)::int FROM service_catalog WHERE source NOT LIKE 'github:%' AND source NOT LIKE 'third-party%') AS unsourced`,
    );
    expect(counts).toEqual({ s: 51, n: 6, unsourced: 0 });
    const a207 = await getServiceByCode(db, 'A2.07', '2025-03-01');
    expect(a207).toMatchObject({
      scheme: 'INPS_PRESTAZIONE_DA_EROGARE',
      title: 'Assistenza domiciliare socio-assistenziale',
      category: 'A2',
      validFrom: null,
      validTo: null,
    });
    expect(a207!.source).toContain('lsantalu/OpenMSP');
    // A title with a comma inside quotes is read whole.
    expect((await getServiceByCode(db, 'A2.05'))!.title).toBe(
      'Agevolazioni per i servizi di pubblica utilità (telefono, luce, gas)',
    );
  });

  it.each([
    ['code', 'A1.05', ['A1.05']],
    ['code prefix first', 'A3', ['A3.01', 'A3.02', 'A3.03']],
    [
      'words in any order, without accents',
      'domiciliare assistenza',
      ['A2.07', 'A2.08', 'HOMECARE', 'HOMEHEALTH', 'OTHERHOME'],
    ],
    ['accented words', 'prossimità', ['PROXIM']],
  ])('should search by %s', async (_case, text, codes) => {
    const found = await searchServiceCatalog(db, { text, validOn: '2025-01-01' });
    expect(found.map((s) => s.code).sort()).toEqual([...codes].sort());
  });

  it('should refuse an unknown or non-requestable code with UNKNOWN_SERVICE_CODE on the field', async () => {
    await expect(
      resolveRequestableServices(
        db,
        ['A2.07', 'ZZ.99'],
        '2025-01-01',
        (i) => `input.services.${i}.code`,
      ),
    ).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE_CODE', field: 'input.services.1.code' });
    await expect(
      resolveRequestableServices(db, ['ALL'], '2025-01-01', (i) => `input.services.${i}.code`),
    ).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE_CODE', field: 'input.services.0.code' });
  });

  it('should let an administrator add a regional code mapped to a standard one, valid by date', async () => {
    const custom = await addCustomServiceCode(db, admin, {
      code: 'UMB.SAD.01',
      title: 'Servizio di aiuto domestico per anziani soli',
      mapsToCode: 'A2.07',
      regionCode: '10',
      validFrom: '2024-01-01',
    });
    expect(custom).toMatchObject({
      scheme: 'REGIONAL_CUSTOM',
      mapsToCode: 'A2.07',
      category: 'A2',
      version: 1,
    });
    expect(custom.source).toContain('admin.test');
    expect(await getServiceByCode(db, 'UMB.SAD.01', '2023-12-31')).toBeNull();
    expect(
      (await searchServiceCatalog(db, { text: 'aiuto domestico', validOn: '2024-06-01' })).map(
        (s) => s.code,
      ),
    ).toEqual(['UMB.SAD.01']);

    const revised = await reviseCustomServiceCode(db, admin, {
      code: 'UMB.SAD.01',
      validFrom: '2025-01-01',
      title: 'Aiuto domestico per anziani soli e persone fragili',
    });
    expect(revised).toMatchObject({
      version: 2,
      validFrom: '2025-01-01',
      validTo: null,
      mapsToCode: 'A2.07',
    });
    expect((await getServiceByCode(db, 'UMB.SAD.01', '2024-12-31'))!.version).toBe(1);
    expect((await getServiceByCode(db, 'UMB.SAD.01', '2025-01-01'))!.version).toBe(2);
    expect(
      (await listServiceVersions(db, 'UMB.SAD.01')).map((v) => [v.version, v.validFrom, v.validTo]),
    ).toEqual([
      [1, '2024-01-01', '2025-01-01'],
      [2, '2025-01-01', null],
    ]);
  });

  it('should refuse a regional code that clashes with a standard one or maps to nothing', async () => {
    await expect(
      addCustomServiceCode(db, admin, {
        code: 'A2.07',
        title: 'x',
        mapsToCode: 'A2.07',
        regionCode: '10',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    await expect(
      addCustomServiceCode(db, admin, {
        code: 'UMB.X',
        title: 'x',
        mapsToCode: 'NOPE',
        regionCode: '10',
      }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE_CODE', field: 'input.mapsToCode' });
    await expect(
      addCustomServiceCode(db, admin, {
        code: 'UMB.Y',
        title: 'x',
        mapsToCode: 'UMB.SAD.01',
        regionCode: '10',
      }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.mapsToCode' });
  });

  it('should refuse custom codes from anyone but an administrator, and audit the denial', async () => {
    await expect(
      addCustomServiceCode(db, operator('FRONT_DESK'), {
        code: 'UMB.Z',
        title: 'x',
        mapsToCode: 'A2.07',
        regionCode: '10',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const rows = await db.query(
      `SELECT 1 FROM audit_log WHERE actor_id = 'sportello.test' AND outcome = 'DENIED' AND entity = 'ServiceCatalog'`,
    );
    expect(rows).toHaveLength(1);
    expect(await getServiceByCode(db, 'UMB.Z')).toBeNull();
  });

  it('should add a regional need under a sourced ISTAT area', async () => {
    const need = await addCustomNeedCode(db, SYSTEM_ACTOR, {
      code: 'POV.CASA',
      label: 'Emergenza abitativa',
      parentCode: 'POV',
      regionCode: '10',
    });
    expect(need).toMatchObject({ scheme: 'REGIONAL_CUSTOM', parentCode: 'POV' });
    expect((await listNeedCodes(db)).map((n) => n.code)).toEqual([
      'ADD',
      'DIS',
      'ELD',
      'FAM',
      'IMMNOM',
      'POV',
      'POV.CASA',
    ]);
    await expect(
      addCustomNeedCode(db, SYSTEM_ACTOR, {
        code: 'X.Y',
        label: 'x',
        parentCode: 'POV.CASA',
        regionCode: '10',
      }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_NEED_CODE', field: 'input.parentCode' });
  });
});
