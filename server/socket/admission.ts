import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { ExtendedError } from 'socket.io';
import type { Limits } from '../limits.js';
import { ConnectErrorMessage, ErrorCode } from '../protocol.js';
import type { Readiness } from '../state/store.js';
import { openIdentity, tokenIdentity } from './identity.js';
import { refusal } from './refusal.js';
import type { RingletSocket } from './types.js';

export interface AdmissionDeps {
  logger: Logger;
  limits: Limits;
  /** With AUTH_SECRET: the HMAC key tokens are verified with. */
  secret: Uint8Array | undefined;
  /** Take the client address from `X-Forwarded-For` (behind a reverse proxy you trust). */
  trustProxy: boolean;
  isClosing(): boolean;
  /** Whether the state store can be used; a connection could do nothing while it cannot. */
  readiness(): Readiness;
}

/**
 * The Socket.IO handshake middleware: refuses while shutting down, rate-limits new connections per address
 * (before the costlier token check), establishes the identity, and caps connections per user.
 */
export function admission(deps: AdmissionDeps) {
  return (socket: RingletSocket, next: (err?: ExtendedError) => void): void => {
    void admit(socket, deps)
      .catch((error: unknown) => {
        // Whatever a handshake sends, it must never take the process down.
        deps.logger.error({ err: error, address: socket.handshake.address }, 'handshake failed');
        return refusal(
          ConnectErrorMessage.Unavailable,
          ErrorCode.Internal,
          'The service could not take this connection',
        );
      })
      .then((refused) => {
        if (refused) {
          deps.logger.info(
            { reason: refused.message, data: refused.data as unknown, address: socket.handshake.address },
            'handshake refused',
          );
        } else if (socket.conn.readyState !== 'open') {
          // Gone while being admitted: Socket.IO drops such a socket without a `disconnect` event.
          deps.limits.releaseUserSocket(socket.data.userId);
        }
        next(refused);
      });
  };
}

async function admit(socket: RingletSocket, deps: AdmissionDeps): Promise<ExtendedError | undefined> {
  if (deps.isClosing()) {
    return refusal(ConnectErrorMessage.Unavailable, ErrorCode.Unavailable, 'The service is shutting down');
  }
  if (!deps.readiness().ready) {
    return refusal(
      ConnectErrorMessage.Unavailable,
      ErrorCode.Unavailable,
      'The service cannot take calls right now; try again in a moment',
    );
  }
  const address = clientAddress(socket.handshake.address, socket.handshake.headers, deps.trustProxy);
  if (!(await deps.limits.admitConnection(address))) {
    return refusal(
      ConnectErrorMessage.RateLimited,
      ErrorCode.RateLimited,
      'Too many connections from your address',
    );
  }
  const auth: unknown = socket.handshake.auth;
  const identity = deps.secret ? await tokenIdentity(auth, deps.secret) : openIdentity(auth);
  if (identity instanceof Error) return identity;
  if (!deps.limits.claimUserSocket(identity.userId)) {
    return refusal(
      ConnectErrorMessage.RateLimited,
      ErrorCode.RateLimited,
      'Too many connections for this user',
    );
  }
  // The user's slot is released when the socket disconnects (handlers.ts), or above if it never connects.
  // Spelled out: V8 gives each object built as `{ ...identity, more }` a hidden class of its own (~250 bytes).
  const { userId, userName, allowedRooms, verified } = identity;
  socket.data = { userId, userName, allowedRooms, verified, rooms: [], eventsSpent: 0, eventsResetAt: 0 };
  return undefined;
}

/** The address limits apply to: the first `X-Forwarded-For` hop when the proxy is trusted, else the peer. */
export function clientAddress(peer: string, headers: IncomingHttpHeaders, trustProxy: boolean): string {
  const forwarded = headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return trustProxy && first ? first : peer;
}
