import { createHmac } from 'node:crypto';
import type { TurnOptions } from './options.js';
import type { IceServer, UserId } from './protocol.js';

export const DEFAULT_TURN_TTL_SECONDS = 86_400;

/**
 * The ICE servers one user gets on `join-room`: the configured ones plus, with TURN configured, coturn REST
 * credentials (`use-auth-secret`): username `expiry:userId`, password base64 HMAC-SHA1 of the username.
 */
export function iceServersFor(
  userId: UserId,
  iceServers: IceServer[],
  turn: TurnOptions | undefined,
  nowMs = Date.now(),
): IceServer[] {
  if (!turn || turn.urls.length === 0) return iceServers;
  const expiry = Math.floor(nowMs / 1000) + (turn.ttlSeconds ?? DEFAULT_TURN_TTL_SECONDS);
  const username = `${expiry}:${userId}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return [...iceServers, { urls: turn.urls, username, credential }];
}
