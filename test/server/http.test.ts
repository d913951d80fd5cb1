import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { PROTOCOL_VERSION } from '../../server/protocol.js';
import {
  closeAll,
  establishCall,
  getJson,
  httpGet,
  ring,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

describe('GET /healthz', () => {
  test('answers 200 JSON with status, versions, uptime and counts', async () => {
    const { url } = await startServer();
    const res = await getJson(`${url}/healthz`);
    assert.equal(res.status, 200);
    const body = res.body as Record<string, unknown>;
    assert.equal(typeof body.uptimeSeconds, 'number');
    assert.ok((body.uptimeSeconds as number) >= 0);
    assert.deepEqual(body, {
      status: 'ok',
      version: '0.1.0',
      protocolVersion: PROTOCOL_VERSION,
      uptimeSeconds: body.uptimeSeconds,
      connections: 0,
      rooms: 0,
      calls: { ringing: 0, active: 0 },
    });
  });

  test('counts connections, rooms and calls', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r2');
    await userInRoom(url, 'dave', 'r2');
    await establishCall(alice, bob, 'r1');
    await ring(carol, 'r2', []);
    const { body } = await getJson(`${url}/healthz`);
    const { connections, rooms, calls } = body as Record<string, unknown>;
    assert.deepEqual(
      { connections, rooms, calls },
      { connections: 4, rooms: 2, calls: { ringing: 1, active: 1 } },
    );
  });
});

describe('GET /readyz', () => {
  test('answers 200 { status: "ready" } while the service takes calls', async () => {
    const { url } = await startServer();
    assert.deepEqual(await getJson(`${url}/readyz`), { status: 200, body: { status: 'ready' } });
  });
});

describe('other paths', () => {
  test('an unknown path is a 404, not a crash', async () => {
    const { url } = await startServer();
    const res = await httpGet(`${url}/no-such-page`);
    assert.equal(res.status, 404);
    assert.deepEqual(await getJson(`${url}/readyz`), { status: 200, body: { status: 'ready' } });
  });
});
