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
  hasSubject: boolean;
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
    // Colloquio anonimo: no identity of the user is acquired.
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
    return { legalBasis: 'NONE', consentStatus: null };
  }

  if (!s.hasSubject) {
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

function assertNever(value: never): never {
  throw new Error(`unexpected access kind ${String(value)}`);
}
