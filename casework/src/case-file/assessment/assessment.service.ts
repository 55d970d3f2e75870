// Multidimensional assessments (valutazioni multidimensionali): SInBA for minors and SINA for the
// elderly and disabled, stored with the attributes and codes of INPS's schemas so that they can be
// sent to SIUSS as they are; the Barthel index computed from its ten items.
import { createHash } from 'node:crypto';
import { type Actor, maskedGroupsOf, type SensitiveGroup } from '../../access/actor.ts';
import type { Db } from '../../db/db.ts';
import { badInput, CaseworkError } from '../../errors.ts';
import { auditCaseRead, auditCaseWrite, authorizeCase, operatorIdOf } from '../case-file.access.ts';
import { refuseMaskedWrite } from '../case-file.masking.ts';
import { inTransaction, parseInput, today } from '../case-file.util.ts';
import { insertDiaryEntry } from '../dossier/dossier.store.ts';
import { DIARY_TYPE } from '../dossier/dossier.types.ts';
import {
  insertAssessment,
  selectAssessments,
  selectPersonForAssessment,
} from './assessment.store.ts';
import {
  type Assessment,
  type AssessmentInput,
  assessmentEnvelope,
  SCHEMA_VERSIONS,
} from './assessment.types.ts';
import { BARTHEL_BANDS, computeBarthel } from './barthel.ts';
import {
  SINA_ECONOMIC,
  SINA_HEALTH,
  SINBA_ECONOMIC,
  SINBA_HEALTH,
  SINBA_JUDICIAL,
  sinaSchema,
  sinbaAgeBand,
  sinbaInputSchema,
  sinbaSchema,
} from './siuss-zod.ts';

/** The attributes of each sensitive group, per kind (a Barthel is health data as a whole). */
const GROUP_ATTRIBUTES: Record<'SINBA' | 'SINA', [SensitiveGroup, readonly string[]][]> = {
  SINBA: [
    ['JUDICIAL', SINBA_JUDICIAL],
    ['HEALTH', SINBA_HEALTH],
    ['ECONOMIC', SINBA_ECONOMIC],
  ],
  SINA: [
    ['HEALTH', SINA_HEALTH],
    ['ECONOMIC', SINA_ECONOMIC],
  ],
};

/**
 * Removes the attributes of the groups the actor's desk masks. A Barthel scale is a health
 * assessment: at a desk that masks health its items, score, band and notes are removed.
 */
export function maskAssessment(actor: Actor, a: Assessment): Assessment {
  const masked = maskedGroupsOf(actor);
  if (masked.size === 0) return a;
  if (a.kind === 'BARTHEL') {
    if (!masked.has('HEALTH')) return a;
    return {
      ...a,
      data: {},
      score: null,
      scoreBand: null,
      notes: null,
      maskedFields: [...a.maskedFields, 'data', 'score', 'scoreBand', 'notes'],
    };
  }
  const data = { ...(a.data as Record<string, unknown>) };
  const maskedFields = [...a.maskedFields];
  for (const [group, fields] of GROUP_ATTRIBUTES[a.kind]) {
    if (!masked.has(group)) continue;
    for (const f of fields) {
      if (f in data) {
        delete data[f];
        maskedFields.push(`data.${f}`);
      }
    }
  }
  return { ...a, data, maskedFields };
}

/**
 * The assessments an actor receives in a list: masked, and without the Barthel scales at a desk
 * that masks health (absent, as the case file's other health sections are).
 */
export function visibleAssessments(actor: Actor, list: Assessment[]): Assessment[] {
  const withoutBarthel = maskedGroupsOf(actor).has('HEALTH');
  return list
    .filter((a) => !(withoutBarthel && a.kind === 'BARTHEL'))
    .map((a) => maskAssessment(actor, a));
}

/** The first input path of a group the actor's desk masks: a desk does not write what it masks. */
function maskedInput(
  actor: Actor,
  kind: Assessment['kind'],
  data: Record<string, unknown> | null | undefined,
): { group: SensitiveGroup; field: string } | null {
  const masked = maskedGroupsOf(actor);
  if (kind === 'BARTHEL')
    return masked.has('HEALTH') ? { group: 'HEALTH', field: 'input.kind' } : null;
  for (const [group, fields] of GROUP_ATTRIBUTES[kind]) {
    if (!masked.has(group)) continue;
    const f = fields.find((x) => data && x in data);
    if (f) return { group, field: `input.data.${f}` };
  }
  return null;
}

function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Fills the SINBA attributes that come from the person (birth year, age band, residence, the
 * beneficiary id) when the social worker left them out. INPS's rule for IDBeneficiario is not in
 * the schemas we hold: we use the first 20 hex digits of the SHA-256 of the codice fiscale (or of
 * the person id), stable and not reversible by reading it.
 */
function deriveSinba(
  data: Record<string, unknown>,
  person: {
    taxCode: string | null;
    birthDate: string | null;
    regionCode: string | null;
    residenceKnown: boolean;
  },
  personId: string,
  assessedOn: string,
): Record<string, unknown> {
  const out = { ...data };
  if (person.birthDate) {
    const age = ageOn(person.birthDate, assessedOn);
    if (age >= 18) throw badInput('input.kind', 'la valutazione SInBA riguarda i minori');
    out['AnnoNascita'] ??= person.birthDate.slice(0, 4);
    out['FasciaEtaBeneficiario'] ??= sinbaAgeBand(age);
  }
  out['IDBeneficiario'] ??= createHash('sha256')
    .update(person.taxCode ?? personId)
    .digest('hex')
    .slice(0, 20)
    .toUpperCase();
  if (person.residenceKnown) {
    // 380: Italy, as INPS's flows code the country of residence.
    out['CodiceNazioneResidenza'] ??= '380';
    if (person.regionCode) out['CodiceRegioneResidenza'] ??= person.regionCode;
  }
  return out;
}

/** Records an assessment; SINBA and SINA data are checked against INPS's schemas. */
export async function recordAssessment(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: AssessmentInput,
): Promise<Assessment> {
  const input = parseInput(assessmentEnvelope, raw);
  if (input.assessedOn > today()) {
    throw new CaseworkError(
      'FUTURE_DATE',
      'la data della valutazione è nel futuro',
      'input.assessedOn',
    );
  }
  let barthel: ReturnType<typeof computeBarthel> | null = null;
  if (input.kind === 'BARTHEL') {
    if (input.data) throw badInput('input.data', 'la scheda Barthel si compila con items');
    barthel = computeBarthel(input.items ?? {}, 'input.items');
  } else {
    if (input.items) throw badInput('input.items', 'items è solo per la scheda Barthel');
    if (!input.data) throw badInput('input.data', 'mancano i dati della valutazione');
    // The shape is checked before the case is read; derived attributes are filled in below.
    parseInput(input.kind === 'SINBA' ? sinbaInputSchema : sinaSchema, input.data, 'input.data');
  }
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'Assessment');
    if (c instanceof CaseworkError) return c;
    const masked = maskedInput(actor, input.kind, input.data);
    if (masked) {
      const refused = await refuseMaskedWrite(
        tx,
        actor,
        c,
        'Assessment',
        masked.group,
        masked.field,
      );
      if (refused) return refused;
    }
    let data: unknown;
    if (barthel) {
      data = { ...barthel.items, ...(input.respondent ? { respondent: input.respondent } : {}) };
    } else if (input.kind === 'SINBA') {
      const person = await selectPersonForAssessment(tx, c.personId);
      const filled = deriveSinba(input.data!, person!, c.personId, input.assessedOn);
      data = parseInput(sinbaSchema, filled, 'input.data');
    } else {
      data = parseInput(sinaSchema, input.data, 'input.data');
    }
    const row = await insertAssessment(tx, {
      caseFileId,
      kind: input.kind,
      schemaVersion: SCHEMA_VERSIONS[input.kind],
      assessedOn: input.assessedOn,
      data,
      score: barthel?.score ?? null,
      scoreBand: barthel?.band ?? null,
      notes: input.notes ?? null,
      assessorId: operatorIdOf(actor),
    });
    const band = barthel ? BARTHEL_BANDS.find((b) => b.band === barthel.band)!.label : null;
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId:
        input.kind === 'BARTHEL'
          ? DIARY_TYPE.BARTHEL
          : input.kind === 'SINBA'
            ? DIARY_TYPE.SINBA
            : DIARY_TYPE.MULTIDIMENSIONAL_ASSESSMENT,
      on: input.assessedOn,
      text:
        input.kind === 'BARTHEL'
          ? `Scheda Barthel: punteggio ${barthel!.score}/100 (${band})`
          : `Valutazione ${input.kind === 'SINBA' ? 'SInBA' : 'SINA'} registrata`,
      authorId: operatorIdOf(actor),
      sourceKind: 'assessment',
      sourceId: row.id,
      // The line states the score: health data, as the scale itself.
      sensitiveGroup: input.kind === 'BARTHEL' ? 'HEALTH' : null,
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'Assessment', row.id, { kind: input.kind });
    return maskAssessment(actor, { ...row, maskedFields: [] });
  });
}

export async function listAssessments(
  db: Db,
  actor: Actor,
  caseFileId: string,
): Promise<Assessment[]> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'READ', 'Assessment');
    if (c instanceof CaseworkError) return c;
    const rows = await selectAssessments(tx, caseFileId);
    await auditCaseRead(tx, actor, c, 'Assessment', { results: rows.length });
    return visibleAssessments(
      actor,
      rows.map((r) => ({ ...r, maskedFields: [] })),
    );
  });
}
