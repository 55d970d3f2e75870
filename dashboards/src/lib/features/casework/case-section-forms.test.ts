import { describe, expect, it } from 'vitest';
import {
  blankValues,
  codedSectionForms,
  followChange,
  invalidDateField,
  optionsOfField,
  SECTION_FORMS,
  sectionInput,
} from './case-section-forms.ts';

describe('the case file section forms', () => {
  it('should start with the first option of each select and boxes unchecked', () => {
    expect(blankValues(SECTION_FORMS.resources)).toMatchObject({
      kind: 'FAMILY',
      relationship: '',
      cohabiting: false,
    });
  });

  it('should leave blanks out, read Italian numbers and keep booleans', () => {
    const v = {
      ...blankValues(SECTION_FORMS.isee),
      iseeValue: '12.345,67',
      iseValue: ' ',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    };
    expect(sectionInput(SECTION_FORMS.isee, v)).toEqual({
      iseeType: 'ORDINARIO',
      iseeValue: 12345.67,
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    });
    expect(
      sectionInput(SECTION_FORMS.school, {
        ...blankValues(SECTION_FORMS.school),
        supportTeacher: true,
      }),
    ).toMatchObject({
      supportTeacher: true,
    });
  });

  it('should send a number field that is no number as typed, for the API to name', () => {
    const v = { ...blankValues(SECTION_FORMS.isee), iseeValue: 'dodicimila' };
    expect(sectionInput(SECTION_FORMS.isee, v).iseeValue).toBe('dodicimila');
  });
});

describe('the coded section forms (social data, invalidity, disability)', () => {
  const lists = {
    work: [
      { code: '1', label: 'occupato' },
      { code: '2', label: 'disoccupato' },
    ],
    housing: [{ code: 'RENTED', label: 'abitazione in affitto' }],
    education: [{ code: '3', label: 'licenza media' }],
    invalidityCertification: [{ code: '2', label: 'totale con accompagnamento' }],
    invalidityEvidence: [{ code: '1', label: 'certificazione' }],
    disabilityType: [{ code: '4', label: 'Plurima' }],
  };
  const forms = codedSectionForms(lists);

  it('should offer the codes of the domain chosen, and start again when the domain changes', () => {
    const v = blankValues(forms.social);
    expect(v).toMatchObject({ domain: 'WORK', code: '1', reliability: 'REPORTED' });
    const code = forms.social.fields.find((f) => f.name === 'code')!;
    expect(optionsOfField(code, v).map((o) => o.value)).toEqual(['1', '2']);
    v.domain = 'HOUSING';
    followChange(forms.social, v, 'domain');
    expect(v.code).toBe('RENTED');
    expect(optionsOfField(code, v)).toEqual([{ value: 'RENTED', label: 'abitazione in affitto' }]);
  });

  it('should send dates typed as gg/mm/aaaa as the API’s Date, and one that is none as typed', () => {
    const v = { ...blankValues(forms.invalidity), percentage: '100', recognizedOn: '5/3/2024' };
    expect(sectionInput(forms.invalidity, v)).toEqual({
      certification: '2',
      percentage: 100,
      recognizedOn: '2024-03-05',
      evidence: '1',
    });
    const wrong = { ...blankValues(forms.disability), recognizedOn: '31/02/2024' };
    expect(invalidDateField(forms.disability, wrong)).toBe('recognizedOn');
    expect(invalidDateField(forms.disability, { ...wrong, recognizedOn: '' })).toBeNull();
    expect(invalidDateField(forms.invalidity, v)).toBeNull();
  });
});
