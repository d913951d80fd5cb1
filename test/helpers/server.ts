/**
 * Starts a real signaling service on a free loopback port for one test, and tears everything
 * down afterwards. Call `afterEach(closeAll)` once per test file.
 */
import http from 'node:http';
import { after } from 'node:test';
import { createSignalingServer } from '../../server/index.js';
import { disconnectAllClients } from './client.js';
import { stopAllRedis } from './redis-server.js';
import { registerNodes, sharedRedis, twoNodes } from './two-nodes.js';

export type SignalingServer = ReturnType<typeof createSignalingServer>;
export type ServerOptions = NonNullable<Parameters<typeof createSignalingServer>[0]>;

export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  server: SignalingServer;
  /** Idempotent. */
  close(): Promise<void>;
}

const openServers = new Set<TestServer>();

// Imported at a test file's top level, so this hook belongs to the file: the shared Redis goes last.
if (twoNodes) after(() => closeAll().then(stopAllRedis));

export const LIFTED_LIMITS = {
  maxEventsPerSecond: 1_000_000,
  maxConnectionsPerMinutePerIp: 1_000_000,
  maxSocketsPerUser: 100_000,
} as const satisfies Partial<ServerOptions>;

/**
 * A service on `127.0.0.1:0` with logging off; `options` override the defaults. In two-node mode (see
 * two-nodes.ts) it is two nodes sharing a Redis; the result describes the first.
 */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  if (!twoNodes || options.redisUrl) return startNode(options);
  const { url: redisUrl, keyPrefix: redisKeyPrefix } = await sharedRedis();
  const clustered = { redisUrl, redisKeyPrefix, resumeSecret: TWO_NODE_RESUME_SECRET, ...options };
  const [first, second] = await Promise.all([startNode(clustered), startNode(clustered)]);
  registerNodes([first.url, second.url]);
  return { ...first, close: () => Promise.all([first.close(), second.close()]).then(() => undefined) };
}

const TWO_NODE_RESUME_SECRET = 'two-node test secret, shared by both nodes';

async function startNode(options: Partial<ServerOptions>): Promise<TestServer> {
  const server = createSignalingServer({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    // Every test client shares 127.0.0.1 and many send fast: limits are lifted unless a test sets them.
    ...LIFTED_LIMITS,
    ...options,
  });
  const { url, port } = await server.listen();
  let closing: Promise<void> | undefined;
  const testServer: TestServer = {
    url,
    port,
    server,
    close() {
      closing ??= server.close().finally(() => openServers.delete(testServer));
      return closing;
    },
  };
  openServers.add(testServer);
  return testServer;
}

/** Disconnects every client made by `connectClient`, then closes every server made by `startServer`. */
export async function closeAll(): Promise<void> {
  disconnectAllClients();
  await Promise.all([...openServers].map((s) => s.close()));
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP GET that may carry headers a browser would not let us set (e.g. `Origin`). */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** `httpGet` for an endpoint answering JSON; fails the test on a non-JSON body. */
export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await httpGet(url);
  assertJsonContentType(res);
  return { status: res.status, body: JSON.parse(res.body) as unknown };
}

function assertJsonContentType(res: HttpResponse): void {
  const type = res.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    throw new Error(
      `expected a JSON response, got content-type "${type}" and body ${res.body.slice(0, 200)}`,
    );
  }
}
