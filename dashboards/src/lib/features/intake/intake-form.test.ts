import { describe, expect, it } from 'vitest';
import { emptyValues, formDates, toInput, valuesFromRecord } from './intake-form.ts';
import { exportQuery, listFilter } from './intake-list.ts';
import type { IntakeRecord } from './intake-queries.ts';

describe('toInput', () => {
  it('should leave out the groups the desk masks, so a masked desk never overwrites them', () => {
    const v = emptyValues();
    v.social.healthNotes = 'diabete';
    v.social.judicialNotes = 'misura in corso';
    v.social.familyNotes = 'vive sola';
    v.foreign.permitType = 'lavoro';
    const input = toInput(v, ['HEALTH', 'JUDICIAL', 'PERMIT'], 'update');
    expect(input.social).toEqual({ familyNotes: 'vive sola' });
    expect(input.foreignCitizen).toBeUndefined();
  });

  it('should send the chosen person by id only, and the close only when creating', () => {
    const v = emptyValues();
    v.subject.personId = 'p-1';
    v.subject.taxCode = 'RSSMRA80A01G478X';
    v.outcome = 'INFORMATION_GIVEN';
    expect(toInput(v, [], 'create')).toMatchObject({
      subject: { personId: 'p-1' },
      close: { outcome: 'INFORMATION_GIVEN' },
    });
    expect(toInput(v, [], 'update').close).toBeUndefined();
  });

  it('should record no identity for an anonymous contact', () => {
    const v = emptyValues();
    v.accessKind = 'ANONYMOUS';
    v.subject.taxCode = 'RSSMRA80A01G478X';
    v.subject.alias = 'Signora del mercato';
    const input = toInput(v, [], 'create');
    expect(input.subject).toEqual({ alias: 'Signora del mercato' });
    expect(input.consent).toBeUndefined();
  });

  it('should send the dates typed gg/mm/aaaa as the API’s, and check only those it sends', () => {
    const v = emptyValues();
    v.subject.lastName = 'Rossi';
    v.subject.birthDate = '5/3/1950';
    v.foreign.permitExpiry = '31/12/2027';
    const input = toInput(v, [], 'create');
    expect(input.subject).toMatchObject({ birthDate: '1950-03-05' });
    expect(input.foreignCitizen).toEqual({ permitExpiry: '2027-12-31' });
    expect(formDates(v, ['PERMIT'])).toEqual({ 'subject.birthDate': '5/3/1950' });
    v.subject.personId = 'p-1';
    expect(formDates(v, [])).toEqual({ 'foreignCitizen.permitExpiry': '31/12/2027' });
  });

  it('should turn a record back into the same form values', () => {
    const v = emptyValues();
    v.summary = 'colloquio';
    v.needs = [{ code: 'N1', label: 'Povertà' }];
    const record = {
      ...toInput(v, [], 'update'),
      id: 'r',
      number: 1,
      occurredAt: new Date(v.occurredAt).toISOString(),
      interlocutor: { kind: 'SUBJECT', entitled: false },
      subject: null,
      referencePersons: [],
      social: {},
      foreignCitizen: {},
      needs: [{ code: 'N1', label: 'Povertà', notes: null }],
      services: [],
    } as unknown as IntakeRecord;
    expect(valuesFromRecord(record).needs).toEqual(v.needs);
    expect(valuesFromRecord(record).occurredAt).toBe(v.occurredAt);
  });
});

describe('list filters', () => {
  it('should give the export the same filter as the list', () => {
    const f = { from: '', to: '', status: 'OPEN', accessKind: '', lastName: ' Ros ', taxCode: '' };
    expect(listFilter(f)).toEqual({ statuses: ['OPEN'], subjectLastName: 'Ros' });
    expect(exportQuery(f)).toBe('?statuses=OPEN&subjectLastName=Ros');
  });

  it('should send the dates typed gg/mm/aaaa as the start of that local day', () => {
    const f = { from: '3/2/2026', to: '', status: '', accessKind: '', lastName: '', taxCode: '' };
    expect(listFilter(f)).toEqual({ from: '2026-02-03T00:00:00.000Z' });
  });
});
