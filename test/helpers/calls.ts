/**
 * Assertions on acks, and the room / call set-ups most server tests start from.
 */
import assert from 'node:assert/strict';
import type {
  AckError,
  CallParticipant,
  ErrorCode,
  JoinRoomResult,
  MemberStatus,
  RoomMember,
} from '../../server/protocol.js';
import {
  connectClient,
  nextEvent,
  request,
  userIdOf,
  type ClientSocket,
  type ConnectOptions,
} from './client.js';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Narrows an ack to its success branch, failing the test with the whole ack otherwise. */
export function expectOk<T extends { ok: boolean }>(ack: T): Extract<T, { ok: true }> {
  if (ack.ok !== true) assert.fail(`expected { ok: true, ... }, got ${JSON.stringify(ack)}`);
  return ack as Extract<T, { ok: true }>;
}

/** The ack is exactly `{ ok: false, error: { code, message } }` with a non-empty message and nothing else. */
export function expectError(ack: unknown, code: ErrorCode): void {
  const error = (ack as Partial<AckError> | null | undefined)?.error;
  const message = error?.message;
  assert.equal(typeof message, 'string', `expected an error ack "${code}", got ${JSON.stringify(ack)}`);
  assert.ok(message, `error "${code}" has an empty message`);
  assert.deepEqual(ack, { ok: false, error: { code, message } });
}

export function member(userId: string, userName: string, status: MemberStatus = 'available'): RoomMember {
  return { userId, userName, status };
}

/** Members (or participants) sorted by userId: the protocol does not fix their order. */
export function byUserId<T extends { userId: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => a.userId.localeCompare(b.userId));
}

export function participant(userId: string, userName: string): CallParticipant {
  return { userId, userName };
}

export async function joinRoom(socket: ClientSocket, roomId: string): Promise<JoinRoomResult> {
  return expectOk(await request(socket, 'join-room', { roomId }));
}

/** Connects as `userId` (display name `userName`, by default the id capitalised) and joins `roomId`. */
export async function userInRoom(
  url: string,
  userId: string,
  roomId: string,
  userName = displayName(userId),
  opts: ConnectOptions = {},
): Promise<ClientSocket> {
  const socket = await connectClient(url, { userId, userName }, opts);
  await joinRoom(socket, roomId);
  return socket;
}

/** `alice` -> `Alice`: the display name the set-up helpers give a user. */
export function displayName(userId: string): string {
  return userId.charAt(0).toUpperCase() + userId.slice(1);
}

export interface RingOptions {
  calleeId?: string;
  callerName?: string;
}

/**
 * `caller` places a call in `roomId`; resolves with its callId once every socket in `ringing`
 * got exactly the expected `incoming-video-call`.
 */
export async function ring(
  caller: ClientSocket,
  roomId: string,
  ringing: ClientSocket[],
  options: RingOptions = {},
): Promise<string> {
  const callerId = userIdOf(caller);
  const callerName = options.callerName ?? displayName(callerId);
  const ack = expectOk(
    await request(caller, 'video-call-request', {
      roomId,
      callerId,
      callerName,
      ...(options.calleeId === undefined ? {} : { calleeId: options.calleeId }),
    }),
  );
  assert.equal(ack.role, 'caller');
  assert.match(ack.callId, UUID_PATTERN);
  const { callId } = ack;
  for (const socket of ringing) {
    const incoming = await nextEvent(socket, 'incoming-video-call', (p) => p.callId === callId);
    assert.deepEqual(incoming, { roomId, callId, callerId, callerName });
  }
  return callId;
}

export interface EstablishedCall {
  callId: string;
  callerToken: string;
  calleeToken: string;
}

/** `caller` calls `callee` (only it) in `roomId`, `callee` accepts, `caller` gets `video-call-accepted`. */
export async function establishCall(
  caller: ClientSocket,
  callee: ClientSocket,
  roomId: string,
): Promise<EstablishedCall> {
  const calleeId = userIdOf(callee);
  const callId = await ring(caller, roomId, [callee], { calleeId });
  const answer = expectOk(await request(callee, 'video-call-response', { roomId, accepted: true, callId }));
  assert.equal(answer.accepted, true);
  assert.ok(answer.accepted && answer.resumeToken.length > 0);
  const accepted = await nextEvent(caller, 'video-call-accepted', (p) => p.callId === callId);
  assert.equal(accepted.calleeId, calleeId);
  return { callId, callerToken: accepted.resumeToken, calleeToken: answer.resumeToken };
}

/** A few made-up but well-formed signaling bodies. */
export const sdpOffer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n' } as const;
export const sdpAnswer = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\n' } as const;
export const hostCandidate = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: 'abcd',
} as const;
