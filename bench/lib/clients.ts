/**
 * Lean socket.io-client connections for the load benchmarks: websocket transport only, no reconnection,
 * no event log (the test helpers keep one, which would grow without bound under load).
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/protocol.js';
import type { BareClientToServer, BareServerToClient } from './bare-protocol.js';

export type RingletClient = Socket<ServerToClientEvents, ClientToServerEvents>;
export type BareClient = Socket<BareServerToClient, BareClientToServer>;

const CONNECT_TIMEOUT_MS = 20_000;
const ACK_TIMEOUT_MS = 20_000;

/** engine.io-client hands `localAddress` to the `ws` socket in Node, though its option type omits it. */
type ClientOptions = Partial<ManagerOptions & SocketOptions> & { localAddress?: string };

function open(url: string, auth: Record<string, string>, localAddress: string | undefined): Promise<Socket> {
  const options: ClientOptions = {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
    ...(localAddress ? { localAddress } : {}),
  };
  const socket = io(url, options);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (error: Error) => {
      socket.off('connect');
      socket.disconnect();
      reject(new Error(`could not connect to ${url}: ${error.message}`));
    });
  });
}

/** Connects to Ringlet as `userId` (open mode: the handshake names the user). */
export async function connectRinglet(
  url: string,
  userId: string,
  localAddress?: string,
): Promise<RingletClient> {
  const socket: RingletClient = await open(url, { userId, userName: userId }, localAddress);
  return socket;
}

export async function connectBare(url: string, localAddress?: string): Promise<BareClient> {
  const socket: BareClient = await open(url, {}, localAddress);
  return socket;
}

type ClientEventName = keyof ClientToServerEvents;
type ClientPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
type ClientAck<E extends ClientEventName> = Parameters<
  NonNullable<Parameters<ClientToServerEvents[E]>[1]>
>[0];

/** Sends a Ringlet request and resolves with its ack (typed from the protocol's event map). */
export async function request<E extends ClientEventName>(
  socket: RingletClient,
  event: E,
  payload: ClientPayload<E>,
): Promise<ClientAck<E>> {
  // socket.io-client types the ack of an event whose callback is optional as `any`: go untyped, then name it.
  const untyped: Socket = socket;
  const ack: unknown = await untyped.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
  return ack as ClientAck<E>;
}

export async function joinRinglet(socket: RingletClient, roomId: string): Promise<void> {
  const ack = await request(socket, 'join-room', { roomId });
  if (!ack.ok) throw new Error(`join-room ${roomId} refused: ${ack.error.code} ${ack.error.message}`);
}

export async function joinBare(socket: BareClient, roomId: string): Promise<void> {
  await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('join-room', { roomId });
}

/** `127.0.0.1`, `127.0.0.2`, ...: spreads clients over `spread` loopback source addresses. */
export function loopbackAddress(index: number, spread: number): string | undefined {
  return spread <= 1 ? undefined : `127.0.0.${1 + (index % spread)}`;
}

/**
 * Runs `task(i)` for every `i < count`, at most `concurrency` at once; resolves with the results in order.
 * Rejects with the first failure once the tasks in flight have settled.
 */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  let failure: unknown = null;
  async function worker(): Promise<void> {
    while (next < count && failure === null) {
      const index = next++;
      try {
        results[index] = await task(index);
      } catch (error) {
        failure ??= error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, () => worker()));
  if (failure !== null) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  return results;
}

/** Disconnects every socket given (closing the client side first, as a departing user would). */
export function disconnectAll(sockets: Iterable<Socket | RingletClient | BareClient | undefined>): void {
  for (const socket of sockets) socket?.disconnect();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
