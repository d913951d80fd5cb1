// People close the tab or leave the page at the worst moments: while it rings, or in the middle of a call.
// The other side must hear about it within a few seconds, in plain words, and be free again.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertNoProblems,
  callButton,
  callWindow,
  closeScenarios,
  control,
  launchBrowser,
  mediaReleased,
  remoteVideoPlays,
  startScenario,
  widgetEvents,
} from './harness.js';

/** "Within a few seconds". */
const PROMPTLY_MS = 5_000;
/** The test service's grace period for a participant to come back (the default is 5 s). */
const REJOIN_GRACE_MS = 1_000;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

test('the callee closes the tab while it rings: the caller hears "not available" within a few seconds', async (t) => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').waitFor();

  await bob.page.close();
  const closed = Date.now();
  await alice.page.getByText('Bob is not available right now.').waitFor({ timeout: PROMPTLY_MS });
  t.diagnostic(`the caller knew ${Date.now() - closed} ms after the tab closed`);
  await control(alice.page, 'Cancel').waitFor({ state: 'detached' });
  await mediaReleased(alice);
  assert.deepEqual(await widgetEvents(alice, 'ringlet-declined'), [
    'ringlet-outgoing',
    'ringlet-declined:unavailable',
  ]);
  assertNoProblems(alice, bob);
});

test('the caller closes the tab while it rings: the callee stops ringing within a few seconds', async (t) => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').waitFor();

  await alice.page.close();
  const closed = Date.now();
  await Promise.all([
    control(bob.page, 'Accept').waitFor({ state: 'detached', timeout: PROMPTLY_MS }),
    control(bob.page, 'Decline').waitFor({ state: 'detached', timeout: PROMPTLY_MS }),
  ]);
  t.diagnostic(`the callee stopped ringing ${Date.now() - closed} ms after the tab closed`);
  await bob.page.getByText('Alice hung up before you answered.').waitFor();
  assert.deepEqual(await widgetEvents(bob, 'ringlet-cancelled'), [
    'ringlet-incoming',
    'ringlet-cancelled:cancelled',
  ]);
  assertNoProblems(alice, bob);
});

test('a page navigates away mid-call: after the grace period the other side hears the call ended', async (t) => {
  const { alice, bob } = await startScenario(browser, { service: { rejoinGraceMs: REJOIN_GRACE_MS } });
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);

  await alice.page.goto('about:blank');
  const left = Date.now();
  await bob.page.getByText('The call ended: the connection was lost.').waitFor({
    timeout: REJOIN_GRACE_MS + PROMPTLY_MS,
  });
  const heard = Date.now() - left;
  t.diagnostic(`the other side heard ${heard} ms after the page left (grace ${REJOIN_GRACE_MS} ms)`);
  assert.ok(heard >= REJOIN_GRACE_MS - 200, `ended after ${heard} ms, before the grace period was over`);
  await callWindow(bob.page).waitFor({ state: 'hidden' });
  await mediaReleased(bob);
  assert.equal((await widgetEvents(bob, 'ringlet-ended')).at(-1), 'ringlet-ended:disconnected');
  // Bob is free: presence no longer shows Alice in a call (she is gone from the room).
  await bob.page.getByText('No one else is here yet.').waitFor();
  assertNoProblems(alice, bob);
});
