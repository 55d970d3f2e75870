import {
  addCustomNeedCode,
  addCustomServiceCode,
  listNeedCodes,
  listServiceVersions,
  type NeedCode,
  reviseCustomServiceCode,
  type ServiceCatalogEntry,
  searchServiceCatalog,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';

export const ServiceCatalogEntryRef = builder
  .objectRef<ServiceCatalogEntry>('ServiceCatalogEntry')
  .implement({
    description:
      'Nomenclatore: one version of a service code, with its validity and the source it was loaded from',
    fields: (t) => ({
      id: t.exposeID('id'),
      scheme: t.exposeString('scheme', {
        description:
          'INPS_PRESTAZIONE_DA_EROGARE, ISTATDATA_CATEGORY_OF_SERVICE or REGIONAL_CUSTOM',
      }),
      code: t.exposeString('code'),
      version: t.exposeInt('version'),
      title: t.exposeString('title'),
      description: t.exposeString('description', { nullable: true }),
      category: t.exposeString('category', {
        nullable: true,
        description: 'Group in the source hierarchy',
      }),
      parentCode: t.exposeString('parentCode', { nullable: true }),
      requestable: t.exposeBoolean('requestable', {
        description: 'False for aggregates that classify but cannot be requested',
      }),
      validFrom: t.expose('validFrom', {
        type: 'Date',
        nullable: true,
        description: 'null: no known start',
      }),
      validTo: t.expose('validTo', { type: 'Date', nullable: true, description: 'Exclusive end' }),
      source: t.exposeString('source', { description: 'Where the row comes from' }),
      sourceNote: t.exposeString('sourceNote', { nullable: true }),
      regionCode: t.exposeString('regionCode', { nullable: true }),
      mapsToCode: t.exposeString('mapsToCode', {
        nullable: true,
        description: 'For a regional custom code: the standard code it maps to',
      }),
    }),
  });

export const NeedCodeRef = builder.objectRef<NeedCode>('NeedCode').implement({
  description: 'A coded need (bisogno espresso): an ISTAT area of users, or a regional refinement',
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    scheme: t.exposeString('scheme'),
    parentCode: t.exposeString('parentCode', { nullable: true }),
    validFrom: t.expose('validFrom', { type: 'Date', nullable: true }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true }),
    source: t.exposeString('source'),
    regionCode: t.exposeString('regionCode', { nullable: true }),
  }),
});

// Reference data: any signed-in caller may read it.
builder.queryFields((t) => ({
  serviceCatalog: t.withAuth(signedIn).field({
    type: [ServiceCatalogEntryRef],
    description: 'Searches the nomenclator by code or words (all must match), valid on a day',
    args: {
      text: t.arg.string(),
      validOn: t.arg({ type: 'Date', description: 'Default: today' }),
      includeAllVersions: t.arg.boolean(),
      scheme: t.arg.string(),
      category: t.arg.string(),
      requestableOnly: t.arg.boolean(),
      limit: t.arg.int(),
    },
    resolve: (_root, args, ctx) =>
      searchServiceCatalog(ctx.db, {
        text: args.text,
        validOn: args.validOn,
        includeAllVersions: args.includeAllVersions ?? undefined,
        scheme: args.scheme,
        category: args.category,
        requestableOnly: args.requestableOnly ?? undefined,
        limit: args.limit ?? undefined,
      }),
  }),
  serviceCatalogVersions: t.withAuth(signedIn).field({
    type: [ServiceCatalogEntryRef],
    description: 'Every version of a code, oldest first',
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => listServiceVersions(ctx.db, args.code),
  }),
  needCodes: t.withAuth(signedIn).field({
    type: [NeedCodeRef],
    args: { validOn: t.arg({ type: 'Date', description: 'Default: every code' }) },
    resolve: (_root, args, ctx) => listNeedCodes(ctx.db, args.validOn ?? null),
  }),
}));

const AddCustomServiceCodeInput = builder.inputType('AddCustomServiceCodeInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    title: t.string({ required: true }),
    description: t.string(),
    mapsToCode: t.string({ required: true, description: 'The standard code it maps to' }),
    regionCode: t.string({ required: true, description: 'ISTAT region code, e.g. 10' }),
    parentCode: t.string(),
    category: t.string(),
    validFrom: t.field({ type: 'Date' }),
    validTo: t.field({ type: 'Date' }),
  }),
});

const ReviseCustomServiceCodeInput = builder.inputType('ReviseCustomServiceCodeInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    validFrom: t.field({ type: 'Date', required: true }),
    title: t.string({ required: true }),
    description: t.string(),
    mapsToCode: t.string(),
  }),
});

const AddCustomNeedCodeInput = builder.inputType('AddCustomNeedCodeInput', {
  fields: (t) => ({
    code: t.string({ required: true }),
    label: t.string({ required: true }),
    parentCode: t.string({ required: true, description: 'The ISTAT area it refines' }),
    regionCode: t.string({ required: true }),
    validFrom: t.field({ type: 'Date' }),
    validTo: t.field({ type: 'Date' }),
  }),
});

// The service checks the ADMINISTRATOR role and audits refusals.
builder.mutationFields((t) => ({
  addCustomServiceCode: t.withAuth(signedIn).field({
    type: ServiceCatalogEntryRef,
    description:
      'Adds a regional code mapped to a standard one (ADMINISTRATOR). Refused: FORBIDDEN, CONFLICT, UNKNOWN_SERVICE_CODE.',
    args: { input: t.arg({ type: AddCustomServiceCodeInput, required: true }) },
    resolve: (_root, { input }, ctx) => addCustomServiceCode(ctx.db, ctx.actor, input),
  }),
  reviseCustomServiceCode: t.withAuth(signedIn).field({
    type: ServiceCatalogEntryRef,
    description: 'Starts a new version of a regional code (ADMINISTRATOR)',
    args: { input: t.arg({ type: ReviseCustomServiceCodeInput, required: true }) },
    resolve: (_root, { input }, ctx) => reviseCustomServiceCode(ctx.db, ctx.actor, input),
  }),
  addCustomNeedCode: t.withAuth(signedIn).field({
    type: NeedCodeRef,
    description: 'Adds a regional need refining an ISTAT area (ADMINISTRATOR)',
    args: { input: t.arg({ type: AddCustomNeedCodeInput, required: true }) },
    resolve: (_root, { input }, ctx) => addCustomNeedCode(ctx.db, ctx.actor, input),
  }),
}));
