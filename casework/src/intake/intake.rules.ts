import { CaseworkError } from '../errors.ts';
import type {
  AccessKind,
  Channel,
  ConsentStatus,
  InterlocutorKind,
  LegalBasis,
  Outcome,
} from './intake.types.ts';

/**
 * The consent rule of each kind of access (seed 003, section 1.2), as pure checks over what a
 * record would hold after the operation. The service calls them before writing anything, so a
 * refusal leaves nothing behind; the table's CHECK constraints repeat the structural ones.
 */
export type RuleState = {
  accessKind: AccessKind;
  channel: Channel;
  interlocutor: { kind: InterlocutorKind; personId: string | null; name: string | null };
  interlocutorEntitled: boolean;
  /** The document the title rests on; a title without one is only a claim. */
  interlocutorTitleDocument?: string | null;
  hasSubject: boolean;
  /** Rule 6: a description of a person at risk whose name is not known. */
  unidentifiedSubject?: boolean;
  /** Rule 3's exception: the services a judge ordered. */
  judicialOrder?: { serviceCodes: readonly string[] } | null;
  /** The codes of the services requested, in input order. */
  serviceCodes?: readonly string[];
  /** Consent recorded by this very operation. */
  inputConsent: { status: ConsentStatus; givenBy: 'SUBJECT' | 'LEGAL_REPRESENTATIVE' } | null;
  /** The latest consent of the subject with the organisation before this operation. */
  priorConsent: ConsentStatus | null;
  referencePersons: number;
  needs: number;
  services: number;
  hasSocialData: boolean;
  hasForeignCitizenData: boolean;
};

export type RuleVerdict = { legalBasis: LegalBasis; consentStatus: ConsentStatus | null };

const refuse = (
  code: ConstructorParameters<typeof CaseworkError>[0],
  message: string,
  field: string,
) => new CaseworkError(code, message, field);

/** The interlocutor each kind of access expects; absent: any. */
const INTERLOCUTORS: Partial<Record<AccessKind, readonly InterlocutorKind[]>> = {
  JUDICIAL_AUTHORITY: ['JUDICIAL_AUTHORITY'],
  PUBLIC_OFFICIAL: ['INSTITUTIONAL'],
  CITIZEN: ['SUBJECT'],
  LEGAL_REPRESENTATIVE: ['LEGAL_REPRESENTATIVE'],
  GENERIC_REPORTER: ['RELATIVE_OR_ACQUAINTANCE', 'ORGANIZATION', 'OTHER'],
  ANONYMOUS: ['SUBJECT', 'RELATIVE_OR_ACQUAINTANCE', 'ORGANIZATION', 'OTHER'],
};

/** The interlocutor assumed when the input names none. */
export const DEFAULT_INTERLOCUTOR: Record<AccessKind, InterlocutorKind> = {
  JUDICIAL_AUTHORITY: 'JUDICIAL_AUTHORITY',
  PUBLIC_OFFICIAL: 'INSTITUTIONAL',
  CITIZEN: 'SUBJECT',
  LEGAL_REPRESENTATIVE: 'LEGAL_REPRESENTATIVE',
  GENERIC_REPORTER: 'OTHER',
  CRIME_OR_RISK_REPORT: 'OTHER',
  ANONYMOUS: 'SUBJECT',
};

/** The consent that holds after the operation. */
export const effectiveConsent = (s: Pick<RuleState, 'inputConsent' | 'priorConsent'>) =>
  s.inputConsent?.status ?? s.priorConsent;

/** Checks a record as it would be saved (create, update, duplicate). */
export function checkSaveRules(s: RuleState): RuleVerdict {
  const allowed = INTERLOCUTORS[s.accessKind];
  if (allowed && !allowed.includes(s.interlocutor.kind)) {
    throw refuse(
      'INTERLOCUTOR_NOT_ALLOWED',
      `per il tipo di accesso "${s.accessKind}" l'interlocutore deve essere: ${allowed.join(', ')}`,
      'input.interlocutor.kind',
    );
  }

  if (s.accessKind === 'ANONYMOUS') {
    // The free text was checked before the subject was looked for (checkAnonymous).
    checkAnonymous({ ...s, texts: {} });
    return { legalBasis: 'NONE', consentStatus: null };
  }

  if (s.unidentifiedSubject && (s.accessKind !== 'CRIME_OR_RISK_REPORT' || s.hasSubject)) {
    throw refuse(
      'BAD_USER_INPUT',
      s.hasSubject
        ? 'indicare l’utente oppure descrivere la persona non identificata, non entrambi'
        : 'solo una notizia di reato o di rischio si registra per una persona non identificata',
      'input.unidentifiedSubject',
    );
  }
  if (s.judicialOrder && s.accessKind !== 'CITIZEN') {
    throw refuse(
      'BAD_USER_INPUT',
      'l’ordine dell’Autorità Giudiziaria si indica per l’accesso del cittadino che non presta il consenso',
      'input.judicialOrder',
    );
  }
  // Rule 6: a report of crime or risk is always recorded, also when the name is not known.
  if (!s.hasSubject && !(s.accessKind === 'CRIME_OR_RISK_REPORT' && s.unidentifiedSubject)) {
    throw refuse(
      'SUBJECT_REQUIRED',
      'indicare l’utente della scheda (per un contatto senza generalità usare il colloquio anonimo)',
      'input.subject',
    );
  }

  const consent = effectiveConsent(s);
  switch (s.accessKind) {
    case 'JUDICIAL_AUTHORITY':
      // The judge's mandate: the user is registered even without consent.
      return { legalBasis: 'JUDICIAL_MANDATE', consentStatus: consent };

    case 'CRIME_OR_RISK_REPORT':
      // Presumed prejudice: always registered, with the user's data.
      return { legalBasis: 'LEGAL_OBLIGATION', consentStatus: consent };

    case 'PUBLIC_OFFICIAL': {
      if (s.channel !== 'WRITTEN_REPORT') {
        throw refuse(
          'CHANNEL_NOT_ALLOWED',
          'segnalazione di pubblico ufficiale: sono inseribili solo le segnalazioni pervenute in forma scritta',
          'input.channel',
        );
      }
      if (consent === 'DENIED' || consent === 'WITHDRAWN') {
        const needField = needDataField(s);
        if (needField) {
          throw refuse(
            'CONSENT_REQUIRED',
            'segnalazione di pubblico ufficiale con consenso negato: resta agli atti la sola segnalazione, senza informazioni sullo stato di bisogno',
            needField,
          );
        }
      }
      return {
        legalBasis: consent === 'GIVEN' ? 'CONSENT' : 'LEGAL_OBLIGATION',
        consentStatus: consent,
      };
    }

    case 'CITIZEN':
      if (consent !== 'GIVEN' && s.judicialOrder) return checkJudicialOrder(s, consent);
      if (consent !== 'GIVEN') {
        throw refuse(
          'CONSENT_REQUIRED',
          'accesso di utente in stato di necessità: senza consenso al trattamento i suoi dati non possono essere registrati',
          'input.consent',
        );
      }
      return { legalBasis: 'CONSENT', consentStatus: consent };

    case 'LEGAL_REPRESENTATIVE': {
      const fromInput = s.inputConsent;
      const given =
        fromInput === null
          ? s.priorConsent === 'GIVEN'
          : fromInput.status === 'GIVEN' && fromInput.givenBy === 'LEGAL_REPRESENTATIVE';
      if (!given) {
        throw refuse(
          'CONSENT_REQUIRED',
          'accesso del legale rappresentante: senza il suo consenso al trattamento la scheda non può essere compilata',
          'input.consent',
        );
      }
      return { legalBasis: 'CONSENT', consentStatus: 'GIVEN' };
    }

    case 'GENERIC_REPORTER':
      if (s.inputConsent) {
        throw refuse(
          'CONSENT_REQUIRED',
          'segnalante generico: il consenso deve essere già stato rilasciato dall’utente, non si raccoglie dal segnalante',
          'input.consent',
        );
      }
      if (s.priorConsent !== 'GIVEN') {
        throw refuse(
          'CONSENT_REQUIRED',
          'segnalante generico: si procede solo se l’utente ha già rilasciato il consenso al trattamento',
          'input.subject',
        );
      }
      if (s.services > 0 && !s.interlocutorEntitled) {
        throw refuse(
          'SERVICE_WITHOUT_TITLE',
          'segnalante generico: non si registrano servizi richiesti per l’utente da chi non ne ha titolarità',
          'input.services',
        );
      }
      // The title is a fact the desk attests on a document, not the reporter's word.
      if (s.services > 0 && !s.interlocutorTitleDocument?.trim()) {
        throw refuse(
          'SERVICE_WITHOUT_TITLE',
          'segnalante generico: indicare il documento che attesta la titolarità a chiedere servizi per l’utente',
          'input.interlocutor.titleDocument',
        );
      }
      return { legalBasis: 'CONSENT', consentStatus: 'GIVEN' };
  }
  return assertNever(s.accessKind);
}

function needDataField(s: RuleState): string | null {
  if (s.needs > 0) return 'input.needs';
  if (s.services > 0) return 'input.services';
  if (s.hasSocialData) return 'input.social';
  if (s.hasForeignCitizenData) return 'input.foreignCitizen';
  if (s.referencePersons > 0) return 'input.referencePersons';
  return null;
}

/** Checks the outcome a record is closed with (close, propose). */
export function checkOutcome(args: {
  accessKind: AccessKind;
  outcome: Outcome;
  hasSubject: boolean;
  consent: ConsentStatus | null;
}): void {
  const { accessKind, outcome } = args;
  if (accessKind === 'JUDICIAL_AUTHORITY' && outcome !== 'PROPOSAL_TAKE_INTO_CARE') {
    throw refuse(
      'OUTCOME_NOT_ALLOWED',
      'segnalazione dell’Autorità Giudiziaria: la scheda porta sempre alla presa in carico (proposta di presa in carico)',
      'input.outcome',
    );
  }
  if (accessKind === 'CRIME_OR_RISK_REPORT' && outcome !== 'REPORT_TO_JUDICIAL_AUTHORITY') {
    throw refuse(
      'OUTCOME_NOT_ALLOWED',
      'notizia di reato o presunto rischio: la scheda va chiusa come "Segnalazione all’Autorità Giudiziaria"',
      'input.outcome',
    );
  }
  if (outcome === 'PROPOSAL_TAKE_INTO_CARE') {
    if (!args.hasSubject) {
      throw refuse(
        'OUTCOME_NOT_ALLOWED',
        'colloquio anonimo: senza generalità non si può proporre la presa in carico',
        'input.outcome',
      );
    }
    if (accessKind !== 'JUDICIAL_AUTHORITY' && args.consent !== 'GIVEN') {
      throw refuse(
        'CONSENT_REQUIRED',
        'senza consenso al trattamento il servizio sociale non può attivare alcun aiuto, salvo quanto disposto dall’Autorità Giudiziaria',
        'input.outcome',
      );
    }
  }
}

/**
 * Rule 3's exception: a citizen who does not consent still gets what a judge ordered, and only
 * that: the services the order names, and no social or foreign-citizen data beyond the order.
 */
function checkJudicialOrder(s: RuleState, consent: ConsentStatus | null): RuleVerdict {
  const ordered = new Set(s.judicialOrder?.serviceCodes ?? []);
  (s.serviceCodes ?? []).forEach((code, i) => {
    if (!ordered.has(code)) {
      throw refuse(
        'CONSENT_REQUIRED',
        'senza consenso si registrano solo gli interventi disposti dall’Autorità Giudiziaria',
        `input.services.${i}.code`,
      );
    }
  });
  if (s.hasSocialData || s.hasForeignCitizenData || s.referencePersons > 0) {
    throw refuse(
      'CONSENT_REQUIRED',
      'senza consenso non si registrano altri dati oltre a quanto disposto dall’Autorità Giudiziaria',
      s.hasSocialData
        ? 'input.social'
        : s.hasForeignCitizenData
          ? 'input.foreignCitizen'
          : 'input.referencePersons',
    );
  }
  return { legalBasis: 'JUDICIAL_MANDATE', consentStatus: consent };
}

/** Rule 2's first interview: a public official's report is closed only after the decision. */
export function checkReportConsentDecided(s: {
  accessKind: AccessKind;
  consent: ConsentStatus | null;
}): void {
  if (s.accessKind === 'PUBLIC_OFFICIAL' && s.consent === null) {
    throw refuse(
      'CONSENT_REQUIRED',
      'segnalazione di pubblico ufficiale: al primo colloquio va registrata la decisione dell’utente sul consenso, prima di chiudere la scheda',
      'input.outcome',
    );
  }
}

/** A month for the first interview after a public official's report (the district's practice). */
export const FIRST_INTERVIEW_DAYS = 30;

function assertNever(value: never): never {
  throw new Error(`unexpected access kind ${String(value)}`);
}

/**
 * Rules 1 and 6 cannot be undone: a judicial authority's report always leads to a case file and
 * a report of crime or risk is always recorded, so their kind of access is fixed once saved.
 */
const KEPT_BY_LAW: readonly AccessKind[] = ['JUDICIAL_AUTHORITY', 'CRIME_OR_RISK_REPORT'];

export function checkAccessKindChange(saved: AccessKind, next: AccessKind): void {
  if (saved !== next && KEPT_BY_LAW.includes(saved)) {
    throw refuse(
      'ACCESS_KIND_FIXED',
      saved === 'JUDICIAL_AUTHORITY'
        ? 'segnalazione dell’Autorità Giudiziaria: il tipo di accesso non può essere cambiato'
        : 'notizia di reato o presunto rischio: il tipo di accesso non può essere cambiato',
      'input.accessKind',
    );
  }
}

/** …and neither can be deleted, not even while proposed. */
export function checkDeletable(accessKind: AccessKind): void {
  if (KEPT_BY_LAW.includes(accessKind)) {
    throw refuse(
      'RECORD_KEPT_BY_LAW',
      accessKind === 'JUDICIAL_AUTHORITY'
        ? 'segnalazione dell’Autorità Giudiziaria: la scheda non può essere eliminata'
        : 'notizia di reato o presunto rischio: la scheda non può essere eliminata',
      'id',
    );
  }
}

/** What identifies a person when written in free text: its codice fiscale and its contacts. */
const IDENTITY_IN_TEXT: readonly { what: string; pattern: RegExp }[] = [
  {
    what: 'un codice fiscale',
    pattern:
      /(?<![A-Z0-9])[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![A-Z0-9])/i,
  },
  { what: 'un indirizzo e-mail', pattern: /[^\s@]+@[^\s@]+\.[a-z]{2,}/i },
  // Italian numbers: mobile 3xx, landline 0x; a date (03.12.2026) has too few digits to match.
  {
    what: 'un numero di telefono',
    pattern: /(?<![\d/])(?:(?:\+|00)39[\s.-]?)?(?:3\d{2}|0\d{1,3})(?:[\s.-]?\d){7,9}(?![\d/])/,
  },
];

export type AnonymousState = Pick<
  RuleState,
  'hasSubject' | 'referencePersons' | 'interlocutor' | 'inputConsent'
> & {
  /** The record's free text, by input field: summary, sent by, contact, notes, diary. */
  texts: Record<string, string | null | undefined>;
};

/**
 * Rule 7, colloquio anonimo: no identity of the user is acquired, neither in the fields meant
 * for it nor written into the free text (a codice fiscale, an e-mail address, a phone number).
 * Checked before the subject is looked for, so a codice fiscale alone is refused as identity.
 */
export function checkAnonymous(s: AnonymousState): void {
  const identity = s.hasSubject
    ? 'input.subject'
    : s.referencePersons > 0
      ? 'input.referencePersons'
      : s.interlocutor.personId || (s.interlocutor.kind === 'SUBJECT' && s.interlocutor.name)
        ? 'input.interlocutor'
        : null;
  if (identity) {
    throw refuse(
      'ANONYMOUS_WITH_IDENTITY',
      'colloquio anonimo: non si registrano le generalità dell’utente né dati che lo identifichino',
      identity,
    );
  }
  if (s.inputConsent) {
    throw refuse(
      'ANONYMOUS_WITH_IDENTITY',
      'colloquio anonimo: non c’è un interessato di cui registrare il consenso',
      'input.consent',
    );
  }
  for (const [field, text] of Object.entries(s.texts)) {
    if (!text) continue;
    const hit = IDENTITY_IN_TEXT.find((i) => i.pattern.test(text));
    if (hit) {
      throw refuse(
        'ANONYMOUS_WITH_IDENTITY',
        `colloquio anonimo: il testo contiene ${hit.what}, che identifica la persona`,
        field,
      );
    }
  }
}
