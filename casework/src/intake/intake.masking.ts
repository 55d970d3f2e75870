import { type Actor, maskedGroupsOf } from '../access/actor.ts';
import type { Queryable } from '../db/db.ts';
import { CaseworkError } from '../errors.ts';
import { selectHealthNeedCodes } from './intake.store.ts';
import { type IntakeListItem, type IntakeRecord, SENSITIVE_FIELDS } from './intake.types.ts';

/**
 * Removes the fields of the groups masked at the actor's desk: they are set to null and named
 * in maskedFields, so that no API layer can send them by mistake.
 */
export function maskIntakeRecord(
  actor: Actor,
  record: Omit<IntakeRecord, 'maskedFields'>,
): IntakeRecord {
  const masked: IntakeRecord = {
    ...record,
    social: { ...record.social },
    foreignCitizen: { ...record.foreignCitizen },
    diary: record.diary.map((e) => ({ ...e })),
    maskedFields: [],
  };
  const groups = maskedGroupsOf(actor);
  for (const group of groups) {
    for (const path of SENSITIVE_FIELDS[group]) {
      const [part, field] = path.split('.') as ['social' | 'foreignCitizen', string];
      (masked[part] as Record<string, unknown>)[field] = null;
      masked.maskedFields.push(path);
    }
  }
  for (const entry of masked.diary) {
    if (entry.sensitiveGroup && groups.has(entry.sensitiveGroup)) {
      entry.text = null;
      masked.maskedFields.push(`diary.${entry.id}.text`);
    }
  }
  // Health needs (dipendenze, disabili) are absent, code and notes, and named whether or not the
  // record has one, so that the list of masked fields tells nothing.
  masked.needs = record.needs.filter((n) => !(n.sensitiveGroup && groups.has(n.sensitiveGroup)));
  if (groups.has('HEALTH')) masked.maskedFields.push('needs.HEALTH');
  return masked;
}

/**
 * A desk that masks health neither writes nor filters on a health need: FORBIDDEN, naming the
 * field (the message carries no code).
 */
export async function assertHealthNeedsAllowed(
  q: Queryable,
  actor: Actor,
  codes: readonly string[],
  field: (i: number) => string,
): Promise<void> {
  if (codes.length === 0 || !maskedGroupsOf(actor).has('HEALTH')) return;
  const health = await selectHealthNeedCodes(q);
  const i = codes.findIndex((c) => health.has(c));
  if (i >= 0) {
    throw new CaseworkError(
      'FORBIDDEN',
      'il bisogno è riservato: non visibile né modificabile da questo sportello',
      field(i),
    );
  }
}

/** The list rows without the need codes of the groups the actor's desk masks. */
export async function maskListItems<T extends IntakeListItem>(
  q: Queryable,
  actor: Actor,
  rows: T[],
): Promise<T[]> {
  if (!maskedGroupsOf(actor).has('HEALTH')) return rows;
  const health = await selectHealthNeedCodes(q);
  return rows.map((r) => ({ ...r, needCodes: r.needCodes.filter((c) => !health.has(c)) }));
}
