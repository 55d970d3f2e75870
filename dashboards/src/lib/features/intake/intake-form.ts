import { itDate, parseItDate, toItDate } from '../../dates.ts';
import { type AnprFamilyMember, memberName } from '../anpr/anpr-family.ts';
import type { AnprField, IntakeRecord, PersonHit } from './intake-queries.ts';

// The state of the intake record form, kept as plain strings the inputs bind to, and turned
// into the API's input only at save. Masked groups never enter the input: a desk that may not
// see health notes neither shows nor overwrites them.

export type ReferenceRow = {
  relationship: string;
  fullName: string;
  phone: string;
  /** Kept as the record has them: the form does not show them, and a save must not drop them. */
  personId?: string | null;
  email?: string;
  notes?: string;
  /** The name ANPR gave (C021): while the row still holds it, ANPR is its source. */
  fromAnpr?: string | null;
};
export type ServiceRow = { id: string | null; code: string; title: string };
export type NeedRow = { code: string; label: string };

export type IntakeFormValues = {
  occurredAt: string;
  channel: string;
  accessKind: string;
  accessReason: string;
  sentBy: string;
  interlocutor: {
    kind: string;
    name: string;
    organization: string;
    role: string;
    contact: string;
    entitled: boolean;
    titleDocument: string;
  };
  subject: {
    personId: string | null;
    label: string;
    taxCode: string;
    firstName: string;
    lastName: string;
    sex: string;
    birthDate: string;
    phone: string;
    email: string;
    alias: string;
    residenceAddress: string;
    /** The values ANPR gave (field → value): a field still holding its value keeps ANPR as source. */
    fromAnpr: Record<string, string>;
  };
  unidentifiedSubject: string;
  consentStatus: string;
  consentGivenBy: string;
  summary: string;
  social: {
    householdSize: string;
    familyNotes: string;
    workConditionCode: string;
    workNotes: string;
    homeless: boolean;
    housingNotes: string;
    healthNotes: string;
    judicialNotes: string;
    economicNotes: string;
  };
  foreign: { citizenship: string; permitType: string; permitExpiry: string };
  references: ReferenceRow[];
  needs: NeedRow[];
  services: ServiceRow[];
  outcome: string;
  outcomeNotes: string;
};

/** The interlocutor each kind of access assumes (casework intake.rules DEFAULT_INTERLOCUTOR). */
export const DEFAULT_INTERLOCUTOR: Record<string, string> = {
  JUDICIAL_AUTHORITY: 'JUDICIAL_AUTHORITY',
  PUBLIC_OFFICIAL: 'INSTITUTIONAL',
  CITIZEN: 'SUBJECT',
  LEGAL_REPRESENTATIVE: 'LEGAL_REPRESENTATIVE',
  GENERIC_REPORTER: 'RELATIVE_OR_ACQUAINTANCE',
  CRIME_OR_RISK_REPORT: 'OTHER',
  ANONYMOUS: 'SUBJECT',
};

const pad = (n: number) => String(n).padStart(2, '0');
/** Now, as a datetime-local value in the browser's zone. */
export function localNow(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function personLabel(
  p: Pick<PersonHit, 'firstName' | 'lastName' | 'taxCode' | 'alias'>,
): string {
  const name = [p.lastName, p.firstName].filter(Boolean).join(' ') || p.alias || '';
  return p.taxCode ? `${name} (${p.taxCode})` : name;
}

export function emptyValues(): IntakeFormValues {
  return {
    occurredAt: localNow(),
    channel: 'IN_PERSON',
    accessKind: 'CITIZEN',
    accessReason: 'SPONTANEOUS',
    sentBy: '',
    interlocutor: {
      kind: 'SUBJECT',
      name: '',
      organization: '',
      role: '',
      contact: '',
      entitled: false,
      titleDocument: '',
    },
    subject: {
      personId: null,
      label: '',
      taxCode: '',
      firstName: '',
      lastName: '',
      sex: '',
      birthDate: '',
      phone: '',
      email: '',
      alias: '',
      residenceAddress: '',
      fromAnpr: {},
    },
    unidentifiedSubject: '',
    consentStatus: '',
    consentGivenBy: 'SUBJECT',
    summary: '',
    social: {
      householdSize: '',
      familyNotes: '',
      workConditionCode: '',
      workNotes: '',
      homeless: false,
      housingNotes: '',
      healthNotes: '',
      judicialNotes: '',
      economicNotes: '',
    },
    foreign: { citizenship: '', permitType: '', permitExpiry: '' },
    references: [],
    needs: [],
    services: [],
    outcome: '',
    outcomeNotes: '',
  };
}

export function withPerson(v: IntakeFormValues, p: PersonHit): IntakeFormValues {
  v.subject = {
    ...v.subject,
    personId: p.id,
    label: personLabel(p),
    taxCode: p.taxCode ?? '',
    firstName: p.firstName ?? '',
    lastName: p.lastName ?? '',
  };
  return v;
}

const s = (x: string | number | boolean | null | undefined) => (x == null ? '' : String(x));

export function valuesFromRecord(r: IntakeRecord): IntakeFormValues {
  const v = emptyValues();
  v.occurredAt = localNow(new Date(r.occurredAt));
  v.channel = r.channel;
  v.accessKind = r.accessKind;
  v.accessReason = s(r.accessReason);
  v.sentBy = s(r.sentBy);
  v.interlocutor = {
    kind: r.interlocutor.kind,
    name: s(r.interlocutor.name),
    organization: s(r.interlocutor.organization),
    role: s(r.interlocutor.role),
    contact: s(r.interlocutor.contact),
    entitled: r.interlocutor.entitled,
    titleDocument: s(r.interlocutor.titleDocument),
  };
  if (r.subject)
    v.subject = {
      ...v.subject,
      personId: r.subject.personId,
      label: personLabel(r.subject),
      taxCode: s(r.subject.taxCode),
      firstName: s(r.subject.firstName),
      lastName: s(r.subject.lastName),
      alias: s(r.subject.alias),
    };
  v.unidentifiedSubject = s(r.unidentifiedSubject);
  v.consentStatus =
    r.consentStatus === 'GIVEN' || r.consentStatus === 'DENIED' ? r.consentStatus : '';
  v.consentGivenBy = r.consentGivenBy ?? 'SUBJECT';
  v.summary = s(r.summary);
  for (const key of Object.keys(v.social) as (keyof IntakeFormValues['social'])[]) {
    if (key === 'homeless') v.social.homeless = r.social.homeless === true;
    else v.social[key] = s(r.social[key]);
  }
  v.foreign = {
    citizenship: s(r.foreignCitizen.citizenship),
    permitType: s(r.foreignCitizen.permitType),
    permitExpiry: toItDate(r.foreignCitizen.permitExpiry),
  };
  v.references = r.referencePersons.map((p) => ({
    relationship: p.relationship,
    fullName: p.fullName,
    phone: s(p.phone),
    personId: p.personId,
    email: s(p.email),
    notes: s(p.notes),
    // The note the form wrote when the person came from ANPR is where the source was saved.
    fromAnpr: p.notes?.startsWith(ANPR_REFERENCE_NOTE) ? p.fullName : null,
  }));
  v.needs = r.needs.map((n) => ({ code: n.code, label: n.label }));
  v.services = r.services.map((x) => ({ id: x.id, code: x.code, title: x.title }));
  return v;
}

const opt = (x: string) => (x.trim() === '' ? undefined : x.trim());
/** A date typed gg/mm/aaaa as the API's; empty (or wrong: the form checks first) as absent. */
const optDate = (x: string) => {
  const d = parseItDate(x);
  return d.ok ? (d.iso ?? undefined) : undefined;
};

/**
 * The dates the form would send, keyed by the API's field path, for the save to check first (a
 * wrong one is refused beside its field, nothing sent): those of a chosen person or an anonymous
 * contact are not sent, nor a permit the desk masks.
 */
export function formDates(v: IntakeFormValues, masked: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.accessKind !== 'ANONYMOUS' && !v.subject.personId)
    out['subject.birthDate'] = v.subject.birthDate;
  if (!masked.includes('PERMIT')) out['foreignCitizen.permitExpiry'] = v.foreign.permitExpiry;
  return out;
}

/** The sensitive fields of each group the desk may mask (casework SENSITIVE_FIELDS). */
const GROUP_FIELDS: Record<string, string[]> = {
  HEALTH: ['healthNotes'],
  JUDICIAL: ['judicialNotes'],
  ECONOMIC: ['economicNotes'],
};

/** The API's input; `create` adds the close and the consent's first recording. */
export function toInput(v: IntakeFormValues, masked: readonly string[], mode: 'create' | 'update') {
  const anonymous = v.accessKind === 'ANONYMOUS';
  const social: Record<string, unknown> = {
    householdSize: v.social.householdSize ? Number(v.social.householdSize) : undefined,
    familyNotes: opt(v.social.familyNotes),
    workConditionCode: opt(v.social.workConditionCode),
    workNotes: opt(v.social.workNotes),
    homeless: v.social.homeless || undefined,
    housingNotes: opt(v.social.housingNotes),
    healthNotes: opt(v.social.healthNotes),
    judicialNotes: opt(v.social.judicialNotes),
    economicNotes: opt(v.social.economicNotes),
  };
  for (const g of masked) for (const f of GROUP_FIELDS[g] ?? []) delete social[f];
  const hasSocial = Object.values(social).some((x) => x !== undefined);
  const foreign = {
    citizenship: opt(v.foreign.citizenship),
    ...(masked.includes('PERMIT')
      ? {}
      : { permitType: opt(v.foreign.permitType), permitExpiry: optDate(v.foreign.permitExpiry) }),
  };
  const subject = anonymous
    ? v.subject.alias
      ? { alias: v.subject.alias.trim() }
      : undefined
    : v.subject.personId
      ? { personId: v.subject.personId }
      : v.subject.taxCode || v.subject.lastName
        ? {
            taxCode: opt(v.subject.taxCode.toUpperCase()),
            firstName: opt(v.subject.firstName),
            lastName: opt(v.subject.lastName),
            sex: opt(v.subject.sex),
            birthDate: optDate(v.subject.birthDate),
            phone: opt(v.subject.phone),
            email: opt(v.subject.email),
            residenceAddress: opt(v.subject.residenceAddress ?? ''),
            ...anprOnly(v),
            fieldSources: anprSourced(v).map((field) => ({ field, source: 'ANPR' })),
          }
        : undefined;
  const input: Record<string, unknown> = {
    occurredAt: new Date(v.occurredAt).toISOString(),
    channel: v.channel,
    accessKind: v.accessKind,
    accessReason: opt(v.accessReason),
    sentBy: opt(v.sentBy),
    interlocutor: {
      kind: v.interlocutor.kind,
      name: opt(v.interlocutor.name),
      organization: opt(v.interlocutor.organization),
      role: opt(v.interlocutor.role),
      contact: opt(v.interlocutor.contact),
      entitled: v.interlocutor.entitled || undefined,
      titleDocument: opt(v.interlocutor.titleDocument),
    },
    subject,
    consent: v.consentStatus
      ? { status: v.consentStatus, givenBy: v.consentGivenBy || undefined }
      : undefined,
    summary: opt(v.summary),
    referencePersons: v.references
      .filter((r) => r.fullName.trim())
      .map((r) => ({
        relationship: r.relationship,
        fullName: r.fullName.trim(),
        phone: opt(r.phone),
        // A person of the hub stays linked only while the row still names the one ANPR gave.
        personId: r.personId && (!r.fromAnpr || r.fullName === r.fromAnpr) ? r.personId : undefined,
        email: opt(r.email ?? ''),
        notes: opt(r.notes ?? ''),
      })),
    social: hasSocial ? social : undefined,
    foreignCitizen: Object.values(foreign).some((x) => x !== undefined) ? foreign : undefined,
    needs: v.needs.map((n) => ({ code: n.code })),
    services: v.services.map((x) => (x.id ? { id: x.id, code: x.code } : { code: x.code })),
  };
  if (mode === 'create') {
    if (v.accessKind === 'CRIME_OR_RISK_REPORT' && !subject && v.unidentifiedSubject)
      input.unidentifiedSubject = v.unidentifiedSubject.trim();
    if (v.outcome) input.close = { outcome: v.outcome, notes: opt(v.outcomeNotes) };
  }
  return JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
}

/** The subject's fields the form shows and ANPR may fill. */
export const ANPR_FORM_FIELDS = [
  'lastName',
  'firstName',
  'sex',
  'birthDate',
  'residenceAddress',
] as const;
/** ANPR's codes the form does not show but registers with the person (birth place, residence). */
const ANPR_HIDDEN_FIELDS = ['birthPlaceCode', 'residenceMunicipality'] as const;

/** ANPR's value as the form shows it: the birth date as gg/mm/aaaa. */
const shownOf = (field: string, value: string) => (field === 'birthDate' ? toItDate(value) : value);

/** Fills the subject from ANPR's answer, remembering each value as ANPR's. */
export function fillFromAnpr(v: IntakeFormValues, fields: AnprField[]): IntakeFormValues {
  const fromAnpr: Record<string, string> = {};
  for (const f of fields) {
    fromAnpr[f.field] = f.value;
    if ((ANPR_FORM_FIELDS as readonly string[]).includes(f.field))
      v.subject[f.field as (typeof ANPR_FORM_FIELDS)[number]] = shownOf(f.field, f.value);
  }
  v.subject.fromAnpr = fromAnpr;
  return v;
}

/** The fields whose value is still the one ANPR gave (an edited one is the operator's). */
export function anprSourced(v: IntakeFormValues): string[] {
  const from = v.subject.fromAnpr ?? {};
  return [
    ...ANPR_FORM_FIELDS.filter(
      (f) => from[f] !== undefined && (v.subject[f] ?? '') === shownOf(f, from[f]),
    ),
    ...ANPR_HIDDEN_FIELDS.filter((f) => from[f] !== undefined),
  ];
}

function anprOnly(v: IntakeFormValues): Record<string, string> {
  const from = v.subject.fromAnpr ?? {};
  return Object.fromEntries(
    ANPR_HIDDEN_FIELDS.filter((f) => from[f] !== undefined).map((f) => [f, from[f]!]),
  );
}

/** The field paths the form shows, where the API's errors are placed (`extensions.field`). */
export const FORM_FIELDS = [
  'occurredAt',
  'channel',
  'accessKind',
  'accessReason',
  'sentBy',
  'interlocutor',
  'interlocutor.kind',
  'interlocutor.titleDocument',
  'subject',
  'subject.taxCode',
  'subject.lastName',
  'subject.firstName',
  'subject.birthDate',
  'foreignCitizen.permitExpiry',
  'subject.alias',
  'subject.residenceAddress',
  'unidentifiedSubject',
  'consent',
  'summary',
  'social',
  'social.householdSize',
  'foreignCitizen',
  'referencePersons',
  'needs',
  'services',
  'close',
  'outcome',
] as const;

// ---- The family from ANPR (C021): members added to the record, ANPR kept as their source ----
// A reference person holds a name, a relationship, a link to the hub's person and notes: the
// source goes in the notes (the record has no source of its own for a reference person), and
// the form marks the row "Fonte: ANPR" while its name is ANPR's. A household member is a line
// of the family notes and one more in the household size. No member field is in a sensitive
// group, so a masking desk adds them as any desk does.

export const ANPR_REFERENCE_NOTE = 'Da ANPR (C021)';

const memberKey = (m: AnprFamilyMember) => m.taxCode ?? `${memberName(m)}|${m.birthDate ?? ''}`;

/** The member's line in the family notes (the source in it). */
export function householdLine(m: AnprFamilyMember): string {
  const parts = [memberName(m), m.relation, m.birthDate ? `nascita ${itDate(m.birthDate)}` : null];
  return `${parts.filter(Boolean).join(', ')} (fonte: ANPR)`;
}

/** Whether the member is the record's subject (ANPR lists them in their own family). */
export const isSubject = (v: IntakeFormValues, m: AnprFamilyMember) =>
  !!m.taxCode && m.taxCode === v.subject.taxCode.trim().toUpperCase();

export const isReference = (v: IntakeFormValues, m: AnprFamilyMember) =>
  v.references.some(
    (r) =>
      (m.personId && r.personId === m.personId) || (r.fromAnpr && r.notes?.includes(memberKey(m))),
  );

export const inHousehold = (v: IntakeFormValues, m: AnprFamilyMember) =>
  v.social.familyNotes.includes(householdLine(m));

/** Adds the member as a reference person (a relative, unless ANPR says they are not one). */
export function addAnprReference(v: IntakeFormValues, m: AnprFamilyMember): IntakeFormValues {
  if (isReference(v, m)) return v;
  const name = memberName(m);
  const notRelated = /CONVIVENTE|NON PARENTE|ALTRO/i.test(m.relation ?? '');
  v.references.push({
    relationship: notRelated ? 'OTHER' : 'RELATIVE',
    fullName: name,
    phone: '',
    personId: m.personId,
    email: '',
    notes: `${ANPR_REFERENCE_NOTE}: ${[m.relation, memberKey(m)].filter(Boolean).join(', ')}`,
    fromAnpr: name,
  });
  return v;
}

/** Adds the member to the household: a line of the family notes, one more in its size. */
export function addAnprHouseholdMember(v: IntakeFormValues, m: AnprFamilyMember): IntakeFormValues {
  if (inHousehold(v, m)) return v;
  const line = householdLine(m);
  v.social.familyNotes = v.social.familyNotes.trim()
    ? `${v.social.familyNotes.trimEnd()}\n${line}`
    : line;
  // The subject counts: the first member added makes a household of two.
  const size = Number(v.social.householdSize) || 1;
  v.social.householdSize = String(size + 1);
  return v;
}

/** Whether the row's name is still the one ANPR gave. */
export const referenceFromAnpr = (r: ReferenceRow) => !!r.fromAnpr && r.fullName === r.fromAnpr;
