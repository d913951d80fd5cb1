import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  byUserId,
  closeAll,
  expectOk,
  flush,
  nextEvent,
  participant,
  pending,
  request,
  ring,
  sdpOffer,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

describe('glare', () => {
  test('calling back someone whose call rings for you accepts that call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);

    const ack = await request(bob, 'video-call-request', {
      roomId: 'r1',
      callerId: 'bob',
      callerName: 'Bob',
      calleeId: 'alice',
    });
    const session = expectOk(ack);
    if (session.role !== 'callee') assert.fail(`expected role "callee", got ${JSON.stringify(ack)}`);
    assert.ok(session.resumeToken.length >= 16);
    assert.deepEqual(
      { ...session, participants: byUserId(session.participants) },
      {
        ok: true,
        role: 'callee',
        callId,
        roomId: 'r1',
        resumeToken: session.resumeToken,
        participants: [participant('alice', 'Alice'), participant('bob', 'Bob')],
      },
    );

    const accepted = await nextEvent(alice, 'video-call-accepted');
    assert.deepEqual(accepted, {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      calleeName: 'Bob',
      resumeToken: accepted.resumeToken,
    });
    await flush(alice);
    assert.deepEqual(pending(alice, 'incoming-video-call'), [], 'no second call was placed');

    // the original caller sends the first offer, as after any accept
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
  });

  test('glare also applies without a calleeId', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    const ack = expectOk(
      await request(bob, 'video-call-request', { roomId: 'r1', callerId: 'bob', callerName: 'Bob' }),
    );
    assert.equal(ack.role, 'callee');
    assert.equal(ack.callId, callId);
    assert.equal((await nextEvent(alice, 'video-call-accepted')).callId, callId);
  });

  test('the other tabs of the callee stop ringing with answered-elsewhere', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const tab1 = await userInRoom(url, 'bob', 'r1');
    const tab2 = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [tab1, tab2]);
    const ack = expectOk(
      await request(tab1, 'video-call-request', { roomId: 'r1', callerId: 'bob', callerName: 'Bob' }),
    );
    assert.equal(ack.role, 'callee');
    assert.deepEqual(await nextEvent(tab2, 'call-ended'), {
      callId,
      by: 'bob',
      reason: 'answered-elsewhere',
    });
  });

  test('two requests crossing on the wire end in one call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const [fromAlice, fromBob] = await Promise.all([
      request(alice, 'video-call-request', {
        roomId: 'r1',
        callerId: 'alice',
        callerName: 'Alice',
        calleeId: 'bob',
      }),
      request(bob, 'video-call-request', {
        roomId: 'r1',
        callerId: 'bob',
        callerName: 'Bob',
        calleeId: 'alice',
      }),
    ]);
    const a = expectOk(fromAlice);
    const b = expectOk(fromBob);
    assert.equal(a.callId, b.callId, 'both sides are in the same call');
    assert.deepEqual([a.role, b.role].sort(), ['callee', 'caller']);
    const [caller, callee] = a.role === 'caller' ? [alice, bob] : [bob, alice];
    const accepted = await nextEvent(caller, 'video-call-accepted');
    assert.equal(accepted.callId, a.callId);
    // the callee was rung before it accepted by calling back
    assert.equal((await nextEvent(callee, 'incoming-video-call')).callId, a.callId);
    await flush(alice, bob);
    assert.deepEqual(pending(alice, 'video-call-rejected', 'call-ended'), []);
    assert.deepEqual(pending(bob, 'video-call-rejected', 'call-ended'), []);
  });

  test('a call ringing in another room is no glare: the second call finds the caller busy', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await request(alice, 'join-room', { roomId: 'r2' });
    await request(bob, 'join-room', { roomId: 'r2' });
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    const ack = expectOk(
      await request(bob, 'video-call-request', {
        roomId: 'r2',
        callerId: 'bob',
        callerName: 'Bob',
        calleeId: 'alice',
      }),
    );
    assert.equal(ack.role, 'caller');
    assert.notEqual(ack.callId, callId);
    assert.deepEqual(await nextEvent(bob, 'video-call-rejected'), {
      roomId: 'r2',
      callId: ack.callId,
      calleeId: 'alice',
      reason: 'busy',
    });
    await flush(alice);
    assert.deepEqual(pending(alice, 'video-call-accepted'), []);
  });
});
