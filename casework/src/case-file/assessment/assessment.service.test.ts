import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.ts';
import {
  type CaseWorld,
  caseCounts,
  createCaseWorld,
  daysAgo,
  newPerson,
  openedCase,
  VALID_SINBA,
} from '../case-file.fixtures.ts';
import { getCaseFile } from '../case-file.service.ts';
import { listAssessments, recordAssessment } from './assessment.service.ts';
import { BARTHEL_ITEMS } from './barthel.ts';

const BEST = Object.fromEntries(BARTHEL_ITEMS.map((i) => [i.key, i.scores[0]]));
const SINA = {
  Mobilita: '2',
  AttivitaVitaQuotidiana: '3',
  DisturbiAreaCognitiva: '2',
  DisturbiComportamentali: '1',
  AreaReddituale: '2',
  AreaSupporto: '1',
  FonteDerivazioneValutazione: '1',
  StrumentoValutazione: '1',
  NecessitaInterventiSociali: { CodicePrestazione: ['A2.01', 'A1.05'] },
};

describe('assessments', () => {
  let w: CaseWorld;
  let elderCase: string;
  let childCase: string;
  let childPerson: string;
  beforeAll(async () => {
    w = await createCaseWorld();
    elderCase = (await openedCase(w)).caseFileId;
    // A child born ten years ago, with a codice fiscale for the beneficiary id.
    const birth = `${new Date().getUTCFullYear() - 10}-02-01`;
    childPerson = await newPerson(w.db, w, { birthDate: birth, taxCode: 'RSSGLI00A41G478X' });
    childCase = (await openedCase(w, { personId: childPerson })).caseFileId;
  });
  afterAll(() => w.db.close());

  it('should compute the Barthel index and write it in the diary', async () => {
    const a = await recordAssessment(w.db, w.actors.worker, elderCase, {
      kind: 'BARTHEL',
      assessedOn: daysAgo(2),
      items: { ...BEST, feeding: 5, stairs: 0 },
      respondent: 'figlia',
    });
    expect(a).toMatchObject({
      kind: 'BARTHEL',
      score: 85,
      scoreBand: 'MILD',
      schemaVersion: 'BARTHEL-SHAH-SISO-1',
    });
    expect(a.data).toMatchObject({ feeding: 5, stairs: 0, respondent: 'figlia' });
    const c = await getCaseFile(w.db, w.actors.worker, elderCase);
    expect(c.diary.find((d) => d.sourceId === a.id)).toMatchObject({
      typeConstant: 'BARTHEL_ID',
      on: daysAgo(2),
      text: 'Scheda Barthel: punteggio 85/100 (Dipendenza lieve)',
    });
  });

  it('should refuse a Barthel item out of range and save nothing', async () => {
    const before = await caseCounts(w.db);
    const err = await refusal(
      recordAssessment(w.db, w.actors.worker, elderCase, {
        kind: 'BARTHEL',
        assessedOn: daysAgo(1),
        items: { ...BEST, bathing: 2 },
      }),
    );
    expect([err.code, err.field]).toEqual(['BARTHEL_OUT_OF_RANGE', 'input.items.bathing']);
    expect(await caseCounts(w.db)).toEqual(before);
  });

  it('should store a SINA record exactly as the XSD names it', async () => {
    const a = await recordAssessment(w.db, w.actors.worker, elderCase, {
      kind: 'SINA',
      assessedOn: daysAgo(1),
      data: SINA,
    });
    expect(a.data).toEqual(SINA);
    expect(a.schemaVersion).toBe('INPS-PS_PSA_SINA-201812');
    const [row] = await w.db.query<{ data: unknown }>('SELECT data FROM assessment WHERE id = $1', [
      a.id,
    ]);
    expect(row!.data).toEqual(SINA);
  });

  it.each([
    ['an unknown code', { ...SINA, Mobilita: '7' }, 'input.data.Mobilita'],
    [
      'a missing required attribute',
      { ...SINA, AreaSupporto: undefined },
      'input.data.AreaSupporto',
    ],
    ['an attribute the XSD does not have', { ...SINA, Punteggio: '3' }, 'input.data'],
    [
      'a service code too short',
      { ...SINA, NecessitaInterventiSociali: { CodicePrestazione: ['A1'] } },
      'input.data.NecessitaInterventiSociali.CodicePrestazione.0',
    ],
  ])('should refuse a SINA record with %s, saving nothing', async (_label, data, field) => {
    const before = await caseCounts(w.db);
    const err = await refusal(
      recordAssessment(w.db, w.actors.worker, elderCase, {
        kind: 'SINA',
        assessedOn: daysAgo(1),
        data,
      }),
    );
    expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', field]);
    expect(await caseCounts(w.db)).toEqual(before);
  });

  it('should fill the SINBA attributes that come from the person', async () => {
    const {
      IDBeneficiario: _a,
      AnnoNascita: _b,
      FasciaEtaBeneficiario: _c,
      CodiceNazioneResidenza: _d,
      ...data
    } = VALID_SINBA;
    const a = await recordAssessment(w.db, w.actors.worker, childCase, {
      kind: 'SINBA',
      assessedOn: daysAgo(0),
      data,
    });
    expect(a.data).toMatchObject({
      AnnoNascita: String(new Date().getUTCFullYear() - 10),
      FasciaEtaBeneficiario: '4',
      CodiceNazioneResidenza: '380',
      CodiceRegioneResidenza: '10',
    });
    expect((a.data as { IDBeneficiario: string }).IDBeneficiario).toMatch(/^[0-9A-F]{20}$/);
    const c = await getCaseFile(w.db, w.actors.worker, childCase);
    expect(c.diary[0]!.typeConstant).toBe('VALUTAZIONE_SINBA');
  });

  it('should refuse SInBA for an adult', async () => {
    const err = await refusal(
      recordAssessment(w.db, w.actors.worker, elderCase, {
        kind: 'SINBA',
        assessedOn: daysAgo(0),
        data: VALID_SINBA,
      }),
    );
    expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.kind']);
  });

  it('should refuse mixing Barthel items and SIUSS data', async () => {
    expect(
      (
        await refusal(
          recordAssessment(w.db, w.actors.worker, elderCase, {
            kind: 'SINA',
            assessedOn: daysAgo(0),
            items: BEST,
          }),
        )
      ).field,
    ).toBe('input.items');
    expect(
      (
        await refusal(
          recordAssessment(w.db, w.actors.worker, elderCase, {
            kind: 'BARTHEL',
            assessedOn: daysAgo(0),
            data: SINA,
          }),
        )
      ).field,
    ).toBe('input.data');
  });

  it('should mask the judicial attributes of SINBA at a desk that hides court data', async () => {
    await recordAssessment(w.db, w.actors.worker, childCase, {
      kind: 'SINBA',
      assessedOn: daysAgo(0),
      data: {
        ...VALID_SINBA,
        ProvvedimentoGiudiziario: '1',
        AutoritaProvvedimento: '2',
        TipoProvvedimentoGiudiziario: '4',
      },
    });
    const { enableCaseOperator } = await import('../case-file.service.ts');
    await enableCaseOperator(w.db, w.actors.coordinator, childCase, {
      operatorId: w.actors.immigrantDesk.id,
      operatorType: 'OTHER',
    });
    const list = await listAssessments(w.db, w.actors.immigrantDesk, childCase);
    const judicial = list.find(
      (a) => (a.data as Record<string, unknown>)['FonteSegnalazione'] && a.maskedFields.length > 0,
    )!;
    expect(judicial.data).not.toHaveProperty('AutoritaProvvedimento');
    expect(judicial.data).not.toHaveProperty('Disabilita');
    expect(judicial.maskedFields).toContain('data.TipoProvvedimentoGiudiziario');
    expect(
      (await listAssessments(w.db, w.actors.worker, childCase)).every(
        (a) => a.maskedFields.length === 0,
      ),
    ).toBe(true);
  });

  it('should refuse an assessment in the future', async () => {
    const err = await refusal(
      recordAssessment(w.db, w.actors.worker, elderCase, {
        kind: 'SINA',
        assessedOn: '2999-01-01',
        data: SINA,
      }),
    );
    expect(err.code).toBe('FUTURE_DATE');
  });
});
