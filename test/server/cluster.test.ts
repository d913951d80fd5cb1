/**
 * Several real service processes (`ringlet serve`) sharing one real Redis: what only whole nodes can show.
 * The protocol itself across nodes is covered by running the protocol suites in two-node mode.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { EndReason, ErrorCode, MemberStatus, RejectReason } from '../../server/protocol.js';
import {
  asConnectErrorData,
  closeAll,
  connectRefused,
  establishCall,
  expectError,
  expectOk,
  getJson,
  httpGet,
  joinRoom,
  member,
  nextEvent,
  request,
  ring,
  sdpOffer,
  userInRoom,
} from '../helpers/index.js';
import { startNode, stopAllNodes, type ServiceNode } from '../helpers/node-cluster.js';
import { startRedis, stopAllRedis, type RedisProcess } from '../helpers/redis-server.js';

/** A dead node's heartbeat lapses after 5 s; then its sockets leave and the grace period runs. */
const NODE_GONE_MS = 15_000;
/** A Redis that is back is reconnected to within a second; then clients reconnect with backoff. */
const BACK_MS = 15_000;
const GRACE_MS = 1_000;

let redis: RedisProcess;
let clusters = 0;

async function cluster(size: number): Promise<ServiceNode[]> {
  redis ??= await startRedis();
  clusters += 1;
  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `cluster${clusters}`,
    RESUME_SECRET: 'a secret every node of the cluster shares',
    REJOIN_GRACE_MS: String(GRACE_MS),
  };
  return Promise.all(Array.from({ length: size }, () => startNode(env)));
}

/** Resolves once `/readyz` answers `status`; polls, since readiness has no event to wait for. */
async function readyzBecomes(node: ServiceNode, status: number, withinMs: number): Promise<unknown> {
  const until = Date.now() + withinMs;
  for (;;) {
    const res = await getJson(`${node.url}/readyz`);
    if (res.status === status) return res.body;
    if (Date.now() > until) assert.fail(`/readyz still ${res.status} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterEach(closeAll);
after(async () => {
  await stopAllNodes();
  await stopAllRedis();
});

describe('several nodes sharing one Redis', () => {
  it('presence, ringing, first-accept-wins across tabs and busy span three nodes', async () => {
    const [n1, n2, n3] = await cluster(3);
    assert.ok(n1 && n2 && n3);
    const alice = await userInRoom(n1.url, 'alice', 'lobby');
    const bobOnN2 = await userInRoom(n2.url, 'bob', 'lobby');
    const bobOnN3 = await userInRoom(n3.url, 'bob', 'lobby');
    const members = await nextEvent(alice, 'room-members', (p) => p.members.length === 2);
    assert.deepEqual(members.members, [member('alice', 'Alice'), member('bob', 'Bob')]);

    const callId = await ring(alice, 'lobby', [bobOnN2, bobOnN3]);
    const answer = expectOk(
      await request(bobOnN3, 'video-call-response', { roomId: 'lobby', accepted: true, callId }),
    );
    assert.equal(answer.accepted, true);
    const elsewhere = await nextEvent(bobOnN2, 'call-ended', (p) => p.callId === callId);
    assert.equal(elsewhere.reason, EndReason.AnsweredElsewhere);
    const lateAnswer = await request(bobOnN2, 'video-call-response', {
      roomId: 'lobby',
      accepted: true,
      callId,
    });
    expectError(lateAnswer, ErrorCode.NotRinging);
    await nextEvent(alice, 'video-call-accepted', (p) => p.callId === callId && p.calleeId === 'bob');

    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    const offer = await nextEvent(bobOnN3, 'offer');
    assert.deepEqual(offer, { callId, from: 'alice', description: sdpOffer });
    assert.deepEqual(
      (
        await nextEvent(alice, 'room-members', (p) =>
          p.members.every((m) => m.status === MemberStatus.InCall),
        )
      ).members.length,
      2,
    );

    const carol = await userInRoom(n2.url, 'carol', 'lobby');
    const busy = expectOk(
      await request(carol, 'video-call-request', {
        roomId: 'lobby',
        callerId: 'carol',
        callerName: 'Carol',
        calleeId: 'bob',
      }),
    );
    const rejected = await nextEvent(carol, 'video-call-rejected', (p) => p.callId === busy.callId);
    assert.equal(rejected.reason, RejectReason.Busy);
  });

  it('a node that dies: its users leave the room and their calls end once the grace period is over', async () => {
    const [n1, n2] = await cluster(2);
    assert.ok(n1 && n2);
    const alice = await userInRoom(n1.url, 'alice', 'lobby');
    const bob = await userInRoom(n2.url, 'bob', 'lobby');
    const { callId } = await establishCall(alice, bob, 'lobby');

    await n1.kill('SIGKILL');
    const ended = await nextEvent(bob, 'call-ended', (p) => p.callId === callId, NODE_GONE_MS);
    assert.deepEqual(ended, { callId, by: null, reason: EndReason.Disconnected });
    const left = await nextEvent(
      bob,
      'room-members',
      (p) => p.members.length === 1 && p.members[0]?.status === MemberStatus.Available,
      NODE_GONE_MS,
    );
    assert.deepEqual(left.members, [member('bob', 'Bob')]);
  });

  it('a ring timeout set by a node that died still fires, on another node', async () => {
    const [n1, n2] = await cluster(2);
    assert.ok(n1 && n2);
    const bob = await userInRoom(n2.url, 'bob', 'lobby');
    const alice = await userInRoom(n1.url, 'alice', 'lobby');
    const callId = await ring(alice, 'lobby', [bob]);
    await n1.kill('SIGKILL');
    // The caller's socket died with its node: the call is cancelled for the callee, not left ringing.
    const ended = await nextEvent(bob, 'call-ended', (p) => p.callId === callId, NODE_GONE_MS);
    assert.equal(ended.reason, EndReason.Cancelled);
  });

  it('Redis down: alive but not ready, requests fail fast; Redis back: calls across nodes work again', async () => {
    const [n1, n2] = await cluster(2);
    assert.ok(n1 && n2);
    const alice = await userInRoom(n1.url, 'alice', 'lobby', 'Alice', { reconnection: true });
    const bob = await userInRoom(n2.url, 'bob', 'lobby', 'Bob', { reconnection: true });

    await redis.stop();
    for (const node of [n1, n2]) {
      const body = (await readyzBecomes(node, 503, 5_000)) as { reason: string };
      assert.match(body.reason, /^Redis unreachable at redis:\/\/127\.0\.0\.1:\d+/);
      assert.equal((await httpGet(`${node.url}/healthz`)).status, 200);
      const metrics = await httpGet(`${node.url}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.body, /^ringlet_state_store_ready 0$/m);
    }
    const started = Date.now();
    const refused = await request(alice, 'video-call-request', {
      roomId: 'lobby',
      callerId: 'alice',
      callerName: 'Alice',
    });
    expectError(refused, ErrorCode.Unavailable);
    assert.ok(Date.now() - started < 500, `the error took ${Date.now() - started} ms`);
    const newcomer = await connectRefused(n2.url, { userId: 'carol', userName: 'Carol' });
    assert.equal(newcomer.message, 'unavailable');
    assert.equal(asConnectErrorData(newcomer.data).code, ErrorCode.Unavailable);

    // The restarted Redis is empty: the nodes notice and have their clients connect again.
    const reconnected = Promise.all(
      [alice, bob].map((socket) => new Promise((resolve) => socket.io.once('reconnect', resolve))),
    );
    await redis.start();
    await Promise.all([n1, n2].map((node) => readyzBecomes(node, 200, BACK_MS)));
    await reconnected;
    await Promise.all([joinRoom(alice, 'lobby'), joinRoom(bob, 'lobby')]);
    const { callId } = await establishCall(alice, bob, 'lobby');
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.equal((await nextEvent(bob, 'offer')).from, 'alice');
  });

  it('a departure Redis cannot take at once is retried: the others see the user leave once it can', async () => {
    const [n1, n2] = await cluster(2);
    assert.ok(n1 && n2);
    const alice = await userInRoom(n1.url, 'alice', 'lobby');
    const bob = await userInRoom(n2.url, 'bob', 'lobby');
    await nextEvent(bob, 'room-members', (p) => p.members.length === 2);
    // Longer than a command may take: the departure fails with the store unavailable, then is tried again.
    await redis.command('CLIENT', 'PAUSE', '2500', 'WRITE');
    alice.disconnect();
    const left = await nextEvent(bob, 'room-members', (p) => p.members.length === 1, NODE_GONE_MS);
    assert.deepEqual(left.members, [member('bob', 'Bob')]);
  });

  it('a node started before its Redis is alive but not ready, and ready once Redis is up', async () => {
    const late = await startRedis();
    await late.stop();
    const node = await startNode({ REDIS_URL: late.url, RESUME_SECRET: 'a secret for the late node' });
    assert.equal((await httpGet(`${node.url}/healthz`)).status, 200);
    assert.match(((await readyzBecomes(node, 503, 1_000)) as { reason: string }).reason, /Redis unreachable/);
    await late.start();
    await readyzBecomes(node, 200, BACK_MS);
    const alice = await userInRoom(node.url, 'alice', 'lobby');
    assert.equal(alice.connected, true);
  });

  it('refuses to start several nodes without a shared resume secret', async () => {
    redis ??= await startRedis();
    await assert.rejects(startNode({ REDIS_URL: redis.url }), /need a shared RESUME_SECRET/);
  });
});
