import { z } from 'zod';
import type { Db, Queryable } from '../db/db.ts';
import { badInput } from '../errors.ts';
import type {
  AccessKind,
  Channel,
  ConsentStatus,
  IntakeStatus,
  InterlocutorKind,
  LegalBasis,
  Outcome,
} from '../intake/intake.types.ts';
import { dayInRome } from '../time/today.ts';
import { createRandom, type Random, uuidFromName } from './prng.ts';

// A year of intake records across the demo region, a pure function of (seed, year, index) over
// what the store holds (zones, desks, persons): the same store and arguments give the same
// records, and a run that stopped resumes (every id is derived, inserts skip existing ids).
// The mix of kinds, needs, services and outcomes is illustrative, not a statistic. Records are
// written in batches straight to the tables, so they follow the consent rules by construction
// (intake.rules.ts); the tables' CHECK constraints hold the structural ones.

export const generateIntakeDemoOptions = z.object({
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  year: z.number().int().min(2000).max(2100).default(2025),
  /** Records per 1,000 residents of the zone over the year. */
  recordsPerThousandResidents: z.number().min(0).max(1000).default(20),
  batchSize: z.number().int().min(1).max(20_000).default(2000),
});
export type GenerateIntakeDemoOptions = z.input<typeof generateIntakeDemoOptions> & {
  onProgress?: ((done: number, total: number) => void) | undefined;
};
export type GenerateIntakeDemoResult = { records: number; created: number; skipped: boolean };

const KINDS: readonly (readonly [AccessKind, number])[] = [
  ['CITIZEN', 62],
  ['ANONYMOUS', 11],
  ['PUBLIC_OFFICIAL', 8],
  ['GENERIC_REPORTER', 8],
  ['LEGAL_REPRESENTATIVE', 5],
  ['JUDICIAL_AUTHORITY', 4],
  ['CRIME_OR_RISK_REPORT', 2],
];

const SELF_CHANNELS: readonly (readonly [Channel, number])[] = [
  ['IN_PERSON', 62],
  ['PHONE', 24],
  ['EMAIL', 8],
  ['HOME_VISIT', 4],
  ['OTHER_REMOTE', 2],
];

/** Needs (ISTAT areas) and the services (INPS codes) people with that need most often ask for. */
const SERVICES_BY_NEED: Record<string, readonly (readonly [string, number])[]> = {
  ELD: [
    ['A2.07', 5],
    ['A2.08', 3],
    ['A1.11', 3],
    ['A1.14', 1],
    ['A1.16', 1],
  ],
  FAM: [
    ['A2.02', 4],
    ['A1.04', 3],
    ['A1.07', 2],
    ['A2.11', 2],
    ['A1.09', 1],
    ['A2.12', 1],
  ],
  POV: [
    ['A1.04', 5],
    ['A1.05', 4],
    ['A1.06', 4],
    ['A2.01', 2],
    ['A1.17', 1],
  ],
  DIS: [
    ['A1.10', 3],
    ['A2.08', 3],
    ['A1.12', 2],
    ['A1.16', 2],
    ['A3.01', 1],
  ],
  ADD: [
    ['A1.15', 2],
    ['A2.09', 2],
    ['A1.04', 1],
  ],
  IMMNOM: [
    ['A2.09', 3],
    ['A1.04', 2],
    ['A1.06', 2],
    ['A1.18', 1],
  ],
};

const WORK_FOR_ADULT: readonly (readonly [string, number])[] = [
  ['1', 30],
  ['2', 22],
  ['3', 5],
  ['4', 8],
  ['6', 20],
  ['7', 6],
  ['8', 9],
];

const JUDICIAL_BODIES = [
  'Tribunale per i minorenni di Perugia',
  'Tribunale ordinario di Perugia',
  'Tribunale ordinario di Terni',
  'Procura della Repubblica presso il Tribunale per i minorenni di Perugia',
];
const OFFICIALS: readonly (readonly [string, string])[] = [
  ['Istituto comprensivo', 'dirigente scolastico'],
  ['Arma dei Carabinieri', 'comandante di stazione'],
  ['Polizia locale', 'agente'],
  ['Azienda ospedaliera', 'assistente sociale ospedaliera'],
  ['Consultorio familiare', 'psicologa'],
];
const REPORTER_ROLES = [
  'vicino di casa',
  'parente non convivente',
  'conoscente',
  'parroco',
  'volontario',
];
const REPRESENTATIVES = ['amministratore di sostegno', 'tutore', 'genitore'];

const SUMMARIES: Record<string, readonly string[]> = {
  ELD: [
    'Chiede assistenza domiciliare per la madre anziana',
    'Anziano solo con difficoltà negli spostamenti',
  ],
  FAM: [
    'Chiede sostegno per i figli minori',
    'Difficoltà nella gestione familiare dopo la separazione',
  ],
  POV: [
    'Chiede un contributo per l’affitto',
    'Perdita del lavoro, difficoltà con le utenze',
    'Chiede buoni spesa',
  ],
  DIS: [
    'Chiede informazioni sui servizi per la disabilità',
    'Richiesta di centro diurno per il figlio disabile',
  ],
  ADD: [
    'Familiare segnala problemi di dipendenza',
    'Chiede orientamento ai servizi per le dipendenze',
  ],
  IMMNOM: [
    'Chiede aiuto per il rinnovo del permesso di soggiorno',
    'Chiede orientamento al lavoro e corsi di italiano',
  ],
};
const HEALTH_NOTES = [
  'Riferisce patologie croniche',
  'In carico al centro di salute mentale',
  'Recente ricovero ospedaliero',
];

type Zone = { districtId: number; residents: number; desks: Desk[]; persons: Subject[] };
type Desk = {
  id: string;
  kind: string;
  officeId: string;
  organizationId: string;
  operatorId: string | null;
  weight: number;
};
type Subject = {
  id: string;
  birthDate: string | null;
  foreign: boolean;
  permitType: string | null;
  permitExpiry: string | null;
  /** When the person entered the registry (ms): nobody is recorded before that. */
  registeredAt: number;
  /** Consents in time order (ms): the demo persons' own, then those the planned records add. */
  consents: { at: number; status: ConsentStatus }[];
};

/** The consent that holds at `at`: the latest one decided by then. */
function consentAt(s: Subject, at: number): ConsentStatus | null {
  let status: ConsentStatus | null = null;
  for (const c of s.consents) if (c.at <= at) status = c.status;
  return status;
}

/** Desks of a zone and how much of its traffic each sees. */
const DESK_WEIGHT: Record<string, number> = {
  PUA: 50,
  UDC: 25,
  IMMIGRANT_DESK: 15,
  URP: 10,
  SOCIAL_DESK: 20,
  OTHER: 5,
};

async function loadZones(q: Queryable, personLimit: number): Promise<Zone[]> {
  const residents = await q.query<{ districtId: number; residents: number }>(
    `SELECT social_district_id AS "districtId", sum(coalesce(population, 0))::int AS residents
       FROM municipality WHERE social_district_id IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  const desks = await q.query<Omit<Desk, 'weight'> & { districtId: number }>(
    `SELECT cp.id, cp.kind, cp.office_id AS "officeId", o.organization_id AS "organizationId",
            org.social_district_id AS "districtId",
            (SELECT m.operator_id FROM membership m JOIN operator op ON op.id = m.operator_id
              WHERE m.contact_point_id = cp.id AND m.role = 'FRONT_DESK'
              ORDER BY op.username LIMIT 1) AS "operatorId"
       FROM contact_point cp
       JOIN office o ON o.id = cp.office_id
       JOIN organization org ON org.id = o.organization_id
      WHERE org.social_district_id IS NOT NULL
      ORDER BY org.social_district_id, cp.name, cp.kind`,
  );
  const persons = await q.query<{
    id: string;
    districtId: number;
    birthDate: string | null;
    foreign: boolean;
    permitType: string | null;
    permitExpiry: string | null;
    createdAt: Date;
  }>(
    `SELECT p.id, m.social_district_id AS "districtId", p.birth_date AS "birthDate",
            (p.citizenship IS NOT NULL AND p.citizenship <> 'ITA') AS foreign,
            p.permit_type AS "permitType", p.permit_expiry AS "permitExpiry", p.created_at AS "createdAt"
       FROM person p JOIN municipality m ON m.istat_code = p.residence_municipality
      WHERE p.deleted_at IS NULL AND NOT p.anonymous AND m.social_district_id IS NOT NULL
      ORDER BY p.tax_code, p.id LIMIT $1`,
    [personLimit],
  );
  // Consents recorded by intake records are left out, so that a resumed run plans the same
  // records as an uninterrupted one.
  const consents = await q.query<{ personId: string; at: Date; status: ConsentStatus }>(
    `SELECT c.person_id AS "personId", c.recorded_at AS at, c.status FROM consent c
      WHERE NOT EXISTS (SELECT 1 FROM intake_record r WHERE r.consent_id = c.id)
      ORDER BY c.recorded_at, c.decided_on, c.person_id, c.status`,
  );
  const consentsOf = new Map<string, Subject['consents']>();
  for (const c of consents) {
    const list = consentsOf.get(c.personId) ?? [];
    list.push({ at: c.at.getTime(), status: c.status });
    consentsOf.set(c.personId, list);
  }
  const subjects = persons.map(({ createdAt, ...p }) => ({
    ...p,
    registeredAt: createdAt.getTime(),
    consents: consentsOf.get(p.id) ?? [],
  }));
  return residents
    .map((r) => ({
      districtId: r.districtId,
      residents: r.residents,
      desks: desks
        .filter((d) => d.districtId === r.districtId)
        .map(({ districtId: _, ...d }) => ({ ...d, weight: DESK_WEIGHT[d.kind] ?? 5 })),
      persons: subjects
        .filter((p) => p.districtId === r.districtId)
        .map(({ districtId: _, ...p }) => p),
    }))
    .filter((z) => z.desks.length > 0 && z.residents > 0);
}

const DAY_MS = 86_400_000;

/** Working days of the year up to `until`, August and late December lighter. */
function workingDays(year: number, until: number): { day: number; weight: number }[] {
  const days: { day: number; weight: number }[] = [];
  for (
    let t = Date.UTC(year, 0, 2);
    t < Date.UTC(year + 1, 0, 1) && t + DAY_MS <= until;
    t += DAY_MS
  ) {
    const d = new Date(t);
    const wd = d.getUTCDay();
    if (wd === 0 || wd === 6) continue;
    const month = d.getUTCMonth();
    const weight = month === 7 ? 0.5 : month === 11 && d.getUTCDate() > 20 ? 0.4 : 1;
    days.push({ day: t, weight });
  }
  return days;
}

function pickDay(r: Random, days: { day: number; weight: number }[], cumulative: Float64Array) {
  const u = r.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return days[lo]!.day;
}

const ageAt = (birthDate: string | null, at: number) =>
  birthDate ? (at - Date.parse(`${birthDate}T00:00:00Z`)) / (365.2425 * DAY_MS) : 40;

type Planned = {
  record: Record<string, unknown>;
  needs: string[];
  services: { code: string; minutes: number; state: string }[];
  consent: { id: string; personId: string; status: ConsentStatus; decidedOn: string } | null;
};

type Head = { index: number; r: Random; zone: Zone; desk: Desk; occurredAt: number };

/** The first draws of record `index`: where and when. The rest is planned in time order. */
function planHead(
  seed: number,
  year: number,
  index: number,
  zoneWeights: (readonly [Zone, number])[],
  days: { day: number; weight: number }[],
  cumulative: Float64Array,
  now: number,
): Head {
  const r = createRandom(seed ^ (year * 7919), index);
  const zone = r.weighted(zoneWeights);
  const desk = r.weighted(zone.desks.map((d) => [d, d.weight] as const));
  const day = pickDay(r, days, cumulative);
  // Desk hours 8:30–17:30 Italian time (UTC+1/+2: 7:00–15:30 UTC covers both).
  const occurredAt = Math.min(day + (7 * 60 + r.int(0, 510)) * 60_000, now - 3_600_000);
  return { index, r, zone, desk, occurredAt };
}

function planRecord(seed: number, year: number, head: Head, now: number): Planned {
  const { r, zone, desk, occurredAt } = head;
  const id = uuidFromName(`siso-demo:intake:${seed}:${year}:${head.index}`);
  let kind = r.weighted(KINDS);
  if (desk.kind === 'IMMIGRANT_DESK' && kind !== 'ANONYMOUS') {
    kind = r.chance(0.9) ? 'CITIZEN' : kind;
  }

  // The subject: chosen among the zone's residents to fit the kind of access.
  // Only persons already in the registry at that moment; none found: an anonymous contact.
  const candidate = (accept: (s: Subject) => boolean): Subject | null => {
    if (zone.persons.length === 0) return null;
    let fallback: Subject | null = null;
    for (let tries = 0; tries < 12; tries++) {
      const s = r.pick(zone.persons);
      if (s.registeredAt > occurredAt) continue;
      if (accept(s)) return s;
      fallback ??= s;
    }
    return fallback;
  };
  let subject: Subject | null = null;
  if (kind !== 'ANONYMOUS') {
    const at = occurredAt;
    subject =
      kind === 'CITIZEN'
        ? candidate(
            (s) => ageAt(s.birthDate, at) >= 18 && (desk.kind !== 'IMMIGRANT_DESK' || s.foreign),
          )
        : kind === 'GENERIC_REPORTER'
          ? candidate((s) => consentAt(s, at) === 'GIVEN')
          : kind === 'JUDICIAL_AUTHORITY' || kind === 'PUBLIC_OFFICIAL'
            ? candidate((s) => ageAt(s.birthDate, at) < 18 || r.chance(0.4))
            : kind === 'LEGAL_REPRESENTATIVE'
              ? candidate((s) => ageAt(s.birthDate, at) >= 75 || ageAt(s.birthDate, at) < 18)
              : candidate(() => true);
    if (!subject) kind = 'ANONYMOUS';
    // No consent on file: a generic reporter cannot go on; the person comes in themselves.
    else if (kind === 'GENERIC_REPORTER' && consentAt(subject, at) !== 'GIVEN') kind = 'CITIZEN';
  }
  const age = subject ? ageAt(subject.birthDate, occurredAt) : 40;
  const decidedOn = dayInRome(new Date(occurredAt));

  // Consent and legal basis, as the rules of intake.rules.ts want them.
  let consent: Planned['consent'] = null;
  let consentStatus: ConsentStatus | null = subject ? consentAt(subject, occurredAt) : null;
  let consentGivenBy: string | null = null;
  let legalBasis: LegalBasis = 'CONSENT';
  const newConsent = (status: ConsentStatus, by: string | null) => {
    consent = {
      id: uuidFromName(`siso-demo:intake-consent:${id}`),
      personId: subject!.id,
      status,
      decidedOn,
    };
    subject!.consents.push({ at: occurredAt, status });
    consentStatus = status;
    consentGivenBy = by;
  };
  let reportOnly = false;
  switch (kind) {
    case 'CITIZEN':
      if (consentStatus !== 'GIVEN') newConsent('GIVEN', 'SUBJECT');
      break;
    case 'LEGAL_REPRESENTATIVE':
      newConsent('GIVEN', 'LEGAL_REPRESENTATIVE');
      break;
    case 'GENERIC_REPORTER':
      break;
    case 'PUBLIC_OFFICIAL': {
      const asked = r.weighted<'LATER' | 'GIVEN' | 'DENIED'>([
        ['LATER', 70],
        ['GIVEN', 18],
        ['DENIED', 12],
      ]);
      if (asked !== 'LATER') newConsent(asked, asked === 'GIVEN' ? 'SUBJECT' : null);
      reportOnly = consentStatus === 'DENIED';
      legalBasis = consentStatus === 'GIVEN' ? 'CONSENT' : 'LEGAL_OBLIGATION';
      break;
    }
    case 'JUDICIAL_AUTHORITY':
      legalBasis = 'JUDICIAL_MANDATE';
      break;
    case 'CRIME_OR_RISK_REPORT':
      legalBasis = 'LEGAL_OBLIGATION';
      break;
    case 'ANONYMOUS':
      legalBasis = 'NONE';
      consentStatus = null;
      break;
  }

  // Needs: by age and origin first, then the commonest.
  const primary =
    age < 18
      ? 'FAM'
      : age >= 75
        ? 'ELD'
        : subject?.foreign && r.chance(0.6)
          ? 'IMMNOM'
          : r.weighted([
              ['POV', 45],
              ['FAM', 20],
              ['DIS', 15],
              ['ELD', age >= 60 ? 15 : 2],
              ['ADD', 6],
            ] as const);
  const needs = reportOnly ? [] : [primary];
  if (!reportOnly && r.chance(0.25)) {
    const second = r.pick(['POV', 'FAM', 'DIS', 'ELD', 'IMMNOM', 'ADD']);
    if (second !== primary && (second !== 'IMMNOM' || subject?.foreign)) needs.push(second);
  }
  const servicesAllowed =
    !reportOnly && kind !== 'GENERIC_REPORTER' && kind !== 'CRIME_OR_RISK_REPORT';
  const services: Planned['services'] = [];
  if (servicesAllowed && r.chance(kind === 'ANONYMOUS' ? 0.15 : 0.55)) {
    const count = r.chance(0.2) ? 2 : 1;
    for (let i = 0; i < count; i++) {
      const code = r.weighted(SERVICES_BY_NEED[needs[i % needs.length]!]!);
      if (!services.some((s) => s.code === code)) {
        services.push({
          code,
          minutes: 5 * r.int(2, 18),
          state: r.weighted([
            ['REQUESTED', 30],
            ['FORWARDED', 35],
            ['ACCEPTED', 25],
            ['REJECTED', 7],
            ['WITHDRAWN', 3],
          ] as const),
        });
      }
    }
  }

  // Interlocutor.
  let interlocutorKind: InterlocutorKind = 'SUBJECT';
  const interlocutorName: string | null = null;
  let interlocutorOrganization: string | null = null;
  let interlocutorRole: string | null = null;
  let channel: Channel = r.weighted(SELF_CHANNELS);
  switch (kind) {
    case 'JUDICIAL_AUTHORITY':
      interlocutorKind = 'JUDICIAL_AUTHORITY';
      interlocutorOrganization = r.pick(JUDICIAL_BODIES);
      channel = 'WRITTEN_REPORT';
      break;
    case 'PUBLIC_OFFICIAL': {
      const [body, role] = r.pick(OFFICIALS);
      interlocutorKind = 'INSTITUTIONAL';
      interlocutorOrganization = body;
      interlocutorRole = role;
      channel = 'WRITTEN_REPORT';
      break;
    }
    case 'LEGAL_REPRESENTATIVE':
      interlocutorKind = 'LEGAL_REPRESENTATIVE';
      interlocutorRole = age < 18 ? 'genitore' : r.pick(REPRESENTATIVES);
      break;
    case 'GENERIC_REPORTER':
      interlocutorKind = r.chance(0.8) ? 'RELATIVE_OR_ACQUAINTANCE' : 'OTHER';
      interlocutorRole = r.pick(REPORTER_ROLES);
      channel = r.chance(0.7) ? 'PHONE' : 'IN_PERSON';
      break;
    case 'CRIME_OR_RISK_REPORT':
      interlocutorKind = r.weighted([
        ['INSTITUTIONAL', 40],
        ['RELATIVE_OR_ACQUAINTANCE', 40],
        ['OTHER', 20],
      ] as const);
      channel = r.chance(0.5) ? 'PHONE' : 'IN_PERSON';
      break;
    case 'ANONYMOUS':
      channel = r.chance(0.7) ? 'PHONE' : 'IN_PERSON';
      break;
    case 'CITIZEN':
      break;
  }

  // Outcome: old records are closed; the last weeks of the period still have open ones.
  const periodEnd = Math.min(now, Date.UTC(year + 1, 0, 1));
  const recent = periodEnd - occurredAt < 21 * DAY_MS;
  let outcome: Outcome | null;
  switch (kind) {
    case 'JUDICIAL_AUTHORITY':
      outcome = recent && r.chance(0.5) ? null : 'PROPOSAL_TAKE_INTO_CARE';
      break;
    case 'CRIME_OR_RISK_REPORT':
      outcome = recent && r.chance(0.3) ? null : 'REPORT_TO_JUDICIAL_AUTHORITY';
      break;
    case 'ANONYMOUS':
      outcome = r.weighted([
        ['INFORMATION_GIVEN', 80],
        ['REFERRAL', 12],
        ['REFERRAL_EXTERNAL_ORGANIZATION', 8],
      ] as const);
      break;
    default: {
      const proposal = !reportOnly && consentStatus === 'GIVEN';
      outcome =
        recent && r.chance(0.4)
          ? null
          : r.weighted<Outcome>([
              ['INFORMATION_GIVEN', 36],
              ['REFERRAL', 16],
              ['REFERRAL_EXTERNAL_ORGANIZATION', 6],
              ['HOUSING_MEDIATION', needs.includes('POV') ? 6 : 1],
              ['JOB_ORIENTATION', age >= 18 && age < 65 ? 7 : 0],
              ['CULTURAL_MEDIATION', subject?.foreign ? 10 : 0],
              ['EDUCATION_ORIENTATION', age < 30 ? 4 : 0],
              ['PROPOSAL_TAKE_INTO_CARE', proposal ? 20 : 0],
              ['REPORT_TO_JUDICIAL_AUTHORITY', kind === 'PUBLIC_OFFICIAL' ? 6 : 0],
            ]);
    }
  }
  const status: IntakeStatus =
    outcome === null ? 'OPEN' : outcome === 'PROPOSAL_TAKE_INTO_CARE' ? 'PROPOSED' : 'CLOSED';
  const closedAt = outcome
    ? Math.min(occurredAt + r.int(0, 10) * DAY_MS + r.int(5, 120) * 60_000, now - 60_000)
    : null;

  const adult = age >= 18;
  const healthy = !(needs.includes('DIS') || needs.includes('ELD') || needs.includes('ADD'));
  const social =
    reportOnly || kind === 'ANONYMOUS'
      ? {}
      : {
          household_size: r.int(1, 5),
          work_condition_code: adult && r.chance(0.7) ? r.weighted(WORK_FOR_ADULT) : null,
          homeless: needs.includes('POV') && r.chance(0.06),
          health_notes: !healthy && r.chance(0.5) ? r.pick(HEALTH_NOTES) : null,
          judicial_notes:
            kind === 'JUDICIAL_AUTHORITY' ? 'Provvedimento del giudice agli atti' : null,
          judicial_measure_ref:
            kind === 'JUDICIAL_AUTHORITY' ? `RG ${r.int(100, 9999)}/${year}` : null,
          economic_notes:
            needs.includes('POV') && r.chance(0.5)
              ? 'Reddito insufficiente per le spese essenziali'
              : null,
        };
  const foreignData =
    !reportOnly && subject?.foreign
      ? { permit_type: subject.permitType, permit_expiry: subject.permitExpiry }
      : {};

  return {
    record: {
      id,
      organization_id: desk.organizationId,
      office_id: desk.officeId,
      contact_point_id: desk.id,
      occurred_at: new Date(occurredAt).toISOString(),
      channel,
      access_kind: kind,
      access_reason:
        kind === 'JUDICIAL_AUTHORITY' ? 'DECREE' : kind === 'CITIZEN' ? 'SPONTANEOUS' : null,
      legal_basis: legalBasis,
      consent_id: consent ? (consent as { id: string }).id : null,
      consent_status: consentStatus,
      consent_given_by: consentGivenBy,
      interlocutor_kind: interlocutorKind,
      interlocutor_organization: interlocutorOrganization,
      interlocutor_role: interlocutorRole,
      interlocutor_name: interlocutorName,
      interlocutor_entitled: false,
      subject_person_id: subject?.id ?? null,
      summary: reportOnly ? 'Segnalazione scritta agli atti' : r.pick(SUMMARIES[primary]!),
      ...social,
      ...foreignData,
      status,
      outcome,
      closed_at: closedAt ? new Date(closedAt).toISOString() : null,
      closed_by: closedAt ? desk.operatorId : null,
      proposed_office_id: status === 'PROPOSED' ? desk.officeId : null,
      created_by: desk.operatorId,
      updated_by: desk.operatorId,
      created_at: new Date(occurredAt).toISOString(),
      updated_at: new Date(closedAt ?? occurredAt).toISOString(),
    },
    needs,
    services,
    consent,
  };
}

const RECORD_COLUMNS: readonly [string, string][] = [
  ['id', 'uuid'],
  ['organization_id', 'uuid'],
  ['office_id', 'uuid'],
  ['contact_point_id', 'uuid'],
  ['occurred_at', 'timestamptz'],
  ['channel', 'text'],
  ['access_kind', 'text'],
  ['access_reason', 'text'],
  ['legal_basis', 'text'],
  ['consent_id', 'uuid'],
  ['consent_status', 'text'],
  ['consent_given_by', 'text'],
  ['interlocutor_kind', 'text'],
  ['interlocutor_organization', 'text'],
  ['interlocutor_role', 'text'],
  ['interlocutor_name', 'text'],
  ['interlocutor_entitled', 'boolean'],
  ['subject_person_id', 'uuid'],
  ['summary', 'text'],
  ['household_size', 'smallint'],
  ['work_condition_code', 'text'],
  ['homeless', 'boolean'],
  ['health_notes', 'text'],
  ['judicial_notes', 'text'],
  ['judicial_measure_ref', 'text'],
  ['economic_notes', 'text'],
  ['citizenship', 'text'],
  ['permit_type', 'text'],
  ['permit_expiry', 'date'],
  ['status', 'text'],
  ['outcome', 'text'],
  ['closed_at', 'timestamptz'],
  ['closed_by', 'uuid'],
  ['proposed_office_id', 'uuid'],
  ['created_by', 'uuid'],
  ['updated_by', 'uuid'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

async function insertBatch(q: Queryable, batch: Planned[]): Promise<number> {
  const consents = batch.flatMap((p) =>
    p.consent
      ? [
          {
            ...p.consent,
            org: p.record.organization_id as string,
            office: p.record.office_id as string,
            at: p.record.occurred_at as string,
          },
        ]
      : [],
  );
  if (consents.length > 0) {
    await q.query(
      `INSERT INTO consent (id, person_id, organization_id, office_id, status, legal_basis, decided_on, recorded_at)
       SELECT id, person_id, org, office, status, 'CONSENT', decided_on, at
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::date[], $7::timestamptz[])
           AS t(id, person_id, org, office, status, decided_on, at)
       ON CONFLICT (id) DO NOTHING`,
      [
        consents.map((c) => c.id),
        consents.map((c) => c.personId),
        consents.map((c) => c.org),
        consents.map((c) => c.office),
        consents.map((c) => c.status),
        consents.map((c) => c.decidedOn),
        consents.map((c) => c.at),
      ],
    );
  }
  const names = RECORD_COLUMNS.map(([c]) => c);
  const inserted = await q.query<{ id: string }>(
    `INSERT INTO intake_record (${names.join(', ')})
     SELECT * FROM unnest(${RECORD_COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    RECORD_COLUMNS.map(([c]) => batch.map((p) => p.record[c] ?? null)),
  );
  const fresh = new Set(inserted.map((r) => r.id));
  const mine = batch.filter((p) => fresh.has(p.record.id as string));
  const needs = mine.flatMap((p) => p.needs.map((code) => [p.record.id as string, code] as const));
  if (needs.length > 0) {
    await q.query(
      `INSERT INTO intake_need (intake_id, need_code) SELECT * FROM unnest($1::uuid[], $2::text[])`,
      [needs.map(([i]) => i), needs.map(([, c]) => c)],
    );
  }
  const services = mine.flatMap((p) =>
    p.services.map((s) => ({
      ...s,
      intakeId: p.record.id as string,
      at: p.record.occurred_at as string,
    })),
  );
  if (services.length > 0) {
    // The version of each code valid on the day of the record.
    await q.query(
      `INSERT INTO intake_service_request (intake_id, service_id, service_code, state, working_minutes, created_at, updated_at)
       SELECT t.intake_id, c.id, t.code, t.state, t.minutes, t.at, t.at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[]) AS t(intake_id, code, state, minutes, at)
         JOIN service_catalog c ON c.code = t.code
          AND (c.valid_from IS NULL OR c.valid_from <= (t.at AT TIME ZONE 'Europe/Rome')::date)
          AND (c.valid_to IS NULL OR c.valid_to > (t.at AT TIME ZONE 'Europe/Rome')::date)`,
      [
        services.map((s) => s.intakeId),
        services.map((s) => s.code),
        services.map((s) => s.state),
        services.map((s) => s.minutes),
        services.map((s) => s.at),
      ],
    );
  }
  return mine.length;
}

/**
 * Generates `year`'s intake records for the demo region: recordsPerThousandResidents × residents
 * of each zona sociale, across its desks, with a mix of kinds, needs, services and outcomes.
 * Needs the territory, the demo organisation and persons, and the service catalog
 * (loadServiceCatalog). Deterministic for a given store and seed; safe to run again.
 */
export async function generateIntakeDemo(
  db: Db,
  options: GenerateIntakeDemoOptions,
): Promise<GenerateIntakeDemoResult> {
  const parsed = generateIntakeDemoOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(issue.path.join('.') || 'options', `opzione non valida: ${issue.message}`);
  }
  const { seed, year, recordsPerThousandResidents, batchSize } = parsed.data;
  const zones = await loadZones(db, 200_000);
  const [catalog] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM need_code');
  if (!catalog || catalog.n === 0)
    throw new Error('service catalog not loaded: call loadServiceCatalog first');
  const now = Date.now();
  const days = workingDays(year, now);
  const total = Math.round(
    zones.reduce((s, z) => s + z.residents, 0) * (recordsPerThousandResidents / 1000),
  );
  if (zones.length === 0 || days.length === 0 || total === 0)
    return { records: 0, created: 0, skipped: true };
  const cumulative = new Float64Array(days.length);
  days.reduce((sum, d, i) => (cumulative[i] = sum + d.weight), 0);
  const zoneWeights = zones.map((z) => [z, z.residents] as const);

  // Consents change over time, so records are planned in time order (ties by index).
  const heads = Array.from({ length: total }, (_, i) =>
    planHead(seed, year, i, zoneWeights, days, cumulative, now),
  ).sort((a, b) => a.occurredAt - b.occurredAt || a.index - b.index);
  const planned = heads.map((h) => planRecord(seed, year, h, now));

  let created = 0;
  options.onProgress?.(0, total);
  for (let from = 0; from < total; from += batchSize) {
    const to = Math.min(from + batchSize, total);
    created += await db.transaction((tx) => insertBatch(tx, planned.slice(from, to)));
    options.onProgress?.(to, total);
  }
  return { records: total, created, skipped: false };
}
