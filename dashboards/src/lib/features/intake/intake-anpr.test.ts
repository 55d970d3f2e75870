import { describe, expect, it } from 'vitest';
import type { AnprFamilyMember } from '../anpr/anpr-family.ts';
import {
  addAnprHouseholdMember,
  addAnprReference,
  anprSourced,
  emptyValues,
  fillFromAnpr,
  inHousehold,
  isReference,
  isSubject,
  referenceFromAnpr,
  toInput,
  valuesFromRecord,
} from './intake-form.ts';
import type { AnprField, IntakeRecord } from './intake-queries.ts';

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

describe('the family from ANPR added to the intake record', () => {
  const wife: AnprFamilyMember = {
    taxCode: 'RSSLCU82C44L117X',
    lastName: 'ROSSI',
    firstName: 'LUCIA',
    birthDate: '1982-03-04',
    relation: 'MARITO/MOGLIE',
    personId: '00000000-0000-4000-8000-0000000000a1',
  };
  const lodger: AnprFamilyMember = {
    taxCode: null,
    lastName: 'BIANCHI',
    firstName: 'ELIO',
    birthDate: null,
    relation: 'CONVIVENTE',
    personId: null,
  };

  it('should add a member as a reference person once, ANPR kept as the source in its notes', () => {
    const v = fillFromAnpr(emptyValues(), fields);
    addAnprReference(v, wife);
    addAnprReference(v, wife);
    addAnprReference(v, lodger);
    expect(v.references).toHaveLength(2);
    expect(isReference(v, wife)).toBe(true);
    expect(v.references.map(referenceFromAnpr)).toEqual([true, true]);
    const refs = toInput(v, [], 'create').referencePersons as Record<string, unknown>[];
    expect(refs).toEqual([
      {
        relationship: 'RELATIVE',
        fullName: 'ROSSI LUCIA',
        personId: wife.personId,
        notes: 'Da ANPR (C021): MARITO/MOGLIE, RSSLCU82C44L117X',
      },
      {
        relationship: 'OTHER',
        fullName: 'BIANCHI ELIO',
        notes: 'Da ANPR (C021): CONVIVENTE, BIANCHI ELIO|',
      },
    ]);
    // Renamed by the operator: the name is theirs, and no longer linked to the hub's person.
    v.references[0]!.fullName = 'Lucia Rossi in Verdi';
    expect(referenceFromAnpr(v.references[0]!)).toBe(false);
    expect(
      (toInput(v, [], 'create').referencePersons as { personId?: string }[])[0]!.personId,
    ).toBeUndefined();
  });

  it('should add a member to the household once: a line of the family notes, one more in its size', () => {
    const v = emptyValues();
    v.social.familyNotes = 'Vive con la moglie.';
    addAnprHouseholdMember(v, wife);
    addAnprHouseholdMember(v, wife);
    expect(v.social.householdSize).toBe('2');
    expect(v.social.familyNotes).toBe(
      'Vive con la moglie.\nROSSI LUCIA, MARITO/MOGLIE, nascita 04/03/1982 (fonte: ANPR)',
    );
    expect(inHousehold(v, wife)).toBe(true);
    addAnprHouseholdMember(v, lodger);
    expect(v.social.householdSize).toBe('3');
  });

  it('should know the subject in their own family, and keep a saved ANPR reference’s source', () => {
    const v = emptyValues();
    v.subject.taxCode = 'rsslcu82c44l117x';
    expect(isSubject(v, wife)).toBe(true);
    const record = {
      referencePersons: [
        {
          id: 'r1',
          relationship: 'RELATIVE',
          personId: wife.personId,
          fullName: 'ROSSI LUCIA',
          phone: null,
          email: null,
          notes: 'Da ANPR (C021): MARITO/MOGLIE, RSSLCU82C44L117X',
        },
      ],
    } as unknown as IntakeRecord;
    const again = valuesFromRecord({ ...minimalRecord(), ...record });
    expect(again.references[0]).toMatchObject({ personId: wife.personId, fromAnpr: 'ROSSI LUCIA' });
    expect(isReference(again, wife)).toBe(true);
  });
});

function minimalRecord(): IntakeRecord {
  return {
    occurredAt: '2026-12-02T09:00:00Z',
    channel: 'IN_PERSON',
    accessKind: 'CITIZEN',
    accessReason: null,
    sentBy: null,
    interlocutor: { kind: 'SUBJECT', entitled: false },
    subject: null,
    unidentifiedSubject: null,
    consentStatus: null,
    consentGivenBy: null,
    summary: null,
    referencePersons: [],
    social: {},
    foreignCitizen: { citizenship: null, permitType: null, permitExpiry: null },
    needs: [],
    services: [],
  } as unknown as IntakeRecord;
}
