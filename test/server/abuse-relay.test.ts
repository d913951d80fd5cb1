/**
 * Abuse: signaling where it does not belong. Relays to non-participants and into other rooms, answering
 * calls that do not ring for you, and unknown or ended call ids for every call event. Each case checks the
 * exact error, that nothing reached anyone (the call's own members, a member of the same room and a member
 * of another room), and that the service still serves a normal call.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ClientEventName, ClientSocket } from '../helpers/client.js';
import {
  bystanders,
  callUnderAttack,
  CALL_EVENTS,
  expectNothing,
  expectNothingLeaked,
  expectServiceWorks,
  quiet,
  expectNoHarm,
} from '../helpers/abuse.js';
import {
  closeAll,
  connectClient,
  establishCall,
  expectError,
  expectOk,
  hostCandidate,
  joinRoom,
  nextEvent,
  pending,
  request,
  requestRaw,
  ring,
  sdpAnswer,
  sdpOffer,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

const MADE_UP_CALL_ID = '6f1c7a52-8a55-4c7e-9d6f-0a4b7c2e9f11';

/** The token with one character in its middle changed. */
function tamper(token: string): string {
  const i = Math.floor(token.length / 2);
  return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
}

/** A call that rang out (declined, timed out, cancelled) answers neither by its id nor as "the one ringing". */
async function expectLateAnswerRefused(socket: ClientSocket, roomId: string, callId: string): Promise<void> {
  expectError(
    await request(socket, 'video-call-response', { roomId, accepted: true, callId }),
    'call-not-found',
  );
  expectError(await request(socket, 'video-call-response', { roomId, accepted: true }), 'not-ringing');
}

describe('relays outside the call', () => {
  test('to: a member of the room who is not in the call is unknown-recipient; that member hears nothing', async () => {
    const { url, alice, bob, callId, b } = await callUnderAttack();

    const to = 'carol';
    expectError(await request(alice, 'offer', { callId, to, description: sdpOffer }), 'unknown-recipient');
    expectError(await request(bob, 'answer', { callId, to, description: sdpAnswer }), 'unknown-recipient');
    expectError(
      await request(alice, 'ice-candidate', { callId, to, candidate: hostCandidate }),
      'unknown-recipient',
    );
    expectError(await request(bob, 'ice-candidate', { callId, to, candidate: null }), 'unknown-recipient');

    await expectNoHarm(url, [alice, bob], b);
  });

  test('to: a user of another room is unknown-recipient; that user hears nothing', async () => {
    const { url, alice, bob, callId, b } = await callUnderAttack();

    const to = 'dave';
    expectError(await request(alice, 'offer', { callId, to, description: sdpOffer }), 'unknown-recipient');
    expectError(await request(bob, 'answer', { callId, to, description: sdpAnswer }), 'unknown-recipient');
    expectError(
      await request(alice, 'ice-candidate', { callId, to, candidate: hostCandidate }),
      'unknown-recipient',
    );

    await expectNoHarm(url, [alice, bob], b);
  });

  test('to: yourself or a user no one has heard of is unknown-recipient', async () => {
    const { alice, bob, callId, b } = await callUnderAttack();

    for (const to of ['alice', 'ghost']) {
      expectError(await request(alice, 'offer', { callId, to, description: sdpOffer }), 'unknown-recipient');
      expectError(
        await request(alice, 'ice-candidate', { callId, to, candidate: hostCandidate }),
        'unknown-recipient',
      );
    }

    await expectNothing([alice, bob]);
    await expectNothingLeaked(b);
    // The call itself is fine: a relay to the right peer still goes through.
    expectOk(await request(alice, 'offer', { callId, to: 'bob', description: sdpOffer }));
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
  });

  test('the callId of a call in another room is call-not-found for every call event', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const erin = await userInRoom(url, 'erin', 'r2');
    const frank = await userInRoom(url, 'frank', 'r2');
    const b = await bystanders(url);
    const first = await establishCall(alice, bob, 'r1');
    await establishCall(erin, frank, 'r2');
    await quiet(alice, bob, frank, b.near);

    const callId = first.callId;
    expectError(await request(erin, 'offer', { callId, description: sdpOffer }), 'call-not-found');
    expectError(await request(erin, 'offer', { callId, to: 'bob', description: sdpOffer }), 'call-not-found');
    expectError(
      await request(erin, 'answer', { callId, to: 'alice', description: sdpAnswer }),
      'call-not-found',
    );
    expectError(await request(erin, 'ice-candidate', { callId, candidate: hostCandidate }), 'call-not-found');
    expectError(await request(erin, 'media-state', { callId, audio: true, video: true }), 'call-not-found');
    expectError(await request(erin, 'end-call', { callId }), 'call-not-found');
    expectError(
      await request(erin, 'rejoin-call', { callId, resumeToken: first.calleeToken }),
      'call-not-found',
    );
    expectError(
      await request(erin, 'video-call-response', { roomId: 'r2', accepted: true, callId }),
      'call-not-found',
    );

    await expectNoHarm(url, [alice, bob, frank], b);
  });

  test('while it rings, the callee cannot signal (call-not-found) and the caller cannot yet (call-not-active)', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    await quiet(alice, bob, b.near);

    expectError(await request(bob, 'answer', { callId, description: sdpAnswer }), 'call-not-found');
    expectError(await request(bob, 'offer', { callId, description: sdpOffer }), 'call-not-found');
    expectError(await request(bob, 'ice-candidate', { callId, candidate: hostCandidate }), 'call-not-found');
    expectError(await request(bob, 'media-state', { callId, audio: true, video: true }), 'call-not-found');
    expectError(await request(alice, 'offer', { callId, description: sdpOffer }), 'call-not-active');
    expectError(await request(alice, 'ice-candidate', { callId, candidate: null }), 'call-not-active');
    expectError(
      await request(alice, 'media-state', { callId, audio: true, video: false }),
      'call-not-active',
    );

    await expectNothing([alice, bob]);
    await expectNothingLeaked(b);
    // It still rings, and can be taken.
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    await nextEvent(alice, 'video-call-accepted');
  });

  test('a ringing callee cannot cancel with end-call, nor can the caller’s other tab: call-not-found', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const aliceTab = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    await quiet(alice, aliceTab, bob, b.near);

    expectError(await request(bob, 'end-call', { callId }), 'call-not-found');
    expectError(await request(aliceTab, 'end-call', { callId }), 'call-not-found');

    await expectNothing([alice, aliceTab, bob]);
    await expectNothingLeaked(b);
    expectOk(await request(alice, 'end-call', { callId }));
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: 'alice', reason: 'cancelled' });
  });

  test('rejoin-call with the other participant’s token, or from a tab claiming their id, is call-not-found', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const { callId, callerToken, calleeToken } = await establishCall(alice, bob, 'r1');
    // Open mode lets anyone claim "bob", but not take his place in the call without his token.
    const fakeBob = await connectClient(url, { userId: 'bob', userName: 'Bob' });
    await quiet(alice, bob, b.near);

    expectError(await request(alice, 'rejoin-call', { callId, resumeToken: calleeToken }), 'call-not-found');
    expectError(
      await request(fakeBob, 'rejoin-call', { callId, resumeToken: callerToken }),
      'call-not-found',
    );
    expectError(
      await request(fakeBob, 'rejoin-call', { callId, resumeToken: tamper(calleeToken) }),
      'call-not-found',
    );
    expectError(
      await request(fakeBob, 'rejoin-call', { callId, resumeToken: 'x'.repeat(128) }),
      'call-not-found',
    );
    expectError(await request(fakeBob, 'answer', { callId, description: sdpAnswer }), 'call-not-found');

    await expectNothing([alice, bob]);
    await expectNothingLeaked(b);
    // The real pair still talk.
    expectOk(await request(bob, 'answer', { callId, description: sdpAnswer }));
    assert.deepEqual(await nextEvent(alice, 'answer'), { callId, from: 'bob', description: sdpAnswer });
    await expectNothing([fakeBob]);
  });
});

describe('answering a call that does not ring for you', () => {
  test('not invited: a member the call does not ring gets not-ringing, and the callee still rings', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    await quiet(alice, bob, mallory, b.near);

    expectError(
      await request(mallory, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-ringing',
    );
    expectError(
      await request(mallory, 'video-call-response', { roomId: 'r1', accepted: false, callId }),
      'not-ringing',
    );
    expectError(
      await request(mallory, 'video-call-response', { roomId: 'r1', accepted: true }),
      'not-ringing',
    );

    await expectNothing([alice, bob, mallory]);
    await expectNothingLeaked(b);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    assert.equal((await nextEvent(alice, 'video-call-accepted')).calleeId, 'bob');
  });

  test('the caller, or the caller’s other tab, answering its own call gets not-ringing', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const aliceTab = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    await quiet(alice, aliceTab, bob, b.near);

    for (const socket of [alice, aliceTab]) {
      expectError(
        await request(socket, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
        'not-ringing',
      );
      expectError(
        await request(socket, 'video-call-response', { roomId: 'r1', accepted: false }),
        'not-ringing',
      );
    }

    await expectNoHarm(url, [alice, aliceTab, bob], b);
  });

  test('already declined (group call): the decliner cannot take it back, the others still ring', async () => {
    const { url } = await startServer();
    // carol shares the room but is busy in another call, so the group call does not ring her.
    const b = await bystanders(url, 'g1');
    const xavier = await userInRoom(url, 'xavier', 'side');
    await joinRoom(b.near, 'side');
    await establishCall(b.near, xavier, 'side');
    const alice = await userInRoom(url, 'alice', 'g1');
    const bob = await userInRoom(url, 'bob', 'g1');
    const mallory = await userInRoom(url, 'mallory', 'g1');
    await quiet(b.near, xavier, alice, bob, mallory);

    const callId = await ring(alice, 'g1', [bob, mallory]);
    const declined = await request(mallory, 'video-call-response', { roomId: 'g1', accepted: false, callId });
    assert.deepEqual(declined, { ok: true, accepted: false, callId });
    expectError(
      await request(mallory, 'video-call-response', { roomId: 'g1', accepted: true, callId }),
      'not-ringing',
    );
    expectError(
      await request(mallory, 'video-call-response', { roomId: 'g1', accepted: false, callId }),
      'not-ringing',
    );
    expectError(
      await request(mallory, 'video-call-response', { roomId: 'g1', accepted: true }),
      'not-ringing',
    );

    await expectNothing([alice, bob, mallory, xavier], { presence: true });
    await expectNothingLeaked(b, { presence: true });
    expectOk(await request(bob, 'video-call-response', { roomId: 'g1', accepted: true, callId }));
    assert.equal((await nextEvent(alice, 'video-call-accepted')).calleeId, 'bob');
    await expectNothing([mallory], { presence: true });
  });

  test('already declined (one callee): the call is over, so call-not-found with its id, not-ringing without', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    await nextEvent(alice, 'video-call-rejected');
    await quiet(alice, bob, b.near);

    await expectLateAnswerRefused(bob, 'r1', callId);

    await expectNoHarm(url, [alice, bob], b);
  });

  test('already answered by someone else: not-ringing, and the winner’s call is untouched', async () => {
    const { url } = await startServer();
    const b = await bystanders(url, 'g1');
    const xavier = await userInRoom(url, 'xavier', 'side');
    await joinRoom(b.near, 'side');
    await establishCall(b.near, xavier, 'side');
    const alice = await userInRoom(url, 'alice', 'g1');
    const bob = await userInRoom(url, 'bob', 'g1');
    const mallory = await userInRoom(url, 'mallory', 'g1');

    const callId = await ring(alice, 'g1', [bob, mallory]);
    expectOk(await request(bob, 'video-call-response', { roomId: 'g1', accepted: true, callId }));
    await nextEvent(alice, 'video-call-accepted');
    assert.deepEqual(await nextEvent(mallory, 'call-ended'), {
      callId,
      by: 'bob',
      reason: 'answered-elsewhere',
    });
    await quiet(alice, bob, mallory, xavier, b.near);

    expectError(
      await request(mallory, 'video-call-response', { roomId: 'g1', accepted: true, callId }),
      'not-ringing',
    );
    expectError(
      await request(mallory, 'video-call-response', { roomId: 'g1', accepted: false, callId }),
      'not-ringing',
    );
    expectError(
      await request(mallory, 'video-call-response', { roomId: 'g1', accepted: true }),
      'not-ringing',
    );
    expectError(await request(mallory, 'offer', { callId, description: sdpOffer }), 'call-not-found');

    await expectNothing([alice, bob, mallory, xavier]);
    await expectNothingLeaked(b);
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
  });

  test('after the caller cancelled: call-not-found with its id, not-ringing without', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    expectOk(await request(alice, 'end-call', { callId }));
    await nextEvent(bob, 'call-ended');
    await quiet(alice, bob, b.near);

    await expectLateAnswerRefused(bob, 'r1', callId);
    expectError(
      await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId }),
      'call-not-found',
    );

    await expectNoHarm(url, [alice, bob], b);
  });

  test('after the ring timeout: call-not-found with its id, not-ringing without', async () => {
    const { url } = await startServer({ ringTimeoutMs: 150 });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    assert.equal((await nextEvent(alice, 'video-call-rejected')).reason, 'timeout');
    assert.equal((await nextEvent(bob, 'call-ended')).reason, 'timeout');
    await quiet(alice, bob, b.near);

    await expectLateAnswerRefused(bob, 'r1', callId);

    await expectNoHarm(url, [alice, bob], b);
  });

  test('from a tab in another room: call-not-found there, not-in-room for the call’s room', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const bobElsewhere = await userInRoom(url, 'bob', 'r2');
    const b = await bystanders(url);
    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    await quiet(alice, bob, bobElsewhere, b.near);

    expectError(
      await request(bobElsewhere, 'video-call-response', { roomId: 'r2', accepted: true, callId }),
      'call-not-found',
    );
    expectError(
      await request(bobElsewhere, 'video-call-response', { roomId: 'r2', accepted: true }),
      'not-ringing',
    );
    expectError(
      await request(bobElsewhere, 'video-call-response', { roomId: 'r1', accepted: true, callId }),
      'not-in-room',
    );

    await expectNothing([alice, bob, bobElsewhere]);
    await expectNothingLeaked(b);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    await nextEvent(alice, 'video-call-accepted');
  });
});

// ---- unknown and ended call ids, event by event ------------------------------------------------

type CallEvent = Exclude<ClientEventName, 'join-room' | 'leave-room' | 'video-call-request'>;

interface Ids {
  callId: string;
  resumeToken: string;
}

/** Who sends the event (the caller, or for video-call-response the callee) and with which payload. */
const CALL_EVENT_PAYLOADS: Record<CallEvent, (ids: Ids) => { by: 'alice' | 'bob'; payload: object }> = {
  offer: ({ callId }) => ({ by: 'alice', payload: { callId, description: sdpOffer } }),
  answer: ({ callId }) => ({ by: 'bob', payload: { callId, to: 'alice', description: sdpAnswer } }),
  'ice-candidate': ({ callId }) => ({ by: 'alice', payload: { callId, candidate: hostCandidate } }),
  'media-state': ({ callId }) => ({ by: 'bob', payload: { callId, audio: true, video: false } }),
  'end-call': ({ callId }) => ({ by: 'alice', payload: { callId } }),
  'rejoin-call': ({ callId, resumeToken }) => ({ by: 'alice', payload: { callId, resumeToken } }),
  'video-call-response': ({ callId }) => ({ by: 'bob', payload: { roomId: 'r1', accepted: true, callId } }),
};

describe('unknown and ended call ids get call-not-found, for every call event', () => {
  for (const [event, make] of Object.entries(CALL_EVENT_PAYLOADS) as [
    CallEvent,
    (ids: Ids) => { by: 'alice' | 'bob'; payload: object },
  ][]) {
    test(`${event}: an unknown callId`, async () => {
      const { url } = await startServer();
      const alice = await userInRoom(url, 'alice', 'r1');
      const bob = await userInRoom(url, 'bob', 'r1');
      const b = await bystanders(url);
      // A live call beside it, so "unknown" is not just "no calls at all".
      await establishCall(alice, bob, 'r1');
      await quiet(alice, bob, b.near);

      for (const callId of [MADE_UP_CALL_ID, 'call-1']) {
        const { by, payload } = make({ callId, resumeToken: 'r'.repeat(32) });
        expectError(await requestRaw(by === 'alice' ? alice : bob, event, [payload]), 'call-not-found');
      }

      await expectNothing([alice, bob]);
      await expectNothingLeaked(b);
      await expectServiceWorks(url);
    });

    test(`${event}: the id of a call that has ended`, async () => {
      const { url } = await startServer();
      const alice = await userInRoom(url, 'alice', 'r1');
      const bob = await userInRoom(url, 'bob', 'r1');
      const b = await bystanders(url);
      const { callId, callerToken } = await establishCall(alice, bob, 'r1');
      expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
      await nextEvent(bob, 'offer');
      expectOk(await request(bob, 'end-call', { callId }));
      await nextEvent(alice, 'call-ended');
      await quiet(alice, bob, b.near);

      const { by, payload } = make({ callId, resumeToken: callerToken });
      expectError(await requestRaw(by === 'alice' ? alice : bob, event, [payload]), 'call-not-found');

      await expectNothing([alice, bob]);
      await expectNothingLeaked(b);
      assert.deepEqual(pending(alice, ...CALL_EVENTS), []);
      await expectServiceWorks(url);
    });
  }
});
