import type { Logger } from 'pino';
import type { CallService } from '../calls/call-service.js';
import type { Client } from '../calls/call.js';
import { ProtocolError } from '../errors.js';
import { iceServersFor } from '../ice-servers.js';
import type { Limits } from '../limits.js';
import type { MetricsSink } from '../metrics.js';
import type { ResolvedOptions } from '../options.js';
import { socketRoom, type Outbox } from '../outbox.js';
import { ErrorCode, type ServerToClientEvents, type UserId } from '../protocol.js';
import type { Membership } from '../rooms/membership.js';
import type { Presence } from '../rooms/presence.js';
import { handle } from './handle.js';
import type { RingletSocket } from './types.js';

export interface HandlerDeps {
  options: ResolvedOptions;
  logger: Logger;
  membership: Membership;
  presence: Presence;
  calls: CallService;
  outbox: Outbox;
  limits: Limits;
  metrics: MetricsSink;
}

/** Wires every client → server event of one connection to the room and call logic. */
export function registerHandlers(socket: RingletSocket, deps: HandlerDeps): void {
  const { options, logger, membership, presence, calls, outbox, limits, metrics } = deps;
  const data = socket.data;
  const client: Client = { id: socket.id, userId: data.userId, userName: data.userName };
  guardEventRate(socket, limits, logger, metrics);
  const on: <E extends Parameters<typeof handle>[2]>(
    event: E,
    handler: Parameters<typeof handle<E>>[3],
  ) => void = (event, handler) => handle(socket, { logger, metrics }, event, handler);

  on('join-room', async ({ roomId }, { afterAck }) => {
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
      // Counted at once, so that joins racing each other cannot pass the limit.
      data.rooms.add(roomId);
      const joined = await membership
        .join(client, roomId, options.maxMembersPerRoom)
        .catch((error: unknown) => {
          data.rooms.delete(roomId);
          throw error;
        });
      if (joined === 'full') {
        data.rooms.delete(roomId);
        throw new ProtocolError(
          ErrorCode.RoomFull,
          `The room is full (${options.maxMembersPerRoom} members)`,
        );
      }
      if (socket.connected) void socket.join(socketRoom(roomId));
    }
    afterAck(async () => {
      await presence.broadcast(roomId);
      await calls.joinedRoom(client, roomId);
    });
    return {
      roomId,
      members: await presence.members(roomId),
      iceServers: iceServersFor(client.userId, options.iceServers, options.turn),
    };
  });

  on('leave-room', async ({ roomId }) => {
    if (!data.rooms.delete(roomId)) return;
    void socket.leave(socketRoom(roomId));
    await membership.leave(client, roomId, 'left-room');
  });

  on('video-call-request', (request, { afterAck }) =>
    calls.request(client, data.verified ? { ...request, callerName: client.userName } : request, afterAck),
  );

  on('video-call-response', (response) => calls.respond(client, response));

  /** Relays a signal to the other participants of the sender's call, with `from` set here, never by the client. */
  const relay = async <E extends 'offer' | 'answer' | 'ice-candidate' | 'media-state'>(
    event: E,
    callId: string,
    to: UserId | undefined,
    body: (from: UserId) => Parameters<ServerToClientEvents[E]>[0],
  ): Promise<void> => {
    const { from, socketIds } = await calls.relayTargets(client, callId, to);
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
    logger.debug({ socketId: socket.id, userId: client.userId, reason }, 'disconnected');
    const roomIds = [...data.rooms];
    data.rooms.clear();
    membership.disconnected(client, roomIds).catch((error: unknown) => {
      // Only while stopping with Redis gone: the other nodes end its part once this node's heartbeat lapses.
      logger.warn({ err: error, socketId: socket.id }, 'could not record a disconnect');
    });
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
