/* eslint-disable @typescript-eslint/require-await -- an async interface, answered from memory */
import type { RoomId, UserId } from '../protocol.js';
import type { MemberEntry, RoomStore } from './store.js';

interface RoomMemberEntry {
  userName: string;
  sockets: Set<string>;
}

/** Room membership in this process's memory (one node). */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<RoomId, Map<UserId, RoomMemberEntry>>();
  readonly #roomsByUser = new Map<UserId, Set<RoomId>>();

  async add(
    roomId: RoomId,
    { userId, userName }: MemberEntry,
    socketId: string,
    maxMembers: number,
  ): Promise<'added' | 'full'> {
    let room = this.#rooms.get(roomId);
    const member = room?.get(userId);
    if (member) {
      // The latest name a user joined with is the one shown.
      member.userName = userName;
      member.sockets.add(socketId);
      return 'added';
    }
    if ((room?.size ?? 0) >= maxMembers) return 'full';
    if (!room) this.#rooms.set(roomId, (room = new Map<UserId, RoomMemberEntry>()));
    room.set(userId, { userName, sockets: new Set([socketId]) });
    let rooms = this.#roomsByUser.get(userId);
    if (!rooms) this.#roomsByUser.set(userId, (rooms = new Set<RoomId>()));
    rooms.add(roomId);
    return 'added';
  }

  async remove(roomId: RoomId, userId: UserId, socketId: string): Promise<boolean> {
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

  async has(roomId: RoomId, userId: UserId): Promise<boolean> {
    return this.#rooms.get(roomId)?.has(userId) ?? false;
  }

  async hasSocket(roomId: RoomId, userId: UserId, socketId: string): Promise<boolean> {
    return this.#rooms.get(roomId)?.get(userId)?.sockets.has(socketId) ?? false;
  }

  async members(roomId: RoomId): Promise<MemberEntry[]> {
    return [...(this.#rooms.get(roomId) ?? [])].map(([userId, { userName }]) => ({ userId, userName }));
  }

  async userName(roomId: RoomId, userId: UserId): Promise<string | undefined> {
    return this.#rooms.get(roomId)?.get(userId)?.userName;
  }

  async socketsOf(roomId: RoomId, userId: UserId): Promise<string[]> {
    return [...(this.#rooms.get(roomId)?.get(userId)?.sockets ?? [])];
  }

  async roomsOf(userId: UserId): Promise<RoomId[]> {
    return [...(this.#roomsByUser.get(userId) ?? [])];
  }

  async roomCount(): Promise<number> {
    return this.#rooms.size;
  }
}
