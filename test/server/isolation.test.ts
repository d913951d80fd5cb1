import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  closeAll,
  establishCall,
  expectError,
  expectOk,
  flush,
  hostCandidate,
  nextEvent,
  pending,
  received,
  request,
  requestRaw,
  sdpAnswer,
  sdpOffer,
  startServer,
  userInRoom,
  type ClientSocket,
  type ServerEventName,
} from '../helpers/index.js';

afterEach(closeAll);

const CALL_EVENTS: ServerEventName[] = [
  'incoming-video-call',
  'video-call-accepted',
  'video-call-rejected',
  'offer',
  'answer',
  'ice-candidate',
  'media-state',
  'call-ended',
];

/** After a round trip, `socket` has received none of the call events. */
async function expectNoCallEvents(socket: ClientSocket): Promise<void> {
  await flush(socket);
  assert.deepEqual(received(socket, ...CALL_EVENTS), []);
}

/** Runs every in-call message both ways, checking the other participant gets each one. */
async function exchangeEverything(alice: ClientSocket, bob: ClientSocket, callId: string): Promise<void> {
  expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
  await nextEvent(bob, 'offer');
  expectOk(await request(bob, 'answer', { callId, description: sdpAnswer }));
  await nextEvent(alice, 'answer');
  expectOk(await request(alice, 'ice-candidate', { callId, candidate: hostCandidate }));
  await nextEvent(bob, 'ice-candidate');
  expectOk(await request(bob, 'ice-candidate', { callId, candidate: null }));
  await nextEvent(alice, 'ice-candidate');
  expectOk(await request(alice, 'media-state', { callId, audio: false, video: false }));
  await nextEvent(bob, 'media-state');
  expectOk(await request(bob, 'media-state', { callId, audio: true, video: true }));
  await nextEvent(alice, 'media-state');
}

describe('nothing leaves the call', () => {
  test('a third member of the room and a client in another room receive nothing of a call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const dave = await userInRoom(url, 'dave', 'r2');
    const { callId } = await establishCall(alice, bob, 'r1');
    await exchangeEverything(alice, bob, callId);
    expectOk(await request(alice, 'end-call', { callId }));
    await nextEvent(bob, 'call-ended');

    await expectNoCallEvents(carol);
    await expectNoCallEvents(dave);
    assert.deepEqual(
      received(dave).map((e) => e.event),
      ['room-members'],
      'dave hears only of his own room',
    );
  });

  test('the callee’s other tab, which did not answer, receives nothing after answered-elsewhere', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const otherTab = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    await exchangeEverything(alice, bob, callId);
    expectOk(await request(alice, 'end-call', { callId }));
    await nextEvent(bob, 'call-ended');

    await flush(otherTab);
    assert.deepEqual(received(otherTab, ...CALL_EVENTS), [
      {
        event: 'incoming-video-call',
        payload: { roomId: 'r1', callId, callerId: 'alice', callerName: 'Alice' },
      },
      { event: 'call-ended', payload: { callId, by: 'bob', reason: 'answered-elsewhere' } },
    ]);
  });

  test('the caller’s other tab does not ring', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const aliceOtherTab = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await establishCall(alice, bob, 'r1');
    await expectNoCallEvents(aliceOtherTab);
  });

  test('a tab that did not answer cannot signal in the call: call-not-found', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const otherTab = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');
    expectError(await request(otherTab, 'answer', { callId, description: sdpAnswer }), 'call-not-found');
    expectError(
      await request(otherTab, 'media-state', { callId, audio: true, video: true }),
      'call-not-found',
    );
    await flush(alice);
    assert.deepEqual(pending(alice, 'answer', 'media-state'), []);
  });

  test('two calls in one room stay apart', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    const dave = await userInRoom(url, 'dave', 'r1');
    const first = await establishCall(alice, bob, 'r1');
    const second = await establishCall(carol, dave, 'r1');

    await exchangeEverything(alice, bob, first.callId);
    await flush(carol, dave);
    assert.deepEqual(pending(carol, ...CALL_EVENTS), []);
    assert.deepEqual(pending(dave, ...CALL_EVENTS), []);

    // a member of one call cannot use the other call's id
    expectError(
      await request(carol, 'offer', { callId: first.callId, description: sdpOffer }),
      'call-not-found',
    );
    expectError(
      await request(carol, 'offer', { callId: second.callId, to: 'bob', description: sdpOffer }),
      'unknown-recipient',
    );
    await flush(alice, bob);
    assert.deepEqual(pending(alice, ...CALL_EVENTS), []);
    assert.deepEqual(pending(bob, ...CALL_EVENTS), []);
  });

  test('an outsider cannot send into, end, or take over a call: call-not-found', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');

    expectError(await request(mallory, 'offer', { callId, description: sdpOffer }), 'call-not-found');
    expectError(
      await request(mallory, 'answer', { callId, to: 'alice', description: sdpAnswer }),
      'call-not-found',
    );
    expectError(
      await request(mallory, 'ice-candidate', { callId, candidate: hostCandidate }),
      'call-not-found',
    );
    expectError(
      await request(mallory, 'media-state', { callId, audio: true, video: true }),
      'call-not-found',
    );
    expectError(await request(mallory, 'end-call', { callId }), 'call-not-found');
    expectError(await request(mallory, 'rejoin-call', { callId, resumeToken: 'guess' }), 'call-not-found');

    await flush(alice, bob);
    assert.deepEqual(pending(alice, ...CALL_EVENTS), []);
    assert.deepEqual(pending(bob, ...CALL_EVENTS), []);
    expectOk(await request(alice, 'media-state', { callId, audio: true, video: true }));
  });
});

describe('identity on the wire', () => {
  test('identity-mismatch: a spoofed callerId is refused and rings no one', async () => {
    const { url } = await startServer();
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const ack = await request(mallory, 'video-call-request', {
      roomId: 'r1',
      callerId: 'alice',
      callerName: 'Alice',
      calleeId: 'bob',
    });
    expectError(ack, 'identity-mismatch');
    await flush(bob);
    assert.deepEqual(pending(bob, 'incoming-video-call'), []);
  });

  test('`from` is always set by the service, whatever the payload says; unknown fields are dropped', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const { callId } = await establishCall(alice, bob, 'r1');

    const spoof = { from: 'mallory', by: 'mallory', extra: 'x' };
    assert.deepEqual(await requestRaw(alice, 'offer', [{ callId, description: sdpOffer, ...spoof }]), {
      ok: true,
    });
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });

    assert.deepEqual(await requestRaw(bob, 'answer', [{ callId, description: sdpAnswer, ...spoof }]), {
      ok: true,
    });
    assert.deepEqual(await nextEvent(alice, 'answer'), { callId, from: 'bob', description: sdpAnswer });

    assert.deepEqual(
      await requestRaw(alice, 'ice-candidate', [{ callId, candidate: hostCandidate, ...spoof }]),
      {
        ok: true,
      },
    );
    assert.deepEqual(await nextEvent(bob, 'ice-candidate'), {
      callId,
      from: 'alice',
      candidate: hostCandidate,
    });

    assert.deepEqual(
      await requestRaw(bob, 'media-state', [{ callId, audio: true, video: false, ...spoof }]),
      {
        ok: true,
      },
    );
    assert.deepEqual(await nextEvent(alice, 'media-state'), {
      callId,
      from: 'bob',
      audio: true,
      video: false,
    });

    assert.deepEqual(await requestRaw(alice, 'end-call', [{ callId, ...spoof }]), { ok: true });
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: 'alice', reason: 'hangup' });
  });
});
