import type { CallService, Departure } from '../calls/call-service.js';
import type { Client } from '../calls/call.js';
import type { RoomId } from '../protocol.js';
import type { StateStore } from '../state/store.js';
import type { Presence } from './presence.js';

/**
 * Joining and leaving rooms. Leaving also leaves the room's calls, under the same lock, so that no call
 * rings a socket that is no longer in the room.
 */
export class Membership {
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
      await this.calls.departRoom(client, roomId, departure);
      await this.store.rooms.remove(roomId, client.userId, client.id);
    });
    await this.presence.broadcast(roomId);
  }

  /** The socket is gone: it leaves its rooms, then whatever call it still had a part in. */
  async disconnected(client: Client, roomIds: Iterable<RoomId>): Promise<void> {
    for (const roomId of roomIds) await this.leave(client, roomId, 'disconnected');
    await this.calls.disconnected(client);
  }
}
