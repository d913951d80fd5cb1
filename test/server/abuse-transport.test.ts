/**
 * Abuse: what arrives on the wire. Oversize packets, malformed frames and payloads, prototype-pollution
 * keys, and browsers on origins the operator did not allow. Each case checks the exact outcome, that a
 * member of the same room and a member of another room heard nothing, and that the service still serves
 * a normal call.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, test } from 'node:test';
import {
  AUTH_SECRET,
  bystanders,
  callUnderAttack,
  CALL_EVENTS,
  connectWithToken,
  expectNothing,
  expectNothingLeaked,
  expectNotPolluted,
  expectRefusal,
  expectServiceWorks,
  health,
  signToken,
  tryConnect,
  expectNoHarm,
} from '../helpers/abuse.js';
import type { RoomMember } from '../../server/protocol.js';
import {
  byUserId,
  closeAll,
  connectClient,
  connectRefused,
  establishCall,
  expectError,
  expectOk,
  hostCandidate,
  httpGet,
  joinRoom,
  member,
  nextDisconnect,
  nextEvent,
  pending,
  received,
  request,
  requestRaw,
  sdpAnswer,
  sdpOffer,
  send,
  startServer,
  userInRoom,
  type ClientEventName,
  type ClientSocket,
} from '../helpers/index.js';

afterEach(closeAll);

/** Writes a Socket.IO packet as is (e.g. `2["offer",{...}]`), past socket.io-client's encoder. */
function writeRaw(socket: ClientSocket, packet: string): void {
  socket.io.engine.write(packet);
}

describe('oversize packets (maxMessageBytes)', () => {
  const LIMIT = { maxMessageBytes: 4_096, rejoinGraceMs: 100 };

  test('WebSocket: an offer over the limit closes the sender only; its peer gets no offer', async () => {
    const { url, alice, bob, callId, b } = await callUnderAttack(LIMIT);

    const gone = nextDisconnect(alice);
    send(alice, 'offer', { callId, description: { type: 'offer', sdp: 'x'.repeat(5_000) } });
    assert.equal(await gone, 'transport close');

    // The peer hears of it as of any lost connection, after the grace period; never the offer.
    assert.deepEqual(await nextEvent(bob, 'call-ended'), { callId, by: null, reason: 'disconnected' });
    await expectNothing([bob], { presence: true });
    assert.deepEqual(received(bob, 'offer'), []);
    await expectNothingLeaked(b, { presence: true });
    await expectNothing([b.far]);
    await expectServiceWorks(url);
  });

  test('WebSocket: a binary attachment over the limit closes the sender only', async () => {
    const { url } = await startServer(LIMIT);
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const b = await bystanders(url);

    const gone = nextDisconnect(mallory);
    send(mallory, 'join-room', { roomId: 'r1', blob: Buffer.alloc(5_000, 1) });
    assert.equal(await gone, 'transport close');

    await expectNothingLeaked(b, { presence: true });
    assert.deepEqual((await health(url)).connections, 2);
    await expectServiceWorks(url);
  });

  test('HTTP long-polling: a POST over the limit closes the sender only', async () => {
    const { url } = await startServer(LIMIT);
    const mallory = await connectClient(url, { userId: 'mallory' }, { transports: ['polling'] });
    await joinRoom(mallory, 'r1');
    const b = await bystanders(url);

    const gone = nextDisconnect(mallory);
    send(mallory, 'video-call-request', { roomId: 'r1', callerId: 'mallory', callerName: 'm'.repeat(5_000) });
    assert.equal(await gone, 'transport close');

    await expectNothingLeaked(b, { presence: true });
    assert.deepEqual(received(b.near, 'incoming-video-call'), []);
    await expectServiceWorks(url);
  });

  test('a handshake whose auth is over the limit never connects and leaves nothing behind', async () => {
    const { url } = await startServer(LIMIT);
    const b = await bystanders(url);

    const outcome = await tryConnect(url, { userId: 'mallory', userName: 'Mallory', pad: 'x'.repeat(5_000) });
    assert.deepEqual(outcome, { kind: 'closed', reason: 'transport close' });

    await expectNothingLeaked(b);
    assert.deepEqual(await health(url), { connections: 2, rooms: 2, calls: { ringing: 0, active: 0 } });
    await expectServiceWorks(url);
  });
});

describe('malformed packets (representative; validation.test.ts sweeps every field)', () => {
  test('binary where strings belong is invalid-payload, and nothing is relayed', async () => {
    const { url, alice, bob, callId, b } = await callUnderAttack();

    const bytes = Buffer.from('v=0\r\n');
    expectError(await requestRaw(alice, 'offer', [bytes]), 'invalid-payload');
    expectError(
      await requestRaw(alice, 'offer', [{ callId, description: { type: 'offer', sdp: bytes } }]),
      'invalid-payload',
    );
    expectError(
      await requestRaw(alice, 'offer', [{ callId: Buffer.from(callId), description: sdpOffer }]),
      'invalid-payload',
    );
    expectError(
      await requestRaw(alice, 'ice-candidate', [{ callId, candidate: { candidate: bytes } }]),
      'invalid-payload',
    );
    expectError(await requestRaw(alice, 'join-room', [{ roomId: Buffer.from('r1') }]), 'invalid-payload');

    await expectNoHarm(url, [alice, bob], b);
  });

  test('a payload nested 2,000 deep is invalid-payload; one nested 50,000 deep is no crash', async () => {
    const { alice, bob, callId, b } = await callUnderAttack({ maxMessageBytes: 1_000_000 });

    let nested: unknown = sdpOffer;
    for (let i = 0; i < 2_000; i += 1) nested = { description: nested };
    expectError(await requestRaw(alice, 'offer', [{ callId, description: nested }]), 'invalid-payload');
    expectError(await requestRaw(alice, 'join-room', [nested]), 'invalid-payload');

    const depth = 50_000;
    writeRaw(alice, `2["offer",${'{"description":'.repeat(depth)}1${'}'.repeat(depth)}]`);
    writeRaw(alice, `2["join-room",${'['.repeat(depth)}${']'.repeat(depth)}]`);

    await expectNothing([alice, bob]);
    await expectNothingLeaked(b);
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
  });

  test('frames that are not valid Socket.IO (broken JSON, no event name, an object as name) close the sender only', async () => {
    const { url } = await startServer();
    const b = await bystanders(url);
    const frames = [
      '2["join-room",{"roomId":"r1"}',
      '2[]',
      '2{"roomId":"r1"}',
      `2${JSON.stringify([{ event: 'join-room' }, { roomId: 'r1' }])}`,
      '9["join-room",{"roomId":"r1"}]',
      '51-["join-room",{"_placeholder":true,"num":7}]',
    ];
    for (const frame of frames) {
      const mallory = await userInRoom(url, 'mallory', 'r1');
      const gone = nextDisconnect(mallory);
      writeRaw(mallory, frame);
      // The binary frame waits for an attachment that never comes: its next frame is no attachment.
      if (frame.startsWith('5')) writeRaw(mallory, '2["leave-room",{"roomId":"r1"}]');
      assert.equal(await gone, 'transport close', frame);
    }

    await expectNothingLeaked(b, { presence: true });
    assert.equal((await health(url)).connections, 2);
    await expectServiceWorks(url);
  });

  test('reserved event names (disconnect, connect, newListener) close the sender only', async () => {
    const { url } = await startServer();
    const b = await bystanders(url);
    for (const name of ['disconnect', 'connect', 'newListener', 'removeListener']) {
      const mallory = await userInRoom(url, 'mallory', 'r1');
      const gone = nextDisconnect(mallory);
      writeRaw(mallory, `2${JSON.stringify([name, { roomId: 'r1' }])}`);
      assert.equal(await gone, 'transport close', name);
    }
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('events named error, __proto__, toString or a server event are ignored: no answer, no crash, no relay', async () => {
    const { url, alice, bob, callId, b } = await callUnderAttack();

    const names = [
      'error',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'offer ',
      'OFFER',
      'room-members',
      'incoming-video-call',
      'call-ended',
      'service-shutdown',
    ];
    for (const name of names) {
      send(alice, name, {
        callId,
        to: 'bob',
        description: sdpOffer,
        from: 'alice',
        by: null,
        reason: 'hangup',
      });
      send(alice, name, new Error('boom'));
      send(alice, name);
    }
    writeRaw(alice, `2${JSON.stringify([42, { callId }])}`);

    await expectNothing([bob]);
    await expectNothingLeaked(b);
    assert.equal(alice.connected, true);
    expectOk(await request(alice, 'media-state', { callId, audio: true, video: true }));
    await nextEvent(bob, 'media-state');
    await expectServiceWorks(url);
  });

  test(
    'a string field holding an object whose length cannot become a number is invalid-payload, not internal',
    {},
    async () => {
      const { url, alice, bob, callId, b } = await callUnderAttack();

      const odd = (): unknown => JSON.parse('{"length": {"toString": 1}}');
      const cases: [ClientEventName, unknown][] = [
        ['join-room', { roomId: odd() }],
        ['leave-room', { roomId: odd() }],
        ['video-call-request', { roomId: 'r1', callerId: 'alice', callerName: odd() }],
        ['video-call-response', { roomId: 'r1', accepted: true, callId: odd() }],
        ['offer', { callId, description: { type: 'offer', sdp: odd() } }],
        ['answer', { callId, to: odd(), description: sdpAnswer }],
        ['ice-candidate', { callId, candidate: { candidate: odd() } }],
        ['media-state', { callId: odd(), audio: true, video: true }],
        ['end-call', { callId: { length: [JSON.parse('{"toString": "x"}')] } }],
        ['rejoin-call', { callId, resumeToken: odd() }],
      ];
      const answers: string[] = [];
      for (const [event, payload] of cases) {
        const ack = (await requestRaw(alice, event, [payload])) as { error?: { code?: string } };
        answers.push(`${event}: ${ack.error?.code ?? 'ok'}`);
      }
      assert.deepEqual(
        answers,
        cases.map(([event]) => `${event}: invalid-payload`),
      );

      await expectNothing([alice, bob]);
      await expectNothingLeaked(b);
      await expectServiceWorks(url);
    },
  );

  test('a packet for a namespace that does not exist is refused: connect_error "Invalid namespace"', async () => {
    const { url } = await startServer();
    const b = await bystanders(url);
    const outcome = await tryConnect(`${url}/admin`, { userId: 'mallory' });
    assert.deepEqual(outcome, { kind: 'refused', message: 'Invalid namespace', data: undefined });
    await expectNothingLeaked(b);
    assert.equal((await health(url)).connections, 2);
    await expectServiceWorks(url);
  });
});

// ---- prototype pollution --------------------------------------------------------------------------

const PROTO_KEYS =
  '"__proto__": {"polluted": "yes", "isAdmin": true}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}';

/** `json` (an object literal without its closing brace) with the three keys added at the end. */
function withProtoKeys(json: string): string {
  return `${json}, ${PROTO_KEYS}}`;
}

function parse(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

describe('prototype-pollution keys', () => {
  test('__proto__, constructor and prototype nested in every object field are ignored; the call works as usual', async () => {
    const { url } = await startServer();
    const alice = await connectClient(url, parse(withProtoKeys('{"userId": "alice", "userName": "Alice"')));
    const bob = await userInRoom(url, 'bob', 'r1');
    const b = await bystanders(url);

    const joined = await requestRaw(alice, 'join-room', [parse(withProtoKeys('{"roomId": "r1"'))]);
    assert.deepEqual(byUserId((joined as { members: RoomMember[] }).members), [
      member('alice', 'Alice'),
      member('bob', 'Bob'),
      member('carol', 'Carol'),
    ]);
    const placed = await requestRaw(alice, 'video-call-request', [
      parse(withProtoKeys('{"roomId": "r1", "callerId": "alice", "callerName": "Alice", "calleeId": "bob"')),
    ]);
    const callId = (placed as { callId: string }).callId;
    assert.deepEqual(await nextEvent(bob, 'incoming-video-call'), {
      roomId: 'r1',
      callId,
      callerId: 'alice',
      callerName: 'Alice',
    });
    const answered = await requestRaw(bob, 'video-call-response', [
      parse(withProtoKeys(`{"roomId": "r1", "accepted": true, "callId": "${callId}"`)),
    ]);
    assert.equal((answered as { accepted?: unknown }).accepted, true);
    await nextEvent(alice, 'video-call-accepted');

    const description = (type: string) => withProtoKeys(`{"type": "${type}", "sdp": "v=0"`);
    type Relay = 'offer' | 'answer' | 'ice-candidate' | 'media-state';
    const relays: [ClientSocket, ClientSocket, Relay, string, object][] = [
      [
        alice,
        bob,
        'offer',
        `{"callId": "${callId}", "to": "bob", "description": ${description('offer')}`,
        { description: { type: 'offer', sdp: 'v=0' } },
      ],
      [
        bob,
        alice,
        'answer',
        `{"callId": "${callId}", "description": ${description('answer')}`,
        { description: { type: 'answer', sdp: 'v=0' } },
      ],
      [
        alice,
        bob,
        'ice-candidate',
        `{"callId": "${callId}", "candidate": ${withProtoKeys(`{"candidate": "${hostCandidate.candidate}", "sdpMid": "0"`)}`,
        { candidate: { candidate: hostCandidate.candidate, sdpMid: '0' } },
      ],
      [
        bob,
        alice,
        'media-state',
        `{"callId": "${callId}", "audio": true, "video": false`,
        { audio: true, video: false },
      ],
    ];
    for (const [from, to, event, json, relayed] of relays) {
      assert.deepEqual(await requestRaw(from, event, [parse(withProtoKeys(json))]), { ok: true }, event);
      const got: unknown = await nextEvent(to, event);
      assert.deepEqual(got, { callId, from: from === alice ? 'alice' : 'bob', ...relayed }, event);
      assert.equal(Object.getPrototypeOf(got), Object.prototype, 'a plain object');
    }
    assert.deepEqual(await requestRaw(bob, 'end-call', [parse(withProtoKeys(`{"callId": "${callId}"`))]), {
      ok: true,
    });
    assert.deepEqual(await nextEvent(alice, 'call-ended'), { callId, by: 'bob', reason: 'hangup' });

    expectNotPolluted();
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('a field replaced by an object of prototype keys is invalid-payload, for every event', async () => {
    const { url, alice, bob, callId, b } = await callUnderAttack();

    const evil = `{${PROTO_KEYS}}`;
    const cases: [ClientEventName, string][] = [
      ['join-room', `{"roomId": ${evil}}`],
      ['leave-room', `{"roomId": ${evil}}`],
      ['video-call-request', `{"roomId": "r1", "callerId": ${evil}, "callerName": "A", "calleeId": "bob"}`],
      ['video-call-request', `{"roomId": "r1", "callerId": "alice", "callerName": ${evil}}`],
      ['video-call-response', `{"roomId": "r1", "accepted": ${evil}}`],
      ['offer', `{"callId": "${callId}", "to": ${evil}, "description": {"type": "offer", "sdp": "v=0"}}`],
      ['offer', `{"callId": "${callId}", "description": ${evil}}`],
      ['answer', `{"callId": ${evil}, "description": {"type": "answer", "sdp": "v=0"}}`],
      ['ice-candidate', `{"callId": "${callId}", "candidate": {"candidate": ${evil}}}`],
      ['media-state', `{"callId": "${callId}", "audio": ${evil}, "video": true}`],
      ['end-call', `{"callId": ${evil}}`],
      ['rejoin-call', `{"callId": "${callId}", "resumeToken": ${evil}}`],
      ['join-room', evil],
      ['offer', evil],
    ];
    for (const [event, json] of cases) {
      expectError(await requestRaw(alice, event, [parse(json)]), 'invalid-payload');
    }
    send(alice, '__proto__', parse(evil));
    send(alice, 'constructor', parse(evil));

    expectNotPolluted();
    await expectNothing([alice, bob]);
    await expectNothingLeaked(b);
    expectOk(await request(bob, 'answer', { callId, description: sdpAnswer }));
    await nextEvent(alice, 'answer');
    await expectServiceWorks(url);
  });

  test('open mode: a userId only under __proto__ is invalid-identity; beside a real one it is ignored', async () => {
    const { url } = await startServer();
    const b = await bystanders(url);

    expectRefusal(
      await connectRefused(url, parse('{"__proto__": {"userId": "alice", "userName": "Alice"}}')),
      'invalid-identity',
      'invalid-identity',
    );
    const mallory = await connectClient(
      url,
      parse('{"userId": "mallory", "__proto__": {"userId": "alice"}}'),
    );
    const joined = await joinRoom(mallory, 'r1');
    assert.deepEqual(
      joined.members.map((m) => m.userId),
      ['carol', 'mallory'],
    );

    expectNotPolluted();
    await expectNothingLeaked(b, { presence: true });
    await expectServiceWorks(url);
  });

  test('a token whose wider rooms hide under __proto__ or constructor.prototype grants only its own rooms', async () => {
    const { url } = await startServer({ authSecret: AUTH_SECRET });
    const connect = (userId: string) => connectWithToken(url, userId);
    const b = await bystanders(url, 'r1', connect);
    const claims = parse(
      `{"sub": "mallory", "rooms": ["r9"], "__proto__": {"rooms": ["*"], "sub": "alice"}, "constructor": {"prototype": {"rooms": ["*"]}}}`,
    );
    const token = await signToken(claims);
    assert.match(
      payloadJson(token),
      /"__proto__":\{"rooms":\["\*"\],"sub":"alice"\}/,
      'the token carries the key',
    );
    const mallory = await connectClient(url, { userId: 'mallory', token });

    expectError(await request(mallory, 'join-room', { roomId: 'r1' }), 'forbidden');
    const joined = await joinRoom(mallory, 'r9');
    assert.deepEqual(joined.members, [{ userId: 'mallory', userName: 'mallory', status: 'available' }]);

    expectNotPolluted();
    await expectNothingLeaked(b);
    await expectServiceWorks(url, connect);
  });
});

/** A JWT's payload segment, decoded but not parsed. */
function payloadJson(token: string): string {
  return Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8');
}

// ---- origins --------------------------------------------------------------------------------------

const ALLOWED = ['https://shop.example', 'http://localhost:8080'];
const POLLING_HANDSHAKE = '/socket.io/?EIO=4&transport=polling';

const EVIL_ORIGINS: [string, string][] = [
  ['another site', 'https://evil.example'],
  ['the opaque origin "null" (sandboxed iframe, file://)', 'null'],
  ['a look-alike suffix', 'https://shop.example.evil.example'],
  ['an allowed host on another port', 'https://shop.example:8443'],
  ['an allowed host over plain http', 'http://shop.example'],
  ['userinfo before another host', 'https://shop.example@evil.example'],
  ['an allowed origin as a path of another', 'https://evil.example/https://shop.example'],
];

/** Sends a WebSocket upgrade for the Engine.IO handshake by hand; resolves with the HTTP status line's code. */
function upgradeStatus(port: number, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        [
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          ...(origin === undefined ? [] : [`Origin: ${origin}`]),
          '',
          '',
        ].join('\r\n'),
      );
    });
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      head += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without a status line: ${JSON.stringify(head)}`)));
  });
}

describe('Origin allowlist (ALLOWED_ORIGINS)', () => {
  for (const [what, origin] of EVIL_ORIGINS) {
    test(`${what} (${origin}): HTTP 403 at the polling handshake, and no connection`, async () => {
      const { url } = await startServer({ allowedOrigins: ALLOWED });
      const b = await bystanders(url);

      const res = await httpGet(`${url}${POLLING_HANDSHAKE}`, { Origin: origin });
      assert.equal(res.status, 403);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      const refused = await tryConnect(
        url,
        { userId: 'mallory', userName: 'Mallory' },
        { transports: ['polling'], extraHeaders: { Origin: origin } },
      );
      assert.equal(refused.kind, 'refused');
      assert.equal(refused.kind === 'refused' && refused.message, 'xhr poll error');

      await expectNothingLeaked(b);
      assert.equal((await health(url)).connections, 2);
      await expectServiceWorks(url);
    });
  }

  test('every refused Origin gets HTTP 403 at the WebSocket upgrade too', {}, async () => {
    const { url, port } = await startServer({ allowedOrigins: ALLOWED });
    const b = await bystanders(url);
    for (const [, origin] of EVIL_ORIGINS) {
      assert.equal(await upgradeStatus(port, origin), 403, origin);
    }
    await expectNothingLeaked(b);
    await expectServiceWorks(url);
  });

  test('socket.io-client on a refused Origin over WebSocket is turned away and leaves nothing', async () => {
    const { url, port } = await startServer({ allowedOrigins: ALLOWED });
    const b = await bystanders(url);
    for (const [, origin] of EVIL_ORIGINS) {
      const outcome = await tryConnect(url, { userId: 'mallory' }, { extraHeaders: { Origin: origin } });
      assert.deepEqual(outcome.kind === 'refused' && outcome.message, 'websocket error', origin);
      assert.notEqual(await upgradeStatus(port, origin), 101, origin);
    }
    await expectNothingLeaked(b);
    assert.equal((await health(url)).connections, 2);
    await expectServiceWorks(url);
  });

  test('no Origin header (not a browser) is allowed on both transports, and so is an allowed one', async () => {
    const { url, port } = await startServer({ allowedOrigins: ALLOWED });
    const b = await bystanders(url);

    assert.equal((await httpGet(`${url}${POLLING_HANDSHAKE}`)).status, 200);
    assert.equal(await upgradeStatus(port, undefined), 101);
    assert.equal(await upgradeStatus(port, 'https://shop.example'), 101);
    for (const transports of [['polling'], ['websocket']] as ('polling' | 'websocket')[][]) {
      assert.deepEqual(await tryConnect(url, { userId: 'someone' }, { transports }), { kind: 'connected' });
      assert.deepEqual(
        await tryConnect(
          url,
          { userId: 'someone' },
          { transports, extraHeaders: { Origin: 'http://localhost:8080' } },
        ),
        { kind: 'connected' },
      );
    }
    const polling = await connectClient(
      url,
      { userId: 'alice', userName: 'Alice' },
      { transports: ['polling'] },
    );
    const ws = await connectClient(
      url,
      { userId: 'bob', userName: 'Bob' },
      { extraHeaders: { Origin: 'https://shop.example' } },
    );
    await joinRoom(polling, 'ok-room');
    await joinRoom(ws, 'ok-room');
    await establishCall(polling, ws, 'ok-room');

    await expectNothingLeaked(b);
    assert.deepEqual(pending(b.far, ...CALL_EVENTS), []);
  });
});
