import { describe, expect, it } from 'vitest';
import {
  blankIntervention,
  blankProject,
  interventionInput,
  PROJECT_FORM,
  TARIFF_FORM,
  toInput,
} from './setup-forms.ts';

describe('toInput', () => {
  it('should turn the typed text into the API’s values: numbers the Italian way, dates as ISO, codes in capitals', () => {
    const r = toInput(TARIFF_FORM, {
      providerId: 'p1',
      serviceCode: ' a2.07 ',
      unit: 'HOUR',
      unitCost: '1.234,50',
      validFrom: '1/3/2026',
      validTo: '',
    });
    expect(r).toEqual({
      ok: true,
      input: {
        providerId: 'p1',
        serviceCode: 'A2.07',
        unit: 'HOUR',
        unitCost: 1234.5,
        validFrom: '2026-03-01',
      },
    });
  });

  it('should name the first missing required field, in the form’s order', () => {
    const r = toInput(PROJECT_FORM, { ...blankProject(), code: 'P1', title: '', budget: '' });
    expect(r).toMatchObject({ ok: false, field: 'title' });
  });

  it('should name a date that does not exist and a number that is not one', () => {
    const base = { code: 'P1', title: 'Progetto', fundingSourceCode: 'FNPS', budget: '10' };
    expect(toInput(PROJECT_FORM, { ...base, startOn: '31/02/2026', endOn: '' })).toMatchObject({
      ok: false,
      field: 'startOn',
      message: expect.stringContaining('gg/mm/aaaa'),
    });
    expect(
      toInput(PROJECT_FORM, { ...base, budget: 'mille', startOn: '01/01/2026', endOn: '' }),
    ).toMatchObject({ ok: false, field: 'budget' });
  });
});

describe('interventionInput', () => {
  const filled = () => ({
    ...blankIntervention(new Date(2026, 2, 4)),
    personId: 'person',
    serviceCode: 'a2.07',
    providerId: 'provider',
    applicationProtocol: 'PG/2026/1',
  });

  it('should send an occasional intervention without the period typed before switching', () => {
    const r = interventionInput({ ...filled(), periodUnit: 'WEEK', quantityPerPeriod: '3' });
    expect(r.ok && r.input).toEqual({
      personId: 'person',
      serviceCode: 'A2.07',
      providerId: 'provider',
      unit: 'HOUR',
      periodicity: 'OCCASIONAL',
      startOn: '2026-03-04',
      meansTest: 'M1',
      takenInCare: 'SI',
      applicationProtocol: 'PG/2026/1',
    });
  });

  it('should keep the period of a periodic one', () => {
    const r = interventionInput({
      ...filled(),
      periodicity: 'PERIODIC',
      periodUnit: 'WEEK',
      quantityPerPeriod: '2,5',
    });
    expect(r.ok && r.input).toMatchObject({ periodUnit: 'WEEK', quantityPerPeriod: 2.5 });
  });

  it('should send the ISEE as its three parts, or ask for the part missing', () => {
    const r = interventionInput({
      ...filled(),
      'isee.value': '8.500,00',
      'isee.dsuProtocol': 'INPS-ISEE-2026-1',
      'isee.dsuOn': '15/01/2026',
    });
    expect(r.ok && r.input.isee).toEqual({
      value: 8500,
      dsuProtocol: 'INPS-ISEE-2026-1',
      dsuOn: '2026-01-15',
    });
    expect(r.ok && 'isee.value' in r.input).toBe(false);
    expect(interventionInput({ ...filled(), 'isee.value': '8500' })).toMatchObject({
      ok: false,
      field: 'isee.dsuProtocol',
    });
  });

  it('should ask for the beneficiary first', () => {
    expect(interventionInput({ ...filled(), personId: '' })).toMatchObject({
      ok: false,
      field: 'personId',
    });
  });
});
