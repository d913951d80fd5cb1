import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, test } from 'node:test';
import {
  byUserId,
  closeAll,
  connectClient,
  establishCall,
  expectError,
  expectOk,
  flush,
  joinRoom,
  member,
  nextDisconnect,
  nextEvent,
  participant,
  pending,
  request,
  sdpAnswer,
  sdpOffer,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

const bothParticipants = [participant('alice', 'Alice'), participant('bob', 'Bob')];

describe('rejoin-call within the grace period', () => {
  test('the callee reconnects, rejoins and signaling continues; the grace timer is cancelled', async () => {
    const graceMs = 500;
    const { url } = await startServer({ rejoinGraceMs: graceMs });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId, calleeToken } = await establishCall(alice, bob, 'r1');

    bob.disconnect();
    const bobAgain = await userInRoom(url, 'bob', 'r1');
    const ack = expectOk(await request(bobAgain, 'rejoin-call', { callId, resumeToken: calleeToken }));
    assert.deepEqual(
      { ...ack, participants: byUserId(ack.participants) },
      { ok: true, participants: bothParticipants },
    );

    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(bobAgain, 'offer'), { callId, from: 'alice', description: sdpOffer });
    expectOk(await request(bobAgain, 'answer', { callId, description: sdpAnswer }));
    assert.deepEqual(await nextEvent(alice, 'answer'), { callId, from: 'bob', description: sdpAnswer });

    await nextEvent(
      alice,
      'room-members',
      (p) =>
        JSON.stringify(byUserId(p.members)) ===
        JSON.stringify([member('alice', 'Alice', 'in-call'), member('bob', 'Bob', 'in-call')]),
    );

    // Proving that the grace timer does not fire takes waiting past it.
    await sleep(graceMs + 200);
    await flush(alice, bobAgain);
    assert.deepEqual(pending(alice, 'call-ended'), []);
    assert.deepEqual(pending(bobAgain, 'call-ended'), []);
    expectOk(await request(alice, 'media-state', { callId, audio: true, video: false }));
    assert.deepEqual(await nextEvent(bobAgain, 'media-state'), {
      callId,
      from: 'alice',
      audio: true,
      video: false,
    });
  });

  test('the caller may rejoin with the token from video-call-accepted', async () => {
    const { url } = await startServer({ rejoinGraceMs: 2_000 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId, callerToken } = await establishCall(alice, bob, 'r1');

    alice.disconnect();
    const aliceAgain = await connectClient(url, { userId: 'alice', userName: 'Alice' });
    const ack = expectOk(await request(aliceAgain, 'rejoin-call', { callId, resumeToken: callerToken }));
    assert.deepEqual(byUserId(ack.participants), bothParticipants);
    expectOk(await request(bob, 'ice-candidate', { callId, candidate: null }));
    assert.deepEqual(await nextEvent(aliceAgain, 'ice-candidate'), { callId, from: 'bob', candidate: null });
  });

  test('a new tab taking over the call replaces the old socket', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const oldTab = await userInRoom(url, 'bob', 'r1');
    const { callId, calleeToken } = await establishCall(alice, oldTab, 'r1');
    const newTab = await userInRoom(url, 'bob', 'r1');
    expectOk(await request(newTab, 'rejoin-call', { callId, resumeToken: calleeToken }));

    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(newTab, 'offer'), { callId, from: 'alice', description: sdpOffer });
    await flush(oldTab);
    assert.deepEqual(pending(oldTab, 'offer'), []);
    expectError(await request(oldTab, 'answer', { callId, description: sdpAnswer }), 'call-not-found');
  });
});

describe('without a rejoin', () => {
  test('after rejoinGraceMs the others get call-ended "disconnected"', async () => {
    const { url } = await startServer({ rejoinGraceMs: 200 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId, calleeToken } = await establishCall(alice, bob, 'r1');

    bob.disconnect();
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: null, reason: 'disconnected' });
    await nextEvent(
      alice,
      'room-members',
      (p) => JSON.stringify(p.members) === JSON.stringify([member('alice', 'Alice')]),
    );
    expectError(await request(alice, 'offer', { callId, description: sdpOffer }), 'call-not-found');

    const bobAgain = await connectClient(url, { userId: 'bob', userName: 'Bob' });
    expectError(
      await request(bobAgain, 'rejoin-call', { callId, resumeToken: calleeToken }),
      'call-not-found',
    );
  });

  test('a participant dropped by the network (not a clean disconnect) gets the same grace', async () => {
    const { url } = await startServer({ rejoinGraceMs: 200 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    const gone = nextDisconnect(bob);
    bob.io.engine.close();
    await gone;
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: null, reason: 'disconnected' });
  });

  test('hanging up while the other side is away ends the call for good', async () => {
    const { url } = await startServer({ rejoinGraceMs: 2_000 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId, calleeToken } = await establishCall(alice, bob, 'r1');
    bob.disconnect();
    expectOk(await request(alice, 'end-call', { callId }));
    const bobAgain = await connectClient(url, { userId: 'bob', userName: 'Bob' });
    expectError(
      await request(bobAgain, 'rejoin-call', { callId, resumeToken: calleeToken }),
      'call-not-found',
    );
  });
});

describe('refused rejoins: call-not-found', () => {
  test('a wrong token, another user’s token, or an unknown call', async () => {
    const { url } = await startServer({ rejoinGraceMs: 2_000 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId, callerToken, calleeToken } = await establishCall(alice, bob, 'r1');
    bob.disconnect();
    const bobAgain = await connectClient(url, { userId: 'bob', userName: 'Bob' });
    const mallory = await connectClient(url, { userId: 'mallory', userName: 'Mallory' });
    await joinRoom(mallory, 'r1');

    const tampered = calleeToken.slice(0, -1) + (calleeToken.endsWith('A') ? 'B' : 'A');
    expectError(await request(bobAgain, 'rejoin-call', { callId, resumeToken: tampered }), 'call-not-found');
    expectError(
      await request(bobAgain, 'rejoin-call', { callId, resumeToken: callerToken }),
      'call-not-found',
    );
    expectError(
      await request(mallory, 'rejoin-call', { callId, resumeToken: calleeToken }),
      'call-not-found',
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectError(
      await request(bobAgain, 'rejoin-call', { callId: unknown, resumeToken: calleeToken }),
      'call-not-found',
    );

    await flush(alice);
    assert.deepEqual(pending(alice, 'call-ended'), []);
    // after all that, the right token still works
    expectOk(await request(bobAgain, 'rejoin-call', { callId, resumeToken: calleeToken }));
  });
});
