import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ErrorCode } from '../../server/protocol.js';
import {
  byUserId,
  closeAll,
  establishCall,
  expectError,
  expectOk,
  nextEvent,
  participant,
  request,
  sdpOffer,
  startServer,
  userInRoom,
} from '../helpers/index.js';

const RESUME_SECRET = 'restart-test-secret-0123456789';

/** A call between alice and bob on a service that is then stopped, as by a restart. */
async function callOnStoppedService(options: { resumeSecret?: string } = {}) {
  const first = await startServer(options);
  const alice = await userInRoom(first.url, 'alice', 'r1');
  const bob = await userInRoom(first.url, 'bob', 'r1');
  const call = await establishCall(alice, bob, 'r1');
  await first.close();
  return call;
}

describe('calls survive a restart of the service (signed resume tokens)', () => {
  afterEach(closeAll);

  it('restores the call when both rejoin a new process with the same RESUME_SECRET', async () => {
    const { callId, callerToken, calleeToken } = await callOnStoppedService({ resumeSecret: RESUME_SECRET });
    const { url } = await startServer({ resumeSecret: RESUME_SECRET });
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const rejoined = expectOk(await request(alice, 'rejoin-call', { callId, resumeToken: callerToken }));
    assert.deepEqual(byUserId(rejoined.participants), [
      participant('alice', 'Alice'),
      participant('bob', 'Bob'),
    ]);
    expectOk(await request(bob, 'rejoin-call', { callId, resumeToken: calleeToken }));

    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
    expectOk(await request(bob, 'end-call', { callId }));
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: 'bob', reason: 'hangup' });
    expectError(
      await request(alice, 'rejoin-call', { callId, resumeToken: callerToken }),
      ErrorCode.CallNotFound,
    );
  });

  it('ends a restored call with "disconnected" when the other side never comes back', async () => {
    const { callId, callerToken } = await callOnStoppedService({ resumeSecret: RESUME_SECRET });
    const { url } = await startServer({ resumeSecret: RESUME_SECRET, rejoinGraceMs: 100 });
    const alice = await userInRoom(url, 'alice', 'r1');
    expectOk(await request(alice, 'rejoin-call', { callId, resumeToken: callerToken }));
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: null, reason: 'disconnected' });
  });

  it('answers call-not-found after a restart with another secret, so clients end the call cleanly', async () => {
    const { callId, callerToken } = await callOnStoppedService();
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    expectError(
      await request(alice, 'rejoin-call', { callId, resumeToken: callerToken }),
      ErrorCode.CallNotFound,
    );
  });

  it('refuses tampered tokens and tokens of another user', async () => {
    const { callId, callerToken, calleeToken } = await callOnStoppedService({ resumeSecret: RESUME_SECRET });
    const { url } = await startServer({ resumeSecret: RESUME_SECRET });
    const alice = await userInRoom(url, 'alice', 'r1');
    const [payload = '', signature = ''] = callerToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, roomId: 'r2' })).toString('base64url')}.${signature}`;
    for (const resumeToken of [forged, calleeToken, `${payload}.`, 'not-a-token']) {
      expectError(await request(alice, 'rejoin-call', { callId, resumeToken }), ErrorCode.CallNotFound);
    }
  });
});
