import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  UUID_PATTERN,
  byUserId,
  closeAll,
  establishCall,
  expectError,
  expectOk,
  flush,
  hostCandidate,
  joinRoom,
  nextEvent,
  participant,
  pending,
  request,
  ring,
  sdpAnswer,
  sdpOffer,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

describe('a full call', () => {
  test('request, incoming, accept, offer, answer, candidates, media state, hang-up', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');

    const placed = await request(alice, 'video-call-request', {
      roomId: 'r1',
      callerId: 'alice',
      callerName: 'Alice',
    });
    const { callId } = expectOk(placed);
    assert.match(callId, UUID_PATTERN);
    assert.deepEqual(placed, { ok: true, role: 'caller', callId });
    assert.deepEqual(await nextEvent(bob, 'incoming-video-call'), {
      roomId: 'r1',
      callId,
      callerId: 'alice',
      callerName: 'Alice',
    });

    const answered = await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId });
    const session = expectOk(answered);
    assert.ok(session.accepted);
    assert.equal(typeof session.resumeToken, 'string');
    assert.ok(session.resumeToken.length >= 16, 'a resume token is a guess-proof secret');
    assert.deepEqual(
      { ...session, participants: byUserId(session.participants) },
      {
        ok: true,
        accepted: true,
        callId,
        roomId: 'r1',
        resumeToken: session.resumeToken,
        participants: [participant('alice', 'Alice'), participant('bob', 'Bob')],
      },
    );

    const accepted = await nextEvent(alice, 'video-call-accepted');
    assert.equal(typeof accepted.resumeToken, 'string');
    assert.ok(accepted.resumeToken.length >= 16);
    assert.notEqual(accepted.resumeToken, session.resumeToken, 'each participant has its own resume token');
    assert.deepEqual(accepted, {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      calleeName: 'Bob',
      resumeToken: accepted.resumeToken,
    });

    assert.deepEqual(await request(alice, 'offer', { callId, description: sdpOffer }), { ok: true });
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });

    assert.deepEqual(await request(bob, 'answer', { callId, to: 'alice', description: sdpAnswer }), {
      ok: true,
    });
    assert.deepEqual(await nextEvent(alice, 'answer'), { callId, from: 'bob', description: sdpAnswer });

    assert.deepEqual(await request(alice, 'ice-candidate', { callId, candidate: hostCandidate }), {
      ok: true,
    });
    assert.deepEqual(await nextEvent(bob, 'ice-candidate'), {
      callId,
      from: 'alice',
      candidate: hostCandidate,
    });
    assert.deepEqual(await request(bob, 'ice-candidate', { callId, to: 'alice', candidate: null }), {
      ok: true,
    });
    assert.deepEqual(await nextEvent(alice, 'ice-candidate'), { callId, from: 'bob', candidate: null });

    assert.deepEqual(await request(bob, 'media-state', { callId, audio: false, video: true }), { ok: true });
    assert.deepEqual(await nextEvent(alice, 'media-state'), {
      callId,
      from: 'bob',
      audio: false,
      video: true,
    });

    assert.deepEqual(await request(alice, 'end-call', { callId }), { ok: true });
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: 'alice', reason: 'hangup' });

    await flush(alice, bob);
    assert.deepEqual(pending(alice, 'call-ended', 'offer', 'answer', 'ice-candidate', 'media-state'), []);
    assert.deepEqual(pending(bob, 'call-ended', 'offer', 'answer', 'ice-candidate', 'media-state'), []);
  });

  test('the callee may hang up too', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    assert.deepEqual(await request(bob, 'end-call', { callId }), { ok: true });
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: 'bob', reason: 'hangup' });
  });

  test('leaving the room hangs up a call in that room', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    expectOk(await request(bob, 'leave-room', { roomId: 'r1' }));
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: 'bob', reason: 'hangup' });
    expectError(await request(alice, 'offer', { callId, description: sdpOffer }), 'call-not-found');
  });

  test('leaving another room does not touch the call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await joinRoom(bob, 'r2');
    const { callId } = await establishCall(alice, bob, 'r1');
    expectOk(await request(bob, 'leave-room', { roomId: 'r2' }));
    await flush(alice);
    assert.deepEqual(pending(alice, 'call-ended'), []);
    expectOk(await request(bob, 'media-state', { callId, audio: true, video: true }));
    assert.deepEqual(await nextEvent(alice, 'media-state'), {
      callId,
      from: 'bob',
      audio: true,
      video: true,
    });
  });

  test('either side may renegotiate once the call is up', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    await nextEvent(bob, 'offer');
    expectOk(await request(bob, 'answer', { callId, description: sdpAnswer }));
    await nextEvent(alice, 'answer');
    expectOk(await request(bob, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(alice, 'offer'), { callId, from: 'bob', description: sdpOffer });
    expectOk(await request(alice, 'answer', { callId, description: sdpAnswer }));
    assert.deepEqual(await nextEvent(bob, 'answer'), { callId, from: 'alice', description: sdpAnswer });
  });

  test('an ended call takes no more messages: call-not-found', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    expectOk(await request(alice, 'end-call', { callId }));
    expectError(await request(alice, 'offer', { callId, description: sdpOffer }), 'call-not-found');
    expectError(await request(bob, 'answer', { callId, description: sdpAnswer }), 'call-not-found');
    expectError(await request(bob, 'ice-candidate', { callId, candidate: null }), 'call-not-found');
    expectError(await request(bob, 'media-state', { callId, audio: true, video: true }), 'call-not-found');
    expectError(await request(bob, 'end-call', { callId }), 'call-not-found');
    expectError(await request(alice, 'end-call', { callId }), 'call-not-found');
  });

  test('both sides can call again after a hang-up', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const first = await establishCall(alice, bob, 'r1');
    expectOk(await request(bob, 'end-call', { callId: first.callId }));
    await nextEvent(alice, 'call-ended');
    const second = await establishCall(bob, alice, 'r1');
    assert.notEqual(second.callId, first.callId);
  });
});

describe('placing a call', () => {
  test('the callee may answer without a callId when one call rings for it in the room', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    const ack = expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true }));
    assert.equal(ack.callId, callId);
    assert.equal((await nextEvent(alice, 'video-call-accepted')).callId, callId);
  });

  test('callerName is trimmed', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const ack = expectOk(
      await request(alice, 'video-call-request', {
        roomId: 'r1',
        callerId: 'alice',
        callerName: '  Alice A.  ',
      }),
    );
    assert.deepEqual(await nextEvent(bob, 'incoming-video-call'), {
      roomId: 'r1',
      callId: ack.callId,
      callerId: 'alice',
      callerName: 'Alice A.',
    });
  });

  test('not-in-room: the caller must have joined the room', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    await userInRoom(url, 'bob', 'r2');
    const ack = await request(alice, 'video-call-request', {
      roomId: 'r2',
      callerId: 'alice',
      callerName: 'Alice',
    });
    expectError(ack, 'not-in-room');
  });

  test('self-call: calleeId may not be the caller', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    await userInRoom(url, 'bob', 'r1');
    const ack = await request(alice, 'video-call-request', {
      roomId: 'r1',
      callerId: 'alice',
      callerName: 'Alice',
      calleeId: 'alice',
    });
    expectError(ack, 'self-call');
  });

  test('no-callee: alone in the room', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    await userInRoom(url, 'alice', 'r1');
    const ack = await request(alice, 'video-call-request', {
      roomId: 'r1',
      callerId: 'alice',
      callerName: 'Alice',
    });
    expectError(ack, 'no-callee');
  });

  test('no-callee: calleeId is not a member of the room', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await userInRoom(url, 'carol', 'r2');
    const ack = await request(alice, 'video-call-request', {
      roomId: 'r1',
      callerId: 'alice',
      callerName: 'Alice',
      calleeId: 'carol',
    });
    expectError(ack, 'no-callee');
    await flush(bob);
    assert.deepEqual(pending(bob, 'incoming-video-call'), []);
  });

  test('already-in-call: a caller whose call rings cannot place another', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await userInRoom(url, 'carol', 'r1');
    await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    const again = { roomId: 'r1', callerId: 'alice', callerName: 'Alice', calleeId: 'carol' };
    expectError(await request(alice, 'video-call-request', again), 'already-in-call');
    const otherTab = await userInRoom(url, 'alice', 'r1');
    expectError(await request(otherTab, 'video-call-request', again), 'already-in-call');
  });

  test('already-in-call: a participant cannot place another call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await userInRoom(url, 'carol', 'r1');
    await establishCall(alice, bob, 'r1');
    const fromBob = { roomId: 'r1', callerId: 'bob', callerName: 'Bob', calleeId: 'carol' };
    expectError(await request(bob, 'video-call-request', fromBob), 'already-in-call');
  });

  test('already-in-call: accepting a second call while in one', async () => {
    const { url } = await startServer();
    const bob = await userInRoom(url, 'bob', 'r1');
    await joinRoom(bob, 'r2');
    const alice = await userInRoom(url, 'alice', 'r1');
    const dave = await userInRoom(url, 'dave', 'r2');
    const fromDave = await ring(dave, 'r2', [bob]);
    const fromAlice = await ring(alice, 'r1', [bob]);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId: fromAlice }));
    const ack = await request(bob, 'video-call-response', { roomId: 'r2', accepted: true, callId: fromDave });
    expectError(ack, 'already-in-call');
  });
});

describe('signaling rules', () => {
  test('call-not-active: no offer while the call still rings', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    expectError(await request(alice, 'offer', { callId, description: sdpOffer }), 'call-not-active');
    expectError(
      await request(alice, 'ice-candidate', { callId, candidate: hostCandidate }),
      'call-not-active',
    );
    expectError(
      await request(alice, 'media-state', { callId, audio: true, video: false }),
      'call-not-active',
    );
    await flush(bob);
    assert.deepEqual(pending(bob, 'offer', 'ice-candidate', 'media-state'), []);
  });

  test('a ringing callee is not yet a participant: call-not-found', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    expectError(await request(bob, 'answer', { callId, description: sdpAnswer }), 'call-not-found');
    expectError(await request(bob, 'end-call', { callId }), 'call-not-found');
  });

  test('unknown-recipient: `to` must name another participant', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await userInRoom(url, 'carol', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    const to = (userId: string) => ({ callId, to: userId, description: sdpOffer });
    expectError(await request(alice, 'offer', to('carol')), 'unknown-recipient');
    expectError(await request(alice, 'offer', to('alice')), 'unknown-recipient');
    expectError(await request(alice, 'offer', to('nobody')), 'unknown-recipient');
    expectError(
      await request(alice, 'ice-candidate', { callId, to: 'carol', candidate: null }),
      'unknown-recipient',
    );
    expectOk(await request(alice, 'offer', to('bob')));
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
    await flush(bob);
    assert.deepEqual(pending(bob, 'offer', 'ice-candidate'), []);
  });

  test('call-not-found for a made-up callId', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const callId = '00000000-0000-4000-8000-000000000000';
    expectError(await request(alice, 'offer', { callId, description: sdpOffer }), 'call-not-found');
    expectError(await request(alice, 'end-call', { callId }), 'call-not-found');
    expectError(
      await request(alice, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'call-not-found',
    );
  });
});
