import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.ts';
import type { Db } from '../db/db.ts';
import { refusal } from '../testing/refusal.ts';
import { listAssessments, recordAssessment } from './assessment/assessment.service.ts';
import { listCarePlans } from './care-plan/care-plan.service.ts';
import {
  auditRows,
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  newPerson,
  openedCase,
} from './case-file.fixtures.ts';
import {
  addCourtMeasure,
  addInvalidity,
  addIsee,
  addResource,
  disableCaseOperatorOnCase,
  enableCaseOperator,
  getCaseFile,
  grantOrganizationAccess,
  listCaseFilesOfPerson,
  listCaseOperatorCandidates,
  listMyCaseFiles,
  listOfficeCaseFiles,
  revokeOrganizationAccessOnCase,
} from './case-file.service.ts';
import { downloadDocument, uploadDocument } from './documents/document.service.ts';
import { addDiaryEntry, listDiaryEntries } from './dossier/dossier.service.ts';

describe('case file access lists', () => {
  let w: CaseWorld;
  let caseFileId: string;
  let personId: string;
  let documentId: string;

  beforeAll(async () => {
    w = await createCaseWorld();
    ({ caseFileId, personId } = await openedCase(w));
    documentId = (
      await uploadDocument(w.db, w.actors.worker, caseFileId, {
        fileName: 'relazione.txt',
        content: new TextEncoder().encode('Relazione sociale di prova\n'),
      })
    ).id;
    await recordAssessment(w.db, w.actors.worker, caseFileId, {
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
        NecessitaCureSanitarie: '2',
        FonteDerivazioneInvalidita: '1',
        InvaliditaCivile: { InvCiv: ['2'] },
      },
    });
  });
  afterAll(() => w.db.close());

  /** Every read that returns case data, with what it takes. */
  const READS: [string, (db: Db, actor: Actor) => Promise<unknown>][] = [
    ['getCaseFile', (db, a) => getCaseFile(db, a, caseFileId)],
    ['listDiaryEntries', (db, a) => listDiaryEntries(db, a, caseFileId)],
    ['listAssessments', (db, a) => listAssessments(db, a, caseFileId)],
    ['listCarePlans', (db, a) => listCarePlans(db, a, caseFileId)],
    ['downloadDocument', (db, a) => downloadDocument(db, a, documentId)],
  ];

  const DENIED: [string, (w: CaseWorld) => Actor][] = [
    ['a non-enabled social worker of the same office', (w) => w.actors.colleague],
    ["the office's coordinator, not enabled", (w) => w.actors.coordinator],
    ['an operator of another organisation', (w) => w.actors.otherOrgWorker],
    ['a partner client without scope cases:read', (w) => w.client(['persons:read'])],
    ['a partner client with the scope but no access granted', (w) => w.client(['cases:read'])],
  ];

  describe.each(READS)('%s', (_name, read) => {
    it('should answer the enabled operator and audit the read', async () => {
      const before = (await auditRows(w.db, personId, 'OK')).length;
      await expect(read(w.db, w.actors.worker)).resolves.toBeDefined();
      const after = await auditRows(w.db, personId, 'OK');
      expect(after.length).toBe(before + 1);
      expect(after[0]).toMatchObject({ action: 'READ', actorId: 'as.pg' });
    });

    it.each(DENIED)(
      'should refuse %s with FORBIDDEN and audit the attempt',
      async (_label, who) => {
        const actor = who(w);
        const before = (await auditRows(w.db, personId, 'DENIED')).length;
        const err = await refusal(read(w.db, actor));
        expect(err.code).toBe('FORBIDDEN');
        const after = await auditRows(w.db, personId, 'DENIED');
        expect(after.length).toBe(before + 1);
        expect(after[0]).toMatchObject({
          action: 'READ',
          actorId: actor.kind === 'OPERATOR' ? actor.username : 'asl-test',
        });
      },
    );
  });

  it('should name the document in the audit when the access list refuses its download', async () => {
    await refusal(downloadDocument(w.db, w.actors.colleague, documentId));
    const [row] = await w.db.query<{ entity_id: string; details: Record<string, unknown> }>(
      `SELECT entity_id, details FROM audit_log WHERE actor_id = 'as2.pg' AND outcome = 'DENIED'
        ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toMatchObject({ entity_id: documentId, details: { caseFileId, documentId } });
  });

  it('should refuse writes to a non-enabled operator and audit them', async () => {
    const err = await refusal(
      addDiaryEntry(w.db, w.actors.colleague, caseFileId, {
        type: 'NOTE',
        on: daysAgo(0),
        text: 'x',
      }),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect((await auditRows(w.db, personId, 'DENIED'))[0]).toMatchObject({
      action: 'UPDATE',
      entity: 'DiaryEntry',
    });
  });

  it('should refuse every write to a partner client, even with the scope and a grant', async () => {
    const err = await refusal(
      addDiaryEntry(w.db, w.client(['cases:read', 'cases:write']), caseFileId, {
        type: 'NOTE',
        on: daysAgo(0),
        text: 'x',
      }),
    );
    expect(err.code).toBe('FORBIDDEN');
  });

  it("should let only the owning office's coordinator enable others, and then they see the case", async () => {
    // A social worker (even the enabled one) does not manage the list.
    const err = await refusal(
      enableCaseOperator(w.db, w.actors.worker, caseFileId, {
        operatorId: w.actors.colleague.id,
        operatorType: 'SOCIAL_WORKER',
      }),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect((await auditRows(w.db, personId, 'DENIED'))[0]).toMatchObject({
      entity: 'CaseOperator',
      actorId: 'as.pg',
    });

    const ops = await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
      operatorId: w.actors.colleague.id,
      operatorType: 'EDUCATOR',
    });
    expect(ops.map((o) => [o.fullName, o.operatorType, o.responsible])).toEqual([
      ['as.pg', 'SOCIAL_WORKER', true],
      ['as2.pg', 'EDUCATOR', false],
    ]);
    expect((await getCaseFile(w.db, w.actors.colleague, caseFileId)).id).toBe(caseFileId);
    expect(
      (
        await refusal(
          enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
            operatorId: w.actors.colleague.id,
            operatorType: 'EDUCATOR',
          }),
        )
      ).code,
    ).toBe('CONFLICT');

    await disableCaseOperatorOnCase(w.db, w.actors.coordinator, caseFileId, w.actors.colleague.id);
    expect((await refusal(getCaseFile(w.db, w.actors.colleague, caseFileId))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('should offer the coordinator the social workers of the organisation, marking the enabled ones', async () => {
    const candidates = await listCaseOperatorCandidates(w.db, w.actors.coordinator, caseFileId);
    const byName = Object.fromEntries(candidates.map((c) => [c.fullName, c]));
    expect(byName['as.pg']).toMatchObject({ role: 'SOCIAL_WORKER', enabled: true });
    expect(byName['as2.pg']).toMatchObject({ role: 'SOCIAL_WORKER', enabled: false });
    // Only the organisation's own social workers and coordinators: not the front desk, not Terni.
    expect(byName['as.tr']).toBeUndefined();
    expect(candidates.every((c) => ['SOCIAL_WORKER', 'COORDINATOR'].includes(c.role))).toBe(true);
    expect((await auditRows(w.db, personId, 'OK')).map((r) => r.entity)).toContain(
      'CaseOperatorCandidates',
    );

    const err = await refusal(listCaseOperatorCandidates(w.db, w.actors.worker, caseFileId));
    expect(err.code).toBe('FORBIDDEN');
    expect((await auditRows(w.db, personId, 'DENIED'))[0]).toMatchObject({
      entity: 'CaseOperator',
      actorId: 'as.pg',
    });
  });

  it('should let a coordinator of another office do nothing on the case', async () => {
    const [op] = await w.db.query<{ id: string }>(
      `INSERT INTO operator (username, full_name, password_hash) VALUES ('coord.tr', 'coord.tr', 'x') RETURNING id`,
    );
    await w.db.query(
      `INSERT INTO membership (operator_id, office_id, role) VALUES ($1, $2, 'COORDINATOR')`,
      [op!.id, w.fx.offices.terni],
    );
    const { loadOperatorActor } = await import('../operators/operator-auth.service.ts');
    const coordTr = (await loadOperatorActor(w.db, op!.id, { ip: null, userAgent: null }))!;
    expect(
      (
        await refusal(
          enableCaseOperator(w.db, coordTr, caseFileId, {
            operatorId: op!.id,
            operatorType: 'OTHER',
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect((await refusal(listOfficeCaseFiles(w.db, coordTr, w.fx.offices.perugia))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('should let a partner client read once its organisation is granted access and it holds cases:read', async () => {
    const grantId = await grantOrganizationAccess(w.db, w.actors.coordinator, caseFileId, {
      organizationId: w.fx.organizations.asl,
      reason: 'Presa in carico integrata con la USL',
    });
    const c = await getCaseFile(w.db, w.client(['cases:read']), caseFileId);
    expect(c.id).toBe(caseFileId);
    // Still refused without the scope.
    expect((await refusal(getCaseFile(w.db, w.client(['persons:read']), caseFileId))).code).toBe(
      'FORBIDDEN',
    );
    await revokeOrganizationAccessOnCase(w.db, w.actors.coordinator, caseFileId, grantId);
    expect((await refusal(getCaseFile(w.db, w.client(['cases:read']), caseFileId))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('should show, across the offices of the district, that case files exist without their contents', async () => {
    // A second case of the same person at the foster-care office (same zone), which the Perugia
    // worker may not open, and one in Terni (another social district), which it must not learn of.
    await w.db.query(
      `INSERT INTO case_file (person_id, organization_id, office_id, status, opened_on) VALUES ($1, $2, $3, 'IN_CARE', $4)`,
      [personId, w.fx.organizations.perugia, w.fosterOfficeId, daysAgo(100)],
    );
    const [terniCase] = await w.db.query<{ id: string }>(
      `INSERT INTO case_file (person_id, organization_id, office_id, status, opened_on) VALUES ($1, $2, $3, 'IN_CARE', $4) RETURNING id`,
      [personId, w.fx.organizations.terni, w.fx.offices.terni, daysAgo(200)],
    );
    const list = await listCaseFilesOfPerson(w.db, w.actors.worker, personId);
    expect(list).toHaveLength(2);
    expect(list.map((c) => [c.officeName, c.status, c.accessible])).toEqual([
      ['Servizio sociale professionale – Perugia', 'IN_CARE', true],
      ['Servizio affidi – Perugia', 'IN_CARE', false],
    ]);
    expect(Object.keys(list[1]!).sort()).toEqual(
      [
        'accessible',
        'closedOn',
        'id',
        'officeId',
        'officeName',
        'openedOn',
        'organizationId',
        'organizationName',
        'status',
      ].sort(),
    );
    // The colleague (not enabled) sees they exist, but cannot open them.
    expect(
      (await listCaseFilesOfPerson(w.db, w.actors.colleague, personId)).every((c) => !c.accessible),
    ).toBe(true);
    // The front desk and clients without the scope do not get the index; the refusal is audited.
    expect((await refusal(listCaseFilesOfPerson(w.db, w.actors.frontDesk, personId))).code).toBe(
      'FORBIDDEN',
    );
    expect((await refusal(listCaseFilesOfPerson(w.db, w.client([]), personId))).code).toBe(
      'FORBIDDEN',
    );
    expect((await auditRows(w.db, personId, 'DENIED'))[0]).toMatchObject({
      entity: 'CaseFileIndex',
    });
    expect(list.map((c) => c.id)).not.toContain(terniCase!.id);
  });

  it('should refuse a case resource linked to a person held elsewhere as an unknown id, audited', async () => {
    const before = await caseCounts(w.db);
    const hidden = await refusal(
      addResource(w.db, w.actors.worker, caseFileId, {
        kind: 'FAMILY',
        relationship: 'figlio',
        name: 'Un figlio',
        personId: w.fx.persons.terni.id,
      }),
    );
    const unknown = await refusal(
      addResource(w.db, w.actors.worker, caseFileId, {
        kind: 'FAMILY',
        relationship: 'figlio',
        name: 'Un figlio',
        personId: '00000000-0000-4000-8000-000000000bad',
      }),
    );
    expect([hidden.code, hidden.field, hidden.message]).toEqual([
      'NOT_FOUND',
      'input.personId',
      unknown.message,
    ]);
    expect(await caseCounts(w.db)).toEqual(before);
    expect((await auditRows(w.db, w.fx.persons.terni.id, 'DENIED'))[0]).toMatchObject({
      entity: 'CaseResource',
    });
  });

  it('should not tell another district where a person it cannot see is in care (defect 3)', async () => {
    // Terni's case file made the person visible to Terni: a fresh person of Perugia's is not.
    const hidden = await newPerson(w.db, w);
    await openedCase(w, { personId: hidden });
    const refused = await refusal(listCaseFilesOfPerson(w.db, w.actors.otherOrgWorker, hidden));
    const unknown = await refusal(
      listCaseFilesOfPerson(w.db, w.actors.otherOrgWorker, '00000000-0000-4000-8000-000000000bad'),
    );
    expect([refused.code, refused.message]).toEqual(['NOT_FOUND', unknown.message]);
    expect((await auditRows(w.db, hidden, 'DENIED'))[0]).toMatchObject({
      entity: 'CaseFileIndex',
    });
    // A partner with cases:read learns only of the case files granted to its organisation.
    expect(await listCaseFilesOfPerson(w.db, w.client(['cases:read']), hidden)).toEqual([]);
  });

  it("should list the operator's own cases and, for the coordinator, the office's", async () => {
    expect((await listMyCaseFiles(w.db, w.actors.worker)).map((c) => c.id)).toContain(caseFileId);
    expect((await listMyCaseFiles(w.db, w.actors.colleague)).map((c) => c.id)).not.toContain(
      caseFileId,
    );
    expect(
      (await listOfficeCaseFiles(w.db, w.actors.coordinator, w.fx.offices.perugia)).map(
        (c) => c.id,
      ),
    ).toContain(caseFileId);
    expect(
      (await refusal(listOfficeCaseFiles(w.db, w.actors.worker, w.fx.offices.perugia))).code,
    ).toBe('FORBIDDEN');
  });

  it("should remove the sections the actor's desk masks", async () => {
    await addInvalidity(w.db, w.actors.worker, caseFileId, {
      certification: '2',
      evidence: '1',
      percentage: 100,
    });
    await addCourtMeasure(w.db, w.actors.worker, caseFileId, {
      courtBody: 'TO',
      authority: '4',
      measureOn: daysAgo(20),
    });
    await addIsee(w.db, w.actors.worker, caseFileId, {
      iseeType: 'ORDINARIO',
      iseeValue: 5400.5,
      validFrom: daysAgo(30),
      validTo: daysAgo(-300),
    });
    await enableCaseOperator(w.db, w.actors.coordinator, caseFileId, {
      operatorId: w.actors.immigrantDesk.id,
      operatorType: 'OTHER',
    });
    const full = await getCaseFile(w.db, w.actors.worker, caseFileId);
    expect(full.invalidities).toHaveLength(1);
    expect(full.courtMeasures).toHaveLength(1);
    expect(full.isee[0]!.iseeValue).toBe(5400.5);
    expect(full.maskedFields).toEqual([]);
    // The immigrant desk masks HEALTH and JUDICIAL.
    const masked = await getCaseFile(w.db, w.actors.immigrantDesk, caseFileId);
    expect(masked.invalidities).toEqual([]);
    expect(masked.disabilities).toEqual([]);
    expect(masked.courtMeasures).toEqual([]);
    expect(masked.isee).toHaveLength(1);
    expect(masked.maskedFields).toEqual([
      'invalidities',
      'disabilities',
      'assessments.BARTHEL',
      'courtMeasures',
      'diary',
      'documents',
    ]);
    const sina = masked.assessments.find((a) => a.kind === 'SINA')!;
    expect(sina.data).not.toHaveProperty('InvaliditaCivile');
    expect(sina.data).not.toHaveProperty('NecessitaCureSanitarie');
    expect(sina.data).toHaveProperty('Mobilita', '2');
    expect(sina.maskedFields).toEqual([
      'data.InvaliditaCivile',
      'data.FonteDerivazioneInvalidita',
      'data.NecessitaCureSanitarie',
    ]);
  });
});
