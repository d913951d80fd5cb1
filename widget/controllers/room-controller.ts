import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallLifecycleEvent } from '../engine/call-lifecycle.js';
import type { Lease } from '../engine/ref-counted-registry.js';
import { acquireRoomSession, sessionSettings, type RoomConfig } from '../engine/room-registry.js';
import type { RoomSession } from '../engine/room-session.js';
import type { RingletError } from '../engine/ringlet-error.js';
import { normalizeServer } from '../engine/signaling-registry.js';

export interface RoomControllerHandlers {
  lifecycle(event: CallLifecycleEvent): void;
  error(error: RingletError, callId: string | null): void;
}

/**
 * Connects a `<video-call-button>` to the page's shared {@link RoomSession} for its server, user
 * and room: acquires it while the element is in the document, re-renders the element on every
 * change and hands lifecycle events back to it. The element itself holds no call logic.
 */
export class RoomController implements ReactiveController {
  #lease: Lease<RoomSession> | null = null;
  #leaseKey: string | null = null;
  readonly #subscriptions: (() => void)[] = [];
  #releaseTimer: ReturnType<typeof setTimeout> | undefined;
  #connected = false;
  readonly #host: ReactiveControllerHost;
  readonly #config: () => RoomConfig | null;
  readonly #handlers: RoomControllerHandlers;

  constructor(
    host: ReactiveControllerHost,
    /** The element's current configuration, or `null` while `room` or `user-id` is missing. */
    config: () => RoomConfig | null,
    handlers: RoomControllerHandlers,
  ) {
    this.#host = host;
    this.#config = config;
    this.#handlers = handlers;
    host.addController(this);
  }

  get session(): RoomSession | null {
    return this.#lease?.value ?? null;
  }

  hostConnected(): void {
    this.#connected = true;
    clearTimeout(this.#releaseTimer);
    this.sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    // Released a task later: an element moved within the page keeps its session (and its call).
    this.#releaseTimer = setTimeout(() => this.#release(), 0);
  }

  /** Follows the element's configuration: call it before each render (from `willUpdate`). */
  sync(): void {
    if (!this.#connected) return;
    const config = this.#config();
    const key = config ? `${normalizeServer(config.server)}\n${config.userId}\n${config.roomId}` : null;
    if (key !== this.#leaseKey) {
      this.#release();
      if (config && key) this.#acquire(config, key);
    } else if (config && this.#lease) {
      this.#lease.value.signaling.setCredentials({
        userName: config.userName,
        token: config.token,
        tokenProvider: config.tokenProvider,
      });
      this.#lease.value.configure(sessionSettings(config));
    }
  }

  #acquire(config: RoomConfig, key: string): void {
    const lease = acquireRoomSession(config);
    this.#lease = lease;
    this.#leaseKey = key;
    const session = lease.value;
    this.#subscriptions.push(
      session.events.on('change', () => this.#host.requestUpdate()),
      session.events.on('lifecycle', (event) => this.#handlers.lifecycle(event)),
      session.events.on('error', ({ error, callId }) => this.#handlers.error(error, callId)),
    );
    this.#host.requestUpdate();
  }

  #release(): void {
    clearTimeout(this.#releaseTimer);
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe();
    this.#lease?.release();
    this.#lease = null;
    this.#leaseKey = null;
  }
}
