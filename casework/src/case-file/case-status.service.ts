// The status of the case file, its sector and its office (transfer), and its target area. Writes
// are transactional, audited and noted in the status history and the diary.
import type { Actor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { disableOperatorsOutside } from './case-access-list.store.ts';
import { auditCaseWrite, authorizeCase, operatorIdOf } from './case-file.access.ts';
import { refuseMaskedWrite } from './case-file.masking.ts';
import {
  type CaseFileSummary,
  type ChangeSectorInput,
  type ChangeStatusInput,
  canTransition,
  changeSectorInput,
  changeStatusInput,
  REASON_REQUIRED,
  TRANSFERABLE_STATUSES,
  type TransferInput,
  targetAreaInput,
  transferInput,
} from './case-file.types.ts';
import { inTransaction, notFound, parseInput, today } from './case-file.util.ts';
import { isHealthTargetArea, maskTargetArea } from './case-file-read.service.ts';
import { selectCaseSummary } from './case-file-read.store.ts';
import {
  insertStatusChange,
  selectOffice,
  selectOpenCaseFile,
  targetAreaExists,
  updateCaseFile,
} from './case-status.store.ts';
import { insertDiaryEntry } from './dossier/dossier.store.ts';
import { DIARY_TYPE } from './dossier/dossier.types.ts';

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
    return maskTargetArea(actor, (await selectCaseSummary(tx, id))!);
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
    return maskTargetArea(actor, (await selectCaseSummary(tx, id))!);
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
    return maskTargetArea(actor, (await selectCaseSummary(tx, id))!);
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
    // A health target area (ADD, DIS) is health data: a desk that masks it does not write it.
    if (isHealthTargetArea(input.targetAreaCode)) {
      await refuseMaskedWrite(tx, actor, c, 'CaseFile', 'HEALTH', 'input.targetAreaCode');
    }
    await updateCaseFile(tx, id, { targetAreaCode: input.targetAreaCode });
    await auditCaseWrite(tx, actor, c, 'UPDATE', 'CaseFile', id, {
      targetArea: input.targetAreaCode,
    });
    return maskTargetArea(actor, (await selectCaseSummary(tx, id))!);
  });
}
