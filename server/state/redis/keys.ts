import type { CallId, RoomId, UserId } from '../../protocol.js';

/** Every Redis key the service uses, under one prefix (several deployments may share a Redis). */
export class Keys {
  constructor(readonly prefix: string) {}

  room = (roomId: RoomId): string => `${this.prefix}:room:${roomId}`;
  roomLock = (roomId: RoomId): string => `${this.prefix}:lock:${roomId}`;
  userRooms = (userId: UserId): string => `${this.prefix}:user-rooms:${userId}`;
  readonly rooms = (): string => `${this.prefix}:rooms`;
  call = (callId: CallId): string => `${this.prefix}:call:${callId}`;
  ended = (callId: CallId): string => `${this.prefix}:ended:${callId}`;
  callsInState = (state: string): string => `${this.prefix}:calls:${state}`;
  socketCalls = (socketId: string): string => `${this.prefix}:socket-calls:${socketId}`;
  userCalls = (userId: UserId): string => `${this.prefix}:user-calls:${userId}`;
  engaged = (userId: UserId): string => `${this.prefix}:engaged:${userId}`;
  readonly deadlines = (): string => `${this.prefix}:deadlines`;
  readonly nodes = (): string => `${this.prefix}:nodes`;
  node = (nodeId: string): string => `${this.prefix}:node:${nodeId}`;
  nodeSockets = (nodeId: string): string => `${this.prefix}:node-sockets:${nodeId}`;
  sweep = (nodeId: string): string => `${this.prefix}:sweep:${nodeId}`;
  readonly epoch = (): string => `${this.prefix}:epoch`;
  /** The Socket.IO adapter's channel prefix. */
  readonly adapter = (): string => `${this.prefix}:socket.io`;
}
