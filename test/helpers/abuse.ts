/**
 * Helpers for the abuse suite (test/server/abuse-*.test.ts): bystanders who must hear nothing of an
 * attack, the proof that they did not, and the proof that the service still serves a normal call.
 */
import assert from 'node:assert/strict';
import { SignJWT, type JWTPayload } from 'jose';
import { io } from 'socket.io-client';
import type { ConnectErrorData, ErrorCode } from '../../server/protocol.js';
import { displayName, establishCall, joinRoom, sdpOffer, userInRoom } from './calls.js';
import {
  connectClient,
  drain,
  flush,
  labelOf,
  nextEvent,
  pending,
  request,
  type ClientSocket,
  type ConnectOptions,
  type RefusedConnection,
  type ServerEventName,
} from './client.js';
import { getJson, startServer, type ServerOptions } from './server.js';

/** Every server → client event that belongs to a call (everything but presence and shutdown). */
export const CALL_EVENTS: ServerEventName[] = [
  'incoming-video-call',
  'video-call-accepted',
  'video-call-rejected',
  'offer',
  'answer',
  'ice-candidate',
  'media-state',
  'call-ended',
];

/** A room the set-ups never use for their own members: the bystander `far` sits there. */
export const FAR_ROOM = 'far-away';

export interface Bystanders {
  /** A member of the attacked room. */
  near: ClientSocket;
  /** A member of another room. */
  far: ClientSocket;
}

/**
 * Puts `carol` in `room` and `dave` in another room, then forgets what they heard so far. `connect` makes
 * a client for a user id: open mode by default, `connectWithToken` when the service needs tokens.
 */
export async function bystanders(
  url: string,
  room = 'r1',
  connect: (userId: string) => Promise<ClientSocket> = (userId) =>
    connectClient(url, { userId, userName: displayName(userId) }),
): Promise<Bystanders> {
  const near = await connect('carol');
  await joinRoom(near, room);
  const far = await connect('dave');
  await joinRoom(far, FAR_ROOM);
  await quiet(near, far);
  return { near, far };
}

export interface CallUnderAttack {
  url: string;
  alice: ClientSocket;
  bob: ClientSocket;
  callId: string;
  b: Bystanders;
}

/**
 * A service (with `options`), alice calling bob in `r1` with the call accepted, bystanders near and far,
 * and every log emptied: the starting point of an attack on a call.
 */
export async function callUnderAttack(options: Partial<ServerOptions> = {}): Promise<CallUnderAttack> {
  const { url } = await startServer(options);
  const alice = await userInRoom(url, 'alice', 'r1');
  const bob = await userInRoom(url, 'bob', 'r1');
  const b = await bystanders(url);
  const { callId } = await establishCall(alice, bob, 'r1');
  await quiet(alice, bob, b.near);
  return { url, alice, bob, callId, b };
}

/** Round trip, then forget everything received: from here on, `expectNothing` sees only what comes next. */
export async function quiet(...sockets: ClientSocket[]): Promise<void> {
  await flush(...sockets);
  for (const socket of sockets) drain(socket);
}

export interface NothingOptions {
  /** `room-members` is expected (someone joined, left or changed status); call events never are. */
  presence?: boolean;
}

/**
 * After a round trip, each socket has received nothing since the last `quiet` (or, with `presence`,
 * nothing but `room-members`). The service answers `flush`, so it is up and serving them too.
 */
export async function expectNothing(sockets: ClientSocket[], options: NothingOptions = {}): Promise<void> {
  const live = sockets.filter((socket) => socket.connected);
  assert.equal(live.length, sockets.length, 'a bystander was disconnected');
  await flush(...live);
  for (const socket of live) {
    const seen = options.presence ? pending(socket, ...CALL_EVENTS) : pending(socket);
    assert.deepEqual(seen, [], `${labelOf(socket)} received something: ${JSON.stringify(seen)}`);
  }
}

/** `expectNothing` for a `Bystanders` pair. */
export function expectNothingLeaked(b: Bystanders, options: NothingOptions = {}): Promise<void> {
  return expectNothing([b.near, b.far], options);
}

/**
 * The end of most abuse cases: the sockets involved and the bystanders received nothing more, and a fresh
 * pair of clients can still make a whole call.
 */
export async function expectNoHarm(url: string, involved: ClientSocket[], b: Bystanders): Promise<void> {
  await expectNothing(involved);
  await expectNothingLeaked(b);
  await expectServiceWorks(url);
}

let freshPairs = 0;

/**
 * Two new clients in a new room: join, call, accept, relay an offer, hang up. `connect` makes a client
 * whose identity is the given user id (open mode by default; `connectWithToken` when the service needs
 * tokens).
 */
export async function expectServiceWorks(
  url: string,
  connect: (userId: string) => Promise<ClientSocket> = (userId) =>
    connectClient(url, { userId, userName: `Fresh ${userId}` }),
): Promise<void> {
  freshPairs += 1;
  const room = `fresh-${freshPairs}`;
  const callerId = `fresh-caller-${freshPairs}`;
  const calleeId = `fresh-callee-${freshPairs}`;
  const caller = await connect(callerId);
  const callee = await connect(calleeId);
  await joinRoom(caller, room);
  await joinRoom(callee, room);
  const { callId } = await establishCall(caller, callee, room);
  assert.deepEqual(await request(caller, 'offer', { callId, description: sdpOffer }), { ok: true });
  assert.deepEqual(await nextEvent(callee, 'offer', (p) => p.callId === callId), {
    callId,
    from: callerId,
    description: sdpOffer,
  });
  assert.deepEqual(await request(callee, 'end-call', { callId }), { ok: true });
  assert.deepEqual(await nextEvent(caller, 'call-ended', (p) => p.callId === callId), {
    callId,
    by: calleeId,
    reason: 'hangup',
  });
  caller.disconnect();
  callee.disconnect();
}

/** Prototype pollution left no trace on `Object.prototype`. */
export function expectNotPolluted(): void {
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'isAdmin', 'roomId', 'userId', 'callId', 'to', 'from', 'rooms', 'sub']) {
    assert.equal(probe[key], undefined, `Object.prototype.${key} was set`);
    assert.equal(Object.hasOwn(Object.prototype, key), false, `Object.prototype.${key} was set`);
  }
  assert.equal(typeof Object.prototype.toString, 'function');
  assert.equal(typeof Object.prototype.hasOwnProperty, 'function');
}

/** The refusal is exactly `connect_error` `message` with `data: { code, message }`, a readable message. */
export function expectRefusal(refused: RefusedConnection, message: string, code: ErrorCode): void {
  assert.equal(refused.message, message, `connect_error message (data: ${JSON.stringify(refused.data)})`);
  const data = refused.data as Partial<ConnectErrorData> | undefined;
  assert.equal(typeof data?.message, 'string', `connect_error data: ${JSON.stringify(refused.data)}`);
  assert.ok(data?.message, 'connect_error data.message is empty');
  assert.deepEqual(data, { code, message: data?.message });
}

/** `/healthz` counts: connections, rooms, calls. */
export async function health(
  url: string,
): Promise<{ connections: number; rooms: number; calls: { ringing: number; active: number } }> {
  const { status, body } = await getJson(`${url}/healthz`);
  assert.equal(status, 200);
  const { connections, rooms, calls } = body as {
    connections: number;
    rooms: number;
    calls: { ringing: number; active: number };
  };
  return { connections, rooms, calls };
}

// ---- tokens (AUTH_SECRET) ------------------------------------------------------------------------

export const AUTH_SECRET = 'abuse-suite-secret-0123456789abcdef';
export const AUTH_KEY = new TextEncoder().encode(AUTH_SECRET);

/** A valid HS256 token for the suite's secret, expiring in 5 minutes unless `claims.exp` says otherwise. */
export function signToken(claims: JWTPayload, key: Uint8Array = AUTH_KEY): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' });
  if (claims.exp === undefined) jwt.setExpirationTime('5m');
  return jwt.sign(key);
}

/**
 * Connects with a token for `userId` (the name the set-up helpers would give it, rooms `['*']`, unless
 * `claims` say otherwise).
 * `auth.userId` is sent too, only so the helpers (`userIdOf`, `establishCall`) know who this is: the
 * service ignores it.
 */
export async function connectWithToken(
  url: string,
  userId: string,
  claims: JWTPayload = {},
  opts: ConnectOptions = {},
): Promise<ClientSocket> {
  const token = await signToken({ sub: userId, name: displayName(userId), rooms: ['*'], ...claims });
  return connectClient(url, { userId, token }, opts);
}

export function base64url(value: string | Buffer | object): string {
  const bytes =
    typeof value === 'string' || Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
  return Buffer.from(bytes).toString('base64url');
}

// ---- handshakes that may neither connect nor be refused --------------------------------------------

export type HandshakeOutcome =
  | { kind: 'connected' }
  | { kind: 'refused'; message: string; data: unknown }
  | { kind: 'closed'; reason: string };

export interface TryConnectOptions {
  transports?: ('polling' | 'websocket')[];
  extraHeaders?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Connects with socket.io-client and reports what happened: connected (then disconnects), refused with a
 * `connect_error`, or the transport closed before either (e.g. a handshake over `maxMessageBytes`).
 */
export function tryConnect(
  url: string,
  auth: Record<string, unknown>,
  opts: TryConnectOptions = {},
): Promise<HandshakeOutcome> {
  const socket = io(url, {
    auth,
    forceNew: true,
    reconnection: false,
    transports: opts.transports ?? ['websocket'],
    timeout: opts.timeoutMs ?? 2_000,
    ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        socket.disconnect();
        reject(new Error(`handshake neither succeeded nor failed within ${opts.timeoutMs ?? 2_000} ms`));
      },
      (opts.timeoutMs ?? 2_000) + 500,
    );
    let settled = false;
    const done = (outcome: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      socket.disconnect();
    };
    socket.once('connect', () => done({ kind: 'connected' }));
    socket.once('connect_error', (err: Error) =>
      done({ kind: 'refused', message: err.message, data: 'data' in err ? err.data : undefined }),
    );
    socket.once('disconnect', (reason) => done({ kind: 'closed', reason }));
  });
}
