import { expect } from '@esm-bundle/chai';
import { CallStatus, canTransition, isFinal } from '../../widget/engine/call-status.js';
import { CallLifecycle, finalLifecycle } from '../../widget/engine/call-lifecycle.js';
import type { Call } from '../../widget/engine/call.js';
import type { CallEndReason } from '../../widget/engine/call-end-reason.js';

describe('call state machine', () => {
  it('allows the forward path of a call', () => {
    expect(canTransition(CallStatus.Idle, CallStatus.RingingOut)).to.equal(true);
    expect(canTransition(CallStatus.RingingOut, CallStatus.Connecting)).to.equal(true);
    expect(canTransition(CallStatus.RingingIn, CallStatus.Connecting)).to.equal(true);
    expect(canTransition(CallStatus.Connecting, CallStatus.InCall)).to.equal(true);
    expect(canTransition(CallStatus.InCall, CallStatus.Connecting)).to.equal(true);
    expect(canTransition(CallStatus.InCall, CallStatus.Ended)).to.equal(true);
  });

  it('refuses skipping ringing and leaving a final state', () => {
    expect(canTransition(CallStatus.Idle, CallStatus.InCall)).to.equal(false);
    expect(canTransition(CallStatus.RingingOut, CallStatus.InCall)).to.equal(false);
    for (const final of [CallStatus.Ended, CallStatus.Error]) {
      expect(isFinal(final)).to.equal(true);
      for (const to of Object.values(CallStatus)) expect(canTransition(final, to)).to.equal(false);
    }
  });

  it('names the last moment of a call for the host page', () => {
    const call = (direction: 'outgoing' | 'incoming', reason: CallEndReason, accepted = false) =>
      ({ direction, wasAccepted: accepted, ending: { reason, by: 'them', error: null } }) as unknown as Call;
    expect(finalLifecycle(call('outgoing', 'busy'))).to.equal(CallLifecycle.Declined);
    expect(finalLifecycle(call('outgoing', 'timeout'))).to.equal(CallLifecycle.Declined);
    expect(finalLifecycle(call('outgoing', 'unavailable'))).to.equal(CallLifecycle.Declined);
    expect(finalLifecycle(call('outgoing', 'cancelled'))).to.equal(CallLifecycle.Cancelled);
    expect(finalLifecycle(call('incoming', 'timeout'))).to.equal(CallLifecycle.Missed);
    expect(finalLifecycle(call('incoming', 'cancelled'))).to.equal(CallLifecycle.Cancelled);
    expect(finalLifecycle(call('incoming', 'answered-elsewhere'))).to.equal(CallLifecycle.Cancelled);
    expect(finalLifecycle(call('incoming', 'declined'))).to.equal(CallLifecycle.Declined);
    expect(finalLifecycle(call('incoming', 'hangup', true))).to.equal(CallLifecycle.Ended);
  });
});
