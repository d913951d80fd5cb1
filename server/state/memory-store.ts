/* eslint-disable @typescript-eslint/require-await -- an async interface, answered from memory */
import { KeyedMutex } from './keyed-mutex.js';
import { MemoryCallStore } from './memory-calls.js';
import { MemoryRoomStore } from './memory-rooms.js';
import { deadlineKey, type Deadline, type DeadlineStore, type Readiness, type StateStore } from './store.js';

/** Deadlines as timers of this process. */
class TimerDeadlines implements DeadlineStore {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #onDue: ((deadline: Deadline) => Promise<void>) | undefined;

  async set(deadline: Deadline, inMs: number): Promise<void> {
    const key = deadlineKey(deadline);
    clearTimeout(this.#timers.get(key));
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        void this.#onDue?.(deadline);
      }, inMs),
    );
  }

  async clear(deadline: Deadline): Promise<void> {
    const key = deadlineKey(deadline);
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
  }

  start(onDue: (deadline: Deadline) => Promise<void>): void {
    this.#onDue = onDue;
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** The default: one process, everything in memory. */
export class MemoryStateStore implements StateStore {
  readonly rooms = new MemoryRoomStore();
  readonly calls = new MemoryCallStore();
  readonly deadlines = new TimerDeadlines();
  readonly #mutex = new KeyedMutex();

  withRoom<T>(roomId: string, task: () => Promise<T>): Promise<T> {
    return this.#mutex.run(roomId, task);
  }

  async connect(): Promise<void> {}

  async addSocket(): Promise<void> {}

  async removeSocket(): Promise<void> {}

  readiness(): Readiness {
    return { ready: true };
  }

  async close(): Promise<void> {
    this.deadlines.stop();
  }
}
