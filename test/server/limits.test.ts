import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { ErrorCode } from '../../server/protocol.js';
import {
  asConnectErrorData,
  closeAll,
  connectClient,
  connectRefused,
  expectError,
  expectOk,
  joinRoom,
  nextDisconnect,
  nextEvent,
  request,
  startServer,
} from '../helpers/index.js';

/** Connects from another loopback address, so per-address limits see an innocent neighbour. */
function connectFrom(localAddress: string, url: string, userId: string): Promise<string> {
  // engine.io-client hands `localAddress` on to Node's WebSocket, though its browser-first types omit it.
  const nodeOnly: object = { localAddress };
  const socket = io(url, {
    ...nodeOnly,
    auth: { userId },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve(error.message);
    });
  });
}

describe('rate limits', () => {
  afterEach(closeAll);

  it('answers an event flood with rate-limited, then disconnects it; others are unaffected', async () => {
    const { url } = await startServer({ maxEventsPerSecond: 5 });
    const flooder = await connectClient(url, { userId: 'flooder' });
    const neighbour = await connectClient(url, { userId: 'neighbour' });
    const acks = await Promise.all(
      Array.from({ length: 8 }, () => request(flooder, 'join-room', { roomId: 'r1' })),
    );
    assert.equal(acks.filter((ack) => ack.ok).length, 5);
    for (const ack of acks.slice(5)) expectError(ack, ErrorCode.RateLimited);
    const gone = nextDisconnect(flooder);
    for (let i = 0; i < 5; i += 1) flooder.emit('leave-room', { roomId: 'r1' });
    assert.equal(await gone, 'io server disconnect');
    expectOk(await request(neighbour, 'join-room', { roomId: 'r1' }));
  });

  it('refuses new connections from one address past the per-minute budget, not from another address', async () => {
    const { url } = await startServer({ maxConnectionsPerMinutePerIp: 2 });
    await connectClient(url, { userId: 'a' });
    await connectClient(url, { userId: 'b' });
    const refused = await connectRefused(url, { userId: 'c' });
    assert.equal(refused.message, 'rate-limited');
    assert.equal(asConnectErrorData(refused.data).code, ErrorCode.RateLimited);
    assert.equal(await connectFrom('127.0.0.2', url, 'd'), 'connected');
  });

  it('with TRUST_PROXY, budgets follow X-Forwarded-For', async () => {
    const { url } = await startServer({ maxConnectionsPerMinutePerIp: 1, trustProxy: true });
    const from = (address: string) => ({ extraHeaders: { 'X-Forwarded-For': `${address}, 10.0.0.1` } });
    await connectClient(url, { userId: 'a' }, from('203.0.113.1'));
    assert.equal((await connectRefused(url, { userId: 'b' }, from('203.0.113.1'))).message, 'rate-limited');
    await connectClient(url, { userId: 'c' }, from('203.0.113.2'));
  });

  it('caps connections per user, and frees a slot when one closes', async () => {
    const { url } = await startServer({ maxSocketsPerUser: 2 });
    const first = await connectClient(url, { userId: 'alice' });
    await connectClient(url, { userId: 'alice' });
    const refused = await connectRefused(url, { userId: 'alice' });
    assert.equal(refused.message, 'rate-limited');
    assert.match(asConnectErrorData(refused.data).message, /for this user/);
    // Bob watches a room only the first tab joined, to learn when the service has seen it go.
    const bob = await connectClient(url, { userId: 'bob' });
    await joinRoom(first, 'watch');
    await joinRoom(bob, 'watch');
    const firstGone = nextEvent(bob, 'room-members', ({ members }) => members.length === 1);
    first.disconnect();
    await firstGone;
    const third = await connectClient(url, { userId: 'alice' });
    await joinRoom(third, 'r1');
  });
});
