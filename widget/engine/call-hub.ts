import type { Call } from './call.js';
import { TypedEmitter } from './typed-emitter.js';

/** Names a room on a service, for matching a call with the page's `<video-call-window>`. */
export function roomKey(server: string, roomId: string): string {
  return `${server}\n${roomId}`;
}

/**
 * Where rooms publish their accepted calls and call displays (the windows) find them,
 * so a call placed from a button shows in the window of the same room and server.
 */
export class CallHub {
  readonly events = new TypedEmitter<{ change: string }>();
  readonly #calls = new Map<string, Call>();
  readonly #displays = new Map<string, object[]>();

  publish(key: string, call: Call): void {
    this.#calls.set(key, call);
    this.events.emit('change', key);
  }

  withdraw(key: string, call: Call): void {
    if (this.#calls.get(key) !== call) return;
    this.#calls.delete(key);
    this.events.emit('change', key);
  }

  current(key: string): Call | null {
    return this.#calls.get(key) ?? null;
  }

  /**
   * Registers a display for a room; the first registered one shows its calls.
   * Returns the function that unregisters it.
   */
  registerDisplay(key: string, display: object): () => void {
    const list = this.#displays.get(key) ?? [];
    list.push(display);
    this.#displays.set(key, list);
    this.events.emit('change', key);
    return () => {
      const remaining = (this.#displays.get(key) ?? []).filter((d) => d !== display);
      if (remaining.length > 0) this.#displays.set(key, remaining);
      else this.#displays.delete(key);
      this.events.emit('change', key);
    };
  }

  hasDisplay(key: string): boolean {
    return this.#displays.has(key);
  }

  isPrimaryDisplay(key: string, display: object): boolean {
    return this.#displays.get(key)?.[0] === display;
  }
}

/** The page's one hub. */
export const callHub = new CallHub();
