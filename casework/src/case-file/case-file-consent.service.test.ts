import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkError } from '../errors.ts';
import { createCarePlan, createPlacement } from './care-plan/care-plan.service.ts';
import {
  auditRows,
  type CaseWorld,
  createCaseWorld,
  daysAgo,
  newPerson,
  openedCase,
} from './case-file.fixtures.ts';
import { addCaseNote, getCaseFile } from './case-file.service.ts';
import { recordCaseFileConsent } from './case-file-consent.service.ts';
import { createProject } from './dossier/dossier.service.ts';

const plan = () => ({
  title: 'PAI domiciliare',
  startOn: daysAgo(1),
  goals: [{ term: 'SHORT' as const, description: 'Igiene personale quotidiana garantita' }],
  interventions: [{ description: 'Assistenza domiciliare', serviceCode: 'A2.01' }],
  reviews: [],
});

async function refusal(p: Promise<unknown>): Promise<CaseworkError> {
  const err = await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CaseworkError);
  return err as CaseworkError;
}

describe('consent on the case file for later accesses (rule 1)', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await createCaseWorld();
  });
  afterAll(() => w.db.close());

  const consentRows = async (personId: string) =>
    w.db.query<{ status: string; officeId: string; legalBasis: string }>(
      `SELECT status, office_id AS "officeId", legal_basis AS "legalBasis" FROM consent
        WHERE person_id = $1 ORDER BY recorded_at`,
      [personId],
    );

  describe('a case opened on consent', () => {
    it('should show no decision until one is recorded, and block nothing', async () => {
      const { caseFileId } = await openedCase(w);
      const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
      expect(c.consent).toMatchObject({
        legalBasis: 'CONSENT',
        status: 'NOT_RECORDED',
        consentWithdrawn: false,
        newInterventionsAllowed: true,
        label: 'consenso non ancora registrato',
      });
    });

    it('should flag "consenso revocato" after a withdrawal and refuse new interventions, keeping the record', async () => {
      const { caseFileId, personId } = await openedCase(w);
      const existing = await createCarePlan(w.db, w.actors.worker, caseFileId, plan());
      const state = await recordCaseFileConsent(w.db, w.actors.worker, caseFileId, {
        status: 'WITHDRAWN',
        notes: 'Al secondo colloquio revoca il consenso',
      });
      expect(state).toMatchObject({
        legalBasis: 'CONSENT',
        status: 'WITHDRAWN',
        consentWithdrawn: true,
        newInterventionsAllowed: false,
        label: 'consenso revocato: nessun nuovo intervento fino a un nuovo consenso',
        givenBy: 'SUBJECT',
        recordedBy: w.actors.worker.username,
        decidedOn: expect.any(String),
      });
      // Recorded towards the case's organisation and office, on consent.
      expect(await consentRows(personId)).toEqual([
        { status: 'WITHDRAWN', officeId: w.fx.offices.perugia, legalBasis: 'CONSENT' },
      ]);

      const refused = await refusal(createCarePlan(w.db, w.actors.worker, caseFileId, plan()));
      expect([refused.code, refused.field]).toEqual(['CONSENT_REQUIRED', 'caseFileId']);
      expect(
        (
          await refusal(
            createPlacement(w.db, w.actors.worker, caseFileId, {
              facilityName: 'RSA Santa Maria',
              admissionOn: daysAgo(1),
              phase: 2,
            }),
          )
        ).code,
      ).toBe('CONSENT_REQUIRED');
      expect(
        (
          await refusal(
            createProject(w.db, w.actors.worker, caseFileId, {
              kind: 'AUTONOMY',
              title: 'Progetto di autonomia',
              startOn: daysAgo(1),
            }),
          )
        ).code,
      ).toBe('CONSENT_REQUIRED');
      const denied = await auditRows(w.db, personId, 'DENIED');
      expect(denied.filter((r) => r.reason?.startsWith('consent WITHDRAWN'))).toHaveLength(3);

      // What is recorded stays and can be read and documented.
      await addCaseNote(w.db, w.actors.worker, caseFileId, { text: 'Comunicata la sospensione' });
      const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
      expect(c.status).toBe('IN_CARE');
      expect(c.carePlans.map((p) => p.id)).toEqual([existing.id]);
      expect(c.consent.consentWithdrawn).toBe(true);
      expect(c.diary.map((d) => d.text)).toContain(
        'Consenso al trattamento revocato (consenso revocato: nessun nuovo intervento fino a un nuovo consenso)',
      );

      // Consent given again: new interventions start again.
      const again = await recordCaseFileConsent(w.db, w.actors.worker, caseFileId, {
        status: 'GIVEN',
      });
      expect(again).toMatchObject({
        status: 'GIVEN',
        consentWithdrawn: false,
        newInterventionsAllowed: true,
      });
      await expect(
        createCarePlan(w.db, w.actors.worker, caseFileId, plan()),
      ).resolves.toMatchObject({ status: 'ACTIVE' });
    });

    it('should record a minor’s consent only through the named representative', async () => {
      const personId = await newPerson(w.db, w, { birthDate: daysAgo(365 * 10) });
      const { caseFileId } = await openedCase(w, { personId });
      const err = await refusal(
        recordCaseFileConsent(w.db, w.actors.worker, caseFileId, { status: 'GIVEN' }),
      );
      expect(err.code).toBe('REPRESENTATIVE_CONSENT_REQUIRED');
      const state = await recordCaseFileConsent(w.db, w.actors.worker, caseFileId, {
        status: 'GIVEN',
        givenBy: 'LEGAL_REPRESENTATIVE',
        representativeName: 'Madre, Paola Rossi',
      });
      expect(state).toMatchObject({
        status: 'GIVEN',
        givenBy: 'LEGAL_REPRESENTATIVE',
        representativeName: 'Madre, Paola Rossi',
      });
    });
  });

  describe('a case opened on a judicial mandate', () => {
    it('should record a denial and keep the case open, readable and workable on the mandate', async () => {
      const { caseFileId, personId } = await openedCase(w, { accessKind: 'JUDICIAL_AUTHORITY' });
      const state = await recordCaseFileConsent(w.db, w.actors.worker, caseFileId, {
        status: 'DENIED',
      });
      expect(state).toMatchObject({
        legalBasis: 'JUDICIAL_MANDATE',
        status: 'DENIED',
        consentWithdrawn: true,
        newInterventionsAllowed: true,
        label: "consenso negato: il caso prosegue sul mandato dell'Autorità Giudiziaria",
      });
      expect((await consentRows(personId)).map((r) => r.status)).toEqual(['DENIED']);
      const c = await getCaseFile(w.db, w.actors.worker, caseFileId);
      expect(c.status).toBe('IN_CARE');
      expect(c.consent.status).toBe('DENIED');
      await expect(
        createCarePlan(w.db, w.actors.worker, caseFileId, plan()),
      ).resolves.toMatchObject({ status: 'ACTIVE' });
      // The diary line tells of the mandate: it belongs to the judicial group.
      const [line] = await w.db.query<{ sensitiveGroup: string | null }>(
        `SELECT sensitive_group AS "sensitiveGroup" FROM diary_entry
          WHERE case_file_id = $1 AND source_kind = 'consent'`,
        [caseFileId],
      );
      expect(line!.sensitiveGroup).toBe('JUDICIAL');
    });
  });

  describe('who may record it', () => {
    it.each([
      ['a colleague of the office not enabled on the case', 'colleague'],
      ['a social worker of another organisation', 'otherOrgWorker'],
      ['the front desk', 'frontDesk'],
    ] as const)('should refuse %s, audited, recording nothing', async (_label, who) => {
      const { caseFileId, personId } = await openedCase(w);
      const err = await refusal(
        recordCaseFileConsent(w.db, w.actors[who], caseFileId, { status: 'WITHDRAWN' }),
      );
      expect(err.code).toBe('FORBIDDEN');
      expect(await consentRows(personId)).toEqual([]);
      const denied = await auditRows(w.db, personId, 'DENIED');
      expect(denied[0]).toMatchObject({
        entity: 'CaseFile',
        entityId: caseFileId,
        actorId: w.actors[who].username,
      });
      expect((await getCaseFile(w.db, w.actors.worker, caseFileId)).consent.status).toBe(
        'NOT_RECORDED',
      );
    });

    it('should refuse a partner client, even one the case is granted to', async () => {
      const { caseFileId } = await openedCase(w);
      const err = await refusal(
        recordCaseFileConsent(w.db, w.client(['cases:read']), caseFileId, { status: 'GIVEN' }),
      );
      expect(err.code).toBe('FORBIDDEN');
    });

    it('should refuse a decision dated in the future', async () => {
      const { caseFileId } = await openedCase(w);
      const err = await refusal(
        recordCaseFileConsent(w.db, w.actors.worker, caseFileId, {
          status: 'GIVEN',
          decidedOn: '2999-01-01',
        }),
      );
      expect([err.code, err.field]).toEqual(['FUTURE_DATE', 'input.decidedOn']);
    });
  });
});
