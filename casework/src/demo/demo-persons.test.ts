import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTaxCode } from '../tax-code/tax-code.ts';
import {
  DEMO_PERSON,
  DEMO_PERSON_TERNI,
  demoPersonAt,
  demoTerritory,
  ORIGINS,
} from './demo-persons.ts';
import { mulberry32 } from './prng.ts';

// The reference CSV, read directly: these tests need no store.
const csv = readFileSync(
  new URL('../../data/reference/umbria-municipalities.csv', import.meta.url),
  'utf8',
);
const municipalities = csv
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [istatCode, , , cadastralCode, , , , population] = line.split(',');
    return { istatCode: istatCode!, cadastralCode: cadastralCode!, population: Number(population) };
  });
const territory = demoTerritory(municipalities);
const sample = (seed: number, n: number) =>
  Array.from({ length: n }, (_, i) => demoPersonAt(territory, seed, i));

describe('mulberry32', () => {
  it('should give the same sequence for the same state and another for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('demoPersonAt', () => {
  it('should be a pure function of seed and index', () => {
    expect(sample(7, 50)).toEqual(sample(7, 50));
    // Person 30 does not depend on persons 0..29.
    expect(demoPersonAt(territory, 7, 30)).toEqual(sample(7, 31)[30]);
    expect(sample(8, 50).map((p) => p.id)).not.toEqual(sample(7, 50).map((p) => p.id));
    expect(sample(8, 50).map((p) => p.lastName)).not.toEqual(sample(7, 50).map((p) => p.lastName));
  });

  it('should spread residents in proportion to population', () => {
    const persons = sample(1, 2000);
    const count = (istat: string) =>
      persons.filter((p) => p.residenceMunicipality === istat).length;
    // Perugia 164,057 and Terni 109,255 of 865,013 residents.
    expect(count('054039')).toBeGreaterThan(2000 * 0.17);
    expect(count('054039')).toBeLessThan(2000 * 0.21);
    expect(count('055032')).toBeGreaterThan(2000 * 0.11);
    expect(count('055032')).toBeLessThan(2000 * 0.14);
    // Poggiodomo, 94 residents, gets almost nobody.
    expect(count('054042')).toBeLessThanOrEqual(1);
  });

  it('should give about 10% of persons a foreign birthplace, with permits only for non-EU citizens', () => {
    const persons = sample(3, 3000);
    const abroad = persons.filter((p) => p.birthPlaceCode.startsWith('Z'));
    expect(abroad.length / persons.length).toBeGreaterThan(0.07);
    expect(abroad.length / persons.length).toBeLessThan(0.13);
    const codes = new Set(ORIGINS.map((o) => o.code));
    for (const p of abroad) expect(codes.has(p.birthPlaceCode)).toBe(true);
    const eu = new Set(ORIGINS.filter((o) => o.eu).map((o) => o.iso3));
    for (const p of persons) {
      const needsPermit = p.citizenship !== 'ITA' && !eu.has(p.citizenship);
      expect(p.permitType !== null, `${p.index} ${p.citizenship}`).toBe(needsPermit);
      expect(p.permitExpiry !== null).toBe(needsPermit);
    }
    expect(abroad.some((p) => p.citizenship === 'ITA')).toBe(true);
    // Those born in Italy were born in Umbria, mostly in their own municipality.
    const cadastral = new Set(municipalities.map((m) => m.cadastralCode));
    const native = persons.filter((p) => !p.birthPlaceCode.startsWith('Z'));
    for (const p of native) expect(cadastral.has(p.birthPlaceCode)).toBe(true);
    const own = native.filter(
      (p) =>
        municipalities.find((m) => m.istatCode === p.residenceMunicipality)?.cadastralCode ===
        p.birthPlaceCode,
    );
    expect(own.length / native.length).toBeGreaterThan(0.6);
  });

  it('should spread ages over minors, adults and the elderly', () => {
    const persons = sample(4, 2000);
    const age = (p: { birthDate: string }) => 2026 - Number(p.birthDate.slice(0, 4));
    const share = (f: (a: number) => boolean) =>
      persons.filter((p) => f(age(p))).length / persons.length;
    expect(share((a) => a < 18)).toBeGreaterThan(0.08);
    expect(share((a) => a >= 18 && a < 65)).toBeGreaterThan(0.45);
    expect(share((a) => a >= 65)).toBeGreaterThan(0.2);
    // No one so old that the two-digit year of the codice fiscale becomes ambiguous.
    expect(Math.min(...persons.map((p) => Number(p.birthDate.slice(0, 4))))).toBeGreaterThan(1926);
    expect(persons.every((p) => p.birthDate < '2026-01-01')).toBe(true);
    expect(persons.every((p) => p.registeredAt.slice(0, 10) >= p.birthDate)).toBe(true);
  });

  it('should record where each field came from', () => {
    const persons = sample(5, 500);
    const sources = new Set(persons.map((p) => p.fieldSources.taxCode));
    expect(sources).toEqual(new Set(['ANPR', 'MUNICIPAL_REGISTRY', 'TYPED']));
    for (const p of persons) {
      expect(p.fieldSources.phone === 'TYPED').toBe(p.phone !== null);
      expect(p.fieldSources.permitType === 'TYPED').toBe(p.permitType !== null);
    }
  });
});

describe('fixed demo persons', () => {
  it('should carry a valid codice fiscale matching their data', () => {
    expect(DEMO_PERSON).toMatchObject({
      firstName: 'Maria',
      lastName: 'Bianchi',
      birthDate: '1948-03-12',
    });
    // Computed by hand: BNC (Bianchi) MRA (Maria) 48 C (March) 52 (12 + 40, a woman) G478 (Perugia) H.
    expect(DEMO_PERSON.taxCode).toBe('BNCMRA48C52G478H');
    expect(DEMO_PERSON_TERNI.taxCode).toBe('FRRGPP61L22L117O');
    const decoded = parseTaxCode(DEMO_PERSON_TERNI.taxCode);
    expect(decoded.ok && decoded.value).toMatchObject({
      sex: 'M',
      birthPlaceCode: 'L117',
      birthDay: 22,
    });
  });
});
