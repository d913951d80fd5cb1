/**
 * Ringlet's wire protocol: the one module shared by the signaling service and the widget.
 *
 * Every Socket.IO event name, payload, ack and error code lives here and nowhere else.
 * This module holds types and constants only (no runtime dependencies), so the widget
 * can import it without pulling server code into the browser bundle.
 * See PROTOCOL.md for the prose version with a sequence diagram.
 */

/** Bumped on any incompatible change to the events below. Reported by `/healthz`. */
export const PROTOCOL_VERSION = 1;

/** Ids (`roomId`, `userId`): 1-64 characters of `[A-Za-z0-9_.:@-]`. */
export const ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,64}$/;
export const ID_MAX_LENGTH = 64;
/** Display names are free text, trimmed, 1-100 characters. */
export const USER_NAME_MAX_LENGTH = 100;

export type RoomId = string;
export type UserId = string;
export type CallId = string;

/** Client → server event names. */
export const ClientEvent = {
  JoinRoom: 'join-room',
  LeaveRoom: 'leave-room',
  CallRequest: 'video-call-request',
  CallResponse: 'video-call-response',
  Offer: 'offer',
  Answer: 'answer',
  IceCandidate: 'ice-candidate',
  MediaState: 'media-state',
  EndCall: 'end-call',
  RejoinCall: 'rejoin-call',
} as const;
export type ClientEvent = (typeof ClientEvent)[keyof typeof ClientEvent];

/** Server → client event names. */
export const ServerEvent = {
  RoomMembers: 'room-members',
  IncomingCall: 'incoming-video-call',
  CallAccepted: 'video-call-accepted',
  CallRejected: 'video-call-rejected',
  Offer: 'offer',
  Answer: 'answer',
  IceCandidate: 'ice-candidate',
  MediaState: 'media-state',
  CallEnded: 'call-ended',
  ServiceShutdown: 'service-shutdown',
} as const;
export type ServerEvent = (typeof ServerEvent)[keyof typeof ServerEvent];

/** Error codes carried by `{ ok: false, error: { code, message } }` and `connect_error` data. */
export const ErrorCode = {
  /** The payload failed validation (wrong types, missing fields, too long, bad id format). */
  InvalidPayload: 'invalid-payload',
  /** Handshake refused for want of a token (connect_error message `unauthorized`). */
  TokenMissing: 'token-missing',
  /** Handshake refused: the token's `exp` has passed (connect_error message `unauthorized`). */
  TokenExpired: 'token-expired',
  /** Handshake refused: bad signature, wrong algorithm, or missing claims (connect_error message `unauthorized`). */
  TokenInvalid: 'token-invalid',
  /** The handshake identity (`auth.userId` / `auth.userName`) is missing or malformed. */
  InvalidIdentity: 'invalid-identity',
  /** The room does not exist for you: outside your token, or otherwise not allowed. */
  Forbidden: 'forbidden',
  /** The event needs you to have joined the room first. */
  NotInRoom: 'not-in-room',
  /** The room already has the configured maximum of members. */
  RoomFull: 'room-full',
  /** This connection has joined the configured maximum of rooms. */
  TooManyRooms: 'too-many-rooms',
  /** `callerId` is not the sender's own identity. */
  IdentityMismatch: 'identity-mismatch',
  /** There is no one else in the room to call, or `calleeId` is not in the room. */
  NoCallee: 'no-callee',
  /** You cannot call yourself. */
  SelfCall: 'self-call',
  /** You are already in a call (or placing one) and cannot place or take another. */
  AlreadyInCall: 'already-in-call',
  /** No such call for you: unknown, ended, or not one you take part in. */
  CallNotFound: 'call-not-found',
  /** The call is not ringing for you (already answered, or you were not rung). */
  NotRinging: 'not-ringing',
  /** Several calls ring for you in this room: say which with `callId`. */
  AmbiguousCall: 'ambiguous-call',
  /** The call has not been accepted yet: signaling messages are refused until it is. */
  CallNotActive: 'call-not-active',
  /** `to` does not name another participant of the call. */
  UnknownRecipient: 'unknown-recipient',
  /** Too many events or connections; slow down. */
  RateLimited: 'rate-limited',
  /** The service cannot take this now (shutting down, or its shared state is unreachable). */
  Unavailable: 'unavailable',
  /** An unexpected failure on the service; details are in its logs, never on the wire. */
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ProtocolErrorBody {
  code: ErrorCode;
  message: string;
}

/** Every ack is one of these: success with extra fields, or a coded error. */
export type AckOk<T extends object = Record<never, never>> = { ok: true } & T;
export type AckError = { ok: false; error: ProtocolErrorBody };
export type AckResult<T extends object = Record<never, never>> = AckOk<T> | AckError;
export type Ack<T extends object = Record<never, never>> = (result: AckResult<T>) => void;

/** Handshake `auth` object. In open mode `userId` / `userName` are taken as given; with auth, only `token` counts. */
export interface HandshakeAuth {
  userId?: UserId;
  userName?: string;
  token?: string;
}

/** Presence: `in-call` while a member places a call or takes part in one. */
export const MemberStatus = {
  Available: 'available',
  InCall: 'in-call',
} as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

export interface RoomMember {
  userId: UserId;
  userName: string;
  status: MemberStatus;
}

/** A subset of `RTCIceServer`, as handed to clients in the `join-room` ack. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** The part of `RTCSessionDescriptionInit` that travels on the wire (`offer` events carry offers, `answer` events answers). */
export interface SessionDescription {
  type: 'offer' | 'answer';
  sdp: string;
}

/** A subset of `RTCIceCandidateInit`. */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

// ---- client → server payloads --------------------------------------------------------------

export interface JoinRoomPayload {
  roomId: RoomId;
}
export interface LeaveRoomPayload {
  roomId: RoomId;
}
export interface CallRequestPayload {
  roomId: RoomId;
  callerId: UserId;
  callerName: string;
  /** Ring only this member; otherwise every other member of the room rings. */
  calleeId?: UserId;
}
export interface CallResponsePayload {
  roomId: RoomId;
  accepted: boolean;
  /** May be left out when exactly one call rings for you in the room. */
  callId?: CallId;
}
export interface DescriptionPayload {
  callId: CallId;
  /** May be left out in a two-party call. */
  to?: UserId;
  description: SessionDescription;
}
export interface IceCandidatePayload {
  callId: CallId;
  to?: UserId;
  /** `null` marks the end of candidates. */
  candidate: IceCandidate | null;
}
export interface MediaStatePayload {
  callId: CallId;
  audio: boolean;
  video: boolean;
}
export interface EndCallPayload {
  callId: CallId;
}
export interface RejoinCallPayload {
  callId: CallId;
  resumeToken: string;
}

// ---- ack results -----------------------------------------------------------------------------

export interface JoinRoomResult {
  roomId: RoomId;
  members: RoomMember[];
  iceServers: IceServer[];
}

export interface CallParticipant {
  userId: UserId;
  userName: string;
}

/** What a participant needs to take part in an accepted call. */
export interface CallSession {
  callId: CallId;
  roomId: RoomId;
  /** Secret for `rejoin-call` after a reconnect. */
  resumeToken: string;
  /** Everyone in the call, you included. */
  participants: CallParticipant[];
}

/**
 * `video-call-request` ack. Normally `role: 'caller'`: your call rings. On glare (the callee is
 * already ringing you in this room) your request accepts that call instead: `role: 'callee'`
 * with the call's session; the other side then sends the first offer.
 */
export type CallRequestResult = { role: 'caller'; callId: CallId } | ({ role: 'callee' } & CallSession);

/** `video-call-response` ack: when accepted, the session; when declined, just the call id. */
export type CallResponseResult = { accepted: true } & CallSession;
export type CallDeclineResult = { accepted: false; callId: CallId };

export interface RejoinCallResult {
  participants: CallParticipant[];
}

// ---- server → client payloads ----------------------------------------------------------------

export interface RoomMembersPayload {
  roomId: RoomId;
  members: RoomMember[];
}
export interface IncomingCallPayload {
  roomId: RoomId;
  callId: CallId;
  callerId: UserId;
  callerName: string;
}
export interface CallAcceptedPayload {
  roomId: RoomId;
  callId: CallId;
  calleeId: UserId;
  calleeName: string;
  /** The caller's secret for `rejoin-call`. */
  resumeToken: string;
}

export const RejectReason = {
  /** Every callee declined. */
  Declined: 'declined',
  /** Every callee is in another call. */
  Busy: 'busy',
  /** No one answered before the ring timeout. */
  Timeout: 'timeout',
  /** Every callee left or disconnected while ringing. */
  Unavailable: 'unavailable',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export interface CallRejectedPayload {
  roomId: RoomId;
  callId: CallId;
  /** Set when exactly one member was called. */
  calleeId?: UserId;
  reason: RejectReason;
}

export interface RelayedDescription {
  callId: CallId;
  from: UserId;
  description: SessionDescription;
}
export interface RelayedIceCandidate {
  callId: CallId;
  from: UserId;
  candidate: IceCandidate | null;
}
export interface RelayedMediaState {
  callId: CallId;
  from: UserId;
  audio: boolean;
  video: boolean;
}

export const EndReason = {
  /** A participant hung up. */
  Hangup: 'hangup',
  /** The caller cancelled (or left) while ringing. */
  Cancelled: 'cancelled',
  /** No one answered in time (sent to callees). */
  Timeout: 'timeout',
  /** Another tab or callee answered (accepted or declined) first. */
  AnsweredElsewhere: 'answered-elsewhere',
  /** A participant was gone beyond the grace period. */
  Disconnected: 'disconnected',
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

export interface CallEndedPayload {
  callId: CallId;
  /** Who ended it; `null` when the service did. */
  by: UserId | null;
  reason: EndReason;
}

export interface ServiceShutdownPayload {
  /** Human-readable reason, e.g. "restarting". Clients should reconnect with backoff. */
  message: string;
}

// ---- typed Socket.IO event maps ------------------------------------------------------------

/** What a well-behaved client sends. The service itself treats every argument as untrusted. */
export interface ClientToServerEvents {
  'join-room': (payload: JoinRoomPayload, ack?: Ack<JoinRoomResult>) => void;
  'leave-room': (payload: LeaveRoomPayload, ack?: Ack) => void;
  'video-call-request': (payload: CallRequestPayload, ack?: Ack<CallRequestResult>) => void;
  'video-call-response': (
    payload: CallResponsePayload,
    ack?: (result: AckResult<CallResponseResult> | AckResult<CallDeclineResult>) => void,
  ) => void;
  offer: (payload: DescriptionPayload, ack?: Ack) => void;
  answer: (payload: DescriptionPayload, ack?: Ack) => void;
  'ice-candidate': (payload: IceCandidatePayload, ack?: Ack) => void;
  'media-state': (payload: MediaStatePayload, ack?: Ack) => void;
  'end-call': (payload: EndCallPayload, ack?: Ack) => void;
  'rejoin-call': (payload: RejoinCallPayload, ack?: Ack<RejoinCallResult>) => void;
}

export interface ServerToClientEvents {
  'room-members': (payload: RoomMembersPayload) => void;
  'incoming-video-call': (payload: IncomingCallPayload) => void;
  'video-call-accepted': (payload: CallAcceptedPayload) => void;
  'video-call-rejected': (payload: CallRejectedPayload) => void;
  offer: (payload: RelayedDescription) => void;
  answer: (payload: RelayedDescription) => void;
  'ice-candidate': (payload: RelayedIceCandidate) => void;
  'media-state': (payload: RelayedMediaState) => void;
  'call-ended': (payload: CallEndedPayload) => void;
  'service-shutdown': (payload: ServiceShutdownPayload) => void;
}

/** `connect_error` messages: why the service refused a handshake; `data.code` says more. */
export const ConnectErrorMessage = {
  Unauthorized: 'unauthorized',
  InvalidIdentity: 'invalid-identity',
  /** Too many connections from one address or for one user (`data.code` is `rate-limited`). */
  RateLimited: 'rate-limited',
  /** The service is shutting down (`data.code` is `unavailable`). */
  Unavailable: 'unavailable',
} as const;
export type ConnectErrorMessage = (typeof ConnectErrorMessage)[keyof typeof ConnectErrorMessage];

/** Data carried by `connect_error` when the service refuses a handshake. */
export interface ConnectErrorData {
  code: ErrorCode;
  message: string;
}
