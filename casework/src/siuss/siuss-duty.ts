// The SIUSS duty of one delivery as a pure state machine (seed 003 §2.4): what is due, what a
// flow carries, what INPS took, accepted or rejected, and how a correction or a revocation reaches
// INPS without the benefit ever being counted twice.
//
//   DUE ──build──▶ IN_FLOW ──INPS pulls / file downloaded──▶ SENT ──OK──▶ ACCEPTED (held by INPS)
//    ▲                                                         └──KO──▶ REJECTED (INPS's reason)
//    └──────────────────── resend after the data is fixed ◀──────────────┘
//
// The schema's TipoOperazione has only I and C. A delivery corrected or cancelled after INPS took
// its record gets a CANCEL (C) of that record; the correcting delivery's insertion (VARIATION)
// waits until INPS no longer holds the corrected one, so at no moment are both counted. A record
// INPS never took needs no cancellation: the duty simply ends CORRECTED or CANCELLED.
import type { TipoOperazione } from './siuss-record.ts';

export const DUTY_STATES = [
  'DUE',
  'IN_FLOW',
  'SENT',
  'ACCEPTED',
  'REJECTED',
  'CORRECTED',
  'CANCELLED',
] as const;
export type DutyState = (typeof DUTY_STATES)[number];
export type DutyOperation = 'INSERT' | 'VARIATION' | 'CANCEL';
export type OutcomeCode = 'OK' | 'DATI_NON_TROVATI' | 'RICHIESTA_INVALIDA' | 'ERRORE_GENERICO';
export const OUTCOME_CODES: readonly OutcomeCode[] = [
  'OK',
  'DATI_NON_TROVATI',
  'RICHIESTA_INVALIDA',
  'ERRORE_GENERICO',
];

export type DutyStatus = {
  state: DutyState;
  operation: DutyOperation;
  heldByInps: boolean;
  /** The delivery was corrected (true) rather than cancelled. */
  superseded: boolean;
  rejectionCode: string | null;
  rejectionReason: string | null;
};

/** The deadline: 3 months after the delivery (the last day of a shorter month when needed). */
export function deadlineOf(deliveredOn: string): string {
  const [y, m, d] = deliveredOn.split('-').map(Number) as [number, number, number];
  const month = m - 1 + 3;
  const year = y + Math.floor(month / 12);
  const mm = month % 12;
  const last = new Date(Date.UTC(year, mm + 1, 0)).getUTCDate();
  return `${year}-${String(mm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** A benefit not yet with INPS when its deadline has passed (a pending cancellation has none). */
export function isOverdue(
  s: Pick<DutyStatus, 'state' | 'operation'> & { deadline: string },
  today: string,
): boolean {
  return (
    s.operation !== 'CANCEL' &&
    (s.state === 'DUE' || s.state === 'IN_FLOW' || s.state === 'REJECTED') &&
    s.deadline < today
  );
}

export const wireOperation = (op: DutyOperation): TipoOperazione => (op === 'CANCEL' ? 'C' : 'I');

/**
 * May the duty's record go into a new flow? A VARIATION waits while INPS still holds the record
 * of the delivery it corrects.
 */
export function maySend(s: DutyStatus, predecessorHeld: boolean): boolean {
  return s.state === 'DUE' && !(s.operation === 'VARIATION' && predecessorHeld);
}

export const onFlowBuilt = (s: DutyStatus): DutyStatus => ({ ...s, state: 'IN_FLOW' });

export const onSent = (s: DutyStatus): DutyStatus =>
  s.state === 'IN_FLOW' ? { ...s, state: 'SENT' } : s;

const ended = (s: DutyStatus): DutyStatus => ({
  ...s,
  state: s.superseded ? 'CORRECTED' : 'CANCELLED',
  heldByInps: false,
  rejectionCode: null,
  rejectionReason: null,
});

/**
 * INPS's outcome for a record the duty sent as `sent`. The duty may have moved on meanwhile (its
 * delivery corrected while the insertion was travelling): the outcome then only settles whether
 * INPS holds the record, and the pending cancellation goes ahead or is no longer needed.
 */
export function onOutcome(
  s: DutyStatus,
  sent: TipoOperazione,
  code: OutcomeCode,
  reason: string | null,
): DutyStatus {
  if (sent === 'I' && s.operation === 'CANCEL') {
    // The insertion's outcome arrives after the delivery was corrected or cancelled: if INPS took
    // it, the cancellation is now due; if not, INPS holds nothing and the duty ends.
    return code === 'OK' ? { ...s, heldByInps: true, state: 'DUE' } : ended(s);
  }
  if (sent === 'C') {
    // Nothing to cancel (DATI_NON_TROVATI) is as good as cancelled: INPS holds nothing.
    if (code === 'OK' || code === 'DATI_NON_TROVATI') return ended(s);
    return { ...s, state: 'REJECTED', rejectionCode: code, rejectionReason: reason };
  }
  if (code === 'OK')
    return {
      ...s,
      state: 'ACCEPTED',
      heldByInps: true,
      rejectionCode: null,
      rejectionReason: null,
    };
  return { ...s, state: 'REJECTED', rejectionCode: code, rejectionReason: reason };
}

/**
 * The delivery was corrected (a new delivery supersedes it) or cancelled. What INPS holds, or may
 * already be holding (SENT), is cancelled; anything else just ends. `withdraw`: its flow has not
 * left yet and must not.
 */
export function onSuperseded(
  s: DutyStatus,
  kind: 'CORRECTED' | 'CANCELLED',
): { status: DutyStatus; withdraw: boolean } {
  const superseded = kind === 'CORRECTED';
  if (s.state === 'CORRECTED' || s.state === 'CANCELLED' || s.operation === 'CANCEL')
    return { status: s, withdraw: false };
  if (s.heldByInps || s.state === 'SENT')
    return {
      status: {
        ...s,
        superseded,
        operation: 'CANCEL',
        // A record in travel keeps SENT until its outcome says whether INPS holds it.
        state: s.state === 'SENT' ? 'SENT' : 'DUE',
        rejectionCode: null,
        rejectionReason: null,
      },
      withdraw: false,
    };
  return { status: ended({ ...s, superseded }), withdraw: s.state === 'IN_FLOW' };
}

/** After the office fixed what INPS rejected: the same operation goes again. */
export function onResend(s: DutyStatus): DutyStatus | null {
  return s.state === 'REJECTED'
    ? { ...s, state: 'DUE', rejectionCode: null, rejectionReason: null }
    : null;
}
