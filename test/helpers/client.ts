/**
 * Real socket.io-client connections for the server tests.
 *
 * Every client records each event it receives. `nextEvent` takes the oldest matching event not taken
 * yet (or waits for one), so a test may await an event after it has arrived. `flush` is a round-trip
 * barrier: once it resolves, everything the service sent to that client before it answered is in the
 * log, so `pending` can prove that nothing else arrived, without sleeping.
 */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { pickNode } from './two-nodes.js';
import type {
  ClientToServerEvents,
  ConnectErrorData,
  HandshakeAuth,
  ServerToClientEvents,
} from '../../server/protocol.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ServerEventName = keyof ServerToClientEvents;
export type ServerPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
export type ClientEventName = keyof ClientToServerEvents;
export type ClientPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
export type ClientAck<E extends ClientEventName> = Parameters<
  NonNullable<Parameters<ClientToServerEvents[E]>[1]>
>[0];

export interface ReceivedEvent {
  event: string;
  payload: unknown;
}

interface LogEntry extends ReceivedEvent {
  taken: boolean;
}

interface Waiter {
  event: string;
  matches(payload: unknown): boolean;
  resolve(payload: unknown): void;
}

interface ClientRecord {
  label: string;
  auth: Record<string, unknown>;
  log: LogEntry[];
  waiters: Waiter[];
}

/** Untyped view of a socket, for sending what a well-behaved client never would. */
type RawSocket = Socket;

export const DEFAULT_TIMEOUT_MS = 2_000;
/** A room no test joins: `leave-room` for it is a harmless round trip. */
const FLUSH_ROOM = '__flush__';

const records = new WeakMap<ClientSocket, ClientRecord>();
const openClients = new Set<ClientSocket>();
const labelCounts = new Map<string, number>();

export interface ConnectOptions {
  /** Off by default: a test reconnects explicitly. */
  reconnection?: boolean;
  /** Sent with the WebSocket upgrade (e.g. `Origin`). */
  extraHeaders?: Record<string, string>;
  timeoutMs?: number;
  /** Default `['websocket']`; e.g. `['polling']` to test the HTTP long-polling transport. */
  transports?: ('polling' | 'websocket')[];
  /** Connect from this local address (e.g. `127.0.0.2`), so per-address limits see another client. */
  localAddress?: string;
}

/**
 * engine.io-client hands `localAddress` on to Node's WebSocket and `agent` to its Node XHR, though its
 * browser-first types allow neither (`agent` is typed `string | boolean`).
 */
function fromAddress(localAddress: string): object {
  return { localAddress, agent: new http.Agent({ localAddress }) };
}

function raw(socket: ClientSocket): RawSocket {
  return socket;
}

function record(socket: ClientSocket): ClientRecord {
  const rec = records.get(socket);
  if (!rec) throw new Error('not a socket made by connectClient()');
  return rec;
}

function makeSocket(url: string, auth: Record<string, unknown>, opts: ConnectOptions): ClientSocket {
  const socket: ClientSocket = io(pickNode(url), {
    auth,
    transports: opts.transports ?? ['websocket'],
    forceNew: true,
    reconnection: opts.reconnection ?? false,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
    ...(opts.localAddress ? fromAddress(opts.localAddress) : {}),
  });
  const name = typeof auth.userId === 'string' ? auth.userId : 'anonymous';
  const n = (labelCounts.get(name) ?? 0) + 1;
  labelCounts.set(name, n);
  const rec: ClientRecord = { label: `${name}#${n}`, auth, log: [], waiters: [] };
  records.set(socket, rec);
  openClients.add(socket);
  socket.onAny((event: string, payload: unknown) => {
    const entry: LogEntry = { event, payload, taken: false };
    rec.log.push(entry);
    const i = rec.waiters.findIndex((w) => w.event === event && w.matches(payload));
    if (i !== -1) {
      const [waiter] = rec.waiters.splice(i, 1);
      entry.taken = true;
      waiter?.resolve(payload);
    }
  });
  return socket;
}

/**
 * Connects and resolves once the service has accepted the handshake.
 * `auth` is sent as given (`{ userId, userName, token? }`, or anything else a test wants to try).
 */
export function connectClient(
  url: string,
  auth: HandshakeAuth | Record<string, unknown>,
  opts: ConnectOptions = {},
): Promise<ClientSocket> {
  const socket = makeSocket(url, { ...auth }, opts);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (err: Error) => {
      socket.off('connect');
      socket.disconnect();
      reject(
        new Error(`${labelOf(socket)} could not connect: ${err.message} ${JSON.stringify(errorData(err))}`),
      );
    });
  });
}

export interface RefusedConnection {
  message: string;
  data: unknown;
}

/** Connects expecting the service to refuse; resolves with the `connect_error`, fails if it connects. */
export function connectRefused(
  url: string,
  auth: HandshakeAuth | Record<string, unknown>,
  opts: ConnectOptions = {},
): Promise<RefusedConnection> {
  const socket = makeSocket(url, { ...auth }, opts);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error(`${labelOf(socket)} connected, but the service should have refused it`));
    });
    socket.once('connect_error', (err: Error) => {
      socket.disconnect();
      resolve({ message: err.message, data: errorData(err) });
    });
  });
}

function errorData(err: Error): unknown {
  return 'data' in err ? err.data : undefined;
}

/** The `data` a refused handshake carries, typed for assertions. */
export function asConnectErrorData(data: unknown): ConnectErrorData {
  return data as ConnectErrorData;
}

export function labelOf(socket: ClientSocket): string {
  return records.get(socket)?.label ?? 'unknown client';
}

/** The userId this client claimed in its handshake. */
export function userIdOf(socket: ClientSocket): string {
  const id = record(socket).auth.userId;
  if (typeof id !== 'string') throw new Error(`${labelOf(socket)} has no userId`);
  return id;
}

/** Sends a well-typed event and resolves with its ack. */
export async function request<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: ClientPayload<E>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<ClientAck<E>> {
  return (await requestRaw(socket, event, [payload], timeoutMs)) as ClientAck<E>;
}

/** Sends any arguments (the ack callback is added last) and resolves with whatever the ack receives. */
export async function requestRaw(
  socket: ClientSocket,
  event: string,
  args: unknown[],
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<unknown> {
  try {
    const ack: unknown = await raw(socket)
      .timeout(timeoutMs)
      .emitWithAck(event, ...args);
    return ack;
  } catch (err) {
    throw new Error(
      `${labelOf(socket)}: no ack for "${event}" within ${timeoutMs} ms (${(err as Error).message})`,
      { cause: err },
    );
  }
}

/** Emits without an ack callback: the service answers nothing. */
export function send(socket: ClientSocket, event: string, ...args: unknown[]): void {
  raw(socket).emit(event, ...args);
}

/**
 * Resolves with the oldest not-yet-taken `event` matching `predicate`, waiting up to `timeoutMs`.
 * Rejects with what the client did receive, so a failure reads as a diff.
 */
export function nextEvent<E extends ServerEventName>(
  socket: ClientSocket,
  event: E,
  predicate: (payload: ServerPayload<E>) => boolean = () => true,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<ServerPayload<E>> {
  const rec = record(socket);
  const matches = (payload: unknown): boolean => predicate(payload as ServerPayload<E>);
  const entry = rec.log.find((e) => !e.taken && e.event === event && matches(e.payload));
  if (entry) {
    entry.taken = true;
    return Promise.resolve(entry.payload as ServerPayload<E>);
  }
  return new Promise((resolve, reject) => {
    const waiter: Waiter = {
      event,
      matches,
      resolve: (payload) => {
        clearTimeout(timer);
        resolve(payload as ServerPayload<E>);
      },
    };
    const timer = setTimeout(() => {
      rec.waiters.splice(rec.waiters.indexOf(waiter), 1);
      const seen = rec.log.map((e) => `${e.taken ? '(taken) ' : ''}${e.event} ${JSON.stringify(e.payload)}`);
      reject(
        new Error(
          `${rec.label}: no matching "${event}" within ${timeoutMs} ms. Received:\n  ${seen.join('\n  ') || '(nothing)'}`,
        ),
      );
    }, timeoutMs);
    rec.waiters.push(waiter);
  });
}

/** Resolves with the disconnect reason once the socket is disconnected. */
export function nextDisconnect(socket: ClientSocket, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${labelOf(socket)} still connected after ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/**
 * Round-trip barrier: resolves once the service has answered a harmless request from this client.
 * Socket.IO keeps order on one connection, so every event the service emitted to this client before
 * it handled the request has been received (and logged) by then.
 */
export async function flush(...sockets: ClientSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(async (socket) => {
      const ack = await request(socket, 'leave-room', { roomId: FLUSH_ROOM });
      if (!ack.ok) throw new Error(`${labelOf(socket)}: flush failed: ${JSON.stringify(ack)}`);
    }),
  );
}

/** Events received and not taken by `nextEvent`, optionally only those named. */
export function pending(socket: ClientSocket, ...events: ServerEventName[]): ReceivedEvent[] {
  return record(socket)
    .log.filter((e) => !e.taken && (events.length === 0 || events.includes(e.event as ServerEventName)))
    .map(({ event, payload }) => ({ event, payload }));
}

/** Every event received (taken or not), optionally only those named. */
export function received(socket: ClientSocket, ...events: ServerEventName[]): ReceivedEvent[] {
  return record(socket)
    .log.filter((e) => events.length === 0 || events.includes(e.event as ServerEventName))
    .map(({ event, payload }) => ({ event, payload }));
}

/** Marks every received `events` as taken, e.g. stale `room-members` before the one a test waits for. */
export function drain(socket: ClientSocket, ...events: ServerEventName[]): void {
  for (const e of record(socket).log) {
    if (events.length === 0 || events.includes(e.event as ServerEventName)) e.taken = true;
  }
}

export function disconnectAllClients(): void {
  for (const socket of openClients) {
    socket.disconnect();
    const rec = records.get(socket);
    if (rec) rec.waiters.length = 0;
  }
  openClients.clear();
}
