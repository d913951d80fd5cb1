import type { RoomId, UserId } from '../../protocol.js';
import type { MemberEntry, RoomStore } from '../store.js';
import type { RedisConnection } from './connection.js';
import type { Keys } from './keys.js';

/** One member of a room as stored in the room's hash, under the user id. */
interface StoredMember {
  userName: string;
  sockets: string[];
  /** When the user joined, for join order (hash order is not kept by Redis for large hashes). */
  since: number;
}

/**
 * Room membership in Redis: a hash per room (user id → name and sockets), a set of rooms per user, and a
 * set of all rooms. Changes run under the room's lock, so read-modify-write is safe.
 */
export class RedisRoomStore implements RoomStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: Keys,
  ) {}

  add(roomId: RoomId, { userId, userName }: MemberEntry, socketId: string, maxMembers: number) {
    return this.redis.run(async (redis): Promise<'added' | 'full'> => {
      const [[, raw], [, count]] = (await redis
        .multi()
        .hget(this.keys.room(roomId), userId)
        .hlen(this.keys.room(roomId))
        .exec()) as [[null, string | null], [null, number]];
      const member = parse(raw);
      if (!member && count >= maxMembers) return 'full';
      const stored: StoredMember = member
        ? { ...member, userName, sockets: [...new Set([...member.sockets, socketId])] }
        : { userName, sockets: [socketId], since: Date.now() };
      await redis
        .multi()
        .hset(this.keys.room(roomId), userId, JSON.stringify(stored))
        .sadd(this.keys.userRooms(userId), roomId)
        .sadd(this.keys.rooms(), roomId)
        .exec();
      return 'added';
    });
  }

  remove(roomId: RoomId, userId: UserId, socketId: string) {
    return this.redis.run(async (redis) => {
      const member = parse(await redis.hget(this.keys.room(roomId), userId));
      if (!member?.sockets.includes(socketId)) return false;
      const sockets = member.sockets.filter((id) => id !== socketId);
      if (sockets.length > 0) {
        await redis.hset(this.keys.room(roomId), userId, JSON.stringify({ ...member, sockets }));
        return false;
      }
      const [, , [, left]] = (await redis
        .multi()
        .hdel(this.keys.room(roomId), userId)
        .srem(this.keys.userRooms(userId), roomId)
        .hlen(this.keys.room(roomId))
        .exec()) as [unknown, unknown, [null, number]];
      if (left === 0) await redis.srem(this.keys.rooms(), roomId);
      return true;
    });
  }

  has(roomId: RoomId, userId: UserId) {
    return this.redis.run(async (redis) => (await redis.hexists(this.keys.room(roomId), userId)) === 1);
  }

  async hasSocket(roomId: RoomId, userId: UserId, socketId: string) {
    return (await this.socketsOf(roomId, userId)).includes(socketId);
  }

  members(roomId: RoomId) {
    return this.redis.run(async (redis) => {
      const all = await redis.hgetall(this.keys.room(roomId));
      return Object.entries(all)
        .flatMap(([userId, raw]) => {
          const member = parse(raw);
          return member ? [{ userId, userName: member.userName, since: member.since }] : [];
        })
        .sort((a, b) => a.since - b.since)
        .map(({ userId, userName }): MemberEntry => ({ userId, userName }));
    });
  }

  userName(roomId: RoomId, userId: UserId) {
    return this.redis.run(async (redis) => parse(await redis.hget(this.keys.room(roomId), userId))?.userName);
  }

  socketsOf(roomId: RoomId, userId: UserId) {
    return this.redis.run(
      async (redis) => parse(await redis.hget(this.keys.room(roomId), userId))?.sockets ?? [],
    );
  }

  roomsOf(userId: UserId) {
    return this.redis.run((redis) => redis.smembers(this.keys.userRooms(userId)));
  }

  roomCount() {
    return this.redis.run((redis) => redis.scard(this.keys.rooms()));
  }
}

function parse(raw: string | null | undefined): StoredMember | undefined {
  return raw ? (JSON.parse(raw) as StoredMember) : undefined;
}
