import { z } from 'zod';
import { DEFAULT_TURN_TTL_SECONDS } from './ice-servers.js';
import { DEFAULT_OPTIONS, type SignalingServerOptions } from './options.js';
import type { IceServer } from './protocol.js';

/** One operator setting: an environment variable, its kebab-case CLI flag, and how it lands in the options. */
export interface Setting {
  env: string;
  flag: string;
  defaultText: string;
  description: string;
  apply(options: SignalingServerOptions, raw: string): void;
}

const integer = (name: string, min: number, max: number) => (raw: string) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
};

const boolean = (name: string) => (raw: string) => {
  if (!['true', 'false', '1', '0'].includes(raw))
    throw new Error(`${name} must be true or false (got "${raw}")`);
  return raw === 'true' || raw === '1';
};

const list = (raw: string) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const iceServerSchema = z.array(
  z.object({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

function parseIceServers(raw: string): IceServer[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('ICE_SERVERS must be a JSON array of RTCIceServer objects');
  }
  const parsed = iceServerSchema.safeParse(json);
  if (!parsed.success)
    throw new Error('ICE_SERVERS must be a JSON array of { urls, username?, credential? }');
  return parsed.data;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MAX_MS = 24 * 3_600_000;

/** Every setting the service reads, in README order. README.md's configuration table lists the same. */
export const SETTINGS: readonly Setting[] = [
  {
    env: 'PORT',
    flag: 'port',
    defaultText: String(DEFAULT_OPTIONS.port),
    description: 'TCP port to listen on (0 picks a free one).',
    apply: (o, raw) => (o.port = integer('PORT', 0, 65_535)(raw)),
  },
  {
    env: 'HOST',
    flag: 'host',
    defaultText: DEFAULT_OPTIONS.host,
    description: 'Interface to listen on.',
    apply: (o, raw) => (o.host = raw),
  },
  {
    env: 'ALLOWED_ORIGINS',
    flag: 'allowed-origins',
    defaultText: '(any)',
    description:
      'Comma-separated origins allowed to connect, e.g. `https://shop.example`. Unset: any origin.',
    apply: (o, raw) => (o.allowedOrigins = list(raw)),
  },
  {
    env: 'AUTH_SECRET',
    flag: 'auth-secret',
    defaultText: '(open mode)',
    description: 'When set, every connection needs an HS256 JWT signed with this secret (see PROTOCOL.md).',
    apply: (o, raw) => (o.authSecret = raw),
  },
  {
    env: 'RESUME_SECRET',
    flag: 'resume-secret',
    defaultText: '(from AUTH_SECRET, else random)',
    description:
      'Signs the resume tokens of calls. Keep it the same across restarts (and nodes) so calls in progress survive a restart.',
    apply: (o, raw) => (o.resumeSecret = raw),
  },
  {
    env: 'ICE_SERVERS',
    flag: 'ice-servers',
    defaultText: '[]',
    description: 'JSON array of RTCIceServer objects handed to clients on `join-room`.',
    apply: (o, raw) => (o.iceServers = parseIceServers(raw)),
  },
  {
    env: 'TURN_URLS',
    flag: 'turn-urls',
    defaultText: '(none)',
    description: 'Comma-separated TURN URLs; each user gets time-limited credentials for them.',
    apply: (o, raw) => (o.turn = { secret: '', ...o.turn, urls: list(raw) }),
  },
  {
    env: 'TURN_SECRET',
    flag: 'turn-secret',
    defaultText: '(none)',
    description: "coturn's `static-auth-secret` (`use-auth-secret`), used to sign TURN credentials.",
    apply: (o, raw) => (o.turn = { urls: [], ...o.turn, secret: raw }),
  },
  {
    env: 'TURN_TTL',
    flag: 'turn-ttl',
    defaultText: String(DEFAULT_TURN_TTL_SECONDS),
    description: 'Lifetime of TURN credentials, in seconds.',
    apply: (o, raw) =>
      (o.turn = { urls: [], secret: '', ...o.turn, ttlSeconds: integer('TURN_TTL', 60, 30 * 86_400)(raw) }),
  },
  {
    env: 'REDIS_URL',
    flag: 'redis-url',
    defaultText: '(one node, state in memory)',
    description:
      'Several nodes sharing one Redis (`redis://[:password@]host:port[/db]`), through the official Socket.IO Redis adapter. Needs RESUME_SECRET or AUTH_SECRET, the same on every node.',
    apply: (o, raw) => {
      if (!/^rediss?:\/\//.test(raw)) throw new Error('REDIS_URL must start with redis:// or rediss://');
      o.redisUrl = raw;
    },
  },
  {
    env: 'REDIS_KEY_PREFIX',
    flag: 'redis-key-prefix',
    defaultText: 'ringlet',
    description: 'Prefix of every Redis key and channel, so several deployments can share one Redis.',
    apply: (o, raw) => {
      if (!/^[\w.-]{1,64}$/.test(raw))
        throw new Error('REDIS_KEY_PREFIX must be 1-64 letters, digits, _ . -');
      o.redisKeyPrefix = raw;
    },
  },
  {
    env: 'RING_TIMEOUT_MS',
    flag: 'ring-timeout-ms',
    defaultText: String(DEFAULT_OPTIONS.ringTimeoutMs),
    description: 'How long a call rings before it times out.',
    apply: (o, raw) => (o.ringTimeoutMs = integer('RING_TIMEOUT_MS', 1, MAX_MS)(raw)),
  },
  {
    env: 'REJOIN_GRACE_MS',
    flag: 'rejoin-grace-ms',
    defaultText: String(DEFAULT_OPTIONS.rejoinGraceMs),
    description: 'How long a disconnected participant may take to `rejoin-call` before the call ends.',
    apply: (o, raw) => (o.rejoinGraceMs = integer('REJOIN_GRACE_MS', 0, MAX_MS)(raw)),
  },
  {
    env: 'MAX_ROOMS_PER_SOCKET',
    flag: 'max-rooms-per-socket',
    defaultText: String(DEFAULT_OPTIONS.maxRoomsPerSocket),
    description: 'Rooms one connection may join.',
    apply: (o, raw) => (o.maxRoomsPerSocket = integer('MAX_ROOMS_PER_SOCKET', 1, 10_000)(raw)),
  },
  {
    env: 'MAX_MEMBERS_PER_ROOM',
    flag: 'max-members-per-room',
    defaultText: String(DEFAULT_OPTIONS.maxMembersPerRoom),
    description: 'Distinct users in one room.',
    apply: (o, raw) => (o.maxMembersPerRoom = integer('MAX_MEMBERS_PER_ROOM', 2, 100_000)(raw)),
  },
  {
    env: 'MAX_MESSAGE_BYTES',
    flag: 'max-message-bytes',
    defaultText: String(DEFAULT_OPTIONS.maxMessageBytes),
    description: 'Largest Socket.IO packet accepted; a bigger one closes that connection.',
    apply: (o, raw) => (o.maxMessageBytes = integer('MAX_MESSAGE_BYTES', 1_024, 16 * 1_048_576)(raw)),
  },
  {
    env: 'MAX_EVENTS_PER_SECOND',
    flag: 'max-events-per-second',
    defaultText: String(DEFAULT_OPTIONS.maxEventsPerSecond),
    description:
      'Events one connection may send per second; over it they get `rate-limited`, at twice it the connection is closed.',
    apply: (o, raw) => (o.maxEventsPerSecond = integer('MAX_EVENTS_PER_SECOND', 1, 1_000_000)(raw)),
  },
  {
    env: 'MAX_CONNECTIONS_PER_MINUTE_PER_IP',
    flag: 'max-connections-per-minute-per-ip',
    defaultText: String(DEFAULT_OPTIONS.maxConnectionsPerMinutePerIp),
    description: 'New connections one address may open per minute (reconnects count).',
    apply: (o, raw) =>
      (o.maxConnectionsPerMinutePerIp = integer('MAX_CONNECTIONS_PER_MINUTE_PER_IP', 1, 1_000_000)(raw)),
  },
  {
    env: 'MAX_SOCKETS_PER_USER',
    flag: 'max-sockets-per-user',
    defaultText: String(DEFAULT_OPTIONS.maxSocketsPerUser),
    description: 'Connections one user may hold at once (tabs and devices).',
    apply: (o, raw) => (o.maxSocketsPerUser = integer('MAX_SOCKETS_PER_USER', 1, 100_000)(raw)),
  },
  {
    env: 'TRUST_PROXY',
    flag: 'trust-proxy',
    defaultText: 'false',
    description: 'Behind a reverse proxy you trust: take the client address from `X-Forwarded-For`.',
    apply: (o, raw) => (o.trustProxy = boolean('TRUST_PROXY')(raw)),
  },
  {
    env: 'METRICS',
    flag: 'metrics',
    defaultText: 'true',
    description: 'Serve Prometheus metrics at `GET /metrics`; `false` turns the endpoint off.',
    apply: (o, raw) => (o.metrics = boolean('METRICS')(raw)),
  },
  {
    env: 'SHUTDOWN_TIMEOUT_MS',
    flag: 'shutdown-timeout-ms',
    defaultText: String(DEFAULT_OPTIONS.shutdownTimeoutMs),
    description: 'On SIGTERM/SIGINT, how long to wait for clients before closing connections by force.',
    apply: (o, raw) => (o.shutdownTimeoutMs = integer('SHUTDOWN_TIMEOUT_MS', 0, 60_000)(raw)),
  },
  {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    defaultText: DEFAULT_OPTIONS.logLevel,
    description: `Log level of the JSON logs on stdout: ${LOG_LEVELS.join(', ')}.`,
    apply: (o, raw) => {
      const level = LOG_LEVELS.find((candidate) => candidate === raw);
      if (!level) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
      o.logLevel = level;
    },
  },
];

/**
 * Builds server options from the environment and flags (flags win). Throws a readable Error on bad input.
 */
export function optionsFromConfig(
  env: Record<string, string | undefined>,
  flags: Record<string, string | undefined>,
): SignalingServerOptions {
  const options: SignalingServerOptions = {};
  for (const setting of SETTINGS) {
    const raw = flags[setting.flag] ?? env[setting.env];
    if (raw !== undefined && raw !== '') setting.apply(options, raw);
  }
  if (options.turn && (options.turn.urls.length === 0 || !options.turn.secret)) {
    throw new Error('TURN needs both TURN_URLS and TURN_SECRET');
  }
  return options;
}
