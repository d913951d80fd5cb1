import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';

/** Whether a request may connect: true without an allowlist, or without an Origin header (not a browser). */
export type OriginCheck = (req: IncomingMessage) => boolean;

export function originCheck(allowedOrigins: readonly string[] | undefined): OriginCheck {
  const allowed = allowedOrigins ? new Set(allowedOrigins.map(normalizeOrigin)) : undefined;
  return (req) => {
    const origin = req.headers.origin;
    return !allowed || origin === undefined || allowed.has(normalizeOrigin(origin));
  };
}

/** Origins compare without a trailing slash and case-insensitively (scheme and host are). */
export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Engine.IO answers a refused WebSocket upgrade with 400; a refused Origin deserves 403, as on polling.
 * So WebSocket upgrades pass this check before the listeners Socket.IO installed.
 */
export function refuseForeignUpgrades(httpServer: HttpServer, check: OriginCheck): void {
  const listeners = httpServer.listeners('upgrade') as UpgradeListener[];
  httpServer.removeAllListeners('upgrade');
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (check(req)) {
      for (const listener of listeners) listener.call(httpServer, req, socket, head);
      return;
    }
    const body = JSON.stringify({ code: 4, message: 'Origin not allowed' });
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
