import type { RoomId, ServerToClientEvents } from './protocol.js';

/** Sends server → client events. The call and presence logic talk to clients only through this. */
export interface Outbox {
  /** To one or more sockets by id. */
  send<E extends keyof ServerToClientEvents>(
    socketIds: string | string[],
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void;
  /** To every socket that joined the room. */
  broadcast<E extends keyof ServerToClientEvents>(
    roomId: RoomId,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void;
}

/** The Socket.IO room that holds every socket joined to a Ringlet room. */
export const socketRoom = (roomId: RoomId): string => `room:${roomId}`;
