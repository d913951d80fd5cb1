import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  closeAll,
  connectClient,
  nextDisconnect,
  nextEvent,
  startServer,
  userInRoom,
} from '../helpers/index.js';

afterEach(closeAll);

describe('close()', () => {
  test('sends service-shutdown to every client, then closes their connections', async () => {
    const server = await startServer();
    const { url } = server;
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await connectClient(url, { userId: 'bob', userName: 'Bob' });
    const aliceGone = nextDisconnect(alice);
    const bobGone = nextDisconnect(bob);
    await server.close();
    for (const socket of [alice, bob]) {
      const { message } = await nextEvent(socket, 'service-shutdown');
      assert.equal(typeof message, 'string');
      assert.ok(message.length > 0);
    }
    await Promise.all([aliceGone, bobGone]);
  });
});
