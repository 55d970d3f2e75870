// Individual documents of the case file (documenti individuali): kept in the store with the case
// (so backups hold them), checked by content before they are accepted, audited on download.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Actor, maskedGroupsOf, type SensitiveGroup } from '../../access/actor.ts';
import { Refusal } from '../../access/audited.ts';
import type { Db } from '../../db/db.ts';
import { CaseworkError } from '../../errors.ts';
import { auditCaseRead, auditCaseWrite, authorizeCase, operatorIdOf } from '../case-file.access.ts';
import type { CaseDocumentMeta } from '../case-file.types.ts';
import { inTransaction, notFound, parseInput, today } from '../case-file.util.ts';
import { insertDiaryEntry } from '../dossier/dossier.store.ts';
import { DIARY_TYPE } from '../dossier/dossier.types.ts';
import { checkUpload } from './file-type.ts';

/**
 * SISO sottocartella_documenti, with the sensitive group of the documents each holds: a desk
 * that masks the group neither lists nor downloads them (issue 8, defect 4). Court decrees and
 * reports are judicial; health documents and psychological support are health; economic
 * contributions are economic.
 */
export const DOCUMENT_SUBFOLDERS = [
  {
    id: 1,
    constant: 'ID_TRIBUNALE_DECRETI_RELAZIONI',
    label: 'Tribunale: decreti e relazioni',
    group: 'JUDICIAL',
  },
  {
    id: 2,
    constant: 'ID_DOCUMENTI_IN_ENTRATA_DA_ALTRI_SERVIZI',
    label: 'Documenti in entrata da altri servizi',
    group: null,
  },
  {
    id: 3,
    constant: 'ID_DOCUMENTI_IN_USCITA_PER_ALTRI_SERVIZI',
    label: 'Documenti in uscita per altri servizi',
    group: null,
  },
  { id: 4, constant: 'ID_DIARIO', label: 'Diario', group: null },
  {
    id: 5,
    constant: 'ID_CONTRIBUTI_ECONOMICI',
    label: 'Contributi economici',
    group: 'ECONOMIC',
  },
  { id: 6, constant: 'ID_DOCUMENTI_SANITARI', label: 'Documenti sanitari', group: 'HEALTH' },
  {
    id: 7,
    constant: 'ID_CALENDARI_E_ACCORDI_PRESI',
    label: 'Calendari e accordi presi',
    group: null,
  },
  { id: 8, constant: 'ID_SOSTEGNO_PSICOLOGICO', label: 'Sostegno psicologico', group: 'HEALTH' },
  { id: 9, constant: 'ID_ALTRO', label: 'Altro', group: null },
] as const satisfies readonly {
  id: number;
  constant: string;
  label: string;
  group: SensitiveGroup | null;
}[];

/** The sensitive group of a subfolder's documents, or null. */
export const subfolderGroup = (subfolder: number): SensitiveGroup | null =>
  DOCUMENT_SUBFOLDERS.find((f) => f.id === subfolder)?.group ?? null;

/** The subfolders whose documents are withheld from an actor masking these groups. */
export const withheldSubfolders = (groups: ReadonlySet<SensitiveGroup>): number[] =>
  DOCUMENT_SUBFOLDERS.filter((f) => f.group !== null && groups.has(f.group)).map((f) => f.id);

export const uploadDocumentInput = z
  .object({
    fileName: z
      .string()
      .trim()
      .min(1, 'nome del file obbligatorio')
      .max(255)
      .refine(
        (n) =>
          !n.includes('/') && !n.includes('\\') && [...n].every((ch) => ch.charCodeAt(0) >= 0x20),
        'il nome del file non può contenere percorsi o caratteri di controllo',
      ),
    subfolder: z.number().int().min(1).max(9).default(9),
    description: z.string().trim().min(1).max(2000).nullish(),
    content: z.instanceof(Uint8Array, { error: 'contenuto del file mancante' }),
  })
  .strict();
export type UploadDocumentInput = z.input<typeof uploadDocumentInput>;

export type CaseDocumentContent = CaseDocumentMeta & { caseFileId: string; content: Uint8Array };

const META_COLUMNS = `id, subfolder, file_name AS "fileName", media_type AS "mediaType", size_bytes AS "sizeBytes",
  sha256, description, uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"`;

export async function uploadDocument(
  db: Db,
  actor: Actor,
  caseFileId: string,
  raw: UploadDocumentInput,
): Promise<CaseDocumentMeta> {
  const input = parseInput(uploadDocumentInput, raw);
  const { mediaType } = checkUpload(input.fileName, input.content);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  return inTransaction(db, actor, async (tx) => {
    const c = await authorizeCase(tx, actor, caseFileId, 'WRITE', 'CaseDocument');
    if (c instanceof CaseworkError) return c;
    const by = operatorIdOf(actor);
    const rows = await tx.query<CaseDocumentMeta>(
      `INSERT INTO case_document (case_file_id, subfolder, file_name, media_type, size_bytes, sha256, content,
         description, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${META_COLUMNS}`,
      [
        caseFileId,
        input.subfolder,
        input.fileName,
        mediaType,
        input.content.length,
        sha256,
        Buffer.from(input.content),
        input.description ?? null,
        by,
      ],
    );
    const doc = rows[0]!;
    await insertDiaryEntry(tx, {
      caseFileId,
      typeId: DIARY_TYPE.DOCUMENT,
      on: today(),
      text: `Caricato il documento ${input.fileName}`,
      authorId: by,
      sourceKind: 'case_document',
      sourceId: doc.id,
      sensitiveGroup: subfolderGroup(input.subfolder),
    });
    await auditCaseWrite(tx, actor, c, 'CREATE', 'CaseDocument', doc.id, {
      sha256,
      sizeBytes: input.content.length,
    });
    return doc;
  });
}

/**
 * The document with its content, for download; audited as a read of case data. A document of a
 * subfolder whose group the actor's desk masks is refused (FORBIDDEN, audited with the document),
 * as it is left out of the case file's list of documents.
 */
export async function downloadDocument(
  db: Db,
  actor: Actor,
  documentId: string,
): Promise<CaseDocumentContent> {
  return inTransaction(db, actor, async (tx) => {
    const owner = await tx.query<{ caseFileId: string; subfolder: number }>(
      'SELECT case_file_id AS "caseFileId", subfolder FROM case_document WHERE id = $1',
      [documentId],
    );
    if (!owner[0]) return notFound('documento', 'documentId');
    const caseFileId = owner[0].caseFileId;
    // A refusal by the case's access list names the document asked for, not only its case.
    const c = await authorizeCase(tx, actor, caseFileId, 'READ', 'CaseDocument').catch((e) => {
      if (!(e instanceof Refusal)) throw e;
      throw new Refusal(
        e.code,
        e.message,
        { ...e.entry, entityId: documentId, details: { caseFileId, documentId } },
        'documentId',
      );
    });
    if (c instanceof CaseworkError) return c;
    const group = subfolderGroup(owner[0].subfolder);
    if (group && maskedGroupsOf(actor).has(group)) {
      // The refusal names neither the file nor its subfolder.
      throw new Refusal(
        'FORBIDDEN',
        'documento riservato: non consultabile da questo sportello',
        {
          action: 'READ',
          entity: 'CaseDocument',
          entityId: documentId,
          personId: c.personId,
          reason: `document of a group masked at the desk: ${group}`,
          details: { caseFileId: c.id, documentId, subfolder: owner[0].subfolder },
        },
        'documentId',
      );
    }
    const rows = await tx.query<CaseDocumentMeta & { caseFileId: string; content: Uint8Array }>(
      `SELECT ${META_COLUMNS}, case_file_id AS "caseFileId", content FROM case_document WHERE id = $1`,
      [documentId],
    );
    const doc = rows[0]!;
    await auditCaseRead(tx, actor, c, 'CaseDocument', { documentId, fileName: doc.fileName });
    return { ...doc, content: new Uint8Array(doc.content) };
  });
}
