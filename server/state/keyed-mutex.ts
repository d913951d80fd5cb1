import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs tasks one at a time per key, in the order they were queued, within this process. A task may run
 * another one for a key it already holds: that one runs at once (re-entry), instead of waiting for itself.
 * Keys with nothing queued take no memory.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #held = new AsyncLocalStorage<ReadonlySet<string>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const held = this.#held.getStore();
    if (held?.has(key)) return task();
    const holding = new Set(held).add(key);
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(() => this.#held.run(holding, task));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** True when the running task holds `key`. */
  holds(key: string): boolean {
    return this.#held.getStore()?.has(key) ?? false;
  }
}
