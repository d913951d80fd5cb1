import type { Logger } from 'pino';
import type { DisconnectReason } from 'socket.io';
import type { CallService } from '../calls/call-service.js';
import type { Client } from '../calls/call.js';
import { ProtocolError } from '../errors.js';
import { iceServersFor } from '../ice-servers.js';
import type { Limits } from '../limits.js';
import type { MetricsSink } from '../metrics.js';
import type { ResolvedOptions } from '../options.js';
import { socketRoom, type Outbox } from '../outbox.js';
import { ErrorCode, type RoomId, type ServerToClientEvents, type UserId } from '../protocol.js';
import type { Membership } from '../rooms/membership.js';
import type { Presence } from '../rooms/presence.js';
import { eventDispatcher, type HandlerTable } from './handle.js';
import type { RingletSocket, SocketData } from './types.js';

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

/** The connection as the call logic sees it. */
function clientOf(socket: RingletSocket): Client {
  return { id: socket.id, userId: socket.data.userId, userName: socket.data.userName };
}

/** Takes `roomId` out of a socket's rooms; false if it was not there. */
function removeRoom(data: SocketData, roomId: RoomId): boolean {
  const { rooms } = data;
  const index = rooms.indexOf(roomId);
  if (index < 0) return false;
  data.rooms = rooms.slice(0, index).concat(rooms.slice(index + 1));
  return true;
}

/** A client may name an event `error`; with no listener for it, the socket's EventEmitter would throw. */
function ignore(): void {}

/**
 * Builds, once per server, what wires every client → server event of a connection to the room and call
 * logic; the returned function attaches it to one connection. The listeners are shared by all connections
 * (Socket.IO calls them with the socket as `this`), so an idle connection holds no closures of ours.
 */
export function connectionHandlers(deps: HandlerDeps): (socket: RingletSocket) => void {
  const { options, logger, membership, presence, calls, outbox, limits, metrics } = deps;

  /** Relays a signal to the other participants of the sender's call, with `from` set here, never by the client. */
  async function relay<E extends 'offer' | 'answer' | 'ice-candidate' | 'media-state'>(
    socket: RingletSocket,
    event: E,
    callId: string,
    to: UserId | undefined,
    body: (from: UserId) => Parameters<ServerToClientEvents[E]>[0],
  ): Promise<void> {
    const { from, socketIds } = await calls.relayTargets(clientOf(socket), callId, to);
    outbox.send(socketIds, event, ...([body(from)] as Parameters<ServerToClientEvents[E]>));
    metrics.relayed(event, socketIds.length);
  }

  const handlers: HandlerTable = {
    'join-room': async (socket, { roomId }, followUps) => {
      const data = socket.data;
      const client = clientOf(socket);
      if (data.allowedRooms !== '*' && !data.allowedRooms.has(roomId)) {
        throw new ProtocolError(ErrorCode.Forbidden, 'You may not join this room');
      }
      if (!data.rooms.includes(roomId)) {
        if (data.rooms.length >= options.maxRoomsPerSocket) {
          throw new ProtocolError(
            ErrorCode.TooManyRooms,
            `A connection may join at most ${options.maxRoomsPerSocket} rooms`,
          );
        }
        // Counted at once, so that joins racing each other cannot pass the limit.
        data.rooms = data.rooms.concat(roomId);
        const joined = await membership
          .join(client, roomId, options.maxMembersPerRoom)
          .catch((error: unknown) => {
            removeRoom(data, roomId);
            throw error;
          });
        if (joined === 'full') {
          removeRoom(data, roomId);
          throw new ProtocolError(
            ErrorCode.RoomFull,
            `The room is full (${options.maxMembersPerRoom} members)`,
          );
        }
        if (socket.connected) void socket.join(socketRoom(roomId));
      }
      followUps.push(async () => {
        await presence.broadcast(roomId);
        await calls.joinedRoom(client, roomId);
      });
      return {
        roomId,
        members: await presence.members(roomId),
        iceServers: iceServersFor(client.userId, options.iceServers, options.turn),
      };
    },

    'leave-room': async (socket, { roomId }) => {
      if (!removeRoom(socket.data, roomId)) return;
      void socket.leave(socketRoom(roomId));
      await membership.leave(clientOf(socket), roomId, 'left-room');
    },

    'video-call-request': (socket, request, followUps) => {
      const client = clientOf(socket);
      return calls.request(
        client,
        socket.data.verified ? { ...request, callerName: client.userName } : request,
        (task) => followUps.push(task),
      );
    },

    'video-call-response': (socket, response) => calls.respond(clientOf(socket), response),

    offer: (socket, { callId, to, description }) =>
      relay(socket, 'offer', callId, to, (from) => ({ callId, from, description })),
    answer: (socket, { callId, to, description }) =>
      relay(socket, 'answer', callId, to, (from) => ({ callId, from, description })),
    'ice-candidate': (socket, { callId, to, candidate }) =>
      relay(socket, 'ice-candidate', callId, to, (from) => ({ callId, from, candidate })),
    'media-state': (socket, { callId, audio, video }) =>
      relay(socket, 'media-state', callId, undefined, (from) => ({ callId, from, audio, video })),

    'end-call': (socket, { callId }) => calls.end(clientOf(socket), callId),

    'rejoin-call': (socket, { callId, resumeToken }) => calls.rejoin(clientOf(socket), callId, resumeToken),
  };

  const onEvent = eventDispatcher(handlers, { logger, metrics, limits });

  function onDisconnect(this: RingletSocket, reason: DisconnectReason): void {
    const client = clientOf(this);
    limits.releaseUserSocket(client.userId);
    logger.debug({ socketId: client.id, userId: client.userId, reason }, 'disconnected');
    const roomIds = this.data.rooms;
    this.data.rooms = [];
    membership.disconnected(client, roomIds).catch((error: unknown) => {
      // Only while stopping with Redis gone: the other nodes end its part once this node's heartbeat lapses.
      logger.warn({ err: error, socketId: client.id }, 'could not record a disconnect');
    });
  }

  return (socket) => {
    socket.onAny(onEvent);
    socket.on('disconnect', onDisconnect);
    socket.on('error', ignore);
  };
}
