import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { UserId } from './protocol.js';

export interface LimitOptions {
  /** Events one connection may send per second. */
  maxEventsPerSecond: number;
  /** New connections one address may open per minute. */
  maxConnectionsPerMinutePerIp: number;
  /** Connections one user may hold at once (tabs and devices). */
  maxSocketsPerUser: number;
}

/** Bare Engine.IO handshakes per address and minute, as a multiple of the connection budget. */
export const HANDSHAKE_BUDGET_FACTOR = 4;

const EVENT_WINDOW_MS = 1_000;

/** What to do with one inbound event. */
export type EventVerdict = 'allow' | 'refuse' | 'disconnect';

/** One connection's spending in its current one-second window, kept with the connection (both start at 0). */
export interface EventBudget {
  /** Events counted since the window opened. */
  eventsSpent: number;
  /** When the window closes (`Date.now()` time); the next event opens a new one. */
  eventsResetAt: number;
}

/**
 * Abuse limits in this process's memory: a flood gets error acks first, then, once it sends twice its
 * allowance within the window, a disconnect. Everyone else keeps their own budget.
 */
export class Limits {
  readonly #connections: RateLimiterMemory;
  readonly #handshakes: RateLimiterMemory;
  readonly #socketsByUser = new Map<UserId, number>();

  constructor(private readonly options: LimitOptions) {
    this.#connections = new RateLimiterMemory({
      keyPrefix: 'connections',
      points: options.maxConnectionsPerMinutePerIp,
      duration: 60,
    });
    // Every Engine.IO handshake, including those that never become Socket.IO connections: a coarser
    // budget, so a client that retries after `rate-limited` still meets that clearer refusal first.
    this.#handshakes = new RateLimiterMemory({
      keyPrefix: 'handshakes',
      points: HANDSHAKE_BUDGET_FACTOR * options.maxConnectionsPerMinutePerIp,
      duration: 60,
    });
  }

  async admitHandshake(address: string): Promise<boolean> {
    return (await consume(this.#handshakes, address)) === true;
  }

  /**
   * Spends one event from a connection's budget: a fixed one-second window opened by its first event, as
   * rate-limiter-flexible counts, kept with the connection instead of in a keyed store with a timer per key,
   * and answered at once, so a refusal can be sent before anything queued.
   */
  admitEvent(budget: EventBudget, now = Date.now()): EventVerdict {
    if (now >= budget.eventsResetAt) {
      budget.eventsSpent = 0;
      budget.eventsResetAt = now + EVENT_WINDOW_MS;
    }
    const spent = (budget.eventsSpent += 1);
    const max = this.options.maxEventsPerSecond;
    if (spent <= max) return 'allow';
    return spent > 2 * max ? 'disconnect' : 'refuse';
  }

  async admitConnection(address: string): Promise<boolean> {
    return (await consume(this.#connections, address)) === true;
  }

  /** Counts a user's connection; false (and nothing counted) when they already hold the maximum. */
  claimUserSocket(userId: UserId): boolean {
    const count = this.#socketsByUser.get(userId) ?? 0;
    if (count >= this.options.maxSocketsPerUser) return false;
    this.#socketsByUser.set(userId, count + 1);
    return true;
  }

  releaseUserSocket(userId: UserId): void {
    const count = (this.#socketsByUser.get(userId) ?? 1) - 1;
    if (count > 0) this.#socketsByUser.set(userId, count);
    else this.#socketsByUser.delete(userId);
  }
}

/** `true` when within budget, else the limiter's verdict (it rejects with a RateLimiterRes, not an Error). */
async function consume(limiter: RateLimiterMemory, key: string): Promise<true | RateLimiterRes> {
  try {
    await limiter.consume(key);
    return true;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}
