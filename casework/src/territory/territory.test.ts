import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { createTestDb } from '../db/test-db.ts';
import { loadTerritory } from './territory.service.ts';
import { findMunicipality, municipalityByCadastral } from './territory.store.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.close());

// xmin changes when a row is rewritten, even with the same values: "nothing changed" means no write.
const snapshot = async () => ({
  region: await db.query('SELECT xmin::text, * FROM region ORDER BY code'),
  districts: await db.query('SELECT xmin::text, * FROM social_district ORDER BY id'),
  municipalities: await db.query('SELECT xmin::text, * FROM municipality ORDER BY istat_code'),
  countries: await db.query('SELECT xmin::text, * FROM foreign_country ORDER BY belfiore_code'),
});

describe('loadTerritory', () => {
  it('should load Umbria: 92 municipalities (59 PG, 33 TR) in 12 zone sociali', async () => {
    const result = await loadTerritory(db);
    expect(result).toEqual({ socialDistricts: 12, municipalities: 92, foreignCountries: 208 });
    expect(await db.query('SELECT code, name FROM region')).toEqual([
      { code: '10', name: 'Umbria' },
    ]);
    const byProvince = await db.query<{ province: string; n: number }>(
      'SELECT province, count(*)::int AS n FROM municipality GROUP BY province ORDER BY province',
    );
    expect(byProvince).toEqual([
      { province: 'PG', n: 59 },
      { province: 'TR', n: 33 },
    ]);
    const districts = await db.query<{ number: number; name: string; n: number }>(
      `SELECT d.number, d.name, count(m.*)::int AS n FROM social_district d
       JOIN municipality m ON m.social_district_id = d.id GROUP BY d.id ORDER BY d.number`,
    );
    expect(districts.map((d) => d.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(districts[1]).toEqual({ number: 2, name: 'Zona sociale 2 – Perugia', n: 3 });
    expect(districts[9]?.name).toBe('Zona sociale 10 – Terni');
    const missing = await db.query(
      'SELECT istat_code FROM municipality WHERE social_district_id IS NULL',
    );
    expect(missing).toEqual([]);
  });

  it('should find municipalities by ISTAT and by cadastral code', async () => {
    expect(await findMunicipality(db, '054039')).toEqual({
      istatCode: '054039',
      name: 'Perugia',
      province: 'PG',
      cadastralCode: 'G478',
      socialDistrictId: expect.any(Number),
      socialDistrictNumber: 2,
      population: 164057,
    });
    expect(await findMunicipality(db, '055032')).toMatchObject({
      name: 'Terni',
      province: 'TR',
      cadastralCode: 'L117',
      socialDistrictNumber: 10,
    });
    expect(await municipalityByCadastral(db, 'l117')).toMatchObject({ istatCode: '055032' });
    expect(await municipalityByCadastral(db, 'G478')).toMatchObject({ istatCode: '054039' });
  });

  it('should return null for codes outside Umbria', async () => {
    // Roma: ISTAT 058091, cadastral H501.
    expect(await findMunicipality(db, '058091')).toBeNull();
    expect(await municipalityByCadastral(db, 'H501')).toBeNull();
  });

  it('should load the foreign countries with their Z codes', async () => {
    const rows = await db.query(
      `SELECT belfiore_code AS code, name, iso3 FROM foreign_country
       WHERE belfiore_code IN ('Z100', 'Z129') ORDER BY 1`,
    );
    expect(rows).toEqual([
      { code: 'Z100', name: 'Albania', iso3: 'ALB' },
      { code: 'Z129', name: 'Romania', iso3: 'ROU' },
    ]);
  });

  it('should change nothing when run a second time', async () => {
    const before = await snapshot();
    await loadTerritory(db);
    expect(await snapshot()).toEqual(before);
  });

  it('should restore a row edited since the last load', async () => {
    await db.query(`UPDATE municipality SET population = 1 WHERE istat_code = '054039'`);
    await loadTerritory(db);
    expect((await findMunicipality(db, '054039'))?.population).toBe(164057);
  });
});
