import { Call, CallState, type CallRecord } from '../../calls/call.js';
import type { CallId, UserId } from '../../protocol.js';
import type { CallStore } from '../store.js';
import type { RedisConnection } from './connection.js';
import type { Keys } from './keys.js';

/**
 * How long call data outlives its last change. Calls are removed when they end; the expiry only bounds
 * what a node that died mid-change could leave behind. It matches the resume tokens' lifetime.
 */
const CALL_TTL_SECONDS = 24 * 3_600;

/** A stored call, with the index entries it was filed under, so a later save can take out stale ones. */
interface StoredCall {
  call: CallRecord;
  sockets: string[];
  users: UserId[];
}

/** Releases the busy mark only if it still names this call. */
const DISENGAGE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Calls in Redis: one JSON document per call, sets indexing calls by socket and by user, a sorted set per
 * state for the counts, and a busy mark per user taken with `SET NX`.
 */
export class RedisCallStore implements CallStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: Keys,
  ) {}

  get(callId: CallId) {
    return this.redis.run(async (redis) => parseCall(await redis.get(this.keys.call(callId))));
  }

  save(call: Call) {
    return this.redis.run(async (redis) => {
      const previous = parseStored(await redis.get(this.keys.call(call.id)));
      const stored: StoredCall = {
        call: call.toRecord(),
        sockets: [...call.socketIds()],
        users: [...call.userIds()],
      };
      const expiresAt = Date.now() + CALL_TTL_SECONDS * 1_000;
      const tx = redis.multi().set(this.keys.call(call.id), JSON.stringify(stored), 'EX', CALL_TTL_SECONDS);
      for (const socketId of previous?.sockets ?? [])
        if (!stored.sockets.includes(socketId)) tx.srem(this.keys.socketCalls(socketId), call.id);
      for (const userId of previous?.users ?? [])
        if (!stored.users.includes(userId)) tx.srem(this.keys.userCalls(userId), call.id);
      for (const socketId of stored.sockets)
        tx.sadd(this.keys.socketCalls(socketId), call.id).expire(
          this.keys.socketCalls(socketId),
          CALL_TTL_SECONDS,
        );
      for (const userId of stored.users)
        tx.sadd(this.keys.userCalls(userId), call.id).expire(this.keys.userCalls(userId), CALL_TTL_SECONDS);
      for (const state of [CallState.Ringing, CallState.Active]) {
        if (state === call.state) tx.zadd(this.keys.callsInState(state), expiresAt, call.id);
        else tx.zrem(this.keys.callsInState(state), call.id);
      }
      await tx.exec();
    });
  }

  finish(call: Call) {
    return this.redis.run(async (redis) => {
      const previous = parseStored(await redis.get(this.keys.call(call.id)));
      const tx = redis
        .multi()
        .del(this.keys.call(call.id))
        .set(this.keys.ended(call.id), '1', 'EX', CALL_TTL_SECONDS);
      for (const socketId of previous?.sockets ?? []) tx.srem(this.keys.socketCalls(socketId), call.id);
      for (const userId of previous?.users ?? []) tx.srem(this.keys.userCalls(userId), call.id);
      for (const state of [CallState.Ringing, CallState.Active])
        tx.zrem(this.keys.callsInState(state), call.id);
      await tx.exec();
    });
  }

  isEnded(callId: CallId) {
    return this.redis.run(async (redis) => (await redis.exists(this.keys.ended(callId))) === 1);
  }

  ofUser(userId: UserId) {
    return this.#callsIn(this.keys.userCalls(userId));
  }

  ofSocket(socketId: string) {
    return this.#callsIn(this.keys.socketCalls(socketId));
  }

  engage(userId: UserId, callId: CallId) {
    return this.redis.run(async (redis) => {
      const key = this.keys.engaged(userId);
      if ((await redis.set(key, callId, 'EX', CALL_TTL_SECONDS, 'NX')) === 'OK') return true;
      return (await redis.get(key)) === callId;
    });
  }

  disengage(userId: UserId, callId: CallId) {
    return this.redis.run(async (redis) => {
      await redis.eval(DISENGAGE, 1, this.keys.engaged(userId), callId);
    });
  }

  engaged(userIds: readonly UserId[]) {
    return this.redis.run(async (redis) => {
      if (userIds.length === 0) return new Set<UserId>();
      const marks = await redis.mget(userIds.map((userId) => this.keys.engaged(userId)));
      return new Set(userIds.filter((_, index) => marks[index] !== null));
    });
  }

  countByState() {
    return this.redis.run(async (redis) => {
      const now = Date.now();
      const [ringing, active] = await Promise.all(
        [CallState.Ringing, CallState.Active].map(async (state) => {
          await redis.zremrangebyscore(this.keys.callsInState(state), '-inf', now);
          return redis.zcard(this.keys.callsInState(state));
        }),
      );
      return { ringing: ringing ?? 0, active: active ?? 0 };
    });
  }

  #callsIn(indexKey: string): Promise<Call[]> {
    return this.redis.run(async (redis) => {
      const callIds = await redis.smembers(indexKey);
      if (callIds.length === 0) return [];
      const docs = await redis.mget(callIds.map((callId) => this.keys.call(callId)));
      return docs.flatMap((doc) => parseCall(doc) ?? []);
    });
  }
}

function parseStored(raw: string | null): StoredCall | undefined {
  return raw ? (JSON.parse(raw) as StoredCall) : undefined;
}

function parseCall(raw: string | null): Call | undefined {
  const stored = parseStored(raw);
  return stored && Call.fromRecord(stored.call);
}
