import type { Logger } from 'pino';
import type { CallService } from '../calls/call-service.js';
import type { Client } from '../calls/call.js';
import { ProtocolError } from '../errors.js';
import { iceServersFor } from '../ice-servers.js';
import type { Limits } from '../limits.js';
import type { MetricsSink } from '../metrics.js';
import type { ResolvedOptions } from '../options.js';
import { socketRoom, type Outbox } from '../outbox.js';
import { ErrorCode, type RoomId, type ServerToClientEvents, type UserId } from '../protocol.js';
import type { Presence } from '../rooms/presence.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { handle } from './handle.js';
import type { RingletSocket } from './types.js';

export interface HandlerDeps {
  options: ResolvedOptions;
  logger: Logger;
  rooms: RoomRegistry;
  presence: Presence;
  calls: CallService;
  outbox: Outbox;
  limits: Limits;
  metrics: MetricsSink;
}

/** Wires every client → server event of one connection to the room and call logic. */
export function registerHandlers(socket: RingletSocket, deps: HandlerDeps): void {
  const { options, logger, rooms, presence, calls, outbox, limits, metrics } = deps;
  const data = socket.data;
  const client: Client = { id: socket.id, userId: data.userId, userName: data.userName };
  guardEventRate(socket, limits, logger, metrics);
  const on: <E extends Parameters<typeof handle>[2]>(
    event: E,
    handler: Parameters<typeof handle<E>>[3],
  ) => void = (event, handler) => handle(socket, { logger, metrics }, event, handler);

  const leaveMembership = (roomId: RoomId): void => {
    rooms.remove(roomId, client.userId, client.id);
    data.rooms.delete(roomId);
    void socket.leave(socketRoom(roomId));
    presence.broadcast(roomId);
  };

  on('join-room', ({ roomId }, { afterAck }) => {
    if (data.allowedRooms !== '*' && !data.allowedRooms.has(roomId)) {
      throw new ProtocolError(ErrorCode.Forbidden, 'You may not join this room');
    }
    if (!data.rooms.has(roomId)) {
      if (data.rooms.size >= options.maxRoomsPerSocket) {
        throw new ProtocolError(
          ErrorCode.TooManyRooms,
          `A connection may join at most ${options.maxRoomsPerSocket} rooms`,
        );
      }
      if (!rooms.has(roomId, client.userId) && rooms.memberCount(roomId) >= options.maxMembersPerRoom) {
        throw new ProtocolError(
          ErrorCode.RoomFull,
          `The room is full (${options.maxMembersPerRoom} members)`,
        );
      }
      rooms.add(roomId, client.userId, client.userName, client.id);
      data.rooms.add(roomId);
      void socket.join(socketRoom(roomId));
    }
    afterAck(() => {
      presence.broadcast(roomId);
      calls.joinedRoom(client, roomId);
    });
    return {
      roomId,
      members: presence.members(roomId),
      iceServers: iceServersFor(client.userId, options.iceServers, options.turn),
    };
  });

  on('leave-room', ({ roomId }) => {
    if (!data.rooms.has(roomId)) return;
    calls.leftRoom(client, roomId);
    leaveMembership(roomId);
  });

  on('video-call-request', (request, { afterAck }) =>
    calls.request(client, data.verified ? { ...request, callerName: client.userName } : request, afterAck),
  );

  on('video-call-response', (response) => calls.respond(client, response));

  /** Relays a signal to the other participants of the sender's call, with `from` set here, never by the client. */
  const relay = <E extends 'offer' | 'answer' | 'ice-candidate' | 'media-state'>(
    event: E,
    callId: string,
    to: UserId | undefined,
    body: (from: UserId) => Parameters<ServerToClientEvents[E]>[0],
  ): void => {
    const { from, socketIds } = calls.relayTargets(client, callId, to);
    outbox.send(socketIds, event, ...([body(from)] as Parameters<ServerToClientEvents[E]>));
    metrics.relayed(event, socketIds.length);
  };

  on('offer', ({ callId, to, description }) =>
    relay('offer', callId, to, (from) => ({ callId, from, description })),
  );
  on('answer', ({ callId, to, description }) =>
    relay('answer', callId, to, (from) => ({ callId, from, description })),
  );
  on('ice-candidate', ({ callId, to, candidate }) =>
    relay('ice-candidate', callId, to, (from) => ({ callId, from, candidate })),
  );
  on('media-state', ({ callId, audio, video }) =>
    relay('media-state', callId, undefined, (from) => ({ callId, from, audio, video })),
  );

  on('end-call', ({ callId }) => calls.end(client, callId));

  on('rejoin-call', ({ callId, resumeToken }) => calls.rejoin(client, callId, resumeToken));

  socket.on('disconnect', (reason) => {
    limits.forgetSocket(socket.id);
    calls.disconnected(client);
    for (const roomId of [...data.rooms]) leaveMembership(roomId);
    logger.debug({ socketId: socket.id, userId: client.userId, reason }, 'disconnected');
  });
}

const RATE_LIMITED = {
  ok: false,
  error: { code: ErrorCode.RateLimited, message: 'Too many events: slow down' },
} as const;

/** Every inbound packet spends from the connection's budget: over it, an error ack; far over it, a disconnect. */
function guardEventRate(socket: RingletSocket, limits: Limits, logger: Logger, metrics: MetricsSink): void {
  socket.use((packet, next) => {
    void limits.admitEvent(socket.id).then((verdict) => {
      if (verdict === 'allow') {
        next();
        return;
      }
      metrics.errorAck(ErrorCode.RateLimited);
      const ack: unknown = packet.at(-1);
      if (typeof ack === 'function') (ack as (result: typeof RATE_LIMITED) => void)(RATE_LIMITED);
      if (verdict === 'disconnect') {
        logger.warn({ socketId: socket.id, userId: socket.data.userId }, 'event flood: disconnecting');
        socket.disconnect(true);
      }
      next(new Error(ErrorCode.RateLimited));
    });
  });
  // A refused packet surfaces here; it was answered above, so there is nothing left to do.
  socket.on('error', () => undefined);
}
