// A whole call between two people on a host site that embeds the widget from the service's origin.
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
  usedMedia,
  widgetEventDetails,
  widgetEvents,
} from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

test('Call and Accept: both see each other, mute and camera show on the other side, End call cleans up', async () => {
  const { alice, bob } = await startScenario(browser);
  // The placed window stays out of the way until there is a call.
  await Promise.all([
    callWindow(alice.page).waitFor({ state: 'hidden' }),
    callWindow(bob.page).waitFor({ state: 'hidden' }),
  ]);

  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();

  await Promise.all([callWindow(alice.page).waitFor(), callWindow(bob.page).waitFor()]);
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
  await Promise.all([usedMedia(alice), usedMedia(bob)]);

  await control(alice.page, 'Mute').click();
  await control(alice.page, 'Unmute').waitFor();
  await bob.page.getByText('Alice is muted').waitFor();
  await control(alice.page, 'Unmute').click();
  await bob.page.getByText('Alice is muted').waitFor({ state: 'hidden' });

  await control(bob.page, 'Turn camera off').click();
  await control(bob.page, 'Turn camera on').waitFor();
  await alice.page.getByText("Bob's camera is off").waitFor();
  await control(bob.page, 'Turn camera on').click();
  await alice.page.getByText("Bob's camera is off").waitFor({ state: 'hidden' });

  await control(alice.page, 'End call').click();
  await Promise.all([
    callWindow(alice.page).waitFor({ state: 'hidden' }),
    callWindow(bob.page).waitFor({ state: 'hidden' }),
  ]);
  await bob.page.getByText('Alice ended the call.').waitFor();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  // A placed window hides; the widget never removes it. Both can call again.
  assert.equal(await callWindow(alice.page).count(), 1);
  assert.equal(await callWindow(bob.page).count(), 1);
  await Promise.all([callButton(alice.page).waitFor(), callButton(bob.page).waitFor()]);

  // The host page heard every step as documented DOM events (bubbling and composed, so on `document`).
  const moments = ['ringlet-accepted', 'ringlet-started', 'ringlet-ended:hangup'];
  assert.deepEqual(await widgetEvents(alice, 'ringlet-ended'), ['ringlet-outgoing', ...moments]);
  assert.deepEqual(await widgetEvents(bob, 'ringlet-ended'), ['ringlet-incoming', ...moments]);
  const [incoming] = await widgetEventDetails(bob);
  assert.deepEqual(incoming?.detail, {
    callId: incoming?.detail.callId,
    room: 'room-1',
    direction: 'incoming',
    peer: { userId: 'alice', userName: 'Alice' },
    reason: null,
  });
  assert.match(incoming?.detail.callId ?? '', /.+/);
  assertNoProblems(alice, bob);
});

test('after a call ends, the same two people can call again', async () => {
  const { alice, bob } = await startScenario(browser);
  for (const [caller, callee] of [
    [alice, bob],
    [bob, alice],
  ] as const) {
    await callButton(caller.page).click();
    await control(callee.page, 'Accept').click();
    await Promise.all([remoteVideoPlays(caller), remoteVideoPlays(callee)]);
    await control(callee.page, 'End call').click();
    await Promise.all([mediaReleased(caller), mediaReleased(callee)]);
  }
  assertNoProblems(alice, bob);
});
