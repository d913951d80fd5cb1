import type { Server } from 'socket.io';
import type { Call, Client } from '../calls/call.js';
import type { CallId, RoomId, UserId } from '../protocol.js';

/** A room member as `room-members` lists them. */
export interface MemberEntry {
  userId: UserId;
  userName: string;
}

/**
 * Who is in which room. A user with several tabs is one member with several sockets; the member leaves the
 * room when their last socket does.
 */
export interface RoomStore {
  /** Adds the socket unless that would make the room exceed `maxMembers` distinct users. */
  add(roomId: RoomId, member: MemberEntry, socketId: string, maxMembers: number): Promise<'added' | 'full'>;
  /** Removes the socket; true when that was the user's last socket in the room. */
  remove(roomId: RoomId, userId: UserId, socketId: string): Promise<boolean>;
  has(roomId: RoomId, userId: UserId): Promise<boolean>;
  hasSocket(roomId: RoomId, userId: UserId, socketId: string): Promise<boolean>;
  /** Every member of the room, in join order. */
  members(roomId: RoomId): Promise<MemberEntry[]>;
  userName(roomId: RoomId, userId: UserId): Promise<string | undefined>;
  /** The sockets through which `userId` is in `roomId`. */
  socketsOf(roomId: RoomId, userId: UserId): Promise<string[]>;
  roomsOf(userId: UserId): Promise<RoomId[]>;
  roomCount(): Promise<number>;
}

/**
 * Calls by id, with the indexes the call rules need. `save` and `finish` keep the indexes in step with the
 * call's invites, ringing sockets and participants.
 */
export interface CallStore {
  get(callId: CallId): Promise<Call | undefined>;
  save(call: Call): Promise<void>;
  /** Forgets the call and remembers that it ended, so that a resume token cannot bring it back. */
  finish(call: Call): Promise<void>;
  isEnded(callId: CallId): Promise<boolean>;
  /** Calls the user is invited to or takes part in. */
  ofUser(userId: UserId): Promise<Call[]>;
  /** Calls in which the socket rings or speaks for a participant. */
  ofSocket(socketId: string): Promise<Call[]>;
  /** Marks the user as in `callId` unless they already are in a call: the cluster-wide busy check. */
  engage(userId: UserId, callId: CallId): Promise<boolean>;
  /** Clears the mark if it still names `callId`. */
  disengage(userId: UserId, callId: CallId): Promise<void>;
  /** Which of these users are in a call. */
  engaged(userIds: readonly UserId[]): Promise<Set<UserId>>;
  countByState(): Promise<{ ringing: number; active: number }>;
}

/** A moment the call rules must act at even if no one sends anything: a ring timeout, a grace period's end. */
export type Deadline =
  | { kind: 'ring'; roomId: RoomId; callId: CallId }
  | { kind: 'grace'; roomId: RoomId; callId: CallId; userId: UserId };

export interface DeadlineStore {
  set(deadline: Deadline, inMs: number): Promise<void>;
  clear(deadline: Deadline): Promise<void>;
  /** Hands each deadline to `onDue` once it is due, on one node of the cluster. */
  start(onDue: (deadline: Deadline) => Promise<void>): void;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/** What the cluster tells one node about the others (nothing, for a single node). */
export interface ClusterEvents {
  /** The sockets of a node that died: treat them as disconnected. */
  orphans(clients: Client[]): Promise<void>;
  /** The shared state was lost (Redis restarted empty): this node's clients must start over. */
  stateLost(): void;
}

/** Where the service keeps everything that is not a Socket.IO room: this process's memory, or Redis. */
export interface StateStore {
  readonly rooms: RoomStore;
  readonly calls: CallStore;
  readonly deadlines: DeadlineStore;
  /** The Socket.IO adapter that carries events to the other nodes; none for a single node. */
  readonly adapter?: NonNullable<Parameters<Server['adapter']>[0]>;
  /**
   * Runs `task` with the room's membership and call changes serialised across the cluster. Not re-entrant:
   * `task` must not ask for the same room again.
   */
  withRoom<T>(roomId: RoomId, task: () => Promise<T>): Promise<T>;
  /** Connects; resolves once ready, or after `timeoutMs` (not ready yet: `readiness` says why). */
  connect(timeoutMs: number, events: ClusterEvents): Promise<void>;
  /** Records a connection of this node, so that the others can end its part should this node die. */
  addSocket(client: Client): Promise<void>;
  removeSocket(socketId: string): Promise<void>;
  readiness(): Readiness;
  close(): Promise<void>;
}

/** The store cannot be reached: requests fail fast with `unavailable` instead of waiting. */
export class StoreUnavailableError extends Error {
  constructor(message = 'The service cannot reach its shared state right now; try again in a moment') {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Stable string form of a deadline, for keys and sorted-set members. */
export function deadlineKey(deadline: Deadline): string {
  return deadline.kind === 'ring'
    ? JSON.stringify([deadline.kind, deadline.roomId, deadline.callId])
    : JSON.stringify([deadline.kind, deadline.roomId, deadline.callId, deadline.userId]);
}

export function parseDeadlineKey(key: string): Deadline | undefined {
  const parts: unknown = JSON.parse(key);
  if (!Array.isArray(parts) || !parts.every((part) => typeof part === 'string')) return undefined;
  const [kind, roomId, callId, userId] = parts;
  if (kind === 'ring' && roomId && callId) return { kind, roomId, callId };
  if (kind === 'grace' && roomId && callId && userId) return { kind, roomId, callId, userId };
  return undefined;
}
