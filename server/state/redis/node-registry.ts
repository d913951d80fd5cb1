import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Client } from '../../calls/call.js';
import type { RedisConnection } from './connection.js';
import type { Keys } from './keys.js';

/** Each node renews its heartbeat this often… */
const HEARTBEAT_INTERVAL_MS = 1_000;
/** …and counts as dead once it has not for this long. */
const NODE_TTL_MS = 5_000;
/** One node at a time tidies up after a dead one; this bounds how long a crashed sweeper blocks that. */
const SWEEP_CLAIM_MS = 30_000;

export interface NodeEvents {
  /** The sockets of a node that died: the call rules treat them as disconnected. */
  orphans(clients: Client[]): Promise<void>;
  /** Redis came back without our data (restarted empty): this node's clients must start over. */
  stateLost(): void;
}

/**
 * The nodes of the cluster, each with a heartbeat key and the list of its sockets. Every node watches the
 * others: the sockets of one whose heartbeat lapsed are handed to `orphans` once, by one node. An epoch key
 * tells a Redis that lost its data from one that was merely unreachable.
 */
export class NodeRegistry {
  readonly id = randomUUID();
  #epoch: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #beating = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: Keys,
    private readonly logger: Logger,
    private readonly events: NodeEvents,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.#timer.unref();
    this.redis.onReady(() => void this.beat());
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  addSocket(client: Client): Promise<void> {
    return this.redis.run(async (redis) => {
      await redis.hset(this.keys.nodeSockets(this.id), client.id, JSON.stringify(client));
    });
  }

  removeSocket(socketId: string): Promise<void> {
    return this.redis.run(async (redis) => {
      await redis.hdel(this.keys.nodeSockets(this.id), socketId);
    });
  }

  /** Leaves the cluster on a graceful stop (its sockets have disconnected by then). */
  async leave(): Promise<void> {
    await this.redis
      .run((redis) =>
        redis
          .multi()
          .srem(this.keys.nodes(), this.id)
          .del(this.keys.node(this.id), this.keys.nodeSockets(this.id))
          .exec(),
      )
      .catch(() => undefined);
  }

  /** Renews this node's heartbeat, notices lost state, and tidies up after dead nodes. */
  async beat(): Promise<void> {
    if (this.#beating || !this.redis.ready) return;
    this.#beating = true;
    try {
      await this.#checkEpoch();
      await this.redis.run((redis) =>
        redis
          .multi()
          .set(this.keys.node(this.id), String(Date.now()), 'PX', NODE_TTL_MS)
          .sadd(this.keys.nodes(), this.id)
          .exec(),
      );
      // After an outage every heartbeat may have lapsed: give the live nodes time to renew theirs first.
      if (this.redis.readyFor() >= NODE_TTL_MS) await this.#sweep();
    } catch (error) {
      this.logger.debug({ err: error }, 'heartbeat failed; retrying');
    } finally {
      this.#beating = false;
    }
  }

  async #checkEpoch(): Promise<void> {
    const key = this.keys.epoch();
    const epoch = await this.redis.run(async (redis) => {
      await redis.set(key, randomUUID(), 'NX');
      return redis.get(key);
    });
    if (epoch === null) return;
    const lost = this.#epoch !== undefined && this.#epoch !== epoch;
    this.#epoch = epoch;
    if (lost) {
      this.logger.warn('Redis lost the shared state; asking this node’s clients to reconnect');
      this.events.stateLost();
    }
  }

  async #sweep(): Promise<void> {
    const nodes = await this.redis.run((redis) => redis.smembers(this.keys.nodes()));
    for (const nodeId of nodes) {
      if (nodeId === this.id) continue;
      const alive = await this.redis.run((redis) => redis.exists(this.keys.node(nodeId)));
      if (alive === 1) continue;
      const claimed = await this.redis.run((redis) =>
        redis.set(this.keys.sweep(nodeId), this.id, 'PX', SWEEP_CLAIM_MS, 'NX'),
      );
      if (claimed !== 'OK') continue;
      const sockets = await this.redis.run((redis) => redis.hgetall(this.keys.nodeSockets(nodeId)));
      const clients = Object.values(sockets).map((raw) => JSON.parse(raw) as Client);
      this.logger.warn({ nodeId, sockets: clients.length }, 'a node stopped answering: ending its part');
      await this.events.orphans(clients);
      await this.redis.run((redis) =>
        redis.multi().srem(this.keys.nodes(), nodeId).del(this.keys.nodeSockets(nodeId)).exec(),
      );
    }
  }
}
