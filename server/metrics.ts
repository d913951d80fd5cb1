import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ErrorCode } from './protocol.js';

/** How a ringing call ended up. */
export type RingOutcome = 'accepted' | 'declined' | 'busy' | 'timeout' | 'unavailable' | 'cancelled';

/** What the call logic and handlers report; a no-op when metrics are off. */
export interface MetricsSink {
  ringOutcome(outcome: RingOutcome): void;
  relayed(event: string, recipients: number): void;
  errorAck(code: ErrorCode): void;
}

export const NO_METRICS: MetricsSink = {
  ringOutcome: () => undefined,
  relayed: () => undefined,
  errorAck: () => undefined,
};

export interface LiveCounts {
  connections(): number;
  /** Whether the state store can be used (always, in memory; with Redis, while it is reachable). */
  storeReady(): boolean;
  rooms(): Promise<number>;
  calls(): Promise<{ ringing: number; active: number }>;
}

/**
 * Prometheus metrics for one service instance, in a registry of its own (several instances may share a
 * process, as in tests). Includes Node's defaults, event-loop lag among them.
 */
export class PrometheusMetrics implements MetricsSink {
  readonly registry = new Registry();
  readonly #ringOutcomes: Counter<'outcome'>;
  readonly #relayed: Counter<'event'>;
  readonly #errorAcks: Counter<'code'>;

  constructor(live: LiveCounts) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'ringlet_' });
    new Gauge({
      name: 'ringlet_connected_clients',
      help: 'Socket.IO connections open now',
      registers,
      collect() {
        this.set(live.connections());
      },
    });
    new Gauge({
      name: 'ringlet_state_store_ready',
      help: '1 while the state store can be used (with REDIS_URL: while Redis is reachable), else 0',
      registers,
      collect() {
        this.set(live.storeReady() ? 1 : 0);
      },
    });
    // Rooms and calls count the whole cluster, read from the store: while it cannot be reached, the last
    // values stand, so that the node's own metrics are still served.
    new Gauge({
      name: 'ringlet_rooms',
      help: 'Rooms with at least one member',
      registers,
      async collect() {
        const rooms = await live.rooms().catch(() => undefined);
        if (rooms !== undefined) this.set(rooms);
      },
    });
    new Gauge({
      name: 'ringlet_calls',
      help: 'Calls by state',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const calls = await live.calls().catch(() => undefined);
        if (!calls) return;
        this.set({ state: 'ringing' }, calls.ringing);
        this.set({ state: 'active' }, calls.active);
      },
    });
    this.#ringOutcomes = new Counter({
      name: 'ringlet_ring_outcomes_total',
      help: 'How ringing calls ended: accepted, declined, busy, timeout, unavailable or cancelled',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.#relayed = new Counter({
      name: 'ringlet_relayed_messages_total',
      help: 'Signaling messages relayed to call participants, by event',
      labelNames: ['event'] as const,
      registers,
    });
    this.#errorAcks = new Counter({
      name: 'ringlet_error_acks_total',
      help: 'Requests refused with an error ack, by error code',
      labelNames: ['code'] as const,
      registers,
    });
  }

  ringOutcome(outcome: RingOutcome): void {
    this.#ringOutcomes.inc({ outcome });
  }

  relayed(event: string, recipients: number): void {
    if (recipients > 0) this.#relayed.inc({ event }, recipients);
  }

  errorAck(code: ErrorCode): void {
    this.#errorAcks.inc({ code });
  }
}
