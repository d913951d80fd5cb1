/**
 * Drives a fuzz run against a running service: several socket.io-client connections (some in rooms, one
 * pair in a call from the start) send packets from `PacketGenerator`, in batches separated by round-trip
 * barriers. Every answer the service gives is checked against the protocol's ack shape, and every packet
 * that asked for an answer (a client event with an ack) must get exactly one by the next barrier, unless
 * the service closed that connection (e.g. for a packet over `maxMessageBytes`), after which the runner
 * connects a replacement. Used by test/server/fuzz.test.ts and bench/fuzz.ts.
 */
import { io, type Socket } from 'socket.io-client';
import { ErrorCode } from '../../server/protocol.js';
import { mulberry32, PacketGenerator, type FuzzWorld, type GeneratorOptions } from './fuzz-packets.js';

export interface FuzzRunOptions {
  url: string;
  packets: number;
  seed: number;
  /** Connections. Default 8. */
  sockets?: number;
  /** Distinct users; fewer than sockets, so some users have several tabs. Default 5. */
  users?: number;
  /** Packets each socket sends between barriers. Default 25. */
  batch?: number;
  generator?: GeneratorOptions;
  /** Called after each barrier with the number of packets sent so far. */
  onProgress?: (sent: number) => void;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  /** Packets with a client event and an ack, on a connection that stayed up until the next barrier. */
  acksExpected: number;
  acksAnswered: number;
  /** `ok` or the error code, with how many answers carried it. */
  answers: Record<string, number>;
  /** Answers that break the protocol: `internal` errors, malformed acks, a second answer. */
  violations: string[];
  /** Packets that asked for an answer and got none, on a connection that stayed up. */
  unanswered: string[];
  /** Connections the service closed (oversize packets), each replaced by a fresh one. */
  reconnects: number;
  /** Packets socket.io-client itself refused to send (not the service's doing). */
  clientErrors: number;
  /** Distinct call ids seen in acks and events. */
  callsSeen: number;
  durationMs: number;
}

const ROOMS = ['fz-room-0', 'fz-room-1', 'fz-room-2'];
const BARRIER_ROOM = 'fz-barrier';
const BARRIER_TIMEOUT_MS = 10_000;
const WORLD_LIMIT = 64;
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

interface FuzzClient {
  index: number;
  userId: string;
  rooms: string[];
  socket: Socket;
  /** ack id → event, for packets that must be answered. */
  outstanding: Map<number, string>;
}

export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const started = Date.now();
  const socketCount = options.sockets ?? 8;
  const userCount = Math.max(2, options.users ?? 5);
  const batch = options.batch ?? 25;
  const users = Array.from({ length: userCount }, (_, i) => `fz-${i}`);
  const world: FuzzWorld = { roomIds: [...ROOMS], userIds: [...users], callIds: [], resumeTokens: [] };
  const callsSeen = new Set<string>();
  const report: FuzzReport = {
    seed: options.seed,
    sent: 0,
    acksExpected: 0,
    acksAnswered: 0,
    answers: {},
    violations: [],
    unanswered: [],
    reconnects: 0,
    clientErrors: 0,
    callsSeen: 0,
    durationMs: 0,
  };

  const learn = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const { callId, resumeToken } = value as { callId?: unknown; resumeToken?: unknown };
    if (typeof callId === 'string' && !callsSeen.has(callId)) {
      callsSeen.add(callId);
      remember(world.callIds, callId);
    }
    if (typeof resumeToken === 'string') remember(world.resumeTokens, resumeToken);
  };

  // Every function the generator hands out answers here; `owners` says which ones were asked to.
  let nextAckId = 0;
  const owners = new Map<number, FuzzClient>();
  const answered = new Set<number>();
  const ackIds = new WeakMap<(...answer: unknown[]) => void, number>();
  const makeAck = () => {
    const id = (nextAckId += 1);
    const fn = (...answer: unknown[]): void => onAnswer(id, answer);
    ackIds.set(fn, id);
    return fn;
  };

  function onAnswer(id: number, answer: unknown[]): void {
    const owner = owners.get(id);
    const event = owner?.outstanding.get(id) ?? '(an event that asked for no answer)';
    if (answered.has(id)) report.violations.push(`a second answer to ${event}: ${short(answer)}`);
    answered.add(id);
    const problem = ackProblem(answer);
    if (problem) report.violations.push(`${event}: ${problem}: ${short(answer)}`);
    const [ack] = answer as [{ ok?: unknown; error?: { code?: unknown } } | undefined];
    const key = ack?.ok === true ? 'ok' : String(ack?.error?.code);
    report.answers[key] = (report.answers[key] ?? 0) + 1;
    if (ack?.ok === true) learn(ack);
    if (owner?.outstanding.delete(id)) {
      owners.delete(id);
      report.acksAnswered += 1;
    }
  }

  const generator = new PacketGenerator(mulberry32(options.seed), world, makeAck, options.generator);

  async function connect(index: number, userId: string, rooms: string[]): Promise<FuzzClient> {
    const socket = io(options.url, {
      auth: { userId, userName: `Fuzzy ${userId}` },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: BARRIER_TIMEOUT_MS,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`fuzz client ${userId}: ${err.message}`)));
    });
    socket.onAny((_event: string, payload: unknown) => learn(payload));
    for (const roomId of rooms) {
      const ack = (await socket.timeout(BARRIER_TIMEOUT_MS).emitWithAck('join-room', { roomId })) as {
        ok?: unknown;
      };
      if (ack.ok !== true) throw new Error(`fuzz client ${userId} could not join ${roomId}: ${short(ack)}`);
    }
    return { index, userId, rooms, socket, outstanding: new Map() };
  }

  // Most sockets join one or two rooms; every fourth joins none.
  const clients: FuzzClient[] = [];
  for (let i = 0; i < socketCount; i += 1) {
    const rooms = i % 4 === 3 ? [] : i % 2 === 0 ? [ROOMS[i % 3], ROOMS[(i + 1) % 3]] : [ROOMS[i % 3]];
    clients.push(await connect(i, users[i % userCount] ?? 'fz-0', rooms.filter(isString)));
  }
  await placeCall(clients, learn);

  const barrier = async (): Promise<void> => {
    await Promise.all(
      clients.map(async (client) => {
        if (client.socket.connected) {
          try {
            await client.socket
              .timeout(BARRIER_TIMEOUT_MS)
              .emitWithAck('leave-room', { roomId: BARRIER_ROOM });
          } catch (err) {
            if (client.socket.connected) {
              report.violations.push(`${client.userId}: no answer to a barrier (${(err as Error).message})`);
            }
          }
        }
        if (client.socket.connected) {
          for (const [id, event] of client.outstanding) {
            report.unanswered.push(`${event} from ${client.userId}`);
            owners.delete(id);
          }
          client.outstanding.clear();
          return;
        }
        // The service closed it: whatever it had outstanding will never be answered. Replace it.
        for (const id of client.outstanding.keys()) owners.delete(id);
        report.acksExpected -= client.outstanding.size;
        client.outstanding.clear();
        client.socket.disconnect();
        const fresh = await connect(client.index, client.userId, client.rooms);
        client.socket = fresh.socket;
        report.reconnects += 1;
      }),
    );
  };

  try {
    while (report.sent < options.packets) {
      for (const client of clients) {
        for (let k = 0; k < batch && report.sent < options.packets; k += 1) {
          if (!client.socket.connected) break;
          const packet = generator.next(client.userId);
          const last = packet.args.at(-1);
          const id =
            typeof last === 'function' ? ackIds.get(last as (...answer: unknown[]) => void) : undefined;
          if (packet.expectsAck && id !== undefined) {
            client.outstanding.set(id, packet.event);
            owners.set(id, client);
            report.acksExpected += 1;
          }
          try {
            client.socket.emit(packet.event, ...packet.args);
          } catch {
            report.clientErrors += 1;
            if (id !== undefined && client.outstanding.delete(id)) report.acksExpected -= 1;
          }
          report.sent += 1;
        }
      }
      await barrier();
      options.onProgress?.(report.sent);
    }
  } finally {
    for (const client of clients) client.socket.disconnect();
  }
  report.callsSeen = callsSeen.size;
  report.durationMs = Date.now() - started;
  return report;
}

/** The first two users' sockets that share a room call each other and accept, so the fuzz starts mid-call. */
async function placeCall(clients: FuzzClient[], learn: (value: unknown) => void): Promise<void> {
  for (const caller of clients) {
    for (const callee of clients) {
      const roomId = caller.rooms.find((room) => callee.rooms.includes(room));
      if (caller.userId === callee.userId || roomId === undefined) continue;
      const incoming = new Promise<unknown>((resolve) => callee.socket.once('incoming-video-call', resolve));
      const placed = (await caller.socket.timeout(BARRIER_TIMEOUT_MS).emitWithAck('video-call-request', {
        roomId,
        callerId: caller.userId,
        callerName: `Fuzzy ${caller.userId}`,
        calleeId: callee.userId,
      })) as { ok?: unknown; callId?: unknown };
      if (placed.ok !== true || typeof placed.callId !== 'string') {
        throw new Error(`fuzz set-up: could not place a call: ${short(placed)}`);
      }
      learn(placed);
      await incoming;
      const accepted: unknown = await callee.socket
        .timeout(BARRIER_TIMEOUT_MS)
        .emitWithAck('video-call-response', { roomId, accepted: true, callId: placed.callId });
      learn(accepted);
      return;
    }
  }
}

/** Why an answer is not a protocol ack, or undefined when it is one. */
export function ackProblem(answer: unknown[]): string | undefined {
  if (answer.length !== 1) return `answered with ${answer.length} arguments`;
  const [ack] = answer;
  if (typeof ack !== 'object' || ack === null) return 'not an object';
  const { ok, error } = ack as { ok?: unknown; error?: unknown };
  if (ok === true) return undefined;
  if (ok !== false) return '`ok` is neither true nor false';
  if (typeof error !== 'object' || error === null) return 'an error ack without `error`';
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !ERROR_CODES.has(code)) return `unknown error code ${String(code)}`;
  if (code === ErrorCode.Internal) return 'the service failed internally';
  if (typeof message !== 'string' || message.length === 0) return 'an error without a message';
  if (Object.keys(ack).length !== 2 || Object.keys(error).length !== 2) return 'extra fields in an error ack';
  return undefined;
}

function remember(list: string[], value: string): void {
  if (list.includes(value)) return;
  list.push(value);
  if (list.length > WORLD_LIMIT) list.shift();
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string';
}

function short(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
