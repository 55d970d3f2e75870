import { describe, expect, it } from 'vitest';
import { anprSourced, emptyValues, fillFromAnpr, toInput } from './intake-form.ts';
import type { AnprField } from './intake-queries.ts';

const source = {
  counterpart: 'ANPR',
  service: 'C020',
  operationId: 'OP-1',
  retrievedAt: '2026-12-02T09:00:00Z',
};
const fields: AnprField[] = [
  { field: 'lastName', value: 'TASSI', source },
  { field: 'firstName', value: 'GINA', source },
  { field: 'birthDate', value: '1941-02-11', source },
  { field: 'birthPlaceCode', value: 'G478', source },
  { field: 'residenceMunicipality', value: '054039', source },
  { field: 'residenceAddress', value: 'VIA ROMA 3', source },
];

describe('the person form filled from ANPR', () => {
  it('should fill the fields and send each with ANPR as its source', () => {
    const v = fillFromAnpr(emptyValues(), fields);
    v.subject.taxCode = 'TSSGNI41B51G478X';
    expect(v.subject).toMatchObject({
      lastName: 'TASSI',
      firstName: 'GINA',
      residenceAddress: 'VIA ROMA 3',
      birthDate: '11/02/1941',
    });
    const subject = toInput(v, [], 'create').subject as Record<string, unknown>;
    expect(subject).toMatchObject({
      birthDate: '1941-02-11',
      birthPlaceCode: 'G478',
      residenceMunicipality: '054039',
    });
    expect(subject.fieldSources).toEqual(
      [
        'lastName',
        'firstName',
        'birthDate',
        'residenceAddress',
        'birthPlaceCode',
        'residenceMunicipality',
      ].map((field) => ({ field, source: 'ANPR' })),
    );
  });

  it('should make a field the operator changed afterwards the operator’s own', () => {
    const v = fillFromAnpr(emptyValues(), fields);
    v.subject.residenceAddress = 'Via Roma 5';
    expect(anprSourced(v)).not.toContain('residenceAddress');
    expect(anprSourced(v)).toContain('lastName');
  });
});
