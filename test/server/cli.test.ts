import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, it } from 'node:test';
import { closeAll, connectClient, getJson, joinRoom, nextEvent, startServer } from '../helpers/index.js';

const CLI = new URL('../../server/cli.ts', import.meta.url).pathname;

/** Starts `ringlet serve` as a real process and resolves with its URL once it logs that it listens. */
async function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], {
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === 'listening' && entry.url) return { child, url: entry.url };
  }
  throw new Error('ringlet serve exited before listening');
}

async function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('ringlet serve (CLI)', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(async () => {
    await closeAll();
    child?.kill('SIGKILL');
  });

  it('reads flags over environment variables and serves /healthz', async () => {
    // PORT alone would be refused; the flag must win for the service to start.
    const started = await serve(['--port', '0', '--host', '127.0.0.1'], { PORT: 'not-a-port' });
    child = started.child;
    const health = await getJson(`${started.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((health.body as { status: string }).status, 'ok');
  });

  it('on SIGTERM tells clients, closes and exits 0 within seconds', async () => {
    const started = await serve(['--port', '0', '--host', '127.0.0.1']);
    child = started.child;
    const alice = await connectClient(started.url, { userId: 'alice' });
    await joinRoom(alice, 'r1');
    const shutdown = nextEvent(alice, 'service-shutdown');
    const began = Date.now();
    child.kill('SIGTERM');
    assert.match((await shutdown).message, /shutting down/);
    assert.equal(await exitOf(child), 0);
    assert.ok(Date.now() - began < 5_000, 'exits within seconds');
  });

  it('ringlet token mints a token the service accepts in AUTH_SECRET mode', async () => {
    const secret = 'cli-test-secret-0123456789abcdef';
    const minted = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'token', '--user-id', 'alice', '--user-name', 'Alice', '--rooms', 'r1'],
      { env: { ...process.env, AUTH_SECRET: secret } },
    );
    let token = '';
    minted.stdout.on('data', (chunk: Buffer) => (token += chunk.toString()));
    assert.equal(await exitOf(minted), 0);
    const { url } = await startServer({ authSecret: secret });
    const alice = await connectClient(url, { token: token.trim() });
    assert.deepEqual((await joinRoom(alice, 'r1')).members, [
      { userId: 'alice', userName: 'Alice', status: 'available' },
    ]);
  });

  it('refuses bad configuration with a readable message and exit code 2', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', 'eighty']);
    let stderr = '';
    bad.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    assert.equal(await exitOf(bad), 2);
    assert.match(stderr, /PORT must be an integer from 0 to 65535 \(got "eighty"\)/);
  });
});
