import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, test } from 'node:test';
import {
  closeAll,
  establishCall,
  expectError,
  expectOk,
  flush,
  nextEvent,
  pending,
  request,
  ring,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

/** Short, so timeouts are awaited quickly, yet long enough for a loaded machine to answer in time. */
const RING_TIMEOUT_MS = 400;

describe('decline', () => {
  test('the caller gets video-call-rejected "declined"', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    const ack = await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId });
    assert.deepEqual(ack, { ok: true, accepted: false, callId });
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      reason: 'declined',
    });
    await flush(alice, bob);
    assert.deepEqual(pending(alice, 'call-ended', 'video-call-accepted'), []);
    assert.deepEqual(pending(bob, 'call-ended'), []);
    // the call is over: answering it again finds nothing
    const late = await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId });
    expectError(late, 'call-not-found');
  });

  test('declining without a callId declines the one ringing call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    const ack = await request(bob, 'video-call-response', { roomId: 'r1', accepted: false });
    assert.deepEqual(ack, { ok: true, accepted: false, callId });
    assert.equal((await nextEvent(alice, 'video-call-rejected')).reason, 'declined');
  });

  test('in a room of three, the caller is rejected only once every callee declined', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    await flush(alice, carol);
    assert.deepEqual(pending(alice, 'video-call-rejected'), []);
    assert.deepEqual(pending(carol, 'call-ended'), []);
    expectError(
      await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-ringing',
    );

    expectOk(await request(carol, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      reason: 'declined',
    });
  });

  test('one decline and one disconnect still reads "declined"', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    carol.disconnect();
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      reason: 'declined',
    });
  });
});

describe('cancel', () => {
  test('end-call by the caller while ringing cancels the call for every callee', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    assert.deepEqual(await request(alice, 'end-call', { callId }), { ok: true });
    const cancelled = { callId, by: 'alice', reason: 'cancelled' };
    assert.deepEqual(await nextEvent(bob, 'call-ended'), cancelled);
    assert.deepEqual(await nextEvent(carol, 'call-ended'), cancelled);
    await flush(alice);
    assert.deepEqual(pending(alice, 'call-ended', 'video-call-rejected'), []);
    const late = await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId });
    expectError(late, 'call-not-found');
  });

  test('a caller who disconnects while ringing cancels the call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    alice.disconnect();
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: null, reason: 'cancelled' });
  });

  test('a caller who leaves the room while ringing cancels the call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    expectOk(await request(alice, 'leave-room', { roomId: 'r1' }));
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: 'alice', reason: 'cancelled' });
  });
});

describe('timeout', () => {
  test('after ringTimeoutMs the caller is rejected and every callee stops ringing', async () => {
    const { url } = await startServer({ ringTimeoutMs: RING_TIMEOUT_MS });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      reason: 'timeout',
    });
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: null, reason: 'timeout' });
    expectError(
      await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'call-not-found',
    );
  });

  test('in a room of three, every callee gets call-ended "timeout"', async () => {
    const { url } = await startServer({ ringTimeoutMs: RING_TIMEOUT_MS });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      reason: 'timeout',
    });
    for (const callee of [bob, carol]) {
      assert.deepEqual(await nextEvent(callee, 'call-ended'), { callId, by: null, reason: 'timeout' });
    }
  });

  test('a callee who already declined gets no timeout', async () => {
    const { url } = await startServer({ ringTimeoutMs: RING_TIMEOUT_MS });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      reason: 'timeout',
    });
    assert.deepEqual(await nextEvent(carol, 'call-ended'), { callId, by: null, reason: 'timeout' });
    await flush(bob);
    assert.deepEqual(pending(bob, 'call-ended'), []);
  });

  test('an answered call does not time out', async () => {
    const { url } = await startServer({ ringTimeoutMs: RING_TIMEOUT_MS });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    // Proving that a timer does not fire takes waiting past it.
    await sleep(RING_TIMEOUT_MS + 150);
    await flush(alice, bob);
    assert.deepEqual(pending(alice, 'call-ended', 'video-call-rejected'), []);
    assert.deepEqual(pending(bob, 'call-ended'), []);
    expectOk(await request(alice, 'media-state', { callId, audio: true, video: true }));
    assert.deepEqual(await nextEvent(bob, 'media-state'), {
      callId,
      from: 'alice',
      audio: true,
      video: true,
    });
  });
});

describe('busy', () => {
  test('calling someone in a call: video-call-rejected "busy", and they are not rung', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    await establishCall(alice, bob, 'r1');
    const ack = expectOk(
      await request(carol, 'video-call-request', {
        roomId: 'r1',
        callerId: 'carol',
        callerName: 'Carol',
        calleeId: 'bob',
      }),
    );
    assert.equal(ack.role, 'caller');
    assert.deepEqual(await nextEvent(carol, 'video-call-rejected'), {
      roomId: 'r1',
      callId: ack.callId,
      calleeId: 'bob',
      reason: 'busy',
    });
    await flush(bob);
    assert.deepEqual(pending(bob, 'incoming-video-call'), []);
    // the busy call is over: carol may call again
    expectOk(
      await request(carol, 'video-call-request', {
        roomId: 'r1',
        callerId: 'carol',
        callerName: 'Carol',
        calleeId: 'alice',
      }),
    );
  });

  test('everyone else busy: "busy" without a calleeId', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    await establishCall(alice, bob, 'r1');
    const ack = expectOk(
      await request(carol, 'video-call-request', { roomId: 'r1', callerId: 'carol', callerName: 'Carol' }),
    );
    assert.deepEqual(await nextEvent(carol, 'video-call-rejected'), {
      roomId: 'r1',
      callId: ack.callId,
      reason: 'busy',
    });
  });

  test('the busy members are skipped and the free ones ring', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const dave = await userInRoom(url, 'dave', 'r1');
    await establishCall(alice, bob, 'r1');
    const callId = await ring(carol, 'r1', [dave]);
    expectOk(await request(dave, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    assert.deepEqual(await nextEvent(carol, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      reason: 'declined',
    });
    await flush(alice, bob);
    assert.deepEqual(pending(alice, 'incoming-video-call'), []);
    assert.deepEqual(pending(bob, 'incoming-video-call'), []);
  });
});

describe('unavailable', () => {
  test('the only callee disconnects while ringing', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    bob.disconnect();
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      reason: 'unavailable',
    });
  });

  test('the only callee leaves the room while ringing', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    expectOk(await request(bob, 'leave-room', { roomId: 'r1' }));
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      reason: 'unavailable',
    });
  });

  test('every callee of a room of three goes away', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    bob.disconnect();
    await flush(alice);
    assert.deepEqual(pending(alice, 'video-call-rejected'), []);
    expectOk(await request(carol, 'leave-room', { roomId: 'r1' }));
    assert.deepEqual(await nextEvent(alice, 'video-call-rejected'), {
      roomId: 'r1',
      callId,
      reason: 'unavailable',
    });
  });

  test('one tab going away leaves the other tab ringing', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const tab1 = await userInRoom(url, 'bob', 'r1');
    const tab2 = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [tab1, tab2]);
    tab1.disconnect();
    await flush(alice);
    assert.deepEqual(pending(alice, 'video-call-rejected'), []);
    expectOk(await request(tab2, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    assert.equal((await nextEvent(alice, 'video-call-accepted')).calleeId, 'bob');
  });
});

describe('who rings', () => {
  test('calleeId rings only that member', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [carol], { calleeId: 'carol' });
    await flush(bob);
    assert.deepEqual(pending(bob, 'incoming-video-call'), []);
    expectError(
      await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-ringing',
    );
    expectError(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true }), 'not-ringing');
  });

  test('a tab that joins the room while a call rings for its user rings too', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    const lateTab = await userInRoom(url, 'bob', 'r1');
    assert.deepEqual(await nextEvent(lateTab, 'incoming-video-call'), {
      roomId: 'r1',
      callId,
      callerId: 'alice',
      callerName: 'Alice',
    });
    expectOk(await request(lateTab, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: 'bob', reason: 'answered-elsewhere' });
  });

  test('a call rings only the room it was placed in', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bobInRoom = await userInRoom(url, 'bob', 'r1');
    const bobElsewhere = await userInRoom(url, 'bob', 'r2');
    const callId = await ring(alice, 'r1', [bobInRoom]);
    await flush(bobElsewhere);
    assert.deepEqual(pending(bobElsewhere, 'incoming-video-call'), []);
    const wrongRoom = await request(bobElsewhere, 'video-call-response', {
      roomId: 'r2',
      accepted: true,
      callId,
    });
    expectError(wrongRoom, 'call-not-found');
  });

  test('room of three: everyone rings, the first accept wins, the other callee gets answered-elsewhere', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    const accepted = await nextEvent(alice, 'video-call-accepted');
    assert.deepEqual(accepted, {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      calleeName: 'Bob',
      resumeToken: accepted.resumeToken,
    });
    assert.deepEqual(await nextEvent(carol, 'call-ended'), {
      callId,
      by: 'bob',
      reason: 'answered-elsewhere',
    });
    expectError(
      await request(carol, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-ringing',
    );
    await flush(alice, bob);
    assert.deepEqual(pending(alice, 'video-call-accepted', 'video-call-rejected', 'call-ended'), []);
    assert.deepEqual(pending(bob, 'call-ended'), []);
  });

  test('several tabs of one user all ring; the first accept wins, the other tab gets answered-elsewhere', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const tab1 = await userInRoom(url, 'bob', 'r1');
    const tab2 = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [tab1, tab2]);
    expectOk(await request(tab2, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    assert.equal((await nextEvent(alice, 'video-call-accepted')).calleeId, 'bob');
    assert.deepEqual(await nextEvent(tab1, 'call-ended'), {
      callId,
      by: 'bob',
      reason: 'answered-elsewhere',
    });
    expectError(
      await request(tab1, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-ringing',
    );
    await flush(tab2);
    assert.deepEqual(pending(tab2, 'call-ended'), []);
  });

  test('a decline from one tab stops the other tab ringing', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const tab1 = await userInRoom(url, 'bob', 'r1');
    const tab2 = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [tab1, tab2]);
    expectOk(await request(tab1, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    assert.deepEqual(await nextEvent(tab2, 'call-ended'), {
      callId,
      by: 'bob',
      reason: 'answered-elsewhere',
    });
    assert.equal((await nextEvent(alice, 'video-call-rejected')).reason, 'declined');
  });

  test('accepts racing from two callees: exactly one wins', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const callId = await ring(alice, 'r1', [bob, carol]);
    const [fromBob, fromCarol] = await Promise.all([
      request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      request(carol, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
    ]);
    assert.equal([fromBob, fromCarol].filter((ack) => ack.ok).length, 1);
    const loser = fromBob.ok ? fromCarol : fromBob;
    expectError(loser, 'not-ringing');
    await nextEvent(alice, 'video-call-accepted');
    await flush(alice);
    assert.deepEqual(pending(alice, 'video-call-accepted'), []);
  });
});

describe('choosing among ringing calls', () => {
  test('ambiguous-call when two calls ring in the room and no callId is given', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    const fromCarol = await ring(carol, 'r1', [bob], { calleeId: 'bob' });
    expectError(
      await request(bob, 'video-call-response', { roomId: 'r1', accepted: true }),
      'ambiguous-call',
    );
    const ack = expectOk(
      await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId: fromCarol }),
    );
    assert.equal(ack.callId, fromCarol);
    assert.equal((await nextEvent(carol, 'video-call-accepted')).callId, fromCarol);
    await flush(alice);
    assert.deepEqual(pending(alice, 'video-call-accepted'), []);
  });

  test('not-ringing when nothing rings for you', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    await userInRoom(url, 'bob', 'r1');
    expectError(await request(alice, 'video-call-response', { roomId: 'r1', accepted: true }), 'not-ringing');
    expectError(
      await request(alice, 'video-call-response', { roomId: 'r1', accepted: false }),
      'not-ringing',
    );
  });

  test('the caller cannot answer its own call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const callId = await ring(alice, 'r1', [bob]);
    expectError(
      await request(alice, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-ringing',
    );
  });

  test('an accepted call cannot be answered again', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    expectError(
      await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-ringing',
    );
  });
});
