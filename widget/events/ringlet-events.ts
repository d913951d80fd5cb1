import type { CallDirection, Participant } from '../engine/call.js';
import type { CallEndReason } from '../engine/call-end-reason.js';
import { CallLifecycle } from '../engine/call-lifecycle.js';
import type { RingletErrorCode } from '../engine/ringlet-error.js';

/** `detail` of every `ringlet-<moment>` call event. */
export interface RingletCallEventDetail {
  /** The service's id for the call; `null` when cancelled before the service gave it one. */
  callId: string | null;
  room: string;
  direction: CallDirection;
  /** The other person; `null` while a call rings several members. */
  peer: Participant | null;
  /** Why the call ended (`declined`, `busy`, `timeout`, `unavailable`, `cancelled`, `hangup`, ...); `null` otherwise. */
  reason: CallEndReason | null;
}

/** `detail` of `ringlet-error`. */
export interface RingletErrorEventDetail {
  code: RingletErrorCode;
  /** The English message shown to the user. */
  message: string;
  callId: string | null;
  room: string;
}

/** DOM event names: `ringlet-` and the engine's lifecycle moment. */
export const RingletEvent = {
  Incoming: `ringlet-${CallLifecycle.Incoming}`,
  Outgoing: `ringlet-${CallLifecycle.Outgoing}`,
  Accepted: `ringlet-${CallLifecycle.Accepted}`,
  Declined: `ringlet-${CallLifecycle.Declined}`,
  Cancelled: `ringlet-${CallLifecycle.Cancelled}`,
  Missed: `ringlet-${CallLifecycle.Missed}`,
  Started: `ringlet-${CallLifecycle.Started}`,
  Ended: `ringlet-${CallLifecycle.Ended}`,
  Error: 'ringlet-error',
} as const;
export type RingletEvent = (typeof RingletEvent)[keyof typeof RingletEvent];

export type RingletCallEvent = CustomEvent<RingletCallEventDetail>;
export type RingletErrorEvent = CustomEvent<RingletErrorEventDetail>;

/** The DOM event name of an engine lifecycle moment. */
export function eventNameOf(moment: CallLifecycle): Exclude<RingletEvent, 'ringlet-error'> {
  return `ringlet-${moment}`;
}

/** Dispatches a bubbling, composed event, so it crosses shadow roots up to the host page. */
export function emit<D>(target: EventTarget, name: RingletEvent, detail: D): void {
  target.dispatchEvent(new CustomEvent<D>(name, { bubbles: true, composed: true, detail }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ringlet-incoming': RingletCallEvent;
    'ringlet-outgoing': RingletCallEvent;
    'ringlet-accepted': RingletCallEvent;
    'ringlet-declined': RingletCallEvent;
    'ringlet-cancelled': RingletCallEvent;
    'ringlet-missed': RingletCallEvent;
    'ringlet-started': RingletCallEvent;
    'ringlet-ended': RingletCallEvent;
    'ringlet-error': RingletErrorEvent;
  }
}
