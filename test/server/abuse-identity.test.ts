/**
 * Abuse: who you are. Spoofed ids, forged / expired / malformed tokens, probing for rooms and calls,
 * and script in display names. Each case checks the exact error, that a member of the same room and a
 * member of another room heard nothing, and that the service still serves a normal call.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterEach, describe, test } from 'node:test';
import { ErrorCode } from '../../server/protocol.js';
import {
  AUTH_KEY,
  AUTH_SECRET,
  base64url,
  bystanders,
  connectWithToken,
  expectNothing,
  expectNothingLeaked,
  expectRefusal,
  expectServiceWorks,
  health,
  quiet,
  signToken,
  tryConnect,
  expectNoHarm,
} from '../helpers/abuse.js';
import {
  closeAll,
  connectClient,
  connectRefused,
  establishCall,
  expectError,
  expectOk,
  joinRoom,
  member,
  nextEvent,
  pending,
  received,
  request,
  requestRaw,
  ring,
  sdpOffer,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

const SCRIPT = '<img src=x onerror=alert(1)>';
const now = (): number => Math.floor(Date.now() / 1000);
const inFiveMinutes = (): number => now() + 300;

describe('spoofed ids', () => {
  test('a callerId naming another member of the room is identity-mismatch; no one rings', async () => {
    const { url } = await startServer();
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    await quiet(mallory, alice, bob);

    const spoof = { roomId: 'r1', callerId: 'alice', callerName: 'Alice' };
    expectError(
      await request(mallory, 'video-call-request', { ...spoof, calleeId: 'bob' }),
      'identity-mismatch',
    );
    expectError(await request(mallory, 'video-call-request', spoof), 'identity-mismatch');

    await expectNoHarm(url, [alice, bob], b);
  });

  test('a callerId naming a user of another room is identity-mismatch; that user hears nothing', async () => {
    const { url } = await startServer();
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    await quiet(bob);

    const ack = await request(mallory, 'video-call-request', {
      roomId: 'r1',
      callerId: 'dave',
      callerName: 'Dave',
      calleeId: 'bob',
    });
    expectError(ack, 'identity-mismatch');

    await expectNoHarm(url, [bob], b);
  });

  test('from, by, userId, calleeId and callerId in payloads are ignored: the service names the sender', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const spoof = { from: 'carol', by: 'carol', userId: 'carol', callerId: 'carol', calleeId: 'carol' };

    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    const answer = await requestRaw(bob, 'video-call-response', [
      { roomId: 'r1', accepted: true, callId, ...spoof, calleeName: 'Carol' },
    ]);
    expectOk(answer as { ok: boolean });
    const accepted = await nextEvent(alice, 'video-call-accepted');
    assert.deepEqual(accepted, {
      roomId: 'r1',
      callId,
      calleeId: 'bob',
      calleeName: 'Bob',
      resumeToken: accepted.resumeToken,
    });

    assert.deepEqual(await requestRaw(alice, 'offer', [{ callId, description: sdpOffer, ...spoof }]), {
      ok: true,
    });
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
    assert.deepEqual(
      await requestRaw(bob, 'media-state', [{ callId, audio: false, video: true, ...spoof }]),
      { ok: true },
    );
    assert.deepEqual(await nextEvent(alice, 'media-state'), {
      callId,
      from: 'bob',
      audio: false,
      video: true,
    });
    assert.deepEqual(await requestRaw(bob, 'end-call', [{ callId, ...spoof }]), { ok: true });
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: 'bob', reason: 'hangup' });

    // carol shares the room, so she sees alice and bob go in-call and back; nothing of the call itself.
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('an outsider naming a participant in `from` is still an outsider: call-not-found', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const b = await bystanders(url);
    const { callId } = await establishCall(alice, bob, 'r1');
    await quiet(alice, bob, b.near);

    const as = { from: 'alice', callerId: 'alice', userId: 'alice' };
    expectError(
      await requestRaw(mallory, 'offer', [{ callId, to: 'bob', description: sdpOffer, ...as }]),
      'call-not-found',
    );
    expectError(
      await requestRaw(mallory, 'media-state', [{ callId, audio: true, video: true, ...as }]),
      'call-not-found',
    );
    expectError(await requestRaw(mallory, 'end-call', [{ callId, ...as }]), 'call-not-found');

    await expectNothing([alice, bob]);
    await expectNothingLeaked(b);
    expectOk(await request(alice, 'media-state', { callId, audio: true, video: true }));
    await expectServiceWorks(url);
  });

  test('with AUTH_SECRET, auth.userId / auth.userName naming another user are ignored', async () => {
    const { url } = await startServer({ authSecret: AUTH_SECRET });
    const connect = (userId: string) => connectWithToken(url, userId);
    const alice = await connect('alice');
    await joinRoom(alice, 'r1');
    const bob = await connect('bob');
    await joinRoom(bob, 'r1');
    const b = await bystanders(url, 'r1', connect);
    const token = await signToken({ sub: 'mallory', name: 'Mallory', rooms: ['r1'] });
    const mallory = await connectClient(url, { userId: 'alice', userName: 'Alice', token });
    await quiet(alice, bob);

    const joined = await joinRoom(mallory, 'r1');
    assert.deepEqual(
      joined.members.find((m) => m.userName === 'Mallory'),
      member('mallory', 'Mallory'),
    );
    assert.equal(joined.members.filter((m) => m.userId === 'alice').length, 1, 'one alice: the real one');
    expectError(
      await request(mallory, 'video-call-request', {
        roomId: 'r1',
        callerId: 'alice',
        callerName: 'Alice',
        calleeId: 'bob',
      }),
      'identity-mismatch',
    );
    await expectNothing([alice, bob], { presence: true });

    // As herself she may call, and the token's name wins over the payload's.
    expectOk(
      await request(mallory, 'video-call-request', {
        roomId: 'r1',
        callerId: 'mallory',
        callerName: 'Alice',
        calleeId: 'bob',
      }),
    );
    const incoming = await nextEvent(bob, 'incoming-video-call');
    assert.equal(incoming.callerId, 'mallory');
    assert.equal(incoming.callerName, 'Mallory');
    await expectNothing([alice], { presence: true });
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url, connect);
  });
});

// ---- tokens ---------------------------------------------------------------------------------------

type Claims = Record<string, unknown>;

function validClaims(extra: Claims = {}): Claims {
  return { sub: 'mallory', name: 'Mallory', rooms: ['*'], exp: inFiveMinutes(), ...extra };
}

const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512', RS256: 'sha256' } as const;

/** A JWT put together by hand: any header, any payload, an HMAC signature with `key` (the suite's secret by default). */
function forge(header: Claims, payload: Claims, key: Uint8Array | string = AUTH_KEY): string {
  const alg =
    typeof header.alg === 'string' && header.alg in HASH ? (header.alg as keyof typeof HASH) : 'HS256';
  const input = `${base64url(header)}.${base64url(payload)}`;
  const signature = createHmac(HASH[alg], key).update(input).digest('base64url');
  return `${input}.${signature}`;
}

interface TokenCase {
  what: string;
  auth: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  code: ErrorCode;
}

const TOKEN_CASES: TokenCase[] = [
  {
    what: 'no token at all, only a claimed userId',
    auth: () => ({ userId: 'alice' }),
    code: 'token-missing',
  },
  { what: 'an empty token', auth: () => ({ token: '' }), code: 'token-missing' },
  {
    what: 'an expired token',
    auth: () => ({ token: forge({ alg: 'HS256', typ: 'JWT' }, validClaims({ exp: now() - 60 })) }),
    code: 'token-expired',
  },
  {
    what: 'an expired token with a forged signature (forgery wins: not token-expired)',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ exp: now() - 60 }), 'not-the-secret') }),
    code: 'token-invalid',
  },
  {
    what: 'an unsigned alg:none token',
    auth: () => ({ token: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(validClaims())}.` }),
    code: 'token-invalid',
  },
  {
    what: 'alg:none carrying a real HS256 signature',
    auth: () => {
      const [, payload, signature] = forge({ alg: 'HS256' }, validClaims()).split('.');
      return { token: `${base64url({ alg: 'none' })}.${payload}.${signature}` };
    },
    code: 'token-invalid',
  },
  {
    what: 'HS512 with the right secret',
    auth: () => ({ token: forge({ alg: 'HS512', typ: 'JWT' }, validClaims()) }),
    code: 'token-invalid',
  },
  {
    what: 'HS384 with the right secret',
    auth: () => ({ token: forge({ alg: 'HS384', typ: 'JWT' }, validClaims()) }),
    code: 'token-invalid',
  },
  {
    what: 'an RS256 header over an HMAC of the secret (algorithm confusion)',
    auth: () => ({ token: forge({ alg: 'RS256', typ: 'JWT' }, validClaims()) }),
    code: 'token-invalid',
  },
  {
    what: 'an RS256 header with a made-up signature',
    auth: () => ({
      token: `${base64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${base64url(validClaims())}.${base64url(Buffer.alloc(256, 7))}`,
    }),
    code: 'token-invalid',
  },
  {
    what: 'a tampered payload (sub and rooms changed, signature kept)',
    auth: async () => {
      const [header, , signature] = (await signToken({ sub: 'mallory', rooms: ['r9'] })).split('.');
      return { token: `${header}.${base64url(validClaims({ sub: 'alice', rooms: ['*'] }))}.${signature}` };
    },
    code: 'token-invalid',
  },
  {
    what: 'a token signed with another secret',
    auth: async () => ({ token: await signToken(validClaims(), new TextEncoder().encode('another-secret')) }),
    code: 'token-invalid',
  },
  {
    what: 'a token without exp',
    auth: () => ({ token: forge({ alg: 'HS256' }, { sub: 'mallory', rooms: ['*'] }) }),
    code: 'token-invalid',
  },
  {
    what: 'a token whose exp is a string',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ exp: String(inFiveMinutes()) })) }),
    code: 'token-invalid',
  },
  {
    what: 'a token not valid before an hour from now (nbf)',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ nbf: now() + 3600 })) }),
    code: 'token-invalid',
  },
  {
    what: 'a token without sub',
    auth: () => ({ token: forge({ alg: 'HS256' }, { rooms: ['*'], exp: inFiveMinutes() }) }),
    code: 'token-invalid',
  },
  {
    what: 'a sub outside the id format',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ sub: 'mallory/../admin' })) }),
    code: 'token-invalid',
  },
  {
    what: 'a sub of 65 characters',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ sub: 'm'.repeat(65) })) }),
    code: 'token-invalid',
  },
  {
    what: 'a numeric sub',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ sub: 42 })) }),
    code: 'token-invalid',
  },
  {
    what: 'rooms as a string, not an array',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ rooms: '*' })) }),
    code: 'token-invalid',
  },
  {
    what: 'rooms as an array-like object',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ rooms: { 0: '*', length: 1 } })) }),
    code: 'token-invalid',
  },
  {
    what: 'rooms holding an id outside the format',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ rooms: ['r1', 'r1/../r2'] })) }),
    code: 'token-invalid',
  },
  {
    what: 'rooms hidden behind a __proto__ key',
    auth: () => {
      const payload = JSON.parse(
        `{"sub": "mallory", "exp": ${inFiveMinutes()}, "__proto__": {"rooms": ["*"]}}`,
      ) as Claims;
      return { token: forge({ alg: 'HS256' }, payload) };
    },
    code: 'token-invalid',
  },
  {
    what: 'a name of 101 characters',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ name: 'M'.repeat(101) })) }),
    code: 'token-invalid',
  },
  {
    what: 'a blank name',
    auth: () => ({ token: forge({ alg: 'HS256' }, validClaims({ name: ' \t ' })) }),
    code: 'token-invalid',
  },
  { what: 'a string that is not a JWT', auth: () => ({ token: 'not-a-jwt' }), code: 'token-invalid' },
  {
    what: 'a header that is not JSON',
    auth: () => ({ token: `${base64url('{alg: HS256')}.${base64url(validClaims())}.c2ln` }),
    code: 'token-invalid',
  },
  {
    what: 'a valid token behind a "Bearer " prefix',
    auth: async () => ({ token: `Bearer ${await signToken(validClaims())}` }),
    code: 'token-invalid',
  },
  {
    what: 'a validly signed token of more than 8 KiB (present, so not token-missing)',
    auth: async () => ({ token: await signToken(validClaims({ pad: 'x'.repeat(9_000) })) }),
    code: 'token-invalid',
  },
  {
    what: 'a token that is a number (present, so not token-missing)',
    auth: () => ({ token: 42 }),
    code: 'token-invalid',
  },
];

describe('tokens (AUTH_SECRET): refused at the handshake, leaving no trace', () => {
  for (const { what, auth, code } of TOKEN_CASES) {
    test(`${what}: connect_error "unauthorized", ${code}`, async () => {
      const { url } = await startServer({ authSecret: AUTH_SECRET });
      const connect = (userId: string) => connectWithToken(url, userId);
      const b = await bystanders(url, 'r1', connect);

      expectRefusal(await connectRefused(url, await auth()), 'unauthorized', code);

      await expectNothingLeaked(b);
      assert.deepEqual(await health(url), { connections: 2, rooms: 2, calls: { ringing: 0, active: 0 } });
      await expectServiceWorks(url, connect);
    });
  }

  test('the same claims, properly signed, are accepted (the cases above fail for their flaw alone)', async () => {
    const { url } = await startServer({ authSecret: AUTH_SECRET });
    const socket = await connectClient(url, { token: forge({ alg: 'HS256', typ: 'JWT' }, validClaims()) });
    const joined = await joinRoom(socket, 'r1');
    assert.deepEqual(joined.members, [member('mallory', 'Mallory')]);
  });
});

// ---- probing ---------------------------------------------------------------------------------------

describe('probing for rooms and calls', () => {
  test('with a token for room A, an occupied room B and an empty room C give the same forbidden', async () => {
    const { url } = await startServer({ authSecret: AUTH_SECRET });
    const connect = (userId: string) => connectWithToken(url, userId);
    const b = await bystanders(url, 'room-b', connect);
    const mallory = await connectWithToken(url, 'mallory', { rooms: ['room-a'] });

    const occupied = await request(mallory, 'join-room', { roomId: 'room-b' });
    const empty = await request(mallory, 'join-room', { roomId: 'room-c' });
    expectError(occupied, 'forbidden');
    expectError(empty, 'forbidden');
    assert.deepEqual(occupied, empty, 'the answers must not tell an occupied room from an empty one');
    // The far bystander's room too, and the same again: nothing depends on who is where.
    assert.deepEqual(await request(mallory, 'join-room', { roomId: 'far-away' }), empty);

    // Whatever else she tries there answers alike.
    for (const roomId of ['room-b', 'room-c']) {
      assert.deepEqual(await request(mallory, 'leave-room', { roomId }), { ok: true });
    }
    const callIn = (roomId: string) =>
      request(mallory, 'video-call-request', { roomId, callerId: 'mallory', callerName: 'M' });
    assert.deepEqual(await callIn('room-b'), await callIn('room-c'));
    expectError(await callIn('room-b'), 'not-in-room');

    await expectNothingLeaked(b);
    expectOk(await request(mallory, 'join-room', { roomId: 'room-a' }));
    await expectServiceWorks(url, connect);
  });

  test('open mode: an occupied room you did not join and an empty one answer alike (not-in-room)', async () => {
    const { url } = await startServer();
    const b = await bystanders(url, 'room-b');
    const alice = await userInRoom(url, 'alice', 'room-b');
    await quiet(b.near, alice);
    const mallory = await connectClient(url, { userId: 'mallory' });

    const answers = async (roomId: string): Promise<unknown[]> => [
      await request(mallory, 'video-call-request', { roomId, callerId: 'mallory', callerName: 'M' }),
      await request(mallory, 'video-call-request', {
        roomId,
        callerId: 'mallory',
        callerName: 'M',
        calleeId: 'alice',
      }),
      await request(mallory, 'video-call-response', { roomId, accepted: true }),
      await request(mallory, 'video-call-response', { roomId, accepted: false }),
    ];
    const occupied = await answers('room-b');
    const empty = await answers('room-c');
    for (const ack of occupied) expectError(ack, 'not-in-room');
    assert.deepEqual(occupied, empty);

    await expectNoHarm(url, [alice], b);
  });

  test('a live call of others and a made-up call id answer alike (call-not-found, same message)', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const mallory = await userInRoom(url, 'mallory', 'r2');
    const b = await bystanders(url);
    const { callId, calleeToken } = await establishCall(alice, bob, 'r1');
    await quiet(alice, bob, b.near);
    const madeUp = '00000000-0000-4000-8000-000000000000';

    const answers = async (id: string): Promise<unknown[]> => [
      await request(mallory, 'offer', { callId: id, description: sdpOffer }),
      await request(mallory, 'offer', { callId: id, to: 'bob', description: sdpOffer }),
      await request(mallory, 'media-state', { callId: id, audio: true, video: true }),
      await request(mallory, 'end-call', { callId: id }),
      await request(mallory, 'rejoin-call', { callId: id, resumeToken: calleeToken }),
      await request(mallory, 'video-call-response', { roomId: 'r2', accepted: true, callId: id }),
    ];
    const live = await answers(callId);
    for (const ack of live) expectError(ack, 'call-not-found');
    assert.deepEqual(live, await answers(madeUp));

    await expectNothing([alice, bob]);
    await expectNothingLeaked(b);
    expectOk(await request(bob, 'media-state', { callId, audio: true, video: true }));
    await expectServiceWorks(url);
  });
});

// ---- names -----------------------------------------------------------------------------------------

describe('script in display names is data, relayed verbatim', () => {
  test('a userName of markup reaches others exactly as sent: presence, ringing and the accept', async () => {
    const { url } = await startServer();
    const b = await bystanders(url);
    const mallory = await userInRoom(url, 'mallory', 'r1', SCRIPT);
    const alice = await userInRoom(url, 'alice', 'r1');

    const presence = await nextEvent(b.near, 'room-members', (p) => p.members.length === 3);
    assert.deepEqual(
      presence.members.find((m) => m.userId === 'mallory'),
      member('mallory', SCRIPT),
    );
    // mallory calls with her handshake name; then alice calls her and sees her name on the accept.
    const callId = await ring(mallory, 'r1', [alice], { calleeId: 'alice', callerName: SCRIPT });
    expectOk(await request(alice, 'video-call-response', { roomId: 'r1', accepted: false, callId }));
    await nextEvent(mallory, 'video-call-rejected');
    const second = await ring(alice, 'r1', [mallory], { calleeId: 'mallory' });
    expectOk(await request(mallory, 'video-call-response', { roomId: 'r1', accepted: true, callId: second }));
    const accepted = await nextEvent(alice, 'video-call-accepted');
    assert.equal(accepted.calleeName, SCRIPT);

    await expectNothing([b.far]);
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('a callerName of markup rings the callee exactly as sent, and only the callee', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    const callerName = `"><script>alert(document.cookie)</script>${SCRIPT}`;

    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob', callerName });
    assert.deepEqual(pending(bob, 'incoming-video-call'), []);
    assert.deepEqual(
      received(bob, 'incoming-video-call').map((e) => e.payload),
      [{ roomId: 'r1', callId, callerId: 'alice', callerName }],
      'exactly one ring, carrying the name exactly as sent',
    );

    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('with AUTH_SECRET, a token name of markup is relayed verbatim, whatever callerName says', async () => {
    const { url } = await startServer({ authSecret: AUTH_SECRET });
    const connect = (userId: string) => connectWithToken(url, userId);
    const b = await bystanders(url, 'r1', connect);
    const mallory = await connectWithToken(url, 'mallory', { name: SCRIPT });
    await joinRoom(mallory, 'r1');
    const bob = await connect('bob');
    await joinRoom(bob, 'r1');

    const ack = expectOk(
      await request(mallory, 'video-call-request', {
        roomId: 'r1',
        callerId: 'mallory',
        callerName: 'Harmless',
        calleeId: 'bob',
      }),
    );
    assert.deepEqual(await nextEvent(bob, 'incoming-video-call'), {
      roomId: 'r1',
      callId: ack.callId,
      callerId: 'mallory',
      callerName: SCRIPT,
    });
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url, connect);
  });

  test('names over 100 characters are refused: invalid-identity at the handshake, invalid-payload as callerName', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    await quiet(bob);
    const long = `${SCRIPT}${'x'.repeat(101 - SCRIPT.length)}`;
    assert.equal(long.length, 101);

    expectRefusal(
      await connectRefused(url, { userId: 'mallory', userName: long }),
      'invalid-identity',
      'invalid-identity',
    );
    const call = (callerName: string) =>
      request(alice, 'video-call-request', { roomId: 'r1', callerId: 'alice', callerName, calleeId: 'bob' });
    expectError(await call(long), 'invalid-payload');
    expectError(await call(`  ${'y'.repeat(101)}  `), 'invalid-payload');
    await expectNothing([bob]);
    await expectNothingLeaked(b);

    // 100 characters, surrounding blanks trimmed, is fine and arrives as given.
    const hundred = `${SCRIPT}${'z'.repeat(100 - SCRIPT.length)}`;
    const placed = expectOk(await call(`  ${hundred} `));
    assert.equal(placed.role, 'caller');
    assert.equal((await nextEvent(bob, 'incoming-video-call')).callerName, hundred);
    await expectServiceWorks(url);
  });

  test('names empty after trimming are refused: invalid-identity at the handshake, invalid-payload as callerName', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);
    await quiet(bob);

    for (const blank of ['', '   ', '\t\n', '\u00a0\u2003']) {
      expectRefusal(
        await connectRefused(url, { userId: 'mallory', userName: blank }),
        'invalid-identity',
        'invalid-identity',
      );
      expectError(
        await request(alice, 'video-call-request', {
          roomId: 'r1',
          callerId: 'alice',
          callerName: blank,
          calleeId: 'bob',
        }),
        'invalid-payload',
      );
    }
    await expectNothing([bob]);
    await expectNothingLeaked(b);
    assert.deepEqual((await health(url)).connections, 4);
    await expectServiceWorks(url);
  });
});

// ---- handshakes that must not take the service down -------------------------------------------

const CLI = new URL('../../server/cli.ts', import.meta.url).pathname;

/** `ringlet serve` in a child process, so that a crash shows as a dead child, not a dead test runner. */
async function serveInChild(env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'serve', '--port', '0', '--host', '127.0.0.1'],
    {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === 'listening' && entry.url) return { child, url: entry.url, stderr: () => stderr };
  }
  throw new Error(`ringlet serve exited before listening: ${stderr}`);
}

describe('handshakes that must not take the service down', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });

  const crashers: [string, Record<string, string>, Record<string, unknown>, string, ErrorCode][] = [
    [
      'open mode: an auth.userId object whose length cannot become a number',
      {},
      { userId: JSON.parse('{"length": {"toString": 1}}') as unknown },
      'invalid-identity',
      'invalid-identity',
    ],
    [
      'open mode: an auth.userName object whose length cannot become a number',
      {},
      { userId: 'mallory', userName: JSON.parse('{"length": [{"toString": "x"}]}') as unknown },
      'invalid-identity',
      'invalid-identity',
    ],
    [
      'AUTH_SECRET: an auth.token object whose length cannot become a number',
      { AUTH_SECRET },
      { token: JSON.parse('{"length": {"toString": 1}}') as unknown },
      'unauthorized',
      'token-invalid',
    ],
  ];
  for (const [what, env, auth, message, code] of crashers) {
    test(`${what} is refused (connect_error "${message}"), and the service lives on`, {}, async () => {
      const served = await serveInChild(env);
      child = served.child;
      const outcome = await tryConnect(served.url, auth);
      assert.deepEqual(
        outcome.kind === 'refused'
          ? { message: outcome.message, code: (outcome.data as { code?: unknown }).code }
          : outcome,
        { message, code },
        `the child said: ${served.stderr().slice(0, 500)}`,
      );
      assert.equal(child.exitCode, null, 'the service process exited');
      const connect = (userId: string) =>
        env.AUTH_SECRET ? connectWithToken(served.url, userId) : connectClient(served.url, { userId });
      const alive = await connect('after');
      await joinRoom(alive, 'r1');
    });
  }
});
