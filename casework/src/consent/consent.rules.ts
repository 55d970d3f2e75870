// Who may decide on consent (seed 003 1.2, rule 4; codice civile artt. 320, 357, 404): an adult
// with full capacity decides for themselves; a minor, or a person under guardianship (tutela,
// curatela, amministrazione di sostegno with representation), consents through the legal
// representative, named. Pure checks with typed verdicts, as intake.rules.ts.
import { CaseworkError } from '../errors.ts';

export type ConsentGiver = 'SUBJECT' | 'LEGAL_REPRESENTATIVE';

export type ConsentFacts = {
  status: 'GIVEN' | 'DENIED' | 'WITHDRAWN';
  givenBy: ConsentGiver;
  representativeName: string | null;
  /** The person's birth date, when known. */
  birthDate: string | null;
  underGuardianship: boolean;
  /** The day of the decision, YYYY-MM-DD. */
  decidedOn: string;
};

/** Whether the person is under 18 on `day` (both YYYY-MM-DD). */
export function isMinorOn(birthDate: string, day: string): boolean {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const adult = `${String(y + 18).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return day < adult;
}

export function checkConsentGiver(f: ConsentFacts): void {
  const represented =
    f.underGuardianship || (f.birthDate !== null && isMinorOn(f.birthDate, f.decidedOn));
  if (represented && f.givenBy === 'SUBJECT' && f.status === 'GIVEN') {
    throw new CaseworkError(
      'REPRESENTATIVE_CONSENT_REQUIRED',
      f.underGuardianship
        ? 'persona sottoposta a tutela o amministrazione di sostegno: il consenso lo presta il rappresentante legale'
        : 'persona minorenne: il consenso lo presta chi esercita la responsabilità genitoriale o il tutore',
      'input.givenBy',
    );
  }
  if (f.givenBy === 'LEGAL_REPRESENTATIVE' && !f.representativeName?.trim()) {
    throw new CaseworkError(
      'BAD_USER_INPUT',
      'indicare il nome del rappresentante legale che ha deciso',
      'input.representativeName',
    );
  }
}
