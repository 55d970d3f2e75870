// The sections of the case file (network, social data, health, judicial, notes, school, ISEE):
// one audited write each, refused at a desk that masks the section's group.
import type { Actor, SensitiveGroup } from '../access/actor.ts';
import { Refusal } from '../access/audited.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { requireVisiblePerson } from '../persons/person-visibility.ts';
import {
  auditCaseWrite,
  authorizeCase,
  type CaseHeader,
  operatorIdOf,
  refuseInTransaction,
} from './case-file.access.ts';
import { refuseMaskedWrite } from './case-file.masking.ts';
import {
  type CourtMeasureInput,
  courtMeasureInput,
  type DisabilityInput,
  disabilityInput,
  type InvalidityInput,
  type ISEE_TYPES,
  type IseeInput,
  invalidityInput,
  iseeInput,
  noteInput,
  type ResourceInput,
  resourceInput,
  type SchoolInput,
  SOCIAL_DATA_CODES,
  type SocialDataInput,
  schoolInput,
  socialDataInput,
} from './case-file.types.ts';
import { inTransaction, labelOf, notFound, parseInput, today } from './case-file.util.ts';
import {
  insertResource,
  insertRow,
  insertSocialData,
  removeResource,
} from './case-sections.store.ts';
import { insertDiaryEntry } from './dossier/dossier.store.ts';
import { DIARY_TYPE } from './dossier/dossier.types.ts';
import { checkDsuProtocol } from './dsu-protocol.rules.ts';

/** The sections of a sensitive group: maskCaseFile removes them, writeSection refuses them. */
const SENSITIVE_SECTIONS: Partial<Record<string, SensitiveGroup>> = {
  CaseInvalidity: 'HEALTH',
  CaseDisability: 'HEALTH',
  CaseCourtMeasure: 'JUDICIAL',
  CaseIsee: 'ECONOMIC',
};

/**
 * Runs one write on a section of the case file, for an enabled operator, audited. A section of a
 * sensitive group is refused at a desk that masks the group (it could not read it either).
 */
async function writeSection<T>(
  db: Db,
  actor: Actor,
  id: string,
  entity: string,
  fn: (
    tx: Queryable,
    c: CaseHeader,
    by: string | null,
  ) => Promise<{ id: string; result: T } | CaseworkError>,
): Promise<T> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'WRITE', entity);
    if (c instanceof CaseworkError) return c;
    const group = SENSITIVE_SECTIONS[entity];
    const refused = group ? await refuseMaskedWrite(tx, actor, c, entity, group, 'input') : null;
    if (refused) return refused;
    const out = await fn(tx, c, operatorIdOf(actor));
    // A refusal decided before any write keeps its audit row; any other error rolls back.
    if (out instanceof Refusal) return refuseInTransaction(tx, actor, out);
    if (out instanceof CaseworkError) throw out;
    await auditCaseWrite(tx, actor, c, 'CREATE', entity, out.id);
    return out.result;
  });
}

export async function addResource(
  db: Db,
  actor: Actor,
  id: string,
  raw: ResourceInput,
): Promise<string> {
  const input = parseInput(resourceInput, raw);
  return writeSection(db, actor, id, 'CaseResource', async (tx, _c, by) => {
    // A resource linked to the registry must be a person the caller may see (person.access.ts);
    // one held elsewhere answers as an unknown id.
    if (input.personId) {
      await requireVisiblePerson(tx, actor, input.personId, {
        action: 'CREATE',
        entity: 'CaseResource',
        field: 'input.personId',
        linking: true,
      });
    }
    const rid = await insertResource(
      tx,
      id,
      {
        kind: input.kind,
        relationship: input.relationship,
        name: input.name,
        personId: input.personId ?? null,
        cohabiting: input.cohabiting,
        caregiver: input.caregiver,
        phone: input.phone ?? null,
        notes: input.notes ?? null,
      },
      by,
    );
    return { id: rid, result: rid };
  });
}

export async function removeCaseResource(
  db: Db,
  actor: Actor,
  id: string,
  resourceId: string,
): Promise<void> {
  return writeSection(db, actor, id, 'CaseResource', async (tx) => {
    if (!(await removeResource(tx, id, resourceId))) return notFound('risorsa', 'resourceId');
    return { id: resourceId, result: undefined };
  });
}

/** Records work, housing or education data with its reliability (reported or verified). */
export async function recordSocialData(
  db: Db,
  actor: Actor,
  id: string,
  raw: SocialDataInput,
): Promise<string> {
  const input = parseInput(socialDataInput, raw);
  if (!labelOf(input.domain, input.code)) {
    const allowed = SOCIAL_DATA_CODES[input.domain].map((c) => c.code).join(', ');
    throw badInput(
      'input.code',
      `codice ${input.code} non previsto per ${input.domain} (valori: ${allowed})`,
    );
  }
  const recordedOn = input.recordedOn ?? today();
  if (recordedOn > today())
    throw new CaseworkError('FUTURE_DATE', 'la data è nel futuro', 'input.recordedOn');
  return writeSection(db, actor, id, 'CaseSocialData', async (tx, _c, by) => {
    const sid = await insertSocialData(
      tx,
      id,
      {
        domain: input.domain,
        code: input.code,
        description: input.description ?? null,
        reliability: input.reliability,
        source: input.source,
        recordedOn,
      },
      by,
    );
    return { id: sid, result: sid };
  });
}

export async function addInvalidity(
  db: Db,
  actor: Actor,
  id: string,
  raw: InvalidityInput,
): Promise<string> {
  const input = parseInput(invalidityInput, raw);
  return writeSection(db, actor, id, 'CaseInvalidity', async (tx, _c, by) => {
    const rid = await insertRow(tx, 'case_invalidity', {
      case_file_id: id,
      certification: input.certification,
      percentage: input.percentage ?? null,
      recognized_on: input.recognizedOn ?? null,
      evidence: input.evidence,
      notes: input.notes ?? null,
      created_by: by,
    });
    return { id: rid, result: rid };
  });
}

export async function addDisability(
  db: Db,
  actor: Actor,
  id: string,
  raw: DisabilityInput,
): Promise<string> {
  const input = parseInput(disabilityInput, raw);
  return writeSection(db, actor, id, 'CaseDisability', async (tx, _c, by) => {
    const rid = await insertRow(tx, 'case_disability', {
      case_file_id: id,
      disability_type: input.disabilityType,
      description: input.description ?? null,
      recognized_on: input.recognizedOn ?? null,
      law_104_severe: input.law104Severe,
      notes: input.notes ?? null,
      created_by: by,
    });
    return { id: rid, result: rid };
  });
}

export async function addCourtMeasure(
  db: Db,
  actor: Actor,
  id: string,
  raw: CourtMeasureInput,
): Promise<string> {
  const input = parseInput(courtMeasureInput, raw);
  if (input.endedOn && input.endedOn < input.measureOn) {
    throw badInput('input.endedOn', 'la fine precede la data del provvedimento');
  }
  return writeSection(db, actor, id, 'CaseCourtMeasure', async (tx, _c, by) => {
    const rid = await insertRow(tx, 'case_court_measure', {
      case_file_id: id,
      court_body: input.courtBody,
      authority: input.authority ?? null,
      measure_type: input.measureType ?? null,
      parental_measure: input.parentalMeasure ?? null,
      measure_on: input.measureOn,
      reference: input.reference ?? null,
      description: input.description ?? null,
      ended_on: input.endedOn ?? null,
      created_by: by,
    });
    // The diary says that a measure was recorded, not what it is; even that is JUDICIAL.
    await insertDiaryEntry(tx, {
      caseFileId: id,
      typeId: DIARY_TYPE.COURT_MEASURES,
      on: input.measureOn,
      text: 'Registrato un provvedimento dell’autorità giudiziaria',
      authorId: by,
      sourceKind: 'case_court_measure',
      sourceId: rid,
      sensitiveGroup: 'JUDICIAL',
    });
    return { id: rid, result: rid };
  });
}

export async function addCaseNote(
  db: Db,
  actor: Actor,
  id: string,
  raw: { text: string },
): Promise<string> {
  const input = parseInput(noteInput, raw);
  return writeSection(db, actor, id, 'CaseNote', async (tx, _c, by) => {
    const rid = await insertRow(tx, 'case_note', {
      case_file_id: id,
      text: input.text,
      author_id: by,
    });
    return { id: rid, result: rid };
  });
}

export async function addSchoolRecord(
  db: Db,
  actor: Actor,
  id: string,
  raw: SchoolInput,
): Promise<string> {
  const input = parseInput(schoolInput, raw);
  const [from, to] = input.schoolYear.split('/').map(Number);
  if (to !== from! + 1)
    throw badInput('input.schoolYear', 'anno scolastico non valido (es. 2025/2026)');
  return writeSection(db, actor, id, 'CaseSchool', async (tx, _c, by) => {
    const rid = await insertRow(tx, 'case_school', {
      case_file_id: id,
      school_year: input.schoolYear,
      school_type: input.schoolType,
      school_name: input.schoolName ?? null,
      class_name: input.className ?? null,
      support_teacher: input.supportTeacher,
      notes: input.notes ?? null,
      created_by: by,
    });
    await insertDiaryEntry(tx, {
      caseFileId: id,
      typeId: DIARY_TYPE.SCHOOL,
      on: today(),
      text: `Dati scolastici ${input.schoolYear}`,
      authorId: by,
      sourceKind: 'case_school',
      sourceId: rid,
    });
    return { id: rid, result: rid };
  });
}

export async function addIsee(db: Db, actor: Actor, id: string, raw: IseeInput): Promise<string> {
  const input = parseInput(iseeInput, raw);
  if (input.validTo < input.validFrom)
    throw badInput('input.validTo', 'la scadenza precede l’inizio di validità');
  checkDsuProtocol(input.dsuProtocol, 'input.dsuProtocol');
  return writeSection(db, actor, id, 'CaseIsee', async (tx, _c, by) => {
    const rid = await insertRow(tx, 'case_isee', {
      case_file_id: id,
      isee_type: input.iseeType,
      isee_value: input.iseeValue,
      ise_value: input.iseValue ?? null,
      dsu_protocol: input.dsuProtocol ?? null,
      dsu_on: input.dsuOn ?? null,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      created_by: by,
    });
    // Value kept out of the diary; that there is an ISEE is ECONOMIC all the same.
    await insertDiaryEntry(tx, {
      caseFileId: id,
      typeId: DIARY_TYPE.ISEE,
      on: today(),
      text: `Registrata attestazione ISEE valida fino al ${input.validTo}`,
      authorId: by,
      sourceKind: 'case_isee',
      sourceId: rid,
      sensitiveGroup: 'ECONOMIC',
    });
    return { id: rid, result: rid };
  });
}

/**
 * An ISEE read from INPS (ConsultazioneIndicatore, @hub/connectors' IseeIndicator, matched
 * structurally): stored like a typed one, under the same access and masking, with its source.
 * An ISEE presented in a year is valid until 31 December of that year (DPCM 159/2013 as
 * amended in 2019), which is what the indicator does not say itself.
 */
export type InpsIseeIndicator = {
  type: string;
  isee: number;
  ise: number;
  dsuProtocol: string;
  presentedOn: string;
  source: { counterpart: 'INPS'; requestId: number; retrievedAt: string };
};

const INPS_ISEE_TYPES: Record<string, (typeof ISEE_TYPES)[number]> = {
  Ordinario: 'ORDINARIO',
  Universitario: 'UNIVERSITARIO',
  SocioSanitario: 'SOCIOSAN',
  Residenziale: 'SOCIOSANRES',
  Minorenne: 'MINORENNI',
};

export async function addIseeFromInps(
  db: Db,
  actor: Actor,
  id: string,
  indicator: InpsIseeIndicator,
): Promise<string> {
  const iseeType = INPS_ISEE_TYPES[indicator.type];
  if (!iseeType)
    throw badInput('indicator.type', `tipo di ISEE non previsto nella cartella: ${indicator.type}`);
  // INPS's own schema types the protocol: an answer without one as it says is not stored.
  checkDsuProtocol(indicator.dsuProtocol, 'indicator.dsuProtocol');
  const validTo = `${indicator.presentedOn.slice(0, 4)}-12-31`;
  return writeSection(db, actor, id, 'CaseIsee', async (tx, _c, by) => {
    const rid = await insertRow(tx, 'case_isee', {
      case_file_id: id,
      isee_type: iseeType,
      isee_value: indicator.isee,
      ise_value: indicator.ise,
      dsu_protocol: indicator.dsuProtocol,
      dsu_on: indicator.presentedOn,
      valid_from: indicator.presentedOn,
      valid_to: validTo,
      created_by: by,
      source: 'INPS',
      inps_request_id: indicator.source.requestId,
      retrieved_at: indicator.source.retrievedAt,
    });
    await insertDiaryEntry(tx, {
      caseFileId: id,
      typeId: DIARY_TYPE.ISEE,
      on: today(),
      text: `Acquisita da INPS l’attestazione ISEE valida fino al ${validTo}`,
      authorId: by,
      sourceKind: 'case_isee',
      sourceId: rid,
      sensitiveGroup: 'ECONOMIC',
    });
    return { id: rid, result: rid };
  });
}
