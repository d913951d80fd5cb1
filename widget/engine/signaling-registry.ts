import { RefCountedRegistry, type Lease } from './ref-counted-registry.js';
import { SignalingClient, type Credentials } from './signaling-client.js';

const clients = new RefCountedRegistry<SignalingClient>((client) => client.close());

/** The key of a (server, user) pair; servers are normalised by {@link normalizeServer}. */
function clientKey(server: string, userId: string): string {
  return `${server}\n${userId}`;
}

/**
 * The service's origin: Socket.IO lives at its default path there, on namespace "/" (a path in the
 * URL would be taken as a namespace), so `https://calls.example.com/any/page` names the same service.
 */
export function normalizeServer(server: string): string {
  const base = typeof location === 'undefined' ? undefined : location.href;
  return new URL(server, base).origin;
}

/**
 * The page's one connection for (server, user), shared by every element; the last release closes it.
 * A later acquirer's credentials replace the earlier ones for the next (re)connect.
 */
export function acquireSignaling(
  server: string,
  userId: string,
  credentials: Credentials,
): Lease<SignalingClient> {
  const normalized = normalizeServer(server);
  const lease = clients.acquire(
    clientKey(normalized, userId),
    () => new SignalingClient(normalized, userId, credentials),
  );
  lease.value.setCredentials(credentials);
  return lease;
}
