// Multidimensional assessments (valutazioni multidimensionali): SInBA for minors and SINA for the
// elderly and disabled, stored with the attributes and codes of INPS's schemas so that they can be
// sent to SIUSS as they are; the Barthel index computed from its ten items.
import { createHash } from 'node:crypto';
import { type Actor, maskedGroupsOf } from '../../access/actor.ts';
import type { Db } from '../../db/db.ts';
import { badInput, CaseworkError } from '../../errors.ts';
import { auditCaseRead, auditCaseWrite, authorizeCase, operatorIdOf } from '../case-file.access.ts';
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

/** Removes the attributes of the groups the actor's desk masks. */
export function maskAssessment(actor: Actor, a: Assessment): Assessment {
  const masked = maskedGroupsOf(actor);
  if (masked.size === 0 || a.kind === 'BARTHEL') return a;
  const groups: [string, readonly string[]][] =
    a.kind === 'SINBA'
      ? [
          ['JUDICIAL', SINBA_JUDICIAL],
          ['HEALTH', SINBA_HEALTH],
          ['ECONOMIC', SINBA_ECONOMIC],
        ]
      : [
          ['HEALTH', SINA_HEALTH],
          ['ECONOMIC', SINA_ECONOMIC],
        ];
  const data = { ...(a.data as Record<string, unknown>) };
  const maskedFields = [...a.maskedFields];
  for (const [group, fields] of groups) {
    if (!masked.has(group as never)) continue;
    for (const f of fields) {
      if (f in data) {
        delete data[f];
        maskedFields.push(`data.${f}`);
      }
    }
  }
  return { ...a, data, maskedFields };
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
  return inTransaction(db, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'Assessment');
    if (c instanceof CaseworkError) return c;
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
  return inTransaction(db, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'READ', 'Assessment');
    if (c instanceof CaseworkError) return c;
    const rows = await selectAssessments(tx, caseFileId);
    await auditCaseRead(tx, actor, c, 'Assessment', { results: rows.length });
    return rows.map((r) => maskAssessment(actor, { ...r, maskedFields: [] }));
  });
}
