import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { CallService } from './calls/call-service.js';
import { ResumeTokens } from './calls/resume-tokens.js';
import { createHttpApp } from './http/app.js';
import { defaultAssetPaths } from './http/assets.js';
import { Limits } from './limits.js';
import { createLogger, type Logger } from './logger.js';
import { NO_METRICS, PrometheusMetrics } from './metrics.js';
import { resolveOptions, type SignalingServerOptions } from './options.js';
import { originCheck, refuseForeignUpgrades } from './origin-guard.js';
import { socketRoom, type Outbox } from './outbox.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { Membership } from './rooms/membership.js';
import { Presence } from './rooms/presence.js';
import { connectionHandlers } from './socket/handlers.js';
import { admission, clientAddress } from './socket/admission.js';
import type { RingletServer } from './socket/types.js';
import { MemoryStateStore } from './state/memory-store.js';
import { RedisStateStore } from './state/redis-store.js';
import type { ClusterEvents, Readiness, StateStore } from './state/store.js';
import { VERSION } from './version.js';

export interface ListeningAddress {
  port: number;
  host: string;
  /** A URL clients on this machine can use, e.g. `http://127.0.0.1:3000`. */
  url: string;
}

export interface SignalingServer {
  readonly httpServer: HttpServer;
  readonly io: RingletServer;
  readonly logger: Logger;
  /** Starts listening (on the options' port and host unless given). */
  listen(port?: number, host?: string): Promise<ListeningAddress>;
  /** Graceful stop: readiness turns 503, clients get `service-shutdown`, then every connection closes. */
  close(): Promise<void>;
}

/** Creates Ringlet's signaling service: HTTP probes plus the Socket.IO call protocol of PROTOCOL.md. */
export function createSignalingServer(input: SignalingServerOptions = {}): SignalingServer {
  const options = resolveOptions(input);
  const logger = options.logger ?? createLogger(options.logLevel);
  const startedAt = Date.now();
  let closing: Promise<void> | undefined;

  const store: StateStore = options.redisUrl
    ? new RedisStateStore(options.redisUrl, options.redisKeyPrefix, logger)
    : new MemoryStateStore();
  const metrics = options.metrics
    ? new PrometheusMetrics({
        connections: () => io.engine.clientsCount,
        storeReady: () => store.readiness().ready,
        rooms: () => store.rooms.roomCount(),
        calls: () => store.calls.countByState(),
      })
    : undefined;
  const metricsSink = metrics ?? NO_METRICS;
  const readiness = (): Readiness =>
    closing ? { ready: false, reason: 'shutting down' } : store.readiness();
  const app = createHttpApp({
    health: async () => ({
      status: 'ok',
      version: VERSION,
      protocolVersion: PROTOCOL_VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      connections: io.engine.clientsCount,
      // Liveness must not depend on the store: without it, the counts are unknown, not an error.
      rooms: await store.rooms.roomCount().catch(() => null),
      calls: await store.calls.countByState().catch(() => null),
    }),
    readiness,
    assets: { ...defaultAssetPaths(), ...options.assets },
    metrics: metrics?.registry,
  });
  const httpServer = createServer(app);
  const originAllowed = originCheck(options.allowedOrigins);
  const limits = new Limits(options);
  const io: RingletServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: options.maxMessageBytes,
    // Sessions that never send the Socket.IO CONNECT packet are dropped sooner than the 45 s default.
    connectTimeout: 10_000,
    allowRequest: (req, callback) => {
      if (!originAllowed(req)) {
        callback('Origin not allowed', false);
        return;
      }
      const address = clientAddress(req.socket.remoteAddress ?? '', req.headers, options.trustProxy);
      void limits
        .admitHandshake(address)
        .then((admitted) => callback(admitted ? null : 'rate-limited', admitted));
    },
    cors: { origin: options.allowedOrigins ?? true },
  });

  if (store.adapter) io.adapter(store.adapter);

  const outbox: Outbox = {
    send: (socketIds, event, ...args) => {
      if (socketIds.length > 0) io.to(socketIds).emit(event, ...args);
    },
    broadcast: (roomId, event, ...args) => io.to(socketRoom(roomId)).emit(event, ...args),
  };
  const calls: CallService = new CallService({
    store,
    outbox,
    logger,
    metrics: metricsSink,
    ringTimeoutMs: options.ringTimeoutMs,
    rejoinGraceMs: options.rejoinGraceMs,
    // Domain-separated inside ResumeTokens, so deriving from AUTH_SECRET is safe.
    resumeTokens: new ResumeTokens(options.resumeSecret ?? options.authSecret),
    onStatusChange: (userIds) => presence.usersChanged(userIds),
  });
  const presence = new Presence(store, outbox);
  const membership = new Membership(store, calls, presence);

  refuseForeignUpgrades(httpServer, originAllowed);
  io.use(
    admission({
      logger,
      limits,
      secret: options.authSecret ? new TextEncoder().encode(options.authSecret) : undefined,
      trustProxy: options.trustProxy,
      isClosing: () => closing !== undefined,
      readiness: () => store.readiness(),
    }),
  );
  const handleConnection = connectionHandlers({
    options,
    logger,
    membership,
    presence,
    calls,
    outbox,
    limits,
    metrics: metricsSink,
  });
  io.on('connection', (socket) => {
    logger.debug({ socketId: socket.id, userId: socket.data.userId }, 'connected');
    const { userId, userName } = socket.data;
    store.addSocket({ id: socket.id, userId, userName }).catch((error: unknown) => {
      logger.warn({ err: error, socketId: socket.id }, 'could not record the connection');
    });
    handleConnection(socket);
  });

  const clusterEvents: ClusterEvents = {
    async orphans(clients) {
      for (const client of clients) await membership.orphaned(client);
    },
    stateLost() {
      // Closing the transport (not the Socket.IO session) makes clients reconnect on their own; they join
      // their rooms again and rejoin their calls with their resume tokens, as after a restart.
      for (const socket of io.of('/').sockets.values()) socket.conn.close();
    },
  };

  return {
    httpServer,
    io,
    logger,
    async listen(port = options.port, host = options.host) {
      await store.connect(STORE_CONNECT_TIMEOUT_MS, clusterEvents);
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const listening = { port: address.port, host, url: `http://${displayHost(host)}:${address.port}` };
          logger.info(listening, 'listening');
          resolve(listening);
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        logger.info('shutting down');
        io.emit('service-shutdown', { message: 'The service is shutting down; reconnect shortly' });
        const forced = setTimeout(() => httpServer.closeAllConnections(), options.shutdownTimeoutMs);
        void io.close(() => {
          clearTimeout(forced);
          // Departures are recorded before the store goes, so that other nodes start the grace periods.
          void membership
            .close()
            .then(() => store.close())
            .finally(resolve);
        });
        httpServer.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** How long `listen` waits for Redis before it listens anyway (not ready: `/readyz` says why). */
const STORE_CONNECT_TIMEOUT_MS = 5_000;

/** What to put in a URL for a listening host: wildcard addresses are reached through loopback. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
