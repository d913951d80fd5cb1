import type { Outbox } from '../outbox.js';
import type { ServerToClientEvents, UserId } from '../protocol.js';

/**
 * What one change to the calls will tell clients, held back until the change is stored: a client that
 * hears of it (on any node) and answers at once must find the stored state already changed.
 */
export class Effects {
  readonly #sends: (() => void)[] = [];
  /** Users whose presence status may have changed. */
  readonly changed = new Set<UserId>();

  constructor(private readonly outbox: Outbox) {}

  send<E extends keyof ServerToClientEvents>(
    socketIds: string | string[],
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    this.#sends.push(() => this.outbox.send(socketIds, event, ...args));
  }

  statusChanged(userIds: Iterable<UserId>): void {
    for (const userId of userIds) this.changed.add(userId);
  }

  /** Sends everything held back, in order. */
  flush(): void {
    for (const send of this.#sends.splice(0)) send();
  }
}
