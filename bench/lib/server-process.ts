/**
 * Spawns a server under test (server-child.ts) in its own process and talks to it over IPC:
 * its URL, its CPU time (`process.cpuUsage()`, user + system) and its memory after full collections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  isChildReply,
  type ChildReply,
  type ClusterOptions,
  type MemorySample,
  type ServerKind,
} from './server-protocol.js';

export type { ClusterOptions, MemorySample, ServerKind } from './server-protocol.js';

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  kind: ServerKind;
  url: string;
  pid: number;
  /** CPU time the process has used so far, user + system, in microseconds. */
  cpuMicros(): Promise<number>;
  /** `process.memoryUsage()` after full garbage collections. */
  memory(): Promise<MemorySample>;
  /** Kills the process (idempotent). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every server still running; the runner calls it on exit, so no child outlives a crashed bench. */
export function killAllServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Starts a server alone in a child process; `cluster` makes a Ringlet server one node of a Redis cluster. */
export async function startServerProcess(kind: ServerKind, cluster?: ClusterOptions): Promise<ServerProcess> {
  const clusterArgs = cluster ? [cluster.redisUrl, cluster.redisKeyPrefix] : [];
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, kind, ...clusterArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  let nextId = 1;
  const pending = new Map<number, (reply: ChildReply) => void>();
  let onReady: ((url: string) => void) | undefined;
  child.on('message', (message: unknown) => {
    if (!isChildReply(message)) return;
    if (message.type === 'ready') {
      onReady?.(message.url);
      return;
    }
    const resolve = pending.get(message.id);
    pending.delete(message.id);
    resolve?.(message);
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${kind} server: not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    onReady = (address) => {
      clearTimeout(timer);
      resolve(address);
    };
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited before it was ready (code ${code}, signal ${signal})`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  function request(type: 'cpu' | 'memory'): Promise<ChildReply> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${kind} server: no answer to "${type}" within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ id, type });
    });
  }

  return {
    kind,
    url,
    pid: child.pid ?? -1,
    async cpuMicros() {
      const reply = await request('cpu');
      if (reply.type !== 'cpu') throw new Error(`${kind} server: unexpected reply ${reply.type}`);
      return reply.micros;
    },
    async memory() {
      const reply = await request('memory');
      if (reply.type !== 'memory') throw new Error(`${kind} server: unexpected reply ${reply.type}`);
      return reply.memory;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
