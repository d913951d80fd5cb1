import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { StoreUnavailableError, type Readiness } from '../store.js';

/** A command answered within this or not at all: requests must fail fast while Redis struggles. */
const COMMAND_TIMEOUT_MS = 2_000;
/** Reconnect attempts back off up to this, so a Redis that is back is used again within seconds. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/** The URL without its password, for logs and `/readyz`. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an invalid REDIS_URL';
  }
}

export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    // Without a queue, a command sent while disconnected fails at once instead of waiting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    lazyConnect: true,
    ...extra,
  };
}

/** Connects the clients (lazy ones); resolves once they are ready or after `timeoutMs`, never rejects. */
export async function connectWithin(timeoutMs: number, ...clients: Redis[]): Promise<void> {
  const connected = Promise.all(clients.map((client) => client.connect())).catch(() => undefined);
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}

/**
 * The store's Redis connection: tracks whether it is usable, turns every Redis failure into a
 * {@link StoreUnavailableError}, and logs each change of state once.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #where: string;
  #lastError = 'not connected yet';
  #readySince: number | undefined;
  #closing = false;
  readonly #onReady: (() => void)[] = [];

  constructor(url: string, logger: Logger) {
    this.#where = redactedUrl(url);
    this.client = new Redis(url, redisOptions());
    this.client.on('ready', () => {
      this.#readySince = Date.now();
      logger.info({ redis: this.#where }, 'Redis connected');
      for (const listener of this.#onReady) listener();
    });
    this.client.on('error', (error: Error) => {
      if (error.message !== this.#lastError) logger.warn({ redis: this.#where, err: error }, 'Redis error');
      this.#lastError = error.message;
    });
    this.client.on('close', () => {
      if (this.#readySince !== undefined && !this.#closing)
        logger.warn({ redis: this.#where }, 'Redis connection lost');
      this.#readySince = undefined;
    });
  }

  /** Connects; resolves once ready or after `timeoutMs` (the service starts either way, not ready). */
  connect(timeoutMs: number): Promise<void> {
    return connectWithin(timeoutMs, this.client);
  }

  onReady(listener: () => void): void {
    this.#onReady.push(listener);
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** How long the connection has been usable without a break, in ms (0 while it is not). */
  readyFor(): number {
    return this.ready && this.#readySince !== undefined ? Date.now() - this.#readySince : 0;
  }

  readiness(): Readiness {
    return this.ready
      ? { ready: true }
      : { ready: false, reason: `Redis unreachable at ${this.#where}: ${this.#lastError}` };
  }

  /** Runs Redis commands; any failure becomes a {@link StoreUnavailableError}. */
  async run<T>(commands: (redis: Redis) => Promise<T>): Promise<T> {
    if (!this.ready) throw new StoreUnavailableError();
    try {
      return await commands(this.client);
    } catch (error) {
      this.#lastError = (error as Error).message;
      throw new StoreUnavailableError();
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.client.disconnect();
    await Promise.resolve();
  }
}
