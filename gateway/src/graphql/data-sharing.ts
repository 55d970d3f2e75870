import {
  type DataSharingAgreement,
  listDataSharingAgreements,
  recordDataSharingAgreement,
  revokeDataSharingAgreement,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';

// Data-sharing agreements between organisations: the basis on which a case file's access list,
// its referrals and its organisation grants may reach another organisation. The service decides
// who may read (administrators, coordinators) and record them (administrators), and audits.

const AgreementRef = builder.objectRef<DataSharingAgreement>('DataSharingAgreement').implement({
  description:
    'Convenzione or protocollo d’intesa: personal data of a case may travel between the two',
  fields: (t) => ({
    id: t.exposeID('id'),
    organizationId: t.exposeID('organizationId'),
    organizationName: t.exposeString('organizationName'),
    partnerOrganizationId: t.exposeID('partnerOrganizationId'),
    partnerOrganizationName: t.exposeString('partnerOrganizationName'),
    purpose: t.exposeString('purpose'),
    reference: t.exposeString('reference', { description: 'The act: number and date' }),
    validFrom: t.expose('validFrom', { type: 'Date' }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const RecordAgreementInput = builder.inputType('RecordDataSharingAgreementInput', {
  fields: (t) => ({
    organizationId: t.field({ type: 'UUID', required: true }),
    partnerOrganizationId: t.field({ type: 'UUID', required: true }),
    purpose: t.string({ required: true }),
    reference: t.string({ required: true }),
    validFrom: t.field({ type: 'Date', required: true }),
    validTo: t.field({ type: 'Date' }),
  }),
});

builder.queryFields((t) => ({
  dataSharingAgreements: t.withAuth(signedIn).field({
    type: [AgreementRef],
    description: 'Agreements of the caller’s organisations (administrators: all). Audited.',
    resolve: (_root, _args, ctx) => listDataSharingAgreements(ctx.db, ctx.actor),
  }),
}));

builder.mutationFields((t) => ({
  recordDataSharingAgreement: t.withAuth(signedIn).field({
    type: AgreementRef,
    description: 'Records an agreement between two organisations (administrators). Audited.',
    args: { input: t.arg({ type: RecordAgreementInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordDataSharingAgreement(ctx.db, ctx.actor, {
        ...input,
        organizationId: String(input.organizationId),
        partnerOrganizationId: String(input.partnerOrganizationId),
      }),
  }),
  revokeDataSharingAgreement: t.withAuth(signedIn).field({
    type: AgreementRef,
    description: 'Revokes an agreement from now on (administrators). Audited.',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => revokeDataSharingAgreement(ctx.db, ctx.actor, String(args.id)),
  }),
}));
