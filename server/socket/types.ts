import type { Server, Socket } from 'socket.io';
import type { EventBudget } from '../limits.js';
import type { ClientToServerEvents, RoomId, ServerToClientEvents, UserId } from '../protocol.js';

/** What arrives from clients is untrusted: every argument is `unknown` until a schema has parsed it. */
export type Untrusted<Events> = { [E in keyof Events]: (...args: unknown[]) => void };

/** Nothing travels between nodes yet; the Redis adapter relays broadcasts on its own. */
export type InterServerEvents = Record<never, never>;

/** Per connection, in `socket.data`; the event budget is kept here rather than in an object of its own. */
export interface SocketData extends EventBudget {
  userId: UserId;
  userName: string;
  /** With AUTH_SECRET: the rooms the token allows (`'*'` for any); open mode: any. */
  allowedRooms: '*' | ReadonlySet<RoomId>;
  /** True when the identity came from a verified token (its name then wins over payloads). */
  verified: boolean;
  /**
   * The Ringlet rooms this socket joined: at most `maxRoomsPerSocket`, so an array, replaced on each change to
   * stay exactly as long as it needs (a Set, or an array grown by `push`, takes about twice the memory).
   */
  rooms: readonly RoomId[];
}

export type RingletServer = Server<
  Untrusted<ClientToServerEvents>,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type RingletSocket = Socket<
  Untrusted<ClientToServerEvents>,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
