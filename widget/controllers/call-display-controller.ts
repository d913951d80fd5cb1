import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Call } from '../engine/call.js';
import { callHub, roomKey } from '../engine/call-hub.js';
import { normalizeServer } from '../engine/signaling-registry.js';

export interface DisplayTarget {
  server: string;
  roomId: string;
}

/**
 * Connects a `<video-call-window>` to the calls of its room and server: registers the element as a
 * display while it is in the document, follows the call the room publishes, and re-renders the element
 * on every change of that call.
 */
export class CallDisplayController implements ReactiveController {
  call: Call | null = null;
  #key: string | null = null;
  #unregister: (() => void) | null = null;
  #unsubscribeHub: (() => void) | null = null;
  #unsubscribeCall: (() => void)[] = [];
  readonly #host: ReactiveControllerHost;
  readonly #target: () => DisplayTarget | null;
  readonly #onRemoteTracks: () => void;

  constructor(
    host: ReactiveControllerHost,
    target: () => DisplayTarget | null,
    /** Called when the other side's tracks change, to re-attach the stream to the video element. */
    onRemoteTracks: () => void,
  ) {
    this.#host = host;
    this.#target = target;
    this.#onRemoteTracks = onRemoteTracks;
    host.addController(this);
  }

  hostConnected(): void {
    this.#unsubscribeHub = callHub.events.on('change', (key) => {
      if (key === this.#key) this.#follow();
    });
    this.sync();
  }

  hostDisconnected(): void {
    this.#unsubscribeHub?.();
    this.#unsubscribeHub = null;
    this.#register(null);
    this.#setCall(null);
  }

  /** Follows the element's room and server: call it before each render (from `willUpdate`). */
  sync(): void {
    if (!this.#unsubscribeHub) return;
    const target = this.#target();
    const key = target ? roomKey(normalizeServer(target.server), target.roomId) : null;
    if (key !== this.#key) this.#register(key);
  }

  #register(key: string | null): void {
    this.#unregister?.();
    this.#unregister = null;
    this.#key = key;
    if (key) this.#unregister = callHub.registerDisplay(key, this);
    this.#follow();
  }

  #follow(): void {
    const key = this.#key;
    const call = key && callHub.isPrimaryDisplay(key, this) ? callHub.current(key) : null;
    this.#setCall(call);
  }

  #setCall(call: Call | null): void {
    if (call === this.call) return;
    for (const unsubscribe of this.#unsubscribeCall.splice(0)) unsubscribe();
    this.call = call;
    if (call) {
      this.#unsubscribeCall.push(
        call.events.on('change', () => this.#host.requestUpdate()),
        call.events.on('remote-tracks', () => this.#onRemoteTracks()),
      );
    }
    this.#host.requestUpdate();
  }
}
