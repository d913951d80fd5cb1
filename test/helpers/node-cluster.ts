/**
 * Starts real service processes (`node dist/server/cli.js serve`, the build output) on free loopback ports,
 * e.g. several nodes sharing one Redis. Needs `npm run build` first. Call `after(stopAllNodes)` (or
 * `afterEach`) once per test file that uses `startNode`; every node still running when the test process
 * ends is killed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
// Type only: importing server.js would load the server's TypeScript sources, and these nodes run the build.
import { keepAlive, killOnExit } from './child-processes.js';
import type { LIFTED_LIMITS } from './server.js';

export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceNode {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  pid: number;
  /** Every stdout and stderr line so far (pino JSON on stdout); keeps growing while the node runs. */
  logs: string[];
  /** Sends `signal` (SIGKILL by default) and resolves with the exit code once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** Graceful stop: SIGTERM, then waits for the exit (SIGKILL if it takes too long). Idempotent. */
  stop(): Promise<void>;
  /**
   * Settles once the process has exited and its output is read. Never rejects. A running node does not keep
   * the test process alive (a forgotten one cannot hang the run) until this is read or it is killed.
   */
  exited: Promise<NodeExit>;
}

export const CLI_PATH = fileURLToPath(new URL('../../dist/server/cli.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 15_000;
/** `LIFTED_LIMITS` (the compiler checks that the values match). */
const LIMITS = {
  maxEventsPerSecond: 1_000_000,
  maxConnectionsPerMinutePerIp: 1_000_000,
  maxSocketsPerUser: 100_000,
} as const satisfies typeof LIFTED_LIMITS;
const STOP_TIMEOUT_MS = 10_000;
/**
 * `ringlet serve` logs `listening`, then this, and only then handles SIGTERM gracefully: a node counts as
 * started once it logged both (a SIGTERM right after `listening` alone would kill it outright).
 */
const READY_LINE = 'Ringlet is ready';
const READY_GRACE_MS = 2_000;

const nodes = new Set<ServiceNode>();

/**
 * Spawns `ringlet serve` with `PORT=0 HOST=127.0.0.1 LOG_LEVEL=info`, rate limits lifted, and `env` on top;
 * resolves once it logs `listening` (and that it is ready, i.e. handles SIGTERM). Rejects with the process
 * output if it exits first or is not listening within 15 s.
 */
export function startNode(env: Record<string, string> = {}): Promise<ServiceNode> {
  if (!existsSync(CLI_PATH)) {
    return Promise.reject(new Error(`${CLI_PATH} is missing: run \`npm run build\` first`));
  }
  const child = spawn(process.execPath, [CLI_PATH, 'serve'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Every test client shares 127.0.0.1 and many send fast: limits are lifted unless a test sets them.
      MAX_EVENTS_PER_SECOND: String(LIMITS.maxEventsPerSecond),
      MAX_CONNECTIONS_PER_MINUTE_PER_IP: String(LIMITS.maxConnectionsPerMinutePerIp),
      MAX_SOCKETS_PER_USER: String(LIMITS.maxSocketsPerUser),
      ...env,
    },
  });
  killOnExit(child);
  const logs: string[] = [];
  const exited = new Promise<NodeExit>((resolve) => {
    child.once('close', (code, signal) => {
      resolve({ code, signal });
    });
  });

  return new Promise<ServiceNode>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const output = logs.length ? logs.join('\n') : '(no output)';
      reject(new Error(`${message}\n--- output of ${CLI_PATH} serve ---\n${output}`));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`the service (pid ${child.pid}) was not listening after ${START_TIMEOUT_MS} ms`);
    }, START_TIMEOUT_MS);

    let address: { url: string; port: number } | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const onReady = (): void => {
      if (settled || !address) return;
      const { url, port } = address;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      let stopping: Promise<void> | undefined;
      keepAlive(child, false);
      const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> => {
        keepAlive(child, true);
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return (await exited).code;
      };
      const node: ServiceNode = {
        url,
        port,
        pid: child.pid!,
        logs,
        kill,
        stop() {
          stopping ??= (async () => {
            const forced = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
            await kill('SIGTERM');
            clearTimeout(forced);
          })();
          return stopping;
        },
        get exited() {
          keepAlive(child, true);
          return exited;
        },
      };
      nodes.add(node);
      void exited.then(() => nodes.delete(node));
      resolve(node);
    };

    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      if (!address) {
        address = parseListening(line);
        // Should the CLI stop logging READY_LINE, go on without it after a moment.
        if (address) graceTimer = setTimeout(onReady, READY_GRACE_MS);
      } else if (line.includes(READY_LINE)) onReady();
    });
    createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
    child.once('error', (error) => fail(`could not start the service: ${error.message}`));
    void exited.then(({ code, signal }) =>
      fail(`the service exited before listening (code ${code}, signal ${signal})`),
    );
  });
}

/** Stops (SIGTERM, then waits) every node `startNode` started that is still running. */
export async function stopAllNodes(): Promise<void> {
  await Promise.all([...nodes].map((node) => node.stop()));
}

/** The `listening` log line's address, if `line` is that line. */
function parseListening(line: string): { url: string; port: number } | undefined {
  if (!line.includes('"listening"')) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { msg, url, port } = entry as { msg?: unknown; url?: unknown; port?: unknown };
  if (msg !== 'listening' || typeof url !== 'string' || typeof port !== 'number') return undefined;
  return { url, port };
}
