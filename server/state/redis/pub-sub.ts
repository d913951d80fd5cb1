import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { connectWithin, redactedUrl, redisOptions } from './connection.js';

/**
 * The Socket.IO adapter publishes without handling a failed publish, which would end the process with an
 * unhandled rejection while Redis is down. Messages that cannot be published are lost either way: clients
 * recover through their acks and reconnects.
 */
class GuardedPublisher extends Redis {
  override publish(...args: Parameters<Redis['publish']>): ReturnType<Redis['publish']> {
    const published = super.publish(...args);
    published.catch(() => undefined);
    return published;
  }
}

export interface RedisPubSub {
  /** The official Socket.IO Redis adapter over these connections, for `io.adapter()`. */
  adapter: ReturnType<typeof createAdapter>;
  connect(timeoutMs: number): Promise<void>;
  close(): void;
}

/** The two connections the Socket.IO Redis adapter needs (one to publish, one to subscribe), and the adapter. */
export function redisPubSub(url: string, channelPrefix: string, logger: Logger): RedisPubSub {
  const pub = new GuardedPublisher(url, redisOptions());
  // Subscriptions are queued while disconnected and renewed on reconnect; the adapter does not handle a
  // failed subscribe, so none may time out.
  const sub = new Redis(
    url,
    redisOptions({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined }),
  );
  for (const [role, client] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const) {
    client.on('error', (error: Error) =>
      logger.debug({ err: error, role, redis: redactedUrl(url) }, 'Redis adapter connection error'),
    );
  }
  return {
    adapter: createAdapter(pub, sub, { key: channelPrefix }),
    connect: (timeoutMs) => connectWithin(timeoutMs, pub, sub),
    close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}
