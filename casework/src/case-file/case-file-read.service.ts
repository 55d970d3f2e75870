// Reading the case file: whole, for its access list (masked by the caller's desk), and as lists of
// headers (mine, the office's) or of existences (a person's, across offices). Reads are audited.
import { type Actor, hasRole, maskedGroupsOf } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { CaseworkError } from '../errors.ts';
import { requireVisiblePerson } from '../persons/person-visibility.ts';
import { visibleAssessments } from './assessment/assessment.service.ts';
import {
  auditCaseRead,
  authorizeCase,
  CASES_READ_SCOPE,
  isCoordinatorOf,
  operatorIdOf,
  refuseAudited,
} from './case-file.access.ts';
import type {
  CaseFile,
  CaseFileExistence,
  CaseFileSummary,
  CaseStatus,
  SocialDataRecord,
} from './case-file.types.ts';
import { inTransaction, labelOf } from './case-file.util.ts';
import { selectCaseConsent } from './case-file-consent.service.ts';
import {
  selectCaseFileDocument,
  selectCaseFilesOfOffice,
  selectCaseFilesOfOperator,
  selectCaseFilesOfPerson,
} from './case-file-read.store.ts';
import { withheldSubfolders } from './documents/document.service.ts';

/**
 * The target areas that are themselves health data: the ISTAT areas of needs ADD (dipendenze)
 * and DIS (disabili), masked with HEALTH as those needs are in the intake record (issue 8).
 */
const HEALTH_TARGET_AREAS = new Set(['ADD', 'DIS']);

export const isHealthTargetArea = (code: string | null) =>
  code !== null && HEALTH_TARGET_AREAS.has(code);

/** A case's target area, absent where the desk masks health and the area is health data. */
export function maskTargetArea<T extends { targetAreaCode: string | null }>(actor: Actor, c: T): T {
  if (
    c.targetAreaCode &&
    HEALTH_TARGET_AREAS.has(c.targetAreaCode) &&
    maskedGroupsOf(actor).has('HEALTH')
  ) {
    return {
      ...c,
      targetAreaCode: null,
      ...('targetAreaLabel' in c ? { targetAreaLabel: null } : {}),
    };
  }
  return c;
}

/** Diary entries a full case file carries; older ones are paged with listDiaryEntries. */
export const CASE_FILE_DIARY_LIMIT = 500;

/**
 * Removes the sections of the groups the actor's desk masks; they are absent, not hidden. The
 * diary lines and the documents of those groups were already left out by the query.
 */
function maskCaseFile(actor: Actor, c: CaseFile): CaseFile {
  const masked = maskedGroupsOf(actor);
  if (masked.has('HEALTH')) {
    c.invalidities = [];
    c.disabilities = [];
    c.maskedFields.push('invalidities', 'disabilities', 'assessments.BARTHEL');
    if (c.targetAreaCode && HEALTH_TARGET_AREAS.has(c.targetAreaCode)) {
      Object.assign(c, maskTargetArea(actor, c));
      c.maskedFields.push('targetAreaCode');
    }
  }
  if (masked.has('JUDICIAL')) {
    c.courtMeasures = [];
    c.maskedFields.push('courtMeasures');
  }
  if (masked.has('ECONOMIC')) {
    c.isee = [];
    c.maskedFields.push('isee');
  }
  // Partly: the diary lines and documents of the masked groups.
  if (masked.size > 0) c.maskedFields.push('diary');
  if (withheldSubfolders(masked).length > 0) c.maskedFields.push('documents');
  c.assessments = visibleAssessments(actor, c.assessments);
  return c;
}

async function loadCaseFile(tx: Queryable, actor: Actor, id: string): Promise<CaseFile> {
  const masked = maskedGroupsOf(actor);
  const doc = await selectCaseFileDocument(tx, id, CASE_FILE_DIARY_LIMIT, {
    groups: [...masked],
    subfolders: withheldSubfolders(masked),
  });
  const caseFile: CaseFile = {
    ...doc,
    socialData: doc.socialData.map(
      (s): SocialDataRecord => ({ ...s, label: labelOf(s.domain, s.code) }),
    ),
    assessments: doc.assessments.map((a) => ({ ...a, maskedFields: [] })),
    consent: await selectCaseConsent(tx, actor, doc),
    maskedFields: [],
  };
  return maskCaseFile(actor, caseFile);
}

/** The whole case file with its dossier and care plans; only for those the access list admits. */
export async function getCaseFile(db: Db, actor: Actor, id: string): Promise<CaseFile> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'READ');
    if (c instanceof CaseworkError) return c;
    const caseFile = await loadCaseFile(tx, actor, id);
    await auditCaseRead(
      tx,
      actor,
      c,
      'CaseFile',
      caseFile.maskedFields.length ? { masked: caseFile.maskedFields } : undefined,
    );
    return caseFile;
  });
}

/** Case files the operator is enabled on. */
export async function listMyCaseFiles(
  db: Db,
  actor: Actor,
  options: { status?: CaseStatus | null | undefined; limit?: number | undefined } = {},
): Promise<CaseFileSummary[]> {
  if (actor.kind !== 'OPERATOR') {
    return refuseAudited(
      db,
      actor,
      { action: 'SEARCH', entity: 'CaseFile', reason: 'not an operator' },
      'solo gli operatori hanno casi assegnati',
    );
  }
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  return db.transaction(async (tx) => {
    const rows = await selectCaseFilesOfOperator(tx, actor.id, options.status ?? null, limit);
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'CaseFile',
      outcome: 'OK',
      details: { mine: true, results: rows.length },
    });
    return rows.map((r) => maskTargetArea(actor, r));
  });
}

/** The office's case files, for its coordinator: headers only, to manage the access lists. */
export async function listOfficeCaseFiles(
  db: Db,
  actor: Actor,
  officeId: string,
  options: { status?: CaseStatus | null | undefined; limit?: number | undefined } = {},
): Promise<CaseFileSummary[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  return inTransaction(db, actor, async (tx) => {
    if (actor.kind !== 'SYSTEM' && !isCoordinatorOf(actor, officeId)) {
      throw new Refusal(
        'FORBIDDEN',
        "solo il coordinatore vede l'elenco dei casi dell'ufficio",
        {
          action: 'SEARCH',
          entity: 'CaseFile',
          reason: 'not the coordinator of the office',
          details: { officeId },
        },
        'officeId',
      );
    }
    const rows = await selectCaseFilesOfOffice(tx, officeId, options.status ?? null, limit);
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'CaseFile',
      outcome: 'OK',
      details: { officeId, results: rows.length },
    });
    return rows.map((r) => maskTargetArea(actor, r));
  });
}

/**
 * The person's case files across the offices of the caller's social district: office, status
 * and dates, and whether the caller may open each, never their contents. That a person is in
 * care, and where ("tutela minori"), is itself special-category data, so: an operator learns it
 * only of a person it may see (person.access.ts) and only for organisations in the social
 * districts of its own; a partner client only of the case files granted to its organisation.
 * A person the caller may not see answers NOT_FOUND, as an unknown one.
 */
export async function listCaseFilesOfPerson(
  db: Db,
  actor: Actor,
  personId: string,
): Promise<CaseFileExistence[]> {
  const entity = 'CaseFileIndex';
  const scope = { action: 'READ' as const, entity, entityId: null, personId };
  return audited(db, actor, scope, async (tx) => {
    const allowed =
      actor.kind === 'SYSTEM' ||
      (actor.kind === 'CLIENT' && actor.scopes.includes(CASES_READ_SCOPE)) ||
      (actor.kind === 'OPERATOR' && hasRole(actor, 'SOCIAL_WORKER', 'COORDINATOR'));
    if (!allowed) {
      throw new Refusal('FORBIDDEN', 'non autorizzato a vedere le cartelle della persona', {
        action: 'READ',
        entity,
        personId: isUuid(personId) ? personId : null,
        reason:
          actor.kind === 'CLIENT'
            ? `missing scope ${CASES_READ_SCOPE}`
            : 'role without access to case files',
      });
    }
    if (actor.kind === 'OPERATOR') {
      await requireVisiblePerson(tx, actor, personId, {
        action: 'READ',
        entity,
        field: 'personId',
      });
    }
    const rows = isUuid(personId)
      ? await selectCaseFilesOfPerson(
          tx,
          personId,
          operatorIdOf(actor),
          actor.kind === 'SYSTEM'
            ? null
            : actor.kind === 'CLIENT'
              ? { kind: 'GRANTED_TO', organizationId: actor.organizationId }
              : { kind: 'DISTRICTS_OF', organizationIds: actor.organizationIds },
        )
      : [];
    await audit(tx, actor, {
      action: 'READ',
      entity,
      personId: rows.length > 0 ? personId : null,
      outcome: 'OK',
      details: { caseFiles: rows.length },
    });
    return rows;
  });
}
