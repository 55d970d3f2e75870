import { SPEC } from '../shared/spec-files.ts';

/**
 * ANPR's consultation e-services on PDND. All share one operation (`POST /anpr-service-e002`)
 * and one request shape (RichiestaE002 with `motivoRichiesta`); they differ in what comes back.
 * Each names the spec file its request and its response are validated against. Only C030,
 * C021 and C001 are available as current PDND files; C020's file is the pre-PDND one (its
 * request had a `testataRichiesta`), so C020 requests are checked against the current shape
 * (C021's) and its responses against the C020 file. C015/C018/C019 have no public file: their
 * answers are checked against C020's `TipoDatiSoggettiEnte`, the widest subject type published.
 */
export type AnprServiceCode = 'C001' | 'C015' | 'C018' | 'C019' | 'C020' | 'C021' | 'C030';

export type AnprService = {
  code: AnprServiceCode;
  /** The e-service's path under the ANPR PDND gateway (C001's dash is an en dash, as published). */
  path: string;
  requestSpec: string;
  responseSpec: string;
};

export const ANPR_SERVICES: Record<AnprServiceCode, AnprService> = {
  C001: {
    code: 'C001',
    path: 'C001–servizioNotifica/v1',
    requestSpec: SPEC.anpr.C001,
    responseSpec: SPEC.anpr.C001,
  },
  C015: {
    code: 'C015',
    path: 'C015-servizioAccertamentoGeneralita/v1',
    requestSpec: SPEC.anpr.C021,
    responseSpec: SPEC.anpr.C020,
  },
  C018: {
    code: 'C018',
    path: 'C018-servizioAccertamentoCittadinanza/v1',
    requestSpec: SPEC.anpr.C021,
    responseSpec: SPEC.anpr.C020,
  },
  C019: {
    code: 'C019',
    path: 'C019-servizioAccertamentoEsistenzaVita/v1',
    requestSpec: SPEC.anpr.C021,
    responseSpec: SPEC.anpr.C020,
  },
  C020: {
    code: 'C020',
    path: 'C020-servizioAccertamentoResidenza/v1',
    requestSpec: SPEC.anpr.C021,
    responseSpec: SPEC.anpr.C020,
  },
  C021: {
    code: 'C021',
    path: 'C021-servizioAccertamentoStatoFamiglia/v1',
    requestSpec: SPEC.anpr.C021,
    responseSpec: SPEC.anpr.C021,
  },
  C030: {
    code: 'C030',
    path: 'C030-servizioAccertamentoIdUnicoNazionale/v1',
    requestSpec: SPEC.anpr.C030,
    responseSpec: SPEC.anpr.C030,
  },
};

export const E002 = '/anpr-service-e002';
