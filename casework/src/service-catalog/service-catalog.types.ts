import { z } from 'zod';

/** Schemes of the codes we load from a cited source, plus the regional custom codes. */
export const SERVICE_SCHEMES = {
  /** INPS "PrestazioneDaErogare" (ISEE e-service): A1.xx, A2.xx, A3.xx, Z9.99. */
  INPS: 'INPS_PRESTAZIONE_DA_EROGARE',
  /** IstatData CATEGORY_OF_SERVICE labels (partial list). */
  ISTAT: 'ISTATDATA_CATEGORY_OF_SERVICE',
  CUSTOM: 'REGIONAL_CUSTOM',
} as const;

/**
 * The standard services whose very name is health data: they say the person receives care with
 * health services (INPS A1.10 "a rilevanza sanitaria", A2.08 A.D.I.; ISTAT HOMEHEALTH, HEALTHV
 * "buono socio-sanitario"). Masked with HEALTH like the health needs (issue 8, defect 4); a
 * regional code is health data when the standard code it maps to is.
 */
export const HEALTH_SERVICE_CODES: readonly string[] = ['A1.10', 'A2.08', 'HOMEHEALTH', 'HEALTHV'];

export const NEED_SCHEMES = {
  /** IstatData CATEG_OF_BENEFICIARIES: the ISTAT areas of users, the only sourced need coding. */
  ISTAT_AREA: 'ISTATDATA_CATEG_OF_BENEFICIARIES',
  CUSTOM: 'REGIONAL_CUSTOM',
} as const;

export type ServiceCatalogEntry = {
  id: string;
  scheme: string;
  code: string;
  version: number;
  title: string;
  description: string | null;
  category: string | null;
  parentCode: string | null;
  requestable: boolean;
  /** null: no known start (the public sources give no dates). */
  validFrom: string | null;
  /** Exclusive end; null: still valid. */
  validTo: string | null;
  source: string;
  sourceNote: string | null;
  regionCode: string | null;
  /** For a regional custom code: the standard code it maps to. */
  mapsToCode: string | null;
};

export type NeedCode = {
  code: string;
  label: string;
  scheme: string;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  source: string;
  regionCode: string | null;
};

export type CatalogLoadResult = { services: number; needs: number };

const isoDate = z.iso.date({ error: 'data non valida (AAAA-MM-GG)' });
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'codice non valido (lettere, cifre, . _ -; max 32)');

export const searchServicesInput = z
  .object({
    /** Words or a code; every word must appear (code, title, description, category). */
    text: z.string().trim().max(200).nullish(),
    /** Only codes valid on this day (default: today). */
    validOn: isoDate.nullish(),
    /** Also return expired and future versions. */
    includeAllVersions: z.boolean().default(false),
    scheme: z.string().nullish(),
    category: z.string().nullish(),
    requestableOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type SearchServicesInput = z.input<typeof searchServicesInput>;

export const addCustomServiceInput = z
  .object({
    code,
    title: z.string().trim().min(1).max(300),
    description: z.string().trim().max(2000).nullish(),
    /** The standard (sourced) code this regional code maps to. */
    mapsToCode: code,
    regionCode: z.string().trim().min(1).max(4),
    parentCode: code.nullish(),
    category: z.string().trim().max(40).nullish(),
    validFrom: isoDate.nullish(),
    validTo: isoDate.nullish(),
  })
  .strict();
export type AddCustomServiceInput = z.input<typeof addCustomServiceInput>;

export const reviseCustomServiceInput = z
  .object({
    code,
    /** The day the new version starts; the current version ends that day. */
    validFrom: isoDate,
    title: z.string().trim().min(1).max(300),
    description: z.string().trim().max(2000).nullish(),
    mapsToCode: code.nullish(),
  })
  .strict();
export type ReviseCustomServiceInput = z.input<typeof reviseCustomServiceInput>;

export const addCustomNeedInput = z
  .object({
    code,
    label: z.string().trim().min(1).max(200),
    /** The sourced need (ISTAT area) it refines. */
    parentCode: code,
    regionCode: z.string().trim().min(1).max(4),
    validFrom: isoDate.nullish(),
    validTo: isoDate.nullish(),
  })
  .strict();
export type AddCustomNeedInput = z.input<typeof addCustomNeedInput>;
