import { badInput, type CaseDocumentMeta, downloadDocument, uploadDocument } from '@hub/casework';
import { builder, signedIn } from './builder.ts';
import { withoutNulls } from './graphql-input.ts';

// The documents of the case file: upload (type checked by content) and download. The service
// checks the access list and audits.

export const DocumentRef = builder.objectRef<CaseDocumentMeta>('CaseDocument').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    subfolder: t.exposeInt('subfolder', { description: 'SISO sottocartella_documenti 1–9' }),
    fileName: t.exposeString('fileName'),
    mediaType: t.exposeString('mediaType', { description: 'Detected from the content' }),
    sizeBytes: t.exposeInt('sizeBytes'),
    sha256: t.exposeString('sha256'),
    description: t.exposeString('description', { nullable: true }),
    uploadedBy: t.exposeID('uploadedBy', { nullable: true }),
    uploadedAt: t.expose('uploadedAt', { type: 'DateTime' }),
  }),
});

type DocumentContent = CaseDocumentMeta & { caseFileId: string; content: Uint8Array };
const DocumentContentRef = builder.objectRef<DocumentContent>('CaseDocumentContent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    caseFileId: t.exposeID('caseFileId'),
    fileName: t.exposeString('fileName'),
    mediaType: t.exposeString('mediaType'),
    sizeBytes: t.exposeInt('sizeBytes'),
    sha256: t.exposeString('sha256'),
    contentBase64: t.string({ resolve: (d) => Buffer.from(d.content).toString('base64') }),
  }),
});

const UploadInput = builder.inputType('UploadCaseDocumentInput', {
  fields: (t) => ({
    fileName: t.string({ required: true }),
    contentBase64: t.string({ required: true }),
    subfolder: t.int({ description: 'SISO sottocartella_documenti 1–9 (default 9, altro)' }),
    description: t.string(),
  }),
});

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw badInput('input.contentBase64', 'contenuto non in base64');
  }
  return Uint8Array.from(Buffer.from(clean, 'base64'));
}

builder.queryFields((t) => ({
  caseDocument: t.withAuth(signedIn).field({
    type: DocumentContentRef,
    description: 'A document with its content (base64), for download. Audited.',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => downloadDocument(ctx.db, ctx.actor, String(args.id)),
  }),
}));

builder.mutationFields((t) => ({
  uploadCaseDocument: t.withAuth(signedIn).field({
    type: DocumentRef,
    description:
      'PDF, PNG, JPEG, ODT, DOCX or TXT, checked by content. Refused: FORBIDDEN_FILE_TYPE, FILE_TOO_LARGE.',
    args: {
      caseFileId: t.arg({ type: 'UUID', required: true }),
      input: t.arg({ type: UploadInput, required: true }),
    },
    resolve: (_root, { caseFileId, input }, ctx) => {
      const { contentBase64, ...rest } = withoutNulls(input);
      return uploadDocument(ctx.db, ctx.actor, String(caseFileId), {
        ...rest,
        content: decodeBase64(contentBase64),
      });
    },
  }),
}));
