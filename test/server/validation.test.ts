/**
 * Every client event against malformed payloads: each must be refused with `invalid-payload`,
 * nothing relayed, and the service must keep serving everyone else.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  closeAll,
  connectClient,
  establishCall,
  expectError,
  expectOk,
  flush,
  hostCandidate,
  nextDisconnect,
  nextEvent,
  received,
  request,
  requestRaw,
  sdpOffer,
  send,
  startServer,
  userInRoom,
  type ClientEventName,
  type ClientSocket,
} from '../helpers/index.js';

const ONE_MB = 'x'.repeat(1024 * 1024);
/** Room for 1 MB strings, so that the schema (not the transport) refuses them; and no rate limit, as these tests fire events as fast as they can. */
const ROOMY = { maxMessageBytes: 2 * 1024 * 1024, maxEventsPerSecond: 1_000_000 };
const SOME_CALL_ID = '00000000-0000-4000-8000-000000000000';

type FieldKind = 'id' | 'name' | 'callId' | 'token' | 'boolean' | 'description' | 'candidate';

interface FieldSpec {
  field: string;
  kind: FieldKind;
  optional?: boolean;
}

interface EventSpec {
  /** A well-formed payload; each case breaks one thing in it. */
  valid: Record<string, unknown>;
  fields: FieldSpec[];
}

const EVENTS: Record<ClientEventName, EventSpec> = {
  'join-room': { valid: { roomId: 'r1' }, fields: [{ field: 'roomId', kind: 'id' }] },
  'leave-room': { valid: { roomId: 'r1' }, fields: [{ field: 'roomId', kind: 'id' }] },
  'video-call-request': {
    valid: { roomId: 'r1', callerId: 'alice', callerName: 'Alice', calleeId: 'bob' },
    fields: [
      { field: 'roomId', kind: 'id' },
      { field: 'callerId', kind: 'id' },
      { field: 'callerName', kind: 'name' },
      { field: 'calleeId', kind: 'id', optional: true },
    ],
  },
  'video-call-response': {
    valid: { roomId: 'r1', accepted: true, callId: SOME_CALL_ID },
    fields: [
      { field: 'roomId', kind: 'id' },
      { field: 'accepted', kind: 'boolean' },
      { field: 'callId', kind: 'callId', optional: true },
    ],
  },
  offer: {
    valid: { callId: SOME_CALL_ID, to: 'bob', description: sdpOffer },
    fields: [
      { field: 'callId', kind: 'callId' },
      { field: 'to', kind: 'id', optional: true },
      { field: 'description', kind: 'description' },
    ],
  },
  answer: {
    valid: { callId: SOME_CALL_ID, to: 'bob', description: { type: 'answer', sdp: 'v=0' } },
    fields: [
      { field: 'callId', kind: 'callId' },
      { field: 'to', kind: 'id', optional: true },
      { field: 'description', kind: 'description' },
    ],
  },
  'ice-candidate': {
    valid: { callId: SOME_CALL_ID, to: 'bob', candidate: hostCandidate },
    fields: [
      { field: 'callId', kind: 'callId' },
      { field: 'to', kind: 'id', optional: true },
      { field: 'candidate', kind: 'candidate' },
    ],
  },
  'media-state': {
    valid: { callId: SOME_CALL_ID, audio: true, video: false },
    fields: [
      { field: 'callId', kind: 'callId' },
      { field: 'audio', kind: 'boolean' },
      { field: 'video', kind: 'boolean' },
    ],
  },
  'end-call': { valid: { callId: SOME_CALL_ID }, fields: [{ field: 'callId', kind: 'callId' }] },
  'rejoin-call': {
    valid: { callId: SOME_CALL_ID, resumeToken: 'a'.repeat(32) },
    fields: [
      { field: 'callId', kind: 'callId' },
      { field: 'resumeToken', kind: 'token' },
    ],
  },
};

/** Values that are wrong for a field of this kind, labelled for the test name. */
function badValues(kind: FieldKind, valid: unknown): Array<[string, unknown]> {
  const notAString: Array<[string, unknown]> = [
    ['a number', 42],
    ['null', null],
    ['an array', ['r1']],
    ['an object', { value: 'r1' }],
    ['a boolean', true],
    ['a 1 MB string', ONE_MB],
  ];
  switch (kind) {
    case 'id':
      return [
        ...notAString,
        ['empty', ''],
        ['with a space', 'a b'],
        ['65 characters', 'a'.repeat(65)],
        ['with a slash', 'a/b'],
      ];
    case 'name':
      return [...notAString, ['empty', ''], ['blank', '   '], ['101 characters', 'A'.repeat(101)]];
    case 'callId':
    case 'token':
      return [...notAString, ['empty', '']];
    case 'boolean':
      return [
        ['the string "true"', 'true'],
        ['1', 1],
        ['0', 0],
        ['null', null],
        ['an array', [true]],
        ['an object', { value: true }],
      ];
    case 'description': {
      const { type } = valid as { type: 'offer' | 'answer' };
      return [
        ['without sdp', { type }],
        [
          `the other kind (${type === 'offer' ? 'answer' : 'offer'})`,
          { type: type === 'offer' ? 'answer' : 'offer', sdp: 'v=0' },
        ],
        ['null', null],
        ['a string', 'v=0'],
        ['a number', 42],
        ['an array', [sdpOffer]],
        ['an empty object', {}],
        ['an unknown type', { type: 'bogus', sdp: 'v=0' }],
        ['a numeric type', { type: 42, sdp: 'v=0' }],
        ['a numeric sdp', { type: 'offer', sdp: 42 }],
        ['an object sdp', { type: 'offer', sdp: { v: 0 } }],
        ['a 1 MB sdp', { type: 'offer', sdp: ONE_MB }],
        ['a 1 MB type', { type: ONE_MB, sdp: 'v=0' }],
      ];
    }
    case 'candidate':
      return [
        ['a number', 42],
        ['a string', hostCandidate.candidate],
        ['an array', [hostCandidate]],
        ['an empty object', {}],
        ['a numeric candidate line', { candidate: 42 }],
        ['a 1 MB candidate line', { candidate: ONE_MB }],
        ['a string sdpMLineIndex', { ...hostCandidate, sdpMLineIndex: '0' }],
        ['a numeric sdpMid', { ...hostCandidate, sdpMid: 0 }],
        ['a 1 MB sdpMid', { ...hostCandidate, sdpMid: ONE_MB }],
        ['a 1 MB usernameFragment', { ...hostCandidate, usernameFragment: ONE_MB }],
      ];
  }
}

/** Whole-payload cases shared by every event: `args` are the emit arguments before the ack. */
function badPayloads(spec: EventSpec): Array<[string, unknown[]]> {
  return [
    ['an ack as the only argument', []],
    ['null', [null]],
    ['a number', [42]],
    ['a string', ['r1']],
    ['a boolean', [true]],
    ['an empty array', [[]]],
    ['the valid payload wrapped in an array', [[spec.valid]]],
    ['an empty object', [{}]],
    ['only a __proto__ key', [JSON.parse('{"__proto__": {"polluted": "yes"}}')]],
    ['only a constructor key', [{ constructor: { prototype: { polluted: 'yes' } } }]],
  ];
}

function without(payload: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...payload };
  delete copy[field];
  return copy;
}

describe('malformed payloads get invalid-payload', () => {
  let alice: ClientSocket;
  let bob: ClientSocket;

  before(async () => {
    const { url } = await startServer(ROOMY);
    alice = await userInRoom(url, 'alice', 'r1');
    bob = await userInRoom(url, 'bob', 'r1');
  });
  after(closeAll);

  for (const [event, spec] of Object.entries(EVENTS) as Array<[ClientEventName, EventSpec]>) {
    describe(event, () => {
      for (const [what, args] of badPayloads(spec)) {
        test(`payload: ${what}`, async () => {
          expectError(await requestRaw(alice, event, args), 'invalid-payload');
        });
      }
      for (const { field, kind, optional } of spec.fields) {
        if (!optional) {
          test(`${field}: missing`, async () => {
            expectError(await requestRaw(alice, event, [without(spec.valid, field)]), 'invalid-payload');
          });
        }
        for (const [what, value] of badValues(kind, spec.valid[field])) {
          if (optional && value === null) continue; // an absent optional field may reasonably arrive as null
          test(`${field}: ${what}`, async () => {
            expectError(
              await requestRaw(alice, event, [{ ...spec.valid, [field]: value }]),
              'invalid-payload',
            );
          });
        }
      }
    });
  }

  test('nothing of it reached the other member', async () => {
    await flush(bob);
    assert.deepEqual(
      received(bob).filter((e) => e.event !== 'room-members'),
      [],
    );
  });

  test('malformed events sent without an ack are dropped without an answer', async () => {
    for (const event of Object.keys(EVENTS)) {
      send(alice, event, null);
      send(alice, event, 42);
      send(alice, event, JSON.parse('{"__proto__": {"polluted": "yes"}}'));
    }
    send(alice, 'no-such-event', { roomId: 'r1' });
    await flush(alice, bob);
    assert.ok(alice.connected);
  });
});

describe('prototype pollution', () => {
  afterEach(closeAll);

  test('__proto__ and constructor keys beside valid fields are ignored and pollute nothing', async () => {
    const { url } = await startServer();
    const alice = await connectClient(url, { userId: 'alice', userName: 'Alice' });
    const bob = await userInRoom(url, 'bob', 'r1');
    const withProto: unknown = JSON.parse(
      '{"roomId": "r1", "__proto__": {"roomId": "evil", "polluted": "yes"}}',
    );
    const joined = await requestRaw(alice, 'join-room', [withProto]);
    assert.deepEqual((joined as { roomId?: unknown }).roomId, 'r1');
    const withConstructor = { roomId: 'r2', constructor: { prototype: { polluted: 'yes' } } };
    assert.deepEqual(
      ((await requestRaw(alice, 'join-room', [withConstructor])) as { ok?: unknown }).ok,
      true,
    );

    const { callId } = await establishCall(alice, bob, 'r1');
    const offer: unknown = JSON.parse(
      `{"callId": "${callId}", "description": {"type": "offer", "sdp": "v=0", "__proto__": {"polluted": "yes"}}, "__proto__": {"to": "mallory"}}`,
    );
    expectOk((await requestRaw(alice, 'offer', [offer])) as { ok: boolean });
    const relayed = await nextEvent(bob, 'offer');
    assert.equal(relayed.from, 'alice');
    assert.equal(relayed.description.sdp, 'v=0');

    const probe: Record<string, unknown> = {};
    assert.equal(probe.polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    assert.equal(Object.hasOwn(Object.prototype, 'roomId'), false);
  });
});

describe('message size', () => {
  afterEach(closeAll);

  test('a packet over maxMessageBytes (default 64 KiB) closes that socket only', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const mallory = await userInRoom(url, 'mallory', 'r1');
    const gone = nextDisconnect(mallory);
    send(mallory, 'video-call-request', {
      roomId: 'r1',
      callerId: 'mallory',
      callerName: 'x'.repeat(70_000),
    });
    await gone;
    assert.equal(mallory.connected, false);

    const { callId } = await establishCall(alice, bob, 'r1');
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(bob, 'offer'), { callId, from: 'alice', description: sdpOffer });
    await flush(bob);
    assert.deepEqual(received(bob, 'incoming-video-call').length, 1, 'mallory’s oversized call never rang');
  });

  test('a packet just under the limit reaches the schema and gets invalid-payload', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    await userInRoom(url, 'bob', 'r1');
    const ack = await request(alice, 'video-call-request', {
      roomId: 'r1',
      callerId: 'alice',
      callerName: 'x'.repeat(60_000),
    });
    expectError(ack, 'invalid-payload');
    assert.ok(alice.connected);
  });
});

describe('after all that', () => {
  afterEach(closeAll);

  test('the service still serves a normal call between two other clients', async () => {
    const { url } = await startServer(ROOMY);
    const mallory = await userInRoom(url, 'mallory', 'r1');
    for (const [event, spec] of Object.entries(EVENTS) as Array<[ClientEventName, EventSpec]>) {
      for (const [, args] of badPayloads(spec)) await requestRaw(mallory, event, args);
      for (const { field, kind } of spec.fields) {
        for (const [, value] of badValues(kind, spec.valid[field]))
          send(mallory, event, { ...spec.valid, [field]: value });
      }
    }
    await flush(mallory);

    const carol = await userInRoom(url, 'carol', 'r1');
    const dave = await userInRoom(url, 'dave', 'r1');
    const { callId } = await establishCall(carol, dave, 'r1');
    expectOk(await request(carol, 'offer', { callId, description: sdpOffer }));
    assert.deepEqual(await nextEvent(dave, 'offer'), { callId, from: 'carol', description: sdpOffer });
    expectOk(await request(dave, 'end-call', { callId }));
    assert.deepEqual(await nextEvent(carol, 'call-ended'), { callId, by: 'dave', reason: 'hangup' });
  });
});
