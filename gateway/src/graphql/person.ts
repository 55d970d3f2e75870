import {
  createPerson,
  findPersonByTaxCode,
  getPerson,
  type Person,
  searchPersons,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';

const FieldSource = builder.enumType('FieldSource', {
  values: ['ANPR', 'MUNICIPAL_REGISTRY', 'HEALTH_REGISTRY', 'TYPED'] as const,
});

const FieldSourceEntry = builder
  .objectRef<{ field: string; source: string }>('FieldSourceEntry')
  .implement({
    description: 'Where one field of the person came from',
    fields: (t) => ({ field: t.exposeString('field'), source: t.exposeString('source') }),
  });

export const PersonRef = builder.objectRef<Person>('Person').implement({
  description: 'Anagrafica: a person known to the social services',
  authScopes: { authenticated: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    taxCode: t.exposeString('taxCode', { nullable: true, description: 'Codice fiscale' }),
    anonymous: t.exposeBoolean('anonymous'),
    alias: t.exposeString('alias', { nullable: true }),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    sex: t.exposeString('sex', { nullable: true }),
    birthDate: t.expose('birthDate', { type: 'Date', nullable: true }),
    birthPlaceCode: t.exposeString('birthPlaceCode', {
      nullable: true,
      description: 'Belfiore code of the birth municipality, or Z code of the foreign country',
    }),
    citizenship: t.exposeString('citizenship', { nullable: true }),
    residenceMunicipality: t.exposeString('residenceMunicipality', {
      nullable: true,
      description: 'ISTAT code',
    }),
    residenceAddress: t.exposeString('residenceAddress', { nullable: true }),
    domicileMunicipality: t.exposeString('domicileMunicipality', { nullable: true }),
    domicileAddress: t.exposeString('domicileAddress', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    permitType: t.exposeString('permitType', {
      nullable: true,
      description: 'PERMIT group: absent where masked',
    }),
    permitExpiry: t.expose('permitExpiry', { type: 'Date', nullable: true }),
    fieldSources: t.field({
      type: [FieldSourceEntry],
      resolve: (p) => Object.entries(p.fieldSources).map(([field, source]) => ({ field, source })),
    }),
    maskedFields: t.exposeStringList('maskedFields', {
      description: "Fields withheld by the desk profile of the caller's contact point",
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

// Who may read persons is decided, and every refusal audited, in casework (person.access.ts).

builder.queryFields((t) => ({
  personByTaxCode: t.withAuth(signedIn).field({
    type: PersonRef,
    nullable: true,
    description: 'Looks a person up by codice fiscale (omocodia accepted). Audited.',
    args: { taxCode: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => findPersonByTaxCode(ctx.db, ctx.actor, args.taxCode),
  }),
  person: t.withAuth(signedIn).field({
    type: PersonRef,
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => getPerson(ctx.db, ctx.actor, String(args.id)),
  }),
  searchPersons: t.withAuth(signedIn).field({
    type: [PersonRef],
    description:
      "Persons of the caller's organisations whose surname (and name) start with the given text",
    args: {
      lastName: t.arg.string({ required: true }),
      firstName: t.arg.string(),
      limit: t.arg.int({ defaultValue: 20 }),
    },
    resolve: (_root, args, ctx) =>
      searchPersons(ctx.db, ctx.actor, { ...args, limit: args.limit ?? undefined }),
  }),
}));

const FieldSourceInput = builder.inputType('FieldSourceInput', {
  fields: (t) => ({
    field: t.string({ required: true }),
    source: t.field({ type: FieldSource, required: true }),
  }),
});

const CreatePersonInput = builder.inputType('CreatePersonInput', {
  fields: (t) => ({
    taxCode: t.string(),
    anonymous: t.boolean({ defaultValue: false }),
    alias: t.string(),
    firstName: t.string(),
    lastName: t.string(),
    sex: t.string(),
    birthDate: t.field({ type: 'Date' }),
    birthPlaceCode: t.string(),
    citizenship: t.string(),
    residenceMunicipality: t.string({ description: 'ISTAT code (6 digits)' }),
    residenceAddress: t.string(),
    domicileMunicipality: t.string(),
    domicileAddress: t.string(),
    phone: t.string(),
    email: t.string(),
    permitType: t.string(),
    permitExpiry: t.field({ type: 'Date' }),
    fieldSources: t.field({ type: [FieldSourceInput] }),
    organizationId: t.field({ type: 'UUID' }),
  }),
});

builder.mutationFields((t) => ({
  createPerson: t.withAuth(signedIn).field({
    type: PersonRef,
    description:
      'Registers a person. Refused: INVALID_TAX_CODE, UNKNOWN_ISTAT_CODE, DUPLICATE_PERSON.',
    args: { input: t.arg({ type: CreatePersonInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { fieldSources, organizationId, sex, ...rest } = input;
      return createPerson(ctx.db, ctx.actor, {
        ...rest,
        anonymous: rest.anonymous ?? false,
        sex: sex as 'M' | 'F' | null | undefined,
        organizationId: organizationId == null ? null : String(organizationId),
        fieldSources: Object.fromEntries((fieldSources ?? []).map((f) => [f.field, f.source])),
      });
    },
  }),
}));
