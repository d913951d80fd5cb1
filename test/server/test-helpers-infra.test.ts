// Proves the multi-process test helpers work for real: a Redis server that stops and restarts on its port,
// and service nodes run from the build output.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { startNode, stopAllNodes } from '../helpers/node-cluster.js';
import { startRedis, stopAllRedis, type RedisProcess } from '../helpers/redis-server.js';

/** Resolves with the error code of a TCP connection attempt to `port` (or `connected` if it succeeds). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** GET a JSON endpoint. (Not `getJson` from helpers/server.ts: that loads the server's sources, and these
 * helpers must work from the build alone.) */
async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return { status: res.status, body: (await res.json()) as unknown };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('test helper: startRedis', () => {
  let redis: RedisProcess;
  after(stopAllRedis);

  it('starts a redis-server on a free loopback port that answers PING', async () => {
    redis = await startRedis();
    assert.equal(redis.url, `redis://127.0.0.1:${redis.port}`);
    assert.ok(redis.pid !== undefined && isAlive(redis.pid), 'redis-server is running');
    assert.equal(await redis.command('PING'), 'PONG');
  });

  it('round-trips SET and GET, with integers and nil replies as text and null', async () => {
    assert.equal(await redis.command('SET', 'greeting', 'hello'), 'OK');
    assert.equal(await redis.command('GET', 'greeting'), 'hello');
    assert.equal(await redis.command('INCR', 'counter'), '1');
    assert.equal(await redis.command('GET', 'missing'), null);
    await assert.rejects(redis.command('NOSUCHCOMMAND'), /unknown command/i);
  });

  it('stop() kills the server: connections are refused and commands reject', async () => {
    const pid = redis.pid!;
    await redis.stop();
    assert.equal(redis.pid, undefined);
    assert.equal(isAlive(pid), false, 'the process is gone');
    assert.equal(await tryConnect(redis.port), 'ECONNREFUSED');
    await assert.rejects(redis.command('PING'), /ECONNREFUSED|Connection is closed/);
    await redis.stop(); // idempotent
  });

  it('start() brings it back on the same port, empty (no persistence)', async () => {
    const { port, url } = redis;
    await redis.start();
    assert.equal(redis.port, port);
    assert.equal(redis.url, url);
    assert.equal(await redis.command('PING'), 'PONG');
    assert.equal(await redis.command('GET', 'greeting'), null);
    assert.equal(await redis.command('DBSIZE'), '0');
  });

  it('runs independent servers side by side', async () => {
    const other = await startRedis();
    assert.notEqual(other.port, redis.port);
    await other.command('SET', 'k', 'other');
    assert.equal(await redis.command('GET', 'k'), null);
    assert.equal(await other.command('GET', 'k'), 'other');
    await other.stop();
    assert.equal(await redis.command('PING'), 'PONG', 'stopping one leaves the other running');
  });
});

describe('test helper: startNode', () => {
  afterEach(stopAllNodes);

  it('runs the built service, which answers /healthz; kill() leaves the port refusing connections', async () => {
    const node = await startNode();
    assert.equal(node.url, `http://127.0.0.1:${node.port}`);
    assert.ok(isAlive(node.pid), 'the service is running');
    assert.ok(
      node.logs.some((line) => line.includes('"msg":"listening"')),
      'logs hold the listening line',
    );

    const health = await getJson(`${node.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((health.body as { status: string }).status, 'ok');

    assert.equal(await node.kill('SIGKILL'), null, 'killed by a signal: no exit code');
    assert.deepEqual(await node.exited, { code: null, signal: 'SIGKILL' });
    assert.equal(isAlive(node.pid), false, 'the process is gone');
    assert.equal(await tryConnect(node.port), 'ECONNREFUSED');
  });

  it('stop() shuts a node down gracefully (exit code 0); nodes run side by side', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()]);
    assert.notEqual(a.port, b.port);
    await a.stop();
    assert.deepEqual(await a.exited, { code: 0, signal: null });
    assert.ok(a.logs.some((line) => line.includes('"msg":"shutting down"')));
    assert.equal((await getJson(`${b.url}/healthz`)).status, 200, 'the other node still serves');
  });

  it('rejects with the output when the service exits before listening', async () => {
    await assert.rejects(startNode({ PORT: 'eighty' }), (error: Error) => {
      assert.match(error.message, /exited before listening \(code 2/);
      assert.match(error.message, /PORT must be an integer from 0 to 65535 \(got "eighty"\)/);
      return true;
    });
  });
});
