/**
 * Two-node mode for the server suites: with `RINGLET_TEST_NODES=2`, every `startServer` starts two nodes
 * sharing one real Redis, and `connectClient` spreads the clients of a test over both, so that each suite
 * written for one node also runs with its users on different nodes.
 */
import { startRedis, type RedisProcess } from './redis-server.js';

export const twoNodes = process.env.RINGLET_TEST_NODES === '2';

/** Each URL a test was given → the node URLs its clients take turns on. */
const nodeUrls = new Map<string, { urls: string[]; next: number }>();
let redis: Promise<RedisProcess> | undefined;
let clusters = 0;

/** One Redis per test process, and a fresh key prefix per cluster so tests cannot see each other. */
export async function sharedRedis(): Promise<{ url: string; keyPrefix: string }> {
  redis ??= startRedis();
  clusters += 1;
  return { url: (await redis).url, keyPrefix: `test${clusters}` };
}

export function registerNodes(urls: string[]): void {
  const [first] = urls;
  if (first) nodeUrls.set(first, { urls, next: 0 });
}

/** The node the next client of `url` connects to: round robin over the cluster. */
export function pickNode(url: string): string {
  const entry = nodeUrls.get(url);
  if (!entry) return url;
  const picked = entry.urls[entry.next % entry.urls.length] ?? url;
  entry.next += 1;
  return picked;
}
