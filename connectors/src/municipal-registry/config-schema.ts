import { z } from 'zod';

/**
 * A municipal registry download in the flat format municipal software vendors export for SISO
 * (seed 002 §4.2). The format itself is not published: the defaults below are our reading of
 * it (README, "What was assumed"), and every part of it is configuration: separator, encoding,
 * date format, and the header name of each field.
 */
export const RESIDENT_FIELDS = [
  'taxCode',
  'lastName',
  'firstName',
  'sex',
  'birthDate',
  'birthMunicipalityIstat',
  'birthCountryCode',
  'citizenship',
  'familyCode',
  'relationToHead',
  'residenceIstat',
  'address',
  'houseNumber',
  'postcode',
  'residenceSince',
  'registryStatus',
  'deathDate',
  'changedOn',
] as const;

export type ResidentField = (typeof RESIDENT_FIELDS)[number];

export const DEFAULT_COLUMNS: Record<ResidentField, string> = {
  taxCode: 'CODICE_FISCALE',
  lastName: 'COGNOME',
  firstName: 'NOME',
  sex: 'SESSO',
  birthDate: 'DATA_NASCITA',
  birthMunicipalityIstat: 'COD_ISTAT_COMUNE_NASCITA',
  birthCountryCode: 'COD_STATO_NASCITA',
  citizenship: 'CITTADINANZA',
  familyCode: 'COD_FAMIGLIA',
  relationToHead: 'RAPPORTO_PARENTELA',
  residenceIstat: 'COD_ISTAT_COMUNE_RESIDENZA',
  address: 'INDIRIZZO',
  houseNumber: 'CIVICO',
  postcode: 'CAP',
  residenceSince: 'DATA_DECORRENZA_RESIDENZA',
  registryStatus: 'STATO_ANAGRAFE',
  deathDate: 'DATA_DECESSO',
  changedOn: 'DATA_VARIAZIONE',
};

export const registryDownloadSchema = z.object({
  separator: z.string().length(1).default(';'),
  encoding: z.enum(['utf8', 'latin1']).default('utf8'),
  dateFormat: z.enum(['DD/MM/YYYY', 'YYYY-MM-DD', 'YYYYMMDD']).default('DD/MM/YYYY'),
  /** Header name of each field, where the vendor's differ from the defaults. */
  columns: z.partialRecord(z.enum(RESIDENT_FIELDS), z.string().min(1)).default({}),
  /** ISTAT codes of the municipalities whose residents the download may hold. */
  municipalities: z.array(z.string().regex(/^\d{6}$/, 'a 6-digit ISTAT code')).min(1),
  batchSize: z.number().int().min(1).max(100_000).default(5000),
  /** Rows listed one by one in the report; beyond this only counted. */
  maxReportedErrors: z.number().int().min(0).default(10_000),
});

export type RegistryDownloadConfig = z.output<typeof registryDownloadSchema>;
export type RegistryDownloadConfigInput = z.input<typeof registryDownloadSchema>;
