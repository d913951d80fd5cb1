import type { Call, CallDirection, Participant } from './call.js';
import { CallEndReason } from './call-end-reason.js';

/**
 * The moments a host page hears about (the elements dispatch them as `ringlet-<type>` DOM events).
 * For a call that was never accepted the last one is `declined`, `cancelled` or `missed`; for an
 * accepted call it is `ended`.
 */
export const CallLifecycle = {
  /** Someone calls you. */
  Incoming: 'incoming',
  /** Your call rings. */
  Outgoing: 'outgoing',
  /** The call was accepted (by you or by the one you called); media is being set up. */
  Accepted: 'accepted',
  /** Turned down: you declined, or your call was declined, busy, unanswered or unavailable. */
  Declined: 'declined',
  /** The ringing was called off: by the caller, or because the call was answered elsewhere. */
  Cancelled: 'cancelled',
  /** A call to you rang out without an answer. */
  Missed: 'missed',
  /** Media flows both ways. */
  Started: 'started',
  /** An accepted call is over. */
  Ended: 'ended',
} as const;
export type CallLifecycle = (typeof CallLifecycle)[keyof typeof CallLifecycle];

export interface CallLifecycleEvent {
  type: CallLifecycle;
  /** `null` when a call is cancelled before the service gave it an id. */
  callId: string | null;
  direction: CallDirection;
  peer: Participant | null;
  /** Why a call ended; `null` for the other moments. */
  reason: CallEndReason | null;
}

const rejections: readonly CallEndReason[] = [
  CallEndReason.Declined,
  CallEndReason.Busy,
  CallEndReason.Timeout,
  CallEndReason.Unavailable,
];

/** Which final moment a finished call gives. */
export function finalLifecycle(call: Call): CallLifecycle {
  const reason = call.ending?.reason ?? CallEndReason.Hangup;
  if (call.wasAccepted) return CallLifecycle.Ended;
  if (call.direction === 'outgoing') {
    return rejections.includes(reason) ? CallLifecycle.Declined : CallLifecycle.Cancelled;
  }
  if (reason === CallEndReason.Declined || reason === CallEndReason.Failed) return CallLifecycle.Declined;
  if (reason === CallEndReason.Timeout) return CallLifecycle.Missed;
  return CallLifecycle.Cancelled;
}
