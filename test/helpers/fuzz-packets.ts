/**
 * Random Socket.IO packets for fuzzing the signaling service, from a seeded PRNG so that a failing run can
 * be replayed. Shared by test/server/fuzz.test.ts (a short run) and bench/fuzz.ts (as long as you like).
 *
 * A packet is an event name and the arguments to emit it with. Names are mostly the protocol's client
 * events, else unknown or tricky ones (`error`, `__proto__`, server event names, random strings). Payloads
 * are often a well-formed payload built from what the fuzzer has seen (real room, user and call ids) with
 * a few mutations, else anything JSON-ish: nested objects and arrays, long and odd strings, numbers,
 * null, booleans, `__proto__` / `constructor` / `prototype` keys, Buffers (binary attachments) and
 * functions, the last of which socket.io-client sends as the ack.
 *
 * This module does no I/O: test/helpers/fuzz-runner.ts sends the packets.
 */
import { ClientEvent } from '../../server/protocol.js';

/** A PRNG returning floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough to fuzz with. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A seed from the environment (`FUZZ_SEED`) or, failing that, a fresh random one. */
export function fuzzSeed(fromEnv = process.env.FUZZ_SEED): number {
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
      throw new Error(`FUZZ_SEED must be an integer in [0, 2^32), got ${JSON.stringify(fromEnv)}`);
    }
    return seed;
  }
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}

/** socket.io-client refuses to emit these (and the service's parser would refuse them too). */
export const RESERVED_EVENT_NAMES: readonly string[] = [
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
];

export const CLIENT_EVENT_NAMES: readonly string[] = Object.values(ClientEvent);

/** Names that are not client events but might trip a careless dispatcher. */
export const TRICKY_EVENT_NAMES: readonly string[] = [
  'error',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'room-members',
  'incoming-video-call',
  'video-call-accepted',
  'video-call-rejected',
  'call-ended',
  'service-shutdown',
  'JOIN-ROOM',
  'join-room ',
  ' offer',
  'join_room',
  'offer\u0000',
  '',
  '*',
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Field names of the protocol, so that random objects often carry plausible keys. */
const FIELD_NAMES = [
  'roomId',
  'callId',
  'callerId',
  'callerName',
  'calleeId',
  'calleeName',
  'accepted',
  'to',
  'from',
  'by',
  'reason',
  'description',
  'type',
  'sdp',
  'candidate',
  'sdpMid',
  'sdpMLineIndex',
  'usernameFragment',
  'audio',
  'video',
  'resumeToken',
  'userId',
  'userName',
  'token',
  'members',
  'participants',
  'ok',
  'error',
  'code',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'length',
  '',
];

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\u200b',
  '💥'.repeat(40),
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '${process.exit()}',
  '{{constructor.constructor("return process")()}}',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  'NaN',
  '__proto__',
  'constructor',
  '*',
  'room:r1',
  'a'.repeat(64),
  'a'.repeat(65),
  'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n',
];

const ODD_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  NaN,
  Infinity,
  -Infinity,
];

/** What the fuzzer has seen so far: real ids make well-formed packets reach deep into the call logic. */
export interface FuzzWorld {
  roomIds: string[];
  userIds: string[];
  callIds: string[];
  resumeTokens: string[];
}

export interface GeneratorOptions {
  /** Longest ordinary random string. Default 2,000. */
  maxStringLength?: number;
  /** Chance that a string is huge (`hugeStringLength`), e.g. to cross `maxMessageBytes`. Default 0.0005. */
  hugeStringRate?: number;
  /** Default 70,000: over the service's default 64 KiB packet limit. */
  hugeStringLength?: number;
  /** Deepest nesting of random objects and arrays. Default 12. */
  maxDepth?: number;
  /** Most values (leaves and containers) in one packet's random parts. Default 120. */
  maxNodes?: number;
}

export interface FuzzPacket {
  event: string;
  /** Emit arguments; a function in last place is the ack socket.io-client asks for. */
  args: unknown[];
  /** The event is a protocol client event and the last argument is a function: the service must answer it. */
  expectsAck: boolean;
}

/** Makes the functions a packet carries; the runner's count the answers they get. */
export type AckFactory = () => (...answer: unknown[]) => void;

/** Random packets; `next(sender)` makes one for a socket of user `sender`. */
export class PacketGenerator {
  readonly #rng: Rng;
  readonly #world: FuzzWorld;
  readonly #makeAck: AckFactory;
  readonly #maxString: number;
  readonly #hugeRate: number;
  readonly #hugeLength: number;
  readonly #maxDepth: number;
  readonly #maxNodes: number;
  /** Values left for the packet being made. */
  #budget = 0;

  constructor(rng: Rng, world: FuzzWorld, makeAck: AckFactory, options: GeneratorOptions = {}) {
    this.#rng = rng;
    this.#world = world;
    this.#makeAck = makeAck;
    this.#maxString = options.maxStringLength ?? 2_000;
    this.#hugeRate = options.hugeStringRate ?? 0.0005;
    this.#hugeLength = options.hugeStringLength ?? 70_000;
    this.#maxDepth = options.maxDepth ?? 12;
    this.#maxNodes = options.maxNodes ?? 120;
  }

  next(sender: string): FuzzPacket {
    this.#budget = this.#maxNodes;
    const event = this.#eventName();
    const known = CLIENT_EVENT_NAMES.includes(event);
    let payload: unknown = known && this.#chance(0.7) ? this.#template(event, sender) : this.value(0);
    if (known && this.#chance(0.6)) payload = this.#mutate(payload);
    if (this.#chance(0.03)) payload = this.#nestFunction(payload);

    const args: unknown[] = this.#chance(0.04) ? [] : [payload];
    if (this.#chance(0.08)) {
      const extra = 1 + this.#int(3);
      for (let i = 0; i < extra; i += 1) args.push(this.value(1));
    }
    // A function in any place but the last is serialised as null: a stray "ack" the service never sees.
    if (this.#chance(0.04)) args.splice(this.#int(args.length + 1), 0, this.#makeAck());
    const withAck = this.#chance(0.55);
    if (withAck) args.push(this.#makeAck());
    return { event, args, expectsAck: known && withAck };
  }

  /** Any JSON-ish value, nested at most `maxDepth` deep, within the packet's budget of values. */
  value(depth: number): unknown {
    this.#budget -= 1;
    const deeper = depth < this.#maxDepth && this.#budget > 0;
    const r = this.#rng();
    if (r < 0.08) return null;
    if (r < 0.1) return undefined;
    if (r < 0.16) return this.#chance(0.5);
    if (r < 0.22) return this.#pick(ODD_NUMBERS);
    if (r < 0.28) return Math.floor((this.#rng() - 0.5) * 2 ** 40) / (this.#chance(0.3) ? 7 : 1);
    if (r < 0.45) return this.#string();
    if (r < 0.53) return this.#id();
    if (r < 0.56) return this.#buffer();
    if (r < 0.58) return this.#makeAck();
    if (r < 0.62 && deeper) return this.#protoObject(depth + 1);
    if (r < 0.78 && deeper) return this.#object(depth + 1);
    if (r < 0.9 && deeper) return this.#array(depth + 1);
    if (r < 0.92 && this.#budget > 0) return this.#deep();
    return this.#string();
  }

  // ---- event names and well-formed payloads ----------------------------------------------------

  #eventName(): string {
    const r = this.#rng();
    if (r < 0.82) return this.#pick(CLIENT_EVENT_NAMES);
    if (r < 0.95) return this.#pick(TRICKY_EVENT_NAMES);
    const name = this.#string(1 + this.#int(30));
    return RESERVED_EVENT_NAMES.includes(name) ? 'not-reserved' : name;
  }

  #template(event: string, sender: string): Record<string, unknown> {
    const w = this.#world;
    const roomId = this.#pickOr(w.roomIds, () => this.#id());
    const callId = this.#pickOr(w.callIds, () => this.#id());
    const someone = this.#pickOr(w.userIds, () => this.#id());
    const maybe = (value: unknown): unknown => (this.#chance(0.5) ? value : undefined);
    switch (event) {
      case 'join-room':
      case 'leave-room':
        return { roomId };
      case 'video-call-request':
        return {
          roomId,
          callerId: this.#chance(0.85) ? sender : someone,
          callerName: this.#chance(0.7) ? `Fuzzy ${sender}` : this.#string(1 + this.#int(120)),
          calleeId: maybe(someone),
        };
      case 'video-call-response':
        return { roomId, accepted: this.#chance(0.6), callId: this.#chance(0.7) ? callId : undefined };
      case 'offer':
      case 'answer':
        return {
          callId,
          to: maybe(someone),
          description: { type: this.#chance(0.9) ? event : 'pranswer', sdp: this.#sdp() },
        };
      case 'ice-candidate':
        return {
          callId,
          to: maybe(someone),
          candidate: this.#chance(0.2)
            ? null
            : {
                candidate: `candidate:${this.#int(9)} 1 udp ${this.#int(2 ** 31)} 127.0.0.1 ${this.#int(65536)} typ host`,
                sdpMid: maybe(String(this.#int(3))),
                sdpMLineIndex: maybe(this.#int(3)),
                usernameFragment: maybe(this.#string(8)),
              },
        };
      case 'media-state':
        return { callId, audio: this.#chance(0.5), video: this.#chance(0.5) };
      case 'end-call':
        return { callId };
      case 'rejoin-call':
        return { callId, resumeToken: this.#pickOr(w.resumeTokens, () => this.#string(32)) };
      default:
        return { roomId, callId };
    }
  }

  /** One to three of: a field replaced, a field removed, a key added, proto keys added, the whole wrapped. */
  #mutate(payload: unknown): unknown {
    let result = payload;
    const times = 1 + this.#int(3);
    for (let i = 0; i < times; i += 1) {
      const obj = isPlainRecord(result) ? result : undefined;
      const keys = obj ? Object.keys(obj) : [];
      const r = this.#rng();
      if (obj && keys.length > 0 && r < 0.35) {
        const key = this.#pick(keys);
        defineOwn(obj, key, this.#valueFor(key, 1));
      } else if (obj && keys.length > 0 && r < 0.5) {
        delete obj[this.#pick(keys)];
      } else if (obj && r < 0.65) {
        const key = this.#key();
        defineOwn(obj, key, this.#valueFor(key, 1));
      } else if (obj && r < 0.8) {
        defineOwn(obj, this.#pick(PROTO_KEYS), this.#protoObject(1));
        const nested = keys.map((k) => obj[k]).find(isPlainRecord);
        if (nested) defineOwn(nested, this.#pick(PROTO_KEYS), { polluted: 'fuzz' });
      } else if (r < 0.9) {
        result = [result];
      } else {
        result = this.value(0);
      }
    }
    return result;
  }

  /** Puts a function somewhere inside the payload (JSON drops it; a careless server might call it). */
  #nestFunction(payload: unknown): unknown {
    if (isPlainRecord(payload)) {
      defineOwn(payload, this.#pick(FIELD_NAMES), this.#makeAck());
      return payload;
    }
    if (Array.isArray(payload)) return [...(payload as unknown[]), this.#makeAck()];
    return { payload, ack: this.#makeAck() };
  }

  // ---- leaves and containers --------------------------------------------------------------------

  #string(length?: number): string {
    if (length === undefined && this.#chance(this.#hugeRate)) return 'h'.repeat(this.#hugeLength);
    if (length === undefined && this.#chance(0.35)) return this.#pick(ODD_STRINGS);
    const n = length ?? this.#int(this.#chance(0.8) ? 24 : this.#maxString + 1);
    let out = '';
    for (let i = 0; i < n; i += 1) {
      const r = this.#rng();
      out +=
        r < 0.75
          ? String.fromCharCode(0x20 + this.#int(0x5f))
          : r < 0.9
            ? String.fromCharCode(this.#int(0x20))
            : String.fromCharCode(0x80 + this.#int(0xff80));
    }
    return out;
  }

  #id(): string {
    const r = this.#rng();
    const w = this.#world;
    if (r < 0.3 && w.roomIds.length > 0) return this.#pick(w.roomIds);
    if (r < 0.55 && w.userIds.length > 0) return this.#pick(w.userIds);
    if (r < 0.75 && w.callIds.length > 0) return this.#pick(w.callIds);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:@-';
    let id = '';
    const n = 1 + this.#int(this.#chance(0.9) ? 16 : 70);
    for (let i = 0; i < n; i += 1) id += alphabet[this.#int(alphabet.length)] ?? 'x';
    return id;
  }

  #sdp(): string {
    if (this.#chance(0.7)) return `v=0\r\no=- ${this.#int(1e9)} 2 IN IP4 127.0.0.1\r\ns=-\r\n`;
    return this.#string();
  }

  #buffer(): Buffer {
    const n = this.#chance(0.9) ? this.#int(64) : this.#int(this.#maxString);
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i += 1) bytes[i] = this.#int(256);
    return bytes;
  }

  #key(): string {
    const r = this.#rng();
    return r < 0.55
      ? this.#pick(FIELD_NAMES)
      : r < 0.7
        ? this.#pick(PROTO_KEYS)
        : this.#string(1 + this.#int(12));
  }

  #object(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const n = this.#int(6);
    for (let i = 0; i < n; i += 1) {
      const key = this.#key();
      defineOwn(obj, key, this.#valueFor(key, depth));
    }
    return obj;
  }

  /**
   * A value for `key`. Under `__proto__`, a flat object: socket.io-client copies binary packets with plain
   * assignments, which would make a nested value the copy's prototype and can throw on the sending side.
   */
  #valueFor(key: string, depth: number): unknown {
    if (key !== '__proto__') return this.value(depth);
    return { polluted: 'fuzz', [this.#key()]: this.#id() };
  }

  #protoObject(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    defineOwn(obj, '__proto__', { polluted: 'fuzz', isAdmin: true, roomId: 'evil' });
    defineOwn(obj, 'constructor', { prototype: { polluted: 'fuzz' } });
    defineOwn(obj, 'prototype', { polluted: 'fuzz' });
    if (this.#chance(0.5)) {
      const key = this.#key();
      defineOwn(obj, key, this.#valueFor(key, depth));
    }
    return obj;
  }

  #array(depth: number): unknown[] {
    const n = this.#chance(0.95) ? this.#int(6) : this.#int(300);
    const items: unknown[] = [];
    for (let i = 0; i < n && this.#budget > 0; i += 1) items.push(this.value(depth));
    return items;
  }

  /** A narrow but deep nest (up to 400 levels), as an object chain or an array chain. */
  #deep(): unknown {
    const depth = 20 + this.#int(380);
    this.#budget -= 20;
    let value: unknown = this.#chance(0.5) ? this.#id() : null;
    const asArray = this.#chance(0.5);
    for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { [this.#key()]: value };
    return value;
  }

  // ---- randomness -------------------------------------------------------------------------------

  #chance(p: number): boolean {
    return this.#rng() < p;
  }

  #int(n: number): number {
    return Math.floor(this.#rng() * n);
  }

  #pick<T>(items: readonly T[]): T {
    const item = items[this.#int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  #pickOr(items: readonly string[], otherwise: () => string): string {
    return items.length > 0 && this.#chance(0.85) ? this.#pick(items) : otherwise();
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Sets an own, enumerable property, even for `__proto__` (a plain assignment would set the prototype). */
function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // JSON.stringify would call a `toJSON` function on the sending side: not the service's business.
  if (key === 'toJSON') return;
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
