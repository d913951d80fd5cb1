// A @web/test-runner plugin: starts the real signaling service (the built dist/server, since this config
// cannot import .ts) for the whole run, and tells the tests where it is at GET /__ringlet__/config.json.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CONFIG_PATH = '/__ringlet__/config.json';

/** Per-address limits count the whole suite (every client is 127.0.0.1): lift them for the run. */
const COMMON_OPTIONS = {
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  iceServers: [],
  maxConnectionsPerMinutePerIp: 100_000,
  maxEventsPerSecond: 1_000,
};

export function signalingServerPlugin() {
  const servers = [];
  let config = null;

  async function start(createSignalingServer, options) {
    const server = createSignalingServer({ ...COMMON_OPTIONS, ...options });
    servers.push(server);
    const { url } = await server.listen();
    return url;
  }

  return {
    name: 'ringlet-signaling-server',
    async serverStart() {
      const entry = pathToFileURL(resolve('dist/server/index.js')).href;
      const { createSignalingServer } = await import(entry);
      const authSecret = `test-secret-${Math.random().toString(36).slice(2)}`;
      config = {
        // Default timings, as in production.
        serverUrl: await start(createSignalingServer, {}),
        // Short ring timeout and rejoin grace, for the "no answer" and reconnect paths.
        quickServerUrl: await start(createSignalingServer, { ringTimeoutMs: 1_500, rejoinGraceMs: 1_000 }),
        // AUTH_SECRET mode: every connection needs a token.
        authServerUrl: await start(createSignalingServer, { authSecret }),
        authSecret,
      };
    },
    async serverStop() {
      await Promise.all(servers.map((server) => server.close()));
    },
    serve(context) {
      if (context.path === CONFIG_PATH) return { body: JSON.stringify(config), type: 'application/json' };
      return undefined;
    },
  };
}
