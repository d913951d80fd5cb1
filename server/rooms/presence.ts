import type { Outbox } from '../outbox.js';
import { MemberStatus, type RoomId, type RoomMember, type UserId } from '../protocol.js';
import type { RoomRegistry } from './room-registry.js';

/** Turns room membership plus call engagement into `room-members` lists, and broadcasts them. */
export class Presence {
  constructor(
    private readonly rooms: RoomRegistry,
    private readonly isEngaged: (userId: UserId) => boolean,
    private readonly outbox: Outbox,
  ) {}

  members(roomId: RoomId): RoomMember[] {
    return this.rooms.members(roomId).map(({ userId, userName }) => ({
      userId,
      userName,
      status: this.isEngaged(userId) ? MemberStatus.InCall : MemberStatus.Available,
    }));
  }

  broadcast(roomId: RoomId): void {
    this.outbox.broadcast(roomId, 'room-members', { roomId, members: this.members(roomId) });
  }

  /** The status of these users may have changed: refresh every room they are in. */
  usersChanged(userIds: Iterable<UserId>): void {
    const roomIds = new Set<RoomId>();
    for (const userId of userIds) for (const roomId of this.rooms.roomsOf(userId)) roomIds.add(roomId);
    for (const roomId of roomIds) this.broadcast(roomId);
  }
}
