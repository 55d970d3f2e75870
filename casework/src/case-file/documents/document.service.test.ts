import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.ts';
import { type CaseWorld, caseCounts, createCaseWorld, openedCase } from '../case-file.fixtures.ts';
import { getCaseFile } from '../case-file.service.ts';
import { downloadDocument, uploadDocument } from './document.service.ts';
import { bytes, SAMPLES } from './file-samples.ts';
import { MAX_DOCUMENT_BYTES } from './file-type.ts';

describe('case documents', () => {
  let w: CaseWorld;
  let caseFileId: string;
  beforeAll(async () => {
    w = await createCaseWorld();
    ({ caseFileId } = await openedCase(w));
  });
  afterAll(() => w.db.close());

  it('should store a document and give back the same bytes', async () => {
    const meta = await uploadDocument(w.db, w.actors.worker, caseFileId, {
      fileName: 'decreto.pdf',
      subfolder: 1,
      description: 'Decreto del Tribunale per i minorenni',
      content: SAMPLES.pdf,
    });
    expect(meta).toMatchObject({
      fileName: 'decreto.pdf',
      mediaType: 'application/pdf',
      sizeBytes: SAMPLES.pdf.length,
      subfolder: 1,
    });
    expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
    const doc = await downloadDocument(w.db, w.actors.worker, meta.id);
    expect(Buffer.from(doc.content).equals(Buffer.from(SAMPLES.pdf))).toBe(true);
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(c.documents.map((d) => d.id)).toContain(meta.id);
    expect(c.diary[0]).toMatchObject({ typeConstant: 'DOC_INDIVIDUALE_ID', sourceId: meta.id });
  });

  it.each([
    ['a forbidden type', 'programma.exe', bytes('MZ\x90\x00'), 'FORBIDDEN_FILE_TYPE'],
    ['content that is not what the name says', 'foto.png', SAMPLES.pdf, 'FORBIDDEN_FILE_TYPE'],
    [
      'a file too large',
      'grande.txt',
      new Uint8Array(MAX_DOCUMENT_BYTES + 1).fill(0x41),
      'FILE_TOO_LARGE',
    ],
    ['a name with a path', '../../etc/passwd.txt', SAMPLES.txt, 'BAD_USER_INPUT'],
  ])('should refuse %s and save nothing', async (_label, fileName, content, code) => {
    const before = await caseCounts(w.db);
    expect(
      (await refusal(uploadDocument(w.db, w.actors.worker, caseFileId, { fileName, content })))
        .code,
    ).toBe(code);
    expect(await caseCounts(w.db)).toEqual(before);
  });

  it('should refuse the download to an operator not enabled on the case', async () => {
    const meta = await uploadDocument(w.db, w.actors.worker, caseFileId, {
      fileName: 'nota.txt',
      content: SAMPLES.txt,
    });
    expect((await refusal(downloadDocument(w.db, w.actors.colleague, meta.id))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (
        await refusal(
          downloadDocument(w.db, w.actors.worker, '00000000-0000-4000-8000-000000000000'),
        )
      ).code,
    ).toBe('NOT_FOUND');
  });
});
