/**
 * The states a call goes through, mirrored by the elements onto their `state` attribute.
 * Shaped like Lit's `TaskStatus`: a `const` object and a type of the same name.
 */
export const CallStatus = {
  /** No call: ready to place or take one. */
  Idle: 'idle',
  /** You are calling: getting the camera ready, then ringing the other side. */
  RingingOut: 'ringing-out',
  /** Someone is calling you. */
  RingingIn: 'ringing-in',
  /** The call was accepted; the media connection is being set up. */
  Connecting: 'connecting',
  /** Media flows both ways. */
  InCall: 'in-call',
  /** The call is over (declined, cancelled, missed or hung up). */
  Ended: 'ended',
  /** The call could not be placed or went wrong. */
  Error: 'error',
} as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];

const allowedTransitions: Readonly<Record<CallStatus, readonly CallStatus[]>> = {
  [CallStatus.Idle]: [CallStatus.RingingOut, CallStatus.RingingIn],
  [CallStatus.RingingOut]: [CallStatus.Connecting, CallStatus.Ended, CallStatus.Error],
  [CallStatus.RingingIn]: [CallStatus.Connecting, CallStatus.Ended, CallStatus.Error],
  [CallStatus.Connecting]: [CallStatus.InCall, CallStatus.Ended, CallStatus.Error],
  // In a call the media path may drop and come back (ICE restart): back to connecting.
  [CallStatus.InCall]: [CallStatus.Connecting, CallStatus.Ended, CallStatus.Error],
  [CallStatus.Ended]: [],
  [CallStatus.Error]: [],
};

/** The call state machine: whether `from` may move to `to`. */
export function canTransition(from: CallStatus, to: CallStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/** Whether a status is final (the call object is done). */
export function isFinal(status: CallStatus): boolean {
  return status === CallStatus.Ended || status === CallStatus.Error;
}
