import { RefCountedRegistry, type Lease } from './ref-counted-registry.js';
import { RoomSession, type RoomSessionSettings, type RoomSessionTiming } from './room-session.js';
import type { TokenProvider } from './signaling-client.js';
import { acquireSignaling, normalizeServer } from './signaling-registry.js';

export interface RoomConfig {
  server: string;
  roomId: string;
  userId: string;
  userName: string;
  token?: string | undefined;
  tokenProvider?: TokenProvider | undefined;
  timing?: Partial<RoomSessionTiming> | undefined;
  /** `relay` forces media through TURN; see {@link RoomSessionSettings}. */
  iceTransportPolicy?: RTCIceTransportPolicy | undefined;
}

/** The call settings of a room configuration. */
export function sessionSettings(config: RoomConfig): RoomSessionSettings {
  return { iceTransportPolicy: config.iceTransportPolicy, timing: config.timing };
}

const sessions = new RefCountedRegistry<RoomSession>((session) => session.dispose());

/**
 * The page's one {@link RoomSession} for (server, user, room), shared by every element that shows it.
 * It holds a lease on the (server, user) connection, given back when the last element releases it.
 */
export function acquireRoomSession(config: RoomConfig): Lease<RoomSession> {
  const server = normalizeServer(config.server);
  const credentials = {
    userName: config.userName,
    token: config.token,
    tokenProvider: config.tokenProvider,
  };
  const lease = sessions.acquire(`${server}\n${config.userId}\n${config.roomId}`, () => {
    const signaling = acquireSignaling(server, config.userId, credentials);
    const session = new RoomSession({
      server,
      roomId: config.roomId,
      self: { userId: config.userId, userName: config.userName },
      signaling: signaling.value,
      onDispose: () => signaling.release(),
    });
    return session;
  });
  lease.value.signaling.setCredentials(credentials);
  lease.value.configure(sessionSettings(config));
  return lease;
}
