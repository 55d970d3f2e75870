import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor } from '../access/actor.ts';
import { loadOperatorActor } from '../operators/operator-auth.service.ts';
import { refusal } from '../testing/refusal.ts';
import {
  listAssessments,
  maskAssessment,
  recordAssessment,
} from './assessment/assessment.service.ts';
import { BARTHEL_ITEMS } from './assessment/barthel.ts';
import { createPlacement } from './care-plan/care-plan.service.ts';
import {
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  openedCase,
} from './case-file.fixtures.ts';
import {
  addCourtMeasure,
  addDisability,
  addInvalidity,
  addIsee,
  enableCaseOperator,
  getCaseFile,
  grantOrganizationAccess,
} from './case-file.service.ts';
import { downloadDocument, uploadDocument } from './documents/document.service.ts';
import { listDiaryEntries } from './dossier/dossier.service.ts';
import { insertDiaryEntry } from './dossier/dossier.store.ts';
import { DIARY_TYPE } from './dossier/dossier.types.ts';

// Issue 8, defect 4: masking inside the case file. The immigrant desk masks HEALTH and JUDICIAL
// (not ECONOMIC), the URP masks every group, a partner without sensitive scopes sees none; the
// social worker (no desk) sees everything.

const BEST = Object.fromEntries(BARTHEL_ITEMS.map((i) => [i.key, i.scores[0]]));
const text = (s: string) => new TextEncoder().encode(s);

describe('masking inside the case file', () => {
  let w: CaseWorld;
  let caseFileId: string;
  let personId: string;
  let publicDesk: OperatorActor;
  let docs: { health: string; court: string; economic: string; other: string };
  beforeAll(async () => {
    w = await createCaseWorld();
    ({ caseFileId, personId } = await openedCase(w));
    publicDesk = (await loadOperatorActor(w.db, w.fx.operators.publicDeskPg, {
      ip: null,
      userAgent: null,
    }))!;
    const worker = w.actors.worker;
    await recordAssessment(w.db, worker, caseFileId, {
      kind: 'BARTHEL',
      assessedOn: daysAgo(2),
      items: { ...BEST, stairs: 0 },
      notes: 'cade spesso',
    });
    await addCourtMeasure(w.db, worker, caseFileId, { courtBody: 'TO', measureOn: daysAgo(20) });
    await addIsee(w.db, worker, caseFileId, {
      iseeType: 'ORDINARIO',
      iseeValue: 4321.5,
      validFrom: daysAgo(30),
      validTo: daysAgo(-300),
    });
    await createPlacement(w.db, worker, caseFileId, {
      facilityName: 'Comunità terapeutica Il Ponte',
      admissionOn: daysAgo(3),
    });
    const upload = async (fileName: string, subfolder: number) =>
      (
        await uploadDocument(w.db, worker, caseFileId, {
          fileName,
          subfolder,
          content: text(`${fileName}\n`),
        })
      ).id;
    docs = {
      health: await upload('referto-serd.txt', 6),
      court: await upload('decreto-tribunale.txt', 1),
      economic: await upload('contributo-affitto.txt', 5),
      other: await upload('lettera.txt', 9),
    };
    for (const operatorId of [w.actors.immigrantDesk.id, publicDesk.id]) {
      await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
        operatorId,
        operatorType: 'OTHER',
      });
    }
    await grantOrganizationAccess(w.db, w.actors.coordinator, caseFileId, {
      organizationId: w.fx.organizations.asl,
      reason: 'Presa in carico congiunta',
    });
  });
  afterAll(() => w.db.close());

  const diaryLines = (entries: { text: string }[]) => entries.map((e) => e.text).join('\n');

  it('should give the full case file to an operator with no desk', async () => {
    const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(c.maskedFields).toEqual([]);
    expect(c.assessments.find((a) => a.kind === 'BARTHEL')).toMatchObject({ score: 90 });
    expect(c.documents.map((d) => d.subfolder).sort()).toEqual([1, 5, 6, 9]);
    const lines = diaryLines(c.diary);
    for (const line of [
      /Barthel: punteggio 90/,
      /provvedimento dell’autorità giudiziaria/,
      /attestazione ISEE/,
      /Il Ponte/,
      /referto-serd/,
      /decreto-tribunale/,
    ])
      expect(lines).toMatch(line);
    expect(diaryLines(await listDiaryEntries(w.db, w.actors.worker, caseFileId))).toMatch(
      /Barthel/,
    );
  });

  it('should leave out the Barthel scale, and the diary lines and documents of the masked groups', async () => {
    const c = await getCaseFile(w.db, w.actors.immigrantDesk, caseFileId);
    expect(c.assessments.filter((a) => a.kind === 'BARTHEL')).toEqual([]);
    expect(c.maskedFields).toEqual([
      'invalidities',
      'disabilities',
      'assessments.BARTHEL',
      'courtMeasures',
      'diary',
      'documents',
    ]);
    // Court (1) and health (6) documents are absent; economic (5) is not masked at this desk.
    expect(c.documents.map((d) => d.subfolder).sort()).toEqual([5, 9]);
    for (const lines of [
      diaryLines(c.diary),
      diaryLines(await listDiaryEntries(w.db, w.actors.immigrantDesk, caseFileId)),
    ]) {
      expect(lines).not.toMatch(/Barthel|giudiziaria|Il Ponte|referto-serd|decreto-tribunale/);
      expect(lines).toMatch(/attestazione ISEE/);
      expect(lines).toMatch(/contributo-affitto/);
    }
    expect(await listAssessments(w.db, w.actors.immigrantDesk, caseFileId)).toEqual(
      (await listAssessments(w.db, w.actors.worker, caseFileId)).filter(
        (a) => a.kind !== 'BARTHEL',
      ),
    );
  });

  it('should withhold every sensitive line and document from a partner without sensitive scopes', async () => {
    const partner = w.client(['cases:read']);
    const c = await getCaseFile(w.db, partner, caseFileId);
    expect(c.documents.map((d) => d.subfolder).sort()).toEqual([9]);
    const lines = diaryLines(await listDiaryEntries(w.db, partner, caseFileId));
    expect(lines).not.toMatch(/Barthel|giudiziaria|ISEE|Il Ponte|referto|decreto|contributo/);
    expect(lines).toMatch(/lettera\.txt/);
    expect(diaryLines(c.diary)).toBe(lines);
    // With the health scope the partner reads the health lines, not the others.
    const health = w.client(['cases:read', 'sensitive:health']);
    const withHealth = diaryLines(await listDiaryEntries(w.db, health, caseFileId));
    expect(withHealth).toMatch(/Barthel: punteggio 90/);
    expect(withHealth).not.toMatch(/ISEE|giudiziaria/);
  });

  it('should page the diary on the lines the desk may see', async () => {
    const page = await listDiaryEntries(w.db, publicDesk, caseFileId, { limit: 2 });
    expect(page).toHaveLength(2);
    const all = await listDiaryEntries(w.db, publicDesk, caseFileId, { limit: 500 });
    expect(all.every((e) => e.sensitiveGroup === null)).toBe(true);
    // A withheld line is no cursor: it is answered as an unknown one.
    const barthel = (await listDiaryEntries(w.db, w.actors.worker, caseFileId)).find((e) =>
      /Barthel/.test(e.text),
    )!;
    const err = await refusal(
      listDiaryEntries(w.db, publicDesk, caseFileId, { after: barthel.id }),
    );
    expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'after']);
  });

  it('should refuse a health or court document to a desk that masks it, auditing the document', async () => {
    const err = await refusal(downloadDocument(w.db, w.actors.immigrantDesk, docs.health));
    expect([err.code, err.field]).toEqual(['FORBIDDEN', 'documentId']);
    expect(err.message).not.toMatch(/referto|serd|sanitari/i);
    expect((await refusal(downloadDocument(w.db, w.actors.immigrantDesk, docs.court))).code).toBe(
      'FORBIDDEN',
    );
    const [row] = await w.db.query<{ entityId: string; details: Record<string, unknown> }>(
      `SELECT entity_id AS "entityId", details FROM audit_log
        WHERE actor_id = $1 AND outcome = 'DENIED' AND entity = 'CaseDocument'
        ORDER BY id DESC LIMIT 1`,
      [w.actors.immigrantDesk.username],
    );
    expect(row).toMatchObject({
      entityId: docs.court,
      details: { documentId: docs.court, subfolder: 1 },
    });
    // What the desk may see it downloads; the economic document is refused only where masked.
    expect((await downloadDocument(w.db, w.actors.immigrantDesk, docs.economic)).fileName).toBe(
      'contributo-affitto.txt',
    );
    expect((await refusal(downloadDocument(w.db, publicDesk, docs.economic))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await refusal(downloadDocument(w.db, w.client(['cases:read']), docs.health))).code,
    ).toBe('FORBIDDEN');
    expect((await downloadDocument(w.db, w.actors.worker, docs.health)).fileName).toBe(
      'referto-serd.txt',
    );
  });

  it.each([
    [
      'an invalidity',
      'CaseInvalidity',
      (a: OperatorActor) =>
        addInvalidity(w.db, a, caseFileId, { certification: '1', evidence: '1' }),
    ],
    [
      'a disability',
      'CaseDisability',
      (a: OperatorActor) => addDisability(w.db, a, caseFileId, { disabilityType: '1' }),
    ],
    [
      'a court measure',
      'CaseCourtMeasure',
      (a: OperatorActor) =>
        addCourtMeasure(w.db, a, caseFileId, { courtBody: 'TO', measureOn: daysAgo(1) }),
    ],
    [
      'a Barthel scale',
      'Assessment',
      (a: OperatorActor) =>
        recordAssessment(w.db, a, caseFileId, {
          kind: 'BARTHEL',
          assessedOn: daysAgo(1),
          items: BEST,
        }),
    ],
  ] as const)(
    'should refuse %s to a desk that masks its group, audited, the store unchanged',
    async (_what, entity, write) => {
      const before = await caseCounts(w.db);
      const err = await refusal(write(w.actors.immigrantDesk));
      expect(err.code).toBe('FORBIDDEN');
      expect(err.field).toBe(entity === 'Assessment' ? 'input.kind' : 'input');
      expect(await caseCounts(w.db)).toEqual(before);
      const [row] = await w.db.query<{ entity: string; entityId: string; personId: string }>(
        `SELECT entity, entity_id AS "entityId", person_id AS "personId" FROM audit_log
        WHERE actor_id = $1 AND outcome = 'DENIED' ORDER BY id DESC LIMIT 1`,
        [w.actors.immigrantDesk.username],
      );
      expect(row).toEqual({ entity, entityId: caseFileId, personId });
    },
  );

  it('should refuse an ISEE only where the economic group is masked', async () => {
    const isee = (a: OperatorActor) =>
      addIsee(w.db, a, caseFileId, {
        iseeType: 'ORDINARIO',
        iseeValue: 9999.99,
        validFrom: daysAgo(1),
        validTo: daysAgo(-200),
      });
    const before = await caseCounts(w.db);
    const err = await refusal(isee(publicDesk));
    expect([err.code, err.field]).toEqual(['FORBIDDEN', 'input']);
    expect(err.message).not.toMatch(/9999/);
    expect(await caseCounts(w.db)).toEqual(before);
    // The immigrant desk masks health and judicial data only: it records the ISEE.
    expect(await isee(w.actors.immigrantDesk)).toEqual(expect.any(String));
  });

  it('should refuse the masked attributes of a SINA to a desk that masks their group', async () => {
    const err = await refusal(
      recordAssessment(w.db, w.actors.immigrantDesk, caseFileId, {
        kind: 'SINA',
        assessedOn: daysAgo(1),
        data: {
          Mobilita: '2',
          AttivitaVitaQuotidiana: '2',
          DisturbiComportamentali: '1',
          AreaReddituale: '3',
          AreaSupporto: '2',
          FonteDerivazioneValutazione: '4',
          StrumentoValutazione: '7',
          FonteDerivazioneInvalidita: '1',
          InvaliditaCivile: { InvCiv: ['2'] },
        },
      }),
    );
    expect([err.code, err.field]).toEqual(['FORBIDDEN', 'input.data.InvaliditaCivile']);
  });

  it('should mask a Barthel answer for an actor that masks health', async () => {
    const [a] = (await listAssessments(w.db, w.actors.worker, caseFileId)).filter(
      (x) => x.kind === 'BARTHEL',
    );
    expect(maskAssessment(w.actors.worker, a!)).toEqual(a);
    expect(maskAssessment(publicDesk, a!)).toMatchObject({
      data: {},
      score: null,
      scoreBand: null,
      notes: null,
      maskedFields: ['data', 'score', 'scoreBand', 'notes'],
    });
  });

  it('should classify the automatic lines written before migration 006 by their kind', async () => {
    const other = (await openedCase(w)).caseFileId;
    const line = (typeId: number, sourceKind: string | null, sourceId: string | null = null) =>
      insertDiaryEntry(w.db, {
        caseFileId: other,
        typeId,
        on: daysAgo(1),
        text: 'riga',
        authorId: null,
        sourceKind,
        sourceId,
      });
    const doc = await uploadDocument(w.db, w.actors.worker, other, {
      fileName: 'certificato.txt',
      subfolder: 6,
      content: text('x\n'),
    });
    const ids = {
      barthel: await line(DIARY_TYPE.BARTHEL, 'assessment'),
      court: await line(DIARY_TYPE.COURT_MEASURES, 'case_court_measure'),
      isee: await line(DIARY_TYPE.ISEE, 'case_isee'),
      placement: await line(DIARY_TYPE.CARE_PLAN, 'residential_placement'),
      document: await line(DIARY_TYPE.DOCUMENT, 'case_document', doc.id),
      note: await line(DIARY_TYPE.NOTE, null),
    };
    await w.db.query('UPDATE diary_entry SET sensitive_group = NULL WHERE case_file_id = $1', [
      other,
    ]);
    const sql = await readFile(
      new URL('../../migrations/006-diary-sensitive-groups.sql', import.meta.url),
      'utf8',
    );
    // The backfill, without the ALTER TABLE that already ran.
    await w.db.exec(sql.slice(sql.indexOf('UPDATE')));
    const rows = await w.db.query<{ id: string; group: string | null }>(
      'SELECT id, sensitive_group AS "group" FROM diary_entry WHERE case_file_id = $1',
      [other],
    );
    const groupOf = (id: string) => rows.find((r) => r.id === id)?.group;
    expect(Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, groupOf(id)]))).toEqual({
      barthel: 'HEALTH',
      court: 'JUDICIAL',
      isee: 'ECONOMIC',
      placement: 'HEALTH',
      document: 'HEALTH',
      note: null,
    });
  });
});
