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

/** What to do with one inbound event. */
export type EventVerdict = 'allow' | 'refuse' | 'disconnect';

/**
 * Abuse limits in this process's memory: a flood gets error acks first, then, once it sends twice its
 * allowance within the window, a disconnect. Everyone else keeps their own budget.
 */
export class Limits {
  readonly #events: RateLimiterMemory;
  readonly #connections: RateLimiterMemory;
  readonly #handshakes: RateLimiterMemory;
  readonly #socketsByUser = new Map<UserId, number>();

  constructor(private readonly options: LimitOptions) {
    this.#events = new RateLimiterMemory({
      keyPrefix: 'events',
      points: options.maxEventsPerSecond,
      duration: 1,
    });
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

  async admitEvent(socketId: string): Promise<EventVerdict> {
    const outcome = await consume(this.#events, socketId);
    if (outcome === true) return 'allow';
    return outcome.consumedPoints > 2 * this.options.maxEventsPerSecond ? 'disconnect' : 'refuse';
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

  forgetSocket(socketId: string): void {
    void this.#events.delete(socketId);
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
