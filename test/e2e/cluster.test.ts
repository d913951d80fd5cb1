// Several nodes: Alice's page talks to one service node and Bob's to another, the two sharing a real Redis
// (started here on a free loopback port). The call rings across nodes and media flows peer to peer; when
// Redis restarts empty mid-call, the nodes have their clients reconnect, and the call goes on.
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startRedis, stopAllRedis, type RedisProcess } from '../helpers/redis-server.js';
import {
  assertNoProblems,
  callButton,
  closeScenarios,
  control,
  hangUpEndsItOnBothSides,
  launchBrowser,
  mediaFlows,
  remoteVideoPlays,
  startScenario,
} from './harness.js';

let browser: Browser;
let redis: RedisProcess;
before(async () => {
  [browser, redis] = await Promise.all([launchBrowser(), startRedis()]);
});
afterEach(closeScenarios);
after(async () => {
  await browser.close();
  await stopAllRedis();
});

test('on two nodes: Bob sees Alice, she calls, he accepts, both see each other, and the hang-up crosses over', async () => {
  const { alice, bob } = await startScenario(browser, { redisUrl: redis.url, room: 'cluster-call' });
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
  await mediaFlows(alice, bob);
  await hangUpEndsItOnBothSides(bob, alice, 'Bob');
  assertNoProblems(alice, bob);
});

test('Redis restarts empty mid-call: media never stops, both reconnect and rejoin, and End call still reaches the other side', async (t) => {
  const { alice, bob } = await startScenario(browser, { redisUrl: redis.url, room: 'cluster-outage' });
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);

  await redis.stop();
  await mediaFlows(alice, bob);
  const back = Date.now();
  await redis.start();
  // Each node notices that Redis lost its state and closes its connections; the widgets reconnect, join the
  // room again and rejoin the call with their resume tokens.
  await Promise.all([
    alice.page.getByText('Lost the connection to the call service. Reconnecting…').waitFor(),
    bob.page.getByText('Lost the connection to the call service. Reconnecting…').waitFor(),
  ]);
  await Promise.all([
    alice.page
      .getByText('Lost the connection to the call service. Reconnecting…')
      .waitFor({ state: 'hidden' }),
    bob.page.getByText('Lost the connection to the call service. Reconnecting…').waitFor({ state: 'hidden' }),
  ]);
  t.diagnostic(`both reconnected ${Date.now() - back} ms after Redis was back`);
  await Promise.all([
    alice.page.locator('video-call-window[state="in-call"]').waitFor(),
    bob.page.locator('video-call-window[state="in-call"]').waitFor(),
  ]);
  await mediaFlows(alice, bob);
  await hangUpEndsItOnBothSides(alice, bob, 'Alice');
  assertNoProblems(alice, bob);
});
