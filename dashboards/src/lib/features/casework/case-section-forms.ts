// The forms of the case file's sections still written one entry at a time (resources, ISEE,
// school, court): each a list of fields and the mutation of case-sections.ts it calls. The values
// are kept as typed (strings and booleans) and turned into the API's input only when saved; every
// rule is the API's, whose message comes back beside the field it names.
import { it } from '../../i18n/it.ts';
import { optionsOf } from '../../options.ts';

export type SectionField = {
  name: string;
  label: string;
  kind: 'text' | 'date' | 'number' | 'select' | 'checkbox' | 'textarea';
  required?: boolean;
  options?: readonly { value: string; label: string }[];
  hint?: string;
};

export type SectionFormSpec = {
  key: 'resources' | 'isee' | 'school' | 'court';
  title: string;
  mutation: string;
  fields: readonly SectionField[];
};

export type SectionValues = Record<string, string | boolean>;

const t = it.cases.sections;

export const SECTION_FORMS: Record<SectionFormSpec['key'], SectionFormSpec> = {
  resources: {
    key: 'resources',
    title: t.addResource,
    mutation: `mutation($id: UUID!, $input: CaseResourceInput!) { addCaseResource(caseFileId: $id, input: $input) }`,
    fields: [
      {
        name: 'kind',
        label: t.resourceKind,
        kind: 'select',
        required: true,
        options: optionsOf(t.resourceKinds),
      },
      {
        name: 'relationship',
        label: t.relationship,
        kind: 'text',
        required: true,
        hint: t.relationshipHint,
      },
      { name: 'name', label: t.resourceName, kind: 'text', required: true },
      { name: 'phone', label: t.phone, kind: 'text' },
      { name: 'cohabiting', label: t.cohabiting, kind: 'checkbox' },
      { name: 'caregiver', label: t.caregiver, kind: 'checkbox' },
      { name: 'notes', label: t.notes, kind: 'textarea' },
    ],
  },
  isee: {
    key: 'isee',
    title: t.addIsee,
    mutation: `mutation($id: UUID!, $input: IseeInput!) { addIsee(caseFileId: $id, input: $input) }`,
    fields: [
      {
        name: 'iseeType',
        label: t.iseeType,
        kind: 'select',
        required: true,
        options: optionsOf(t.iseeTypes),
      },
      { name: 'iseeValue', label: t.iseeValue, kind: 'number', required: true },
      { name: 'iseValue', label: t.iseValue, kind: 'number' },
      { name: 'dsuProtocol', label: t.dsuProtocol, kind: 'text' },
      { name: 'dsuOn', label: t.dsuOn, kind: 'date' },
      { name: 'validFrom', label: t.validFrom, kind: 'date', required: true },
      { name: 'validTo', label: t.validTo, kind: 'date', required: true },
    ],
  },
  school: {
    key: 'school',
    title: t.addSchool,
    mutation: `mutation($id: UUID!, $input: SchoolRecordInput!) { addSchoolRecord(caseFileId: $id, input: $input) }`,
    fields: [
      {
        name: 'schoolYear',
        label: t.schoolYear,
        kind: 'text',
        required: true,
        hint: t.schoolYearHint,
      },
      {
        name: 'schoolType',
        label: t.schoolType,
        kind: 'select',
        required: true,
        options: optionsOf(t.schoolTypes),
      },
      { name: 'schoolName', label: t.schoolName, kind: 'text' },
      { name: 'className', label: t.className, kind: 'text' },
      { name: 'supportTeacher', label: t.supportTeacher, kind: 'checkbox' },
      { name: 'notes', label: t.notes, kind: 'textarea' },
    ],
  },
  court: {
    key: 'court',
    title: t.addCourt,
    mutation: `mutation($id: UUID!, $input: CourtMeasureInput!) { addCourtMeasure(caseFileId: $id, input: $input) }`,
    fields: [
      {
        name: 'courtBody',
        label: t.courtBody,
        kind: 'select',
        required: true,
        options: optionsOf(t.courtBodies),
      },
      { name: 'measureOn', label: t.measureOn, kind: 'date', required: true },
      { name: 'reference', label: t.reference, kind: 'text' },
      { name: 'endedOn', label: t.endedOn, kind: 'date' },
      { name: 'description', label: t.description, kind: 'textarea' },
    ],
  },
};

/** Empty values: the first option of each select, unchecked boxes, blank texts. */
export function blankValues(spec: SectionFormSpec): SectionValues {
  return Object.fromEntries(
    spec.fields.map((f) => [
      f.name,
      f.kind === 'checkbox' ? false : f.kind === 'select' ? (f.options?.[0]?.value ?? '') : '',
    ]),
  );
}

/**
 * The values as the mutation's input: blank fields left out (the API says which are required),
 * numbers typed the Italian way read as numbers, a text that is no number sent as it is so the
 * API names the field.
 */
export function sectionInput(spec: SectionFormSpec, v: SectionValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const raw = v[f.name];
    if (f.kind === 'checkbox') {
      out[f.name] = raw === true;
      continue;
    }
    const s = typeof raw === 'string' ? raw.trim() : '';
    if (s === '') continue;
    if (f.kind === 'number') {
      const normal = s.includes(',') ? s.replace(/\./g, '').replace(',', '.') : s;
      out[f.name] = /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : s;
    } else out[f.name] = s;
  }
  return out;
}
