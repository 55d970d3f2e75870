// The forms of the case file's sections still written one entry at a time (resources, ISEE,
// school, court): each a list of fields and the mutation of case-sections.ts it calls. The values
// are kept as typed (strings and booleans) and turned into the API's input only when saved; every
// rule is the API's, whose message comes back beside the field it names.
import { parseItDate } from '../../dates.ts';
import { it } from '../../i18n/it.ts';
import { optionsOf } from '../../options.ts';

export type SectionField = {
  name: string;
  label: string;
  kind: 'text' | 'date' | 'number' | 'select' | 'checkbox' | 'textarea';
  required?: boolean;
  options?: readonly { value: string; label: string }[];
  /** A select whose options follow another field's value (a social datum's code, its domain). */
  dependsOn?: string;
  optionsBy?: Record<string, readonly { value: string; label: string }[]>;
  hint?: string;
};

export type SectionFormSpec = {
  key: 'resources' | 'isee' | 'school' | 'court' | 'social' | 'invalidity' | 'disability';
  title: string;
  mutation: string;
  fields: readonly SectionField[];
};

export type SectionValues = Record<string, string | boolean>;

const t = it.cases.sections;

export const SECTION_FORMS: Record<'resources' | 'isee' | 'school' | 'court', SectionFormSpec> = {
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

/** The code lists of the sections whose codes come from the API (caseCodeLists). */
export type CaseCodeLists = Record<
  | 'work'
  | 'housing'
  | 'education'
  | 'invalidityCertification'
  | 'invalidityEvidence'
  | 'disabilityType',
  { code: string; label: string }[]
>;

export const CASE_CODE_LISTS_QUERY = `query CaseCodeLists { caseCodeLists {
  work { code label } housing { code label } education { code label }
  invalidityCertification { code label } invalidityEvidence { code label } disabilityType { code label } } }`;

const asOptions = (list: readonly { code: string; label: string }[]) =>
  list.map((c) => ({ value: c.code, label: c.label }));

/**
 * Social data, invalidity and disability (the mutations recordSocialData, addInvalidity,
 * addDisability), with the codes the API offers: the same tables its service checks.
 */
export function codedSectionForms(
  lists: CaseCodeLists,
): Record<'social' | 'invalidity' | 'disability', SectionFormSpec> {
  return {
    social: {
      key: 'social',
      title: t.addSocial,
      mutation: `mutation($id: UUID!, $input: SocialDataInput!) { recordSocialData(caseFileId: $id, input: $input) }`,
      fields: [
        {
          name: 'domain',
          label: t.domain,
          kind: 'select',
          required: true,
          options: optionsOf(t.domains),
        },
        {
          name: 'code',
          label: t.socialCode,
          kind: 'select',
          required: true,
          dependsOn: 'domain',
          optionsBy: {
            WORK: asOptions(lists.work),
            HOUSING: asOptions(lists.housing),
            EDUCATION: asOptions(lists.education),
          },
        },
        {
          name: 'reliability',
          label: t.reliability,
          kind: 'select',
          required: true,
          options: optionsOf(t.reliabilities),
        },
        {
          name: 'source',
          label: t.source,
          kind: 'select',
          required: true,
          options: optionsOf(t.sources),
        },
        { name: 'recordedOn', label: t.recordedOn, kind: 'date', hint: t.recordedOnHint },
        { name: 'description', label: t.description, kind: 'textarea' },
      ],
    },
    invalidity: {
      key: 'invalidity',
      title: t.addInvalidity,
      mutation: `mutation($id: UUID!, $input: InvalidityInput!) { addInvalidity(caseFileId: $id, input: $input) }`,
      fields: [
        {
          name: 'certification',
          label: t.certification,
          kind: 'select',
          required: true,
          options: asOptions(lists.invalidityCertification),
        },
        { name: 'percentage', label: t.percentage, kind: 'number' },
        { name: 'recognizedOn', label: t.recognizedOn, kind: 'date' },
        {
          name: 'evidence',
          label: t.evidence,
          kind: 'select',
          required: true,
          options: asOptions(lists.invalidityEvidence),
        },
        { name: 'notes', label: t.notes, kind: 'textarea' },
      ],
    },
    disability: {
      key: 'disability',
      title: t.addDisability,
      mutation: `mutation($id: UUID!, $input: DisabilityInput!) { addDisability(caseFileId: $id, input: $input) }`,
      fields: [
        {
          name: 'disabilityType',
          label: t.disabilityType,
          kind: 'select',
          required: true,
          options: asOptions(lists.disabilityType),
        },
        { name: 'recognizedOn', label: t.recognizedOn, kind: 'date' },
        { name: 'law104Severe', label: t.law104Severe, kind: 'checkbox' },
        { name: 'description', label: t.description, kind: 'textarea' },
        { name: 'notes', label: t.notes, kind: 'textarea' },
      ],
    },
  };
}

/** The options a select shows now: its own, or those of the value of the field it depends on. */
export function optionsOfField(
  f: SectionField,
  v: SectionValues,
): readonly { value: string; label: string }[] {
  if (f.dependsOn && f.optionsBy) return f.optionsBy[String(v[f.dependsOn] ?? '')] ?? [];
  return f.options ?? [];
}

/** Empty values: the first option of each select, unchecked boxes, blank texts. */
export function blankValues(spec: SectionFormSpec): SectionValues {
  const v: SectionValues = {};
  for (const f of spec.fields)
    v[f.name] =
      f.kind === 'checkbox'
        ? false
        : f.kind === 'select'
          ? (optionsOfField(f, v)[0]?.value ?? '')
          : '';
  return v;
}

/**
 * The first date field holding what is no date (31/02, "ieri"): refused here, beside the field,
 * since GraphQL would refuse the whole request without naming it.
 */
export function invalidDateField(spec: SectionFormSpec, v: SectionValues): string | null {
  for (const f of spec.fields) {
    const raw = v[f.name];
    if (f.kind === 'date' && typeof raw === 'string' && !parseItDate(raw).ok) return f.name;
  }
  return null;
}

/** After `changed` changes: the selects that follow it start again from their first option. */
export function followChange(spec: SectionFormSpec, v: SectionValues, changed: string): void {
  for (const f of spec.fields)
    if (f.dependsOn === changed) v[f.name] = optionsOfField(f, v)[0]?.value ?? '';
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
    } else if (f.kind === 'date') {
      // gg/mm/aaaa as the API's Date (the form refuses one that is none first: invalidDateField).
      const d = parseItDate(s);
      out[f.name] = d.ok ? d.iso : s;
    } else out[f.name] = s;
  }
  return out;
}
