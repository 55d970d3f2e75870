// Providers (enti erogatori) with their contracts and accreditations, tariffs, projects and their
// funding: what an organisation sets up before it decides interventions (seed 003 §2.3, SISO's
// AR_FF_* and V_AR_C_TARIFFA). No personal data; writes and refusals are audited all the same.
import { type Actor, actingFor } from '../access/actor.ts';
import { type AuditScope, audited, auditedCheck } from '../access/audited.ts';
import { audit } from '../audit/audit.ts';
import { parseInput } from '../case-file/case-file.util.ts';
import type { Db, Queryable } from '../db/db.ts';
import { badInput, CaseworkError } from '../errors.ts';
import { selectServicesValidOn } from '../service-catalog/service-catalog.store.ts';
import {
  type DeliveriesMode,
  organizationsFor,
  providerClientOrganization,
} from './deliveries.access.ts';
import { planTariffVersion } from './deliveries.rules.ts';
import {
  type AddTariffInput,
  addTariffInput,
  type CreateContractInput,
  type CreateProjectInput,
  type CreateProviderInput,
  createContractInput,
  createProjectInput,
  createProviderInput,
  type FundingSource,
  type Project,
  type Provider,
  type ProviderContract,
  type Tariff,
} from './deliveries.types.ts';
import {
  closeTariff,
  insertContract,
  insertProject,
  insertProvider,
  insertTariff,
  officeOrganization,
  organizationKind,
  selectContract,
  selectContracts,
  selectFundingSources,
  selectProject,
  selectProjects,
  selectProvider,
  selectProviders,
  selectTariffs,
  selectTariffVersions,
} from './provider.store.ts';

export const forbidden = (what: string) =>
  new CaseworkError('FORBIDDEN', `non autorizzato: ${what}`);

const scopeOf = (entity: string, action: AuditScope['action'] = 'CREATE'): AuditScope => ({
  action,
  entity,
  entityId: null,
  personId: null,
});

/**
 * The organisation an operator acts for in this mode: the one named (if they may), else their
 * only one. Refused when they may act for none, or must say which.
 */
export function actingOrganization(
  actor: Actor,
  mode: DeliveriesMode,
  named: string | null | undefined,
  what: string,
): string {
  return actingFor(actor, organizationsFor(actor, mode), named, {
    forbidden: () => forbidden(what),
    unnamed: () => badInput('input.organizationId', 'indicare per quale ente si opera'),
  });
}

const operatorIdOf = (actor: Actor) => (actor.kind === 'OPERATOR' ? actor.id : null);

export async function createProvider(
  db: Db,
  actor: Actor,
  raw: CreateProviderInput,
): Promise<Provider> {
  const scope = scopeOf('Provider');
  return audited(db, actor, scope, async (tx) => {
    const organizationId = actingOrganization(
      actor,
      'SET_UP',
      raw.organizationId ?? null,
      'registrare un ente erogatore',
    );
    const input = parseInput(createProviderInput, raw);
    if (input.kind === 'IN_HOUSE') {
      if (!input.officeId) throw badInput('input.officeId', "indicare l'ufficio che eroga");
      if ((await officeOrganization(tx, input.officeId)) !== organizationId) {
        throw badInput('input.officeId', "l'ufficio non è dell'ente");
      }
      if (input.providerOrganizationId) {
        throw badInput(
          'input.providerOrganizationId',
          'un servizio interno non ha un ente proprio',
        );
      }
    } else {
      if (!input.providerOrganizationId) {
        throw badInput(
          'input.providerOrganizationId',
          "indicare l'organizzazione dell'ente erogatore",
        );
      }
      if ((await organizationKind(tx, input.providerOrganizationId)) !== 'PROVIDER') {
        throw badInput(
          'input.providerOrganizationId',
          "l'organizzazione indicata non è un ente erogatore",
        );
      }
      if (input.officeId)
        throw badInput('input.officeId', 'un ente del terzo settore non è un ufficio');
    }
    const provider = await insertProvider(tx, {
      name: input.name,
      kind: input.kind,
      taxId: input.taxId ?? null,
      organizationId: input.providerOrganizationId ?? null,
      officeId: input.officeId ?? null,
      registeredBy: organizationId,
    });
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'Provider',
      entityId: provider.id,
      outcome: 'OK',
    });
    return provider;
  });
}

/** The providers the caller works with (a provider's client: its own). */
export async function listProviders(db: Db, actor: Actor): Promise<Provider[]> {
  const client = providerClientOrganization(actor);
  if (client) return selectProviders(db, { providerOrganizationId: client });
  const orgs = organizationsFor(actor, 'REFERENCE');
  await auditedCheck(db, actor, scopeOf('Provider', 'SEARCH'), () => {
    if (orgs.length === 0) throw forbidden('enti erogatori');
  });
  return selectProviders(db, { organizationIds: orgs });
}

async function checkServiceCodes(q: Queryable, codes: string[], day: string, field: string) {
  const found = await selectServicesValidOn(q, [...new Set(codes)], day);
  codes.forEach((code, i) => {
    if (!found.has(code)) {
      throw new CaseworkError(
        'SERVICE_NOT_VALID_ON_DATE',
        `il servizio ${code} non è nel nomenclatore valido al ${day}`,
        `${field}.${i}`,
      );
    }
  });
}

export async function createContract(
  db: Db,
  actor: Actor,
  raw: CreateContractInput,
): Promise<ProviderContract> {
  return audited(db, actor, scopeOf('ProviderContract'), async (tx) => {
    const organizationId = actingOrganization(
      actor,
      'SET_UP',
      raw.organizationId ?? null,
      'registrare un contratto',
    );
    const input = parseInput(createContractInput, raw);
    if (input.endOn && input.endOn < input.startOn) {
      throw badInput('input.endOn', 'la fine precede l’inizio');
    }
    const provider = await selectProvider(tx, input.providerId);
    if (!provider)
      throw new CaseworkError('NOT_FOUND', 'ente erogatore non trovato', 'input.providerId');
    if ((provider.kind === 'IN_HOUSE') !== (input.kind === 'IN_HOUSE')) {
      throw badInput(
        'input.kind',
        'un servizio interno ha un affidamento interno, un ente esterno un contratto o un accreditamento',
      );
    }
    await checkServiceCodes(tx, input.serviceCodes, input.startOn, 'input.serviceCodes');
    const id = await insertContract(tx, {
      providerId: input.providerId,
      organizationId,
      kind: input.kind,
      reference: input.reference,
      serviceCodes: input.serviceCodes,
      startOn: input.startOn,
      endOn: input.endOn ?? null,
      ceilingAmount: input.ceilingAmount ?? null,
      createdBy: operatorIdOf(actor),
    });
    if (!id) {
      throw new CaseworkError(
        'CONFLICT',
        `esiste già un contratto ${input.reference} dell'ente`,
        'input.reference',
      );
    }
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'ProviderContract',
      entityId: id,
      outcome: 'OK',
    });
    return (await selectContract(tx, id))!;
  });
}

export async function listContracts(
  db: Db,
  actor: Actor,
  providerId: string | null = null,
): Promise<ProviderContract[]> {
  const client = providerClientOrganization(actor);
  if (client) return selectContracts(db, { providerOrganizationId: client }, providerId);
  const orgs = organizationsFor(actor, 'REFERENCE');
  await auditedCheck(db, actor, scopeOf('ProviderContract', 'SEARCH'), () => {
    if (orgs.length === 0) throw forbidden('contratti');
  });
  return selectContracts(db, { organizationIds: orgs }, providerId);
}

/**
 * Adds a version of a tariff: the open version of the same key closes where the new one starts;
 * an overlap or a gap is refused (deliveries.rules.ts planTariffVersion).
 */
export async function addTariff(db: Db, actor: Actor, raw: AddTariffInput): Promise<Tariff> {
  return audited(db, actor, scopeOf('Tariff'), async (tx) => {
    const organizationId = actingOrganization(
      actor,
      'SET_UP',
      raw.organizationId ?? null,
      'registrare una tariffa',
    );
    const input = parseInput(addTariffInput, raw);
    if (!(await selectProvider(tx, input.providerId))) {
      throw new CaseworkError('NOT_FOUND', 'ente erogatore non trovato', 'input.providerId');
    }
    await checkServiceCodes(tx, [input.serviceCode], input.validFrom, 'input.serviceCode');
    const key = {
      organizationId,
      providerId: input.providerId,
      serviceCode: input.serviceCode,
      unit: input.unit,
    };
    const versions = await selectTariffVersions(tx, key, true);
    const { close } = planTariffVersion(versions, {
      validFrom: input.validFrom,
      validTo: input.validTo ?? null,
    });
    if (close) await closeTariff(tx, close.id, close.validTo);
    const tariff = await insertTariff(tx, {
      ...key,
      unitCost: input.unitCost,
      validFrom: input.validFrom,
      validTo: input.validTo ?? null,
      createdBy: operatorIdOf(actor),
    });
    await audit(tx, actor, {
      action: 'CREATE',
      entity: 'Tariff',
      entityId: tariff.id,
      outcome: 'OK',
      details: close ? { closed: close.id } : null,
    });
    return tariff;
  });
}

export async function listTariffs(
  db: Db,
  actor: Actor,
  filter: { providerId?: string | null; serviceCode?: string | null; validOn?: string | null } = {},
): Promise<Tariff[]> {
  const orgs = organizationsFor(actor, 'REFERENCE');
  await auditedCheck(db, actor, scopeOf('Tariff', 'SEARCH'), () => {
    if (orgs.length === 0) throw forbidden('tariffe');
  });
  return selectTariffs(db, {
    organizationIds: orgs,
    providerId: filter.providerId ?? null,
    serviceCode: filter.serviceCode ?? null,
    validOn: filter.validOn ?? null,
  });
}

export async function listFundingSources(db: Db): Promise<FundingSource[]> {
  return selectFundingSources(db);
}

export async function registerProject(
  db: Db,
  actor: Actor,
  raw: CreateProjectInput,
): Promise<Project> {
  return audited(db, actor, scopeOf('Project'), async (tx) => {
    const organizationId = actingOrganization(
      actor,
      'SET_UP',
      raw.organizationId ?? null,
      'registrare un progetto',
    );
    const input = parseInput(createProjectInput, raw);
    if (input.endOn && input.endOn < input.startOn)
      throw badInput('input.endOn', 'la fine precede l’inizio');
    const sources = await selectFundingSources(tx);
    if (!sources.some((s) => s.code === input.fundingSourceCode)) {
      throw badInput('input.fundingSourceCode', 'fonte di finanziamento sconosciuta');
    }
    const id = await insertProject(tx, {
      organizationId,
      code: input.code,
      title: input.title,
      fundingSourceCode: input.fundingSourceCode,
      budget: input.budget,
      startOn: input.startOn,
      endOn: input.endOn ?? null,
      createdBy: operatorIdOf(actor),
    });
    if (!id)
      throw new CaseworkError('CONFLICT', `esiste già un progetto ${input.code}`, 'input.code');
    await audit(tx, actor, { action: 'CREATE', entity: 'Project', entityId: id, outcome: 'OK' });
    return (await selectProject(tx, id))!;
  });
}

/** Projects with their budget and spending, for the organisations the caller works for. */
export async function listProjects(db: Db, actor: Actor): Promise<Project[]> {
  const orgs = organizationsFor(actor, 'REFERENCE');
  await auditedCheck(db, actor, scopeOf('Project', 'SEARCH'), () => {
    if (orgs.length === 0) throw forbidden('progetti');
  });
  return selectProjects(db, orgs);
}
