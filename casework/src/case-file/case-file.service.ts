// The case file (cartella sociale): reading it whole, its status and history, its access list and
// its sections. Reads are audited; writes are transactional and audited.
import { type Actor, hasRole, maskedGroupsOf, type SensitiveGroup } from '../access/actor.ts';
import { audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { noAgreement, sharingBasis, sharingBasisWithAny } from '../organizations/data-sharing.ts';
import { personOrganizationsOf } from '../persons/person.access.ts';
import { selectVisiblePerson } from '../persons/person.store.ts';
import { visibleAssessments } from './assessment/assessment.service.ts';
import {
  auditCaseRead,
  auditCaseWrite,
  authorizeCase,
  CASES_READ_SCOPE,
  type CaseHeader,
  isCoordinatorOf,
  operatorIdOf,
  operatorOrganizations,
  refuseAudited,
  refuseInTransaction,
} from './case-file.access.ts';
import { refuseMaskedWrite } from './case-file.masking.ts';
import {
  clearResponsible,
  disableCaseOperator,
  disableOperatorsOutside,
  insertCaseOperator,
  insertOrganizationAccess,
  insertResource,
  insertRow,
  insertSocialData,
  insertStatusChange,
  operatorExists,
  removeResource,
  revokeOrganizationAccess,
  selectCaseFileDocument,
  selectCaseFilesOfOffice,
  selectCaseFilesOfOperator,
  selectCaseFilesOfPerson,
  selectCaseOperators,
  selectCaseSummary,
  selectOffice,
  selectOpenCaseFile,
  targetAreaExists,
  updateCaseFile,
} from './case-file.store.ts';
import {
  type CaseFile,
  type CaseFileExistence,
  type CaseFileSummary,
  type CaseOperator,
  type CaseStatus,
  type ChangeSectorInput,
  type ChangeStatusInput,
  type CourtMeasureInput,
  canTransition,
  changeSectorInput,
  changeStatusInput,
  courtMeasureInput,
  type DisabilityInput,
  disabilityInput,
  type EnableOperatorInput,
  enableOperatorInput,
  type GrantOrganizationInput,
  grantOrganizationInput,
  type InvalidityInput,
  type IseeInput,
  invalidityInput,
  iseeInput,
  noteInput,
  REASON_REQUIRED,
  type ResourceInput,
  resourceInput,
  type SchoolInput,
  SOCIAL_DATA_CODES,
  type SocialDataInput,
  type SocialDataRecord,
  schoolInput,
  socialDataInput,
  TRANSFERABLE_STATUSES,
  type TransferInput,
  targetAreaInput,
  transferInput,
} from './case-file.types.ts';
import { inTransaction, notFound, parseInput, today } from './case-file.util.ts';
import { selectCaseConsent } from './case-file-consent.service.ts';
import { withheldSubfolders } from './documents/document.service.ts';
import { insertDiaryEntry } from './dossier/dossier.store.ts';
import { DIARY_TYPE } from './dossier/dossier.types.ts';

/** Diary entries a full case file carries; older ones are paged with listDiaryEntries. */
export const CASE_FILE_DIARY_LIMIT = 500;

const labelOf = (domain: keyof typeof SOCIAL_DATA_CODES, code: string) =>
  (SOCIAL_DATA_CODES[domain] as readonly { code: string; label: string }[]).find(
    (c) => c.code === code,
  )?.label ?? null;

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
    return rows;
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
    return rows;
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
      const { exists, person } = isUuid(personId)
        ? await selectVisiblePerson(tx, personId, personOrganizationsOf(actor))
        : { exists: false, person: null };
      if (!person) {
        throw new Refusal(
          'NOT_FOUND',
          'persona non trovata',
          {
            action: 'READ',
            entity,
            personId: exists ? personId : null,
            reason: exists ? 'person outside the actor organisations' : 'not found',
          },
          'personId',
        );
      }
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

// ---------------------------------------------------------------------------------------------
// Status, sector, office
// ---------------------------------------------------------------------------------------------

/** Moves the case file to another status; only the transitions of STATUS_TRANSITIONS. */
export async function changeCaseStatus(
  db: Db,
  actor: Actor,
  id: string,
  raw: ChangeStatusInput,
): Promise<CaseFileSummary> {
  const input = parseInput(changeStatusInput, raw);
  const on = input.on ?? today();
  if (on > today()) throw new CaseworkError('FUTURE_DATE', 'la data è nel futuro', 'input.on');
  if (REASON_REQUIRED.includes(input.to) && !input.reason) {
    throw badInput('input.reason', 'indicare il motivo della sospensione o della chiusura');
  }
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'STATUS', 'CaseFile', { lock: true });
    if (c instanceof CaseworkError) return c;
    if (!canTransition(c.status, input.to)) {
      return new CaseworkError(
        'INVALID_STATUS_TRANSITION',
        `passaggio di stato non consentito: ${c.status} → ${input.to}`,
        'input.to',
      );
    }
    if (input.to === 'CLOSED' && on < c.openedOn) {
      return badInput('input.on', "la chiusura precede l'apertura della cartella");
    }
    // Reopening: the one-open-case rule holds (checked here, and by the partial unique index).
    if (c.status === 'CLOSED' && (await selectOpenCaseFile(tx, c.personId, c.officeId))) {
      return new CaseworkError(
        'CASE_ALREADY_OPEN',
        "la persona ha già una cartella aperta in quest'ufficio",
        'caseFileId',
      );
    }
    const by = operatorIdOf(actor);
    await updateCaseFile(tx, id, {
      status: input.to,
      closedOn: input.to === 'CLOSED' ? on : null,
      closureReason: input.to === 'CLOSED' ? (input.reason ?? null) : null,
    });
    await insertStatusChange(tx, {
      caseFileId: id,
      kind: 'STATUS',
      fromStatus: c.status,
      toStatus: input.to,
      fromOfficeId: c.officeId,
      toOfficeId: c.officeId,
      fromSector: c.sector,
      toSector: c.sector,
      reason: input.reason ?? null,
      changedOn: on,
      changedBy: by,
    });
    await insertDiaryEntry(tx, {
      caseFileId: id,
      typeId: DIARY_TYPE.STATUS_CHANGE,
      on,
      text: `Stato: ${c.status} → ${input.to}${input.reason ? `. ${input.reason}` : ''}`,
      authorId: by,
    });
    await auditCaseWrite(tx, actor, c, 'UPDATE', 'CaseFile', id, {
      status: { from: c.status, to: input.to },
    });
    return (await selectCaseSummary(tx, id))!;
  });
}

/**
 * Sends the case file to another office (cambio ufficio): it becomes PROPOSED there, for that
 * office to evaluate; operators who do not work in the new office lose access.
 */
export async function transferCaseFile(
  db: Db,
  actor: Actor,
  id: string,
  raw: TransferInput,
): Promise<CaseFileSummary> {
  const input = parseInput(transferInput, raw);
  const on = input.on ?? today();
  if (on > today()) throw new CaseworkError('FUTURE_DATE', 'la data è nel futuro', 'input.on');
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'STATUS', 'CaseFile', { lock: true });
    if (c instanceof CaseworkError) return c;
    if (!TRANSFERABLE_STATUSES.includes(c.status)) {
      return new CaseworkError(
        'INVALID_STATUS_TRANSITION',
        `una cartella ${c.status} non si trasferisce`,
        'caseFileId',
      );
    }
    const office = await selectOffice(tx, input.toOfficeId);
    if (!office) return notFound('ufficio', 'input.toOfficeId');
    if (office.id === c.officeId)
      return badInput('input.toOfficeId', "la cartella è già di quest'ufficio");
    if (await selectOpenCaseFile(tx, c.personId, office.id)) {
      return new CaseworkError(
        'CASE_ALREADY_OPEN',
        "la persona ha già una cartella aperta nell'ufficio di destinazione",
        'input.toOfficeId',
      );
    }
    const by = operatorIdOf(actor);
    const sector = input.sector ?? office.sector;
    await updateCaseFile(tx, id, {
      status: 'PROPOSED',
      officeId: office.id,
      organizationId: office.organizationId,
      sector,
    });
    await insertStatusChange(tx, {
      caseFileId: id,
      kind: 'OFFICE',
      fromStatus: c.status,
      toStatus: 'PROPOSED',
      fromOfficeId: c.officeId,
      toOfficeId: office.id,
      fromSector: c.sector,
      toSector: sector,
      reason: input.reason,
      changedOn: on,
      changedBy: by,
    });
    await disableOperatorsOutside(tx, id, office.id, by);
    await insertDiaryEntry(tx, {
      caseFileId: id,
      typeId: DIARY_TYPE.STATUS_CHANGE,
      on,
      text: `Cartella proposta all'ufficio ${office.name}. ${input.reason}`,
      authorId: by,
    });
    await auditCaseWrite(tx, actor, c, 'UPDATE', 'CaseFile', id, {
      office: { from: c.officeId, to: office.id },
    });
    return (await selectCaseSummary(tx, id))!;
  });
}

/** Changes the sector within the owning office (cambio settore). */
export async function changeCaseSector(
  db: Db,
  actor: Actor,
  id: string,
  raw: ChangeSectorInput,
): Promise<CaseFileSummary> {
  const input = parseInput(changeSectorInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'STATUS', 'CaseFile', { lock: true });
    if (c instanceof CaseworkError) return c;
    if (c.status === 'CLOSED')
      return new CaseworkError('CONFLICT', 'la cartella è chiusa', 'caseFileId');
    if (c.sector === input.sector)
      return badInput('input.sector', 'la cartella è già in questo settore');
    const by = operatorIdOf(actor);
    await updateCaseFile(tx, id, { sector: input.sector });
    await insertStatusChange(tx, {
      caseFileId: id,
      kind: 'SECTOR',
      fromStatus: c.status,
      toStatus: c.status,
      fromOfficeId: c.officeId,
      toOfficeId: c.officeId,
      fromSector: c.sector,
      toSector: input.sector,
      reason: input.reason ?? null,
      changedOn: today(),
      changedBy: by,
    });
    await auditCaseWrite(tx, actor, c, 'UPDATE', 'CaseFile', id, {
      sector: { from: c.sector, to: input.sector },
    });
    return (await selectCaseSummary(tx, id))!;
  });
}

export async function setTargetArea(
  db: Db,
  actor: Actor,
  id: string,
  raw: { targetAreaCode: string },
): Promise<CaseFileSummary> {
  const input = parseInput(targetAreaInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'WRITE');
    if (c instanceof CaseworkError) return c;
    if (!(await targetAreaExists(tx, input.targetAreaCode))) {
      return badInput('input.targetAreaCode', `area target ${input.targetAreaCode} sconosciuta`);
    }
    await updateCaseFile(tx, id, { targetAreaCode: input.targetAreaCode });
    await auditCaseWrite(tx, actor, c, 'UPDATE', 'CaseFile', id, {
      targetArea: input.targetAreaCode,
    });
    return (await selectCaseSummary(tx, id))!;
  });
}

// ---------------------------------------------------------------------------------------------
// Access lists
// ---------------------------------------------------------------------------------------------

/** Enables an operator on the case file; only the owning office's coordinator may. */
export async function enableCaseOperator(
  db: Db,
  actor: Actor,
  id: string,
  raw: EnableOperatorInput,
): Promise<CaseOperator[]> {
  const input = parseInput(enableOperatorInput, raw);
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOperator');
    if (c instanceof CaseworkError) return c;
    if (!(await operatorExists(tx, input.operatorId)))
      return notFound('operatore', 'input.operatorId');
    const basis = await sharingBasisWithAny(
      tx,
      c.organizationId,
      await operatorOrganizations(tx, input.operatorId),
      today(),
    );
    if (!basis) {
      return refuseInTransaction(
        tx,
        actor,
        noAgreement(
          {
            action: 'CREATE',
            entity: 'CaseOperator',
            entityId: input.operatorId,
            personId: c.personId,
          },
          'input.operatorId',
          { caseFileId: id },
        ),
      );
    }
    if (input.responsible) await clearResponsible(tx, id);
    await insertCaseOperator(tx, {
      caseFileId: id,
      operatorId: input.operatorId,
      operatorType: input.operatorType,
      responsible: input.responsible,
      enabledFrom: input.from ?? today(),
      enabledBy: operatorIdOf(actor),
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'CaseOperator', input.operatorId, {
      operatorType: input.operatorType,
      responsible: input.responsible,
      sharingAgreementId: basis.kind === 'AGREEMENT' ? basis.agreementId : null,
    });
    return selectCaseOperators(tx, id);
  });
}

export async function disableCaseOperatorOnCase(
  db: Db,
  actor: Actor,
  id: string,
  operatorId: string,
): Promise<CaseOperator[]> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOperator');
    if (c instanceof CaseworkError) return c;
    if (!(await disableCaseOperator(tx, id, operatorId, operatorIdOf(actor)))) {
      return notFound("abilitazione dell'operatore", 'operatorId');
    }
    await auditCaseWrite(tx, actor, c, 'DELETE', 'CaseOperator', operatorId);
    return selectCaseOperators(tx, id);
  });
}

/** Grants a partner organisation read access (its clients still need scope cases:read). */
export async function grantOrganizationAccess(
  db: Db,
  actor: Actor,
  id: string,
  raw: GrantOrganizationInput,
): Promise<string> {
  const input = parseInput(grantOrganizationInput, raw);
  const validFrom = input.validFrom ?? today();
  if (input.validTo && input.validTo < validFrom)
    throw badInput('input.validTo', 'la fine precede l’inizio');
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOrganizationAccess');
    if (c instanceof CaseworkError) return c;
    if (
      (await tx.query('SELECT 1 FROM organization WHERE id = $1', [input.organizationId]))
        .length === 0
    ) {
      return notFound('organizzazione', 'input.organizationId');
    }
    const basis = await sharingBasis(tx, c.organizationId, input.organizationId, validFrom);
    if (!basis) {
      return refuseInTransaction(
        tx,
        actor,
        noAgreement(
          { action: 'CREATE', entity: 'CaseOrganizationAccess', personId: c.personId },
          'input.organizationId',
          { caseFileId: id, organizationId: input.organizationId },
        ),
      );
    }
    const grantId = await insertOrganizationAccess(tx, {
      caseFileId: id,
      organizationId: input.organizationId,
      reason: input.reason,
      validFrom,
      validTo: input.validTo ?? null,
      grantedBy: operatorIdOf(actor),
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'CaseOrganizationAccess', grantId, {
      organizationId: input.organizationId,
      sharingAgreementId: basis.kind === 'AGREEMENT' ? basis.agreementId : null,
    });
    return grantId;
  });
}

export async function revokeOrganizationAccessOnCase(
  db: Db,
  actor: Actor,
  id: string,
  grantId: string,
): Promise<void> {
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, id, 'MANAGE', 'CaseOrganizationAccess');
    if (c instanceof CaseworkError) return c;
    if (!(await revokeOrganizationAccess(tx, id, grantId))) return notFound('accesso', 'grantId');
    await auditCaseWrite(tx, actor, c, 'DELETE', 'CaseOrganizationAccess', grantId);
    return undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

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
  return writeSection(db, actor, id, 'CaseResource', async (tx, c, by) => {
    // A resource linked to the registry must be a person the caller may see (person.access.ts);
    // one held elsewhere answers as an unknown id.
    if (input.personId) {
      const { exists, person } = isUuid(input.personId)
        ? await selectVisiblePerson(tx, input.personId, personOrganizationsOf(actor))
        : { exists: false, person: null };
      if (!person) {
        return new Refusal(
          'NOT_FOUND',
          'persona non trovata',
          {
            action: 'CREATE',
            entity: 'CaseResource',
            entityId: input.personId,
            personId: exists ? input.personId : c.personId,
            reason: exists ? 'linking a person outside the actor organisations' : 'not found',
          },
          'input.personId',
        );
      }
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
