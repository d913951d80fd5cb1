import type { Logger } from 'pino';
import { deadlineKey, parseDeadlineKey, type Deadline, type DeadlineStore } from '../store.js';
import type { RedisConnection } from './connection.js';
import type { Keys } from './keys.js';

/** How often each node looks for due deadlines: the precision of ring timeouts and grace periods. */
const POLL_INTERVAL_MS = 100;
const BATCH = 50;

/**
 * Deadlines in one sorted set scored by due time. Every node polls it; whoever removes a due entry first
 * acts on it, so a timeout still fires when the node that set it has died.
 */
export class RedisDeadlines implements DeadlineStore {
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: Keys,
    private readonly logger: Logger,
  ) {}

  set(deadline: Deadline, inMs: number) {
    return this.redis.run(async (redis) => {
      await redis.zadd(this.keys.deadlines(), Date.now() + inMs, deadlineKey(deadline));
    });
  }

  clear(deadline: Deadline) {
    return this.redis.run(async (redis) => {
      await redis.zrem(this.keys.deadlines(), deadlineKey(deadline));
    });
  }

  start(onDue: (deadline: Deadline) => Promise<void>): void {
    this.#timer = setInterval(() => void this.#poll(onDue), POLL_INTERVAL_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #poll(onDue: (deadline: Deadline) => Promise<void>): Promise<void> {
    if (this.#polling || !this.redis.ready) return;
    this.#polling = true;
    try {
      const key = this.keys.deadlines();
      const due = await this.redis.run((redis) =>
        redis.zrangebyscore(key, '-inf', Date.now(), 'LIMIT', 0, BATCH),
      );
      for (const member of due) {
        const claimed = await this.redis.run((redis) => redis.zrem(key, member));
        const deadline = claimed === 1 ? parseDeadlineKey(member) : undefined;
        if (deadline) await onDue(deadline);
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'deadline poll failed; retrying');
    } finally {
      this.#polling = false;
    }
  }
}
