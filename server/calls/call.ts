import { randomUUID } from 'node:crypto';
import {
  RejectReason,
  type CallId,
  type CallParticipant,
  type CallSession,
  type RoomId,
  type UserId,
} from '../protocol.js';

export const CallState = {
  Ringing: 'ringing',
  Active: 'active',
  Ended: 'ended',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

/** Where each invited user stands while the call rings. */
export const InviteState = {
  Ringing: 'ringing',
  Declined: 'declined',
  Busy: 'busy',
  Unavailable: 'unavailable',
  Accepted: 'accepted',
} as const;
export type InviteState = (typeof InviteState)[keyof typeof InviteState];

/** One connection of one user, as the call logic sees it (no Socket.IO types here). */
export interface Client {
  id: string;
  userId: UserId;
  userName: string;
}

export interface Participant {
  userId: UserId;
  userName: string;
  /** The socket that speaks for this participant; `null` while disconnected within the grace period. */
  socketId: string | null;
}

export function newParticipant(client: Client, userName = client.userName): Participant {
  return { userId: client.userId, userName, socketId: client.id };
}

/**
 * A call is a set of participants (a 1:1 call has two) plus, while it rings, the invited users and the
 * sockets ringing for them. The caller is a participant from the start.
 */
export class Call {
  state: CallState = CallState.Ringing;
  readonly invites = new Map<UserId, InviteState>();
  /** socketId → userId of every socket showing the incoming call. */
  readonly ringingSockets = new Map<string, UserId>();
  readonly participants = new Map<UserId, Participant>();

  constructor(
    readonly roomId: RoomId,
    readonly caller: Participant,
    readonly id: CallId = randomUUID(),
  ) {
    this.participants.set(caller.userId, caller);
  }

  isRingingFor(userId: UserId): boolean {
    return this.state === CallState.Ringing && this.invites.get(userId) === InviteState.Ringing;
  }

  participantBySocket(socketId: string): Participant | undefined {
    for (const participant of this.participants.values())
      if (participant.socketId === socketId) return participant;
    return undefined;
  }

  /** Once no invite rings any more: why the call failed, by precedence declined > busy > unavailable. */
  outcome(): RejectReason | undefined {
    const states = new Set(this.invites.values());
    if (states.has(InviteState.Ringing) || states.has(InviteState.Accepted)) return undefined;
    if (states.has(InviteState.Declined)) return RejectReason.Declined;
    if (states.has(InviteState.Busy)) return RejectReason.Busy;
    return RejectReason.Unavailable;
  }

  /** The callee named in `video-call-rejected` when exactly one member was called. */
  soleInvitee(): UserId | undefined {
    return this.invites.size === 1 ? [...this.invites.keys()][0] : undefined;
  }

  participantList(): CallParticipant[] {
    return [...this.participants.values()].map(({ userId, userName }) => ({ userId, userName }));
  }

  sessionFor(resumeToken: string): CallSession {
    return { callId: this.id, roomId: this.roomId, resumeToken, participants: this.participantList() };
  }

  /** Every socket the call involves: ringing ones and those speaking for participants. */
  socketIds(): Set<string> {
    const ids = new Set(this.ringingSockets.keys());
    for (const { socketId } of this.participants.values()) if (socketId) ids.add(socketId);
    return ids;
  }

  /** Every user the call involves: invited ones and participants. */
  userIds(): Set<UserId> {
    return new Set([...this.invites.keys(), ...this.participants.keys()]);
  }

  toRecord(): CallRecord {
    return {
      id: this.id,
      roomId: this.roomId,
      state: this.state,
      caller: { ...this.caller },
      invites: [...this.invites],
      ringingSockets: [...this.ringingSockets],
      participants: [...this.participants.values()].map((participant) => ({ ...participant })),
    };
  }

  static fromRecord(record: CallRecord): Call {
    const caller =
      record.participants.find((participant) => participant.userId === record.caller.userId) ?? record.caller;
    const call = new Call(record.roomId, caller, record.id);
    call.state = record.state;
    if (!record.participants.includes(caller)) call.participants.delete(caller.userId);
    for (const participant of record.participants) call.participants.set(participant.userId, participant);
    for (const [userId, state] of record.invites) call.invites.set(userId, state);
    for (const [socketId, userId] of record.ringingSockets) call.ringingSockets.set(socketId, userId);
    return call;
  }
}

/** A call as plain data, for a store outside this process. */
export interface CallRecord {
  id: CallId;
  roomId: RoomId;
  state: CallState;
  caller: Participant;
  invites: [UserId, InviteState][];
  ringingSockets: [string, UserId][];
  participants: Participant[];
}
