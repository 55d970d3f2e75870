import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Db } from '../db/db.ts';
import {
  upsertForeignCountries,
  upsertMunicipalities,
  upsertRegion,
  upsertSocialDistricts,
} from './territory.store.ts';
import {
  type ForeignCountry,
  type TerritoryLoadResult,
  UMBRIA_REGION_CODE,
} from './territory.types.ts';

const REFERENCE_DIR = new URL('../../data/reference/', import.meta.url);

const municipalityRow = z.object({
  istat_code: z.string().regex(/^[0-9]{6}$/),
  name: z.string().min(1),
  province: z.enum(['PG', 'TR']),
  cadastral_code: z.string().regex(/^[A-Z][0-9]{3}$/),
  social_district: z.coerce.number().int().min(1).max(12),
  social_district_lead: z.string().min(1),
  population: z.coerce.number().int().nonnegative(),
});

const foreignCountryRow = z.object({
  belfiore_code: z.string().regex(/^Z[0-9]{3}$/),
  name: z.string().min(1),
  name_istat: z.string(),
  iso3166_alpha3: z.string(),
  istat_code: z.string(),
});

async function readCsv<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readFile(new URL(file, REFERENCE_DIR), 'utf8');
  const records: unknown[] = parse(text, { columns: true, skip_empty_lines: true, trim: true });
  return records.map((record, i) => {
    const parsed = schema.safeParse(record);
    // Line i + 2: the header is line 1.
    if (!parsed.success) throw new Error(`${file}, line ${i + 2}: ${parsed.error.message}`);
    return parsed.data;
  });
}

export const districtName = (number: number, lead: string) => `Zona sociale ${number} – ${lead}`;

/**
 * Loads Regione Umbria's territory (region, 12 zone sociali, 92 municipalities) and the foreign
 * countries of the codice fiscale from `casework/data/reference`, in one transaction. Running it
 * again changes nothing unless the reference files changed.
 */
export async function loadTerritory(db: Db): Promise<TerritoryLoadResult> {
  const municipalities = await readCsv('umbria-municipalities.csv', municipalityRow);
  const countries = await readCsv('belfiore-foreign-countries.csv', foreignCountryRow);

  const districts = new Map<number, { number: number; name: string; leadMunicipality: string }>();
  for (const m of municipalities) {
    const known = districts.get(m.social_district);
    if (known && known.leadMunicipality !== m.social_district_lead) {
      throw new Error(
        `umbria-municipalities.csv: zona sociale ${m.social_district} has two lead municipalities`,
      );
    }
    districts.set(m.social_district, {
      number: m.social_district,
      name: districtName(m.social_district, m.social_district_lead),
      leadMunicipality: m.social_district_lead,
    });
  }
  const foreign: ForeignCountry[] = countries.map((c) => ({
    belfioreCode: c.belfiore_code,
    name: c.name_istat || c.name,
    iso3: c.iso3166_alpha3 || null,
    istatCode: c.istat_code || null,
  }));

  return db.transaction(async (tx) => {
    await upsertRegion(tx, UMBRIA_REGION_CODE, 'Umbria');
    const districtIds = await upsertSocialDistricts(
      tx,
      UMBRIA_REGION_CODE,
      [...districts.values()].sort((a, b) => a.number - b.number),
    );
    await upsertMunicipalities(
      tx,
      municipalities.map((m) => ({
        istatCode: m.istat_code,
        name: m.name,
        province: m.province,
        cadastralCode: m.cadastral_code,
        socialDistrictId: districtIds.get(m.social_district) ?? null,
        population: m.population,
      })),
    );
    await upsertForeignCountries(tx, foreign);
    return {
      socialDistricts: districts.size,
      municipalities: municipalities.length,
      foreignCountries: foreign.length,
    };
  });
}
