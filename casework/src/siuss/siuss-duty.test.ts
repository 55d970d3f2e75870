import { describe, expect, it } from 'vitest';
import {
  type DutyStatus,
  deadlineOf,
  isOverdue,
  maySend,
  onFlowBuilt,
  onOutcome,
  onResend,
  onSent,
  onSuperseded,
} from './siuss-duty.ts';

const due: DutyStatus = {
  state: 'DUE',
  operation: 'INSERT',
  heldByInps: false,
  superseded: false,
  rejectionCode: null,
  rejectionReason: null,
};
const sent = onSent(onFlowBuilt(due));
const accepted = onOutcome(sent, 'I', 'OK', null);

describe('SIUSS duty state machine', () => {
  it.each([
    ['2026-01-15', '2026-04-15'],
    ['2025-11-30', '2026-02-28'],
    ['2023-11-30', '2024-02-29'],
    ['2026-12-31', '2027-03-31'],
  ])('should give a delivery of %s the deadline %s', (day, deadline) => {
    expect(deadlineOf(day)).toBe(deadline);
  });

  it('should be overdue only while not with INPS and past the deadline', () => {
    const d = { ...due, deadline: '2026-03-01' };
    expect(isOverdue(d, '2026-03-01')).toBe(false);
    expect(isOverdue(d, '2026-03-02')).toBe(true);
    expect(isOverdue({ ...d, state: 'SENT' }, '2026-09-01')).toBe(false);
    expect(isOverdue({ ...d, state: 'REJECTED' }, '2026-09-01')).toBe(true);
    expect(isOverdue({ ...d, operation: 'CANCEL' }, '2026-09-01')).toBe(false);
  });

  it('should go due, in a flow, sent, accepted; or rejected with the reason, then resent', () => {
    expect([onFlowBuilt(due).state, sent.state, accepted.state]).toEqual([
      'IN_FLOW',
      'SENT',
      'ACCEPTED',
    ]);
    expect(accepted.heldByInps).toBe(true);
    const rejected = onOutcome(sent, 'I', 'RICHIESTA_INVALIDA', 'codice fiscale sconosciuto');
    expect(rejected).toMatchObject({
      state: 'REJECTED',
      heldByInps: false,
      rejectionCode: 'RICHIESTA_INVALIDA',
      rejectionReason: 'codice fiscale sconosciuto',
    });
    expect(onResend(rejected)).toMatchObject({ state: 'DUE', rejectionReason: null });
    expect(onResend(accepted)).toBeNull();
  });

  it('should cancel what INPS holds when the delivery is corrected, and count it once', () => {
    const { status: cancel, withdraw } = onSuperseded(accepted, 'CORRECTED');
    expect(withdraw).toBe(false);
    expect(cancel).toMatchObject({
      state: 'DUE',
      operation: 'CANCEL',
      heldByInps: true,
      superseded: true,
    });
    // The correction's insertion waits while INPS holds the corrected record.
    const variation: DutyStatus = { ...due, operation: 'VARIATION' };
    expect(maySend(variation, cancel.heldByInps)).toBe(false);
    const done = onOutcome(onSent(onFlowBuilt(cancel)), 'C', 'OK', null);
    expect(done).toMatchObject({ state: 'CORRECTED', heldByInps: false });
    expect(maySend(variation, done.heldByInps)).toBe(true);
    // A failed cancellation keeps the record held (and the variation waiting).
    const failed = onOutcome(onSent(onFlowBuilt(cancel)), 'C', 'ERRORE_GENERICO', 'riprovare');
    expect(failed).toMatchObject({ state: 'REJECTED', operation: 'CANCEL', heldByInps: true });
    // Nothing to cancel at INPS is as good as cancelled.
    expect(onOutcome(cancel, 'C', 'DATI_NON_TROVATI', null).state).toBe('CORRECTED');
  });

  it('should end without sending anything when INPS never had the record', () => {
    expect(onSuperseded(due, 'CANCELLED')).toEqual({
      status: { ...due, state: 'CANCELLED' },
      withdraw: false,
    });
    expect(onSuperseded(onFlowBuilt(due), 'CORRECTED')).toMatchObject({
      status: { state: 'CORRECTED' },
      withdraw: true,
    });
    const rejected = onOutcome(sent, 'I', 'DATI_NON_TROVATI', 'x');
    expect(onSuperseded(rejected, 'CANCELLED').status.state).toBe('CANCELLED');
  });

  it('should follow an insertion still travelling when its delivery is cancelled', () => {
    const { status } = onSuperseded(sent, 'CANCELLED');
    expect(status).toMatchObject({ state: 'SENT', operation: 'CANCEL' });
    // INPS took it: the cancellation is now due. INPS refused it: nothing to cancel.
    expect(onOutcome(status, 'I', 'OK', null)).toMatchObject({ state: 'DUE', heldByInps: true });
    expect(onOutcome(status, 'I', 'RICHIESTA_INVALIDA', 'x')).toMatchObject({
      state: 'CANCELLED',
      heldByInps: false,
    });
  });
});
