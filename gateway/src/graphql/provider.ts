import {
  addTariff,
  CONTRACT_KINDS,
  createContract,
  createProvider,
  type FundingSource,
  listContracts,
  listFundingSources,
  listProjects,
  listProviders,
  listTariffs,
  PROVIDER_KINDS,
  type Project,
  type Provider,
  type ProviderContract,
  registerProject,
  type Tariff,
  UNITS,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { str, withoutNulls } from './graphql-input.ts';

// What an organisation sets up before deciding interventions: providers (enti erogatori) with
// their contracts, tariffs, projects and their funding. No personal data; the service decides who
// may set them up (administrative staff, managers) and audits every refusal.

export const UnitEnum = builder.enumType('DeliveryUnit', {
  description: 'Unit of a tariff and of a delivered quantity: ora, giorno, accesso, mese, a corpo',
  values: UNITS,
});
const ProviderKindEnum = builder.enumType('ProviderKind', { values: PROVIDER_KINDS });
const ContractKindEnum = builder.enumType('ProviderContractKind', { values: CONTRACT_KINDS });

export const ProviderRef = builder.objectRef<Provider>('Provider').implement({
  description:
    'Ente erogatore: an in-house office, or a third-sector provider with its partner clients',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: ProviderKindEnum }),
    taxId: t.exposeString('taxId', { nullable: true, description: 'Partita IVA' }),
    organizationId: t.exposeID('organizationId', {
      nullable: true,
      description: 'THIRD_SECTOR: the provider’s own organisation (its partner clients act as it)',
    }),
    officeId: t.exposeID('officeId', {
      nullable: true,
      description: 'IN_HOUSE: the delivering office',
    }),
    registeredByOrganizationId: t.exposeID('registeredByOrganizationId'),
    active: t.exposeBoolean('active'),
    partnerClientIds: t.exposeStringList('partnerClientIds', {
      description: 'The partner clients that record deliveries as this provider',
    }),
  }),
});

const ContractRef = builder.objectRef<ProviderContract>('ProviderContract').implement({
  description: 'Contract, accreditation or in-house assignment: services, period, ceiling',
  fields: (t) => ({
    id: t.exposeID('id'),
    providerId: t.exposeID('providerId'),
    organizationId: t.exposeID('organizationId'),
    kind: t.expose('kind', { type: ContractKindEnum }),
    reference: t.exposeString('reference', {
      description: 'CIG, determina, atto di accreditamento',
    }),
    serviceCodes: t.exposeStringList('serviceCodes'),
    startOn: t.expose('startOn', { type: 'Date' }),
    endOn: t.expose('endOn', { type: 'Date', nullable: true }),
    ceilingAmount: t.exposeFloat('ceilingAmount', {
      nullable: true,
      description: 'Tetto di spesa, euro',
    }),
    spent: t.exposeFloat('spent', {
      description: 'Counted spending (recorded and accepted deliveries)',
    }),
  }),
});

const TariffRef = builder.objectRef<Tariff>('Tariff').implement({
  description:
    'Unit cost of a service by a provider for an organisation, in force [validFrom, validTo)',
  fields: (t) => ({
    id: t.exposeID('id'),
    organizationId: t.exposeID('organizationId'),
    providerId: t.exposeID('providerId'),
    serviceCode: t.exposeString('serviceCode'),
    unit: t.expose('unit', { type: UnitEnum }),
    unitCost: t.exposeFloat('unitCost'),
    validFrom: t.expose('validFrom', { type: 'Date' }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true, description: 'Exclusive' }),
  }),
});

const FundingSourceRef = builder.objectRef<FundingSource>('FundingSource').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    level: t.exposeString('level'),
  }),
});

const ProjectRef = builder.objectRef<Project>('Project').implement({
  description: 'Progetto with its funding source, budget and what has been spent against it',
  fields: (t) => ({
    id: t.exposeID('id'),
    organizationId: t.exposeID('organizationId'),
    code: t.exposeString('code'),
    title: t.exposeString('title'),
    fundingSourceCode: t.exposeString('fundingSourceCode'),
    budget: t.exposeFloat('budget'),
    startOn: t.expose('startOn', { type: 'Date' }),
    endOn: t.expose('endOn', { type: 'Date', nullable: true }),
    spent: t.exposeFloat('spent', { description: 'Recorded and accepted deliveries' }),
    pendingVerification: t.exposeFloat('pendingVerification', {
      description: 'Deliveries recorded by providers, not verified yet',
    }),
    remaining: t.float({ resolve: (p) => Math.round((p.budget - p.spent) * 100) / 100 }),
  }),
});

const CreateProviderInput = builder.inputType('CreateProviderInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: ProviderKindEnum, required: true }),
    taxId: t.string(),
    providerOrganizationId: t.field({ type: 'UUID' }),
    officeId: t.field({ type: 'UUID' }),
    organizationId: t.field({
      type: 'UUID',
      description: 'The registering organisation, if more than one',
    }),
  }),
});
const CreateContractInput = builder.inputType('CreateProviderContractInput', {
  fields: (t) => ({
    providerId: t.field({ type: 'UUID', required: true }),
    kind: t.field({ type: ContractKindEnum, required: true }),
    reference: t.string({ required: true }),
    serviceCodes: t.stringList({ required: true }),
    startOn: t.field({ type: 'Date', required: true }),
    endOn: t.field({ type: 'Date' }),
    ceilingAmount: t.float(),
    organizationId: t.field({ type: 'UUID' }),
  }),
});
const AddTariffInput = builder.inputType('AddTariffInput', {
  fields: (t) => ({
    providerId: t.field({ type: 'UUID', required: true }),
    serviceCode: t.string({ required: true }),
    unit: t.field({ type: UnitEnum, required: true }),
    unitCost: t.float({ required: true }),
    validFrom: t.field({ type: 'Date', required: true }),
    validTo: t.field({
      type: 'Date',
      description: 'Exclusive end; default: until the next version',
    }),
    organizationId: t.field({ type: 'UUID' }),
  }),
});
const RegisterProjectInput = builder.inputType('RegisterProjectInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    title: t.string({ required: true }),
    fundingSourceCode: t.string({ required: true }),
    budget: t.float({ required: true }),
    startOn: t.field({ type: 'Date', required: true }),
    endOn: t.field({ type: 'Date' }),
    organizationId: t.field({ type: 'UUID' }),
  }),
});

const ids = <T extends Record<string, unknown>>(input: T, keys: readonly string[]) => {
  const out: Record<string, unknown> = { ...withoutNulls(input) };
  for (const k of keys) if (out[k] !== undefined) out[k] = str(out[k] as string);
  // The service validates the whole input (zod); its type is the service's to check.
  return out as never;
};

builder.queryFields((t) => ({
  providers: t.withAuth(signedIn).field({
    type: [ProviderRef],
    description: 'Providers the caller’s organisation works with (a provider’s client: its own)',
    resolve: (_r, _a, ctx) => listProviders(ctx.db, ctx.actor),
  }),
  providerContracts: t.withAuth(signedIn).field({
    type: [ContractRef],
    description: 'Contracts and accreditations, with what has been spent against each',
    args: { providerId: t.arg({ type: 'UUID' }) },
    resolve: (_r, a, ctx) => listContracts(ctx.db, ctx.actor, str(a.providerId) ?? null),
  }),
  tariffs: t.withAuth(signedIn).field({
    type: [TariffRef],
    description: 'Tariffs of the caller’s organisations; `validOn`: only those in force that day',
    args: {
      providerId: t.arg({ type: 'UUID' }),
      serviceCode: t.arg.string(),
      validOn: t.arg({ type: 'Date' }),
    },
    resolve: (_r, a, ctx) =>
      listTariffs(ctx.db, ctx.actor, {
        providerId: str(a.providerId) ?? null,
        serviceCode: a.serviceCode ?? null,
        validOn: a.validOn ?? null,
      }),
  }),
  fundingSources: t.withAuth(signedIn).field({
    type: [FundingSourceRef],
    resolve: (_r, _a, ctx) => listFundingSources(ctx.db),
  }),
  projects: t.withAuth(signedIn).field({
    type: [ProjectRef],
    description: 'Projects with budget, spending and what waits for verification',
    resolve: (_r, _a, ctx) => listProjects(ctx.db, ctx.actor),
  }),
}));

builder.mutationFields((t) => ({
  createProvider: t.withAuth(signedIn).field({
    type: ProviderRef,
    description: 'Registers a provider (administrative staff, managers). Audited.',
    args: { input: t.arg({ type: CreateProviderInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      createProvider(
        ctx.db,
        ctx.actor,
        ids(input, ['providerOrganizationId', 'officeId', 'organizationId']),
      ),
  }),
  createProviderContract: t.withAuth(signedIn).field({
    type: ContractRef,
    description: 'Records a contract or accreditation of a provider. Audited.',
    args: { input: t.arg({ type: CreateContractInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      createContract(ctx.db, ctx.actor, ids(input, ['providerId', 'organizationId'])),
  }),
  addTariff: t.withAuth(signedIn).field({
    type: TariffRef,
    description:
      'Adds a tariff version: the open one closes where it starts; an overlap (TARIFF_OVERLAP) or a gap (TARIFF_GAP) is refused',
    args: { input: t.arg({ type: AddTariffInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      addTariff(ctx.db, ctx.actor, ids(input, ['providerId', 'organizationId'])),
  }),
  registerProject: t.withAuth(signedIn).field({
    type: ProjectRef,
    description: 'Registers a project with its funding source and budget. Audited.',
    args: { input: t.arg({ type: RegisterProjectInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      registerProject(ctx.db, ctx.actor, ids(input, ['organizationId'])),
  }),
}));
