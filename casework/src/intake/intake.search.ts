import type { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { type AuditScope, auditedCheck, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput } from '../errors.ts';
import { findPersonByTaxCode, normalizeTaxCode, searchPersons } from '../persons/person.service.ts';
import type { Person } from '../persons/person.types.ts';
import { ENTITY, requireRead, run } from './intake.access.ts';
import { assertHealthNeedsAllowed, maskListItems } from './intake.masking.ts';
import { type Cursor, searchIntakeRows, selectPersonIdsByLastName } from './intake.store.ts';
import {
  ACCESS_KIND_LABELS,
  CHANNEL_LABELS,
  type IntakeListItem,
  type IntakePage,
  type IntakeStatus,
  OUTCOME_LABELS,
  type SearchIntakeInput,
  STATUS_LABELS,
  searchIntakeInput,
} from './intake.types.ts';
import { parse } from './intake.util.ts';

const EXPORT_MAX_ROWS = 10_000;

const encodeCursor = (c: Cursor) =>
  Buffer.from(`${c.occurredAt.toISOString()}|${c.id}`).toString('base64url');

function decodeCursor(raw: string): Cursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const occurredAt = new Date(at ?? '');
  if (!id || Number.isNaN(occurredAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw badInput('input.after', 'cursore non valido');
  }
  return { occurredAt, id };
}

/** A selective name prefix is resolved to its persons first (the planner then uses the
 *  subject index); a broad one stays a subquery, cheap to check while walking newest first. */
const NAME_PREFIX_MAX_PERSONS = 2000;
async function personsByLastName(
  q: Queryable,
  prefix: string | null | undefined,
): Promise<string[] | null> {
  if (!prefix) return null;
  const ids = await selectPersonIdsByLastName(q, prefix, NAME_PREFIX_MAX_PERSONS + 1);
  return ids.length > NAME_PREFIX_MAX_PERSONS ? null : ids;
}

function visibleOrganizations(actor: Actor): string[] | null {
  return actor.kind === 'SYSTEM' ? null : actor.organizationIds;
}

/** The rows a search or an export asks for, among the records the actor may see. */
async function filteredRows(
  tx: Queryable,
  actor: Actor,
  filter: z.output<typeof searchIntakeInput>,
  page: { limit: number; cursor: Cursor | null },
) {
  if (filter.needCode)
    await assertHealthNeedsAllowed(tx, actor, [filter.needCode], () => 'input.needCode');
  const taxCode = filter.subjectTaxCode
    ? normalizeTaxCode(filter.subjectTaxCode, 'input.subjectTaxCode')
    : null;
  const rows = await searchIntakeRows(tx, {
    ...filter,
    subjectTaxCode: taxCode,
    subjectPersonIds: await personsByLastName(tx, filter.subjectLastName),
    organizationIds: visibleOrganizations(actor),
    ...page,
  });
  return { rows, taxCode };
}

/**
 * Searches the records the actor may see, newest first, `first` at a time (keyset cursor in
 * nextCursor). The list carries no sensitive field. Audited as one SEARCH with its filter.
 */
export async function searchIntakeRecords(
  db: Db,
  actor: Actor,
  raw: SearchIntakeInput = {},
): Promise<IntakePage> {
  const scope: AuditScope = { action: 'SEARCH', entity: ENTITY, entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireRead(actor);
    const filter = parse(searchIntakeInput, raw);
    const { rows, taxCode } = await filteredRows(tx, actor, filter, {
      limit: filter.first + 1,
      cursor: filter.after ? decodeCursor(filter.after) : null,
    });
    const items = await maskListItems(tx, actor, rows.slice(0, filter.first));
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > filter.first && last
        ? encodeCursor({ occurredAt: last.occurredAt, id: last.id })
        : null;
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: ENTITY,
      personId: taxCode || filter.subjectPersonId ? (items[0]?.subjectPersonId ?? null) : null,
      outcome: 'OK',
      details: { filter: filterSummary(filter), results: items.length },
    });
    return { items, nextCursor };
  });
}

// The audit keeps which filters were used, not the identifying values.
function filterSummary(filter: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === null || v === undefined || k === 'after') continue;
    out[k] = k === 'subjectTaxCode' || k === 'subjectLastName' ? '***' : v;
  }
  return out;
}

export type IntakeExportRow = IntakeListItem & {
  accessKindLabel: string;
  channelLabel: string;
  statusLabel: string;
  outcomeLabel: string | null;
};

/**
 * The rows of the exported list (xlsx, CSV), at most 10,000, newest first: the same filter as the
 * search, no sensitive field. Audited as one EXPORT.
 */
export async function listIntakeExportRows(
  db: Db,
  actor: Actor,
  raw: Omit<SearchIntakeInput, 'first' | 'after'> = {},
  opts: { maxRows?: number } = {},
): Promise<IntakeExportRow[]> {
  const scope: AuditScope = { action: 'EXPORT', entity: ENTITY, entityId: null, personId: null };
  return run(db, actor, scope, async (tx) => {
    requireRead(actor);
    const filter = parse(searchIntakeInput, { ...raw, first: 1 });
    const { rows } = await filteredRows(tx, actor, filter, {
      limit: Math.min(opts.maxRows ?? EXPORT_MAX_ROWS, EXPORT_MAX_ROWS),
      cursor: null,
    });
    await audit(tx, actor, {
      action: 'EXPORT',
      entity: ENTITY,
      outcome: 'OK',
      details: { filter: filterSummary(filter), rows: rows.length },
    });
    return (await maskListItems(tx, actor, rows)).map((r) => ({
      ...r,
      accessKindLabel: ACCESS_KIND_LABELS[r.accessKind],
      channelLabel: CHANNEL_LABELS[r.channel],
      statusLabel: STATUS_LABELS[r.status as IntakeStatus],
      outcomeLabel: r.outcome ? OUTCOME_LABELS[r.outcome] : null,
    }));
  });
}

/**
 * Registry look-up for the desk: by codice fiscale, or by last name (and first name). The local
 * registry answers; the registry connector will be asked first when it exists.
 */
export async function findIntakeSubjects(
  db: Db,
  actor: Actor,
  query: {
    taxCode?: string | null | undefined;
    lastName?: string | null | undefined;
    firstName?: string | null | undefined;
  },
): Promise<Person[]> {
  // The desk's look-up is for operators; partner systems use personByTaxCode with persons:read.
  await auditedCheck(
    db,
    actor,
    { action: 'SEARCH', entity: 'Person', entityId: null, personId: null },
    () => {
      if (actor.kind !== 'CLIENT') return;
      throw new Refusal('FORBIDDEN', 'la ricerca dello sportello è riservata agli operatori', {
        action: 'SEARCH',
        entity: 'Person',
        reason: 'intakeSubjects is for operators',
      });
    },
  );
  if (query.taxCode) {
    const person = await findPersonByTaxCode(db, actor, query.taxCode);
    return person ? [person] : [];
  }
  if (!query.lastName) throw badInput('lastName', 'indicare il codice fiscale o il cognome');
  return searchPersons(db, actor, { lastName: query.lastName, firstName: query.firstName ?? null });
}
