// Interventions (intervento, SISO's CS_I_INTERVENTO): the benefit an organisation decides for a
// person, with or without a case file (from a care plan's planned intervention where there is
// one), its service, provider and contract, project, period and the SIUSS character INPS asks for.
import { type Actor, actingFor } from '../access/actor.ts';
import { type AuditScope, audited, Refusal } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { isEnabledOperator } from '../case-file/case-file.access.ts';
import { parseInput } from '../case-file/case-file.util.ts';
import { checkDsuProtocol } from '../case-file/dsu-protocol.rules.ts';
import type { Db, Queryable } from '../db/db.ts';
import { isUuid } from '../db/uuid.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { requireVisiblePerson } from '../persons/person-visibility.ts';
import { selectServicesValidOn } from '../service-catalog/service-catalog.store.ts';
import { SERVICE_SCHEMES } from '../service-catalog/service-catalog.types.ts';
import { flagOverlaps } from './benefit-overlap.ts';
import { officesFor, organizationsFor, providerClientOrganization } from './deliveries.access.ts';
import {
  maskIntervention,
  maskInterventions,
  refuseHealthAtMaskingDesk,
} from './deliveries.masking.ts';
import {
  benefitCharacterOf,
  checkContractCovers,
  checkIsee,
  checkPeriodicity,
  checkQuantity,
} from './deliveries.rules.ts';
import {
  type CreateInterventionInput,
  createInterventionInput,
  type Intervention,
  type InterventionSearchInput,
  interventionSearchInput,
} from './deliveries.types.ts';
import {
  type InterventionRow,
  type InterventionScope,
  insertIntervention,
  searchInterventions as searchInterventionRows,
  selectCarePlanInterventionCase,
  selectCaseIsee,
  selectCaseOfPerson,
  selectIntervention,
  selectInterventionNames,
  setInterventionStatus,
} from './intervention.store.ts';
import { forbidden } from './provider.service.ts';
import {
  officeOrganization,
  selectContract,
  selectCoveringContract,
  selectProject,
  selectProvider,
} from './provider.store.ts';

const SCOPE: AuditScope = {
  action: 'CREATE',
  entity: 'Intervention',
  entityId: null,
  personId: null,
};

/** The office deciding: the one named (where the operator may decide), else their only one. */
async function decidingOffice(
  q: Queryable,
  actor: Actor,
  named: string | null | undefined,
): Promise<{ officeId: string; organizationId: string }> {
  const unnamed = () => badInput('input.officeId', "indicare l'ufficio che decide l'intervento");
  const officeId = actingFor(actor, officesFor(actor, 'DECIDE'), named, {
    forbidden: () => forbidden('decidere interventi'),
    unnamed,
  });
  const organizationId = await officeOrganization(q, officeId);
  if (!organizationId) throw actor.kind === 'SYSTEM' ? unnamed() : forbidden('decidere interventi');
  if (actor.kind !== 'SYSTEM' && !organizationsFor(actor, 'DECIDE').includes(organizationId)) {
    throw forbidden('decidere interventi');
  }
  return { officeId, organizationId };
}

/**
 * The service on the intervention's dates, and the standard code it is (a regional custom code
 * counts as the code it maps to): the family of the duplicate-benefit control and INPS's code.
 */
async function resolveService(
  q: Queryable,
  code: string,
  days: string[],
): Promise<{ standardCode: string; siussRequired: boolean }> {
  let entry = null;
  for (const day of days) {
    entry = (await selectServicesValidOn(q, [code], day)).get(code) ?? null;
    if (!entry?.requestable) {
      throw new CaseworkError(
        'SERVICE_NOT_VALID_ON_DATE',
        `il servizio ${code} non è nel nomenclatore valido al ${day}`,
        'input.serviceCode',
      );
    }
  }
  const standardCode = entry!.mapsToCode ?? entry!.code;
  const standard =
    standardCode === entry!.code
      ? entry!
      : ((await selectServicesValidOn(q, [standardCode], days[0]!)).get(standardCode) ?? null);
  return { standardCode, siussRequired: standard?.scheme === SERVICE_SCHEMES.INPS };
}

export async function createIntervention(
  db: Db,
  actor: Actor,
  raw: CreateInterventionInput,
): Promise<Intervention> {
  return audited(db, actor, { ...SCOPE }, async (tx, scope) => {
    const { officeId, organizationId } = await decidingOffice(tx, actor, raw.officeId);
    const input = parseInput(createInterventionInput, raw);
    // Linking a person the organisation may not see neither links nor shows them (defect 1).
    await requireVisiblePerson(tx, actor, input.personId, {
      action: 'CREATE',
      entity: 'Intervention',
      field: 'input.personId',
      linking: true,
    });
    scope.personId = input.personId;
    await refuseHealthAtMaskingDesk(
      tx,
      actor,
      input,
      { serviceCode: 'input.serviceCode', userArea: 'input.userArea' },
      { action: 'CREATE', entity: 'Intervention', personId: input.personId },
    );
    if (input.endOn && input.endOn < input.startOn)
      throw badInput('input.endOn', 'la fine precede l’inizio');
    checkPeriodicity(input);
    if (input.plannedQuantity != null)
      checkQuantity(input.plannedQuantity, 'input.plannedQuantity');

    let caseFileId = input.caseFileId ?? null;
    if (input.carePlanInterventionId) {
      const planCase = await selectCarePlanInterventionCase(tx, input.carePlanInterventionId);
      if (!planCase || (caseFileId && planCase !== caseFileId)) {
        throw badInput(
          'input.carePlanInterventionId',
          "l'intervento del PAI non è della cartella indicata",
        );
      }
      caseFileId = planCase;
    }
    if (caseFileId) {
      const c = await selectCaseOfPerson(tx, caseFileId);
      if (!c || c.personId !== input.personId || c.organizationId !== organizationId) {
        throw badInput(
          input.caseFileId ? 'input.caseFileId' : 'input.carePlanInterventionId',
          "la cartella non è della persona presso l'ente",
        );
      }
    }

    const service = await resolveService(
      tx,
      input.serviceCode,
      input.endOn ? [input.startOn, input.endOn] : [input.startOn],
    );
    const provider = await selectProvider(tx, input.providerId);
    if (!provider?.active) {
      throw new CaseworkError('NOT_FOUND', 'ente erogatore non trovato', 'input.providerId');
    }
    let contractId = input.contractId ?? null;
    if (contractId) {
      const contract = await selectContract(tx, contractId);
      if (!contract || contract.organizationId !== organizationId) {
        throw new CaseworkError(
          'CONTRACT_NOT_APPLICABLE',
          "il contratto non è dell'ente",
          'input.contractId',
        );
      }
      const what = { providerId: input.providerId, serviceCode: input.serviceCode };
      checkContractCovers(contract, { ...what, day: input.startOn }, 'input.contractId');
      if (input.endOn)
        checkContractCovers(contract, { ...what, day: input.endOn }, 'input.contractId');
    } else {
      contractId = await selectCoveringContract(tx, {
        organizationId,
        providerId: input.providerId,
        serviceCode: input.serviceCode,
        day: input.startOn,
      });
      if (!contractId && provider.kind === 'THIRD_SECTOR') {
        throw new CaseworkError(
          'CONTRACT_NOT_APPLICABLE',
          `nessun contratto o accreditamento dell'ente con ${provider.name} copre il servizio ${input.serviceCode} al ${input.startOn}`,
          'input.providerId',
        );
      }
    }
    if (input.projectId) {
      const project = await selectProject(tx, input.projectId);
      if (!project || project.organizationId !== organizationId) {
        throw badInput('input.projectId', "il progetto non è dell'ente");
      }
    }
    const isee =
      input.isee ??
      (caseFileId && input.meansTest === '1'
        ? await selectCaseIsee(tx, caseFileId, input.startOn)
        : null);
    checkIsee(input.meansTest, isee);
    // The one typed with the intervention; the case file's was checked when it was recorded.
    if (input.isee) checkDsuProtocol(input.isee.dsuProtocol, 'input.isee.dsuProtocol');

    const id = await insertIntervention(tx, {
      organizationId,
      officeId,
      personId: input.personId,
      caseFileId,
      carePlanInterventionId: input.carePlanInterventionId ?? null,
      serviceCode: input.serviceCode,
      standardServiceCode: service.standardCode,
      providerId: input.providerId,
      contractId,
      unit: input.unit,
      projectId: input.projectId ?? null,
      periodicity: input.periodicity,
      periodUnit: input.periodUnit ?? null,
      quantityPerPeriod: input.quantityPerPeriod ?? null,
      startOn: input.startOn,
      endOn: input.endOn ?? null,
      plannedQuantity: input.plannedQuantity ?? null,
      plannedAmount: input.plannedAmount ?? null,
      beneficiarySharePercent: input.beneficiarySharePercent,
      iseeValue: isee?.value ?? null,
      iseeDsuProtocol: isee?.dsuProtocol ?? null,
      iseeDsuOn: isee?.dsuOn ?? null,
      meansTest: input.meansTest,
      benefitCharacter: benefitCharacterOf(input.periodicity),
      periodMonths: input.periodMonths ?? null,
      takenInCare: input.takenInCare,
      userArea: input.userArea ?? null,
      applicationProtocol: input.applicationProtocol,
      siussRequired: service.siussRequired,
      notes: input.notes ?? null,
      createdBy: actor.kind === 'OPERATOR' ? actor.id : null,
    });
    const overlaps = await flagOverlaps(tx, id);
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'Intervention',
      entityId: id,
      personId: input.personId,
      outcome: 'OK',
      details: overlaps > 0 ? { benefitOverlaps: overlaps } : null,
    });
    return maskIntervention(tx, actor, (await selectIntervention(tx, id))!);
  });
}

/** What the caller may see of interventions (deliveries.access.ts READ). */
export function interventionScopeOf(actor: Actor): InterventionScope {
  return {
    organizationIds: actor.kind === 'SYSTEM' ? [] : organizationsFor(actor, 'READ'),
    enabledOperatorId:
      actor.kind === 'OPERATOR' && actor.memberships.some((m) => m.role === 'SOCIAL_WORKER')
        ? actor.id
        : null,
    providerOrganizationId: providerClientOrganization(actor),
  };
}

/** Refuses a caller whose scope reaches no intervention at all (a list would say nothing else). */
export function requireSomeScope(scope: InterventionScope, what: string): void {
  if (
    scope.organizationIds.length === 0 &&
    !scope.enabledOperatorId &&
    !scope.providerOrganizationId
  ) {
    throw forbidden(what);
  }
}

/** May the caller read this intervention? (the scope above, for one row) */
export async function mayReadIntervention(
  q: Queryable,
  actor: Actor,
  row: Pick<InterventionRow, 'organizationId' | 'caseFileId' | 'providerOrganizationId'>,
): Promise<boolean> {
  if (actor.kind === 'SYSTEM') return true;
  const scope = interventionScopeOf(actor);
  if (scope.organizationIds.includes(row.organizationId)) return true;
  if (scope.providerOrganizationId && scope.providerOrganizationId === row.providerOrganizationId)
    return true;
  return !!(
    scope.enabledOperatorId &&
    row.caseFileId &&
    (await isEnabledOperator(q, row.caseFileId, scope.enabledOperatorId))
  );
}

/** Loads an intervention the caller may read; a refusal is audited naming the person. */
export async function requireReadableIntervention(
  q: Queryable,
  actor: Actor,
  id: string,
  field: string,
  lock = false,
): Promise<InterventionRow> {
  const row = isUuid(id) ? await selectIntervention(q, id, lock) : null;
  if (!row) throw new CaseworkError('NOT_FOUND', 'intervento non trovato', field);
  if (!(await mayReadIntervention(q, actor, row))) {
    throw new Refusal('FORBIDDEN', 'non autorizzato: intervento di un altro ente', {
      action: 'READ',
      entity: 'Intervention',
      entityId: id,
      personId: row.personId,
    });
  }
  return row;
}

export async function getIntervention(db: Db, actor: Actor, id: string): Promise<Intervention> {
  return audited(
    db,
    actor,
    { action: 'READ', entity: 'Intervention', entityId: id, personId: null },
    async (tx) => {
      const row = await requireReadableIntervention(tx, actor, id, 'id');
      await audit(tx, actor, {
        action: 'READ',
        entity: 'Intervention',
        entityId: id,
        personId: row.personId,
        outcome: 'OK',
      });
      return maskIntervention(tx, actor, row);
    },
  );
}

const FILTER_FIELDS = { serviceCode: 'filter.serviceCode', userArea: 'filter.userArea' };

export async function searchInterventions(
  db: Db,
  actor: Actor,
  raw: InterventionSearchInput,
): Promise<{ items: Intervention[]; total: number }> {
  const scope = interventionScopeOf(actor);
  const auditScope: AuditScope = {
    action: 'SEARCH',
    entity: 'Intervention',
    entityId: null,
    personId: null,
  };
  return audited(db, actor, auditScope, async (tx) => {
    requireSomeScope(scope, 'interventi');
    const input = parseInput(interventionSearchInput, raw, 'filter');
    const { limit, offset, ...filter } = input;
    await refuseHealthAtMaskingDesk(tx, actor, filter, FILTER_FIELDS, {
      action: 'SEARCH',
      entity: 'Intervention',
      personId: filter.personId ?? null,
    });
    const page = await searchInterventionRows(tx, scope, filter, { limit, offset });
    await audit(tx, actor, {
      action: 'SEARCH',
      entity: 'Intervention',
      outcome: 'OK',
      details: {
        results: page.items.length,
        persons: [...new Set(page.items.map((i) => i.personId))],
      },
    });
    return { items: await maskInterventions(tx, actor, page.items), total: page.total };
  });
}

/** Closes (ended) or cancels (decided in error) an intervention: what was delivered stays. */
export async function endIntervention(
  db: Db,
  actor: Actor,
  id: string,
  how: { status: 'CLOSED' | 'CANCELLED'; endOn?: string | null },
): Promise<Intervention> {
  return audited(
    db,
    actor,
    { action: 'UPDATE', entity: 'Intervention', entityId: id, personId: null },
    async (tx) => {
      const row = await requireReadableIntervention(tx, actor, id, 'id', true);
      if (!organizationsFor(actor, 'DECIDE').includes(row.organizationId)) {
        throw new Refusal('FORBIDDEN', 'non autorizzato: chiudere interventi', {
          action: 'UPDATE',
          entity: 'Intervention',
          entityId: id,
          personId: row.personId,
        });
      }
      if (row.status !== 'ACTIVE')
        throw new CaseworkError('CONFLICT', "l'intervento non è attivo", 'id');
      if (how.endOn && how.endOn < row.startOn) throw badInput('endOn', 'la fine precede l’inizio');
      await setInterventionStatus(
        tx,
        id,
        how.status,
        how.status === 'CLOSED' ? (how.endOn ?? null) : null,
      );
      await audit(tx, actor, {
        action: 'UPDATE',
        entity: 'Intervention',
        entityId: id,
        personId: row.personId,
        outcome: 'OK',
        details: { status: how.status },
      });
      return maskIntervention(tx, actor, (await selectIntervention(tx, id))!);
    },
  );
}

export type InterventionExportRow = Intervention & {
  serviceTitle: string | null;
  providerName: string;
  projectCode: string | null;
  officeName: string;
};

export const INTERVENTION_EXPORT_MAX_ROWS = 50_000;

/** The filtered interventions for Excel, CSV or PDF, masked for the caller and audited as an export. */
export async function listInterventionExportRows(
  db: Db,
  actor: Actor,
  raw: Omit<InterventionSearchInput, 'limit' | 'offset'> = {},
): Promise<InterventionExportRow[]> {
  const scope = interventionScopeOf(actor);
  const auditScope: AuditScope = {
    action: 'EXPORT',
    entity: 'Intervention',
    entityId: null,
    personId: null,
  };
  return audited(db, actor, auditScope, async (tx) => {
    requireSomeScope(scope, 'esportare interventi');
    const { limit: _, offset: __, ...filter } = parseInput(interventionSearchInput, raw, 'filter');
    await refuseHealthAtMaskingDesk(tx, actor, filter, FILTER_FIELDS, {
      action: 'EXPORT',
      entity: 'Intervention',
      personId: filter.personId ?? null,
    });
    const page = await searchInterventionRows(tx, scope, filter, {
      limit: INTERVENTION_EXPORT_MAX_ROWS,
      offset: 0,
    });
    const names = await selectInterventionNames(
      tx,
      page.items.map((i) => i.id),
    );
    await audit(tx, actor, {
      action: 'EXPORT',
      entity: 'Intervention',
      outcome: 'OK',
      details: {
        rows: page.items.length,
        persons: new Set(page.items.map((i) => i.personId)).size,
        filter,
      },
    });
    const masked = await maskInterventions(tx, actor, page.items);
    // The title names the service as the code does: absent where the code is.
    return masked.map((r) => {
      const n = names.get(r.id)!;
      return { ...r, ...n, serviceTitle: r.serviceCode === null ? null : n.serviceTitle };
    });
  });
}
