/**
 * Abuse: volume. Event floods (maxEventsPerSecond), ring spam, room hoarding, connection floods
 * (maxConnectionsPerMinutePerIp, maxSocketsPerUser). Each case checks the exact error, that a member of
 * the same room and a member of another room heard nothing of it, and that others keep being served.
 * Bystanders and neighbours connect from other loopback addresses (127.0.0.2, 127.0.0.3) so that
 * per-address budgets see them as the strangers they are.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { HANDSHAKE_BUDGET_FACTOR } from '../../server/limits.js';
import { ErrorCode } from '../../server/protocol.js';
import {
  bystanders,
  expectNothing,
  expectNothingLeaked,
  expectRefusal,
  expectServiceWorks,
  health,
  quiet,
  tryConnect,
} from '../helpers/abuse.js';
import {
  closeAll,
  connectClient,
  connectRefused,
  displayName,
  establishCall,
  expectError,
  expectOk,
  httpGet,
  joinRoom,
  nextDisconnect,
  nextEvent,
  received,
  request,
  requestRaw,
  sdpOffer,
  send,
  startServer,
  userInRoom,
  type ClientSocket,
  type ConnectOptions,
} from '../helpers/index.js';

afterEach(closeAll);

const NEIGHBOUR = '127.0.0.2';
const BYSTANDER_ADDRESS = '127.0.0.3';
/** A budget small enough to flood quickly, big enough for a normal call's handful of events. */
const EVENTS_PER_SECOND = 10;

/** Connects from `address`; the service sees it as another machine. */
function connectFrom(address: string, url: string, userId: string, opts: ConnectOptions = {}) {
  return connectClient(url, { userId, userName: displayName(userId) }, { ...opts, localAddress: address });
}

/** Bystanders from their own address, so that connection budgets of 127.0.0.1 do not count them. */
function bystandersFrom(url: string, room = 'r1') {
  return bystanders(url, room, (userId) => connectFrom(BYSTANDER_ADDRESS, url, userId));
}

describe('event floods (maxEventsPerSecond)', () => {
  test('acked requests past the budget get rate-limited, then the flooder is disconnected; others keep their budget', async () => {
    const { url } = await startServer({ maxEventsPerSecond: EVENTS_PER_SECOND });
    const b = await bystanders(url);
    const flooder = await connectClient(url, { userId: 'flooder' });

    // carol asks for a few things in the middle of the flood: each connection has its own budget.
    const [acks, theirs] = await Promise.all([
      Promise.all(
        Array.from({ length: 2 * EVENTS_PER_SECOND }, () => request(flooder, 'join-room', { roomId: 'r1' })),
      ),
      Promise.all(Array.from({ length: 3 }, () => request(b.near, 'join-room', { roomId: 'r1' }))),
    ]);
    for (const ack of theirs) expectOk(ack);
    assert.equal(acks.filter((ack) => ack.ok).length, EVENTS_PER_SECOND);
    for (const ack of acks.slice(EVENTS_PER_SECOND)) expectError(ack, ErrorCode.RateLimited);
    const gone = nextDisconnect(flooder);
    for (let i = 0; i < EVENTS_PER_SECOND; i += 1) send(flooder, 'leave-room', { roomId: 'r1' });
    assert.equal(await gone, 'io server disconnect');

    // carol saw the flooder come and go (room-members), nothing else; dave nothing at all.
    await expectNothingLeaked(b, { presence: true });
    await expectNothing([b.far]);
    await expectServiceWorks(url);
  });

  test('a flood without acks, of unknown events, is disconnected just the same', async () => {
    const { url } = await startServer({ maxEventsPerSecond: EVENTS_PER_SECOND });
    const b = await bystanders(url);
    const flooder = await userInRoom(url, 'flooder', 'r1');
    await quiet(b.near);

    const gone = nextDisconnect(flooder);
    for (let i = 0; i < 3 * EVENTS_PER_SECOND; i += 1) send(flooder, `no-such-event-${i}`, { i });
    assert.equal(await gone, 'io server disconnect');

    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('a flood of malformed payloads spends the budget too: invalid-payload, then rate-limited, then gone', async () => {
    const { url } = await startServer({ maxEventsPerSecond: EVENTS_PER_SECOND });
    const b = await bystanders(url);
    const flooder = await connectClient(url, { userId: 'flooder' });

    const acks = await Promise.all(
      Array.from({ length: 2 * EVENTS_PER_SECOND }, () => requestRaw(flooder, 'offer', [{ callId: 42 }])),
    );
    for (const ack of acks.slice(0, EVENTS_PER_SECOND)) expectError(ack, ErrorCode.InvalidPayload);
    for (const ack of acks.slice(EVENTS_PER_SECOND)) expectError(ack, ErrorCode.RateLimited);
    const gone = nextDisconnect(flooder);
    for (let i = 0; i < EVENTS_PER_SECOND; i += 1) send(flooder, 'offer', null);
    assert.equal(await gone, 'io server disconnect');

    await expectNothingLeaked(b);
    await expectServiceWorks(url);
  });

  test('an offer flood inside a call: only offers within the budget reach the peer, then the flooder is gone', async () => {
    const { url } = await startServer({ maxEventsPerSecond: EVENTS_PER_SECOND, rejoinGraceMs: 100 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const { callId } = await establishCall(alice, bob, 'r1');
    // A fresh second for alice's budget: the set-up spent some of it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await quiet(bob, b.near);

    const acks = await Promise.all(
      Array.from({ length: 2 * EVENTS_PER_SECOND }, () =>
        request(alice, 'offer', { callId, description: sdpOffer }),
      ),
    );
    const relayed = acks.filter((ack) => ack.ok).length;
    assert.equal(relayed, EVENTS_PER_SECOND);
    for (const ack of acks.filter((a) => !a.ok)) expectError(ack, ErrorCode.RateLimited);
    const gone = nextDisconnect(alice);
    for (let i = 0; i < EVENTS_PER_SECOND; i += 1) send(alice, 'offer', { callId, description: sdpOffer });
    assert.equal(await gone, 'io server disconnect');

    // bob got exactly the offers that were acked, then the end of the call once alice's grace ran out.
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: null, reason: 'disconnected' });
    assert.equal(received(bob, 'offer').length, relayed);
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('ring spam: repeated video-call-requests ring the callee once; the rest are already-in-call', async () => {
    const { url } = await startServer();
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url, 'r2');
    await quiet(bob);

    const acks = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(mallory, 'video-call-request', {
          roomId: 'r1',
          callerId: 'mallory',
          callerName: 'Mallory',
          calleeId: 'bob',
        }),
      ),
    );
    const placed = acks.filter((ack) => ack.ok);
    assert.equal(placed.length, 1);
    for (const ack of acks.filter((a) => !a.ok)) expectError(ack, ErrorCode.AlreadyInCall);
    await nextEvent(bob, 'incoming-video-call');
    await expectNothing([bob], { presence: true });
    assert.equal(received(bob, 'incoming-video-call').length, 1);
    assert.deepEqual((await health(url)).calls, { ringing: 1, active: 0 });

    await expectNothingLeaked(b);
    await expectServiceWorks(url);
  });

  test('room hoarding: joins past maxRoomsPerSocket get too-many-rooms and create no rooms', async () => {
    const { url } = await startServer({ maxRoomsPerSocket: 5 });
    const b = await bystanders(url);
    const hoarder = await connectClient(url, { userId: 'hoarder' });

    const acks = await Promise.all(
      Array.from({ length: 40 }, (_, i) => request(hoarder, 'join-room', { roomId: `hoard-${i}` })),
    );
    assert.equal(acks.filter((ack) => ack.ok).length, 5);
    for (const ack of acks.filter((a) => !a.ok)) expectError(ack, ErrorCode.TooManyRooms);
    assert.equal((await health(url)).rooms, 2 + 5);
    hoarder.disconnect();

    await expectNothingLeaked(b);
    await expectServiceWorks(url);
  });
});

describe('connection floods', () => {
  test('a burst past maxConnectionsPerMinutePerIp is refused with rate-limited; a neighbour on 127.0.0.2 calls as usual', async () => {
    const budget = 4;
    const { url } = await startServer({ maxConnectionsPerMinutePerIp: budget });
    const b = await bystandersFrom(url);

    const outcomes = await Promise.all(
      Array.from({ length: 15 }, (_, i) => tryConnect(url, { userId: `flood-${i}` })),
    );
    assert.equal(outcomes.filter((o) => o.kind === 'connected').length, budget);
    const refused = outcomes.filter((o) => o.kind === 'refused');
    assert.equal(refused.length, 15 - budget);
    for (const o of refused) expectRefusal(o, 'rate-limited', ErrorCode.RateLimited);
    expectRefusal(await connectRefused(url, { userId: 'one-more' }), 'rate-limited', ErrorCode.RateLimited);

    await expectNothingLeaked(b);
    await expectServiceWorks(url, (userId) => connectFrom(NEIGHBOUR, url, userId));
  });

  test('connecting and disconnecting in a loop spends the budget too (per minute, not at once)', async () => {
    const budget = 5;
    const { url } = await startServer({ maxConnectionsPerMinutePerIp: budget });
    const b = await bystandersFrom(url);

    for (let i = 0; i < budget; i += 1) {
      assert.deepEqual(await tryConnect(url, { userId: `loop-${i}` }), { kind: 'connected' });
    }
    const next = await tryConnect(url, { userId: 'loop-next' });
    assert.equal(next.kind, 'refused');
    if (next.kind === 'refused') expectRefusal(next, 'rate-limited', ErrorCode.RateLimited);
    // Over HTTP long-polling the same.
    const polling = await tryConnect(url, { userId: 'loop-polling' }, { transports: ['polling'] });
    assert.equal(polling.kind === 'refused' && polling.message, 'rate-limited');

    await expectNothingLeaked(b);
    assert.equal((await health(url)).connections, 2);
    await expectServiceWorks(url, (userId) => connectFrom(NEIGHBOUR, url, userId));
  });

  test('a flood does not touch connections already open from the same address', async () => {
    const { url } = await startServer({ maxConnectionsPerMinutePerIp: 3 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystandersFrom(url);
    await quiet(alice, bob);

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => tryConnect(url, { userId: `f${i}` })),
    );
    assert.equal(outcomes.filter((o) => o.kind === 'connected').length, 1);
    for (const o of outcomes.filter((x) => x.kind !== 'connected')) {
      if (o.kind === 'refused') expectRefusal(o, 'rate-limited', ErrorCode.RateLimited);
      else assert.fail(`expected a refusal, got ${JSON.stringify(o)}`);
    }

    await expectNothing([alice, bob]);
    const { callId } = await establishCall(alice, bob, 'r1');
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    await nextEvent(bob, 'offer');
    await expectNothingLeaked(b, { presence: true });
    await expectNothing([b.far]);
  });

  test('one user opening tabs past maxSocketsPerUser is refused (rate-limited); other users are not', async () => {
    const { url } = await startServer({ maxSocketsPerUser: 3 });
    const b = await bystanders(url);
    const tabs: ClientSocket[] = [];
    for (let i = 0; i < 3; i += 1) tabs.push(await userInRoom(url, 'mallory', 'r1'));
    await quiet(b.near);

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => tryConnect(url, { userId: 'mallory' })),
    );
    for (const o of outcomes) {
      if (o.kind === 'refused') expectRefusal(o, 'rate-limited', ErrorCode.RateLimited);
      else assert.fail(`expected a refusal, got ${JSON.stringify(o)}`);
    }

    await expectNothingLeaked(b);
    assert.equal((await health(url)).connections, 2 + 3);
    await expectServiceWorks(url);
  });

  test(
    'Engine.IO handshakes that never connect to Socket.IO count against the per-address budget too',
    {},
    async () => {
      const budget = 3;
      const handshakes = HANDSHAKE_BUDGET_FACTOR * budget;
      const { url } = await startServer({ maxConnectionsPerMinutePerIp: budget });
      const statuses: number[] = [];
      for (let i = 0; i < handshakes + 5; i += 1) {
        statuses.push((await httpGet(`${url}/socket.io/?EIO=4&transport=polling`)).status);
      }
      // Bare handshakes get a coarser budget, so clients that retry still meet the clearer Socket.IO refusal.
      assert.equal(statuses.filter((s) => s === 200).length, handshakes, JSON.stringify(statuses));
      assert.equal(statuses.filter((s) => s === 403).length, 5, JSON.stringify(statuses));
      assert.ok((await health(url)).connections <= handshakes);
      const neighbour = await connectFrom(NEIGHBOUR, url, 'neighbour');
      await joinRoom(neighbour, 'r1');
    },
  );
});
