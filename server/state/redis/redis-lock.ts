import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError } from '../store.js';
import type { RedisConnection } from './connection.js';

/** Longer than any change takes; bounds how long a node that died holding the lock blocks the room. */
const LOCK_TTL_MS = 5_000;
/** A change waits this long for a room another node is changing before it gives up. */
const ACQUIRE_TIMEOUT_MS = 3_000;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** A cluster-wide mutual exclusion per key: `SET NX PX` to take, compare-and-delete to give back. */
export async function withRedisLock<T>(
  redis: RedisConnection,
  key: string,
  task: () => Promise<T>,
): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
  for (let attempt = 0; ; attempt += 1) {
    const taken = await redis.run((client) => client.set(key, token, 'PX', LOCK_TTL_MS, 'NX'));
    if (taken === 'OK') break;
    if (Date.now() > deadline)
      throw new StoreUnavailableError('The service is busy with this room; try again');
    await sleep(Math.min(2 ** attempt, 20));
  }
  try {
    return await task();
  } finally {
    await redis.run((client) => client.eval(RELEASE, 1, key, token)).catch(() => undefined);
  }
}
