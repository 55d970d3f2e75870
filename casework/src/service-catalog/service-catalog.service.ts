import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { type Actor, hasRole } from '../access/actor.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { todayInRome } from '../time/today.ts';
import {
  closeServiceVersion,
  insertCustomNeed,
  insertCustomService,
  regionExists,
  type StandardServiceRow,
  searchServices as searchServicesRows,
  selectNeed,
  selectNeeds,
  selectNeedsValidOn,
  selectOverlappingVersions,
  selectServiceById,
  selectServicesValidOn,
  selectServiceVersions,
  upsertStandardNeeds,
  upsertStandardServices,
} from './service-catalog.store.ts';
import {
  type AddCustomNeedInput,
  type AddCustomServiceInput,
  addCustomNeedInput,
  addCustomServiceInput,
  type CatalogLoadResult,
  NEED_SCHEMES,
  type NeedCode,
  type ReviseCustomServiceInput,
  reviseCustomServiceInput,
  SERVICE_SCHEMES,
  type SearchServicesInput,
  type ServiceCatalogEntry,
  searchServicesInput,
} from './service-catalog.types.ts';

const NOMENCLATORE_DIR = new URL('../../data/reference/nomenclatore/', import.meta.url);
const FILE_NOTE = 'casework/data/reference/nomenclatore/';

const inpsRow = z.object({
  code: z.string().regex(/^[A-Z][0-9]\.[0-9]{2}$/),
  macro_area: z.string().min(1),
  title: z.string().min(1),
  description: z.string(),
  scheme: z.string().min(1),
  source: z.string().min(1),
  confirmed_by: z.string(),
});
const istatServiceRow = z.object({
  istatdata_code: z.string().regex(/^[A-Z]+$/),
  label: z.string().min(1),
  source: z.string().min(1),
});
const targetAreaRow = z.object({
  scheme: z.string().min(1),
  code: z.string(),
  label: z.string().min(1),
  source: z.string().min(1),
});

async function readCsv<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readFile(new URL(file, NOMENCLATORE_DIR), 'utf8');
  const records: unknown[] = parse(text, { columns: true, skip_empty_lines: true, trim: true });
  return records.map((record, i) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success) throw new Error(`${file}, record ${i + 1}: ${parsed.error.message}`);
    return parsed.data;
  });
}

// IstatData aggregates: they classify services or users but name no service or need of a person.
const ISTAT_SERVICE_AGGREGATES = new Set(['ALL']);
const ISTAT_AREA_NOT_A_NEED = new Set(['MULBEN', 'TOT']);

/**
 * Loads the sourced service codes and need codes from `casework/data/reference/nomenclatore`
 * (see its README: the CISIS nomenclatore itself could not be sourced). Every row keeps its
 * source. Idempotent: a second run refreshes titles and sources and adds nothing.
 */
export async function loadServiceCatalog(db: Db): Promise<CatalogLoadResult> {
  const inps = await readCsv('inps-isee-prestazione-da-erogare.csv', inpsRow);
  const istat = await readCsv('istat-service-categories-partial.csv', istatServiceRow);
  const areas = await readCsv('target-areas.csv', targetAreaRow);

  const services: StandardServiceRow[] = [
    ...inps.map((r) => ({
      scheme: SERVICE_SCHEMES.INPS,
      code: r.code,
      title: r.title,
      description: r.description || null,
      // The prefix only: no source names these groups.
      category: r.macro_area,
      requestable: true,
      source: r.source,
      sourceNote: [r.scheme, r.confirmed_by && `confirmed by ${r.confirmed_by}`, FILE_NOTE]
        .filter(Boolean)
        .join('; '),
    })),
    ...istat.map((r) => ({
      scheme: SERVICE_SCHEMES.ISTAT,
      code: r.istatdata_code,
      title: r.label,
      description: null,
      category: null,
      requestable: !ISTAT_SERVICE_AGGREGATES.has(r.istatdata_code),
      source: r.source,
      sourceNote: `IstatData CATEGORY_OF_SERVICE (partial list); ${FILE_NOTE}`,
    })),
  ];
  const needs = areas
    .filter(
      (r) => r.scheme === 'IstatData CATEG_OF_BENEFICIARIES' && !ISTAT_AREA_NOT_A_NEED.has(r.code),
    )
    .map((r) => ({
      code: r.code,
      label: r.label,
      scheme: NEED_SCHEMES.ISTAT_AREA,
      source: r.source,
    }));

  await db.transaction(async (tx) => {
    await upsertStandardServices(tx, services);
    await upsertStandardNeeds(tx, needs);
  });
  return { services: services.length, needs: needs.length };
}

const today = () => todayInRome();

function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(['input', ...issue.path].join('.'), issue.message);
  }
  return parsed.data;
}

/** Searches the catalog by code or words (all must match), valid on a day (default today). */
export async function searchServiceCatalog(
  q: Queryable,
  raw: SearchServicesInput = {},
): Promise<ServiceCatalogEntry[]> {
  const input = parseInput(searchServicesInput, raw);
  return searchServicesRows(q, {
    words: (input.text ?? '').split(/\s+/).filter((w) => w.length > 0),
    validOn: input.includeAllVersions ? null : (input.validOn ?? today()),
    scheme: input.scheme ?? null,
    category: input.category ?? null,
    requestableOnly: input.requestableOnly,
    limit: input.limit,
  });
}

/** The version of `code` valid on `day`, or null when the code is unknown or not valid then. */
export async function getServiceByCode(
  q: Queryable,
  code: string,
  day: string = today(),
): Promise<ServiceCatalogEntry | null> {
  return (await selectServicesValidOn(q, [code], day)).get(code) ?? null;
}

export async function listServiceVersions(
  q: Queryable,
  code: string,
): Promise<ServiceCatalogEntry[]> {
  return selectServiceVersions(q, code);
}

/**
 * Resolves requested service codes for a record of `day`: refuses a code the catalog does not
 * hold on that day (UNKNOWN_SERVICE_CODE) or one that cannot be requested. `fieldOf(i)` names the
 * input field of the i-th code.
 */
export async function resolveRequestableServices(
  q: Queryable,
  codes: string[],
  day: string,
  fieldOf: (index: number) => string,
): Promise<Map<string, ServiceCatalogEntry>> {
  const found = await selectServicesValidOn(q, [...new Set(codes)], day);
  codes.forEach((code, i) => {
    const entry = found.get(code);
    if (!entry) {
      throw new CaseworkError(
        'UNKNOWN_SERVICE_CODE',
        `il codice di servizio ${code} non è nel nomenclatore valido al ${day}`,
        fieldOf(i),
      );
    }
    if (!entry.requestable) {
      throw new CaseworkError(
        'UNKNOWN_SERVICE_CODE',
        `il codice ${code} è una voce di raggruppamento del nomenclatore e non può essere richiesto`,
        fieldOf(i),
      );
    }
  });
  return found;
}

export async function listNeedCodes(
  q: Queryable,
  validOn: string | null = null,
): Promise<NeedCode[]> {
  return selectNeeds(q, validOn);
}

/** Refuses need codes not valid on `day` with UNKNOWN_NEED_CODE. */
export async function assertNeedCodes(
  q: Queryable,
  codes: string[],
  day: string,
  fieldOf: (index: number) => string,
): Promise<void> {
  const known = await selectNeedsValidOn(q, [...new Set(codes)], day);
  codes.forEach((code, i) => {
    if (!known.has(code)) {
      throw new CaseworkError(
        'UNKNOWN_NEED_CODE',
        `il codice di bisogno ${code} non è tra quelli validi al ${day}`,
        fieldOf(i),
      );
    }
  });
}

function requireAdministrator(actor: Actor): void {
  if (actor.kind !== 'SYSTEM' && !hasRole(actor, 'ADMINISTRATOR')) {
    throw new CaseworkError(
      'FORBIDDEN',
      'solo un amministratore può aggiungere codici regionali al nomenclatore',
    );
  }
}

const sourceOf = (actor: Actor, regionCode: string) =>
  `regional custom code, region ${regionCode}, added by ${
    actor.kind === 'OPERATOR' ? actor.username : actor.kind === 'CLIENT' ? actor.clientId : actor.id
  }`;

async function withDenialAudit<T>(
  db: Db,
  actor: Actor,
  entity: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CaseworkError && err.code === 'FORBIDDEN') {
      await db.transaction((tx) =>
        audit(tx, actor, { action: 'CREATE', entity, outcome: 'DENIED', reason: err.message }),
      );
    }
    throw err;
  }
}

/**
 * Adds a regional custom service code (ADMINISTRATOR only). It must map to a standard code valid
 * when it starts, and its code must not clash with any code valid in the same period.
 */
export async function addCustomServiceCode(
  db: Db,
  actor: Actor,
  raw: AddCustomServiceInput,
): Promise<ServiceCatalogEntry> {
  return withDenialAudit(db, actor, 'ServiceCatalog', async () => {
    requireAdministrator(actor);
    const input = parseInput(addCustomServiceInput, raw);
    if (input.validFrom && input.validTo && input.validTo <= input.validFrom) {
      throw badInput('input.validTo', 'la fine di validità deve seguire l’inizio');
    }
    return db.transaction(async (tx) => {
      if (!(await regionExists(tx, input.regionCode))) {
        throw badInput('input.regionCode', `regione ${input.regionCode} sconosciuta`);
      }
      const target = await standardTarget(
        tx,
        input.mapsToCode,
        input.validFrom ?? today(),
        'input.mapsToCode',
      );
      const clash = await selectOverlappingVersions(
        tx,
        input.code,
        input.validFrom ?? null,
        input.validTo ?? null,
      );
      if (clash.length > 0) {
        throw new CaseworkError(
          'CONFLICT',
          `il codice ${input.code} esiste già nello stesso periodo`,
          'input.code',
        );
      }
      const id = await insertCustomService(tx, {
        code: input.code,
        version: 1,
        title: input.title,
        description: input.description ?? null,
        category: input.category ?? target.category,
        parentCode: input.parentCode ?? null,
        validFrom: input.validFrom ?? null,
        validTo: input.validTo ?? null,
        source: sourceOf(actor, input.regionCode),
        regionCode: input.regionCode,
        mapsToId: target.id,
        createdBy: actor.kind === 'OPERATOR' ? actor.id : null,
      });
      await audit(tx, actor, {
        action: 'CREATE',
        entity: 'ServiceCatalog',
        entityId: id,
        outcome: 'OK',
        details: { code: input.code, mapsTo: input.mapsToCode },
      });
      return (await selectServiceById(tx, id))!;
    });
  });
}

/**
 * Starts a new version of a regional custom code on `validFrom`: the version valid the day before
 * ends there. Standard codes change only by loading a newer source file.
 */
export async function reviseCustomServiceCode(
  db: Db,
  actor: Actor,
  raw: ReviseCustomServiceInput,
): Promise<ServiceCatalogEntry> {
  return withDenialAudit(db, actor, 'ServiceCatalog', async () => {
    requireAdministrator(actor);
    const input = parseInput(reviseCustomServiceInput, raw);
    return db.transaction(async (tx) => {
      const versions = await selectServiceVersions(tx, input.code);
      const current = versions.find(
        (v) =>
          (v.validFrom === null || v.validFrom < input.validFrom) &&
          (v.validTo === null || v.validTo > input.validFrom),
      );
      if (!current)
        throw new CaseworkError(
          'NOT_FOUND',
          `nessuna versione di ${input.code} da rivedere`,
          'input.code',
        );
      if (current.scheme !== SERVICE_SCHEMES.CUSTOM) {
        throw new CaseworkError(
          'FORBIDDEN',
          `${input.code} è un codice standard: cambia solo caricando la fonte`,
          'input.code',
        );
      }
      if (versions.some((v) => v.validFrom !== null && v.validFrom >= input.validFrom)) {
        throw new CaseworkError(
          'CONFLICT',
          `esiste già una versione di ${input.code} dal ${input.validFrom} in poi`,
          'input.validFrom',
        );
      }
      const target = input.mapsToCode
        ? await standardTarget(tx, input.mapsToCode, input.validFrom, 'input.mapsToCode')
        : {
            id: (await selectServicesValidOn(tx, [current.mapsToCode!], input.validFrom)).get(
              current.mapsToCode!,
            )?.id,
          };
      if (!target.id)
        throw badInput(
          'input.mapsToCode',
          `il codice standard ${current.mapsToCode} non è valido al ${input.validFrom}`,
        );
      await closeServiceVersion(tx, current.id, input.validFrom);
      const id = await insertCustomService(tx, {
        code: input.code,
        version: Math.max(...versions.map((v) => v.version)) + 1,
        title: input.title,
        description: input.description ?? null,
        category: current.category,
        parentCode: current.parentCode,
        validFrom: input.validFrom,
        validTo: current.validTo,
        source: sourceOf(actor, current.regionCode!),
        regionCode: current.regionCode!,
        mapsToId: target.id,
        createdBy: actor.kind === 'OPERATOR' ? actor.id : null,
      });
      await audit(tx, actor, {
        action: 'UPDATE',
        entity: 'ServiceCatalog',
        entityId: id,
        outcome: 'OK',
        details: { code: input.code },
      });
      return (await selectServiceById(tx, id))!;
    });
  });
}

async function standardTarget(q: Queryable, code: string, day: string, field: string) {
  const target = await getServiceByCode(q, code, day);
  if (!target)
    throw new CaseworkError(
      'UNKNOWN_SERVICE_CODE',
      `il codice standard ${code} non è valido al ${day}`,
      field,
    );
  if (target.scheme === SERVICE_SCHEMES.CUSTOM) {
    throw badInput(
      field,
      'un codice regionale deve corrispondere a un codice standard, non a un altro codice regionale',
    );
  }
  return target;
}

/** Adds a regional need code refining a sourced one (ADMINISTRATOR only). */
export async function addCustomNeedCode(
  db: Db,
  actor: Actor,
  raw: AddCustomNeedInput,
): Promise<NeedCode> {
  return withDenialAudit(db, actor, 'NeedCode', async () => {
    requireAdministrator(actor);
    const input = parseInput(addCustomNeedInput, raw);
    return db.transaction(async (tx) => {
      if (!(await regionExists(tx, input.regionCode))) {
        throw badInput('input.regionCode', `regione ${input.regionCode} sconosciuta`);
      }
      const parent = await selectNeed(tx, input.parentCode);
      if (!parent || parent.scheme === NEED_SCHEMES.CUSTOM) {
        throw new CaseworkError(
          'UNKNOWN_NEED_CODE',
          `il bisogno standard ${input.parentCode} non esiste`,
          'input.parentCode',
        );
      }
      const added = await insertCustomNeed(tx, {
        code: input.code,
        label: input.label,
        parentCode: input.parentCode,
        regionCode: input.regionCode,
        validFrom: input.validFrom ?? null,
        validTo: input.validTo ?? null,
        source: sourceOf(actor, input.regionCode),
        createdBy: actor.kind === 'OPERATOR' ? actor.id : null,
      });
      if (!added)
        throw new CaseworkError('CONFLICT', `il codice ${input.code} esiste già`, 'input.code');
      await audit(tx, actor, {
        action: 'CREATE',
        entity: 'NeedCode',
        entityId: input.code,
        outcome: 'OK',
      });
      return (await selectNeed(tx, input.code))!;
    });
  });
}
