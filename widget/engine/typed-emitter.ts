/** Listener for one event of an {@link TypedEmitter}. */
export type Listener<T> = (payload: T) => void;

/**
 * A tiny typed event emitter for the engine (engine events are not DOM events).
 * `Events` maps each event name to its payload type.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Subscribes and returns the matching unsubscribe function. */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    const set = this.#listeners.get(type);
    if (!set) return;
    // Copy so that a listener may unsubscribe (or subscribe) while we iterate.
    for (const listener of [...set] as Listener<Events[K]>[]) listener(payload);
  }

  /** Drops every listener: part of each owner's single cleanup path. */
  clear(): void {
    this.#listeners.clear();
  }
}
