import type { IncomingMessage } from 'node:http';

type AllowRequest = (
  req: IncomingMessage,
  callback: (err: string | null | undefined, success: boolean) => void,
) => void;

/**
 * Enforces ALLOWED_ORIGINS at the Engine.IO handshake, so a refused page gets 403 before any Socket.IO
 * traffic (CORS headers alone would not stop a WebSocket). Requests without an Origin header come from
 * non-browser clients and are allowed.
 */
export function originGuard(allowedOrigins: readonly string[] | undefined): AllowRequest {
  const allowed = allowedOrigins ? new Set(allowedOrigins.map(normalizeOrigin)) : undefined;
  return (req, callback) => {
    const origin = req.headers.origin;
    callback(null, !allowed || origin === undefined || allowed.has(normalizeOrigin(origin)));
  };
}

/** Origins compare without a trailing slash and case-insensitively (scheme and host are). */
export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}
