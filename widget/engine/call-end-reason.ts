import { EndReason, RejectReason } from '../../server/protocol.js';

/**
 * Why a call is over: the service's `call-ended` and `video-call-rejected` reasons, plus `failed`
 * when the widget itself gives up (no media, no connection).
 */
export const CallEndReason = {
  ...EndReason,
  ...RejectReason,
  Failed: 'failed',
} as const;
export type CallEndReason = (typeof CallEndReason)[keyof typeof CallEndReason];

/** Who ended a call: you, the other side, or the service (timeouts, disconnects). */
export const EndedBy = { You: 'you', Them: 'them', Service: 'service' } as const;
export type EndedBy = (typeof EndedBy)[keyof typeof EndedBy];
