import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  byUserId,
  closeAll,
  connectClient,
  connectRefused,
  httpGet,
  joinRoom,
  member,
  startServer,
} from '../helpers/index.js';

afterEach(closeAll);

const POLLING_HANDSHAKE = '/socket.io/?EIO=4&transport=polling';

describe('identity in open mode', () => {
  const invalid: Array<[string, Record<string, unknown>]> = [
    ['no auth at all', {}],
    ['a missing userId', { userName: 'Alice' }],
    ['an empty userId', { userId: '', userName: 'Alice' }],
    ['a userId with a space', { userId: 'al ice', userName: 'Alice' }],
    ['a userId with a slash', { userId: 'alice/../bob', userName: 'Alice' }],
    ['a userId of 65 characters', { userId: 'a'.repeat(65), userName: 'Alice' }],
    ['a numeric userId', { userId: 42, userName: 'Alice' }],
    ['an object userId', { userId: { id: 'alice' }, userName: 'Alice' }],
    ['an array userId', { userId: ['alice'], userName: 'Alice' }],
    ['a numeric userName', { userId: 'alice', userName: 7 }],
    ['a blank userName', { userId: 'alice', userName: '   ' }],
    ['a userName of 101 characters', { userId: 'alice', userName: 'A'.repeat(101) }],
  ];
  for (const [what, auth] of invalid) {
    test(`refuses ${what} with connect_error "invalid-identity"`, async () => {
      const { url } = await startServer();
      const refused = await connectRefused(url, auth);
      assert.equal(refused.message, 'invalid-identity');
      const data = refused.data as { code: unknown; message: unknown };
      assert.equal(typeof data.message, 'string');
      assert.deepEqual(data, { code: 'invalid-identity', message: data.message });
    });
  }

  test('accepts a 64-character id using every allowed character class', async () => {
    const { url } = await startServer();
    const userId = `Az09_.:@-${'x'.repeat(55)}`;
    assert.equal(userId.length, 64);
    const socket = await connectClient(url, { userId, userName: 'Edge' });
    const joined = await joinRoom(socket, 'r1');
    assert.deepEqual(joined.members, [member(userId, 'Edge')]);
  });

  test('trims the userName and defaults it to the userId', async () => {
    const { url } = await startServer();
    const alice = await connectClient(url, { userId: 'alice', userName: '  Alice Liddell  ' });
    const bob = await connectClient(url, { userId: 'bob' });
    await joinRoom(alice, 'r1');
    const joined = await joinRoom(bob, 'r1');
    assert.deepEqual(byUserId(joined.members), [member('alice', 'Alice Liddell'), member('bob', 'bob')]);
  });

  test('anyone may claim any id in open mode, several connections included', async () => {
    const { url } = await startServer();
    await connectClient(url, { userId: 'alice', userName: 'Alice' });
    await connectClient(url, { userId: 'alice', userName: 'Alice' });
  });
});

describe('Origin allowlist', () => {
  const allowedOrigins = ['https://shop.example', 'http://localhost:8080'];

  test('refuses a disallowed Origin at the HTTP handshake with 403', async () => {
    const { url } = await startServer({ allowedOrigins });
    const res = await httpGet(`${url}${POLLING_HANDSHAKE}`, { Origin: 'https://evil.example' });
    assert.equal(res.status, 403);
  });

  test('refuses a WebSocket client sending a disallowed Origin', async () => {
    const { url } = await startServer({ allowedOrigins });
    await connectRefused(
      url,
      { userId: 'mallory', userName: 'Mallory' },
      { extraHeaders: { Origin: 'https://evil.example' } },
    );
  });

  test('accepts an allowed Origin and answers with CORS headers for it', async () => {
    const { url } = await startServer({ allowedOrigins });
    const res = await httpGet(`${url}${POLLING_HANDSHAKE}`, { Origin: 'https://shop.example' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://shop.example');
    await connectClient(
      url,
      { userId: 'alice', userName: 'Alice' },
      { extraHeaders: { Origin: 'http://localhost:8080' } },
    );
  });

  test('accepts a connection without an Origin header (not a browser)', async () => {
    const { url } = await startServer({ allowedOrigins });
    const res = await httpGet(`${url}${POLLING_HANDSHAKE}`);
    assert.equal(res.status, 200);
    await connectClient(url, { userId: 'alice', userName: 'Alice' });
  });

  test('accepts any Origin when no allowlist is configured', async () => {
    const { url } = await startServer();
    const res = await httpGet(`${url}${POLLING_HANDSHAKE}`, { Origin: 'https://anywhere.example' });
    assert.equal(res.status, 200);
    await connectClient(
      url,
      { userId: 'alice', userName: 'Alice' },
      { extraHeaders: { Origin: 'https://anywhere.example' } },
    );
  });
});
