/* eslint-disable @typescript-eslint/require-await -- an async interface, answered from memory */
import { CallState, type Call } from '../calls/call.js';
import type { CallId, UserId } from '../protocol.js';
import type { CallStore } from './store.js';

/** Ended calls remembered so that their resume tokens cannot bring them back. */
const ENDED_CALLS_REMEMBERED = 10_000;

interface Indexed {
  call: Call;
  /** What the indexes hold for this call, to take out what `save` no longer finds. */
  sockets: Set<string>;
  users: Set<UserId>;
}

/** Calls in this process's memory (one node). The call objects themselves are stored, not copies. */
export class MemoryCallStore implements CallStore {
  readonly #calls = new Map<CallId, Indexed>();
  readonly #ended = new Set<CallId>();
  readonly #bySocket = new Map<string, Set<CallId>>();
  readonly #byUser = new Map<UserId, Set<CallId>>();
  readonly #engaged = new Map<UserId, CallId>();

  async get(callId: CallId): Promise<Call | undefined> {
    return this.#calls.get(callId)?.call;
  }

  async save(call: Call): Promise<void> {
    const entry = this.#calls.get(call.id) ?? { call, sockets: new Set(), users: new Set() };
    this.#calls.set(call.id, entry);
    entry.sockets = reindex(this.#bySocket, call.id, entry.sockets, call.socketIds());
    entry.users = reindex(this.#byUser, call.id, entry.users, call.userIds());
  }

  async finish(call: Call): Promise<void> {
    const entry = this.#calls.get(call.id);
    if (entry) {
      reindex(this.#bySocket, call.id, entry.sockets, new Set());
      reindex(this.#byUser, call.id, entry.users, new Set());
      this.#calls.delete(call.id);
    }
    this.#ended.add(call.id);
    if (this.#ended.size > ENDED_CALLS_REMEMBERED)
      this.#ended.delete(this.#ended.values().next().value as CallId);
  }

  async isEnded(callId: CallId): Promise<boolean> {
    return this.#ended.has(callId);
  }

  async ofUser(userId: UserId): Promise<Call[]> {
    return this.#resolve(this.#byUser.get(userId));
  }

  async ofSocket(socketId: string): Promise<Call[]> {
    return this.#resolve(this.#bySocket.get(socketId));
  }

  async engage(userId: UserId, callId: CallId): Promise<boolean> {
    const current = this.#engaged.get(userId);
    if (current !== undefined && current !== callId) return false;
    this.#engaged.set(userId, callId);
    return true;
  }

  async disengage(userId: UserId, callId: CallId): Promise<void> {
    if (this.#engaged.get(userId) === callId) this.#engaged.delete(userId);
  }

  async engaged(userIds: readonly UserId[]): Promise<Set<UserId>> {
    return new Set(userIds.filter((userId) => this.#engaged.has(userId)));
  }

  async countByState(): Promise<{ ringing: number; active: number }> {
    const counts = { ringing: 0, active: 0 };
    for (const { call } of this.#calls.values()) if (call.state !== CallState.Ended) counts[call.state] += 1;
    return counts;
  }

  #resolve(callIds: Set<CallId> | undefined): Call[] {
    return [...(callIds ?? [])].flatMap((callId) => this.#calls.get(callId)?.call ?? []);
  }
}

/** Moves `callId` in `index` from the `before` keys to the `after` keys; returns `after`. */
function reindex<K>(index: Map<K, Set<CallId>>, callId: CallId, before: Set<K>, after: Set<K>): Set<K> {
  for (const key of before) {
    if (after.has(key)) continue;
    const ids = index.get(key);
    ids?.delete(callId);
    if (ids?.size === 0) index.delete(key);
  }
  for (const key of after) {
    let ids = index.get(key);
    if (!ids) index.set(key, (ids = new Set()));
    ids.add(callId);
  }
  return after;
}
