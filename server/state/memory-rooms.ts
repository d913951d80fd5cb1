/* eslint-disable @typescript-eslint/require-await -- an async interface, answered from memory */
import type { RoomId, UserId } from '../protocol.js';
import type { MemberEntry, RoomStore } from './store.js';

interface RoomMemberEntry {
  userName: string;
  /** Usually one: arrays cost far less memory than sets for a handful of items. */
  sockets: string[];
}

/** Room membership in this process's memory (one node). */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<RoomId, Map<UserId, RoomMemberEntry>>();
  readonly #roomsByUser = new Map<UserId, RoomId[]>();

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
      if (!member.sockets.includes(socketId)) member.sockets.push(socketId);
      return 'added';
    }
    if ((room?.size ?? 0) >= maxMembers) return 'full';
    if (!room) this.#rooms.set(roomId, (room = new Map<UserId, RoomMemberEntry>()));
    room.set(userId, { userName, sockets: [socketId] });
    const rooms = this.#roomsByUser.get(userId);
    if (rooms) rooms.push(roomId);
    else this.#roomsByUser.set(userId, [roomId]);
    return 'added';
  }

  async remove(roomId: RoomId, userId: UserId, socketId: string): Promise<boolean> {
    const room = this.#rooms.get(roomId);
    const member = room?.get(userId);
    if (!room || !member || !removeItem(member.sockets, socketId)) return false;
    if (member.sockets.length > 0) return false;
    room.delete(userId);
    if (room.size === 0) this.#rooms.delete(roomId);
    const rooms = this.#roomsByUser.get(userId);
    if (rooms && removeItem(rooms, roomId) && rooms.length === 0) this.#roomsByUser.delete(userId);
    return true;
  }

  async has(roomId: RoomId, userId: UserId): Promise<boolean> {
    return this.#rooms.get(roomId)?.has(userId) ?? false;
  }

  async hasSocket(roomId: RoomId, userId: UserId, socketId: string): Promise<boolean> {
    return this.#rooms.get(roomId)?.get(userId)?.sockets.includes(socketId) ?? false;
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

/** Removes `item` from `list` in place; true if it was there. */
function removeItem<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index === -1) return false;
  list.splice(index, 1);
  return true;
}
