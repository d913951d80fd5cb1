import type { CallService, Departure } from '../calls/call-service.js';
import type { Client } from '../calls/call.js';
import type { RoomId } from '../protocol.js';
import { StoreUnavailableError, type StateStore } from '../state/store.js';
import type { Presence } from './presence.js';

/** How soon a departure that could not be stored is tried again. */
const RETRY_MS = 1_000;

/**
 * Joining and leaving rooms. Leaving also leaves the room's calls, under the same lock, so that no call
 * rings a socket that is no longer in the room.
 */
export class Membership {
  #closed = false;
  readonly #departing = new Set<Promise<void>>();

  constructor(
    private readonly store: StateStore,
    private readonly calls: CallService,
    private readonly presence: Presence,
  ) {}

  /** Adds the socket to the room unless the room is full. */
  join(client: Client, roomId: RoomId, maxMembers: number): Promise<'added' | 'full'> {
    return this.store.withRoom(roomId, () =>
      this.store.rooms.add(
        roomId,
        { userId: client.userId, userName: client.userName },
        client.id,
        maxMembers,
      ),
    );
  }

  async leave(client: Client, roomId: RoomId, departure: Departure): Promise<void> {
    await this.store.withRoom(roomId, async () => {
      await this.calls.departRoomLocked(client, roomId, departure);
      await this.store.rooms.remove(roomId, client.userId, client.id);
    });
    await this.presence.broadcast(roomId);
  }

  /**
   * The socket is gone: it leaves its rooms, then whatever call it still had a part in. While the store is
   * unreachable this is retried, so the others do not keep seeing a member who left.
   */
  disconnected(client: Client, roomIds: readonly RoomId[]): Promise<void> {
    const departing = this.#depart(client, roomIds).finally(() => this.#departing.delete(departing));
    this.#departing.add(departing);
    return departing;
  }

  /** A socket of a node that died: found in its rooms through the store, then treated as disconnected. */
  async orphaned(client: Client): Promise<void> {
    const roomIds: RoomId[] = [];
    for (const roomId of await this.store.rooms.roomsOf(client.userId)) {
      if (await this.store.rooms.hasSocket(roomId, client.userId, client.id)) roomIds.push(roomId);
    }
    await this.disconnected(client, roomIds);
  }

  /** Stops retrying and waits for the departures under way (service shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#departing]);
  }

  async #depart(client: Client, roomIds: readonly RoomId[]): Promise<void> {
    try {
      for (const roomId of roomIds) await this.leave(client, roomId, 'disconnected');
      await this.calls.disconnected(client);
      await this.store.removeSocket(client.id);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || this.#closed) throw error;
      setTimeout(() => void this.disconnected(client, roomIds).catch(() => undefined), RETRY_MS).unref();
    }
  }
}
