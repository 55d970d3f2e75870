import { describe, expect, it } from 'vitest';
import { blankValues, SECTION_FORMS, sectionInput } from './case-section-forms.ts';

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
