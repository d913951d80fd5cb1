import type { Outbox } from '../outbox.js';
import { MemberStatus, type RoomId, type RoomMember, type UserId } from '../protocol.js';
import type { StateStore } from '../state/store.js';

/** Turns room membership plus call engagement into `room-members` lists, and broadcasts them. */
export class Presence {
  constructor(
    private readonly store: StateStore,
    private readonly outbox: Outbox,
  ) {}

  async members(roomId: RoomId): Promise<RoomMember[]> {
    const members = await this.store.rooms.members(roomId);
    const engaged = await this.store.calls.engaged(members.map((member) => member.userId));
    return members.map(({ userId, userName }) => ({
      userId,
      userName,
      status: engaged.has(userId) ? MemberStatus.InCall : MemberStatus.Available,
    }));
  }

  async broadcast(roomId: RoomId): Promise<void> {
    this.outbox.broadcast(roomId, 'room-members', { roomId, members: await this.members(roomId) });
  }

  /** The status of these users may have changed: refresh every room they are in. */
  async usersChanged(userIds: Iterable<UserId>): Promise<void> {
    const roomIds = new Set<RoomId>();
    for (const userId of userIds)
      for (const roomId of await this.store.rooms.roomsOf(userId)) roomIds.add(roomId);
    for (const roomId of roomIds) await this.broadcast(roomId);
  }
}
