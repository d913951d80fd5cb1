import type { LevelWithSilent, Logger } from 'pino';
import type { AssetPaths } from './http/assets.js';
import type { IceServer } from './protocol.js';

/** TURN over the coturn REST scheme (`use-auth-secret`): each user gets time-limited credentials. */
export interface TurnOptions {
  /** TURN URLs, e.g. `turn:turn.example.com:3478`. */
  urls: string[];
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** Credential lifetime in seconds. Default 86400. */
  ttlSeconds?: number;
}

/** Options of {@link createSignalingServer}. Every field is optional; the defaults suit one process on one machine. */
export interface SignalingServerOptions {
  /** TCP port; `0` picks a free one. Default 3000. */
  port?: number;
  /** Interface to listen on. Default `0.0.0.0`. */
  host?: string;
  /** Origins allowed to connect (exact match, e.g. `https://shop.example`). Unset: any origin. */
  allowedOrigins?: string[];
  /** When set, every connection needs an HS256 JWT signed with this secret (see PROTOCOL.md). */
  authSecret?: string;
  /**
   * Signs resume tokens, so a call survives a restart of the service: set the same value on every start
   * (and every node). Default: derived from `authSecret`, else random per process.
   */
  resumeSecret?: string;
  /** ICE servers handed to clients in the `join-room` ack. Default `[]`. */
  iceServers?: IceServer[];
  /** TURN servers with per-user REST credentials, added to `iceServers`. */
  turn?: TurnOptions;
  /** How long a call rings before it times out, in ms. Default 30000. */
  ringTimeoutMs?: number;
  /** How long a disconnected participant may take to `rejoin-call`, in ms. Default 5000. */
  rejoinGraceMs?: number;
  /** Rooms one connection may join. Default 20. */
  maxRoomsPerSocket?: number;
  /** Distinct users in one room. Default 100. */
  maxMembersPerRoom?: number;
  /** Largest Socket.IO packet accepted, in bytes; bigger ones close the connection. Default 65536. */
  maxMessageBytes?: number;
  /** Events one connection may send per second; a client sending twice that is disconnected. Default 50. */
  maxEventsPerSecond?: number;
  /** New connections one address may open per minute. Default 120. */
  maxConnectionsPerMinutePerIp?: number;
  /** Connections one user may hold at once (tabs, devices). Default 10. */
  maxSocketsPerUser?: number;
  /** Behind a reverse proxy: take the client address from `X-Forwarded-For`. Default false. */
  trustProxy?: boolean;
  /**
   * Several nodes: the Redis they share (`redis://[:password@]host:port[/db]`). Unset: one node, state in
   * memory. Every node needs the same `resumeSecret` (or `authSecret`).
   */
  redisUrl?: string;
  /** Prefix of every Redis key and channel, so several deployments can share one Redis. Default `ringlet`. */
  redisKeyPrefix?: string;
  /** Serve Prometheus metrics at `GET /metrics`. Default true. */
  metrics?: boolean;
  /** How long a graceful `close()` waits for clients to go, in ms. Default 3000. */
  shutdownTimeoutMs?: number;
  /** Pino log level. Default `info`. Ignored when `logger` is given. */
  logLevel?: LevelWithSilent;
  /** A pino logger to use instead of the built-in one. */
  logger?: Logger;
  /** Where `/widget.js` and the demo page come from. Default: this package's `dist/widget.js` and `demo/`. */
  assets?: Partial<AssetPaths>;
}

type OptionalKeys =
  'allowedOrigins' | 'authSecret' | 'resumeSecret' | 'turn' | 'logger' | 'assets' | 'redisUrl';
export type ResolvedOptions = Required<Omit<SignalingServerOptions, OptionalKeys>> &
  Pick<SignalingServerOptions, OptionalKeys>;

export const DEFAULT_OPTIONS = {
  port: 3000,
  host: '0.0.0.0',
  iceServers: [],
  ringTimeoutMs: 30_000,
  rejoinGraceMs: 5_000,
  maxRoomsPerSocket: 20,
  maxMembersPerRoom: 100,
  maxMessageBytes: 65_536,
  maxEventsPerSecond: 50,
  maxConnectionsPerMinutePerIp: 120,
  maxSocketsPerUser: 10,
  trustProxy: false,
  redisKeyPrefix: 'ringlet',
  metrics: true,
  shutdownTimeoutMs: 3_000,
  logLevel: 'info',
} as const satisfies Partial<ResolvedOptions>;

export function resolveOptions(options: SignalingServerOptions): ResolvedOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const resolved: ResolvedOptions = { ...DEFAULT_OPTIONS, iceServers: [], ...defined };
  if (resolved.redisUrl && !resolved.resumeSecret && !resolved.authSecret) {
    // A random secret per node would make each node refuse the others' resume tokens.
    throw new Error('Several nodes (REDIS_URL) need a shared RESUME_SECRET (or AUTH_SECRET): set one');
  }
  return resolved;
}
