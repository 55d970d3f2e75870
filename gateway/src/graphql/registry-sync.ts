import {
  listPersonChangeNotices,
  markPersonChangeNoticeRead,
  type PersonChangeNotice,
  type PersonChangeNoticePage,
} from '@hub/casework';
import { builder, signedIn } from './builder.ts';

// The registry change notices (casework/src/registry-sync): what ANPR's change notifications
// (C001) tell the operators of a person's open case files. Who reads which is decided in
// casework: the notices of the case files the operator is enabled on, while enabled and the case
// file open (those notified before they were enabled too); each operator's read state their own.

const PersonChangeKind = builder.enumType('PersonChangeKind', {
  values: {
    CAMBIO_RESIDENZA: { description: 'Change of residence' },
    NUOVO_COMPONENTE: { description: 'A new member of the family' },
    DECESSO: { description: 'Death' },
  },
});

const PersonChangeNoticeRef = builder
  .objectRef<PersonChangeNotice>('PersonChangeNotice')
  .implement({
    description:
      "A change the registry notified about a person of one of the operator's open case files",
    fields: (t) => ({
      id: t.exposeID('id'),
      kind: t.expose('kind', { type: PersonChangeKind }),
      notificationId: t.exposeString('notificationId', {
        description: 'The id of the registry notification (ANPR C001)',
      }),
      eventDate: t.expose('eventDate', { type: 'Date', description: 'When the change happened' }),
      caseFileId: t.exposeID('caseFileId'),
      personId: t.exposeID('personId'),
      personName: t.exposeString('personName', { nullable: true }),
      summary: t.exposeString('summary', { description: 'In Italian, as the operator reads it' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      readAt: t.expose('readAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When the caller marked it read (null: not read by them)',
      }),
    }),
  });

const PersonChangeNoticePageRef = builder
  .objectRef<PersonChangeNoticePage>('PersonChangeNoticePage')
  .implement({
    fields: (t) => ({
      items: t.expose('items', { type: [PersonChangeNoticeRef] }),
      nextCursor: t.exposeString('nextCursor', {
        nullable: true,
        description: 'Pass as `after` for the next page; null on the last one',
      }),
      unread: t.exposeInt('unread', { description: "The caller's unread notices in all" }),
    }),
  });

builder.queryFields((t) => ({
  personChangeNotices: t.withAuth(signedIn).field({
    type: PersonChangeNoticePageRef,
    description:
      "The caller's registry change notices (change of residence, new family member, death) about the persons of the open case files they are enabled on, newest first. Operators only. Audited.",
    args: {
      first: t.arg.int({ description: 'From 1 to 100, default 20' }),
      after: t.arg.string(),
      unreadOnly: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) =>
      listPersonChangeNotices(ctx.db, ctx.actor, {
        first: args.first ?? undefined,
        after: args.after ?? undefined,
        unreadOnly: args.unreadOnly ?? undefined,
      }),
  }),
}));

builder.mutationFields((t) => ({
  markPersonChangeNoticeRead: t.withAuth(signedIn).field({
    type: PersonChangeNoticeRef,
    description:
      "Marks one of the caller's notices read (for the caller only). Refused: NOT_FOUND (unknown, or of a case file the caller was never on), FORBIDDEN (no longer enabled on the open case file). Audited.",
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => markPersonChangeNoticeRead(ctx.db, ctx.actor, String(args.id)),
  }),
}));
