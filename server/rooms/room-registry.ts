import type { RoomId, UserId } from '../protocol.js';

interface RoomMemberEntry {
  userName: string;
  sockets: Set<string>;
}

/**
 * Who is in which room, in this process's memory. A user with several tabs is one member with several
 * sockets; the member leaves the room when their last socket does.
 */
export class RoomRegistry {
  readonly #rooms = new Map<RoomId, Map<UserId, RoomMemberEntry>>();
  readonly #roomsByUser = new Map<UserId, Set<RoomId>>();

  has(roomId: RoomId, userId: UserId): boolean {
    return this.#rooms.get(roomId)?.has(userId) ?? false;
  }

  hasSocket(roomId: RoomId, userId: UserId, socketId: string): boolean {
    return this.#rooms.get(roomId)?.get(userId)?.sockets.has(socketId) ?? false;
  }

  memberCount(roomId: RoomId): number {
    return this.#rooms.get(roomId)?.size ?? 0;
  }

  /** Adds the socket; the latest name a user joined with is the one shown. */
  add(roomId: RoomId, userId: UserId, userName: string, socketId: string): void {
    let room = this.#rooms.get(roomId);
    if (!room) this.#rooms.set(roomId, (room = new Map<UserId, RoomMemberEntry>()));
    const member = room.get(userId);
    if (member) {
      member.userName = userName;
      member.sockets.add(socketId);
    } else {
      room.set(userId, { userName, sockets: new Set([socketId]) });
    }
    let rooms = this.#roomsByUser.get(userId);
    if (!rooms) this.#roomsByUser.set(userId, (rooms = new Set<RoomId>()));
    rooms.add(roomId);
  }

  /** Removes the socket; returns true when that was the user's last socket in the room. */
  remove(roomId: RoomId, userId: UserId, socketId: string): boolean {
    const room = this.#rooms.get(roomId);
    const member = room?.get(userId);
    if (!room || !member?.sockets.delete(socketId)) return false;
    if (member.sockets.size > 0) return false;
    room.delete(userId);
    if (room.size === 0) this.#rooms.delete(roomId);
    const rooms = this.#roomsByUser.get(userId);
    rooms?.delete(roomId);
    if (rooms?.size === 0) this.#roomsByUser.delete(userId);
    return true;
  }

  /** Every member of the room with their display name, in join order. */
  members(roomId: RoomId): { userId: UserId; userName: string }[] {
    return [...(this.#rooms.get(roomId) ?? [])].map(([userId, { userName }]) => ({ userId, userName }));
  }

  userName(roomId: RoomId, userId: UserId): string | undefined {
    return this.#rooms.get(roomId)?.get(userId)?.userName;
  }

  /** The sockets through which `userId` is in `roomId`. */
  socketsOf(roomId: RoomId, userId: UserId): ReadonlySet<string> {
    return this.#rooms.get(roomId)?.get(userId)?.sockets ?? new Set();
  }

  roomsOf(userId: UserId): ReadonlySet<RoomId> {
    return this.#roomsByUser.get(userId) ?? new Set();
  }

  get roomCount(): number {
    return this.#rooms.size;
  }
}
