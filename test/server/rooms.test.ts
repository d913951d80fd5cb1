import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { RoomMember } from '../../server/protocol.js';
import {
  byUserId,
  closeAll,
  connectClient,
  drain,
  establishCall,
  expectError,
  expectOk,
  flush,
  joinRoom,
  member,
  nextEvent,
  pending,
  received,
  request,
  ring,
  startServer,
  userInRoom,
  type ClientSocket,
} from '../helpers/index.js';

afterEach(closeAll);

/** Waits for a `room-members` of `roomId` listing exactly `members` (in any order). */
async function expectMembers(socket: ClientSocket, roomId: string, members: RoomMember[]): Promise<void> {
  const expected = byUserId(members);
  const update = await nextEvent(
    socket,
    'room-members',
    (p) => p.roomId === roomId && JSON.stringify(byUserId(p.members)) === JSON.stringify(expected),
  );
  assert.deepEqual({ ...update, members: byUserId(update.members) }, { roomId, members: expected });
}

describe('join-room', () => {
  test('acks with the room, its members and the configured ICE servers', async () => {
    const iceServers = [
      { urls: 'stun:stun.example.org:3478' },
      { urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'p' },
    ];
    const { url } = await startServer({ iceServers });
    const alice = await connectClient(url, { userId: 'alice', userName: 'Alice' });
    const ack = await request(alice, 'join-room', { roomId: 'r1' });
    assert.deepEqual(ack, { ok: true, roomId: 'r1', members: [member('alice', 'Alice')], iceServers });
  });

  test('hands out no ICE servers by default', async () => {
    const { url } = await startServer();
    const alice = await connectClient(url, { userId: 'alice', userName: 'Alice' });
    assert.deepEqual((await joinRoom(alice, 'r1')).iceServers, []);
  });

  test('sends room-members to everyone in the room, the joiner included', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    assert.deepEqual(await nextEvent(alice, 'room-members'), {
      roomId: 'r1',
      members: [member('alice', 'Alice')],
    });
    const bob = await connectClient(url, { userId: 'bob', userName: 'Bob' });
    const ack = await joinRoom(bob, 'r1');
    const both = [member('alice', 'Alice'), member('bob', 'Bob')];
    assert.deepEqual(byUserId(ack.members), both);
    await expectMembers(alice, 'r1', both);
    await expectMembers(bob, 'r1', both);
  });

  test('is idempotent', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const again = await request(alice, 'join-room', { roomId: 'r1' });
    assert.deepEqual(again, { ok: true, roomId: 'r1', members: [member('alice', 'Alice')], iceServers: [] });
  });

  test('lists a user with several tabs once, until the last tab is gone', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const tab1 = await userInRoom(url, 'bob', 'r1');
    const tab2 = await connectClient(url, { userId: 'bob', userName: 'Bob' });
    const ack = await joinRoom(tab2, 'r1');
    const both = [member('alice', 'Alice'), member('bob', 'Bob')];
    assert.deepEqual(byUserId(ack.members), both);

    await flush(alice);
    drain(alice, 'room-members');
    tab1.disconnect();
    await expectMembers(alice, 'r1', both);
    tab2.disconnect();
    await expectMembers(alice, 'r1', [member('alice', 'Alice')]);
  });

  test('never tells another room about this one', async () => {
    const { url } = await startServer();
    const dave = await userInRoom(url, 'dave', 'r2');
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await establishCall(alice, bob, 'r1');
    await flush(dave);
    assert.deepEqual(received(dave), [
      { event: 'room-members', payload: { roomId: 'r2', members: [member('dave', 'Dave')] } },
    ]);
  });
});

describe('leave-room', () => {
  test('acks { ok: true } and tells the others', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await flush(alice, bob);
    drain(bob, 'room-members');
    assert.deepEqual(await request(bob, 'leave-room', { roomId: 'r1' }), { ok: true });
    await expectMembers(alice, 'r1', [member('alice', 'Alice')]);
    await flush(bob);
    assert.deepEqual(pending(bob, 'room-members'), []);
  });

  test('acks { ok: true } for a room never joined', async () => {
    const { url } = await startServer();
    const alice = await connectClient(url, { userId: 'alice', userName: 'Alice' });
    assert.deepEqual(await request(alice, 'leave-room', { roomId: 'elsewhere' }), { ok: true });
  });

  test('a member who left can no longer place calls there', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    await userInRoom(url, 'bob', 'r1');
    expectOk(await request(alice, 'leave-room', { roomId: 'r1' }));
    const ack = await request(alice, 'video-call-request', {
      roomId: 'r1',
      callerId: 'alice',
      callerName: 'Alice',
    });
    expectError(ack, 'not-in-room');
  });
});

describe('disconnect', () => {
  test('removes the member and tells the room', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await expectMembers(alice, 'r1', [member('alice', 'Alice'), member('bob', 'Bob')]);
    bob.disconnect();
    await expectMembers(alice, 'r1', [member('alice', 'Alice')]);
  });
});

describe('presence', () => {
  test('status follows ringing, accepting and hanging up, in every room of the user', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await userInRoom(url, 'carol', 'r1');
    await joinRoom(alice, 'r2');
    const dave = await userInRoom(url, 'dave', 'r2');

    const callId = await ring(alice, 'r1', [bob], { calleeId: 'bob' });
    const ringingR1 = [member('alice', 'Alice', 'in-call'), member('bob', 'Bob'), member('carol', 'Carol')];
    for (const socket of [alice, bob, carol]) await expectMembers(socket, 'r1', ringingR1);
    await expectMembers(dave, 'r2', [member('alice', 'Alice', 'in-call'), member('dave', 'Dave')]);

    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: true, callId }));
    const inCall = [
      member('alice', 'Alice', 'in-call'),
      member('bob', 'Bob', 'in-call'),
      member('carol', 'Carol'),
    ];
    for (const socket of [alice, bob, carol]) await expectMembers(socket, 'r1', inCall);

    expectOk(await request(bob, 'end-call', { callId }));
    const idle = [member('alice', 'Alice'), member('bob', 'Bob'), member('carol', 'Carol')];
    for (const socket of [alice, bob, carol]) await expectMembers(socket, 'r1', idle);
    await expectMembers(dave, 'r2', [member('alice', 'Alice'), member('dave', 'Dave')]);
  });

  test('the caller is available again once its call is declined or cancelled', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const idle = [member('alice', 'Alice'), member('bob', 'Bob')];
    const ringing = [member('alice', 'Alice', 'in-call'), member('bob', 'Bob')];

    const declined = await ring(alice, 'r1', [bob]);
    await expectMembers(bob, 'r1', ringing);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId: declined }));
    await expectMembers(bob, 'r1', idle);

    const cancelled = await ring(alice, 'r1', [bob]);
    await expectMembers(bob, 'r1', ringing);
    expectOk(await request(alice, 'end-call', { callId: cancelled }));
    await expectMembers(bob, 'r1', idle);
  });

  test('a newcomer sees who is in a call', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    await establishCall(alice, bob, 'r1');
    const carol = await connectClient(url, { userId: 'carol', userName: 'Carol' });
    const ack = await joinRoom(carol, 'r1');
    assert.deepEqual(byUserId(ack.members), [
      member('alice', 'Alice', 'in-call'),
      member('bob', 'Bob', 'in-call'),
      member('carol', 'Carol'),
    ]);
  });
});

describe('limits', () => {
  test('too-many-rooms past maxRoomsPerSocket; rejoining a joined room or leaving one still works', async () => {
    const { url } = await startServer({ maxRoomsPerSocket: 2 });
    const alice = await connectClient(url, { userId: 'alice', userName: 'Alice' });
    await joinRoom(alice, 'r1');
    await joinRoom(alice, 'r2');
    expectError(await request(alice, 'join-room', { roomId: 'r3' }), 'too-many-rooms');
    await joinRoom(alice, 'r1');
    expectOk(await request(alice, 'leave-room', { roomId: 'r2' }));
    await joinRoom(alice, 'r3');
  });

  test('the room limit is per connection', async () => {
    const { url } = await startServer({ maxRoomsPerSocket: 1 });
    const tab1 = await userInRoom(url, 'alice', 'r1');
    const tab2 = await userInRoom(url, 'alice', 'r2');
    expectError(await request(tab1, 'join-room', { roomId: 'r2' }), 'too-many-rooms');
    expectError(await request(tab2, 'join-room', { roomId: 'r1' }), 'too-many-rooms');
  });

  test('room-full past maxMembersPerRoom; another tab of a member still gets in', async () => {
    const { url } = await startServer({ maxMembersPerRoom: 2 });
    await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await connectClient(url, { userId: 'carol', userName: 'Carol' });
    expectError(await request(carol, 'join-room', { roomId: 'r1' }), 'room-full');
    await userInRoom(url, 'bob', 'r1');
    await joinRoom(carol, 'r2');

    bob.disconnect();
    expectError(await request(carol, 'join-room', { roomId: 'r1' }), 'room-full');
  });

  test('a full room takes members again once someone leaves', async () => {
    const { url } = await startServer({ maxMembersPerRoom: 2 });
    await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const carol = await connectClient(url, { userId: 'carol', userName: 'Carol' });
    expectError(await request(carol, 'join-room', { roomId: 'r1' }), 'room-full');
    expectOk(await request(bob, 'leave-room', { roomId: 'r1' }));
    const ack = await joinRoom(carol, 'r1');
    assert.deepEqual(byUserId(ack.members), [member('alice', 'Alice'), member('carol', 'Carol')]);
  });
});
