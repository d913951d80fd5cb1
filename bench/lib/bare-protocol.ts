/**
 * The bare Socket.IO baseline's two events: `join-room` (join a Socket.IO room, ack) and `msg` (relay the
 * payload as is to the socket `to` names). Nothing else: no validation, no calls, no presence, no limits.
 */
import type { SessionDescription } from '../../server/protocol.js';

export interface BareMessage {
  /** The recipient's socket id. */
  to: string;
  callId: string;
  description: SessionDescription;
}

export interface BareServerToClient {
  msg: (payload: BareMessage) => void;
}

export interface BareClientToServer {
  msg: (payload: BareMessage) => void;
  'join-room': (payload: { roomId: string }, ack: (result: { ok: true }) => void) => void;
}
