import type { Logger } from 'pino';
import type { Client } from '../calls/call.js';
import { KeyedMutex } from './keyed-mutex.js';
import { RedisConnection } from './redis/connection.js';
import { Keys } from './redis/keys.js';
import { NodeRegistry } from './redis/node-registry.js';
import { redisPubSub, type RedisPubSub } from './redis/pub-sub.js';
import { RedisCallStore } from './redis/redis-calls.js';
import { RedisDeadlines } from './redis/redis-deadlines.js';
import { withRedisLock } from './redis/redis-lock.js';
import { RedisRoomStore } from './redis/redis-rooms.js';
import type { ClusterEvents, Readiness, StateStore } from './store.js';

/**
 * State shared by every node through Redis. A room's changes queue in this process first, then take the
 * room's lock in Redis, so a node holds the lock for its own changes one at a time.
 */
export class RedisStateStore implements StateStore {
  readonly rooms: RedisRoomStore;
  readonly calls: RedisCallStore;
  readonly deadlines: RedisDeadlines;
  readonly keys: Keys;
  readonly #redis: RedisConnection;
  readonly #pubSub: RedisPubSub;
  readonly #logger: Logger;
  readonly #local = new KeyedMutex();
  #nodes: NodeRegistry | undefined;

  constructor(url: string, keyPrefix: string, logger: Logger) {
    this.#logger = logger;
    this.#redis = new RedisConnection(url, logger);
    this.keys = new Keys(keyPrefix);
    this.rooms = new RedisRoomStore(this.#redis, this.keys);
    this.calls = new RedisCallStore(this.#redis, this.keys);
    this.deadlines = new RedisDeadlines(this.#redis, this.keys, logger);
    this.#pubSub = redisPubSub(url, this.keys.adapter(), logger);
  }

  get adapter(): RedisPubSub['adapter'] {
    return this.#pubSub.adapter;
  }

  withRoom<T>(roomId: string, task: () => Promise<T>): Promise<T> {
    return this.#local.run(roomId, () => withRedisLock(this.#redis, this.keys.roomLock(roomId), task));
  }

  async connect(timeoutMs: number, events: ClusterEvents): Promise<void> {
    this.#nodes = new NodeRegistry(this.#redis, this.keys, this.#logger, events);
    await Promise.all([this.#redis.connect(timeoutMs), this.#pubSub.connect(timeoutMs)]);
    this.#nodes.start();
    await this.#nodes.beat();
  }

  addSocket(client: Client): Promise<void> {
    return this.#nodes?.addSocket(client) ?? Promise.resolve();
  }

  removeSocket(socketId: string): Promise<void> {
    return this.#nodes?.removeSocket(socketId) ?? Promise.resolve();
  }

  readiness(): Readiness {
    return this.#redis.readiness();
  }

  async close(): Promise<void> {
    this.deadlines.stop();
    this.#nodes?.stop();
    await this.#nodes?.leave();
    await this.#redis.close();
    this.#pubSub.close();
  }
}
