/**
 * Starts real `redis-server` processes on free loopback ports for tests (no persistence, temp working
 * directory), and makes sure none outlives the test process. Call `after(stopAllRedis)` (or `afterEach`)
 * once per test file that uses `startRedis`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { keepAlive, killOnExit, onExit } from './child-processes.js';

export interface RedisProcess {
  /** e.g. `redis://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The running server's pid, or `undefined` while stopped. */
  readonly pid: number | undefined;
  /** Everything the server logged so far (stdout and stderr, all runs). */
  logs: string[];
  /** Kills the server (SIGKILL unless told otherwise) and resolves once it has exited. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port once stopped, resolving when it accepts connections. */
  start(): Promise<void>;
  /**
   * Runs one command on a short-lived connection, e.g. `command('SET', 'k', 'v')`. Resolves with the reply
   * as text: integers in decimal, a nil reply as `null`, an array as JSON. Rejects on an error reply or when
   * the server cannot be reached.
   */
  command(...args: [string, ...string[]]): Promise<string | null>;
}

const READY_LINE = 'Ready to accept connections';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

const tempDirs = new Set<string>();
const instances = new Set<RedisProcess>();

/** Where `redis-server` is: `$REDIS_SERVER`, the usual Debian/Homebrew places, then `$PATH`. */
export function resolveRedisServer(): string {
  const candidates = [
    process.env.REDIS_SERVER,
    '/usr/bin/redis-server',
    '/usr/sbin/redis-server',
    '/usr/local/bin/redis-server',
    '/opt/homebrew/bin/redis-server',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, 'redis-server')),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there or not executable: try the next one
    }
  }
  throw new Error('redis-server not found (looked in /usr/bin, /usr/sbin, /usr/local/bin and PATH)');
}

/** A port nobody listens on right now (the kernel picks one; a tiny race remains, which start retries). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a fresh `redis-server` on a free loopback port and resolves once it accepts connections. */
export async function startRedis(): Promise<RedisProcess> {
  onExit(removeTempDirs);
  const binary = resolveRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'ringlet-redis-'));
  tempDirs.add(dir);
  const logs: string[] = [];
  let current: Running | undefined;
  let port = 0;
  // The free port may be taken between probing and binding: retry a few times with another one.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      current = await spawnRedis(binary, port, dir, logs);
      break;
    } catch (error) {
      if (attempt >= 3 || !logs.some((line) => line.includes('Address already in use'))) {
        rmSync(dir, { recursive: true, force: true });
        tempDirs.delete(dir);
        throw error;
      }
    }
  }

  let stopping: Promise<void> | undefined;
  let starting: Promise<void> | undefined;
  const redis: RedisProcess = {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return current?.child.pid;
    },
    logs,
    stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
      if (starting) return starting.catch(() => {}).then(() => redis.stop(signal));
      const run = current;
      if (!run) return stopping ?? Promise.resolve();
      current = undefined;
      stopping = stopProcess(run, signal);
      return stopping;
    },
    start() {
      if (current) return Promise.resolve();
      starting ??= (async () => {
        await stopping;
        current = await spawnRedis(binary, port, dir, logs);
      })().finally(() => (starting = undefined));
      return starting;
    },
    command: (...args) => runCommand(port, args),
  };
  instances.add(redis);
  return redis;
}

/** Stops every server `startRedis` started (they can still be started again). */
export async function stopAllRedis(): Promise<void> {
  await Promise.all([...instances].map((redis) => redis.stop()));
}

function spawnRedis(binary: string, port: number, dir: string, logs: string[]): Promise<Running> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--dir',
    dir,
    '--logfile',
    '',
    '--loglevel',
    'notice',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(child);
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => {
      resolve();
    });
  });
  return new Promise<Running>((resolve, reject) => {
    const output = (): string => logs.slice(-30).join('\n');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} not ready after ${START_TIMEOUT_MS} ms:\n${output()}`));
    }, START_TIMEOUT_MS);
    const onLine = (line: string): void => {
      logs.push(line);
      if (line.includes(READY_LINE)) {
        clearTimeout(timer);
        keepAlive(child, false);
        resolve({ child, exited });
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${binary}: ${error.message}`));
    });
    void exited.then(() => {
      clearTimeout(timer);
      // A no-op once ready: only an exit before the ready line rejects.
      reject(
        new Error(
          `redis-server on port ${port} exited before it was ready (code ${child.exitCode}, signal ${child.signalCode}):\n${output()}`,
        ),
      );
    });
  });
}

async function stopProcess({ child, exited }: Running, signal: NodeJS.Signals): Promise<void> {
  keepAlive(child, true);
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill(signal);
  const forced = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(forced);
}

async function runCommand(port: number, [name, ...args]: [string, ...string[]]): Promise<string | null> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    connectTimeout: 2_000,
    // One attempt, no reconnects and no queueing: an unreachable server fails the call at once.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // Connection errors also surface as the rejection below; without a listener ioredis logs them.
  client.on('error', () => {});
  try {
    await client.connect();
    return replyText(await client.call(name, args));
  } finally {
    client.disconnect();
  }
}

function replyText(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'string') return reply;
  if (typeof reply === 'number' || typeof reply === 'bigint') return String(reply);
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  return JSON.stringify(reply);
}

function removeTempDirs(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
