interface Entry<V> {
  value: V;
  refs: number;
}

/** A handle on a shared value; `release()` gives the reference back (idempotent). */
export interface Lease<V> {
  readonly value: V;
  release(): void;
}

/**
 * Shares one value per key among every element of the page: the first `acquire` creates it,
 * the last `release` disposes of it.
 */
export class RefCountedRegistry<V> {
  readonly #entries = new Map<string, Entry<V>>();

  readonly #dispose: (value: V) => void;

  constructor(dispose: (value: V) => void) {
    this.#dispose = dispose;
  }

  /** Takes a reference on the value for `key`, calling `create` when there is none yet. */
  acquire(key: string, create: () => V): Lease<V> {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { value: create(), refs: 0 };
      this.#entries.set(key, entry);
    }
    entry.refs += 1;
    const held = entry;
    let released = false;
    return {
      value: held.value,
      release: () => {
        if (released) return;
        released = true;
        held.refs -= 1;
        if (held.refs > 0 || this.#entries.get(key) !== held) return;
        this.#entries.delete(key);
        this.#dispose(held.value);
      },
    };
  }
}
