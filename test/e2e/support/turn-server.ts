import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's coturn; set TURNSERVER_PATH to use another build. */
export const TURNSERVER_PATH = process.env.TURNSERVER_PATH ?? 'turnserver';
const REALM = 'ringlet.test';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** A real coturn on loopback, with the REST credentials scheme (`use-auth-secret`) the service hands out. */
export interface TurnServer {
  /** Its UDP port (the same one across {@link TurnServer.restart}). */
  port: number;
  /** `turn:127.0.0.1:<port>?transport=udp`, for the service's `turn.urls`. */
  url: string;
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** Whether the process runs (false between `kill()` and `restart()`). */
  readonly running: boolean;
  /** Its log so far (stdout), for failure messages. */
  log(): string;
  /** Kills it the way a crash would (SIGKILL by default): relayed media stops at once. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port, with the same secret; resolves once it answers STUN. */
  restart(): Promise<void>;
  /** Stops it for good and removes its files. */
  stop(): Promise<void>;
}

export interface TurnServerOptions {
  /** Default: random. */
  secret?: string;
}

/** A free UDP port on 127.0.0.1 (coturn also listens on TCP on it; loopback TCP ports are rarely taken). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Sends STUN Binding requests until one is answered: coturn is listening. */
async function waitForStun(port: number, timeoutMs: number, exited: () => boolean): Promise<void> {
  const socket = createSocket('udp4');
  const answered = new Promise<void>((resolve) => socket.once('message', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited()) throw new Error('turnserver exited before it listened');
      if (Date.now() > deadline)
        throw new Error(`turnserver did not answer STUN on ${port} in ${timeoutMs} ms`);
      // RFC 8489: type Binding request, length 0, magic cookie, 96-bit transaction id.
      const request = Buffer.concat([
        Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]),
        randomBytes(12),
      ]);
      socket.send(request, port, '127.0.0.1');
      const result = await Promise.race([
        answered.then(() => 'ready' as const),
        new Promise<'retry'>((resolve) => setTimeout(() => resolve('retry'), 100)),
      ]);
      if (result === 'ready') return;
    }
  } finally {
    socket.close();
  }
}

/**
 * Starts `turnserver` on a free loopback port as TESTING.md describes (loopback peers allowed, no TLS/DTLS,
 * no CLI), with its pid file and database in a temporary directory so that several can run at once.
 */
export async function startTurnServer(options: TurnServerOptions = {}): Promise<TurnServer> {
  const port = await freeUdpPort();
  const secret = options.secret ?? randomBytes(12).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'ringlet-turn-'));
  let child: ChildProcess | null = null;
  let exited = true;
  let output = '';

  async function start(): Promise<void> {
    const proc = spawn(
      TURNSERVER_PATH,
      [
        '-n',
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${port}`,
        '--allow-loopback-peers',
        '--use-auth-secret',
        `--static-auth-secret=${secret}`,
        `--realm=${REALM}`,
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        '--log-file=stdout',
        `--pidfile=${join(dir, 'turnserver.pid')}`,
        `--db=${join(dir, 'turndb')}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    exited = false;
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.once('exit', () => {
      exited = true;
    });
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', resolve);
      proc.once('error', reject);
    });
    try {
      await waitForStun(port, READY_TIMEOUT_MS, () => exited);
    } catch (error) {
      proc.kill('SIGKILL');
      throw new Error(`${String(error)}\n--- turnserver log ---\n${output.slice(-3_000)}`, { cause: error });
    }
  }

  async function kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = child;
    if (!proc || exited) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
  }

  await start();
  return {
    port,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    get running() {
      return !exited;
    },
    log: () => output,
    kill,
    restart: start,
    async stop() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
